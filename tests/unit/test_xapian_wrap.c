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

/* Each doc: positioned words (stored as "L<word>", plus "B<word>" for
 * body words), boolean type term. */
static const struct {
    const char *words[3];
    const char *body;
    const char *type;
} DOCS[] = {
    {{"wire", "bond", "cleanroom"}, "protocol", "XTocc"},
    {{"bond", "wire", NULL}, NULL, "XTskill"},
    {{"wire", "harness", NULL}, NULL, "XTskill"},
    {{"cleanroom", "protocol", NULL}, NULL, "XTskill"},
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
    char t[64];
    for (unsigned p = 0; p < 3 && DOCS[i].words[p]; p++) {
        snprintf(t, sizeof t, "L%s", DOCS[i].words[p]);
        assert_int_equal(ss_doc_add_posting(d, t, p + 1, 1), SS_OK);
    }
    if (DOCS[i].body) {
        snprintf(t, sizeof t, "B%s", DOCS[i].body);
        assert_int_equal(ss_doc_add_term(d, t, 1), SS_OK);
    }
    assert_int_equal(ss_doc_add_boolean_term(d, DOCS[i].type), SS_OK);
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

/* The query parser's callbacks: a toy analyser that lower-cases (the
 * parser already has), drops a final "ing" and counts its calls. */
static unsigned stem_calls;

static size_t toy_stem(void *ctx, const char *word, size_t len, char *buf,
                       size_t bufsz)
{
    (void)ctx;
    stem_calls++;
    if (len > 3 && !memcmp(word + len - 3, "ing", 3))
        len -= 3;
    if (len >= bufsz)
        return 0;
    memcpy(buf, word, len);
    buf[len] = '\0';
    return len;
}

static int toy_stop(void *ctx, const char *word)
{
    (void)ctx;
    return !strcmp(word, "the");
}

static int toy_type(void *ctx, const char *v, char *buf, size_t bufsz)
{
    (void)ctx;
    if (!strcmp(v, "occupation") || !strcmp(v, "skill")) {
        snprintf(buf, bufsz, "%s", v[0] == 'o' ? "occ" : "skill");
        return 1;
    }
    snprintf(buf, bufsz, "type: unknown value '%s'", v);
    return 0;
}

static ss_qp_field toy_fields[] = {
    {"", "L", NULL, NULL},
    {"", "B", NULL, NULL},
    {"label", "L", NULL, NULL},
    {"type", "XT", toy_type, NULL},
};

static ss_qp_config toy_config(void)
{
    ss_qp_config c = {.fields = toy_fields,
                      .nfields = sizeof toy_fields / sizeof toy_fields[0],
                      .stem = toy_stem,
                      .is_stop = toy_stop};
    return c;
}

/* Parses text with cfg and runs it with opts (NULL: defaults). */
static ss_results *parse_search(const char *text, const ss_qp_config *cfg,
                                const ss_search_opts *o)
{
    ss_query *q = NULL;
    ss_results *r = NULL;
    char *err = NULL;
    assert_int_equal(ss_query_parse(db, text, cfg, &q, &err), SS_OK);
    assert_null(err);
    assert_int_equal(ss_db_search(db, q, o, &r, &err), SS_OK);
    assert_null(err);
    ss_query_destroy(q);
    return r;
}

/* ---------------------------------------------------------------- tests */

static void test_counts(void **state)
{
    (void)state;
    unsigned n = 0;
    assert_int_equal(ss_db_doccount(db, &n, NULL), SS_OK);
    assert_int_equal(n, NDOCS);
}

/* Queries and the docs they must match (bit i = DOCS[i]). */
static void test_parse_operators(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned want;
    } cases[] = {
        {"wire", 1u << 0 | 1u << 1 | 1u << 2},
        {"wire bond", 1u << 0 | 1u << 1},        /* AND by default */
        {"wire AND bond", 1u << 0 | 1u << 1},
        {"harness OR protocol", 1u << 0 | 1u << 2 | 1u << 3},
        {"wire NOT harness", 1u << 0 | 1u << 1},
        {"wire -harness", 1u << 0 | 1u << 1},
        {"NOT wire", 1u << 3},                    /* pure NOT */
        {"\"wire bond\"", 1u << 0},               /* in order only */
        {"\"bond wire\"", 1u << 1},
        {"wire NEAR bond", 1u << 0 | 1u << 1},
        {"(harness OR cleanroom) AND wire", 1u << 0 | 1u << 2},
        {"bonding", 1u << 0 | 1u << 1},           /* through the stemmer */
        {"BONDING", 1u << 0 | 1u << 1},           /* lower-cased first */
        {"\"wire bonding\"", 1u << 0},            /* phrases stemmed too */
        {"the harness", 1u << 2},                 /* stop word dropped */
        {"harn*", 1u << 2},                       /* wildcard */
        {"label:protocol", 1u << 3},              /* one field only */
        {"protocol", 1u << 0 | 1u << 3},          /* default: L and B */
        {"wire type:skill", 1u << 1 | 1u << 2},   /* mapped filter */
        {"type:occupation OR type:skill", 0xf},   /* one field: ORed */
        {"nothere", 0},
        {"", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ss_qp_config c = toy_config();
        ss_results *r = parse_search(cases[i].text, &c, NULL);
        if (hit_set(r) != cases[i].want)
            fail_msg("%s: got %x, want %x", cases[i].text, hit_set(r),
                     cases[i].want);
        ss_results_destroy(r);
    }
    assert_true(stem_calls > 0);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"wire OR", "Syntax: <expression> OR <expression>"},
        {"AND", "Syntax: <expression> AND <expression>"},
        {"wire AND AND bond", "Syntax"},
        {"wire type:bogus", "type: unknown value 'bogus'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ss_qp_config c = toy_config();
        ss_query *q = NULL;
        char *err = NULL;
        assert_int_equal(ss_query_parse(db, cases[i].text, &c, &q, &err),
                         SS_ERR_BAD_QUERY);
        assert_null(q);
        assert_non_null(err);
        /* the user's mistake: the message does not name the index */
        if (!strstr(err, cases[i].msg) || strstr(err, tmpdir))
            fail_msg("%s: message '%s'", cases[i].text, err);
        free(err);
    }
    ss_qp_config c = toy_config();
    ss_query *q = NULL;
    char *err = NULL;
    c.stem = NULL;
    assert_int_equal(ss_query_parse(db, "x", &c, &q, &err), SS_ERR_INVALID);
    free(err);
    err = NULL;
    c = toy_config();
    assert_int_equal(ss_query_parse(NULL, "x", &c, &q, &err), SS_ERR_INVALID);
    free(err);
}

