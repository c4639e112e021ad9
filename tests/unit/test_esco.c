/* test_esco.c - loading an ESCO CSV download (indexer/esco.c).
 *
 * Always: data/sample (our own ESCO-format sample) and the small fixtures
 * in tests/data/esco/. With ESCO_DIR set (the real v1.1.1-en download), also
 * the full English set and, when they sit next to it, ../v1.2-nl and
 * ../v1.1.1-fr. Run from the repo root, or set SS_TEST_DIR to tests/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../../indexer/esco.h"

#define OCC "http://data.europa.eu/esco/occupation/"
#define SKILL "http://data.europa.eu/esco/skill/"
#define ISCO "http://data.europa.eu/esco/isco/C"

static const char *test_dir(void)
{
    const char *d = getenv("SS_TEST_DIR");
    return d && *d ? d : "tests";
}

static char *in_tests(const char *rel)
{
    char *p = NULL;
    assert_true(asprintf(&p, "%s/%s", test_dir(), rel) > 0);
    return p;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("expected \"%s\" in \"%s\"", needle, hay ? hay : "(null)");
}

/* ------------------------------------------------- captured callbacks */

typedef struct warning {
    char *file, *field, *msg;
    unsigned long line;
} warning;

typedef struct capture {
    warning *w;
    size_t n, cap;
    unsigned long long last_done, total;
    unsigned ncalls, nonmonotonic;
} capture;

static void on_warn(void *ctx, const char *file, unsigned long line,
                    const char *field, const char *msg)
{
    capture *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->w = realloc(c->w, c->cap * sizeof *c->w);
        assert_non_null(c->w);
    }
    c->w[c->n++] = (warning){strdup(file), strdup(field), strdup(msg), line};
}

static void on_progress(void *ctx, unsigned long long done,
                        unsigned long long total)
{
    capture *c = ctx;
    if (done < c->last_done || done > total)
        c->nonmonotonic++;
    c->last_done = done;
    c->total = total;
    c->ncalls++;
}

static void capture_free(capture *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->w[i].file);
        free(c->w[i].field);
        free(c->w[i].msg);
    }
    free(c->w);
}

static ss_esco *load(const char *dir, const char *lang, capture *cap)
{
    ss_esco_load_opts o = {on_warn, on_progress, cap};
    ss_esco *e = NULL;
    char *err = NULL;
    ss_status st = ss_esco_load(dir, lang, &o, &e, &err);
    if (st != SS_OK)
        fail_msg("load %s: %s", dir, err ? err : ss_strerror(st));
    assert_int_equal(e->nwarnings, cap->n);
    return e;
}

