/* test_search.c - free-text search through the public API (query/search.h,
 * query/hits_json.h) on the data/sample index, built once per run without
 * word vectors (sample_index.h). Only public headers: these tests pin the
 * ranking's behaviour while its internals move. Run from the repo root.
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

#include "../../query/hits_json.h"
#include "../../query/rank.h"
#include "../../query/search.h"
#include "sample_index.h"

#define OCC "http://data.europa.eu/esco/occupation/"
#define SKILL "http://data.europa.eu/esco/skill/"
#define TECHNICIAN OCC "26e1add0-da3f-4ed6-aa91-791cb550146f"

/* Searches; fails the test with the error message unless st is expected. */
static ss_status run(ss_searcher *s, const ss_search_req *req, ss_hits *h,
                     char **err)
{
    ss_status st = ss_searcher_search(s, req, h, err);
    if (st == SS_OK)
        assert_true(h->n <= (req->limit ? req->limit : 10));
    return st;
}

static void search_ok(const ss_search_req *req, ss_hits *h)
{
    char *err = NULL;
    ss_status st = run(g_si.s, req, h, &err);
    if (st != SS_OK)
        fail_msg("'%s': %s", req->text, err ? err : ss_strerror(st));
}

static ss_search_req occ(const char *text, unsigned limit)
{
    return (ss_search_req){.text = text, .kind = SS_KIND_OCC, .limit = limit};
}

static ss_search_req skill(const char *text, unsigned limit)
{
    return (ss_search_req){.text = text, .kind = SS_KIND_SKILL,
                           .limit = limit};
}

static int has_prefix(char *const *v, size_t n, const char *prefix)
{
    for (size_t i = 0; i < n; i++)
        if (strncmp(v[i], prefix, strlen(prefix)) == 0)
            return 1;
    return 0;
}

/* What every hit list must be, whatever the query. */
static void assert_sane(const ss_search_req *req, const ss_hits *h)
{
    assert_true(h->total_estimate >= h->n);
    for (size_t i = 0; i < h->n; i++) {
        const ss_hit *x = &h->v[i];
        assert_non_null(x->uri);
        assert_non_null(x->label);
        assert_true(x->score > 0);
        if (i > 0 && x->score > h->v[i - 1].score)
            fail_msg("'%s': score %zu (%g) above score %zu (%g)", req->text,
                     i, x->score, i - 1, h->v[i - 1].score);
        if (req->kind == SS_KIND_OCC) {
            assert_string_equal(x->type, "occupation");
            assert_int_equal(strncmp(x->uri, OCC, strlen(OCC)), 0);
            assert_int_equal(strlen(x->isco), 4);
            assert_true(ss_esco_find_occ(g_si.esco, x->uri) >= 0);
        } else {
            assert_string_equal(x->type, "skill");
            assert_int_equal(strncmp(x->uri, SKILL, strlen(SKILL)), 0);
            assert_string_equal(x->isco, "");
            assert_true(ss_esco_find_skill(g_si.esco, x->uri) >= 0);
        }
        /* a matched word is a word of the query as typed */
        for (size_t j = 0; j < x->nmatched; j++)
            if (!strstr(req->text, x->matched[j]))
                fail_msg("'%s': matched '%s' is not in the query", req->text,
                         x->matched[j]);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(h->v[j].uri, x->uri);
    }
}

/* ------------------------------------------------------ what comes first */

