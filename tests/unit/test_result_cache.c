/* test_result_cache.c - server/result_cache.c: hits return exact copies,
 * keys are bytes (a NUL inside counts), replacement, the byte bound and
 * LRU order of eviction, a disabled (NULL) cache, and many threads at once. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/result_cache.h"

static int has(ss_rcache *c, const char *key, const char *want)
{
    char *body = NULL;
    size_t len = 0;
    int hit = ss_rcache_get(c, key, strlen(key), &body, &len);
    if (hit && want) {
        assert_int_equal(len, strlen(want));
        assert_string_equal(body, want);
    }
    free(body);
    return hit;
}

static void test_get_put(void **state)
{
    (void)state;
    ss_rcache *c = NULL;
    assert_int_equal(ss_rcache_create(1 << 20, &c), SS_OK);
    assert_non_null(c);
    assert_false(has(c, "a", NULL));
    assert_int_equal(ss_rcache_put(c, "a", 1, "{\"x\":1}", 7), SS_OK);
    assert_true(has(c, "a", "{\"x\":1}"));
    ss_rcache_put(c, "a", 1, "{\"x\":22}", 8); /* replaces */
    assert_true(has(c, "a", "{\"x\":22}"));
    /* keys are bytes: "k\0a" and "k\0b" differ, "k" is neither */
    ss_rcache_put(c, "k\0a", 3, "A", 1);
    ss_rcache_put(c, "k\0b", 3, "B", 1);
    char *body = NULL;
    size_t len = 0;
    assert_true(ss_rcache_get(c, "k\0b", 3, &body, &len));
    assert_string_equal(body, "B");
    free(body);
    assert_false(has(c, "k", NULL));
    ss_rcache_stats st;
    ss_rcache_stats_get(c, &st);
    assert_int_equal(st.entries, 3);
    assert_int_equal(st.hits, 3);
    assert_int_equal(st.misses, 2);
    assert_int_equal(st.max_bytes, 1 << 20);
    assert_true(st.bytes > 0 && st.bytes < 1024);
    ss_rcache_destroy(c);
}

static void test_disabled(void **state)
{
    (void)state;
    ss_rcache *c = (ss_rcache *)1;
    assert_int_equal(ss_rcache_create(0, &c), SS_OK);
    assert_null(c);
    assert_int_equal(ss_rcache_put(NULL, "a", 1, "b", 1), SS_OK);
    assert_false(has(NULL, "a", NULL));
    ss_rcache_stats st;
    ss_rcache_stats_get(NULL, &st);
    assert_int_equal(st.entries + st.hits + st.max_bytes, 0);
    ss_rcache_destroy(NULL);
}

static void test_bound_and_lru(void **state)
{
    (void)state;
    ss_rcache *c = NULL;
    size_t max = 64 * 1024;
    assert_int_equal(ss_rcache_create(max, &c), SS_OK);
    char body[1000];
    memset(body, 'x', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    char key[32];
    /* "hot" is asked between every put: it must survive, being recent */
    ss_rcache_put(c, "hot", 3, "H", 1);
    for (int i = 0; i < 2000; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        ss_rcache_put(c, key, strlen(key), body, sizeof body - 1);
        assert_true(has(c, "hot", "H"));
    }
    ss_rcache_stats st;
    ss_rcache_stats_get(c, &st);
    assert_true(st.bytes <= max);
    assert_true(st.evictions > 0);
    assert_true(st.entries < 2000);
    assert_true(has(c, "key-1999", NULL)); /* the newest stays */
    assert_false(has(c, "key-0", NULL));   /* the oldest went */
    /* an answer bigger than a shard's share is not stored */
    char *big = calloc(max, 1);
    assert_non_null(big);
    memset(big, 'y', max - 1);
    assert_int_equal(ss_rcache_put(c, "big", 3, big, max - 1),
                     SS_ERR_INVALID);
    assert_false(has(c, "big", NULL));
    free(big);
    ss_rcache_destroy(c);
}

static ss_rcache *shared;

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    char key[32], val[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", (i * 7 + id) % 300);
        snprintf(val, sizeof val, "v%d", (i * 7 + id) % 300);
        char *body = NULL;
        size_t len = 0;
        if (ss_rcache_get(shared, key, strlen(key), &body, &len)) {
            /* a hit is always the value stored under that key */
            if (strcmp(body, val) != 0)
                abort();
        } else {
            ss_rcache_put(shared, key, strlen(key), val, strlen(val));
        }
        free(body);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    assert_int_equal(ss_rcache_create(16 * 1024, &shared), SS_OK);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(
            pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    ss_rcache_stats st;
    ss_rcache_stats_get(shared, &st);
    assert_int_equal(st.hits + st.misses, 4 * 5000);
    assert_true(st.bytes <= 16 * 1024);
    ss_rcache_destroy(shared);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_put), cmocka_unit_test(test_disabled),
        cmocka_unit_test(test_bound_and_lru), cmocka_unit_test(test_threads)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
