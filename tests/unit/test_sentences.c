/* test_sentences.c - query/sentences.h: where a text is cut. Data-driven:
 * each case is a text and its sentences, "|"-separated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../query/sentences.h"

static const struct {
    const char *text, *want;
} CASES[] = {
    {"", ""},
    {"   \n\t \n", ""},
    {"One sentence", "One sentence"},
    {"Bake bread. Clean the oven.", "Bake bread.|Clean the oven."},
    {"Title line\nBody text here", "Title line|Body text here"},
    {"- wire bonding\n- soldering\n* testing", "wire bonding|soldering|testing"},
    {"\xe2\x80\xa2 first\n\xe2\x80\xa2 second", "first|second"},
    {"1. Check vitals.\n2) Give medicine", "Check vitals.|Give medicine"},
    /* no cut after a capital (initials, "U.S."), so none after "EUR." */
    {"Pay from 3.500 EUR. Start now", "Pay from 3.500 EUR. Start now"},
    {"Pay from 3.500 euro. Start now", "Pay from 3.500 euro.|Start now"},
    /* a lower-case abbreviation is cut: a sentence too many is harmless */
    {"Use e.g. Java or C. Then test", "Use e.g.|Java or C. Then test"},
    {"Work with the U.S. team; travel often!", "Work with the U.S. team;|travel often!"},
    {"Why? Because.", "Why?|Because."},
    {"-dash without space", "-dash without space"},
    {"line one\r\nline two\r\n", "line one|line two"},
};

static void test_cases(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof CASES / sizeof *CASES; k++) {
        const char *t = CASES[k].text;
        ss_sentence *v = NULL;
        size_t n = 99;
        assert_int_equal(ss_sentences_split(t, strlen(t), 100, &v, &n),
                         SS_OK);
        char got[256] = "";
        for (size_t i = 0; i < n; i++) {
            assert_true(v[i].start < v[i].end && v[i].end <= strlen(t));
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%.*s",
                     i ? "|" : "", (int)(v[i].end - v[i].start),
                     t + v[i].start);
        }
        if (strcmp(got, CASES[k].want))
            fail_msg("case %zu: got \"%s\", want \"%s\"", k, got,
                     CASES[k].want);
        free(v);
    }
}

/* At most max sentences; the rest of the text is not split. */
static void test_max(void **state)
{
    (void)state;
    const char *t = "a. b. c. d. e.";
    ss_sentence *v = NULL;
    size_t n = 0;
    assert_int_equal(ss_sentences_split(t, strlen(t), 2, &v, &n), SS_OK);
    assert_int_equal(n, 2);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_max),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
