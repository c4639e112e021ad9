/* bench_career.c - latency of the career features (fit, similar) against
 * the same joins as plain SQLite queries on the index's catalogue.
 *
 * usage: bench_career --index INDEX [--sample N] [--repeat R] [--seed S]
 *                     [--data DIR]
 *
 * Draws N occupations (default 300, fixed seed) among those with an
 * essential skill and builds, for each occupation o:
 *   fit1:    a profile of o's essential skills, each dropped with
 *            probability 1/3 (one kept at least), scored against o;
 *   best:    a 30-skill profile, up to 15 of o's skills (essential or
 *            optional) and the rest drawn from all skills, ranked against
 *            every occupation (limit 10, with the gaps);
 *   similar: the 10 occupations most like o.
 * Ours is the library call from skill ids to a freed result (ss_fit_add_ids
 * + ss_fit_run, ss_similar_find). The peer is one SQL statement per
 * feature on the catalogue, prepared once, taking the same ids as a JSON
 * array: the profile joined with occupation_skill, idf-weighted sums
 * (essential 1, optional SS_FIT_W_OPTIONAL), GROUP BY occupation, ORDER BY
 * ... LIMIT 10. It has no hierarchy credit and no skill lists, so it does
 * a little less than ours. The idf and the occupations' total weights are
 * temp tables built once, as our graph is loaded once: neither is timed,
 * both are printed. Ours and the peer alternate item by item, so load on
 * the machine hits both alike; one untimed pass first, then R timed ones.
 *
 * Prints one JSON line: p50/p99 (ms, sorted[n/2] and sorted[n*0.99] as in
 * bench_search) per feature for ours and the peer, and how often the
 * peer's first answer agrees with ours (same similar-occupation score,
 * same best-fit occupation, same fit1 coverage; below 1 only where the
 * hierarchy credit or tie order differs).
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../cli/cli_common.h"
#include "../query/fit.h"
#include "../query/hits_json.h"
#include "../query/similar.h"

static const char USAGE[] =
    "usage: bench_career --index INDEX [--sample N] [--repeat R] [--seed S]\n"
    "                    [--data DIR]\n";

#define BEST_SKILLS 30
#define BEST_FROM_OCC 15

/* The profile of the peer's "p" CTE: ESCO ids (skill.key) from JSON. */
#define PROFILE_CTE                                                          \
    "WITH p(skill_id) AS MATERIALIZED (SELECT s.id FROM json_each(?1) j "    \
    "JOIN skill s ON s.key = j.value) "
#define REQ_WEIGHT "(CASE WHEN os.essential THEN 1.0 ELSE 0.25 END)"

static const char SQL_FIT1[] = PROFILE_CTE
    "SELECT sum(w.idf * " REQ_WEIGHT " * (os.skill_id IN p)) / "
    "sum(w.idf * " REQ_WEIGHT ") "
    "FROM occupation_skill os JOIN skill_w w ON w.skill_id = os.skill_id "
    "WHERE os.occupation_id = ?2";

static const char SQL_BEST[] = PROFILE_CTE
    "SELECT os.occupation_id, "
    "sum(w.idf * " REQ_WEIGHT ") / t.total AS coverage, "
    "sum(w.idf) / (SELECT sum(idf) FROM p JOIN skill_w USING (skill_id)) "
    "AS use "
    "FROM p JOIN occupation_skill os ON os.skill_id = p.skill_id "
    "JOIN skill_w w ON w.skill_id = p.skill_id "
    "JOIN occ_total t ON t.occupation_id = os.occupation_id "
    "GROUP BY os.occupation_id "
    "ORDER BY coverage * use DESC, coverage DESC, os.occupation_id LIMIT 10";

static const char SQL_SIMILAR[] =
    "SELECT b.occupation_id, sum(w.idf) AS score "
    "FROM occupation_skill a "
    "JOIN occupation_skill b ON b.skill_id = a.skill_id "
    "JOIN skill_w w ON w.skill_id = a.skill_id "
    "WHERE a.occupation_id = ?1 AND a.essential AND b.essential "
    "AND b.occupation_id <> ?1 "
    "GROUP BY b.occupation_id ORDER BY score DESC, b.occupation_id LIMIT 10";

/* Built once, before the passes: the idf the graph computed, and each
 * occupation's sum of weights (the coverage denominator). */
