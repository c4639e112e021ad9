/* test_wordvec.c - synonyms/wordvec.c: the vector file round trip (sorted
 * lookups, first of duplicates kept, int8 error small), files that are not
 * ours, are cut short or have a bad header, a write that cannot happen,
 * and the wink import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../synonyms/wordvec.h"

static char dir[] = "/tmp/skillsearch-wordvec.XXXXXX";

static char *path(const char *name)
{
    static char buf[4][256];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *p, const char *text, size_t n)
{
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    fclose(f);
}

static void test_round_trip(void **state)
{
    (void)state;
    const char *words[] = {"zebra", "apple", "", "mango", "apple", "app"};
    const float vec[] = {0.1f, -0.2f, 0.3f,  1, 2, 3,   9, 9, 9,
                         -4, 0.5f, 0,        7, 7, 7,   0, 0, 0};
    char *err = NULL;
    assert_int_equal(ss_wordvec_write(path("a.ssvec"), 3, words, vec, 6, &err),
                     SS_OK);
    ss_wordvec *v = NULL;
    assert_int_equal(ss_wordvec_open(path("a.ssvec"), &v, &err), SS_OK);
    assert_int_equal(ss_wordvec_dims(v), 3);
    assert_int_equal(ss_wordvec_count(v), 4); /* "" dropped, one apple */
    size_t len;
    const char *w0 = ss_wordvec_word(v, 0, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(w0, "app", 3); /* sorted bytewise */
    assert_int_equal(ss_wordvec_find(v, "ap", 2), -1);
    assert_int_equal(ss_wordvec_find(v, "apples", 6), -1);
    assert_int_equal(ss_wordvec_find(v, "kiwi", 4), -1);
    long k = ss_wordvec_find(v, "apple", 5);
    assert_true(k >= 0);
    float acc[3] = {0};
    ss_wordvec_add(v, (size_t)k, 1, acc);
    /* the first apple (1,2,3), within int8 rounding */
    for (int j = 0; j < 3; j++)
        assert_true(acc[j] > (float)(j + 1) - 0.02f &&
                    acc[j] < (float)(j + 1) + 0.02f);
    k = ss_wordvec_find(v, "zebra", 5);
    memset(acc, 0, sizeof acc);
    ss_wordvec_add(v, (size_t)k, 2, acc); /* weight scales */
    assert_true(acc[0] > 0.19f && acc[0] < 0.21f);
    assert_true(acc[1] > -0.41f && acc[1] < -0.39f);
    k = ss_wordvec_find(v, "app", 3);
    memset(acc, 0, sizeof acc);
    ss_wordvec_add(v, (size_t)k, 1, acc); /* a zero vector stays zero */
    assert_true(acc[0] == 0 && acc[1] == 0 && acc[2] == 0);
    ss_wordvec_destroy(v);
    ss_wordvec_destroy(NULL);
}

/* Enough words for the binary search to take many steps; every word is
 * found, and every component is within half a quantisation step of what
 * was written (per-word scale: max |x| / 127). */
