/* test_xapian_wrap.c - the Xapian wrapper, driven from C (which also proves
 * xapian_wrap.h is plain C). One small index is built in a temp dir by the
 * group setup; tests that write build their own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/xapian_wrap.h"

/* ------------------------------------------------------------- fixtures */

enum { SLOT_GROUP = 0, SLOT_EXTRA = 1 };

/* Each doc: data, positioned words, boolean type term, group value. */
static const struct {
    const char *data;
    const char *words[3];
    const char *type;
    const char *group;
} DOCS[] = {
    {"doc1", {"wire", "bond", "cleanroom"}, "Toccupation", "A"},
    {"doc2", {"bond", "wire", NULL}, "Tskill", "A"},
    {"doc3", {"wire", "harness", NULL}, "Tskill", "B"},
    {"doc4", {"cleanroom", "protocol", NULL}, "Tskill", "B"},
};
#define NDOCS (sizeof DOCS / sizeof DOCS[0])

static char tmpdir[64];
static char idxpath[128];
static unsigned docids[NDOCS];
static ss_db *db;

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static void path_in_tmp(char *buf, size_t sz, const char *name)
{
    snprintf(buf, sz, "%s/%s", tmpdir, name);
}

static ss_doc *make_doc(size_t i)
{
    ss_doc *d = ss_doc_create();
    assert_non_null(d);
    for (unsigned p = 0; p < 3 && DOCS[i].words[p]; p++)
        assert_int_equal(ss_doc_add_posting(d, DOCS[i].words[p], p + 1, 1),
                         SS_OK);
    assert_int_equal(ss_doc_add_boolean_term(d, DOCS[i].type), SS_OK);
    assert_int_equal(ss_doc_set_value(d, SLOT_GROUP, DOCS[i].group,
                                      strlen(DOCS[i].group)),
                     SS_OK);
    assert_int_equal(ss_doc_set_data(d, DOCS[i].data, strlen(DOCS[i].data)),
                     SS_OK);
    return d;
}