static const struct first_case {
    const char *query;
    ss_kind kind;
    const char *first;     /* URI of the first hit */
    const char *matched[4]; /* its matched words, exactly, in order */
    const char *reason;    /* a reason it must give (prefix), or NULL */
} FIRST[] = {
    {"wire bonding cleanroom", SS_KIND_OCC, TECHNICIAN,
     {"wire", "bonding", "cleanroom"}, "essential skill: perform wire bonding"},
    {"Wire BONDING Cleanroom", SS_KIND_OCC, TECHNICIAN,
     {"Wire", "BONDING", "Cleanroom"}, NULL},
    {"Chief Executives", SS_KIND_OCC, OCC "6c3fd65e-2d24-47d8-bc22-9e93512bdcc2",
     {"Chief", "Executives"}, NULL},
    {"Nurse", SS_KIND_OCC, OCC "18e14e61-495b-44cc-a7c6-df4c625934ba",
     {"Nurse"}, "label: specialist nurse"},
    {"baker", SS_KIND_OCC, OCC "1aadb308-432a-4d01-b54b-b4f7f76dd419",
     {"baker"}, "label: baker"},
    {"plumber", SS_KIND_OCC, OCC "ed3cf43d-c2c1-4c46-82fc-1375e27e0290",
     {"plumber"}, NULL},
    {"software developer", SS_KIND_OCC,
     OCC "f2b15a0e-e65a-438a-affb-29b9d50b77d1", {"software", "developer"},
     "label: software developer"},
    {"MEMS technician", SS_KIND_OCC, TECHNICIAN, {"MEMS", "technician"},
     "alternative label: MEMS technician"},
    {"wear a clean room suit", SS_KIND_SKILL,
     SKILL "07e1799a-82c2-4877-9b43-1499812c5619", {0}, NULL},
};

static void test_first_hits(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof FIRST / sizeof *FIRST; k++) {
        const struct first_case *c = &FIRST[k];
        ss_search_req req = {.text = c->query, .kind = c->kind};
        ss_hits h;
        search_ok(&req, &h);
        assert_sane(&req, &h);
        if (h.n == 0 || strcmp(h.v[0].uri, c->first) != 0)
            fail_msg("'%s': first is %s, want %s", c->query,
                     h.n ? h.v[0].uri : "(none)", c->first);
        size_t nm = 0;
        while (nm < 4 && c->matched[nm])
            nm++;
        if (nm) {
            assert_int_equal(h.v[0].nmatched, nm);
            for (size_t j = 0; j < nm; j++)
                assert_string_equal(h.v[0].matched[j], c->matched[j]);
        }
        if (c->reason &&
            !has_prefix(h.v[0].reasons, h.v[0].nreasons, c->reason))
            fail_msg("'%s': no reason '%s' (first reason: %s)", c->query,
                     c->reason,
                     h.v[0].nreasons ? h.v[0].reasons[0] : "(none)");
        ss_hits_free(&h);
    }
}

/* Every preferred label of the sample finds its own concept first, and
 * says it matched that label. */
static void labels_find_themselves(const ss_esco_concept *v, size_t n,
                                   ss_kind kind)
{
    for (size_t i = 0; i < n; i++) {
        ss_search_req req = {.text = v[i].label, .kind = kind};
        ss_hits h;
        search_ok(&req, &h);
        assert_sane(&req, &h);
        if (h.n == 0 || strcmp(h.v[0].uri, v[i].uri) != 0)
            fail_msg("'%s': first is %s, want %s", v[i].label,
                     h.n ? h.v[0].label : "(none)", v[i].uri);
        assert_string_equal(h.v[0].label, v[i].label);
        if (kind == SS_KIND_OCC)
            assert_string_equal(h.v[0].isco, v[i].isco);
        ss_hits_free(&h);
    }
}

static void test_occupation_labels(void **state)
{
    (void)state;
    assert_int_equal(g_si.esco->nocc, 27);
    labels_find_themselves(g_si.esco->occ, g_si.esco->nocc, SS_KIND_OCC);
}

static void test_skill_labels(void **state)
{
    (void)state;
    assert_int_equal(g_si.esco->nskill, 80);
    labels_find_themselves(g_si.esco->skill, g_si.esco->nskill,
                           SS_KIND_SKILL);
}

/* ---------------------------------------------------------------- paging */

static const struct {
    const char *query;
    ss_kind kind;
} PAGED[] = {
    {"wire bonding cleanroom", SS_KIND_OCC},
    {"engineering technician", SS_KIND_OCC},
    {"manage staff and teams", SS_KIND_OCC},
    {"the and of", SS_KIND_OCC},
    {"clean", SS_KIND_SKILL},
    {"perform tests on systems", SS_KIND_SKILL},
};

