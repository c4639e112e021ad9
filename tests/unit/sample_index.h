/* sample_index.h - the data/sample index for the search and match unit
 * tests, built through the indexer library as `skillsearch index` builds it
 * (cli/cmd_index.c), always without word vectors so that rankings do not
 * depend on them. Header-only: each tests/unit/test_*.c is its own program.
 *
 * Run from the repository root (data/ is read from there). Ownership:
 * sample_index_setup() fills *si; sample_index_teardown() frees it and
 * removes the temporary folder. sample_group_setup/teardown do the same
 * for the program-wide g_si.
 */
#ifndef SS_TEST_SAMPLE_INDEX_H
#define SS_TEST_SAMPLE_INDEX_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/text.h"
#include "../../indexer/catalog.h"
#include "../../indexer/esco.h"
#include "../../indexer/generation.h"
#include "../../indexer/index_build.h"
#include "../../query/search.h"

/* The bytes of path (malloc'd, *len set), or NULL. */
static inline char *sample_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = n >= 0 ? (size_t)n : 0;
    return b;
}

/* Writes n bytes of b to path; 0 on success. */
static inline int sample_write_file(const char *path, const char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int bad = fwrite(b, 1, n, f) != n;
    return fclose(f) != 0 || bad ? -1 : 0;
}

#define SAMPLE_DATA "data"

typedef struct sample_index {
    char *tmp;        /* mkdtemp folder holding every index of the test */
    char *index;      /* tmp/index: the published symlink */
    ss_esco *esco;    /* data/sample as loaded: the expected concepts */
    ss_searcher *s;   /* opened on index */
} sample_index;

/* The sample skips one row on purpose (data/sample/README.md); the count
 * stays in ss_esco.nwarnings. */
static void sample_warn(void *ctx, const char *file, unsigned long line,
                        const char *field, const char *msg)
{
    (void)ctx;
    (void)file;
    (void)line;
    (void)field;
    (void)msg;
}

/* Writes and publishes one new generation of the sample at index. */
static ss_status sample_publish(const char *index, const ss_esco *e,
                                char **err)
{
    ss_analyzer *a = NULL;
    char *gendir = NULL, *cat = NULL;
    ss_build_stats stats = {0};
    ss_status st = ss_analyzer_create(e->lang, SAMPLE_DATA "/stop", &a, err);
    if (st == SS_OK)
        st = ss_gen_create(index, &gendir, err);
    if (st == SS_OK && asprintf(&cat, "%s/catalog.sqlite", gendir) < 0)
        st = SS_ERR_NOMEM;
    if (st == SS_OK)
        st = ss_catalog_write(cat, e, err);
    if (st == SS_OK)
        st = ss_index_build(gendir, e, a, SAMPLE_DATA, NULL, &stats, err);
    if (st == SS_OK)
        st = ss_gen_publish(index, gendir, err);
    if (st != SS_OK && gendir)
        ss_gen_discard(gendir);
    free(cat);
    free(gendir);
    ss_analyzer_destroy(a);
    return st;
}

static int sample_rm(const char *path, const struct stat *sb, int flag,
                     struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* tmp/name, malloc'd (NULL when out of memory). */
static char *sample_path(const sample_index *si, const char *name)
{
    char *p = NULL;
    return asprintf(&p, "%s/%s", si->tmp, name) < 0 ? NULL : p;
}

static void sample_index_teardown(sample_index *si)
{
    ss_searcher_destroy(si->s);
    ss_esco_destroy(si->esco);
    if (si->tmp && nftw(si->tmp, sample_rm, 16, FTW_DEPTH | FTW_PHYS) != 0)
        fprintf(stderr, "could not remove %s\n", si->tmp);
    free(si->index);
    free(si->tmp);
    memset(si, 0, sizeof *si);
}

/* 0 on success; on failure prints why, cleans up and returns -1. */
static int sample_index_setup(sample_index *si)
{
    char tmpl[] = "/tmp/ss-unit.XXXXXX", *err = NULL;
    ss_esco_load_opts lo = {.warn = sample_warn};
    memset(si, 0, sizeof *si);
    ss_status st = SS_ERR_IO;
    if (mkdtemp(tmpl) && (si->tmp = strdup(tmpl)) &&
        (si->index = sample_path(si, "index")))
        st = ss_esco_load(SAMPLE_DATA "/sample", "en", &lo, &si->esco, &err);
    if (st == SS_OK)
        st = sample_publish(si->index, si->esco, &err);
    if (st == SS_OK)
        st = ss_searcher_open(si->index, SAMPLE_DATA, &si->s, &err);
    if (st != SS_OK) {
        fprintf(stderr, "sample index: %s\n", err ? err : ss_strerror(st));
        free(err);
        sample_index_teardown(si);
        return -1;
    }
    return 0;
}

/* The index shared by one test program: cmocka group set-up and tear-down
 * (cmocka_run_group_tests(tests, sample_group_setup,
 * sample_group_teardown)). */
static sample_index g_si;

static int sample_group_setup(void **state)
{
    (void)state;
    return sample_index_setup(&g_si);
}

static int sample_group_teardown(void **state)
{
    (void)state;
    sample_index_teardown(&g_si);
    return 0;
}

/* 1 if s is one of v[0..n). */
static inline int has_str(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

#endif