static int has(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

static const ss_esco_rel *find_rel(const ss_esco *e, const char *occ,
                                   const char *skill)
{
    long o = ss_esco_find_occ(e, occ), s = ss_esco_find_skill(e, skill);
    assert_true(o >= 0);
    assert_true(s >= 0);
    for (size_t i = 0; i < e->nrel; i++)
        if (e->rel[i].occ == (unsigned)o && e->rel[i].skill == (unsigned)s)
            return &e->rel[i];
    return NULL;
}

/* Invariants every load must keep. */
static void check_invariants(const ss_esco *e)
{
    for (size_t i = 0; i < e->nocc; i++) {
        const ss_esco_concept *c = &e->occ[i];
        if (i)
            assert_true(strcmp(e->occ[i - 1].uri, c->uri) < 0);
        assert_int_equal(ss_esco_find_occ(e, c->uri), (long)i);
        assert_non_null(c->label);
        assert_non_null(c->description);
        assert_non_null(c->skill_type);
        for (size_t k = 0; k < c->nalt; k++) {
            assert_true(c->alt[k][0] != '\0');
            assert_string_not_equal(c->alt[k], c->label);
            assert_null(strchr(c->alt[k], '\n'));
        }
        for (size_t k = 0; k < c->nhidden; k++)
            assert_false(has(c->alt, c->nalt, c->hidden[k]));
    }
    for (size_t i = 0; i < e->nskill; i++) {
        if (i)
            assert_true(strcmp(e->skill[i - 1].uri, e->skill[i].uri) < 0);
        assert_int_equal(ss_esco_find_skill(e, e->skill[i].uri), (long)i);
    }
    for (size_t i = 0; i < e->nrel; i++) {
        assert_true(e->rel[i].occ < e->nocc);
        assert_true(e->rel[i].skill < e->nskill);
        assert_true(e->rel[i].essential <= 1);
        if (i) { /* sorted by (occ, skill), no repeats */
            const ss_esco_rel *a = &e->rel[i - 1], *b = &e->rel[i];
            assert_true(a->occ < b->occ ||
                        (a->occ == b->occ && a->skill < b->skill));
        }
    }
    for (size_t i = 0; i < e->nskillrel; i++) {
        assert_true(e->skillrel[i].from < e->nskill);
        assert_true(e->skillrel[i].to < e->nskill);
    }
    for (size_t i = 1; i < e->nisco; i++)
        assert_true(strcmp(e->isco[i - 1].code, e->isco[i].code) < 0);
    for (size_t i = 0; i < e->nisco; i++)
        assert_true(e->isco[i].parent_uri[0] || strlen(e->isco[i].code) == 1);
    assert_int_equal(ss_esco_find_occ(e, OCC "no-such-uri"), -1);
    assert_int_equal(ss_esco_find_skill(e, ""), -1);
}

/* ------------------------------------------------------ sample data */

/* Concepts of data/sample and what loading must make of them. */
static const struct concept_case {
    int occ; /* 1 occupation, 0 skill */
    const char *uri, *label, *isco, *type, *reuse;
    size_t nalt;
    const char *alt, *hidden, *in_desc;
} SAMPLE[] = {
    {1, OCC "26e1add0-da3f-4ed6-aa91-791cb550146f",
     "microsystem engineering technician", "3114", "", "", 4,
     "MEMS technician", NULL, "cleanroom"},
    {1, OCC "7f0fe7d3-54c6-41e9-88ba-9d4f0f1a46b4", "microsystem engineer",
     "2152", "", "", 4, "MEMS engineer", NULL, NULL},
    {1, OCC "f2b15a0e-e65a-438a-affb-29b9d50b77d1", "software developer",
     "2512", "", "", 6, "C++ developer", "softwear developer", "C++, C#"},
    {1, OCC "90f75f67-495d-49fa-ab57-2f320e251d7e", "cook", "5120", "", "",
     3, "line cook", NULL, "<span property=\"http://www.w3.org"},
    {1, OCC "45037d43-a8f5-4f46-b332-b2935bc305f4", "cargo vehicle driver",
     "8332", "", "", 6, "truck driver", "truk driver", NULL},
    {0, SKILL "07e1799a-82c2-4877-9b43-1499812c5619", "wear cleanroom suit",
     "", "skill/competence", "cross-sector", 3, "wear clean room suit",
     "wear clean-room suit", NULL},
    {0, SKILL "b8b2a035-38f0-4c0e-94ee-edefc266c643",
     "microelectromechanical systems", "", "knowledge", "sector-specific", 3,
     "MEMS", NULL, NULL},
    {0, SKILL "dc13a28b-39fd-4090-9e66-53a6003445a5",
     "package microelectromechanical systems", "", "skill/competence",
     "occupation-specific", 3, "MEMS packaging", NULL, NULL},
    {0, SKILL "60c78287-22eb-4103-9c8c-28deaa460da0", "work in teams", "",
     "skill/competence", "transversal", 3, "teamwork", NULL, NULL},
    {0, SKILL "629685b8-5f9e-4522-8cff-b3e2c4ec625a",
     "digital data processing", "", "", "", 2, "process digital data", NULL,
     NULL},
    {0, SKILL "1360adb0-ad14-5461-9ced-3c3ac3b180b7", "perform wire bonding",
     "", "skill/competence", "occupation-specific", 4, "wire bonding", NULL,
     "pull-test"},
    {0, SKILL "b633eb55-8f1f-4ae6-ab4c-2022ffe2cb7f", "C++", "", "knowledge",
     "sector-specific", 3, "C plus plus", "cplusplus", NULL},
};

static const struct rel_case {
    const char *occ, *skill;
    int essential; /* -1: must be absent */
} SAMPLE_REL[] = {
    {OCC "26e1add0-da3f-4ed6-aa91-791cb550146f",
     SKILL "07e1799a-82c2-4877-9b43-1499812c5619", 1},
    {OCC "26e1add0-da3f-4ed6-aa91-791cb550146f",
     SKILL "1360adb0-ad14-5461-9ced-3c3ac3b180b7", 1},
    {OCC "26e1add0-da3f-4ed6-aa91-791cb550146f",
     SKILL "136596a4-00b5-4ed3-bb6e-717198c1ccbe", 0},
    {OCC "30641348-f9f2-4fe5-ab8c-fe6ff9931a54",
     SKILL "07e1799a-82c2-4877-9b43-1499812c5619", 0},
    {OCC "1aadb308-432a-4d01-b54b-b4f7f76dd419",
     SKILL "07e1799a-82c2-4877-9b43-1499812c5619", -1},
};

static void test_sample(void **state)
{
    (void)state;
    capture cap = {0};
    char *dir = in_tests("../data/sample");
    ss_esco *e = load(dir, "en", &cap);
    check_invariants(e);
    assert_string_equal(e->lang, "en");
    assert_int_equal(e->nocc, 27);
    assert_int_equal(e->nskill, 80);
    assert_int_equal(e->nrel, 172);
    assert_int_equal(e->nskillrel, 12);
    assert_int_equal(e->nisco, 72);
    assert_int_equal(e->nskillgroup, 118);
    assert_int_equal(e->nbroader, 196); /* 2 skill -> skill */
    size_t ess = 0;
    for (size_t i = 0; i < e->nrel; i++)
        ess += e->rel[i].essential;
    assert_int_equal(ess, 108);

    /* the one relation to an occupation missing from occupations_en.csv */
    assert_int_equal(cap.n, 1);
    assert_contains(cap.w[0].file, "occupationSkillRelations.csv");
    assert_int_equal(cap.w[0].line, 131);
    assert_string_equal(cap.w[0].field, "occupationUri");
    assert_contains(cap.w[0].msg, "a9e54177-a185-404d-b6e6-15663d31137e");

    /* progress: monotonic, ends at the total */
    assert_true(cap.ncalls >= 2);
    assert_int_equal(cap.nonmonotonic, 0);
    assert_true(cap.total > 0);
    assert_int_equal(cap.last_done, cap.total);

    for (size_t k = 0; k < sizeof SAMPLE / sizeof SAMPLE[0]; k++) {
        const struct concept_case *t = &SAMPLE[k];
        long i = t->occ ? ss_esco_find_occ(e, t->uri)
                        : ss_esco_find_skill(e, t->uri);
        if (i < 0)
            fail_msg("%s not found", t->label);
        const ss_esco_concept *c = t->occ ? &e->occ[i] : &e->skill[i];
        assert_string_equal(c->label, t->label);
        assert_string_equal(c->isco, t->isco);
        assert_string_equal(c->skill_type, t->type);
        assert_string_equal(c->reuse_level, t->reuse);
        assert_string_equal(c->status, "released");
        if (c->nalt != t->nalt)
            fail_msg("%s: %zu alt labels, want %zu", t->label, c->nalt,
                     t->nalt);
        assert_true(has(c->alt, c->nalt, t->alt));
        if (t->hidden) {
            assert_int_equal(c->nhidden, 1);
            assert_string_equal(c->hidden[0], t->hidden);
        } else {
            assert_int_equal(c->nhidden, 0);
        }
        if (t->in_desc)
            assert_contains(c->description, t->in_desc);
    }
    long mst = ss_esco_find_occ(e, OCC "26e1add0-da3f-4ed6-aa91-791cb550146f");
    assert_string_equal(e->occ[mst].code, "3114.1.8");

    for (size_t k = 0; k < sizeof SAMPLE_REL / sizeof SAMPLE_REL[0]; k++) {
        const ss_esco_rel *r = find_rel(e, SAMPLE_REL[k].occ,
                                        SAMPLE_REL[k].skill);
        if (SAMPLE_REL[k].essential < 0) {
            assert_null(r);
        } else {
            assert_non_null(r);
            assert_int_equal(r->essential, SAMPLE_REL[k].essential);
        }
    }
    size_t nmst = 0;
    for (size_t i = 0; i < e->nrel; i++)
        nmst += e->rel[i].occ == (unsigned)mst;
    assert_int_equal(nmst, 18);

    /* ISCO: positional parents, roots have none */
    static const struct {
        const char *code, *parent;
    } isco[] = {{"3114", ISCO "311"}, {"311", ISCO "31"}, {"31", ISCO "3"},
                {"3", ""}, {"2152", ISCO "215"}};
    for (size_t k = 0; k < sizeof isco / sizeof isco[0]; k++) {
        const ss_esco_group *g = NULL;
        for (size_t i = 0; i < e->nisco; i++)
            if (strcmp(e->isco[i].code, isco[k].code) == 0)
                g = &e->isco[i];
        assert_non_null(g);
        assert_string_equal(g->parent_uri, isco[k].parent);
        assert_true(g->label[0] != '\0');
    }

    /* skill groups: 4 pillar roots; parents and codes from the hierarchy */
    size_t roots = 0;
    for (size_t i = 0; i < e->nskillgroup; i++) {
        const ss_esco_group *g = &e->skillgroup[i];
        roots += g->parent_uri[0] == '\0';
        if (i)
            assert_true(strcmp(e->skillgroup[i - 1].uri, g->uri) < 0);
        if (strstr(g->uri, "/skill/") && g->parent_uri[0])
            assert_true(g->code[0] != '\0');
    }
    assert_int_equal(roots, 4);

    /* broader: each skill points at a group */
    size_t wcs = 0;
    for (size_t i = 0; i < e->nbroader; i++)
        if (strcmp(e->broader[i].uri,
                   SKILL "07e1799a-82c2-4877-9b43-1499812c5619") == 0)
            wcs++;
    assert_int_equal(wcs, 1);

    ss_esco_destroy(e);
    capture_free(&cap);
    free(dir);
}

/* Default warn callback (stderr) and NULL opts must work too. */
static void test_sample_no_opts(void **state)
{
    (void)state;
    ss_esco *e = NULL;
    char *dir = in_tests("../data/sample");
    assert_int_equal(ss_esco_load(dir, "en", NULL, &e, NULL), SS_OK);
    free(dir);
    assert_int_equal(e->nwarnings, 1);
    ss_esco_destroy(e);
    ss_esco_destroy(NULL);
}

/* ------------------------------------------------------ fixtures */

static const struct warn_case {
    const char *file, *field;
    unsigned long line;
    const char *in_msg;
} QUIRK_WARNINGS[] = {
    {"occupations_xx.csv", "conceptUri", 9, "duplicate URI"},
    {"occupations_xx.csv", "conceptUri", 10, "empty URI"},
    {"occupations_xx.csv", "iscoGroup", 11, "'31x4'"},
    {"occupationSkillRelations_xx.csv", "relationType", 3, "'mandatory'"},
    {"occupationSkillRelations_xx.csv", "skillUri", 4, "unknown skill"},
    {"occupationSkillRelations_xx.csv", "relationType", 5,
     "duplicate relation"},
};

/* v1.2-style names (relations with _<lang>), extra columns in another
 * order, and every kind of bad row. */
static void test_quirks(void **state)
{
    (void)state;
    char *dir = in_tests("data/esco/quirks");
    capture cap = {0};
    ss_esco *e = load(dir, "xx", &cap);
    check_invariants(e);
    assert_int_equal(e->nocc, 3);
    assert_int_equal(e->nskill, 2);
    assert_int_equal(e->nrel, 2);
    assert_int_equal(e->nskillrel, 1);
    assert_int_equal(e->nisco, 0);
    assert_int_equal(e->nskillgroup, 0);

    size_t nw = sizeof QUIRK_WARNINGS / sizeof QUIRK_WARNINGS[0];
    assert_int_equal(cap.n, nw);
    for (size_t k = 0; k < nw; k++) {
        const struct warn_case *w = &QUIRK_WARNINGS[k];
        size_t i = 0;
        while (i < cap.n && !(strstr(cap.w[i].file, w->file) &&
                              cap.w[i].line == w->line &&
                              strcmp(cap.w[i].field, w->field) == 0))
            i++;
        if (i == cap.n)
            fail_msg("no warning %s:%lu %s", w->file, w->line, w->field);
        assert_contains(cap.w[i].msg, w->in_msg);
    }

    /* first row of a repeated URI wins; alt labels cleaned */
    const ss_esco_concept *a = &e->occ[0];
    assert_string_equal(a->label, "wafer prober");
    assert_string_equal(a->isco, "3114");
    assert_int_equal(a->nalt, 2);
    assert_string_equal(a->alt[0], "probe station operator");
    assert_string_equal(a->alt[1], "wafer test operator");
    assert_int_equal(a->nhidden, 1);
    assert_string_equal(a->hidden[0], "wafer probe operator");
    assert_string_equal(a->scope_note, ""); /* absent column */
    assert_string_equal(e->occ[2].isco, "31x4");
    assert_string_equal(e->skill[1].skill_type, "");

    assert_int_equal(e->rel[0].occ, 0);
    assert_int_equal(e->rel[0].skill, 0);
    assert_int_equal(e->rel[0].essential, 1);
    assert_int_equal(e->rel[1].occ, 1);
    assert_int_equal(e->rel[1].essential, 0);
    assert_int_equal(e->skillrel[0].from, 1);
    assert_int_equal(e->skillrel[0].to, 0);
    assert_int_equal(e->skillrel[0].essential, 1);
    ss_esco_destroy(e);
    capture_free(&cap);
    free(dir);
}

static const struct fail_case {
    const char *dir, *lang;
    ss_status st;
    const char *needles[3];
} FAILS[] = {
    {"data/esco/broken_delim", "en", SS_ERR_INVALID,
     {"occupations_en.csv", "missing required column 'conceptUri'",
      "comma-separated"}},
    {"data/esco/broken_rel", "en", SS_ERR_INVALID,
     {"occupationSkillRelations.csv:3: field 'relationType'",
      "unterminated", NULL}},
    {"data/esco/no_occupations", "en", SS_ERR_NOT_FOUND,
     {"no_occupations", "occupations_en.csv", NULL}},
    {"data/esco/no-such-dir", "en", SS_ERR_NOT_FOUND,
     {"no-such-dir", NULL, NULL}},
    {"data/esco/quirks", "../x", SS_ERR_INVALID, {"language", NULL, NULL}},
    {"data/esco/quirks", "de", SS_ERR_NOT_FOUND,
     {"occupations_de.csv", NULL, NULL}},
};

static void test_failures(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof FAILS / sizeof FAILS[0]; k++) {
        char *dir = in_tests(FAILS[k].dir);
        capture cap = {0};
        ss_esco_load_opts o = {on_warn, on_progress, &cap};
        ss_esco *e = (ss_esco *)&cap; /* must be reset to NULL */
        char *err = NULL;
        ss_status st = ss_esco_load(dir, FAILS[k].lang, &o, &e, &err);
        if (st != FAILS[k].st)
            fail_msg("%s: status %d, want %d (%s)", FAILS[k].dir, st,
                     FAILS[k].st, err ? err : "");
        assert_null(e);
        for (int i = 0; i < 3 && FAILS[k].needles[i]; i++)
            assert_contains(err, FAILS[k].needles[i]);
        free(err);
        capture_free(&cap);
        free(dir);
    }
}