static int group_setup(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/ss_xw_XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    path_in_tmp(idxpath, sizeof idxpath, "idx");

    ss_writer *w = NULL;
    char *err = NULL;
    if (ss_writer_create(idxpath, &w, &err) != SS_OK)
        return -1;
    for (size_t i = 0; i < NDOCS; i++) {
        ss_doc *d = make_doc(i);
        if (ss_writer_add_document(w, d, &docids[i], &err) != SS_OK)
            return -1;
        ss_doc_destroy(d);
    }
    if (ss_writer_add_synonym(w, "cleanroom", "clean room", &err) != SS_OK ||
        ss_writer_add_synonym(w, "cleanroom", "sterile room", &err) != SS_OK ||
        ss_writer_add_spelling(w, "cleanroom", 3, &err) != SS_OK ||
        ss_writer_add_spelling(w, "bonding", 1, &err) != SS_OK ||
        ss_writer_set_metadata(w, "lang", "en", &err) != SS_OK ||
        ss_writer_commit(w, &err) != SS_OK)
        return -1;
    ss_writer_destroy(w);
    return ss_db_open(idxpath, &db, &err) == SS_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    ss_db_destroy(db);
    return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Index of the DOCS entry with this docid, or -1. */
static int doc_index(unsigned docid)
{
    for (size_t i = 0; i < NDOCS; i++)
        if (docids[i] == docid)
            return (int)i;
    return -1;
}

static ss_results *search_opts(ss_query *q, const ss_search_opts *o)
{
    ss_results *r = NULL;
    char *err = NULL;
    assert_non_null(q);
    assert_int_equal(ss_db_search(db, q, o, &r, &err), SS_OK);
    assert_null(err);
    return r;
}

static ss_results *search(ss_query *q)
{
    return search_opts(q, NULL);
}

/* Bitmask of DOCS indexes in r. */
static unsigned hit_set(const ss_results *r)
{
    unsigned m = 0;
    for (size_t i = 0; i < ss_results_count(r); i++) {
        int k = doc_index(ss_results_docid(r, i));
        assert_true(k >= 0);
        m |= 1u << k;
    }
    return m;
}

static ss_query *term(const char *t)
{
    return ss_query_term(t, 1, 0);
}

static ss_query *combine2(ss_query_op op, ss_query *a, ss_query *b,
                          unsigned param)
{
    ss_query *subs[2] = {a, b};
    ss_query *q = ss_query_combine(op, subs, 2, param);
    ss_query_destroy(a);
    ss_query_destroy(b);
    return q;
}

/* ---------------------------------------------------------------- tests */

static void test_counts(void **state)
{
    (void)state;
    unsigned n = 0;
    assert_int_equal(ss_db_doccount(db, &n, NULL), SS_OK);
    assert_int_equal(n, NDOCS);
    static const struct {
        const char *term;
        unsigned freq;
    } cases[] = {{"wire", 3}, {"bond", 2}, {"Tskill", 3}, {"nothere", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(ss_db_termfreq(db, cases[i].term, &n, NULL), SS_OK);
        assert_int_equal(n, cases[i].freq);
    }
}

/* Two-term queries and the docs they must match (bit i = DOCS[i]). */
static void test_operators(void **state)
{
    (void)state;
    static const struct {
        ss_query_op op;
        const char *a, *b;
        unsigned param, want;
    } cases[] = {
        {SS_OP_PHRASE, "wire", "bond", 2, 1u << 0}, /* in order only */
        {SS_OP_NEAR, "wire", "bond", 2, 1u << 0 | 1u << 1},
        {SS_OP_FILTER, "wire", "Tskill", 0, 1u << 1 | 1u << 2},
        {SS_OP_AND, "wire", "bond", 0, 1u << 0 | 1u << 1},
        {SS_OP_OR, "harness", "protocol", 0, 1u << 2 | 1u << 3},
        {SS_OP_AND_NOT, "wire", "harness", 0, 1u << 0 | 1u << 1},
        {SS_OP_AND_MAYBE, "harness", "wire", 0, 1u << 2},
        {SS_OP_SYNONYM, "harness", "protocol", 0, 1u << 2 | 1u << 3},
        {SS_OP_MAX, "bond", "cleanroom", 0, 1u << 0 | 1u << 1 | 1u << 3},
        {SS_OP_ELITE_SET, "harness", "protocol", 1, 0}, /* either one */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ss_query *q = combine2(cases[i].op, term(cases[i].a),
                               term(cases[i].b), cases[i].param);
        ss_results *r = search(q);
        if (cases[i].op == SS_OP_ELITE_SET)
            assert_int_equal(ss_results_count(r), 1);
        else
            assert_int_equal(hit_set(r), cases[i].want);
        ss_results_destroy(r);
        ss_query_destroy(q);
    }
}

static void test_term_search_hits(void **state)
{
    (void)state;
    ss_query *q = term("harness");
    ss_results *r = search(q);
    assert_int_equal(ss_results_count(r), 1);
    assert_int_equal(ss_results_estimate(r), 1);
    assert_int_equal(ss_results_docid(r, 0), docids[2]);
    assert_true(ss_results_weight(r, 0) > 0);
    size_t len = 0;
    assert_string_equal(ss_results_data(r, 0, &len), "doc3");
    assert_int_equal(len, 4);
    assert_string_equal(ss_results_value(r, 0, SLOT_GROUP, &len), "B");
    assert_int_equal(len, 1);
    assert_string_equal(ss_results_value(r, 0, SLOT_EXTRA, &len), "");
    assert_int_equal(len, 0);
    /* Out of range hits are harmless. */
    assert_null(ss_results_data(r, 5, NULL));
    assert_int_equal(ss_results_docid(r, 5), 0);
    ss_results_destroy(r);
    ss_query_destroy(q);
}

static void test_scale_changes_order(void **state)
{
    (void)state;
    /* bond (doc1, doc2) against harness (doc3): whichever side is boosted
     * must come first. */
    static const struct {
        double bond, harness;
        int top_is_harness;
    } cases[] = {{1, 10, 1}, {10, 1, 0}};
    for (size_t i = 0; i < 2; i++) {
        /* ss_query_scale does not own its argument. */
        ss_query *b = term("bond"), *h = term("harness");
        ss_query *q = combine2(SS_OP_OR, ss_query_scale(b, cases[i].bond),
                               ss_query_scale(h, cases[i].harness), 0);
        ss_query_destroy(b);
        ss_query_destroy(h);
        ss_results *r = search(q);
        assert_int_equal(ss_results_count(r), 3);
        assert_int_equal(ss_results_docid(r, 0) == docids[2],
                         cases[i].top_is_harness);
        ss_results_destroy(r);
        ss_query_destroy(q);
    }
}

static void test_collapse(void **state)
{
    (void)state;
    ss_search_opts o;
    ss_search_opts_init(&o);
    assert_int_equal(o.limit, 10);
    assert_int_equal(o.collapse_slot, -1);
    ss_query *q = term("wire"); /* doc1, doc2 in A; doc3 in B */
    ss_results *r = search_opts(q, &o);
    assert_int_equal(ss_results_count(r), 3);
    ss_results_destroy(r);

    o.collapse_slot = SLOT_GROUP;
    r = search_opts(q, &o);
    assert_int_equal(ss_results_count(r), 2);
    assert_string_not_equal(ss_results_value(r, 0, SLOT_GROUP, NULL),
                            ss_results_value(r, 1, SLOT_GROUP, NULL));
    ss_results_destroy(r);
    ss_query_destroy(q);
}

static void test_paging_and_bm25_params(void **state)
{
    (void)state;
    ss_search_opts o;
    ss_search_opts_init(&o);
    o.offset = 1;
    o.limit = 1;
    o.k1 = 1.2;
    o.b = 0.75;
    ss_query *q = term("wire");
    ss_results *r = search_opts(q, &o);
    assert_int_equal(ss_results_count(r), 1);
    assert_int_equal(ss_results_estimate(r), 3);
    ss_results_destroy(r);
    ss_query_destroy(q);
}

static void test_matched_terms(void **state)
{
    (void)state;
    ss_query *subs[3] = {term("wire"), term("cleanroom"), term("absent")};
    ss_query *q = ss_query_combine(SS_OP_OR, subs, 3, 0);
    for (size_t i = 0; i < 3; i++)
        ss_query_destroy(subs[i]);
    ss_search_opts o;
    ss_search_opts_init(&o);
    ss_results *r = search_opts(q, &o);
    size_t n = 99;
    ss_results_terms(r, 0, &n);
    assert_int_equal(n, 0); /* not asked for */
    ss_results_destroy(r);

    o.want_terms = 1;
    r = search_opts(q, &o);
    assert_int_equal(ss_results_count(r), 4);
    for (size_t i = 0; i < ss_results_count(r); i++) {
        if (ss_results_docid(r, i) != docids[0])
            continue;
        const char *const *t = ss_results_terms(r, i, &n);
        assert_int_equal(n, 2);
        assert_string_equal(t[0], "cleanroom");
        assert_string_equal(t[1], "wire");
    }
    ss_results_destroy(r);
    ss_query_destroy(q);
}

static void test_synonyms_spelling_metadata(void **state)
{
    (void)state;
    char **list = NULL;
    size_t n = 0;
    assert_int_equal(ss_db_synonyms(db, "cleanroom", &list, &n, NULL), SS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0], "clean room");
    assert_string_equal(list[1], "sterile room");
    ss_strv_free(list, n);

    assert_int_equal(ss_db_synonyms(db, "wire", &list, &n, NULL), SS_OK);
    assert_int_equal(n, 0);
    ss_strv_free(list, n);

    assert_int_equal(ss_db_synonym_keys(db, "clean", &list, &n, NULL), SS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0], "cleanroom");
    ss_strv_free(list, n);

    char *s = NULL;
    assert_int_equal(ss_db_spelling_suggestion(db, "cleanrom", 2, &s, NULL),
                     SS_OK);
    assert_non_null(s);
    assert_string_equal(s, "cleanroom");
    free(s);
    assert_int_equal(ss_db_spelling_suggestion(db, "zzzzzzzz", 2, &s, NULL),
                     SS_OK);
    assert_null(s);

    assert_int_equal(ss_db_get_metadata(db, "lang", &s, NULL), SS_OK);
    assert_string_equal(s, "en");
    free(s);
    assert_int_equal(ss_db_get_metadata(db, "unset", &s, NULL), SS_OK);
    assert_string_equal(s, "");
    free(s);
}

