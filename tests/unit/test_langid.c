/* test_langid.c - the language of short queries (query/langid.h) among
 * three small indexes: data/sample (en) and a few French and Dutch
 * occupations written here. Run from the repo root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../query/langid.h"
#include "sample_index.h"

#define HEADER                                                              \
    "conceptType,conceptUri,preferredLabel,iscoGroup,altLabels,"            \
    "hiddenLabels,status,description,code\n"
#define ROW(id, label, isco, alt, desc)                                     \
    "Occupation,http://data.europa.eu/esco/occupation/" id "," label ","    \
    isco ",\"" alt "\",,released,\"" desc "\"," isco ".1\n"

static const char FR[] = HEADER
    ROW("f1", "infirmier", "2221", "infirmier de bloc opératoire",
        "L'infirmier soigne les patients à l'hôpital.")
    ROW("f2", "développeur de logiciels", "2512", "programmeur",
        "Le développeur écrit des programmes informatiques.")
    ROW("f3", "boulanger", "7512", "boulangère",
        "Le boulanger fabrique du pain.");

static const char NL[] = HEADER
    ROW("n1", "verpleegkundige", "2221", "verpleger",
        "De verpleegkundige verzorgt patiënten in het ziekenhuis.")
    ROW("n2", "manager", "1120", "teamleider", "De manager leidt een team.")
    ROW("n3", "organisator van evenementen", "3332", "organisator",
        "Organiseert een evenement of een beurs.")
    ROW("n4", "bakker", "7512", "broodbakker", "De bakker bakt brood.");

static ss_searcher *g_fr, *g_nl;
static ss_langid *g_id;

/* Writes text as tmp/name/occupations_lang.csv, indexes it at tmp/name-ix
 * and opens a searcher on it; NULL after a message on failure. */
static ss_searcher *small_index(const char *name, const char *lang,
                                const char *text)
{
    char *dir = sample_path(&g_si, name), *csvp = NULL, *ix = NULL,
         *err = NULL;
    ss_esco_load_opts lo = {.warn = sample_warn};
    ss_esco *e = NULL;
    ss_searcher *s = NULL;
    FILE *f = NULL;
    ss_status st = SS_ERR_IO;
    if (dir && !mkdir(dir, 0700) &&
        asprintf(&csvp, "%s/occupations_%s.csv", dir, lang) > 0 &&
        asprintf(&ix, "%s-ix", dir) > 0 && (f = fopen(csvp, "w")) &&
        fputs(text, f) >= 0 && !fclose(f)) {
        f = NULL;
        st = ss_esco_load(dir, lang, &lo, &e, &err);
    }
    if (f)
        fclose(f);
    if (st == SS_OK)
        st = sample_publish(ix, e, &err);
    if (st == SS_OK)
        st = ss_searcher_open(ix, SAMPLE_DATA, &s, &err);
    if (st != SS_OK)
        fprintf(stderr, "%s index: %s\n", lang, err ? err : ss_strerror(st));
    ss_esco_destroy(e);
    free(err);
    free(ix);
    free(csvp);
    free(dir);
    return s;
}