static void test_paging(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof PAGED / sizeof *PAGED; k++) {
        ss_search_req all = {.text = PAGED[k].query, .kind = PAGED[k].kind,
                             .limit = 200};
        ss_hits big;
        search_ok(&all, &big);
        assert_sane(&all, &big);
        if (big.n < 4)
            fail_msg("'%s': only %zu hits", all.text, big.n);
        /* the whole list fits: the estimate is exact */
        assert_int_equal(big.total_estimate, big.n);
        for (unsigned limit = 1; limit <= 4; limit++)
            for (unsigned off = 0; off <= big.n + 1; off += limit) {
                ss_search_req req = all;
                req.offset = off;
                req.limit = limit;
                ss_hits page;
                search_ok(&req, &page);
                size_t want = off >= big.n ? 0
                              : big.n - off < limit ? big.n - off
                                                    : limit;
                assert_int_equal(page.n, want);
                assert_true(page.total_estimate >= page.n);
                for (size_t i = 0; i < page.n; i++) {
                    assert_string_equal(page.v[i].uri, big.v[off + i].uri);
                    assert_true(page.v[i].score == big.v[off + i].score);
                }
                ss_hits_free(&page);
            }
        ss_hits_free(&big);
    }
}

static void test_default_limit(void **state)
{
    (void)state;
    ss_search_req req = occ("the and of", 0); /* 0: 10 */
    ss_hits h;
    search_ok(&req, &h);
    assert_int_equal(h.n, 10);
    assert_true(h.total_estimate > 10);
    ss_hits_free(&h);
}

/* len cuts the text: only "baker" of "baker plumber" is searched. */
static void test_len(void **state)
{
    (void)state;
    ss_search_req req = occ("baker plumber", 50);
    req.len = 5;
    ss_hits h;
    search_ok(&req, &h);
    assert_true(h.n > 0);
    assert_string_equal(h.v[0].label, "baker");
    for (size_t i = 0; i < h.n; i++) {
        assert_string_not_equal(h.v[i].label, "plumber");
        assert_false(has_str(h.v[i].matched, h.v[i].nmatched, "plumber"));
    }
    ss_hits_free(&h);
}

/* ------------------------------------------------------------ isco filter */

static const struct {
    const char *query, *isco, *first; /* first: URI or NULL for no hits */
} ISCO[] = {
    {"microsystem engineering", "3", TECHNICIAN},
    {"microsystem engineering", "3114", TECHNICIAN},
    {"microsystem engineering", "2",
     OCC "7f0fe7d3-54c6-41e9-88ba-9d4f0f1a46b4"},
    {"wire bonding cleanroom", "9", OCC "303a1e34-cb16-4054-b323-81e5eec17397"},
    {"wire bonding cleanroom", "6", NULL},
    {"nurse", "2221", OCC "18e14e61-495b-44cc-a7c6-df4c625934ba"},
    {"nurse", "", OCC "18e14e61-495b-44cc-a7c6-df4c625934ba"},
};

/* The filter keeps the unfiltered ranking's hits in that group, in order. */
static void test_isco_filter(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof ISCO / sizeof *ISCO; k++) {
        ss_search_req all = occ(ISCO[k].query, 100), req = all;
        req.isco = ISCO[k].isco;
        ss_hits h, u;
        search_ok(&req, &h);
        search_ok(&all, &u);
        assert_sane(&req, &h);
        size_t plen = strlen(ISCO[k].isco), j = 0;
        for (size_t i = 0; i < h.n; i++)
            if (strncmp(h.v[i].isco, ISCO[k].isco, plen) != 0)
                fail_msg("isco %s: hit %s has isco %s", ISCO[k].isco,
                         h.v[i].label, h.v[i].isco);
        for (size_t i = 0; i < u.n; i++)
            if (strncmp(u.v[i].isco, ISCO[k].isco, plen) == 0) {
                if (j >= h.n || strcmp(h.v[j].uri, u.v[i].uri) != 0)
                    fail_msg("isco %s '%s': unfiltered hit %s missing or "
                             "out of order", ISCO[k].isco, ISCO[k].query,
                             u.v[i].label);
                j++;
            }
        assert_int_equal(j, h.n);
        if (ISCO[k].first) {
            assert_true(h.n > 0);
            assert_string_equal(h.v[0].uri, ISCO[k].first);
        } else {
            assert_int_equal(h.n, 0);
        }
        ss_hits_free(&h);
        ss_hits_free(&u);
    }
}

