/* test_match.c - job ads and CVs -> occupations and skill spans, through
 * the public API (query/match.h) on the data/sample index, built once per
 * run without word vectors (sample_index.h). The ads are the ones of
 * tests/data/ads/. Run from the repo root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../query/hits_json.h"
#include "../../query/match.h"
#include "../../query/params.h"
#include "sample_index.h"

#define OCC "http://data.europa.eu/esco/occupation/"
#define SKILL "http://data.europa.eu/esco/skill/"
#define TECHNICIAN OCC "26e1add0-da3f-4ed6-aa91-791cb550146f"
#define MS_ENGINEER OCC "7f0fe7d3-54c6-41e9-88ba-9d4f0f1a46b4"
#define BAKER OCC "1aadb308-432a-4d01-b54b-b4f7f76dd419"
#define COOK OCC "90f75f67-495d-49fa-ab57-2f320e251d7e"

static char *read_ad(const char *name)
{
    char *path = NULL, *buf = NULL;
    size_t cap = 0;
    assert_true(asprintf(&path, "tests/data/ads/%s", name) > 0);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run from the repo root)", path);
    ssize_t n = getdelim(&buf, &cap, '\0', f);
    assert_true(n > 0);
    fclose(f);
    free(path);
    return buf;
}

/* Matches; fails the test with the error message unless it succeeds. */
static void match_ok(const ss_match_req *req, ss_match *m)
{
    char *err = NULL;
    ss_status st = ss_searcher_match(g_si.s, req, m, &err);
    if (st != SS_OK)
        fail_msg("match: %s", err ? err : ss_strerror(st));
}

/* What every match must be: ranked occupations with non-increasing scores;
 * skills that are sample skills, with spans inside the text, each starting
 * and ending on a word; the labels named left to right and not
 * overlapping, the skills linked to a sentence in the sentence's place. */
static void assert_sane(const char *text, size_t len, const ss_match *m)
{
    const ss_hits *h = &m->hits;
    assert_true(h->total_estimate >= h->n);
    assert_true(h->n == 0 || m->fusion != NULL);
    /* "fusion" (--features) holds what each score was fused from: the
     * score follows from it, but for a title lifted above a noisy body */
    const ss_params *p = ss_params_get(SS_KIND_OCC);
    int untitled = m->read_as == SS_READ_UNTITLED, exact = 0;
    for (size_t i = 0; i < h->n; i++) {
        const double *f = m->fusion[i];
        for (size_t k = 0; k < SS_FUSE_NFEAT; k++)
            assert_true(f[k] >= (k == SS_FUSE_TITLE_RANK ||
                                         k == SS_FUSE_BODY_RANK
                                     ? -1
                                     : 0));
        assert_true(f[SS_FUSE_EXACT] == 0 || f[SS_FUSE_EXACT] == 1);
        exact += f[SS_FUSE_EXACT] == 1;
        int guarded = 0;
        for (size_t r = 0; r < h->v[i].nreasons; r++)
            guarded |= !strcmp(h->v[i].reasons[r], "the title is its label");
        double want =
            (untitled ? p->w_opening : p->w_title) * f[SS_FUSE_TITLE] +
            p->w_mention * f[SS_FUSE_NAMED] +
            (untitled ? p->untitled_w_body : p->w_body) * f[SS_FUSE_BODY] +
            p->w_skills * f[SS_FUSE_SKILLS];
        if (!guarded)
            assert_float_equal(h->v[i].score, want, 1e-9);
    }
    assert_true(exact <= 1);
    for (size_t i = 0; i < h->n; i++) {
        assert_string_equal(h->v[i].type, "occupation");
        assert_true(ss_esco_find_occ(g_si.esco, h->v[i].uri) >= 0);
        assert_true(h->v[i].score > 0);
        if (i > 0)
            assert_true(h->v[i].score <= h->v[i - 1].score);
    }
    for (size_t i = 0; i < m->nskills; i++) {
        const ss_skill_span *sp = &m->skills[i];
        long k = ss_esco_find_skill(g_si.esco, sp->uri);
        assert_true(k >= 0);
        assert_string_equal(sp->label, g_si.esco->skill[k].label);
        assert_true(sp->confidence > 0 && sp->confidence <= 1);
        assert_true(sp->start < sp->end && sp->end <= len);
        assert_true(isalnum((unsigned char)text[sp->start]));
        assert_true(isalnum((unsigned char)text[sp->end - 1]));
        assert_true(sp->start == 0 ||
                    !isalnum((unsigned char)text[sp->start - 1]));
        assert_true(sp->end == len || !isalnum((unsigned char)text[sp->end]));
        if (sp->how == SS_HOW_SENTENCE) {
            assert_string_equal(sp->matched, sp->label);
            continue;
        }
        for (size_t j = i; j-- > 0;)
            if (m->skills[j].how != SS_HOW_SENTENCE) {
                assert_true(sp->start >= m->skills[j].end);
                break;
            }
    }
}