static void test_allterms_and_data(void **state)
{
    (void)state;
    char **list = NULL;
    unsigned *freqs = NULL;
    size_t n = 0;
    assert_int_equal(ss_db_allterms(db, "T", 0, &list, &freqs, &n, NULL), SS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0], "Toccupation");
    assert_int_equal(freqs[0], 1);
    assert_string_equal(list[1], "Tskill");
    assert_int_equal(freqs[1], 3);
    ss_strv_free(list, n);
    free(freqs);

    /* max limits, freqs optional */
    assert_int_equal(ss_db_allterms(db, "", 2, &list, NULL, &n, NULL), SS_OK);
    assert_int_equal(n, 2);
    ss_strv_free(list, n);

    char *data = NULL, *err = NULL;
    size_t len = 0;
    assert_int_equal(ss_db_get_data(db, docids[3], &data, &len, NULL), SS_OK);
    assert_int_equal(len, 4);
    assert_string_equal(data, "doc4");
    free(data);
    assert_int_equal(ss_db_get_data(db, 999, &data, &len, &err),
                     SS_ERR_NOT_FOUND);
    assert_non_null(err);
    free(err);
}

static void test_expand(void **state)
{
    (void)state;
    char **terms = NULL;
    double *w = NULL;
    size_t n = 0;
    /* doc1 and doc2 share bond and wire; bond is rarer, so ranks first. */
    unsigned rel[] = {docids[0], docids[1]};
    assert_int_equal(ss_db_expand(db, rel, 2, "", 10, &terms, &w, &n, NULL),
                     SS_OK);
    assert_true(n >= 2);
    assert_string_equal(terms[0], "bond");
    assert_true(w[0] >= w[1] && w[1] > 0);
    ss_strv_free(terms, n);
    free(w);

    /* The prefix keeps only matching terms. */
    assert_int_equal(ss_db_expand(db, rel, 2, "w", 10, &terms, &w, &n, NULL),
                     SS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(terms[0], "wire");
    ss_strv_free(terms, n);
    free(w);
}

static void test_query_parse(void **state)
{
    (void)state;
    static const ss_field_prefix prefixes[] = {{"type", "T"}};
    static const struct {
        const char *text;
        ss_status st;
        unsigned want;
    } cases[] = {
        {"wire NOT harness", SS_OK, 1u << 0 | 1u << 1},
        {"\"wire bond\"", SS_OK, 1u << 0},
        {"wire AND type:skill", SS_OK, 1u << 1 | 1u << 2},
        {"wire OR", SS_ERR_BAD_QUERY, 0},
        {"wire AND AND bond", SS_ERR_BAD_QUERY, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ss_query *q = NULL;
        char *err = NULL;
        ss_status st = ss_query_parse(db, cases[i].text, NULL, prefixes, 1,
                                      &q, &err);
        assert_int_equal(st, cases[i].st);
        if (st != SS_OK) {
            assert_null(q);
            assert_non_null(err);
            free(err);
            continue;
        }
        ss_results *r = search(q);
        assert_int_equal(hit_set(r), cases[i].want);
        ss_results_destroy(r);
        ss_query_destroy(q);
    }

    /* With a stemmer, free text becomes Z-prefixed stems. */
    ss_query *q = NULL;
    assert_int_equal(ss_query_parse(db, "bonding", "en", NULL, 0, &q, NULL),
                     SS_OK);
    char *desc = ss_query_describe(q);
    assert_non_null(strstr(desc, "Zbond"));
    free(desc);
    ss_query_destroy(q);

    char *err = NULL;
    assert_int_equal(ss_query_parse(db, "x", "xx", NULL, 0, &q, &err),
                     SS_ERR_INVALID);
    free(err);
}

static void test_query_null_propagation(void **state)
{
    (void)state;
    ss_query *subs[2] = {term("wire"), NULL};
    assert_null(ss_query_combine(SS_OP_AND, subs, 2, 0));
    assert_null(ss_query_scale(NULL, 2));
    assert_null(ss_query_term(NULL, 1, 0));
    assert_null(ss_query_describe(NULL));
    /* Xapian rejects a negative scale: NULL, not an exception. */
    assert_null(ss_query_scale(subs[0], -1));
    ss_query_destroy(subs[0]);

    ss_query *none = ss_query_combine(SS_OP_OR, NULL, 0, 0);
    assert_non_null(none);
    assert_true(ss_query_empty(none));
    ss_results *r = search(none);
    assert_int_equal(ss_results_count(r), 0);
    ss_results_destroy(r);

    ss_query *all = ss_query_match_all();
    assert_false(ss_query_empty(all));
    ss_query *filtered = combine2(SS_OP_FILTER, all, term("Tskill"), 0);
    r = search(filtered);
    assert_int_equal(hit_set(r), 1u << 1 | 1u << 2 | 1u << 3);
    ss_results_destroy(r);
    ss_query_destroy(filtered);
    ss_query_destroy(none);
}

static void test_open_errors(void **state)
{
    (void)state;
    char path[160], *err = NULL;
    ss_db *d = NULL;

    path_in_tmp(path, sizeof path, "missing");
    assert_int_equal(ss_db_open(path, &d, &err), SS_ERR_NOT_FOUND);
    assert_null(d);
    assert_non_null(strstr(err, path));
    free(err);
    err = NULL;

    /* Junk files named like a glass database. */
    path_in_tmp(path, sizeof path, "junk");
    assert_int_equal(mkdir(path, 0700), 0);
    static const char *const files[] = {"iamglass", "postlist.glass",
                                        "termlist.glass", "record.glass"};
    for (size_t i = 0; i < 4; i++) {
        char f[200];
        snprintf(f, sizeof f, "%s/%s", path, files[i]);
        FILE *fp = fopen(f, "w");
        assert_non_null(fp);
        fputs("this is not a xapian table\n", fp);
        fclose(fp);
    }
    ss_status st = ss_db_open(path, &d, &err);
    assert_true(st == SS_ERR_CORRUPT || st == SS_ERR_NOT_FOUND);
    assert_null(d);
    assert_non_null(err);
    free(err);
}

static void test_writer_discard_lock_reopen(void **state)
{
    (void)state;
    char path[160], *err = NULL;
    path_in_tmp(path, sizeof path, "w");
    ss_writer *w = NULL, *w2 = NULL;
    assert_int_equal(ss_writer_create(path, &w, NULL), SS_OK);

    ss_doc *d = make_doc(0);
    unsigned id = 0;
    assert_int_equal(ss_writer_add_document(w, d, &id, NULL), SS_OK);
    assert_int_equal(ss_writer_commit(w, NULL), SS_OK);

    /* A second writer finds the lock taken. */
    assert_int_equal(ss_writer_create(path, &w2, &err), SS_ERR_LOCKED);
    assert_null(w2);
    assert_non_null(err);
    free(err);

    ss_db *r = NULL;
    unsigned n = 0;
    int changed = -1;
    assert_int_equal(ss_db_open(path, &r, NULL), SS_OK);
    assert_int_equal(ss_db_doccount(r, &n, NULL), SS_OK);
    assert_int_equal(n, 1);

    /* replace_document by unique term, then commit: reader sees it on
     * reopen only. */
    assert_int_equal(ss_doc_add_boolean_term(d, "Qid1"), SS_OK);
    assert_int_equal(ss_writer_replace_document(w, "Qid1", d, NULL), SS_OK);
    assert_int_equal(ss_writer_replace_document(w, "Qid1", d, NULL), SS_OK);
    assert_int_equal(ss_writer_commit(w, NULL), SS_OK);
    assert_int_equal(ss_db_doccount(r, &n, NULL), SS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ss_db_reopen(r, &changed, NULL), SS_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(ss_db_doccount(r, &n, NULL), SS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ss_db_reopen(r, &changed, NULL), SS_OK);
    assert_int_equal(changed, 0);

    /* Uncommitted changes die with the writer. */
    assert_int_equal(ss_writer_add_document(w, d, NULL, NULL), SS_OK);
    assert_int_equal(ss_writer_set_metadata(w, "k", "v", NULL), SS_OK);
    ss_doc_destroy(d);
    ss_writer_destroy(w);
    assert_int_equal(ss_db_reopen(r, &changed, NULL), SS_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(ss_db_doccount(r, &n, NULL), SS_OK);
    assert_int_equal(n, 2);
    char *v = NULL;
    assert_int_equal(ss_db_get_metadata(r, "k", &v, NULL), SS_OK);
    assert_string_equal(v, "");
    free(v);
    ss_db_destroy(r);

    /* The lock went with it; an empty commit gives an empty index. */
    assert_int_equal(ss_writer_create(path, &w, NULL), SS_OK);
    assert_int_equal(ss_writer_commit(w, NULL), SS_OK);
    ss_writer_destroy(w);
    assert_int_equal(ss_db_open(path, &r, NULL), SS_OK);
    assert_int_equal(ss_db_doccount(r, &n, NULL), SS_OK);
    assert_int_equal(n, 0);
    ss_db_destroy(r);
}

/* Writes `commits` commits of n docs holding `word` into a fresh index. */
static void fill_index(const char *path, const char *word, int n, int commits)
{
    ss_writer *w = NULL;
    assert_int_equal(ss_writer_create(path, &w, NULL), SS_OK);
    for (int c = 0; c < commits; c++) {
        for (int i = 0; i < n; i++) {
            ss_doc *d = ss_doc_create();
            char t[32];
            snprintf(t, sizeof t, "%s%d", word, i % 50);
            assert_int_equal(ss_doc_add_posting(d, word, 1, 1), SS_OK);
            assert_int_equal(ss_doc_add_posting(d, t, 2, 1), SS_OK);
            assert_int_equal(ss_writer_add_document(w, d, NULL, NULL), SS_OK);
            ss_doc_destroy(d);
        }
        assert_int_equal(ss_writer_commit(w, NULL), SS_OK);
    }
    ss_writer_destroy(w);
}

/* A writer replacing the index under an open reader discards the blocks the
 * reader's revision used: Xapian throws DatabaseModifiedError, which the
 * search must absorb by reopening (so it sees the new documents). */
static void test_search_retries_modified(void **state)
{
    (void)state;
    char path[160];
    path_in_tmp(path, sizeof path, "mod");
    fill_index(path, "old", 3000, 1);
    ss_db *r = NULL;
    assert_int_equal(ss_db_open(path, &r, NULL), SS_OK);
    fill_index(path, "new", 3000, 3);

    ss_query *q = term("new");
    ss_results *res = NULL;
    char *err = NULL;
    assert_int_equal(ss_db_search(r, q, NULL, &res, &err), SS_OK);
    assert_null(err);
    assert_int_equal(ss_results_count(res), 10);
    assert_int_equal(ss_results_estimate(res), 9000);
    ss_results_destroy(res);
    ss_query_destroy(q);
    ss_db_destroy(r);
}

static void test_invalid_args(void **state)
{
    (void)state;
    char *err = NULL;
    ss_writer *w = NULL;
    assert_int_equal(ss_writer_add_document(w, NULL, NULL, &err),
                     SS_ERR_INVALID);
    free(err);
    assert_int_equal(ss_doc_add_term(NULL, "x", 1), SS_ERR_INVALID);
    ss_doc *d = ss_doc_create();
    assert_int_equal(ss_doc_add_term(d, "x", 1), SS_OK);
    /* Xapian refuses empty terms: a status, never an exception. */
    assert_int_not_equal(ss_doc_add_posting(d, "", 1, 1), SS_OK);
    ss_doc_destroy(d);
    unsigned n;
    assert_int_equal(ss_db_doccount(NULL, &n, NULL), SS_ERR_INVALID);
}

static void test_destroy_null(void **state)
{
    (void)state;
    ss_writer_destroy(NULL);
    ss_doc_destroy(NULL);
    ss_db_destroy(NULL);
    ss_query_destroy(NULL);
    ss_results_destroy(NULL);
    ss_stemmer_destroy(NULL);
    ss_strv_free(NULL, 0);
}

static void test_stemmer(void **state)
{
    (void)state;
    static const struct {
        const char *lang, *word, *stem;
    } cases[] = {
        {"en", "executives", "execut"},
        {"english", "running", "run"},
        {"fr", "continuellement", "continuel"},
        {"nl", "lichamelijke", "licham"},
        {"de", "aufeinanderfolgenden", "aufeinanderfolg"},
    };
    char buf[64];
    size_t len;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ss_stemmer *st = NULL;
        assert_int_equal(ss_stemmer_create(cases[i].lang, &st, NULL), SS_OK);
        assert_int_equal(ss_stemmer_stem(st, cases[i].word,
                                         strlen(cases[i].word), buf,
                                         sizeof buf, &len),
                         SS_OK);
        assert_string_equal(buf, cases[i].stem);
        assert_int_equal(len, strlen(cases[i].stem));
        ss_stemmer_destroy(st);
    }

    /* Stem does not fit: the word, truncated to the buffer. */
    ss_stemmer *st = NULL;
    assert_int_equal(ss_stemmer_create("en", &st, NULL), SS_OK);
    assert_int_equal(ss_stemmer_stem(st, "executives", 10, buf, 4, &len), SS_OK);
    assert_string_equal(buf, "exe");
    assert_int_equal(len, 3);
    ss_stemmer_destroy(st);

    char *err = NULL;
    st = NULL;
    assert_int_equal(ss_stemmer_create("xx", &st, &err), SS_ERR_INVALID);
    assert_null(st);
    assert_non_null(err);
    free(err);
}

static void test_strerror(void **state)
{
    (void)state;
    for (int s = SS_OK; s <= SS_ERR_INTERNAL; s++) {
        const char *m = ss_strerror((ss_status)s);
        assert_non_null(m);
        assert_true(m[0] != '\0');
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_term_search_hits),
        cmocka_unit_test(test_scale_changes_order),
        cmocka_unit_test(test_collapse),
        cmocka_unit_test(test_paging_and_bm25_params),
        cmocka_unit_test(test_matched_terms),
        cmocka_unit_test(test_synonyms_spelling_metadata),
        cmocka_unit_test(test_allterms_and_data),
        cmocka_unit_test(test_expand),
        cmocka_unit_test(test_query_parse),
        cmocka_unit_test(test_query_null_propagation),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_writer_discard_lock_reopen),
        cmocka_unit_test(test_search_retries_modified),
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_destroy_null),
        cmocka_unit_test(test_stemmer),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