static void test_isco_bad(void **state)
{
    (void)state;
    static const char *const BAD[] = {"12345", "ab", "3x", "-1", " 3", "3.1",
                                      "\xff"};
    for (size_t k = 0; k < sizeof BAD / sizeof *BAD; k++) {
        ss_search_req req = occ("nurse", 10);
        req.isco = BAD[k];
        ss_hits h;
        char *err = NULL;
        assert_int_equal(ss_searcher_search(g_si.s, &req, &h, &err),
                         SS_ERR_INVALID);
        assert_non_null(err);
        assert_non_null(strstr(err, "isco"));
        assert_int_equal(h.n, 0);
        assert_null(h.v);
        free(err);
        ss_hits_free(&h); /* harmless on a failed search */
    }
}

/* ---------------------------------------------------------------- facets */

static const ss_esco_concept *skill_of(const char *uri)
{
    long i = ss_esco_find_skill(g_si.esco, uri);
    assert_true(i >= 0);
    return &g_si.esco->skill[i];
}

/* Row of name in table, or -1 (an empty or unknown value). */
static int row_named(const ss_skill_value *table, const char *name)
{
    for (int i = 0; table[i].name; i++)
        if (!strcmp(table[i].name, name))
            return i;
    return -1;
}

/* The facet count of (dim, key) in h, 0 when it is not listed. */
static unsigned facet_count(const ss_hits *h, const char *dim,
                            const char *key)
{
    for (size_t i = 0; i < h->nfacets; i++)
        if (!strcmp(h->facets[i].dim, dim) && !strcmp(h->facets[i].key, key))
            return h->facets[i].count;
    return 0;
}

/* With every hit on one page, facets count the hits per ISCO major group
 * ("1".."9" then "0"), or per skill type and per reuse level, in that
 * order, and list only groups that have some. A skill without a type or
 * a level (the sample has one) is in no facet of that dimension. */
static void check_facets(ss_search_req req)
{
    req.limit = 200;
    req.facets = 1;
    ss_hits h;
    search_ok(&req, &h);
    assert_true(h.n > 0);
    /* SS_FACET_* slots, as rank.h lays them out */
    unsigned want[SS_NFACETS] = {0};
    for (size_t i = 0; i < h.n; i++) {
        if (req.kind == SS_KIND_OCC) {
            want[h.v[i].isco[0] - '0']++;
            continue;
        }
        const ss_esco_concept *c = skill_of(h.v[i].uri);
        int t = row_named(ss_skill_types, c->skill_type);
        int r = row_named(ss_reuse_levels, c->reuse_level);
        if (t >= 0)
            want[SS_FACET_TYPE + t]++;
        if (r >= 0)
            want[SS_FACET_REUSE + r]++;
    }
    static const char *const OCC_KEYS[] = {"1", "2", "3", "4", "5",
                                           "6", "7", "8", "9", "0"};
    size_t f = 0;
    int nslots = req.kind == SS_KIND_OCC ? 10 : SS_NTYPES + SS_NREUSE;
    for (int g = 0; g < nslots; g++) {
        int slot = req.kind == SS_KIND_OCC ? (g + 1) % 10 : SS_FACET_TYPE + g;
        const char *dim = req.kind == SS_KIND_OCC ? "isco"
                          : g < SS_NTYPES         ? "skill_type"
                                                  : "reuse";
        const char *key = req.kind == SS_KIND_OCC ? OCC_KEYS[g]
                          : g < SS_NTYPES ? ss_skill_types[g].name
                                          : ss_reuse_levels[g - SS_NTYPES].name;
        if (!want[slot])
            continue;
        if (f >= h.nfacets)
            fail_msg("'%s': no facet %s", req.text, key);
        assert_string_equal(h.facets[f].dim, dim);
        assert_string_equal(h.facets[f].key, key);
        assert_int_equal(h.facets[f].count, want[slot]);
        assert_non_null(h.facets[f].label);
        f++;
    }
    assert_int_equal(f, h.nfacets);
    ss_hits_free(&h);
}

/* A skill filter keeps the skills of that value, as many as its facet
 * counted without the filter; the filter's own facet still counts the
 * other values, the other facet counts within the filter. */