/* The i-th skill found by a label named (sentence links skipped), or
 * NULL. */
static const ss_skill_span *named(const ss_match *m, size_t i)
{
    for (size_t k = 0; k < m->nskills; k++)
        if (m->skills[k].how != SS_HOW_SENTENCE && i-- == 0)
            return &m->skills[k];
    return NULL;
}

static size_t nnamed(const ss_match *m)
{
    size_t n = 0;
    while (named(m, n))
        n++;
    return n;
}

/* ------------------------------------------------------------- the ads */

typedef struct span_case {
    const char *label, *matched, *text; /* text: the span as written */
    ss_skill_how how;
} span_case;

static const struct ad_case {
    const char *file;
    const char *first, *second; /* URIs; second may be NULL */
    const char *reason;         /* a reason of the first hit */
    span_case spans[5];         /* every skill found, in order */
} ADS[] = {
    {"baker.txt", BAKER, COOK, "essential skill found: bake goods",
     {{"bake goods", "bake bread",
       "Bake bread", SS_HOW_ALTERNATIVE}}},
    {"technician.txt", TECHNICIAN, MS_ENGINEER,
     "essential skill found: assemble microelectromechanical systems",
     {{"assemble microelectromechanical systems",
       "assemble microelectromechanical systems",
       "assemble microelectromechanical systems", SS_HOW_PREFERRED},
      {"perform wire bonding", "perform wire bonding", "perform wire bonding",
       SS_HOW_PREFERRED},
      {"wear cleanroom suit", "wear cleanroom suit", "wear a cleanroom suit",
       SS_HOW_PREFERRED},
      {"perform thermal cycling tests", "thermal cycling", "thermal cycling",
       SS_HOW_ALTERNATIVE}}},
};

static void test_ads(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof ADS / sizeof *ADS; k++) {
        const struct ad_case *c = &ADS[k];
        char *text = read_ad(c->file);
        ss_match_req req = {.text = text};
        ss_match m;
        match_ok(&req, &m);
        assert_sane(text, strlen(text), &m);
        if (m.hits.n < 2 || strcmp(m.hits.v[0].uri, c->first) != 0)
            fail_msg("%s: first is %s", c->file,
                     m.hits.n ? m.hits.v[0].label : "(none)");
        if (c->second)
            assert_string_equal(m.hits.v[1].uri, c->second);
        assert_true(has_str(m.hits.v[0].reasons, m.hits.v[0].nreasons,
                            c->reason));
        size_t ns = 0;
        while (ns < 5 && c->spans[ns].matched)
            ns++;
        assert_int_equal(nnamed(&m), ns);
        for (size_t i = 0; i < ns; i++) {
            const ss_skill_span *sp = named(&m, i);
            const span_case *w = &c->spans[i];
            assert_string_equal(sp->label, w->label);
            assert_string_equal(sp->matched, w->matched);
            assert_int_equal(sp->end - sp->start, strlen(w->text));
            assert_memory_equal(text + sp->start, w->text, strlen(w->text));
            assert_int_equal(sp->how, w->how);
            /* the text named in the span is where it was found */
            assert_ptr_equal(strstr(text, w->text), text + sp->start);
        }
        ss_match_free(&m);
        free(text);
    }
}

/* Skills named by an alternative label are found under their preferred
 * label, with less confidence than the preferred label itself. */
