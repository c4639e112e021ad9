/* test_langs.c - server/langs.c: which served language answers a request
 * (lang=, then Accept-Language with its q-values and order, then the
 * first), and the messages that name the served languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/langs.h"

static const char *const k_codes[] = {"en", "fr", "nl"};

/* The slot picked for lang= (NULL: absent) and an Accept-Language header;
 * -1 when refused, -2 for lang=auto (the caller identifies). */
static int pick(const char *lang, const char *accept, char *why)
{
    size_t slot = 99;
    char buf[256];
    int r = ss_langs_pick(k_codes, 3, lang, lang ? strlen(lang) : 0, accept,
                          &slot, why ? why : buf, sizeof buf);
    return r == 0 ? -1 : r == 2 ? -2 : (int)slot;
}

static void test_lang_param(void **state)
{
    (void)state;
    assert_int_equal(pick("fr", NULL, NULL), 1);
    assert_int_equal(pick("NL", "fr", NULL), 2); /* lang= beats the header */
    assert_int_equal(pick("fr-BE", NULL, NULL), 1);
    char why[256];
    assert_int_equal(pick("de", NULL, why), -1);
    assert_non_null(strstr(why, "'de'"));
    assert_non_null(strstr(why, "en, fr, nl"));
    assert_int_equal(pick("auto", "fr", why), -2); /* beats the header */
    assert_int_equal(pick("AUTO", NULL, why), -1);
    assert_int_equal(pick("", NULL, NULL), -1);
    size_t slot;
    /* a NUL inside the value is not "fr" */
    assert_false(ss_langs_pick(k_codes, 3, "fr\0x", 4, NULL, &slot, why,
                               sizeof why));
}

static void test_accept_language(void **state)
{
    (void)state;
    assert_int_equal(pick(NULL, NULL, NULL), 0); /* the default */
    assert_int_equal(pick(NULL, "", NULL), 0);
    assert_int_equal(pick(NULL, "fr", NULL), 1);
    assert_int_equal(pick(NULL, "fr-BE, nl;q=0.9", NULL), 1);
    assert_int_equal(pick(NULL, "nl-BE;q=0.9, fr;q=0.5", NULL), 2);
    assert_int_equal(pick(NULL, "fr;q=0.5, nl;q=0.9", NULL), 2); /* q wins */
    assert_int_equal(pick(NULL, "fr;q=0.8, nl;q=0.8", NULL), 1); /* order */
    assert_int_equal(pick(NULL, "de, fr;q=0.1", NULL), 1);
    assert_int_equal(pick(NULL, "de, es", NULL), 0); /* none: default */
    assert_int_equal(pick(NULL, "fr;q=0, nl;q=0.2", NULL), 2);
    assert_int_equal(pick(NULL, "fr;q=0", NULL), 0);
    assert_int_equal(pick(NULL, "*", NULL), 0);
    assert_int_equal(pick(NULL, "de;q=0.9, *;q=0.1, nl;q=0.5", NULL), 2);
    assert_int_equal(pick(NULL, "fr;q=abc, nl;q=0.1", NULL), 2);
    assert_int_equal(pick(NULL, " NL ; q=1 ,fr", NULL), 2);
    assert_int_equal(pick(NULL, ",,;;=,q=", NULL), 0);
    assert_int_equal(pick(NULL, "fr_BE", NULL), 1);
    assert_int_equal(pick(NULL, "fra", NULL), 0); /* not "fr" */
}

static void test_unknown_single(void **state)
{
    (void)state;
    /* one index whose language is not known yet answers any lang= (it is
     * a 503 until the index appears) */
    static const char *const one[] = {""};
    size_t slot = 9;
    char why[128];
    assert_true(ss_langs_pick(one, 1, "fr", 2, NULL, &slot, why, sizeof why));
    assert_int_equal(slot, 0);
    char list[8];
    ss_langs_list(k_codes, 3, list, sizeof list); /* cut, terminated */
    assert_true(strlen(list) < sizeof list);
    assert_int_equal(ss_langs_find(k_codes, 3, "nl-NL", 5), 2);
    assert_int_equal(ss_langs_find(k_codes, 3, "-", 1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_param),
        cmocka_unit_test(test_accept_language),
        cmocka_unit_test(test_unknown_single),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