static void check_skill_filter(const char *text, int by_reuse, int row)
{
    ss_search_req req = skill(text, 200);
    req.facets = 1;
    ss_hits all, some;
    search_ok(&req, &all);
    const ss_skill_value *v =
        by_reuse ? &ss_reuse_levels[row] : &ss_skill_types[row];
    *(by_reuse ? &req.reuse : &req.skilltype) = v->code;
    search_ok(&req, &some);
    const char *dim = by_reuse ? "reuse" : "skill_type";
    assert_int_equal(some.n, facet_count(&all, dim, v->name));
    for (size_t i = 0; i < some.n; i++) {
        const ss_esco_concept *c = skill_of(some.v[i].uri);
        assert_string_equal(by_reuse ? c->reuse_level : c->skill_type,
                            v->name);
    }
    const ss_skill_value *own = by_reuse ? ss_reuse_levels : ss_skill_types;
    for (int i = 0; own[i].name; i++)
        assert_int_equal(facet_count(&some, dim, own[i].name),
                         facet_count(&all, dim, own[i].name));
    const char *other = by_reuse ? "skill_type" : "reuse";
    const ss_skill_value *ot = by_reuse ? ss_skill_types : ss_reuse_levels;
    for (int i = 0; ot[i].name; i++) {
        unsigned n = 0;
        for (size_t k = 0; k < some.n; k++) {
            const ss_esco_concept *c = skill_of(some.v[k].uri);
            n += !strcmp(by_reuse ? c->skill_type : c->reuse_level,
                         ot[i].name);
        }
        assert_int_equal(facet_count(&some, other, ot[i].name), n);
    }
    ss_hits_free(&all);
    ss_hits_free(&some);
}

static void test_skill_filters(void **state)
{
    (void)state;
    for (int r = 0; r < SS_NTYPES; r++) {
        check_skill_filter("perform tests on systems", 0, r);
        check_skill_filter("clean", 0, r);
    }
    for (int r = 0; r < SS_NREUSE; r++) {
        check_skill_filter("perform tests on systems", 1, r);
        check_skill_filter("manage", 1, r);
    }
    /* the filters are for skills: an occupation search ignores them */
    ss_search_req req = occ("wire bonding cleanroom", 10);
    ss_hits a, b;
    search_ok(&req, &a);
    req.skilltype = 'k';
    req.reuse = 't';
    search_ok(&req, &b);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++)
        assert_string_equal(a.v[i].uri, b.v[i].uri);
    ss_hits_free(&a);
    ss_hits_free(&b);
}

static void test_facets(void **state)
{
    (void)state;
    check_facets(occ("wire bonding cleanroom", 0));
    check_facets(occ("engineering technician", 0));
    check_facets(occ("manage staff and teams", 0));
    check_facets(skill("perform tests on systems", 0));
    check_facets(skill("clean", 0));
    check_facets(skill("digital data processing", 0)); /* untyped first */

    /* ISCO major groups are named after the sample's ISCOGroups */
    ss_search_req req = occ("microsystem engineering technician", 200);
    req.facets = 1;
    ss_hits h;
    search_ok(&req, &h);
    int seen3 = 0;
    for (size_t i = 0; i < h.nfacets; i++)
        if (strcmp(h.facets[i].key, "3") == 0) {
            seen3 = 1;
            assert_string_equal(h.facets[i].label,
                                "Technicians and associate professionals");
        }
    assert_true(seen3);
    ss_hits_free(&h);

    /* no facets unless asked */
    req.facets = 0;
    search_ok(&req, &h);
    assert_int_equal(h.nfacets, 0);
    assert_null(h.facets);
    ss_hits_free(&h);
}

/* ------------------------------------------------------------ odd input */

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char *const BAD[] = {
        "nurse \xff", "\xc3", "caf\xc3\x28", "\xc0\xaf nurse",
        "\xed\xa0\x80 surrogate", "\xf4\x90\x80\x80 past U+10FFFF"};
    for (size_t k = 0; k < sizeof BAD / sizeof *BAD; k++)
        for (int kind = SS_KIND_OCC; kind <= SS_KIND_SKILL; kind++) {
            ss_search_req req = {.text = BAD[k], .kind = (ss_kind)kind};
            ss_hits h;
            char *err = NULL;
            assert_int_equal(ss_searcher_search(g_si.s, &req, &h, &err),
                             SS_ERR_INVALID);
            assert_non_null(err);
            assert_non_null(strstr(err, "UTF-8"));
            assert_int_equal(h.n, 0);
            free(err);
        }
    /* the bytes past len are not read: a valid prefix is fine */
    ss_search_req req = occ("nurse\xff", 10);
    req.len = 5;
    ss_hits h;
    search_ok(&req, &h);
    assert_true(h.n > 0);
    ss_hits_free(&h);
}

