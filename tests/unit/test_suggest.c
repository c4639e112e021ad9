/* test_suggest.c - label completion (query/suggest.c) over a small
 * in-memory catalogue: prefixes, ranking, one typo, normalisation, and the
 * precomputed answers for very common prefixes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../../query/suggest.h"

typedef struct row {
    const char *uri, *label, *alt; /* alt: newline-separated */
} row;

static const row k_occ[] = {
    {"http://x/occupation/o1", "microsystem engineer", "MEMS engineer"},
    {"http://x/occupation/o2", "microsystem engineering technician",
     "microsystems technician\nwire bonding technician"},
    {"http://x/occupation/o3", "civil engineer", "engineer, civil"},
    {"http://x/occupation/o4", "électricien", ""},
    {"http://x/occupation/o5", "C++ developer", "c++ programmer"},
    {"http://x/occupation/o6", "engineer", ""},
};
static const row k_skill[] = {
    {"http://x/skill/s1", "microsystem test procedures", ""},
    {"http://x/skill/s2", "engineering processes", "microsystem basics"},
    {"http://x/skill/s3", "wire bonding", ""},
    {"http://x/skill/s4", "self-employed bookkeeping", ""},
    {"http://x/skill/s5", "R&D management", "CAD/CAM software"},
};

static void insert(sqlite3 *db, const char *table, const row *r, size_t n)
{
    char sql[128];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s(uri, label, alt_labels) VALUES(?,?,?)", table);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_text(st, 1, r[i].uri, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, r[i].label, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r[i].alt, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

static sqlite3 *catalog(void)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE TABLE occupation(id INTEGER PRIMARY KEY, uri, "
                     "label, alt_labels);"
                     "CREATE TABLE skill(id INTEGER PRIMARY KEY, uri, label, "
                     "alt_labels);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    insert(db, "occupation", k_occ, sizeof k_occ / sizeof k_occ[0]);
    insert(db, "skill", k_skill, sizeof k_skill / sizeof k_skill[0]);
    return db;
}

static int setup(void **state)
{
    sqlite3 *db = catalog();
    ss_suggest *sg = NULL;
    char *err = NULL;
    assert_int_equal(ss_suggest_build(db, "en", &sg, &err), SS_OK);
    sqlite3_close(db);
    *state = sg;
    return 0;
}

static int teardown(void **state)
{
    ss_suggest_destroy(*state);
    return 0;
}

/* The labels suggested for q, of one kind (skill 0/1, -1 both), joined
 * by '|'. */
static char *labels_kind(const ss_suggest *sg, const char *q, int skill,
                         size_t max)
{
    ss_suggestion v[20];
    size_t n = 0;
    assert_int_equal(ss_suggest_lookup_kind(sg, q, strlen(q), skill, v, max,
                                            &n),
                     SS_OK);
    for (size_t i = 0; skill >= 0 && i < n; i++)
        assert_string_equal(v[i].type, skill ? "skill" : "occupation");
    assert_true(n <= max);
    static char buf[2048];
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(buf, "|");
        strcat(buf, v[i].label);
    }
    return buf;
}

static char *labels(const ss_suggest *sg, const char *q, size_t max)
{
    return labels_kind(sg, q, -1, max);
}

