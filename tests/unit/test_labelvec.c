/* test_labelvec.c - query/labelvec.c: occupation labels as word vectors.
 * A word in no label ("coder") finds the occupation whose label means the
 * same, the best label is named, words without vectors, numbers and stop
 * words are left out, a compound counts as a whole when the vectors know
 * it, IDF weighs words by how few occupations use them, and skills are no
 * part of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../synonyms/labelvec.h"

#define DIMS 6
#define NOCC 5

static char file[] = "/tmp/skillsearch-labelvec.XXXXXX";

static ss_wordvec *wv;
static ss_analyzer *a;
static ss_labelvec *lv;

/* labels[0] is the preferred one. "worker" is in two occupations, every
 * other word with a vector in one; "NURSE" is "nurse" again. The last
 * concept is a skill: its words must not count as occupation words. */
static const char *occ0[] = {"software developer", "application engineer"};
static const char *occ1[] = {"nurse", "NURSE", "care worker of the ward"};
static const char *occ2[] = {"baker", "zzqx unknownword", "email marketer"};
static const char *occ3[] = {"zzqx blorp"}; /* no word has a vector */
static const char *occ4[] = {"shop worker"};
static const char *skill[] = {"coder", "nurse patients"};
static ss_concept_info info[NOCC + 1];
static ss_concepts cs;