/* ------------------------------------------------------ real data */

static const char *esco_dir(void)
{
    const char *d = getenv("ESCO_DIR");
    return d && *d ? d : NULL;
}

/* ESCO_DIR/../name if it is a directory, else NULL (caller frees). */
static char *sibling(const char *name)
{
    char *copy = strdup(esco_dir());
    char *p = NULL;
    assert_true(asprintf(&p, "%s/%s", dirname(copy), name) > 0);
    free(copy);
    struct stat sb;
    if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        free(p);
        return NULL;
    }
    return p;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_real_en(void **state)
{
    (void)state;
    if (!esco_dir())
        skip();
    capture cap = {0};
    double t0 = now();
    ss_esco *e = load(esco_dir(), "en", &cap);
    printf("# loaded %s in %.3f s\n", esco_dir(), now() - t0);
    check_invariants(e);
    assert_int_equal(e->nocc, 3007);
    assert_int_equal(e->nskill, 13896);
    /* 123,855 rows, minus the 67 of occupation a9e54177 (not in the file) */
    assert_int_equal(e->nrel, 123855 - 67);
    assert_int_equal(e->nskillrel, 5899);
    assert_int_equal(e->nisco, 619);
    assert_int_equal(e->nskillgroup, 640);
    assert_int_equal(e->nbroader, 20656);
    assert_int_equal(cap.n, 67);
    for (size_t i = 0; i < cap.n; i++) {
        assert_string_equal(cap.w[i].field, "occupationUri");
        assert_contains(cap.w[i].msg, "a9e54177-a185-404d-b6e6-15663d31137e");
        assert_true(cap.w[i].line >= 84425 && cap.w[i].line <= 84491);
    }
    size_t empty_type = 0;
    for (size_t i = 0; i < e->nskill; i++)
        empty_type += e->skill[i].skill_type[0] == '\0';
    assert_int_equal(empty_type, 6);
    size_t ess = 0;
    for (size_t i = 0; i < e->nrel; i++)
        ess += e->rel[i].essential;
    assert_int_equal(ess, 64946 - 55); /* 55 of the 67 skipped: essential */

    /* shared expectations with the sample */
    for (size_t k = 0; k < sizeof SAMPLE_REL / sizeof SAMPLE_REL[0]; k++) {
        if (strstr(SAMPLE_REL[k].skill, "1360adb0")) /* made-up skill */
            continue;
        const ss_esco_rel *r = find_rel(e, SAMPLE_REL[k].occ,
                                        SAMPLE_REL[k].skill);
        if (SAMPLE_REL[k].essential < 0)
            assert_null(r);
        else
            assert_non_null(r);
    }
    long i = ss_esco_find_occ(e, OCC "26e1add0-da3f-4ed6-aa91-791cb550146f");
    assert_string_equal(e->occ[i].label, "microsystem engineering technician");
    assert_string_equal(e->occ[i].isco, "3114");
    assert_true(has(e->occ[i].alt, e->occ[i].nalt, "MEMS technician"));
    ss_esco_destroy(e);
    capture_free(&cap);
}

