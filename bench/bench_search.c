/* bench_search.c - in-process query latency and throughput.
 *
 * usage: bench_search --index INDEX [--type occupation|skill] [--threads N]
 *                     [--repeat R] [--limit N] [--data DIR] [--slow K]
 *                     < queries.jsonl
 *
 * Reads JSON lines {"query": ...}, opens one ss_searcher per thread, runs one
 * untimed warm-up pass over the queries (split across the threads), then R
 * timed passes that the threads share. Prints one JSON line on stdout:
 * per-query latency (p50/p99/mean/max, ms) and queries/s over the wall time
 * of the timed passes. Percentiles use the FTS5 peer's rule (sorted[n/2],
 * sorted[n*0.99]) so the two are comparable. --slow K lists the K slowest
 * queries on stderr, to see what the p99 is made of.
 */
#include <getopt.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../cli/cli_common.h"
#include "../query/match.h"
#include "../query/search.h"

static const char USAGE[] =
    "usage: bench_search --index INDEX [--type occupation|skill|match]\n"
    "                    [--threads N] [--repeat R] [--limit N] [--data DIR]\n"
    "                    [--slow K] < queries.jsonl\n";

typedef struct query { char *text; size_t len; } query;
typedef struct sample { double t; size_t q; } sample; /* seconds, query */

/* Shared by the workers; each writes only its own slots of lat. */
typedef struct run {
    const query *q;
    size_t nq, njobs;          /* njobs = nq * repeat */
    ss_search_req base;
    sample *lat;               /* one per job */
    int match;                 /* --type match: ss_searcher_match */
    atomic_size_t next;        /* next timed job to take */
    pthread_barrier_t start;   /* workers + main: timed passes begin */
} run;

typedef struct worker {
    run *r;
    ss_searcher *s;
    unsigned id, nthreads;
    size_t errors, hits, empty;
    char *first_error;         /* malloc'd */
} worker;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One search; returns its latency in seconds. Counts only in timed runs. */
static double one(worker *w, const query *q, int timed)
{
    ss_search_req req = w->r->base;
    req.text = q->text;
    req.len = q->len;
    ss_hits h;
    ss_match m;
    char *msg = NULL;
    double t0 = now();
    ss_status st;
    if (w->r->match) {
        ss_match_req mr = {.text = q->text, .len = q->len,
                           .limit = req.limit};
        st = ss_searcher_match(w->s, &mr, &m, &msg);
        if (st == SS_OK) {
            h = m.hits;
            memset(&m.hits, 0, sizeof m.hits);
            ss_match_free(&m);
        }
    } else {
        st = ss_searcher_search(w->s, &req, &h, &msg);
    }
    if (st == SS_OK) {
        if (timed) {
            w->hits += h.n;
            w->empty += h.n == 0;
        }
        ss_hits_free(&h);
    }
    double dt = now() - t0;
    if (st != SS_OK && timed) {
        if (!w->errors++ && !w->first_error)
            w->first_error = strdup(msg ? msg : ss_strerror(st));
    }
    free(msg);
    return dt;
}

static void *work(void *arg)
{
    worker *w = arg;
    run *r = w->r;
    for (size_t i = w->id; i < r->nq; i += w->nthreads)
        one(w, &r->q[i], 0);
    pthread_barrier_wait(&r->start);
    size_t j;
    while ((j = atomic_fetch_add(&r->next, 1)) < r->njobs)
        r->lat[j] = (sample){one(w, &r->q[j % r->nq], 1), j % r->nq};
    return NULL;
}

/* Queries from stdin; lines without a string "query" are skipped. */
static query *read_queries(size_t *n)
{
    query *v = NULL;
    size_t cap = 0, len = 0;
    char *line = NULL;
    size_t lcap = 0;
    while (getline(&line, &lcap, stdin) >= 0) {
        json_t *o = json_loads(line, 0, NULL);
        json_t *q = json_object_get(o, "query");
        if (json_is_string(q)) {
            if (len == cap) {
                cap = cap ? cap * 2 : 256;
                query *nv = realloc(v, cap * sizeof *v);
                if (!nv)
                    abort();
                v = nv;
            }
            v[len].len = json_string_length(q);
            v[len].text = malloc(v[len].len + 1);
            if (!v[len].text)
                abort();
            memcpy(v[len].text, json_string_value(q), v[len].len + 1);
            len++;
        }
        json_decref(o);
    }
    free(line);
    *n = len;
    return v;
}