static void test_many_words(void **state)
{
    (void)state;
    enum { N = 500, D = 7 };
    static char buf[N][16];
    static const char *words[N];
    static float vec[N * D];
    unsigned seed = 12345;
    for (int i = 0; i < N; i++) {
        snprintf(buf[i], sizeof buf[i], "w%d", (i * 7919) % N); /* unsorted */
        words[i] = buf[i];
        for (int j = 0; j < D; j++) {
            seed = seed * 1103515245u + 12345u;
            vec[i * D + j] = ((float)(seed >> 16 & 0x7fff) / 16384.0f - 1) *
                             (float)(i % 5 + 1);
        }
    }
    char *err = NULL;
    assert_int_equal(ss_wordvec_write(path("many"), D, words, vec, N, &err),
                     SS_OK);
    ss_wordvec *v = NULL;
    assert_int_equal(ss_wordvec_open(path("many"), &v, &err), SS_OK);
    assert_int_equal(ss_wordvec_count(v), N);
    assert_int_equal(ss_wordvec_dims(v), D);
    for (int i = 0; i < N; i++) {
        long k = ss_wordvec_find(v, words[i], strlen(words[i]));
        assert_true(k >= 0);
        size_t len;
        const char *w = ss_wordvec_word(v, (size_t)k, &len);
        assert_int_equal(len, strlen(words[i]));
        assert_memory_equal(w, words[i], len);
        float acc[D] = {0}, mx = 0;
        ss_wordvec_add(v, (size_t)k, 1, acc);
        for (int j = 0; j < D; j++)
            mx = fabsf(vec[i * D + j]) > mx ? fabsf(vec[i * D + j]) : mx;
        for (int j = 0; j < D; j++)
            if (fabsf(acc[j] - vec[i * D + j]) > mx / 254.0f * 1.001f + 1e-6f)
                fail_msg("%s[%d]: %g read back as %g", words[i], j,
                         (double)vec[i * D + j], (double)acc[j]);
    }
    /* stored sorted, strictly (no duplicates) */
    for (size_t i = 1; i < N; i++) {
        size_t la, lb;
        const char *a = ss_wordvec_word(v, i - 1, &la);
        const char *b = ss_wordvec_word(v, i, &lb);
        int c = memcmp(a, b, la < lb ? la : lb);
        assert_true(c < 0 || (c == 0 && la < lb));
    }
    assert_int_equal(ss_wordvec_find(v, "w", 1), -1);
    assert_int_equal(ss_wordvec_find(v, "w5000", 5), -1);
    assert_int_equal(ss_wordvec_find(v, "", 0), -1);
    ss_wordvec_destroy(v);
}

/* No words is a valid (useless) file: nothing is found. */
static void test_no_words(void **state)
{
    (void)state;
    const char *words[] = {""};
    const float vec[] = {1, 2};
    char *err = NULL;
    assert_int_equal(ss_wordvec_write(path("none"), 2, words, vec, 1, &err),
                     SS_OK);
    ss_wordvec *v = NULL;
    assert_int_equal(ss_wordvec_open(path("none"), &v, &err), SS_OK);
    assert_int_equal(ss_wordvec_count(v), 0);
    assert_int_equal(ss_wordvec_find(v, "a", 1), -1);
    ss_wordvec_destroy(v);
}

static void test_vector_math(void **state)
{
    (void)state;
    float a[2] = {3, 4}, b[2] = {6, 8}, z[2] = {0, 0}, c[2] = {-4, 3};
    assert_true(ss_vec_cosine(a, b, 2) > 0.9999f);
    assert_true(ss_vec_cosine(a, c, 2) < 1e-6f && ss_vec_cosine(a, c, 2) > -1e-6f);
    assert_true(ss_vec_cosine(a, z, 2) == 0);
    assert_int_equal(ss_vec_normalize(a, 2), 1);
    assert_true(a[0] > 0.5999f && a[0] < 0.6001f);
    assert_int_equal(ss_vec_normalize(z, 2), 0);
}

static void expect_corrupt(const char *p)
{
    ss_wordvec *v = (ss_wordvec *)1;
    char *err = NULL;
    ss_status st = ss_wordvec_open(p, &v, &err);
    if (st != SS_ERR_CORRUPT)
        fail_msg("%s opened with status %d: %s", p, (int)st, err ? err : "");
    assert_null(v);
    assert_non_null(err);
    assert_non_null(strstr(err, p));
    free(err);
}

