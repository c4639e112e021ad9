/* test_lang.c - the language table (core/lang.c) and the analyzer built
 * from its rows. Run from the repository root: the data files are read
 * from data/.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../../core/lang.h"
#include "../../core/text.h"
#include "../../core/xapian_wrap.h"

static void test_every_row_found(void **state)
{
    (void)state;
    size_t n = 0;
    const ss_lang *all = ss_lang_all(&n);
    assert_true(n >= 3);
    for (size_t i = 0; i < n; i++) {
        const ss_lang *l = &all[i];
        /* sorted and unique: ss_lang_find searches by bisection */
        if (i && strcmp(all[i - 1].code, l->code) >= 0)
            fail_msg("rows out of order at %s", l->code);
        assert_ptr_equal(ss_lang_find(l->code), l);
        const ss_lang *got = NULL;
        assert_int_equal(ss_lang_get(l->code, &got, NULL), SS_OK);
        assert_ptr_equal(got, l);
        assert_int_equal(strspn(l->code, "abcdefghijklmnopqrstuvwxyz"),
                         strlen(l->code));

        /* the row's stemmer exists in this Xapian, and an analyzer takes
         * its settings from the row */
        ss_stemmer *stem = NULL;
        if (ss_stemmer_create(l->stemmer, &stem, NULL) != SS_OK)
            fail_msg("%s: no Xapian stemmer '%s'", l->code, l->stemmer);
        ss_stemmer_destroy(stem);
        ss_analyzer *a = NULL;
        char *err = NULL;
        if (ss_analyzer_create(l->code, "data/stop", &a, &err) != SS_OK)
            fail_msg("%s: %s", l->code, err ? err : "?");
        assert_string_equal(ss_analyzer_lang(a), l->code);
        assert_ptr_equal(ss_analyzer_language(a), l);
        assert_int_equal(ss_analyzer_strips_accents(a), l->strip_accents);
        ss_analyzer_destroy(a);
    }
}

static void test_known_rows(void **state)
{
    (void)state;
    static const struct {
        const char *code, *stemmer;
        int strip;
        const char *stop;
    } c[] = {{"en", "english", 1, "en.txt"}, {"fr", "french", 1, "fr.txt"},
             {"nl", "dutch", 1, "nl.txt"},   {"de", "german", 1, NULL},
             {"ru", "russian", 0, NULL},     {"sv", "swedish", 0, NULL}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        const ss_lang *l = ss_lang_find(c[i].code);
        assert_non_null(l);
        assert_string_equal(l->stemmer, c[i].stemmer);
        assert_int_equal(l->strip_accents, c[i].strip);
        if (c[i].stop)
            assert_string_equal(l->stop, c[i].stop);
        else
            assert_null(l->stop);
    }
    assert_non_null(ss_lang_find("fr")->elide);
    assert_null(ss_lang_find("en")->elide);
    assert_non_null(ss_lang_find("en")->clitics);
    assert_string_equal(ss_lang_find("en")->titles, "en.tsv");
    assert_string_equal(ss_lang_find("en")->synonyms, "en.tsv");
    assert_non_null(ss_lang_find(SS_LANG_DEFAULT));
}

static void test_unknown_language(void **state)
{
    (void)state;
    static const char *const bad[] = {"xx", "EN", "english", "en ", "",
                                      "../en", "pl"};
    size_t n = 0;
    const ss_lang *all = ss_lang_all(&n);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(ss_lang_find(bad[i]));
        const ss_lang *got = all;
        char *err = NULL;
        assert_int_equal(ss_lang_get(bad[i], &got, &err), SS_ERR_INVALID);
        assert_null(got);
        assert_non_null(err);
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
        if (!strstr(err, quoted) || !strstr(err, "supported: "))
            fail_msg("message: %s", err);
        /* names every supported code */
        const char *list = strstr(err, "supported: ");
        for (size_t k = 0; k < n; k++) {
            char item[16];
            snprintf(item, sizeof item, "%s%s", k ? ", " : " ", all[k].code);
            if (!strstr(list, item))
                fail_msg("'%s' missing from: %s", all[k].code, err);
        }
        free(err);

        ss_analyzer *a = (ss_analyzer *)1;
        err = NULL;
        assert_int_equal(ss_analyzer_create(bad[i], NULL, &a, &err),
                         SS_ERR_INVALID);
        assert_null(a);
        assert_non_null(err);
        assert_non_null(strstr(err, "supported: "));
        free(err);
    }
    assert_null(ss_lang_find(NULL));
}

static int is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The row's file in data/stop, data/titles or data/synonyms (d = 0, 1, 2). */
static const char *row_file(const ss_lang *l, size_t d)
{
    return d == 0 ? l->stop : d == 1 ? l->titles : l->synonyms;
}

/* Every file a row names is in data/, and every file in data/stop,
 * data/titles and data/synonyms belongs to a row (else it is ignored). */
static void test_data_files(void **state)
{
    (void)state;
    static const char *const dirs[] = {"stop", "titles", "synonyms"};
    size_t n = 0;
    const ss_lang *all = ss_lang_all(&n);
    for (size_t d = 0; d < 3; d++) {
        size_t named = 0;
        for (size_t i = 0; i < n; i++) {
            const char *f = row_file(&all[i], d);
            if (!f)
                continue;
            named++;
            char path[256];
            snprintf(path, sizeof path, "data/%s/%s", dirs[d], f);
            if (!is_file(path))
                fail_msg("%s: %s is missing", all[i].code, path);
        }
        char dir[64];
        snprintf(dir, sizeof dir, "data/%s", dirs[d]);
        DIR *dh = opendir(dir);
        assert_non_null(dh);
        size_t files = 0;
        for (struct dirent *de; (de = readdir(dh));) {
            if (de->d_name[0] == '.')
                continue;
            files++;
            int owned = 0;
            for (size_t i = 0; i < n && !owned; i++) {
                const char *f = row_file(&all[i], d);
                owned = f && !strcmp(f, de->d_name);
            }
            if (!owned)
                fail_msg("%s/%s belongs to no language row", dir, de->d_name);
        }
        closedir(dh);
        assert_int_equal(files, named);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row_found),
        cmocka_unit_test(test_known_rows),
        cmocka_unit_test(test_unknown_language),
        cmocka_unit_test(test_data_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