static void test_skill_confidence(void **state)
{
    (void)state;
    const char *text = "Clenroom technician\n"
                       "wear cleanroom suit; wear clean room suit. "
                       "Work in teams, manage staff.";
    ss_match_req req = {.text = text};
    ss_match m;
    match_ok(&req, &m);
    assert_sane(text, strlen(text), &m);
    static const struct {
        const char *label, *matched, *span;
        ss_skill_how how;
    } WANT[] = {
        {"wear cleanroom suit", "wear cleanroom suit", "wear cleanroom suit",
         SS_HOW_PREFERRED},
        {"wear cleanroom suit", "wear clean room suit",
         "wear clean room suit", SS_HOW_ALTERNATIVE},
        {"work in teams", "work in teams", "Work in teams", SS_HOW_PREFERRED},
        {"manage staff", "manage staff", "manage staff", SS_HOW_PREFERRED},
    };
    assert_int_equal(nnamed(&m), sizeof WANT / sizeof *WANT);
    for (size_t i = 0; i < nnamed(&m); i++) {
        const ss_skill_span *sp = named(&m, i);
        assert_string_equal(sp->label, WANT[i].label);
        assert_string_equal(sp->matched, WANT[i].matched);
        assert_memory_equal(text + sp->start, WANT[i].span,
                            strlen(WANT[i].span));
        assert_int_equal(sp->how, WANT[i].how);
    }
    /* the same skill: named by its preferred label, more confidence */
    assert_true(named(&m, 0)->confidence > named(&m, 1)->confidence);
    /* the misspelt title still finds the technician */
    assert_true(m.hits.n > 0);
    assert_string_equal(m.hits.v[0].uri, TECHNICIAN);
    ss_match_free(&m);
}

/* ------------------------------------------------------------- the title */

static int same_skills(const ss_match *a, const ss_match *b)
{
    if (a->nskills != b->nskills)
        return 0;
    for (size_t i = 0; i < a->nskills; i++)
        if (a->skills[i].start != b->skills[i].start ||
            a->skills[i].end != b->skills[i].end ||
            strcmp(a->skills[i].uri, b->skills[i].uri) != 0)
            return 0;
    return 1;
}

static void test_given_title(void **state)
{
    (void)state;
    char *text = read_ad("technician.txt");
    size_t len = strlen(text);
    ss_match first_line, given, none;

    /* the first line is the title: its words are the matched ones */
    ss_match_req req = {.text = text};
    match_ok(&req, &first_line);
    assert_string_equal(first_line.hits.v[0].uri, TECHNICIAN);
    assert_int_equal(first_line.hits.v[0].nmatched, 3);
    assert_string_equal(first_line.hits.v[0].matched[0], "Microsystem");
    assert_true(has_str(first_line.hits.v[0].reasons,
                        first_line.hits.v[0].nreasons,
                        "label: microsystem engineering technician"));

    /* a given title is searched instead; the whole text is the body */
    req.title = "baker";
    match_ok(&req, &given);
    assert_sane(text, len, &given);
    assert_string_equal(given.hits.v[0].uri, BAKER);
    assert_string_equal(given.hits.v[1].uri, TECHNICIAN);
    assert_true(has_str(given.hits.v[0].matched, given.hits.v[0].nmatched,
                        "baker"));
    assert_true(same_skills(&first_line, &given));

    /* an empty title: the body alone still finds the technician */
    req.title = "";
    match_ok(&req, &none);
    assert_sane(text, len, &none);
    assert_string_equal(none.hits.v[0].uri, TECHNICIAN);
    assert_false(has_str(none.hits.v[0].matched, none.hits.v[0].nmatched,
                         "baker"));
    assert_true(same_skills(&first_line, &none));

    ss_match_free(&first_line);
    ss_match_free(&given);
    ss_match_free(&none);
    free(text);

    /* spans count from the start of the text, not of the body */
    const char *body = "Bake bread and pastry every morning.\n";
    ss_match m;
    req = (ss_match_req){.text = body, .title = "Baker wanted"};
    match_ok(&req, &m);
    assert_sane(body, strlen(body), &m);
    assert_string_equal(m.hits.v[0].uri, BAKER);
    assert_int_equal(m.nskills, 1);
    assert_int_equal(m.skills[0].start, 0);
    assert_int_equal(m.skills[0].end, 10);
    ss_match_free(&m);
}