/* Queries with nothing to search give no hits, not errors. */
static void test_nothing_to_search(void **state)
{
    (void)state;
    static const char *const NONE[] = {"", " ", "\t\n ", "?!?! ... ---",
                                       "()[]{}", "\"", "*", "--"};
    for (size_t k = 0; k < sizeof NONE / sizeof *NONE; k++)
        for (int kind = SS_KIND_OCC; kind <= SS_KIND_SKILL; kind++) {
            ss_search_req req = {.text = NONE[k], .kind = (ss_kind)kind,
                                 .facets = 1};
            ss_hits h;
            search_ok(&req, &h);
            if (h.n != 0)
                fail_msg("'%s': %zu hits", NONE[k], h.n);
            assert_int_equal(h.total_estimate, 0);
            assert_int_equal(h.nfacets, 0);
            assert_null(h.suggestion);
            ss_hits_free(&h);
        }
}

/* Only stop words: they are searched after all (rather than nothing), so
 * "the and of" finds the label "analyst of data". */
static void test_stop_words_only(void **state)
{
    (void)state;
    ss_search_req req = occ("the and of", 50);
    ss_hits h;
    search_ok(&req, &h);
    assert_sane(&req, &h);
    assert_true(h.n > 0);
    assert_string_equal(h.v[0].label, "data analyst");
    assert_true(has_str(h.v[0].reasons, h.v[0].nreasons,
                        "alternative label: analyst of data"));
    ss_hits_free(&h);

    static const char *const STOP[] = {"a", "the", "of the", "and or"};
    for (size_t k = 0; k < sizeof STOP / sizeof *STOP; k++)
        for (int kind = SS_KIND_OCC; kind <= SS_KIND_SKILL; kind++) {
            req = (ss_search_req){.text = STOP[k], .kind = (ss_kind)kind,
                                  .limit = 50};
            search_ok(&req, &h);
            assert_sane(&req, &h);
            ss_hits_free(&h);
        }
}

/* Syntax characters are words: no error, and the words still count. */
static void test_query_syntax_is_text(void **state)
{
    (void)state;
    static const char *const Q[] = {"\"nurse AND ( NEAR - *",
                                    "nurse OR baker", "-nurse", "nurse*",
                                    "title:nurse", "nurse~2 ^3"};
    for (size_t k = 0; k < sizeof Q / sizeof *Q; k++) {
        ss_search_req req = occ(Q[k], 5);
        ss_hits h;
        search_ok(&req, &h);
        assert_sane(&req, &h);
        int nurse = 0;
        for (size_t i = 0; i < h.n; i++)
            nurse |= strstr(h.v[i].label, "nurse") != NULL;
        if (!nurse)
            fail_msg("'%s': no nurse in the top 5", Q[k]);
        ss_hits_free(&h);
    }
}

/* ---------------------------------------------------------- explanations */

static void test_spelling(void **state)
{
    (void)state;
    static const struct {
        const char *query, *suggestion, *first;
    } SPELL[] = {
        {"clenroom", "cleanroom", TECHNICIAN},
        {"wire bonding clenroom", "wire bonding cleanroom", TECHNICIAN},
        {"wire bonding cleanroom", NULL, TECHNICIAN},
        {"nurse", NULL, OCC "18e14e61-495b-44cc-a7c6-df4c625934ba"},
    };
    for (size_t k = 0; k < sizeof SPELL / sizeof *SPELL; k++) {
        ss_search_req req = occ(SPELL[k].query, 10);
        ss_hits h;
        search_ok(&req, &h);
        assert_sane(&req, &h);
        if (SPELL[k].suggestion) {
            assert_non_null(h.suggestion);
            assert_string_equal(h.suggestion, SPELL[k].suggestion);
        } else {
            assert_null(h.suggestion);
        }
        assert_true(h.n > 0);
        assert_string_equal(h.v[0].uri, SPELL[k].first);
        ss_hits_free(&h);
    }
    /* the corrected word explains itself; the misspelling matched nothing */
    ss_search_req req = occ("clenroom", 10);
    ss_hits h;
    search_ok(&req, &h);
    assert_true(has_str(h.v[0].reasons, h.v[0].nreasons,
                        "spelling: cleanroom"));
    assert_false(has_str(h.v[0].matched, h.v[0].nmatched, "clenroom"));
    ss_hits_free(&h);
}

