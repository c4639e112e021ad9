/* Unit tests for synonyms/synonyms.c: the curated synonym table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../synonyms/synonyms.h"

static char dir[64];

static ss_analyzer *analyzer(void)
{
    ss_analyzer *a = NULL;
    char *err = NULL;
    assert_int_equal(ss_analyzer_create("en", "data/stop", &a, &err), SS_OK);
    free(err);
    return a;
}

static void write_tsv(const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/en.tsv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ss-syn-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/en.tsv", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

static void test_groups_expand_both_ways(void **state)
{
    (void)state;
    write_tsv("# comment\nMEMS\tmicroelectromechanical systems\n\n"
              "clean room\tcleanroom\tclean-rooms\n");
    ss_analyzer *a = analyzer();
    ss_synonyms *s = NULL;
    char *err = NULL;
    assert_int_equal(ss_synonyms_load(dir, a, &s, &err), SS_OK);
    const ss_syn *e = ss_synonyms_get(s, "mem"); /* "MEMS" stems to mem */
    assert_non_null(e);
    assert_string_equal(e->text, "MEMS");
    assert_int_equal(e->n, 1);
    assert_string_equal(e->to_text[0], "microelectromechanical systems");
    e = ss_synonyms_get(s, e->to[0]);
    assert_non_null(e);
    assert_string_equal(e->to_text[0], "MEMS");
    /* "clean-rooms" analyses like "cleanroom": one entry, two expansions */
    e = ss_synonyms_get(s, "clean room");
    assert_non_null(e);
    assert_int_equal(e->n, 1);
    assert_string_equal(e->to[0], "cleanroom");
    assert_non_null(strstr(e->source, "en.tsv:4"));
    assert_null(ss_synonyms_get(s, "nurs"));
    assert_int_equal(ss_synonyms_count(s), 4);
    for (size_t i = 1; i < ss_synonyms_count(s); i++)
        assert_true(strcmp(ss_synonyms_at(s, i - 1)->key,
                           ss_synonyms_at(s, i)->key) < 0);
    ss_synonyms_destroy(s);
    ss_analyzer_destroy(a);
}

static int expands_to(const ss_syn *e, const char *key)
{
    for (size_t i = 0; e && i < e->n; i++)
        if (!strcmp(e->to[i], key))
            return 1;
    return 0;
}

static void test_lines_sharing_a_term_join(void **state)
{
    (void)state;
    write_tsv("store keeper\tstorekeeper\n"
              "storekeeper\tinventory coordinator\n"
              "inventory coordinator\tstock controller\n"
              "chef\tcook\n");
    ss_analyzer *a = analyzer();
    ss_synonyms *s = NULL;
    char *err = NULL;
    assert_int_equal(ss_synonyms_load(dir, a, &s, &err), SS_OK);
    /* "store keeper" reaches the far end of the chain, and back */
    const ss_syn *e = ss_synonyms_get(s, "store keeper");
    assert_non_null(e);
    assert_int_equal(e->n, 3);
    assert_true(expands_to(e, "storekeep"));
    assert_true(expands_to(e, "inventori coordin"));
    assert_true(expands_to(e, "stock control"));
    assert_string_equal(e->source + strlen(e->source) - 8, "en.tsv:1");
    e = ss_synonyms_get(s, "stock control");
    assert_int_equal(e->n, 3);
    assert_true(expands_to(e, "store keeper"));
    /* an unrelated group stays apart */
    e = ss_synonyms_get(s, "chef");
    assert_int_equal(e->n, 1);
    assert_false(expands_to(e, "storekeep"));
    ss_synonyms_destroy(s);
    ss_analyzer_destroy(a);
}

static void test_bad_lines_name_file_and_line(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer();
    ss_synonyms *s = NULL;
    char *err = NULL;
    write_tsv("qa\tquality assurance\nlonely\n");
    assert_int_equal(ss_synonyms_load(dir, a, &s, &err), SS_ERR_INVALID);
    assert_null(s);
    assert_non_null(strstr(err, "en.tsv:2"));
    assert_non_null(strstr(err, "lonely"));
    free(err);
    err = NULL;
    write_tsv("the\tof\n"); /* stop words only */
    assert_int_equal(ss_synonyms_load(dir, a, &s, &err), SS_ERR_INVALID);
    assert_non_null(strstr(err, "no searchable words"));
    free(err);
    err = NULL;
    write_tsv("caf\xc3\tcoffee\n");
    assert_int_equal(ss_synonyms_load(dir, a, &s, &err), SS_ERR_INVALID);
    assert_non_null(strstr(err, "invalid UTF-8"));
    free(err);
    ss_analyzer_destroy(a);
}

static void test_missing_file_is_empty(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer();
    ss_synonyms *s = NULL;
    assert_int_equal(ss_synonyms_load("/nonexistent", a, &s, NULL), SS_OK);
    assert_int_equal(ss_synonyms_count(s), 0);
    assert_null(ss_synonyms_get(s, "x"));
    assert_null(ss_synonyms_at(s, 0));
    ss_synonyms_destroy(s);
    ss_synonyms_destroy(NULL);
    ss_analyzer_destroy(a);
}

static void test_shipped_table_loads(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer();
    ss_synonyms *s = NULL;
    char *err = NULL;
    assert_int_equal(ss_synonyms_load("data/synonyms", a, &s, &err), SS_OK);
    assert_true(ss_synonyms_count(s) > 100);
    assert_non_null(ss_synonyms_get(s, "cnc"));
    ss_synonyms_destroy(s);
    ss_analyzer_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_expand_both_ways),
        cmocka_unit_test(test_lines_sharing_a_term_join),
        cmocka_unit_test(test_bad_lines_name_file_and_line),
        cmocka_unit_test(test_missing_file_is_empty),
        cmocka_unit_test(test_shipped_table_loads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