static const char SQL_SETUP[] =
    "CREATE TEMP TABLE skill_w(skill_id INTEGER PRIMARY KEY, idf REAL);"
    "CREATE TEMP TABLE occ_total(occupation_id INTEGER PRIMARY KEY, "
    "total REAL);";
static const char SQL_TOTALS[] =
    "INSERT INTO occ_total SELECT os.occupation_id, "
    "sum(w.idf * " REQ_WEIGHT ") FROM occupation_skill os "
    "JOIN skill_w w ON w.skill_id = os.skill_id GROUP BY os.occupation_id";

enum { FIT1, BEST, SIMILAR, NFEAT };
static const char *const FEAT[NFEAT] = {"fit1", "best", "similar"};

typedef struct item {
    uint32_t occ;
    const char **ids[2];  /* fit1, best profiles: borrowed graph strings */
    size_t nids[2];
    char *json[2];        /* the same ids as a JSON array, for the peer */
} item;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng_state;

/* splitmix64: the same sample on every machine for a seed */
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint32_t below(size_t n) { return (uint32_t)(rnd() % n); }

static void shuffle(uint32_t *v, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        uint32_t j = below(i), t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

/* Appends skill k's id unless the profile has it already. */
static void add_id(const ss_skillgraph *g, item *it, int which, uint32_t k)
{
    const char *id = ss_uri_id(g->skill[k].uri);
    for (size_t i = 0; i < it->nids[which]; i++)
        if (it->ids[which][i] == id)
            return;
    it->ids[which][it->nids[which]++] = id;
}

static char *ids_json(const char **ids, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(ids[i]));
    char *s = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    if (!s)
        abort();
    return s;
}

static void make_item(const ss_skillgraph *g, const uint32_t *skills,
                      size_t nskills, uint32_t o, item *it)
{
    uint32_t lo = g->req_off[o], n = g->req_off[o + 1] - lo;
    it->occ = o;
    it->ids[FIT1] = xmalloc(n * sizeof(char *));
    it->ids[BEST] = xmalloc(BEST_SKILLS * sizeof(char *));
    for (uint32_t i = 0; i < n; i++)
        if ((g->req[lo + i] & SS_SG_ESSENTIAL) && below(3) != 0)
            add_id(g, it, FIT1, SS_SG_ID(g->req[lo + i]));
    if (!it->nids[FIT1]) /* essential skills come first */
        add_id(g, it, FIT1, SS_SG_ID(g->req[lo]));
    uint32_t *mine = xmalloc(n * sizeof *mine);
    memcpy(mine, &g->req[lo], n * sizeof *mine);
    shuffle(mine, n);
    for (uint32_t i = 0; i < n && i < BEST_FROM_OCC; i++)
        add_id(g, it, BEST, SS_SG_ID(mine[i]));
    free(mine);
    while (it->nids[BEST] < BEST_SKILLS && it->nids[BEST] < nskills)
        add_id(g, it, BEST, skills[below(nskills)]);
    for (int w = FIT1; w <= BEST; w++)
        it->json[w] = ids_json(it->ids[w], it->nids[w]);
}

/* The sample: n occupations with an essential skill, without repeats. */
static item *make_sample(const ss_skillgraph *g, size_t *n)
{
    uint32_t *occs = xmalloc(g->nocc * sizeof *occs);
    uint32_t *skills = xmalloc(g->nskill * sizeof *skills);
    size_t nocc = 0, nskills = 0;
    for (uint32_t o = 1; o < g->nocc; o++)
        if (g->occ[o].uri && g->req_off[o + 1] > g->req_off[o] &&
            (g->req[g->req_off[o]] & SS_SG_ESSENTIAL))
            occs[nocc++] = o;
    for (uint32_t k = 1; k < g->nskill; k++)
        if (g->skill[k].uri)
            skills[nskills++] = k;
    shuffle(occs, nocc);
    if (*n > nocc)
        *n = nocc;
    item *v = calloc(*n ? *n : 1, sizeof *v);
    if (!v)
        abort();
    for (size_t i = 0; i < *n; i++)
        make_item(g, skills, nskills, occs[i], &v[i]);
    free(occs);
    free(skills);
    return v;
}