static void test_synonym_reason(void **state)
{
    (void)state;
    ss_search_req req = occ("wire bonding cleanroom", 10);
    ss_hits h;
    search_ok(&req, &h);
    int syn = 0;
    for (size_t i = 0; i < h.n; i++)
        syn |= has_str(h.v[i].reasons, h.v[i].nreasons,
                       "synonym: cleanroom -> clean room");
    assert_true(syn);
    ss_hits_free(&h);
}

/* ------------------------------------------------------------- JSON, API */

static void test_hits_json(void **state)
{
    (void)state;
    assert_string_equal(ss_uri_id(TECHNICIAN),
                        "26e1add0-da3f-4ed6-aa91-791cb550146f");
    assert_string_equal(ss_uri_id("no-slash"), "no-slash");
    assert_string_equal(ss_uri_id("ends/"), "");

    ss_search_req req = occ("Nurse", 5);
    ss_hits h;
    search_ok(&req, &h);
    json_t *a = ss_hits_to_json(&h);
    assert_true(json_is_array(a));
    assert_int_equal(json_array_size(a), h.n);
    for (size_t i = 0; i < h.n; i++) {
        json_t *o = json_array_get(a, i);
        assert_int_equal(json_object_size(o), 8);
        assert_string_equal(json_string_value(json_object_get(o, "uri")),
                            h.v[i].uri);
        assert_string_equal(json_string_value(json_object_get(o, "id")),
                            ss_uri_id(h.v[i].uri));
        assert_string_equal(json_string_value(json_object_get(o, "label")),
                            h.v[i].label);
        assert_string_equal(json_string_value(json_object_get(o, "type")),
                            "occupation");
        assert_string_equal(json_string_value(json_object_get(o, "isco")),
                            h.v[i].isco);
        json_t *sc = json_object_get(o, "score");
        assert_true(json_is_number(sc));
        assert_true(json_number_value(sc) > 0);
        json_t *m = json_object_get(o, "matched"),
               *r = json_object_get(o, "reasons");
        assert_int_equal(json_array_size(m), h.v[i].nmatched);
        assert_int_equal(json_array_size(r), h.v[i].nreasons);
        for (size_t j = 0; j < h.v[i].nmatched; j++)
            assert_string_equal(json_string_value(json_array_get(m, j)),
                                h.v[i].matched[j]);
        for (size_t j = 0; j < h.v[i].nreasons; j++)
            assert_string_equal(json_string_value(json_array_get(r, j)),
                                h.v[i].reasons[j]);
        json_t *one = ss_hit_to_json(&h.v[i]);
        assert_true(json_equal(one, o));
        json_decref(one);
    }
    json_t *first = json_array_get(a, 0);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(first, "matched"),
                                         0)),
        "Nurse");
    json_decref(a);
    ss_hits_free(&h);

    /* an empty list is an empty array */
    req = occ("", 5);
    search_ok(&req, &h);
    a = ss_hits_to_json(&h);
    assert_true(json_is_array(a));
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
    ss_hits_free(&h);
}

static void test_searcher_info(void **state)
{
    (void)state;
    assert_string_equal(ss_searcher_lang(g_si.s), "en");
    assert_true(ss_searcher_doccount(g_si.s) >=
                g_si.esco->nocc + g_si.esco->nskill);
    assert_non_null(strstr(ss_searcher_generation(g_si.s), "index.gen-"));
    assert_non_null(ss_searcher_catalog(g_si.s));
}

