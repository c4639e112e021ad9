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
    /* key, its kinds, whether a longer phrase goes on from its words */
    static const struct {
        const char *key;
        unsigned kinds;
        int longer;
    } cases[] = {
        {"equal", SS_TITLE_BIT(SS_TITLE_NOISE), 1},
        {"equal opportun", 0, 1},
        {"equal opportun employ", SS_TITLE_BIT(SS_TITLE_BOILERPLATE), 0},
        /* "equalsign" starts with the letters, not the words */
        {"equalsign", SS_TITLE_BIT(SS_TITLE_NOISE), 0},
        {"regardless", 0, 1},
        {"zzz", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int longer = -1;
        assert_int_equal(ss_titles_kinds(t, cases[i].key, &longer),
                         cases[i].kinds);
        assert_int_equal(longer, cases[i].longer);
    }
    int longer = -1;
    assert_int_equal(ss_titles_kinds(NULL, "equal", &longer), 0);
    assert_int_equal(longer, 0);
    ss_titles_destroy(t);
    unlink(path);
    rmdir(dir);
    ss_analyzer_destroy(a);
}

/* Titles declared in a field, with the shipped English lists: the text,
 * then the title read ("" for none). */
static void test_declared(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"Position: Amharic Teacher Salary: negotiable", "Amharic Teacher"},
        {"Vacancy announcement. Job Title: - Tour Travel Representative "
         "Required Number of Posts: 2",
         "Tour Travel Representative"},
        {"Position Title: Health officer Duty Station: Goro", "Health officer"},
        {"Position: HR/ Admin Officer Department: HR", "HR/ Admin Officer"},
        {"Job Position: IT officer Job Requirements B.A. degree", "IT officer"},
        {"Position: Hotel Manager\nPlace of Employment: Addis",
         "Hotel Manager"},
        {"Position: National Policy Officer (Resilience)",
         "National Policy Officer"},
        /* no trailing stop word; at most 8 words */
        {"Job Title: Teacher for High School and Preparatory and more words",
         "Teacher for High School and Preparatory"},
        /* not a title: a sentence, a number, a list, no colon, redacted */
        {"Position: To manage subscribers and their issues", ""},
        {"Open Position: 1 The government has set itself", ""},
        {"the following vacant job positions: Required Person: 5", ""},
        {"the position of the cashier is open", ""},
        {"Position: [REDACTED] for HIV Case Surveillance", ""},
        {"No marker at all here", ""},
        /* the first marker that declares one wins */
        {"Number of positions: 2. Position: Cashier", "Cashier"},
    };
    ss_analyzer *a = analyzer();
    ss_titles *t = NULL;
    assert_int_equal(ss_titles_load("data/titles", a, &t, NULL), SS_OK);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *text = cases[i][0];
        ss_terms w = {0};
        assert_int_equal(ss_terms_add(a, text, strlen(text), &w), SS_OK);
        size_t s = 0, e = 0;
        int found = ss_titles_declared(t, &w, text, strlen(text), &s, &e);
        char got[128] = "";
        if (found)
            snprintf(got, sizeof got, "%.*s", (int)(e - s), text + s);
        if (strcmp(got, cases[i][1]) != 0)
            fail_msg("'%s': read '%s', want '%s'", text, got, cases[i][1]);
        ss_terms_free(&w);
    }
    size_t s = 0, e = 0;
    ss_terms w = {0};
    assert_int_equal(ss_terms_add(a, "Position: Cook", 14, &w), SS_OK);
    assert_int_equal(ss_titles_declared(NULL, &w, "Position: Cook", 14, &s, &e),
                     0);
    ss_terms_free(&w);
    ss_titles_destroy(t);
    ss_analyzer_destroy(a);
}

/* The French and Dutch lists: a language is its row plus its files. */
static void test_declared_fr_nl(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"fr", "Nous recrutons.\nIntitulé du poste : Boulanger Lieu de "
               "travail : Lyon", "Boulanger"},
        {"fr", "Poste\xc2\xa0: Chef de cuisine\nSalaire : selon profil",
         "Chef de cuisine"},
        {"fr", "Nombre de postes : 2. Vos missions sont variées", ""},
        {"nl", "Wij zoeken collega's.\nFunctie: Bakker Standplaats: Gent",
         "Bakker"},
        {"nl", "Functietitel: Vrachtwagenchauffeur\nSalaris: volgens cao",
         "Vrachtwagenchauffeur"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ss_analyzer *a = NULL;
        ss_titles *t = NULL;
        assert_int_equal(
            ss_analyzer_create(cases[i][0], "data/stop", &a, NULL), SS_OK);
        assert_int_equal(ss_titles_load("data/titles", a, &t, NULL), SS_OK);
        const char *text = cases[i][1];
        ss_terms w = {0};
        assert_int_equal(ss_terms_add(a, text, strlen(text), &w), SS_OK);
        size_t s = 0, e = 0;
        char got[128] = "";
        if (ss_titles_declared(t, &w, text, strlen(text), &s, &e))
            snprintf(got, sizeof got, "%.*s", (int)(e - s), text + s);
        if (strcmp(got, cases[i][2]) != 0)
            fail_msg("%s '%s': read '%s', want '%s'", cases[i][0], text, got,
                     cases[i][2]);
        ss_terms_free(&w);
        ss_titles_destroy(t);
        ss_analyzer_destroy(a);
    }
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
        cmocka_unit_test(test_declared),
        cmocka_unit_test(test_declared_fr_nl),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
