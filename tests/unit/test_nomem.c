/* test_nomem.c - out of memory is a status, never silently different data.
 *
 * Replaces malloc/calloc/realloc for this program (glibc lets a program
 * do so; libc's own strdup, asprintf, getline and C++ operator new come
 * here too) and fails the Nth allocation of a call, for every N until the
 * call no longer allocates that many times. Each run must return either
 * SS_ERR_NOMEM or SS_OK with exactly the result of a run without failures
 * (a failed cache allocation may be absorbed), and leave no block behind.
 * The catalogue part takes most of the ~30 s. Run from the repository
 * root: reads data/. Under ASan (which owns malloc) nothing is injected
 * and the checks run once.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../core/linefile.h"
#include "../../core/paths.h"
#include "../../core/terms.h"
#include "../../core/text.h"
#include "../../indexer/catalog.h"
#include "../../indexer/esco.h"
#include "../../synonyms/synonyms.h"

static long fail_at = -1; /* allocation number to fail; -1: none */
static long nalloc;       /* allocations since arm() */
static int fired;
static char *err; /* the message of the last failed call */

#if !defined(__SANITIZE_ADDRESS__)
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void __libc_free(void *);

static long live; /* blocks allocated and not freed: leaks on error paths */

static int fail_now(void)
{
    if (fail_at < 0 || nalloc++ != fail_at)
        return 0;
    fired = 1;
    errno = ENOMEM; /* as malloc does */
    return 1;
}

static void *counted(void *p)
{
    live += p != NULL;
    return p;
}

void *malloc(size_t n)
{
    return fail_now() ? NULL : counted(__libc_malloc(n));
}
void *calloc(size_t k, size_t n)
{
    return fail_now() ? NULL : counted(__libc_calloc(k, n));
}
void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    if (fail_now())
        return NULL;
    void *q = __libc_realloc(p, n);
    live -= !q && !n; /* realloc(p, 0) frees p */
    return q;
}
void free(void *p)
{
    live -= p != NULL;
    __libc_free(p);
}
#define INJECTING 1
#else
#define INJECTING 0
static long live;
#endif

/* gcc assumes the malloc family touches no global of ours and may move
 * reads of `live` or stores to `fail_at` across direct calls: the test's
 * own calls go through these. */
static void (*volatile release)(void *) = free;
static char *(*volatile dup_str)(const char *) = strdup;

static void arm(long n)
{
    nalloc = 0;
    fired = 0;
    fail_at = n;
}

static void disarm(void) { fail_at = -1; }

static long paused;
static void pause_faults(void)
{
    paused = fail_at;
    fail_at = -1;
}
static void resume_faults(void) { fail_at = paused; }

/* What put() writes about arg, malloc'd; no failures are injected here:
 * formatting results is the test's own business. */
static char *format(void (*put)(FILE *, const void *), const void *arg)
{
    pause_faults();
    char *s = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);
    assert_non_null(f);
    put(f, arg);
    assert_int_equal(fclose(f), 0);
    resume_faults();
    return s;
}

static void put_terms(FILE *f, const void *arg)
{
    const ss_terms *t = arg;
    for (size_t i = 0; i < t->n; i++)
        fprintf(f, "%s@%u/%u ", t->term[i], t->tok.v[i].pos,
                t->tok.v[i].flags);
}

/* Every entry as "key>to,to;". */
static void put_synonyms(FILE *f, const void *arg)
{
    const ss_synonyms *syn = arg;
    for (size_t i = 0; i < ss_synonyms_count(syn); i++) {
        const ss_syn *e = ss_synonyms_at(syn, i);
        fprintf(f, "%s>", e->key);
        for (size_t j = 0; j < e->n; j++)
            fprintf(f, "%s,", e->to[j]);
        fputc(';', f);
    }
}

/* The terms of text with an English analyzer; *out NULL when a call
 * failed (its status returned). */
static ss_status analyse(const char *text, char **out)
{
    *out = NULL;
    ss_analyzer *a = NULL;
    ss_terms t = {0};
    ss_status st = ss_analyzer_create("en", "data/stop", &a, &err);
    if (st == SS_OK)
        st = ss_terms_add(a, text, strlen(text), &t);
    if (st == SS_OK)
        *out = format(put_terms, &t);
    ss_terms_free(&t);
    ss_analyzer_destroy(a);
    return st;
}

/* The whole curated synonym table. */
static ss_status synonyms(char **out)
{
    *out = NULL;
    ss_analyzer *a = NULL;
    ss_synonyms *syn = NULL;
    ss_status st = ss_analyzer_create("en", "data/stop", &a, &err);
    if (st == SS_OK)
        st = ss_synonyms_load("data/synonyms", a, &syn, &err);
    if (st == SS_OK)
        *out = format(put_synonyms, syn);
    ss_synonyms_destroy(syn);
    ss_analyzer_destroy(a);
    return st;
}

static void put_concepts(FILE *f, const ss_esco_concept *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s|%s|%s|%s|%s|%s|%s", c[i].uri, c[i].label,
                c[i].description, c[i].code, c[i].isco, c[i].skill_type,
                c[i].reuse_level);
        for (size_t j = 0; j < c[i].nalt; j++)
            fprintf(f, "|a:%s", c[i].alt[j]);
        for (size_t j = 0; j < c[i].nhidden; j++)
            fprintf(f, "|h:%s", c[i].hidden[j]);
        fputc('\n', f);
    }
}