static void test_open_errors(void **state)
{
    (void)state;
    ss_searcher *s = (ss_searcher *)1;
    char *err = NULL;
    char *missing = sample_path(&g_si, "no-such-index");
    assert_int_not_equal(ss_searcher_open(missing, SAMPLE_DATA, &s, &err),
                         SS_OK);
    assert_null(s);
    assert_non_null(err);
    assert_non_null(strstr(err, "no-such-index"));
    free(err);
    free(missing);

    /* a generation that is not an index */
    err = NULL;
    assert_int_not_equal(ss_searcher_open(g_si.tmp, SAMPLE_DATA, &s, &err),
                         SS_OK);
    assert_null(s);
    assert_non_null(err);
    free(err);

    ss_searcher_destroy(NULL);
    ss_hits_free(NULL);
}

/* ---------------------------------------------------------------- reload */

static void assert_answers(ss_searcher *s)
{
    ss_search_req req = occ("wire bonding cleanroom", 3);
    ss_hits h;
    char *err = NULL;
    assert_int_equal(ss_searcher_search(s, &req, &h, &err), SS_OK);
    assert_true(h.n > 0);
    assert_string_equal(h.v[0].uri, TECHNICIAN);
    ss_hits_free(&h);
}

/* Its own index in the same folder, so the shared searcher's generations
 * stay as they are. */
static void test_reload(void **state)
{
    (void)state;
    char *index = sample_path(&g_si, "reload-index"), *err = NULL;
    ss_searcher *s = NULL;
    assert_int_equal(sample_publish(index, g_si.esco, &err), SS_OK);
    assert_int_equal(ss_searcher_open(index, SAMPLE_DATA, &s, &err), SS_OK);
    char *gen1 = strdup(ss_searcher_generation(s));

    int changed = -1;
    assert_int_equal(ss_searcher_reload(s, &changed, &err), SS_OK);
    assert_int_equal(changed, 0);
    assert_string_equal(ss_searcher_generation(s), gen1);

    assert_int_equal(sample_publish(index, g_si.esco, &err), SS_OK);
    assert_int_equal(ss_searcher_reload(s, &changed, &err), SS_OK);
    assert_int_equal(changed, 1);
    assert_string_not_equal(ss_searcher_generation(s), gen1);
    assert_answers(s);
    assert_int_equal(ss_searcher_reload(s, NULL, &err), SS_OK);

    /* a generation that cannot be opened: the old one keeps serving */
    char *gen2 = strdup(ss_searcher_generation(s)), *empty = NULL;
    assert_int_equal(ss_gen_create(index, &empty, &err), SS_OK);
    assert_int_equal(ss_gen_publish(index, empty, &err), SS_OK);
    changed = -1;
    assert_int_not_equal(ss_searcher_reload(s, &changed, &err), SS_OK);
    assert_non_null(err);
    free(err);
    err = NULL;
    assert_int_equal(changed, 0);
    assert_string_equal(ss_searcher_generation(s), gen2);
    assert_answers(s);

    /* and a good one after it is taken */
    assert_int_equal(sample_publish(index, g_si.esco, &err), SS_OK);
    assert_int_equal(ss_searcher_reload(s, &changed, &err), SS_OK);
    assert_int_equal(changed, 1);
    assert_answers(s);

    ss_searcher_destroy(s);
    free(empty);
    free(gen1);
    free(gen2);
    free(index);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_hits),
        cmocka_unit_test(test_occupation_labels),
        cmocka_unit_test(test_skill_labels),
        cmocka_unit_test(test_paging),
        cmocka_unit_test(test_default_limit),
        cmocka_unit_test(test_len),
        cmocka_unit_test(test_isco_filter),
        cmocka_unit_test(test_isco_bad),
        cmocka_unit_test(test_facets),
        cmocka_unit_test(test_skill_filters),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nothing_to_search),
        cmocka_unit_test(test_stop_words_only),
        cmocka_unit_test(test_query_syntax_is_text),
        cmocka_unit_test(test_spelling),
        cmocka_unit_test(test_synonym_reason),
        cmocka_unit_test(test_hits_json),
        cmocka_unit_test(test_searcher_info),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_reload),
    };
    return cmocka_run_group_tests(tests, sample_group_setup,
                                  sample_group_teardown);
}
