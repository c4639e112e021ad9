/* test_handlers.c - parameter checks of server/handlers.c that need no
 * index: every error is a JSON object the server can send, even when it
 * quotes bytes that are not UTF-8 (found by tests/fuzz/fuzz_http.c: such a
 * parameter name turned a 400 into a 500 "out of memory"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/handlers.h"

/* status and error message of ss_api_search on these arguments; parameter
 * checks come before any use of the searcher, so it may be NULL here. */
static unsigned search(const ss_http_arg *args, size_t n, char *msg,
                       size_t msgsz)
{
    ss_api_req r = {args, n, NULL, 0, NULL, NULL, NULL, NULL, NULL};
    json_t *out = NULL;
    unsigned st = ss_api_search(&r, &out);
    assert_non_null(out);
    char *text = json_dumps(out, JSON_COMPACT);
    assert_non_null(text); /* what send_json() would send */
    free(text);
    const char *m = json_string_value(
        json_object_get(json_object_get(out, "error"), "message"));
    assert_non_null(m);
    snprintf(msg, msgsz, "%s", m);
    json_decref(out);
    return st;
}

static void test_bad_names_are_400(void **state)
{
    (void)state;
    char msg[600];
    ss_http_arg a[] = {{"q", "nurse", 5}, {"\xff\xfe", "1", 1}};
    assert_int_equal(search(a, 2, msg, sizeof msg), 400);
    assert_string_equal(msg, "unknown parameter '\?\?'");

    /* %.64s cuts a long name inside a 2-byte character */
    char name[80];
    memset(name, 'a', 63);
    strcpy(name + 63, "\xc3\xa9tail");
    ss_http_arg b[] = {{name, "", 0}};
    assert_int_equal(search(b, 1, msg, sizeof msg), 400);
    assert_non_null(strstr(msg, "aaa?'"));

    ss_http_arg c[] = {{"q", "a", 1}, {"q", "b", 1}};
    assert_int_equal(search(c, 2, msg, sizeof msg), 400);
    assert_non_null(strstr(msg, "given twice"));
}

static void test_bad_values_are_4xx(void **state)
{
    (void)state;
    char msg[600];
    static const struct {
        ss_http_arg q, x;
        unsigned want;
    } cases[] = {
        {{"q", "\xff", 1}, {"limit", "1", 1}, 400},
        {{"q", "a\0b", 3}, {"limit", "1", 1}, 400},
        {{"q", "a", 1}, {"limit", "0", 1}, 400},
        {{"q", "a", 1}, {"limit", "1\0", 2}, 400},
        {{"q", "a", 1}, {"offset", "99999999999", 11}, 400},
        {{"q", "a", 1}, {"isco", "12\0", 3}, 400},
        {{"q", "a", 1}, {"type", "skill\0x", 7}, 400},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ss_http_arg a[] = {cases[i].q, cases[i].x};
        assert_int_equal(search(a, 2, msg, sizeof msg), cases[i].want);
    }
    char big[SS_API_MAX_Q + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ss_http_arg a[] = {{"q", big, sizeof big - 1}};
    assert_int_equal(search(a, 1, msg, sizeof msg), 414);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_names_are_400),
        cmocka_unit_test(test_bad_values_are_4xx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
