/* test_labelvec.c - query/labelvec.c: occupation labels as word vectors.
 * A word in no label ("coder") finds the occupation whose label means the
 * same, the best label is named, words without vectors and stop words are
 * left out, and a compound counts as a whole when the vectors know it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../query/labelvec.h"

static char file[] = "/tmp/skillsearch-labelvec.XXXXXX";

static ss_wordvec *wv;
static ss_analyzer *a;
static ss_labelvec *lv;

/* three occupations; labels[0] is the preferred one */
static const char *occ0[] = {"software developer", "application engineer"};
static const char *occ1[] = {"nurse", "care worker of the ward"};
static const char *occ2[] = {"baker", "zzqx unknownword", "email marketer"};
static ss_concept_info info[3];
static ss_concepts cs;

static int setup(void **state)
{
    (void)state;
    int fd = mkstemp(file);
    if (fd < 0)
        return -1;
    close(fd);
    const char *words[] = {"coder", "developer", "software", "nurse", "ward",
                           "baker", "email", "e", "mail", "marketer", "the"};
    const float vec[] = {
        1, 0.1f, 0, 0,   0.9f, 0.2f, 0, 0,  0.8f, 0, 0.2f, 0,
        0, 1, 0, 0,      0, 0.8f, 0.3f, 0,  0, 0, 1, 0,
        0, 0, 0, 1,      -1, 0, 0, 0,       -1, 0, 0, 0,
        0, 0, 0.2f, 1,   0.5f, 0.5f, 0.5f, 0.5f};
    if (ss_wordvec_write(file, 4, words, vec, 11, NULL) != SS_OK ||
        ss_wordvec_open(file, &wv, NULL) != SS_OK ||
        ss_analyzer_create("en", "data/stop", &a, NULL) != SS_OK)
        return -1;
    const char **labels[] = {occ0, occ1, occ2};
    size_t n[] = {2, 2, 3};
    for (int i = 0; i < 3; i++)
        info[i] = (ss_concept_info){.uri = "u", .isco = "1111",
                                    .labels = labels[i], .nlabels = n[i]};
    cs = (ss_concepts){.v = info, .n = 3, .nocc = 3};
    return ss_labelvec_build(wv, a, &cs, &lv, NULL) == SS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ss_labelvec_destroy(lv);
    ss_labelvec_destroy(NULL);
    ss_wordvec_destroy(wv);
    ss_analyzer_destroy(a);
    unlink(file);
    return 0;
}

/* Embeds text; returns the number of words that had a vector. */
static size_t embed(const char *text, float *q)
{
    ss_tokens t = {0};
    assert_int_equal(ss_analyzer_tokenize(a, text, strlen(text), &t), SS_OK);
    size_t n = ss_labelvec_embed(lv, &t, NULL, 0.5f, q);
    ss_tokens_free(&t);
    return n;
}

static void test_meaning(void **state)
{
    (void)state;
    float q[4], sim[3];
    uint16_t label[3];
    assert_int_equal(ss_labelvec_dims(lv), 4);
    assert_int_equal(embed("coder", q), 1);
    ss_labelvec_similar(lv, q, sim, label);
    assert_true(sim[0] > 0.9f);       /* software developer */
    assert_true(sim[0] > sim[1] && sim[0] > sim[2]);
    assert_int_equal(label[0], 0);
    /* "care worker of the ward": only "ward" is known ("the" is a stop
     * word), so that label is what a ward query meets */
    assert_int_equal(embed("ward", q), 1);
    ss_labelvec_similar(lv, q, sim, label);
    assert_true(sim[1] > 0.99f);
    assert_int_equal(label[1], 1);
}

static void test_unknown_and_stop_words(void **state)
{
    (void)state;
    float q[4] = {1, 1, 1, 1};
    assert_int_equal(embed("zzqx blorp", q), 0);
    assert_true(q[0] == 0 && q[1] == 0 && q[2] == 0 && q[3] == 0);
    assert_int_equal(embed("the", q), 0);
    assert_int_equal(embed("the nurse of zzqx", q), 1);
    assert_true(q[1] > 0.99f); /* unit length, all from "nurse" */
}

static void test_compound_whole(void **state)
{
    (void)state;
    /* "e-mail" is the word "email" (known): its parts "e" and "mail",
     * whose vectors point the other way, must not count too */
    float q[4], sim[3];
    uint16_t label[3];
    assert_int_equal(embed("e-mail", q), 1);
    assert_true(q[3] > 0.99f);
    ss_labelvec_similar(lv, q, sim, label);
    assert_int_equal(label[2], 2); /* "email marketer" */
    assert_true(sim[2] > 0.7f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meaning),
        cmocka_unit_test(test_unknown_and_stop_words),
        cmocka_unit_test(test_compound_whole)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