static void put_esco(FILE *f, const void *arg)
{
    const ss_esco *e = arg;
    fprintf(f, "%zu %zu %zu %zu %zu %zu %zu %zu\n", e->nocc, e->nskill,
            e->nrel, e->nskillrel, e->nisco, e->nskillgroup, e->nbroader,
            e->nwarnings);
    put_concepts(f, e->occ, e->nocc);
    put_concepts(f, e->skill, e->nskill);
    for (size_t i = 0; i < e->nrel; i++)
        fprintf(f, "%u-%u%c ", e->rel[i].occ, e->rel[i].skill,
                e->rel[i].essential ? 'e' : 'o');
    for (size_t i = 0; i < e->nisco; i++)
        fprintf(f, "%s<%s ", e->isco[i].code, e->isco[i].parent_uri);
}

static void quiet(void *ctx, const char *file, unsigned long line,
                  const char *field, const char *msg)
{
    (void)ctx, (void)file, (void)line, (void)field, (void)msg;
}

/* The sample ESCO download, read. */
static ss_status esco(char **out)
{
    *out = NULL;
    ss_esco_load_opts opts = {.warn = quiet};
    ss_esco *e = NULL;
    ss_status st = ss_esco_load("data/sample", "en", &opts, &e, &err);
    if (st == SS_OK)
        *out = format(put_esco, e);
    ss_esco_destroy(e);
    return st;
}

/* The sample written as a catalogue; the result is only "written": what
 * matters is that a failure is a status. */
static ss_status catalog(char **out)
{
    static ss_esco *e;
    ss_esco_load_opts opts = {.warn = quiet};
    char path[] = "/tmp/test_nomem_catalog.sqlite";
    *out = NULL;
    pause_faults();
    if (!e)
        assert_int_equal(ss_esco_load("data/sample", "en", &opts, &e, NULL),
                         SS_OK);
    unlink(path);
    resume_faults();
    ss_status st = ss_catalog_write(path, e, &err);
    pause_faults();
    if (st == SS_OK)
        *out = strdup("written");
    unlink(path);
    resume_faults();
    return st;
}

static ss_status vectors(char **out)
{
    return ss_vectors_path("some/file.ssvec", "en", out);
}

/* Runs fn failing allocation 0, 1, 2, ... until it no longer fails. */
static void exhaust(ss_status (*fn)(char **), const char *name)
{
    char *want = NULL;
    assert_int_equal(fn(&want), SS_OK);
    assert_non_null(want);
    long runs = 0, nomem = 0;
    for (long n = 0; INJECTING; n++) {
        char *got = NULL;
        long before = live;
        arm(n);
        ss_status st = fn(&got);
        int hit = fired;
        disarm();
        if (st == SS_ERR_NOMEM) {
            nomem++;
        } else if (st != SS_OK) {
            fail_msg("%s: allocation %ld failed: status %s (%s)", name, n,
                     ss_strerror(st), err ? err : "no message");
        } else if (strcmp(got, want) != 0) {
            fail_msg("%s: allocation %ld failed: different result\n"
                     "got  %s\nwant %s", name, n, got, want);
        }
        release(got);
        release(err);
        err = NULL;
        if (live != before)
            fail_msg("%s: allocation %ld failed: %ld blocks leaked", name,
                     n, live - before);
        runs++;
        if (!hit)
            break;
    }
    if (INJECTING && !nomem)
        fail_msg("%s: no allocation failure reached a status", name);
    print_message("%s: %ld failing runs, %ld gave SS_ERR_NOMEM\n", name,
                  runs - 1, nomem);
    free(want);
}

static ss_status analyse_sample(char **out)
{
    return analyse("Senior C++ developers' e-mail, CAD/CAM & R&D for "
                   "l'électricien in the cleanroom",
                   out);
}

static void test_analyzer(void **state)
{
    (void)state;
    exhaust(analyse_sample, "analyzer");
}

static void test_synonyms(void **state)
{
    (void)state;
    exhaust(synonyms, "synonyms");
}

static void test_esco(void **state)
{
    (void)state;
    exhaust(esco, "ESCO sample");
}

static void test_catalog(void **state)
{
    (void)state;
    exhaust(catalog, "catalogue");
}

static void test_vectors_path(void **state)
{
    (void)state;
    exhaust(vectors, "vectors path");
}

/* The counting sees libc's own allocations, so leaks would show. */
static void test_counting(void **state)
{
    (void)state;
    long before = live;
    char *p = dup_str("x");
    assert_non_null(p);
    assert_int_equal(live, before + INJECTING);
    release(p);
    assert_int_equal(live, before);
    arm(0);
    p = dup_str("x");
    disarm();
    assert_true(INJECTING ? !p : p != NULL);
    release(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_analyzer),
        cmocka_unit_test(test_synonyms),
        cmocka_unit_test(test_esco),
        cmocka_unit_test(test_catalog),
        cmocka_unit_test(test_vectors_path),
        cmocka_unit_test(test_counting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