static int peer_setup(sqlite3 *db, const ss_skillgraph *g)
{
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_exec(db, SQL_SETUP, NULL, NULL, NULL) == SQLITE_OK &&
             sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db, "INSERT INTO skill_w VALUES (?1, ?2)", -1,
                                &st, NULL) == SQLITE_OK;
    for (uint32_t k = 1; ok && k < g->nskill; k++) {
        if (!g->skill[k].uri)
            continue;
        sqlite3_bind_int64(st, 1, k);
        sqlite3_bind_double(st, 2, g->idf[k]);
        ok = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return ok && sqlite3_exec(db, SQL_TOTALS, NULL, NULL, NULL) == SQLITE_OK &&
           sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
}

/* The first answer of ours and of the peer, to count agreement. */
typedef struct first { uint32_t occ; double value; } first;

/* Our side of one feature for one item; 0 on failure. */
static int ours(const ss_skillgraph *g, int f, const item *it, first *out)
{
    if (f == SIMILAR) {
        ss_similar r;
        if (ss_similar_find(g, it->occ, 10, &r) != SS_OK)
            return 0;
        *out = r.nhits ? (first){r.hits[0].occ, r.hits[0].score}
                       : (first){0, 0};
        ss_similar_free(&r);
        return 1;
    }
    ss_fit fit = {0};
    char *err = NULL;
    ss_status st = ss_fit_add_ids(g, &fit, it->ids[f], it->nids[f], &err);
    if (st == SS_OK)
        st = ss_fit_run(g, &fit, f == FIT1 ? it->occ : 0, 10, &err);
    if (st == SS_OK)
        *out = fit.nocc ? (first){fit.occs[0].occ, fit.occs[0].coverage}
                        : (first){0, 0};
    else
        fprintf(stderr, "bench_career: %s: %s\n", FEAT[f],
                err ? err : ss_strerror(st));
    ss_fit_free(&fit);
    free(err);
    return st == SS_OK;
}

/* The peer's side: binds, reads every row, resets; 0 on failure. */
static int peer(sqlite3_stmt *q, int f, const item *it, first *out)
{
    if (f == SIMILAR) {
        sqlite3_bind_int64(q, 1, it->occ);
    } else {
        sqlite3_bind_text(q, 1, it->json[f], -1, SQLITE_STATIC);
        if (f == FIT1)
            sqlite3_bind_int64(q, 2, it->occ);
    }
    int rc, rows = 0;
    *out = (first){0, 0};
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (!rows++)
            *out = f == FIT1 ? (first){it->occ, sqlite3_column_double(q, 0)}
                             : (first){(uint32_t)sqlite3_column_int64(q, 0),
                                       sqlite3_column_double(q, 1)};
    sqlite3_reset(q);
    return rc == SQLITE_DONE;
}

/* Does the peer's first answer agree with ours? similar: same score (ties
 * may order differently); best: same occupation; fit1: same coverage. */