/* A good two-word file's bytes (returns the length). */
static size_t good_file(char *buf, size_t cap)
{
    const char *words[] = {"one", "two"};
    const float vec[] = {1, 0, 0, 1};
    char *err = NULL;
    assert_int_equal(ss_wordvec_write(path("good"), 2, words, vec, 2, &err),
                     SS_OK);
    FILE *f = fopen(path("good"), "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static void put_u32(char *p, uint32_t x) { memcpy(p, &x, 4); }

static void test_bad_files(void **state)
{
    (void)state;
    char *err = NULL;
    ss_wordvec *v = (ss_wordvec *)1;
    assert_int_equal(ss_wordvec_open(path("missing"), &v, &err),
                     SS_ERR_NOT_FOUND);
    assert_null(v);
    assert_non_null(err);
    assert_non_null(strstr(err, path("missing")));
    free(err);
    write_file(path("empty"), "", 0);
    expect_corrupt(path("empty"));
    write_file(path("text"), "Occupation,conceptUri,iscoGroup\n", 32);
    expect_corrupt(path("text"));
    char buf[4096];
    size_t n = good_file(buf, sizeof buf);
    assert_int_equal(n, 60); /* 24 header, 16 offsets, 8 strings, 8 + 4 */
    /* cut short anywhere: the header's size no longer matches */
    for (size_t cut = 1; cut < n; cut++) {
        char name[32];
        snprintf(name, sizeof name, "cut-%zu", cut);
        write_file(path(name), buf, cut);
        expect_corrupt(path(name));
    }
    /* one byte more is not ours either */
    char longer[61];
    memcpy(longer, buf, n);
    longer[n] = 0;
    write_file(path("long"), longer, n + 1);
    expect_corrupt(path("long"));
    /* header fields out of range; offsets that fall or run past the end */
    static const struct {
        size_t at;
        uint32_t x;
    } bad[] = {
        {8, 0},              /* dims */
        {8, SS_WORDVEC_MAX_DIMS + 1},
        {8, 3},              /* dims larger than the vectors stored */
        {12, 3},             /* nwords */
        {12, 1u << 28},
        {12, UINT32_MAX},
        {28, 7},             /* offs[1] > offs[2] (6) */
        {32, 9},             /* offs[2]: strings past their section */
        {32, UINT32_MAX},
        {16, 59},            /* total size */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char b[64];
        memcpy(b, buf, n);
        put_u32(b + bad[i].at, bad[i].x);
        char name[32];
        snprintf(name, sizeof name, "hdr-%zu-%u", bad[i].at, bad[i].x);
        write_file(path(name), b, n);
        expect_corrupt(path(name));
    }
    buf[0] = 'X';
    write_file(path("magic"), buf, n);
    expect_corrupt(path("magic"));
}

/* Any single byte changed must open cleanly or be refused; what opens must
 * answer lookups within the file (ASan/valgrind see a stray read). */
static void test_flipped_bytes(void **state)
{
    (void)state;
    char buf[64];
    size_t n = good_file(buf, sizeof buf);
    static const unsigned char vals[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
    for (size_t at = 0; at < n; at++) {
        for (size_t k = 0; k < sizeof vals; k++) {
            char b[64];
            memcpy(b, buf, n);
            b[at] = (char)vals[k];
            write_file(path("flip"), b, n);
            ss_wordvec *v = NULL;
            char *err = NULL;
            ss_status st = ss_wordvec_open(path("flip"), &v, &err);
            free(err);
            if (st != SS_OK) {
                assert_int_equal(st, SS_ERR_CORRUPT);
                continue;
            }
            unsigned d = ss_wordvec_dims(v);
            float acc[SS_WORDVEC_MAX_DIMS] = {0};
            for (size_t i = 0; i < ss_wordvec_count(v); i++) {
                size_t len;
                const char *w = ss_wordvec_word(v, i, &len);
                assert_true(len <= n);
                ss_wordvec_find(v, w, len);
                ss_wordvec_add(v, i, 1, acc);
            }
            assert_true(d >= 1 && d <= SS_WORDVEC_MAX_DIMS);
            ss_wordvec_find(v, "one", 3);
            ss_wordvec_find(v, "two", 3);
            ss_wordvec_destroy(v);
        }
    }
}

static void test_write_fails_cleanly(void **state)
{
    (void)state;
    const char *words[] = {"one"};
    const float vec[] = {1, 2};
    char *err = NULL;
    assert_int_equal(ss_wordvec_write(path("no/such/dir.ssvec"), 2, words,
                                      vec, 1, &err),
                     SS_ERR_IO);
    assert_non_null(err);
    assert_non_null(strstr(err, path("no/such/dir.ssvec")));
    free(err);
    err = NULL;
    assert_int_equal(access(path("no/such/dir.ssvec.tmp"), F_OK), -1);
    /* the .tmp is written but cannot replace a directory: it must go */
    assert_int_equal(mkdir(path("adir"), 0700), 0);
    assert_int_equal(ss_wordvec_write(path("adir"), 2, words, vec, 1, &err),
                     SS_ERR_IO);
    assert_non_null(err);
    assert_non_null(strstr(err, path("adir")));
    free(err);
    err = NULL;
    assert_int_equal(access(path("adir.tmp"), F_OK), -1);
    struct stat sb;
    assert_int_equal(stat(path("adir"), &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    /* a refused write leaves the file that was there */
    assert_int_equal(ss_wordvec_write(path("keep"), 2, words, vec, 1, &err),
                     SS_OK);
    assert_int_equal(ss_wordvec_write(path("keep"), 0, words, vec, 1, &err),
                     SS_ERR_INVALID);
    free(err);
    err = NULL;
    assert_int_equal(ss_wordvec_write(path("keep"), SS_WORDVEC_MAX_DIMS + 1,
                                      words, vec, 1, &err),
                     SS_ERR_INVALID);
    free(err);
    ss_wordvec *v = NULL;
    assert_int_equal(ss_wordvec_open(path("keep"), &v, NULL), SS_OK);
    assert_int_equal(ss_wordvec_count(v), 1);
    assert_int_equal(ss_wordvec_dims(v), 2);
    ss_wordvec_destroy(v);
}

/* Imports json (written to w.json) into out; returns the status. */
static ss_status import(const char *json, const char *out, size_t max_words,
                        size_t *kept, char **err)
{
    write_file(path("w.json"), json, strlen(json));
    return ss_wordvec_import_wink(path("w.json"), out, max_words, kept, err);
}

static void test_import_wink(void **state)
{
    (void)state;
    /* components past "dimensions" are wink's own extras: ignored */
    const char *json =
        "{\"dimensions\": 2, \"words\": [\"Café\", \"CAFE\", \"TEA\", \"milk\"],"
        " \"vectors\": {\"Café\": [1, 0, 1.0, 0], \"CAFE\": [0, 1, 1.0, 1],"
        " \"TEA\": [0.5, 0.5, 0.7, 2], \"milk\": [1, 1, 1.4, 3]}}";
    size_t kept = 0;
    char *err = NULL;
    assert_int_equal(import(json, path("w.ssvec"), 0, &kept, &err), SS_OK);
    assert_int_equal(kept, 3); /* Café and CAFE meet as "cafe" */
    ss_wordvec *v = NULL;
    assert_int_equal(ss_wordvec_open(path("w.ssvec"), &v, &err), SS_OK);
    assert_int_equal(ss_wordvec_dims(v), 2);
    assert_int_equal(ss_wordvec_count(v), 3);
    long k = ss_wordvec_find(v, "cafe", 4);
    assert_true(k >= 0);
    float acc[2] = {0};
    ss_wordvec_add(v, (size_t)k, 1, acc);
    assert_true(acc[0] > 0.99f && acc[1] == 0); /* the first one, Café */
    assert_true(ss_wordvec_find(v, "tea", 3) >= 0); /* stored folded */
    assert_int_equal(ss_wordvec_find(v, "TEA", 3), -1);
    assert_int_equal(ss_wordvec_find(v, "café", strlen("café")), -1);
    ss_wordvec_destroy(v);
    /* the most frequent words only: 2 words, one after merging */
    assert_int_equal(import(json, path("w2.ssvec"), 2, &kept, &err), SS_OK);
    assert_int_equal(kept, 1);
    assert_int_equal(import(json, path("w2.ssvec"), 3, &kept, &err), SS_OK);
    assert_int_equal(kept, 2);
    assert_int_equal(import(json, path("w2.ssvec"), 99, &kept, &err), SS_OK);
    assert_int_equal(kept, 3);
    /* words past the limit are not read, broken or not */
    const char *tail = "{\"dimensions\": 2, \"words\": [\"tea\", \"ghost\", 7],"
                       " \"vectors\": {\"tea\": [1, 2]}}";
    assert_int_equal(import(tail, path("w3.ssvec"), 1, &kept, &err), SS_OK);
    assert_int_equal(kept, 1);
    assert_int_equal(import(tail, path("w3.ssvec"), 0, &kept, &err),
                     SS_ERR_INVALID);
    assert_non_null(strstr(err, "words[1]"));
    free(err);
    err = NULL;
}

static void test_import_errors(void **state)
{
    (void)state;
    size_t kept = 0;
    char *err = NULL;
    /* a good file that a failed import must leave alone */
    const char *good = "{\"dimensions\": 2, \"words\": [\"a\"],"
                       " \"vectors\": {\"a\": [1, 2]}}";
    assert_int_equal(import(good, path("keep.ssvec"), 0, &kept, &err), SS_OK);
    static const struct {
        const char *json, *msg;
    } bad[] = {
        {"{\"dimensions\": 2, \"words\": [", ":1:"},
        {"{\"dimensions\": 2,\n \"words\": [\"a\" \"b\"]}", ":2:"},
        {"", ":1:"},
        {"\"just a string\"", ":1:"},
        {"[1, 2]", "not a wink embeddings file"},
        {"{\"dimensions\": 0, \"words\": [], \"vectors\": {}}",
         "not a wink embeddings file"},
        {"{\"dimensions\": -3, \"words\": [], \"vectors\": {}}",
         "not a wink embeddings file"},
        {"{\"dimensions\": 1025, \"words\": [], \"vectors\": {}}",
         "not a wink embeddings file"},
        {"{\"dimensions\": \"2\", \"words\": [], \"vectors\": {}}",
         "not a wink embeddings file"},
        {"{\"dimensions\": 2, \"words\": {}, \"vectors\": {}}",
         "not a wink embeddings file"},
        {"{\"dimensions\": 2, \"words\": [], \"vectors\": []}",
         "not a wink embeddings file"},
        {"{\"dimensions\": 2, \"words\": [\"a\"]}",
         "not a wink embeddings file"},
        {"{\"dimensions\": 2, \"words\": [\"a\"], \"vectors\": {}}",
         "words[0]: no vector of 2 numbers"},
        {"{\"dimensions\": 2, \"words\": [\"a\", 5], \"vectors\": {\"a\": [1, 2]}}",
         "words[1]: no vector of 2 numbers"},
        {"{\"dimensions\": 2, \"words\": [\"a\"], \"vectors\": {\"a\": 5}}",
         "words[0]: no vector of 2 numbers"},
        {"{\"dimensions\": 2, \"words\": [\"a\"], \"vectors\": {\"a\": [1]}}",
         "words[0]: no vector of 2 numbers"},
        {"{\"dimensions\": 2, \"words\": [\"a\"], \"vectors\": {\"a\": [1, true]}}",
         "vectors[\"a\"][1]: not a number"},
        {"{\"dimensions\": 2, \"words\": [\"a\"], \"vectors\": {\"a\": [\"1\", 2]}}",
         "vectors[\"a\"][0]: not a number"},
        {"{\"dimensions\": 2, \"words\": [\"a\"], \"vectors\": {\"a\": [null, 2]}}",
         "vectors[\"a\"][0]: not a number"},
        /* a double, but past float range: inf would make the vector NaN */
        {"{\"dimensions\": 2, \"words\": [\"a\"], \"vectors\": {\"a\": [1, -1e39]}}",
         "vectors[\"a\"][1]: -1e+39 is out of range"},
        {"{\"dimensions\": 2, \"words\": [], \"vectors\": {}}", "no words"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = NULL;
        kept = 99;
        assert_int_equal(import(bad[i].json, path("keep.ssvec"), 0, &kept,
                                &err),
                         SS_ERR_INVALID);
        assert_int_equal(kept, 0);
        assert_non_null(err);
        if (!strstr(err, bad[i].msg) || !strstr(err, path("w.json")))
            fail_msg("case %zu: '%s' lacks '%s' or the file", i, err,
                     bad[i].msg);
        free(err);
        assert_int_equal(access(path("keep.ssvec.tmp"), F_OK), -1);
    }
    ss_wordvec *v = NULL;
    assert_int_equal(ss_wordvec_open(path("keep.ssvec"), &v, NULL), SS_OK);
    assert_int_equal(ss_wordvec_count(v), 1);
    ss_wordvec_destroy(v);
    /* no JSON file; an output that cannot be written */
    err = NULL;
    assert_int_equal(ss_wordvec_import_wink(path("nothere.json"),
                                            path("x.ssvec"), 0, &kept, &err),
                     SS_ERR_INVALID);
    assert_non_null(strstr(err, path("nothere.json")));
    free(err);
    err = NULL;
    assert_int_equal(import(good, path("no/dir/x.ssvec"), 0, &kept, &err),
                     SS_ERR_IO);
    assert_non_null(strstr(err, path("no/dir/x.ssvec")));
    free(err);
    assert_int_equal(access(path("x.ssvec"), F_OK), -1);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_many_words),
        cmocka_unit_test(test_no_words),
        cmocka_unit_test(test_vector_math),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_flipped_bytes),
        cmocka_unit_test(test_write_fails_cleanly),
        cmocka_unit_test(test_import_wink),
        cmocka_unit_test(test_import_errors)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
