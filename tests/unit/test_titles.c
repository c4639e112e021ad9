/* Unit tests for query/titles.c: job-title noise and seniority lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../query/titles.h"

static ss_analyzer *analyzer(void)
{
    ss_analyzer *a = NULL;
    assert_int_equal(ss_analyzer_create("en", "data/stop", &a, NULL), SS_OK);
    return a;
}

static void test_shipped_lists(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer();
    ss_titles *t = NULL;
    char *err = NULL;
    assert_int_equal(ss_titles_load("data/titles", a, &t, &err), SS_OK);
    assert_int_equal(ss_titles_get(t, "urgent"), SS_TITLE_NOISE);
    assert_int_equal(ss_titles_get(t, "full time"), SS_TITLE_NOISE);
    assert_int_equal(ss_titles_get(t, "m/f"), SS_TITLE_NOISE);
    assert_int_equal(ss_titles_get(t, "senior"), SS_TITLE_SENIORITY);
    assert_int_equal(ss_titles_get(t, "nurs"), SS_TITLE_NONE);
    ss_titles_destroy(t);
    ss_titles_destroy(NULL);
    ss_analyzer_destroy(a);
}

/* A scan stops extending a span once no phrase goes on from its words. */
static void test_lookup_longer(void **state)
{
    (void)state;
    char dir[] = "/tmp/ss-titles-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/en.tsv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("boilerplate\tequal opportunity employer\n"
          "noise\tequal\n"
          "noise\tequalsign\n"
          "noise\tequally\n" /* the same key as equal */
          "boilerplate\tregardless of race\n",
          f);
    fclose(f);
    ss_analyzer *a = analyzer();
    ss_titles *t = NULL;
    assert_int_equal(ss_titles_load(dir, a, &t, NULL), SS_OK);
    int longer = -1;
    /* found, and a longer phrase goes on from it */
    assert_int_equal(ss_titles_lookup(t, "equal", &longer), SS_TITLE_NOISE);
    assert_int_equal(longer, 1);
    assert_int_equal(ss_titles_lookup(t, "equal opportun", &longer),
                     SS_TITLE_NONE);
    assert_int_equal(longer, 1);
    assert_int_equal(ss_titles_lookup(t, "equal opportun employ", &longer),
                     SS_TITLE_BOILERPLATE);
    assert_int_equal(longer, 0);
    /* "equalsign" starts with the letters, not the words */
    assert_int_equal(ss_titles_lookup(t, "equalsign", &longer),
                     SS_TITLE_NOISE);
    assert_int_equal(longer, 0);
    assert_int_equal(ss_titles_lookup(t, "regardless", &longer),
                     SS_TITLE_NONE);
    assert_int_equal(longer, 1);
    assert_int_equal(ss_titles_lookup(t, "zzz", &longer), SS_TITLE_NONE);
    assert_int_equal(longer, 0);
    assert_int_equal(ss_titles_lookup(NULL, "equal", &longer),
                     SS_TITLE_NONE);
    assert_int_equal(longer, 0);
    ss_titles_destroy(t);
    unlink(path);
    rmdir(dir);
    ss_analyzer_destroy(a);
}

static void test_bad_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/ss-titles-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/en.tsv", dir);
    ss_analyzer *a = analyzer();
    const char *cases[][2] = {
        {"noise urgent\n", "expected KIND<TAB>term"},
        {"# ok\nfluff\turgent\n", "en.tsv:2: kind 'fluff'"},
        {"noise\t...\n", "no searchable words"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(cases[i][0], f);
        fclose(f);
        ss_titles *t = NULL;
        char *err = NULL;
        assert_int_equal(ss_titles_load(dir, a, &t, &err), SS_ERR_INVALID);
        assert_null(t);
        assert_non_null(strstr(err, cases[i][1]));
        free(err);
    }
    unlink(path);
    ss_titles *t = NULL;
    assert_int_equal(ss_titles_load(dir, a, &t, NULL), SS_OK); /* no file */
    assert_int_equal(ss_titles_get(t, "urgent"), SS_TITLE_NONE);
    ss_titles_destroy(t);
    rmdir(dir);
    ss_analyzer_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_lists),
        cmocka_unit_test(test_lookup_longer),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