static int setup(void **state)
{
    (void)state;
    int fd = mkstemp(file);
    if (fd < 0)
        return -1;
    close(fd);
    const char *words[] = {"coder", "developer", "software", "nurse",
                           "ward",  "baker",     "email",    "e",
                           "mail",  "marketer",  "the",      "worker",
                           "2024"};
    const float vec[] = {
        1,    0.1f, 0,    0,    0, 0, /* coder */
        0.9f, 0.2f, 0,    0,    0, 0, /* developer */
        0.8f, 0,    0.2f, 0,    0, 0, /* software */
        0,    1,    0,    0,    0, 0, /* nurse */
        0,    0.8f, 0.3f, 0,    0, 0, /* ward */
        0,    0,    1,    0,    0, 0, /* baker */
        0,    0,    0,    1,    0, 0, /* email */
        -1,   0,    0,    0,    0, 0, /* e */
        -1,   0,    0,    0,    0, 0, /* mail */
        0,    0,    0.2f, 1,    0, 0, /* marketer */
        0.5f, 0.5f, 0.5f, 0.5f, 0, 0, /* the (a stop word) */
        0,    0,    0,    0,    1, 0, /* worker */
        0,    0,    0,    0,    0, 1, /* 2024 (a number) */
    };
    if (ss_wordvec_write(file, DIMS, words, vec, sizeof words / sizeof *words,
                         NULL) != SS_OK ||
        ss_wordvec_open(file, &wv, NULL) != SS_OK ||
        ss_analyzer_create("en", "data/stop", &a, NULL) != SS_OK)
        return -1;
    const char **labels[] = {occ0, occ1, occ2, occ3, occ4, skill};
    size_t n[] = {2, 3, 3, 1, 1, 2};
    for (int i = 0; i <= NOCC; i++)
        info[i] = (ss_concept_info){.uri = "u", .isco = i < NOCC ? "1111" : "",
                                    .labels = labels[i], .nlabels = n[i]};
    /* no need_off/need: labelvec reads labels only; nothing to free */
    cs = (ss_concepts){.v = info, .n = NOCC + 1, .nocc = NOCC};
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
static size_t embed_w(const char *text, const float *weight, float unseen,
                      float *q)
{
    ss_tokens t = {0};
    assert_int_equal(ss_analyzer_tokenize(a, text, strlen(text), &t), SS_OK);
    size_t n = ss_labelvec_embed(lv, &t, weight, unseen, q);
    ss_tokens_free(&t);
    return n;
}

static size_t embed(const char *text, float *q)
{
    return embed_w(text, NULL, 0.5f, q);
}

/* sim and label for every occupation, in arrays of exactly nocc (the
 * sanitizers see a write for the skill past them) */
typedef struct result {
    float *sim;
    uint16_t *label;
} result;

static result similar(const float *q)
{
    result r = {malloc(NOCC * sizeof *r.sim), malloc(NOCC * sizeof *r.label)};
    assert_non_null(r.sim);
    assert_non_null(r.label);
    ss_labelvec_similar(lv, q, r.sim, r.label);
    return r;
}

static void result_free(result r)
{
    free(r.sim);
    free(r.label);
}

static int best(result r)
{
    int b = 0;
    for (int o = 1; o < NOCC; o++)
        if (r.sim[o] > r.sim[b])
            b = o;
    return b;
}

/* Embeds text (nwords with a vector): occupation occ comes first, with a
 * cosine above min, through label; the caller frees the result. */
static result expect_best(const char *text, size_t nwords, int occ, float min,
                          uint16_t label)
{
    float q[DIMS];
    assert_int_equal(embed(text, q), nwords);
    result r = similar(q);
    assert_int_equal(best(r), occ);
    if (!(r.sim[occ] > min))
        fail_msg("'%s': cosine %g, wanted above %g", text,
                 (double)r.sim[occ], (double)min);
    assert_int_equal(r.label[occ], label);
    return r;
}

static void test_meaning(void **state)
{
    (void)state;
    float q[DIMS];
    assert_int_equal(ss_labelvec_dims(lv), DIMS);
    /* "coder" is in no occupation label (the skill's does not count):
     * software developer */
    result r = expect_best("coder", 1, 0, 0.95f, 0);
    assert_true(r.sim[3] == 0); /* an occupation without vectors */
    assert_true(r.sim[4] == 0); /* orthogonal */
    result_free(r);
    /* "nurse" and "NURSE" are one label: the first is named */
    result_free(expect_best("nurse", 1, 1, 0.99f, 0));
    /* "care worker of the ward": "care" has no vector, "of" and "the" are
     * stop words; weighted as the label is, the query meets it exactly
     * (with "the" counted it would be near 0.8) */
    r = expect_best("ward worker", 2, 1, 0.99f, 2);
    assert_true(r.sim[4] > 0.3f && r.sim[4] < 0.8f); /* shop worker */
    result_free(r);
    /* a zero query is like nothing */
    memset(q, 0, sizeof q);
    r = similar(q);
    for (int o = 0; o < NOCC; o++)
        assert_true(r.sim[o] == 0);
    result_free(r);
}

static void test_unknown_and_stop_words(void **state)
{
    (void)state;
    float q[DIMS] = {1, 1, 1, 1, 1, 1};
    assert_int_equal(embed("zzqx blorp", q), 0);
    for (int j = 0; j < DIMS; j++)
        assert_true(q[j] == 0);
    assert_int_equal(embed("", q), 0);
    assert_int_equal(embed("the", q), 0);
    assert_int_equal(embed("the nurse of zzqx", q), 1);
    assert_true(q[1] > 0.99f); /* unit length, all from "nurse" */
    /* a number is no word, though the vectors have it */
    assert_int_equal(embed("nurse 2024", q), 1);
    assert_true(q[1] > 0.99f && q[5] == 0);
}

static void test_compound_whole(void **state)
{
    (void)state;
    /* "e-mail" is the word "email" (known): its parts "e" and "mail",
     * whose vectors point the other way, must not count too */
    float q[DIMS];
    assert_int_equal(embed("e-mail", q), 1);
    assert_true(q[3] > 0.99f);
    result_free(expect_best("e-mail", 1, 2, 0.9f, 2)); /* email marketer */
    /* "mail-e" ("maile") is unknown: then its parts count */
    assert_int_equal(embed("mail-e", q), 2);
    assert_true(q[0] < -0.99f);
    /* a compound after a plain word: each decided on its own */
    assert_int_equal(embed("nurse e-mail", q), 2);
    assert_true(q[0] == 0 && q[1] > 0.5f && q[3] > 0.5f);
}

static void test_weights_and_idf(void **state)
{
    (void)state;
    float q[DIMS];
    /* both in one occupation's labels: the same IDF, the same share */
    assert_int_equal(embed("nurse baker", q), 2);
    assert_true(q[1] > 0.70f && q[1] < 0.71f && q[2] > 0.70f && q[2] < 0.71f);
    /* "worker" is in two occupations, "nurse" in one: nurse weighs more,
     * by log(6/2) / log(6/3) (IDF over 5 occupations, plus one) */
    assert_int_equal(embed("worker nurse", q), 2);
    float ratio = q[1] / q[4];
    assert_true(ratio > 1.55f && ratio < 1.62f);
    /* a word in no label weighs unseen times the highest IDF */
    assert_int_equal(embed_w("coder nurse", NULL, 0.001f, q), 2);
    assert_true(q[1] > 0.99f);
    assert_int_equal(embed_w("coder nurse", NULL, 100, q), 2);
    assert_true(q[0] > 0.99f);
    /* explicit weights: 0 leaves a token out, others scale it; a stop
     * word given a weight counts */
    const float w01[] = {0, 1}, w10[] = {1, 0}, w31[] = {3, 1};
    assert_int_equal(embed_w("baker nurse", w01, 0.5f, q), 1);
    assert_true(q[1] > 0.99f);
    assert_int_equal(embed_w("baker nurse", w10, 0.5f, q), 1);
    assert_true(q[2] > 0.99f);
    assert_int_equal(embed_w("baker nurse", w31, 0.5f, q), 2);
    assert_true(q[2] / q[1] > 2.99f && q[2] / q[1] < 3.01f);
    assert_int_equal(embed_w("the nurse", w10, 0.5f, q), 1);
    assert_true(q[0] > 0.49f && q[0] < 0.51f);
    const float w00[] = {0, 0};
    q[0] = 1;
    assert_int_equal(embed_w("baker nurse", w00, 0.5f, q), 0);
    assert_true(q[0] == 0);
}

/* Many occupations (the 8-row SIMD path and its tail) and one with more
 * labels than a chunk of the scan holds: every occupation's similarity is
 * the best cosine of its labels, computed here in float. */
static void test_many_rows_match_float(void **state)
{
    (void)state;
    enum { NMANY = 301, NBIG = 2000, NLAB = 11 };
    const char *words[] = {"coder", "nurse", "ward", "baker", "email",
                           "marketer", "worker"};
    const size_t nw = sizeof words / sizeof *words;
    ss_concept_info *ci = calloc(NMANY, sizeof *ci);
    const char ***labels = calloc(NMANY, sizeof *labels);
    assert_non_null(ci);
    assert_non_null(labels);
    unsigned seed = 7;
    for (size_t o = 0; o < NMANY; o++) {
        size_t nl = o == NMANY / 2 ? NBIG : 1 + o % NLAB;
        labels[o] = calloc(nl, sizeof *labels[o]);
        assert_non_null(labels[o]);
        for (size_t l = 0; l < nl; l++) {
            char buf[256] = "";
            int nwords = 1 + (int)(l % 12);
            for (int k = 0; k < nwords; k++) {
                seed = seed * 1103515245u + 12345u;
                strcat(buf, words[(seed >> 16) % nw]);
                strcat(buf, " ");
            }
            labels[o][l] = strdup(buf);
        }
        ci[o] = (ss_concept_info){.uri = "u", .isco = "1111",
                                  .labels = labels[o], .nlabels = nl};
    }
    ss_concepts many = {.v = ci, .n = NMANY, .nocc = NMANY};
    ss_labelvec *ml = NULL;
    assert_int_equal(ss_labelvec_build(wv, a, &many, &ml, NULL), SS_OK);
    const char *queries[] = {"nurse", "coder ward", "baker email worker",
                             "marketer marketer nurse"};
    float *sim = malloc(NMANY * sizeof *sim);
    uint16_t *lab = malloc(NMANY * sizeof *lab);
    for (size_t qi = 0; qi < sizeof queries / sizeof *queries; qi++) {
        float q[DIMS], x[DIMS];
        ss_tokens t = {0};
        assert_int_equal(ss_analyzer_tokenize(a, queries[qi],
                                              strlen(queries[qi]), &t),
                         SS_OK);
        assert_true(ss_labelvec_embed(ml, &t, NULL, 0.5f, q) > 0);
        ss_tokens_free(&t);
        ss_labelvec_similar(ml, q, sim, lab);
        for (size_t o = 0; o < NMANY; o++) {
            float best = 0, second = 0;
            size_t bl = 0;
            for (size_t l = 0; l < ci[o].nlabels; l++) {
                const char *text = ci[o].labels[l];
                assert_int_equal(
                    ss_analyzer_tokenize(a, text, strlen(text), &t), SS_OK);
                size_t found = ss_labelvec_embed(ml, &t, NULL, 0.5f, x);
                ss_tokens_free(&t);
                float c = 0;
                for (int j = 0; found && j < DIMS; j++)
                    c += q[j] * x[j];
                if (c > best)
                    second = best, best = c, bl = l;
                else if (c > second)
                    second = c;
            }
            assert_true(sim[o] > best - 0.03f && sim[o] < best + 0.03f);
            if (best - second > 0.05f) {
                const char *got = ci[o].labels[lab[o]];
                assert_true(lab[o] == bl || !strcmp(got, ci[o].labels[bl]));
            }
        }
    }
    free(sim);
    free(lab);
    ss_labelvec_destroy(ml);
    for (size_t o = 0; o < NMANY; o++) {
        for (size_t l = 0; l < ci[o].nlabels; l++)
            free((char *)labels[o][l]);
        free(labels[o]);
    }
    free(labels);
    free(ci);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meaning),
        cmocka_unit_test(test_unknown_and_stop_words),
        cmocka_unit_test(test_compound_whole),
        cmocka_unit_test(test_weights_and_idf),
        cmocka_unit_test(test_many_rows_match_float)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