static void test_cases(void **state)
{
    /* query, max, expected labels in order */
    static const struct {
        const char *q;
        size_t max;
        const char *want;
    } cases[] = {
        /* preferred before alt, occupations before skills, label start
         * before inside, shorter first */
        {"microsys", 10,
         "microsystem engineer|microsystem engineering technician|"
         "microsystem test procedures|microsystem basics"},
        {"microsys", 2,
         "microsystem engineer|microsystem engineering technician"},
        {"microsystem eng", 10,
         "microsystem engineer|microsystem engineering technician"},
        {"Microsystem   ENG", 10,
         "microsystem engineer|microsystem engineering technician"},
        {"engineer", 10,
         "engineer|civil engineer|microsystem engineer|"
         "microsystem engineering technician|engineering processes"},
        {"wire bond", 10, "wire bonding|wire bonding technician"},
        {"mems", 10, "MEMS engineer"},
        /* accents and case fold as at index time */
        {"ELEC", 10, "électricien"},
        {"électr", 10, "électricien"},
        /* symbols stay in words */
        {"c++ dev", 10, "C++ developer"},
        {"c++ prog", 10, "c++ programmer"},
        {"c+", 10, "C++ developer"},
        {"r&d", 10, "R&D management"},
        {"cad/c", 10, "CAD/CAM software"},
        {"cad cam", 10, "CAD/CAM software"},
        {"r&d man", 10, "R&D management"},
        /* words as the analyser cuts them: compounds it splits are read
         * as their parts; apostrophes and typographic punctuation
         * separate */
        {"self emp", 10, "self-employed bookkeeping"},
        {"Self-Emp", 10, "self-employed bookkeeping"},
        {"employed", 10, "self-employed bookkeeping"},
        {"bookkeeping\xe2\x80\x94" "wire", 10, ""},
        {"wire\xe2\x80\x94" "bond", 10, "wire bonding|wire bonding technician"},
        {"engineer's", 10,
         "engineer|civil engineer|microsystem engineer|"
         "microsystem engineering technician|engineering processes"},
        /* one typo: swapped, missing, extra, wrong letter */
        {"mircosys", 10,
         "microsystem engineer|microsystem engineering technician|"
         "microsystem test procedures|microsystem basics"},
        {"microsytem eng", 10,
         "microsystem engineer|microsystem engineering technician"},
        {"civil enginer", 10, "civil engineer"},
        {"civvil", 10, "civil engineer"},
        {"xivil", 10, "civil engineer"},
        {"engineer civil", 10, "engineer, civil"},
        /* two typos, or nothing close: nothing */
        {"mrcosytem", 10, ""},
        {"qqqq", 10, ""},
        {"", 10, ""},
        {"  ,; ", 10, ""},
        {"mi", 0, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = labels(*state, cases[i].q, cases[i].max);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("suggest '%s': got '%s', want '%s'", cases[i].q, got,
                     cases[i].want);
    }
}

static void test_fields_and_invalid(void **state)
{
    ss_suggestion v[10];
    size_t n = 0;
    assert_int_equal(ss_suggest_lookup(*state, "mems", 4, v, 10, &n), SS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].preferred, "microsystem engineer");
    assert_string_equal(v[0].type, "occupation");
    assert_string_equal(v[0].uri, "http://x/occupation/o1");
    assert_string_equal(v[0].id, "o1");
    assert_int_equal(ss_suggest_lookup(*state, "wire bonding", 12, v, 10, &n),
                     SS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].type, "skill"); /* preferred before alt */
    assert_string_equal(v[1].type, "occupation");
    assert_int_equal(ss_suggest_lookup(*state, "\xff\xfe", 2, v, 10, &n),
                     SS_ERR_INVALID);
    assert_int_equal(n, 0);
    assert_int_equal(ss_suggest_lookup(*state, "a\0b", 3, v, 10, &n),
                     SS_ERR_INVALID);
    assert_int_equal(ss_suggest_lookup(NULL, "a", 1, v, 10, &n), SS_OK);
    assert_int_equal(n, 0);
}

/* A skill picker asks for skills only: occupations rank first and would
 * fill a mixed list. */
static void test_one_kind(void **state)
{
    assert_string_equal(labels(*state, "micro", 2),
                        "microsystem engineer|microsystem engineering "
                        "technician");
    assert_string_equal(labels_kind(*state, "micro", 1, 2),
                        "microsystem test procedures|microsystem basics");
    assert_string_equal(labels_kind(*state, "micro", 0, 10),
                        "microsystem engineer|microsystem engineering "
                        "technician");
    assert_string_equal(labels_kind(*state, "wire bnding", 0, 10),
                        "wire bonding technician"); /* one typo */
    assert_string_equal(labels_kind(*state, "bookkeeping", 0, 10), "");
}

/* Thousands of labels sharing a prefix go through the precomputed answers:
 * they must equal what ranking the whole range gives. */
static void test_common_prefix(void **state)
{
    (void)state;
    sqlite3 *db = catalog();
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "INSERT INTO skill(uri, label, alt_labels) "
                           "VALUES(?,?,'')",
                           -1, &st, NULL),
        SQLITE_OK);
    char uri[64], lab[64];
    for (int i = 0; i < 3000; i++) {
        snprintf(uri, sizeof uri, "http://x/skill/n%d", i);
        /* lengths vary with i; the shortest are i < 10 */
        snprintf(lab, sizeof lab, "quality %s%d", i % 2 ? "team " : "", i);
        sqlite3_bind_text(st, 1, uri, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, lab, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    ss_suggest *sg = NULL;
    assert_int_equal(ss_suggest_build(db, "en", &sg, NULL), SS_OK);
    sqlite3_close(db);
    const char *want = "quality 0|quality 2|quality 4|quality 6|quality 8|"
                       "quality 10|quality 12|quality 14|quality 16|quality 18";
    assert_string_equal(labels(sg, "q", 10), want);
    assert_string_equal(labels(sg, "qu", 10), want);
    assert_string_equal(labels(sg, "quality", 10), want);
    assert_string_equal(labels(sg, "quality 1", 3),
                        "quality 10|quality 12|quality 14");
    assert_string_equal(labels(sg, "team", 2),
                        "quality team 1|quality team 3");
    /* more than the precomputed 10: the range is ranked directly */
    /* a kind filter ranks the whole range, not the mixed precomputed list */
    assert_string_equal(labels_kind(sg, "q", 1, 10), want);
    assert_string_equal(labels_kind(sg, "q", 0, 10), "");
    const char *many = labels(sg, "quality", 12);
    assert_non_null(strstr(many, "|quality 20|quality 22"));
    ss_suggest_destroy(sg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fields_and_invalid, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_one_kind, setup, teardown),
        cmocka_unit_test(test_common_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