static int cmp_sample(const void *a, const void *b)
{
    double x = ((const sample *)a)->t, y = ((const sample *)b)->t;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *index_opt = NULL, *data_opt = NULL, *type = "occupation";
    unsigned threads = 1, repeat = 1, slow = 0;
    ss_search_req base = {.limit = 10};
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"type", required_argument, 0, 't'},
        {"threads", required_argument, 0, 'j'},
        {"repeat", required_argument, 0, 'r'},
        {"limit", required_argument, 0, 'n'},
        {"data", required_argument, 0, 'd'},
        {"slow", required_argument, 0, 's'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "i:t:j:r:n:d:s:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 't': type = optarg; break;
        case 'j':
            if (ss_parse_uint("--threads", optarg, 1, 256, &threads))
                return 2;
            break;
        case 'r':
            if (ss_parse_uint("--repeat", optarg, 1, 1000, &repeat))
                return 2;
            break;
        case 'n':
            if (ss_parse_uint("--limit", optarg, 1, 1000, &base.limit))
                return 2;
            break;
        case 'd': data_opt = optarg; break;
        case 's':
            if (ss_parse_uint("--slow", optarg, 0, 100000, &slow))
                return 2;
            break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    int match = !strcmp(type, "match");
    if (optind != argc || (!match && ss_parse_kind(type, &base.kind))) {
        fputs(USAGE, stderr);
        return 2;
    }

    size_t nq;
    query *q = read_queries(&nq);
    if (nq == 0) {
        fprintf(stderr, "bench_search: no {\"query\": ...} lines on stdin\n");
        free(q);
        return 2;
    }
    run r = {.q = q, .nq = nq, .njobs = nq * repeat, .base = base,
             .match = match};
    atomic_init(&r.next, 0);
    r.lat = calloc(r.njobs, sizeof *r.lat);
    worker *w = calloc(threads, sizeof *w);
    pthread_t *tid = calloc(threads, sizeof *tid);
    int rc = 1;
    unsigned opened = 0, started = 0;
    if (!r.lat || !w || !tid)
        goto out;
    for (; opened < threads; opened++) {
        w[opened] = (worker){.r = &r, .id = opened, .nthreads = threads};
        if (!(w[opened].s = ss_cli_open_searcher(index_opt, data_opt)))
            goto out;
    }
    pthread_barrier_init(&r.start, NULL, threads + 1);
    for (; started < threads; started++) {
        if (pthread_create(&tid[started], NULL, work, &w[started])) {
            /* The barrier would never open: nothing sensible is left. */
            fprintf(stderr, "bench_search: cannot start thread\n");
            abort();
        }
    }
    pthread_barrier_wait(&r.start);
    double t0 = now();
    for (unsigned i = 0; i < threads; i++)
        pthread_join(tid[i], NULL);
    double wall = now() - t0;
    pthread_barrier_destroy(&r.start);

    size_t errors = 0, hits = 0, empty = 0;
    double sum = 0;
    for (unsigned i = 0; i < threads; i++) {
        errors += w[i].errors, hits += w[i].hits, empty += w[i].empty;
        if (w[i].first_error)
            fprintf(stderr, "bench_search: query failed: %s\n",
                    w[i].first_error);
    }
    for (size_t j = 0; j < r.njobs; j++)
        sum += r.lat[j].t;
    qsort(r.lat, r.njobs, sizeof *r.lat, cmp_sample);
    for (size_t k = 0; k < slow && k < r.njobs; k++) {
        const sample *x = &r.lat[r.njobs - 1 - k];
        fprintf(stderr, "slow: %8.3f ms  %s\n", x->t * 1e3, q[x->q].text);
    }
    size_t ok = r.njobs - errors;
    json_t *o = json_pack(
        "{s:s, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f}",
        "type", base.kind == SS_KIND_OCC ? "occupation" : "skill",
        "threads", (json_int_t)threads, "repeat", (json_int_t)repeat,
        "queries", (json_int_t)nq, "errors", (json_int_t)errors,
        "empty", (json_int_t)empty,
        "mean_hits", ok ? (double)hits / (double)ok : 0.0,
        "p50_ms", r.lat[r.njobs / 2].t * 1e3,
        "p99_ms", r.lat[(size_t)((double)r.njobs * 0.99)].t * 1e3,
        "mean_ms", sum / (double)r.njobs * 1e3,
        "max_ms", r.lat[r.njobs - 1].t * 1e3,
        "wall_s", wall, "qps", (double)r.njobs / wall);
    ss_json_print_line(o);
    json_decref(o);
    rc = errors ? 1 : 0;
out:
    for (unsigned i = 0; i < opened; i++) {
        ss_searcher_destroy(w[i].s);
        free(w[i].first_error);
    }
    for (size_t i = 0; i < nq; i++)
        free(q[i].text);
    free(q);
    free(w);
    free(tid);
    free(r.lat);
    return rc;
}