/* A one-line text is all title: searched like a job title. */
static void test_title_only(void **state)
{
    (void)state;
    static const struct {
        const char *text, *first;
    } T[] = {
        {"software developer", OCC "f2b15a0e-e65a-438a-affb-29b9d50b77d1"},
        {"Baker", BAKER},
        {"Microsystem Engineering Technician (m/f)", TECHNICIAN},
    };
    for (size_t k = 0; k < sizeof T / sizeof *T; k++) {
        ss_match_req req = {.text = T[k].text};
        ss_match m;
        match_ok(&req, &m);
        assert_sane(T[k].text, strlen(T[k].text), &m);
        assert_true(m.hits.n > 0);
        assert_string_equal(m.hits.v[0].uri, T[k].first);
        ss_match_free(&m);
    }
}

static void test_limit_and_len(void **state)
{
    (void)state;
    char *text = read_ad("technician.txt");
    ss_match_req req = {.text = text, .limit = 2};
    ss_match m;
    match_ok(&req, &m);
    assert_int_equal(m.hits.n, 2);
    assert_true(m.hits.total_estimate > 2);
    ss_match_free(&m);

    req.limit = 0; /* 0: 10 */
    match_ok(&req, &m);
    assert_int_equal(m.hits.n, 10);
    ss_match_free(&m);

    /* len stops before "perform wire bonding" */
    req.len = (size_t)(strstr(text, "perform wire") - text);
    match_ok(&req, &m);
    assert_sane(text, req.len, &m);
    assert_int_equal(nnamed(&m), 1);
    assert_string_equal(named(&m, 0)->matched,
                        "assemble microelectromechanical systems");
    for (size_t i = 0; i < m.nskills; i++)
        assert_true(m.skills[i].end <= req.len);
    ss_match_free(&m);
    free(text);
}

/* -------------------------------------------------------------- odd text */

static void test_nothing_to_match(void **state)
{
    (void)state;
    static const char *const NONE[] = {"", "\n", "\n\n\n", "?!?!\n...",
                                       "   \t"};
    for (size_t k = 0; k < sizeof NONE / sizeof *NONE; k++) {
        ss_match_req req = {.text = NONE[k]};
        ss_match m;
        match_ok(&req, &m);
        assert_int_equal(m.hits.n, 0);
        assert_int_equal(m.hits.total_estimate, 0);
        assert_int_equal(m.nskills, 0);
        json_t *j = ss_match_to_json(&m, NONE[k], 0);
        assert_int_equal(json_array_size(json_object_get(j, "results")), 0);
        assert_int_equal(json_array_size(json_object_get(j, "skills")), 0);
        json_decref(j);
        ss_match_free(&m);
    }
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *text, *title, *says;
    } BAD[] = {
        {"nurse\nwe want \xff here", NULL, "text is not valid UTF-8"},
        {"nur\xffse\nwe want", NULL, "not valid UTF-8"},
        {"\xc3", NULL, "not valid UTF-8"},
        {"a body", "ti\xfftle", "not valid UTF-8"},
        {"a body \xc0\xaf", "nurse", "text is not valid UTF-8"},
    };
    for (size_t k = 0; k < sizeof BAD / sizeof *BAD; k++) {
        ss_match_req req = {.text = BAD[k].text, .title = BAD[k].title};
        ss_match m;
        char *err = NULL;
        assert_int_equal(ss_searcher_match(g_si.s, &req, &m, &err),
                         SS_ERR_INVALID);
        assert_non_null(err);
        if (!strstr(err, BAD[k].says))
            fail_msg("case %zu: '%s' does not say '%s'", k, err,
                     BAD[k].says);
        assert_int_equal(m.hits.n, 0);
        assert_int_equal(m.nskills, 0);
        assert_null(m.skills);
        free(err);
        ss_match_free(&m); /* harmless after a failure */
    }
    ss_match_free(NULL);
}


/* ------------------------------------------------------------ read_as */

/* ss_match_read_as on the documents of tests/data/read_as.tsv: one per
 * line, "titled" or "untitled", a tab, the text with \n for newlines. */