static int agrees(int f, first a, first b)
{
    if (f == BEST)
        return a.occ == b.occ;
    return fabs(a.value - b.value) <= 1e-9 * (fabs(a.value) + 1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void put_pct(json_t *o, const char *key, double *t, size_t n)
{
    char name[64];
    qsort(t, n, sizeof *t, cmp_double);
    snprintf(name, sizeof name, "%s_p50_ms", key);
    json_object_set_new(o, name, json_real(t[n / 2] * 1e3));
    snprintf(name, sizeof name, "%s_p99_ms", key);
    json_object_set_new(o, name, json_real(t[(size_t)((double)n * 0.99)] * 1e3));
}

int main(int argc, char **argv)
{
    const char *index_opt = NULL, *data_opt = NULL;
    /* the numeric options, by their getopt value */
    enum { O_SAMPLE, O_REPEAT, O_SEED, NNUM };
    unsigned num[NNUM] = {300, 3, 16};
    static const unsigned range[NNUM][2] = {
        {1, 100000}, {1, 1000}, {0, 4000000000u}};
    static const struct option opts[] = {
        {"sample", required_argument, 0, O_SAMPLE},
        {"repeat", required_argument, 0, O_REPEAT},
        {"seed", required_argument, 0, O_SEED},
        {"index", required_argument, 0, 'i'},
        {"data", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char name[16];
        if (c >= 0 && c < NNUM) {
            snprintf(name, sizeof name, "--%s", opts[c].name);
            if (ss_parse_uint(name, optarg, range[c][0], range[c][1], &num[c]))
                return 2;
        } else if (c == 'i') {
            index_opt = optarg;
        } else if (c == 'd') {
            data_opt = optarg;
        } else {
            fputs(USAGE, c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
    }
    unsigned sample = num[O_SAMPLE], repeat = num[O_REPEAT], seed = num[O_SEED];
    if (optind != argc) {
        fputs(USAGE, stderr);
        return 2;
    }
    ss_searcher *s = ss_cli_open_searcher(index_opt, data_opt);
    if (!s)
        return 1;
    const ss_skillgraph *g = NULL;
    char *err = NULL;
    double t0 = now();
    if (ss_searcher_skillgraph(s, &g, &err) != SS_OK) {
        fprintf(stderr, "bench_career: %s\n", err ? err : "no skill graph");
        free(err);
        ss_searcher_destroy(s);
        return 1;
    }
    double load = now() - t0;

    /* The peer's own read-only connection to the same catalogue. */
    sqlite3 *db = NULL;
    sqlite3_stmt *q[NFEAT] = {0};
    const char *path = sqlite3_db_filename(ss_searcher_catalog(s), "main");
    t0 = now();
    int ok = path && sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
                         SQLITE_OK &&
             peer_setup(db, g) &&
             sqlite3_prepare_v2(db, SQL_FIT1, -1, &q[FIT1], NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db, SQL_BEST, -1, &q[BEST], NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db, SQL_SIMILAR, -1, &q[SIMILAR], NULL) ==
                 SQLITE_OK;
    double setup = now() - t0;
    if (!ok)
        fprintf(stderr, "bench_career: peer: %s\n",
                db ? sqlite3_errmsg(db) : "no catalogue");

    rng_state = seed;
    size_t n = sample;
    item *it = ok ? make_sample(g, &n) : NULL;
    size_t nt = n * repeat, agree[NFEAT] = {0};
    double *t[NFEAT][2];
    for (int f = 0; f < NFEAT; f++)
        for (int side = 0; side < 2; side++)
            t[f][side] = xmalloc((nt ? nt : 1) * sizeof(double));
    size_t errors = 0;
    /* pass 0 is the warm-up, and where agreement is counted */
    for (unsigned pass = 0; ok && n && pass <= repeat; pass++)
        for (size_t i = 0; i < n; i++)
            for (int f = 0; f < NFEAT; f++) {
                first a, b;
                double t1 = now();
                errors += !ours(g, f, &it[i], &a);
                double t2 = now();
                errors += !peer(q[f], f, &it[i], &b);
                double t3 = now();
                if (!pass) {
                    agree[f] += agrees(f, a, b);
                    continue;
                }
                t[f][0][(pass - 1) * n + i] = t2 - t1;
                t[f][1][(pass - 1) * n + i] = t3 - t2;
            }
    if (ok && errors)
        fprintf(stderr, "bench_career: %zu failed calls (%s)\n", errors,
                sqlite3_errmsg(db));

    int rc = ok && n && !errors ? 0 : 1;
    if (ok && n) {
        size_t fit_sk = 0;
        for (size_t i = 0; i < n; i++)
            fit_sk += it[i].nids[FIT1];
        json_t *o = json_pack(
            "{s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:I}", "sample",
            (json_int_t)n, "repeat", (json_int_t)repeat, "seed",
            (json_int_t)seed, "errors", (json_int_t)errors, "graph_load_ms",
            load * 1e3, "peer_setup_ms", setup * 1e3, "fit1_profile_skills",
            (double)fit_sk / (double)n, "best_profile_skills",
            (json_int_t)BEST_SKILLS);
        for (int f = 0; o && f < NFEAT; f++) {
            char key[64];
            put_pct(o, FEAT[f], t[f][0], nt);
            snprintf(key, sizeof key, "peer_%s", FEAT[f]);
            put_pct(o, key, t[f][1], nt);
            snprintf(key, sizeof key, "%s_agree", FEAT[f]);
            json_object_set_new(o, key,
                                json_real((double)agree[f] / (double)n));
        }
        ss_json_print_line(o);
        json_decref(o);
    }
    for (size_t i = 0; it && i < n; i++)
        for (int w = FIT1; w <= BEST; w++) {
            free(it[i].ids[w]);
            free(it[i].json[w]);
        }
    free(it);
    for (int f = 0; f < NFEAT; f++) {
        free(t[f][0]);
        free(t[f][1]);
        sqlite3_finalize(q[f]);
    }
    sqlite3_close(db);
    ss_searcher_destroy(s);
    return rc;
}