/* A filter's fallback applies only when the query does not name its
 * field; filters apply always. */
static void test_parse_fallback_and_filters(void **state)
{
    (void)state;
    ss_qp_field f[sizeof toy_fields / sizeof toy_fields[0]];
    memcpy(f, toy_fields, sizeof f);
    f[3].fallback = "XTocc";
    ss_qp_config c = toy_config();
    c.fields = f;
    ss_results *r = parse_search("wire", &c, NULL);
    assert_int_equal(hit_set(r), 1u << 0);
    ss_results_destroy(r);
    r = parse_search("wire type:skill", &c, NULL);
    assert_int_equal(hit_set(r), 1u << 1 | 1u << 2);
    ss_results_destroy(r);

    const char *filters[] = {"Lharness"};
    c.fields = toy_fields;
    c.filters = filters;
    c.nfilters = 1;
    r = parse_search("wire", &c, NULL);
    assert_int_equal(hit_set(r), 1u << 2);
    ss_results_destroy(r);
    /* a filter alone still filters nothing in */
    r = parse_search("protocol", &c, NULL);
    assert_int_equal(hit_set(r), 0);
    ss_results_destroy(r);
}

static void test_paging_and_hits(void **state)
{
    (void)state;
    ss_search_opts o;
    ss_search_opts_init(&o);
    assert_int_equal(o.limit, 10);
    assert_int_equal(o.offset, 0);
    ss_qp_config c = toy_config();
    ss_results *r = parse_search("harness", &c, &o);
    assert_int_equal(ss_results_count(r), 1);
    assert_int_equal(ss_results_estimate(r), 1);
    assert_int_equal(ss_results_docid(r, 0), docids[2]);
    assert_true(ss_results_weight(r, 0) > 0);
    /* Out of range hits are harmless. */
    assert_int_equal(ss_results_docid(r, 5), 0);
    assert_true(ss_results_weight(r, 5) == 0);
    ss_results_destroy(r);

    o.offset = 1;
    o.limit = 1;
    r = parse_search("wire", &c, &o);
    assert_int_equal(ss_results_count(r), 1);
    assert_int_equal(ss_results_estimate(r), 3);
    ss_results_destroy(r);
}