static void test_real_nl(void **state)
{
    (void)state;
    char *dir = esco_dir() ? sibling("v1.2-nl") : NULL;
    if (!dir)
        skip();
    capture cap = {0};
    ss_esco *e = load(dir, "nl", &cap);
    check_invariants(e);
    assert_int_equal(e->nocc, 3043 - 4);
    assert_int_equal(e->nskill, 0);
    assert_int_equal(e->nrel, 0);
    assert_int_equal(e->nskillrel, 0); /* no skills file: relations skipped */
    assert_int_equal(e->nisco, 619);
    assert_int_equal(e->nskillgroup, 640);
    static const unsigned long dup_lines[] = {7975, 9671, 18400, 19136};
    assert_int_equal(cap.n, 4);
    for (size_t k = 0; k < 4; k++) {
        assert_contains(cap.w[k].file, "occupations_nl.csv");
        assert_string_equal(cap.w[k].field, "conceptUri");
        assert_contains(cap.w[k].msg, "duplicate URI");
        assert_int_equal(cap.w[k].line, dup_lines[k]);
    }
    ss_esco_destroy(e);
    capture_free(&cap);
    free(dir);
}

static void test_real_fr(void **state)
{
    (void)state;
    char *dir = esco_dir() ? sibling("v1.1.1-fr") : NULL;
    if (!dir)
        skip();
    capture cap = {0};
    ss_esco *e = load(dir, "fr", &cap);
    check_invariants(e);
    assert_int_equal(e->nocc, 3007);
    assert_int_equal(e->nskill, 0);
    assert_int_equal(e->nisco, 619);
    assert_int_equal(cap.n, 0);
    long i = ss_esco_find_occ(e, OCC "26e1add0-da3f-4ed6-aa91-791cb550146f");
    assert_true(i >= 0);
    assert_string_equal(e->occ[i].isco, "3114");
    ss_esco_destroy(e);
    capture_free(&cap);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_sample_no_opts),
        cmocka_unit_test(test_quirks),
        cmocka_unit_test(test_failures),
        cmocka_unit_test(test_real_en),
        cmocka_unit_test(test_real_nl),
        cmocka_unit_test(test_real_fr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
