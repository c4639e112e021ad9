/* test_routes.c - the route table of server/routes.c: every row is
 * complete, paths find their row (and only it), methods and Allow come
 * from the row, and a path outside the table cannot reach an endpoint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/metrics.h"
#include "../../server/routes.h"

static void test_rows_complete(void **state)
{
    (void)state;
    assert_true(ss_nroutes > 0 && ss_nroutes <= SS_ROUTES_MAX);
    for (size_t i = 0; i < ss_nroutes; i++) {
        const ss_route *rt = &ss_routes[i];
        assert_non_null(rt->path);
        assert_int_equal(rt->path[0], '/');
        assert_non_null(rt->metric);
        assert_true(rt->metric[0] != '\0');
        assert_string_not_equal(rt->metric, "other"); /* kept for no row */
        assert_string_equal(ss_metrics_endpoint_name(i), rt->metric);
        assert_true(rt->methods != 0);
        assert_true((rt->methods & ~(unsigned)(SS_ROUTE_GET |
                                               SS_ROUTE_POST)) == 0);
        /* a handler exactly on the JSON rows */
        assert_int_equal(rt->kind == SS_ROUTE_API, rt->handler != NULL);
        /* only answers that depend on the parameters alone are cached */
        if (rt->cacheable)
            assert_true(rt->kind == SS_ROUTE_API &&
                        rt->methods == SS_ROUTE_GET);
        for (size_t j = 0; j < i; j++) {
            assert_string_not_equal(ss_routes[j].path, rt->path);
            assert_string_not_equal(ss_routes[j].metric, rt->metric);
        }
        /* every row is reachable: no earlier row swallows its path */
        const char *id;
        char path[128];
        const char *brace = strchr(rt->path, '{');
        snprintf(path, sizeof path, "%.*s%s%s",
                 (int)(brace ? brace - rt->path : (long)strlen(rt->path)),
                 rt->path, brace ? "x" : "",
                 brace ? strchr(brace, '}') + 1 : "");
        assert_ptr_equal(ss_route_find(path, &id), rt);
    }
    assert_string_equal(ss_metrics_endpoint_name(ss_nroutes), "other");
}

static void test_find(void **state)
{
    (void)state;
    static const struct {
        const char *path, *metric, *id; /* metric NULL: no row */
    } cases[] = {
        {"/search", "search", NULL},
        {"/suggest", "suggest", NULL},
        {"/match", "match", NULL},
        {"/health", "health", NULL},
        {"/metrics", "metrics", NULL},
        {"/occupations/abc-1", "occupation", "abc-1"},
        {"/occupations/", "occupation", ""},
        {"/skills/a/b", "skill", "a/b"},
        {"/occupations/abc-1/similar", "similar", "abc-1/similar"},
        {"/occupations/abc-1/similarx", "occupation", "abc-1/similarx"},
        {"/occupations//similar", "occupation", "/similar"},
        {"/occupations/a/b/similar", "occupation", "a/b/similar"},
        /* anything else under "/" is a file of the web folder, which
         * answers 404 for what it does not hold: never an endpoint */
        {"/", "static", NULL},
        {"/app.js", "static", NULL},
        {"/nope", "static", NULL},
        {"/healthz", "static", NULL},
        {"/health/", "static", NULL},
        {"/search/extra", "static", NULL},
        {"/occupations", "static", NULL},
        {"/SEARCH", "static", NULL},
        {"", NULL, NULL},
        {"*", NULL, NULL},
        {"search", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *id = "unset";
        const ss_route *rt = ss_route_find(cases[i].path, &id);
        if (!cases[i].metric) {
            if (rt)
                fail_msg("'%s' found row %s", cases[i].path, rt->path);
            assert_null(id);
            continue;
        }
        if (!rt || strcmp(rt->metric, cases[i].metric) != 0)
            fail_msg("'%s': got %s, want %s", cases[i].path,
                     rt ? rt->metric : "no row", cases[i].metric);
        if (rt->kind == SS_ROUTE_FILES)
            assert_null(rt->handler);
        if (cases[i].id)
            assert_string_equal(id, cases[i].id);
        else if (!strchr(rt->path, '{'))
            assert_null(id);
    }
}

static void test_methods(void **state)
{
    (void)state;
    const char *id;
    const ss_route *search = ss_route_find("/search", &id);
    const ss_route *match = ss_route_find("/match", &id);
    assert_true(ss_route_takes(search, "GET"));
    assert_true(ss_route_takes(search, "HEAD"));
    assert_false(ss_route_takes(search, "POST"));
    assert_false(ss_route_takes(search, "PUT"));
    assert_false(ss_route_takes(search, "get"));
    assert_true(ss_route_takes(match, "POST"));
    assert_false(ss_route_takes(match, "GET"));
    assert_false(ss_route_takes(match, "HEAD"));
    assert_string_equal(ss_route_allow(search), "GET, HEAD, OPTIONS");
    assert_string_equal(ss_route_allow(match), "POST, OPTIONS");
    assert_true(search->cacheable);
    assert_false(match->cacheable);
    assert_true(ss_route_find("/suggest", &id)->cacheable);
    assert_false(ss_route_find("/health", &id)->cacheable);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_complete),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_methods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