static void test_read_as_file(void **state)
{
    (void)state;
    FILE *f = fopen("tests/data/read_as.tsv", "r");
    if (!f)
        fail_msg("cannot open tests/data/read_as.tsv (run from the repo root)");
    char *line = NULL;
    size_t cap = 0, n = 0, lineno = 0;
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = '\0';
        char *text = tab + 1, *w = text;
        for (char *r = text; *r && *r != '\n'; r++) { /* unescape \n */
            if (r[0] == '\\' && r[1] == 'n')
                *w++ = '\n', r++;
            else
                *w++ = *r;
        }
        *w = '\0';
        ss_read_as want;
        assert_int_equal(ss_read_as_parse(line, &want), 0);
        ss_read_as got = ss_match_read_as(text, strlen(text));
        if (got != want)
            fail_msg("read_as.tsv:%zu: read as %s, expected %s: %s", lineno,
                     ss_read_as_name(got), line, text);
        n++;
    }
    free(line);
    fclose(f);
    assert_true(n >= 20);
}

static void test_read_as_parse(void **state)
{
    (void)state;
    ss_read_as r;
    assert_int_equal(ss_read_as_parse("titled", &r), 0);
    assert_int_equal(r, SS_READ_TITLED);
    assert_int_equal(ss_read_as_parse("untitled", &r), 0);
    assert_int_equal(r, SS_READ_UNTITLED);
    assert_int_equal(ss_read_as_parse("auto", &r), 0);
    assert_int_equal(r, SS_READ_AUTO);
    assert_int_equal(ss_read_as_parse("Titled", &r), -1);
    assert_int_equal(ss_read_as_parse("", &r), -1);
    double c = -1;
    assert_int_equal(ss_min_confidence_parse("0.5", &c), 0);
    assert_true(c == 0.5);
    assert_int_equal(ss_min_confidence_parse("1", &c), 0);
    assert_int_equal(ss_min_confidence_parse("0", &c), 0);
    static const char *const bad[] = {"", " 0.5", "1.01", "-0.1", "nan",
                                      "0.5x", "inf", "1e3"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(ss_min_confidence_parse(bad[i], &c), -1);
}

/* text read as want (forced: force), no title read from it unless
 * titled, and first (NULL: any) ranked first. */
static void expect_reading(const char *text, ss_read_as force,
                           ss_read_as want, const char *first)
{
    ss_match m;
    ss_match_req r = {.text = text, .read_as = force};
    match_ok(&r, &m);
    assert_int_equal(m.read_as, want);
    assert_true(want == SS_READ_TITLED || m.title_end == m.title_start);
    assert_true(m.hits.n > 0);
    if (first)
        assert_string_equal(m.hits.v[0].uri, first);
    ss_match_free(&m);
}

/* Forced and decided readings: a titled ad read as untitled still finds
 * its occupation through the occupations it names and its skills; a task
 * list is untitled by itself. */
static void test_untitled(void **state)
{
    (void)state;
    char *text = read_ad("technician.txt");
    ss_match m;
    ss_match_req req = {.text = text};
    match_ok(&req, &m);
    assert_int_equal(m.read_as, SS_READ_TITLED);
    ss_match_free(&m);
    req.read_as = SS_READ_UNTITLED;
    match_ok(&req, &m);
    assert_int_equal(m.read_as, SS_READ_UNTITLED);
    assert_sane(text, strlen(text), &m);
    assert_true(m.hits.n > 0);
    assert_string_equal(m.hits.v[0].uri, TECHNICIAN);
    ss_match_free(&m);
    /* a given title wins over a forced reading */
    req.title = "microsystem engineering technician";
    match_ok(&req, &m);
    assert_int_equal(m.read_as, SS_READ_TITLED);
    ss_match_free(&m);
    free(text);

    /* no title line, but a field declares one: titled, the whole text
     * its body; not when the caller says untitled */
    const char *declared = "We are a family restaurant in the old town.\n"
                           "Position: Cook Salary: negotiable\n"
                           "You will prepare meals and bake bread.\n";
    ss_match_req d = {.text = declared};
    match_ok(&d, &m);
    assert_int_equal(m.read_as, SS_READ_TITLED);
    assert_int_equal(m.title_end - m.title_start, 4);
    assert_memory_equal(declared + m.title_start, "Cook", 4);
    assert_true(m.hits.n > 0);
    assert_string_equal(m.hits.v[0].uri, COOK);
    ss_match_free(&m);
    expect_reading(declared, SS_READ_UNTITLED, SS_READ_UNTITLED, NULL);

    expect_reading("Knead and shape dough for bread and rolls.\n"
                   "Bake bread in ovens at the right temperature.\n"
                   "Keep the bakery clean and follow hygiene rules.\n",
                   SS_READ_AUTO, SS_READ_UNTITLED, BAKER);
}

/* Skills under the threshold are dropped; 0 keeps all; every kept one is
 * at or above it. */
static void test_min_confidence(void **state)
{
    (void)state;
    char *text = read_ad("technician.txt");
    ss_match all, some;
    ss_match_req req = {.text = text};
    match_ok(&req, &all);
    req.min_confidence = 0.9;
    match_ok(&req, &some);
    size_t want = 0;
    for (size_t i = 0; i < all.nskills; i++)
        want += all.skills[i].confidence >= 0.9;
    assert_int_equal(some.nskills, want);
    assert_true(some.nskills < all.nskills);
    for (size_t i = 0; i < some.nskills; i++)
        assert_true(some.skills[i].confidence >= 0.9);
    ss_match_free(&some);
    req.min_confidence = 1.0;
    match_ok(&req, &some);
    for (size_t i = 0; i < some.nskills; i++)
        assert_true(some.skills[i].confidence >= 1.0 - 1e-9);
    ss_match_free(&some);
    ss_match_free(&all);
    free(text);
}

/* ------------------------------------------------------------------ JSON */

static void test_match_json(void **state)
{
    (void)state;
    char *text = read_ad("technician.txt");
    ss_match_req req = {.text = text, .limit = 3};
    ss_match m;
    match_ok(&req, &m);
    json_t *j = ss_match_to_json(&m, text, 0);
    assert_true(json_is_object(j));
    assert_int_equal(json_object_size(j), 4);
    assert_string_equal(json_string_value(json_object_get(j, "read_as")),
                        "titled");
    /* where the title was read: the first line */
    json_t *title = json_object_get(j, "title");
    assert_string_equal(json_string_value(json_object_get(title, "text")),
                        "Microsystem Engineering Technician (m/f)");
    assert_int_equal(json_integer_value(json_object_get(title, "start")), 0);

    json_t *res = json_object_get(j, "results"), *hits = ss_hits_to_json(&m.hits);
    assert_true(json_equal(res, hits));
    json_decref(hits);
    assert_int_equal(json_array_size(res), 3);

    json_t *sk = json_object_get(j, "skills");
    assert_int_equal(json_array_size(sk), m.nskills);
    for (size_t i = 0; i < m.nskills; i++) {
        const ss_skill_span *sp = &m.skills[i];
        json_t *o = json_array_get(sk, i);
        assert_int_equal(json_object_size(o), 9);
        assert_string_equal(json_string_value(json_object_get(o, "how")),
                            ss_skill_how_name(sp->how));
        assert_string_equal(json_string_value(json_object_get(o, "uri")),
                            sp->uri);
        assert_string_equal(json_string_value(json_object_get(o, "id")),
                            ss_uri_id(sp->uri));
        assert_string_equal(json_string_value(json_object_get(o, "label")),
                            sp->label);
        assert_string_equal(json_string_value(json_object_get(o, "matched")),
                            sp->matched);
        assert_int_equal(json_integer_value(json_object_get(o, "start")),
                         sp->start);
        assert_int_equal(json_integer_value(json_object_get(o, "end")),
                         sp->end);
        const char *t = json_string_value(json_object_get(o, "text"));
        assert_int_equal(strlen(t), sp->end - sp->start);
        assert_memory_equal(t, text + sp->start, sp->end - sp->start);
        double c = json_real_value(json_object_get(o, "confidence"));
        assert_true(c > 0 && c <= 1);
    }
    size_t third = (size_t)(named(&m, 2) - m.skills);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(sk, third), "text")),
        "wear a cleanroom suit");
    json_decref(j);
    ss_match_free(&m);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ads),
        cmocka_unit_test(test_skill_confidence),
        cmocka_unit_test(test_given_title),
        cmocka_unit_test(test_title_only),
        cmocka_unit_test(test_limit_and_len),
        cmocka_unit_test(test_nothing_to_match),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_match_json),
        cmocka_unit_test(test_read_as_file),
        cmocka_unit_test(test_read_as_parse),
        cmocka_unit_test(test_untitled),
        cmocka_unit_test(test_min_confidence),
    };
    return cmocka_run_group_tests(tests, sample_group_setup,
                                  sample_group_teardown);
}