static int setup(void **state)
{
    if (sample_group_setup(state))
        return -1;
    g_fr = small_index("fr", "fr", FR);
    g_nl = small_index("nl", "nl", NL);
    const char *langs[] = {"en", "fr", "nl"};
    ss_searcher *s[] = {g_si.s, g_fr, g_nl};
    char *err = NULL;
    if (!g_fr || !g_nl ||
        ss_langid_create(langs, s, 3, NULL, &g_id, &err) != SS_OK) {
        fprintf(stderr, "langid: %s\n", err ? err : "no index");
        free(err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    ss_langid_destroy(g_id);
    ss_searcher_destroy(g_fr);
    ss_searcher_destroy(g_nl);
    return sample_group_teardown(state);
}

/* The guess of method m for text; *why in whybuf (may be NULL). */
static const char *guess(ss_langid_method m, const char *text, char *whybuf,
                         size_t whysz)
{
    const char *lang = NULL;
    char *why = NULL, *err = NULL;
    ss_status st = ss_langid_guess_with(g_id, m, text, 0, &lang, &why, &err);
    if (st != SS_OK)
        fail_msg("'%s': %s", text, err ? err : ss_strerror(st));
    assert_non_null(why);
    if (whybuf)
        snprintf(whybuf, whysz, "%s", why);
    free(why);
    return lang;
}

static void test_coverage(void **state)
{
    (void)state;
    char why[256];
    assert_string_equal(guess(SS_LANGID_COVERAGE, "verpleegkundige", why,
                              sizeof why), "nl");
    assert_string_equal(why, "coverage: nl 1/1 words, en 0/1, fr 0/1");
    /* accents folded as the index folds them */
    assert_string_equal(guess(SS_LANGID_COVERAGE, "Infirmière de bloc", NULL,
                              0), "fr");
    assert_string_equal(guess(SS_LANGID_COVERAGE, "software developer", NULL,
                              0), "en");
    /* a closed compound of two indexed words */
    assert_string_equal(guess(SS_LANGID_COVERAGE, "evenementenmanager", why,
                              sizeof why), "nl");
    assert_non_null(strstr(why, "nl 1/1 words"));
}

static void test_library_breaks_ties(void **state)
{
    (void)state;
    char why[256];
    /* "manager" is in en and nl alike: CLD2 settles it */
    const char *l = guess(SS_LANGID_COVERAGE_CLD2, "manager", why,
                          sizeof why);
    assert_non_null(strstr(why, "tie broken by"));
    assert_true(!strcmp(l, "en") || !strcmp(l, "nl"));
    /* no tie: coverage alone */
    assert_string_equal(guess(SS_LANGID_DEFAULT, "bakker brood", why,
                              sizeof why), "nl");
    assert_null(strstr(why, "tie"));
}

static void test_libraries(void **state)
{
    (void)state;
    char why[256];
    assert_string_equal(guess(SS_LANGID_CLD2, "développeur de logiciels",
                              why, sizeof why), "fr");
    assert_string_equal(why, "cld2: fr (reliable)");
    assert_string_equal(guess(SS_LANGID_TEXTCAT,
                              "le développeur de logiciels", why,
                              sizeof why), "fr");
    assert_non_null(strstr(why, "textcat: fr (distance "));
    /* every method answers one of the loaded languages */
    for (int m = 0; m < SS_LANGID_NMETHODS; m++) {
        const char *l = guess(m, "qwxz", NULL, 0);
        assert_true(!strcmp(l, "en") || !strcmp(l, "fr") || !strcmp(l, "nl"));
        assert_string_not_equal(ss_langid_method_name(m), "?");
    }
}

static void test_no_words(void **state)
{
    (void)state;
    char why[256];
    for (int m = 0; m < SS_LANGID_NMETHODS; m++) {
        assert_string_equal(guess(m, "", NULL, 0), "en"); /* the first */
        assert_string_equal(guess(m, " 42 !", why, sizeof why), "en");
    }
    assert_string_equal(guess(SS_LANGID_COVERAGE, "2024", why, sizeof why),
                        "en");
    assert_string_equal(why, "no words: default language");
}

static void test_invalid(void **state)
{
    (void)state;
    const char *lang = NULL;
    char *why = NULL, *err = NULL;
    assert_int_equal(ss_langid_guess(g_id, "caf\xc3", 4, &lang, &why, &err),
                     SS_ERR_INVALID);
    assert_non_null(err);
    assert_null(why);
    free(err);
    err = NULL;
    assert_int_equal(ss_langid_guess_with(g_id, SS_LANGID_NMETHODS, "a", 1,
                                          &lang, &why, &err),
                     SS_ERR_INVALID);
    free(err);
}

static void test_create_errors(void **state)
{
    (void)state;
    ss_langid *id = (ss_langid *)1;
    char *err = NULL;
    const char *dup[] = {"en", "en"}, *bad[] = {"xx"};
    ss_searcher *s[] = {g_si.s, g_si.s};
    assert_int_equal(ss_langid_create(dup, s, 2, NULL, &id, &err),
                     SS_ERR_INVALID);
    assert_null(id);
    assert_non_null(strstr(err, "twice"));
    free(err);
    err = NULL;
    assert_int_equal(ss_langid_create(bad, s, 1, NULL, &id, &err),
                     SS_ERR_INVALID);
    assert_non_null(strstr(err, "unknown language"));
    free(err);
    err = NULL;
    assert_int_equal(ss_langid_create(bad, s, 0, NULL, &id, &err),
                     SS_ERR_INVALID);
    free(err);
    /* without textcat profiles textcat never answers; the rest works */
    const char *en[] = {"en"};
    assert_int_equal(ss_langid_create(en, s, 1, "/nonexistent", &id, NULL),
                     SS_OK);
    const char *lang;
    char *why = NULL;
    assert_int_equal(ss_langid_guess_with(id, SS_LANGID_TEXTCAT, "nurse", 0,
                                          &lang, &why, NULL),
                     SS_OK);
    assert_string_equal(lang, "en");
    assert_string_equal(why, "textcat: no profile; default language");
    free(why);
    ss_langid_destroy(id);
    ss_langid_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_library_breaks_ties),
        cmocka_unit_test(test_libraries),
        cmocka_unit_test(test_no_words),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_create_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
