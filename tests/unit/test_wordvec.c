/* test_wordvec.c - synonyms/wordvec.c: the vector file round trip (sorted
 * lookups, first of duplicates kept, int8 error small), files that are not
 * ours or are cut short, a write that cannot happen, and the wink import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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
    assert_int_equal(ss_wordvec_open(p, &v, &err), SS_ERR_CORRUPT);
    assert_null(v);
    assert_non_null(err);
    assert_non_null(strstr(err, p));
    free(err);
}

static void test_bad_files(void **state)
{
    (void)state;
    char *err = NULL;
    ss_wordvec *v = NULL;
    assert_int_equal(ss_wordvec_open(path("missing"), &v, &err),
                     SS_ERR_NOT_FOUND);
    free(err);
    write_file(path("empty"), "", 0);
    expect_corrupt(path("empty"));
    write_file(path("text"), "Occupation,conceptUri,iscoGroup\n", 32);
    expect_corrupt(path("text"));
    /* a good file cut short, and one with its magic changed */
    const char *words[] = {"one", "two"};
    const float vec[] = {1, 0, 0, 1};
    assert_int_equal(ss_wordvec_write(path("good"), 2, words, vec, 2, &err),
                     SS_OK);
    FILE *f = fopen(path("good"), "rb");
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    write_file(path("cut"), buf, n - 3);
    expect_corrupt(path("cut"));
    buf[0] = 'X';
    write_file(path("magic"), buf, n);
    expect_corrupt(path("magic"));
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
    free(err);
    err = NULL;
    assert_int_equal(access(path("no/such/dir.ssvec.tmp"), F_OK), -1);
    assert_int_equal(ss_wordvec_write(path("x"), 0, words, vec, 1, &err),
                     SS_ERR_INVALID);
    free(err);
}

static void test_import_wink(void **state)
{
    (void)state;
    const char *json =
        "{\"dimensions\": 2, \"words\": [\"Café\", \"cafe\", \"TEA\", \"milk\"],"
        " \"vectors\": {\"Café\": [1, 0, 1.0, 0], \"cafe\": [0, 1, 1.0, 1],"
        " \"TEA\": [0.5, 0.5, 0.7, 2], \"milk\": [1, 1, 1.4, 3]}}";
    write_file(path("w.json"), json, strlen(json));
    size_t kept = 0;
    char *err = NULL;
    assert_int_equal(ss_wordvec_import_wink(path("w.json"), path("w.ssvec"),
                                            0, &kept, &err),
                     SS_OK);
    assert_int_equal(kept, 3); /* Café and cafe meet as "cafe" */
    ss_wordvec *v = NULL;
    assert_int_equal(ss_wordvec_open(path("w.ssvec"), &v, &err), SS_OK);
    long k = ss_wordvec_find(v, "cafe", 4);
    assert_true(k >= 0);
    float acc[2] = {0};
    ss_wordvec_add(v, (size_t)k, 1, acc);
    assert_true(acc[0] > 0.99f && acc[1] == 0); /* the first one */
    assert_true(ss_wordvec_find(v, "tea", 3) >= 0);
    ss_wordvec_destroy(v);
    /* the most frequent words only */
    assert_int_equal(ss_wordvec_import_wink(path("w.json"), path("w2.ssvec"),
                                            2, &kept, &err),
                     SS_OK);
    assert_int_equal(kept, 1);
    static const struct {
        const char *json, *msg;
    } bad[] = {
        {"{\"dimensions\": 2, \"words\": [", ":1:"},
        {"[1, 2]", "not a wink embeddings file"},
        {"{\"dimensions\": 0, \"words\": [], \"vectors\": {}}",
         "not a wink embeddings file"},
        {"{\"dimensions\": 2, \"words\": [\"a\"], \"vectors\": {}}",
         "words[0]: no vector of 2 numbers"},
        {"{\"dimensions\": 2, \"words\": [\"a\"], \"vectors\": {\"a\": [1]}}",
         "words[0]: no vector of 2 numbers"},
        {"{\"dimensions\": 2, \"words\": [\"a\"], \"vectors\": {\"a\": [1, true]}}",
         "vectors[\"a\"][1]: not a number"},
        {"{\"dimensions\": 2, \"words\": [], \"vectors\": {}}", "no words"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path("bad.json"), bad[i].json, strlen(bad[i].json));
        err = NULL;
        assert_int_equal(ss_wordvec_import_wink(path("bad.json"),
                                                path("bad.ssvec"), 0, &kept,
                                                &err),
                         SS_ERR_INVALID);
        assert_non_null(err);
        if (!strstr(err, bad[i].msg))
            fail_msg("case %zu: '%s' lacks '%s'", i, err, bad[i].msg);
        free(err);
        assert_int_equal(access(path("bad.ssvec"), F_OK), -1);
    }
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
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_vector_math),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_write_fails_cleanly),
        cmocka_unit_test(test_import_wink)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
