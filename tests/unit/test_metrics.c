/* test_metrics.c - the Prometheus text of server/metrics.c: counters by
 * endpoint and status, cumulative histogram buckets, index gauges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/metrics.h"
#include "../../server/routes.h"

/* The endpoint number of a path: its row in the route table. */
static size_t ep(const char *path)
{
    const char *id;
    const ss_route *rt = ss_route_find(path, &id);
    assert_non_null(rt);
    return (size_t)(rt - ss_routes);
}

static void expect_line(const char *text, const char *line)
{
    char want[256];
    snprintf(want, sizeof want, "\n%s\n", line);
    if (!strstr(text, want))
        fail_msg("missing line '%s' in:\n%s", line, text);
}

static void test_render(void **state)
{
    (void)state;
    ss_metrics_observe(ep("/search"), 200, 0.0004);
    ss_metrics_observe(ep("/search"), 200, 0.003);
    ss_metrics_observe(ep("/search"), 400, 2.0);
    ss_metrics_observe(ep("/suggest"), 299, 0.0001); /* unusual status */
    ss_metrics_observe(99, 404, 0.0001);              /* -> other */
    ss_metrics_observe(ss_nroutes, 404, 0.0001);      /* no row: other */
    ss_metrics_count_reload("en");
    ss_metrics_set_index("en", 1234, "index.gen-\"7\"\\12");
    ss_metrics_set_index("fr", 99, "index.gen-3");
    char *t = ss_metrics_render();
    assert_non_null(t);
    static const char *const lines[] = {
        "skillsearch_requests_total{endpoint=\"search\",status=\"200\"} 2",
        "skillsearch_requests_total{endpoint=\"search\",status=\"400\"} 1",
        "skillsearch_requests_total{endpoint=\"suggest\",status=\"other\"} 1",
        "skillsearch_requests_total{endpoint=\"other\",status=\"404\"} 2",
        "skillsearch_request_duration_seconds_bucket{endpoint=\"search\","
        "le=\"0.0005\"} 1",
        "skillsearch_request_duration_seconds_bucket{endpoint=\"search\","
        "le=\"0.0025\"} 1",
        "skillsearch_request_duration_seconds_bucket{endpoint=\"search\","
        "le=\"0.005\"} 2",
        "skillsearch_request_duration_seconds_bucket{endpoint=\"search\","
        "le=\"1\"} 2",
        "skillsearch_request_duration_seconds_bucket{endpoint=\"search\","
        "le=\"+Inf\"} 3",
        "skillsearch_request_duration_seconds_count{endpoint=\"search\"} 3",
        "skillsearch_request_duration_seconds_sum{endpoint=\"search\"} "
        "2.003400000",
        "skillsearch_index_documents 1234",
        "skillsearch_index_generation{generation=\"index.gen-\\\"7\\\"\\\\12\"}"
        " 12",
        "skillsearch_reloads_total 1",
        "skillsearch_index_documents{lang=\"en\"} 1234",
        "skillsearch_index_documents{lang=\"fr\"} 99",
        "skillsearch_index_generation{lang=\"fr\",generation=\"index.gen-3\"}"
        " 3",
        "skillsearch_reloads_total{lang=\"fr\"} 0",
        "# TYPE skillsearch_request_duration_seconds histogram",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        expect_line(t, lines[i]);
    /* every endpoint has a histogram, in table order, "other" last */
    const char *at = t;
    for (size_t e = 0; e <= ss_nroutes; e++) {
        char want[160];
        snprintf(want, sizeof want,
                 "\nskillsearch_request_duration_seconds_count"
                 "{endpoint=\"%s\"} ",
                 ss_metrics_endpoint_name(e));
        const char *hit = strstr(at, want);
        if (!hit)
            fail_msg("no histogram for '%s' after the previous endpoint",
                     ss_metrics_endpoint_name(e));
        at = hit + 1;
    }
    free(t);
    assert_string_equal(ss_metrics_endpoint_name(ep("/occupations/x")),
                        "occupation");
    assert_string_equal(ss_metrics_endpoint_name(42), "other");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_render)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