static void test_matched_terms(void **state)
{
    (void)state;
    ss_qp_config c = toy_config();
    ss_search_opts o;
    ss_search_opts_init(&o);
    ss_results *r = parse_search("wire OR cleanroom OR absent", &c, &o);
    size_t n = 99;
    ss_results_terms(r, 0, &n);
    assert_int_equal(n, 0); /* not asked for */
    ss_results_destroy(r);

    o.want_terms = 1;
    r = parse_search("wire OR cleanroom OR absent", &c, &o);
    assert_int_equal(ss_results_count(r), 4);
    for (size_t i = 0; i < ss_results_count(r); i++) {
        if (ss_results_docid(r, i) != docids[0])
            continue;
        const char *const *t = ss_results_terms(r, i, &n);
        assert_int_equal(n, 2); /* in query order */
        assert_string_equal(t[0], "Lwire");
        assert_string_equal(t[1], "Lcleanroom");
    }
    ss_results_destroy(r);
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

static void test_writer_discard_lock(void **state)
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
    assert_int_equal(ss_db_open(path, &r, NULL), SS_OK);
    assert_int_equal(ss_db_doccount(r, &n, NULL), SS_OK);
    assert_int_equal(n, 1);

    /* A commit is seen by a reader opened after it. */
    assert_int_equal(ss_writer_add_document(w, d, NULL, NULL), SS_OK);
    assert_int_equal(ss_writer_commit(w, NULL), SS_OK);
    assert_int_equal(ss_db_doccount(r, &n, NULL), SS_OK);
    assert_int_equal(n, 1);
    ss_db_destroy(r);
    assert_int_equal(ss_db_open(path, &r, NULL), SS_OK);
    assert_int_equal(ss_db_doccount(r, &n, NULL), SS_OK);
    assert_int_equal(n, 2);

    /* Uncommitted changes die with the writer. */
    assert_int_equal(ss_writer_add_document(w, d, NULL, NULL), SS_OK);
    assert_int_equal(ss_writer_set_metadata(w, "k", "v", NULL), SS_OK);
    ss_doc_destroy(d);
    ss_writer_destroy(w);
    ss_db_destroy(r);
    assert_int_equal(ss_db_open(path, &r, NULL), SS_OK);
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

    static const ss_qp_field plain[] = {{"", "", NULL, NULL}};
    ss_qp_config c = toy_config();
    c.fields = plain;
    c.nfields = 1;
    ss_query *q = NULL;
    ss_results *res = NULL;
    char *err = NULL;
    assert_int_equal(ss_query_parse(r, "new", &c, &q, &err), SS_OK);
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
        cmocka_unit_test(test_parse_operators),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_fallback_and_filters),
        cmocka_unit_test(test_paging_and_hits),
        cmocka_unit_test(test_matched_terms),
        cmocka_unit_test(test_synonyms_spelling_metadata),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_writer_discard_lock),
        cmocka_unit_test(test_search_retries_modified),
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_destroy_null),
        cmocka_unit_test(test_stemmer),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
