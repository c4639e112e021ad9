/* test_static_files.c - path checks of server/static_files.c: what the
 * decoder accepts, and that lookups never leave the web folder. */
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

#include "../../server/static_files.h"

static void test_clean_path(void **state)
{
    (void)state;
    /* raw path -> cleaned relative path, or NULL for SS_ERR_INVALID */
    static const struct {
        const char *raw, *want;
    } cases[] = {
        {"/", "index.html"},
        {"/app.js", "app.js"},
        {"/sub/", "sub/index.html"},
        {"/sub/a%20b.css", "sub/a b.css"},
        {"/%61pp.js", "app.js"},
        {"/a..b.js", "a..b.js"},
        {"/..", NULL},
        {"/../etc/passwd", NULL},
        {"/sub/../../x", NULL},
        {"/%2e%2e/x", NULL},
        {"/%2E%2e%2fx", NULL},
        {"/..%2fx", NULL},
        {"/%252e%252e/x", "%2e%2e/x"}, /* decoded once only: a name */
        {"/./app.js", NULL},
        {"//etc/passwd", NULL},
        {"/%2fetc/passwd", NULL},
        {"/sub//x", NULL},
        {"/.git/config", NULL},
        {"/.env", NULL},
        {"/a\\b", NULL},
        {"/a%5cb", NULL},
        {"/a%00.png", NULL},
        {"/%", NULL},
        {"/%4", NULL},
        {"/%zz", NULL},
        {"", NULL},
        {"app.js", NULL},
        {"http://host/app.js", NULL},
    };
    char buf[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *raw = cases[i].raw;
        ss_status st = ss_static_clean_path(raw, strlen(raw), buf, sizeof buf);
        if (!cases[i].want) {
            if (st != SS_ERR_INVALID)
                fail_msg("'%s' accepted as '%s'", raw, buf);
        } else if (st != SS_OK || strcmp(buf, cases[i].want) != 0) {
            fail_msg("'%s': status %d '%s', want '%s'", raw, st,
                     st == SS_OK ? buf : "", cases[i].want);
        }
    }
    /* too long for the buffer */
    assert_int_equal(ss_static_clean_path("/abcdefgh", 9, buf, 8),
                     SS_ERR_INVALID);
    assert_int_equal(ss_static_clean_path("/", 1, buf, 8), SS_ERR_INVALID);
}

static void put(const char *dir, const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_lookup(void **state)
{
    (void)state;
    char root[] = "/tmp/ss-static-XXXXXX";
    assert_non_null(mkdtemp(root));
    char web[600], p[700], q[700];
    snprintf(web, sizeof web, "%s/web", root);
    assert_int_equal(mkdir(web, 0700), 0);
    put(web, "index.html", "home");
    put(web, "app.js", "js");
    put(web, "data.bin", "x");
    put(root, "secret.txt", "secret");
    snprintf(p, sizeof p, "%s/secret.txt", root);
    snprintf(q, sizeof q, "%s/out.txt", web);
    assert_int_equal(symlink(p, q), 0);         /* points outside */
    snprintf(p, sizeof p, "%s/app.js", web);
    snprintf(q, sizeof q, "%s/alias.js", web);
    assert_int_equal(symlink(p, q), 0);         /* stays inside */
    snprintf(q, sizeof q, "%s/dir.js", web);
    assert_int_equal(mkdir(q, 0700), 0);        /* not a regular file */

    ss_static *st = NULL;
    assert_int_equal(ss_static_open(web, &st, NULL), SS_OK);
    static const struct {
        const char *raw;
        ss_status want;
        const char *type;
        uint64_t size;
    } cases[] = {
        {"/", SS_OK, "text/html; charset=utf-8", 4},
        {"/app.js", SS_OK, "text/javascript; charset=utf-8", 2},
        {"/alias.js", SS_OK, "text/javascript; charset=utf-8", 2},
        {"/out.txt", SS_ERR_NOT_FOUND, NULL, 0},
        {"/data.bin", SS_ERR_NOT_FOUND, NULL, 0},
        {"/dir.js", SS_ERR_NOT_FOUND, NULL, 0},
        {"/missing.css", SS_ERR_NOT_FOUND, NULL, 0},
        {"/../secret.txt", SS_ERR_INVALID, NULL, 0},
        {"/%2e%2e/secret.txt", SS_ERR_INVALID, NULL, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ss_static_file f = {.fd = -1};
        ss_status got = ss_static_lookup(st, cases[i].raw,
                                         strlen(cases[i].raw), &f);
        if (got != cases[i].want)
            fail_msg("%s: status %d, want %d", cases[i].raw, got,
                     cases[i].want);
        if (got == SS_OK) {
            assert_string_equal(f.content_type, cases[i].type);
            assert_int_equal(f.size, cases[i].size);
            close(f.fd);
        }
    }
    ss_static_destroy(st);
    ss_static_destroy(NULL);
    assert_int_equal(ss_static_open("/nonexistent/web", &st, NULL),
                     SS_ERR_NOT_FOUND);

    static const char *const made[] = {
        "web/index.html", "web/app.js", "web/data.bin", "web/out.txt",
        "web/alias.js", "secret.txt"};
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", root, made[i]);
        assert_int_equal(unlink(p), 0);
    }
    snprintf(p, sizeof p, "%s/web/dir.js", root);
    assert_int_equal(rmdir(p), 0);
    assert_int_equal(rmdir(web), 0);
    assert_int_equal(rmdir(root), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_path),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
