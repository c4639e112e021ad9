#include "train.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xgboost/c_api.h>

#include "../query/features.h"
#include "../query/meaning.h"
#include "../query/searcher.h"

/* The training matrix, grown query by query. */
typedef struct trainset {
    float *X, *y;
    size_t rows, cap;
    unsigned *group;
    float *weight;  /* per group */
    size_t ngroups, gcap;
    size_t queries, first;
    char **lines;   /* meaning: one training line per query */
    size_t nlines, lcap;
} trainset;

static void trainset_free(trainset *t)
{
    free(t->X);
    free(t->y);
    free(t->group);
    free(t->weight);
    for (size_t i = 0; i < t->nlines; i++)
        free(t->lines[i]);
    free(t->lines);
}

static int cmp_uri(const void *a, const void *b, void *cs)
{
    const ss_concepts *c = cs;
    return strcmp(c->v[*(const uint32_t *)a].uri,
                  c->v[*(const uint32_t *)b].uri);
}

/* Concept ordinals sorted by URI, for gold lookups. */
typedef struct uri_map {
    uint32_t *v;
    const ss_concepts *cs;
} uri_map;

static uint32_t uri_find(const uri_map *m, const char *uri)
{
    size_t lo = 0, hi = m->cs->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(m->cs->v[m->v[mid]].uri, uri);
        if (c == 0)
            return m->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return UINT32_MAX;
}

/* The title classifier's line for text: its first gold concept's label,
 * then its words as serving reads them (ss_meaning_line). */
static ss_status add_line(ss_rank_input in, const char *text, uint32_t gold,
                          trainset *t)
{
    ss_tokens tok = {0};
    t->queries++;
    ss_status st = ss_analyzer_tokenize(in.a, text, strlen(text), &tok);
    char *words = st == SS_OK ? ss_meaning_line(&tok) : NULL;
    char *label = ss_meaning_label(in.concepts->v[gold].uri);
    ss_tokens_free(&tok);
    if (st == SS_OK && (!words || !label))
        st = SS_ERR_NOMEM;
    if (st == SS_OK && *words && t->nlines == t->lcap) {
        size_t cap = t->lcap ? t->lcap * 2 : 4096;
        char **v = realloc(t->lines, cap * sizeof *v);
        if (v) {
            t->lines = v;
            t->lcap = cap;
        } else
            st = SS_ERR_NOMEM;
    }
    if (st == SS_OK && *words &&
        asprintf(&t->lines[t->nlines], "%s %s", label, words) >= 0)
        t->nlines++;
    else if (st == SS_OK && *words)
        st = SS_ERR_NOMEM;
    free(words);
    free(label);
    /* text that is not UTF-8 teaches nothing */
    return st == SS_ERR_INVALID ? SS_OK : st;
}

/* Runs one query and adds its group if a gold concept is a candidate. */
static ss_status add_query(const ss_train_opts *o, ss_rank_input in,
                           const char *text, const uint32_t *gold,
                           size_t ngold, float weight, trainset *t,
                           char **errmsg)
{
    if (o->meaning)
        return add_line(in, text, gold[0], t);
    in.text = text;
    in.len = strlen(text);
    in.kind = o->kind;
    uint32_t *cand = NULL;
    float *X = NULL;
    size_t n = 0;
    ss_status st = ss_rank_features(&in, o->depth, &cand, &X, &n, errmsg);
    t->queries++;
    int any = 0, first = 0;
    for (size_t i = 0; st == SS_OK && i < n; i++)
        for (size_t g = 0; g < ngold; g++)
            if (cand[i] == gold[g]) {
                any = 1;
                first |= i == 0;
            }
    if (st != SS_OK || !any) {
        free(cand);
        free(X);
        return st == SS_ERR_INVALID ? SS_OK : st;
    }
    if (t->rows + n > t->cap) {
        size_t cap = (t->rows + n) * 2;
        float *nx = realloc(t->X, cap * ss_nfeatures * sizeof *nx);
        if (nx)
            t->X = nx;
        float *ny = realloc(t->y, cap * sizeof *ny);
        if (ny)
            t->y = ny;
        if (!nx || !ny)
            st = SS_ERR_NOMEM;
        else
            t->cap = cap;
    }
    if (st == SS_OK && t->ngroups == t->gcap) {
        size_t cap = t->gcap ? t->gcap * 2 : 1024;
        unsigned *g = realloc(t->group, cap * sizeof *g);
        if (g)
            t->group = g;
        float *w = realloc(t->weight, cap * sizeof *w);
        if (w)
            t->weight = w;
        if (g && w)
            t->gcap = cap;
        else
            st = SS_ERR_NOMEM;
    }
    if (st == SS_OK) {
        memcpy(t->X + t->rows * ss_nfeatures, X,
               n * ss_nfeatures * sizeof *X);
        for (size_t i = 0; i < n; i++) {
            float rel = 0;
            for (size_t g = 0; g < ngold; g++)
                rel = cand[i] == gold[g] ? 1 : rel;
            t->y[t->rows + i] = rel;
        }
        t->rows += n;
        t->weight[t->ngroups] = weight;
        t->group[t->ngroups++] = (unsigned)n;
        t->first += first;
    }
    free(cand);
    free(X);
    return st;
}

static ss_status add_file(const ss_train_opts *o, const ss_rank_input *in,
                          const uri_map *map, const char *path, trainset *t,
                          char **errmsg)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return ss_set_error(errmsg, SS_ERR_IO, "%s: cannot read", path);
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ss_status st = SS_OK;
    while (st == SS_OK && getline(&line, &cap, f) > 0) {
        lineno++;
        if (line[strspn(line, " \t\r\n")] == '\0')
            continue;
        json_error_t je;
        json_t *o2 = json_loads(line, 0, &je);
        json_t *q = json_object_get(o2, "query");
        json_t *g = json_object_get(o2, "gold");
        if (!json_is_string(q) || !json_is_array(g)) {
            st = ss_set_error(errmsg, SS_ERR_INVALID,
                              "%s:%zu: expected {\"query\": string, "
                              "\"gold\": [URI, ...]}%s%s",
                              path, lineno, o2 ? "" : ": ",
                              o2 ? "" : je.text);
            json_decref(o2);
            break;
        }
        uint32_t gold[16];
        size_t ng = 0;
        for (size_t i = 0; i < json_array_size(g) && ng < 16; i++) {
            const char *u = json_string_value(json_array_get(g, i));
            uint32_t c = u ? uri_find(map, u) : UINT32_MAX;
            int kind_ok = c != UINT32_MAX &&
                          (o->kind == SS_KIND_OCC) == (c < in->concepts->nocc);
            if (kind_ok)
                gold[ng++] = c;
        }
        if (ng)
            st = add_query(o, *in, json_string_value(q), gold, ng, 1, t,
                           errmsg);
        json_decref(o2);
        ss_progress_add(o->progress, 1);
    }
    free(line);
    fclose(f);
    return st;
}

static float esco_weight(const ss_train_opts *o)
{
    return o->esco_weight > 0 ? (float)o->esco_weight : 1.0f;
}

/* ESCO's labels as queries for their own concept. */
static ss_status add_labels(const ss_train_opts *o, const ss_rank_input *in,
                            trainset *t, char **errmsg)
{
    const ss_concepts *cs = in->concepts;
    size_t from = o->kind == SS_KIND_OCC ? 0 : cs->nocc;
    size_t to = o->kind == SS_KIND_OCC ? cs->nocc : cs->n;
    unsigned every = o->label_every ? o->label_every : 1, seen = 0;
    ss_status st = SS_OK;
    for (size_t c = from; st == SS_OK && c < to; c++) {
        uint32_t d = ss_memindex_first_doc(in->labels, (uint32_t)c);
        uint32_t nd = ss_memindex_ndocs(in->labels);
        for (; st == SS_OK && d < nd && ss_memindex_concept(in->labels, d) == c;
             d++) {
            uint8_t k = ss_memindex_kind(in->labels, d);
            unsigned bit = k == 'p'   ? SS_TRAIN_PREFERRED
                           : k == 'a' ? SS_TRAIN_ALTERNATIVE
                                      : SS_TRAIN_HIDDEN;
            uint16_t li = ss_memindex_label(in->labels, d);
            if (!(o->labels & bit) || li >= cs->v[c].nlabels ||
                seen++ % every)
                continue;
            ss_rank_input x = *in;
            uint32_t self = d;
            /* a preferred label is the exact query it must win; another
             * label must be found by what else the concept has */
            x.exclude = k == 'p' ? NULL : &self;
            uint32_t gold = (uint32_t)c;
            st = add_query(o, x, cs->v[c].labels[li], &gold, 1, esco_weight(o),
                           t, errmsg);
        }
        ss_progress_add(o->progress, 1);
    }
    return st;
}

/* A skill label as a searcher types it: labels mostly start with a verb
 * that is left out ("perform wire bonding" -> "wire bonding"). */
static const char *skill_words(const char *label)
{
    return strchr(label, ' ') ? label + strcspn(label, " ") + 1 : label;
}

#define RARE 3 /* rarest essential skills per occupation */

/* Occupations: "<skill> <skill>" for each pair of its RARE rarest
 * essential skills (fewest occupations need them), as a job seeker lists
 * what they can do. */
static ss_status add_skill_queries(const ss_train_opts *o,
                                   const ss_rank_input *in, trainset *t,
                                   char **errmsg)
{
    const ss_concepts *cs = in->concepts;
    size_t nsk = cs->n - cs->nocc;
    uint32_t *best = malloc((cs->nocc + 1) * RARE * sizeof *best);
    size_t *bestn = malloc((cs->nocc + 1) * RARE * sizeof *bestn);
    if (!best || !bestn) {
        free(best);
        free(bestn);
        return SS_ERR_NOMEM;
    }
    for (size_t i = 0; i < cs->nocc * RARE; i++)
        best[i] = UINT32_MAX, bestn[i] = SIZE_MAX;
    /* occupation -> its rarest essential skills, by inverting the CSR */
    for (size_t k = 0; k < nsk; k++) {
        size_t n = cs->need_off[k + 1] - cs->need_off[k];
        for (size_t j = cs->need_off[k]; j < cs->need_off[k + 1]; j++) {
            if (!(cs->need[j] & SS_NEED_ESSENTIAL))
                continue;
            uint32_t *b = best + (cs->need[j] & ~SS_NEED_ESSENTIAL) * RARE;
            size_t *bn = bestn + (b - best);
            size_t r = RARE;
            while (r > 0 && n < bn[r - 1]) {
                if (r < RARE)
                    b[r] = b[r - 1], bn[r] = bn[r - 1];
                r--;
            }
            if (r < RARE)
                b[r] = (uint32_t)(cs->nocc + k), bn[r] = n;
        }
    }
    unsigned every = o->label_every ? o->label_every : 1;
    ss_status st = SS_OK;
    for (size_t oc = 0; st == SS_OK && oc < cs->nocc; oc++) {
        const uint32_t *b = best + oc * RARE;
        for (size_t i = 0; st == SS_OK && i < RARE; i++)
            for (size_t j = i + 1; st == SS_OK && j < RARE; j++) {
                if (b[j] == UINT32_MAX || (oc * RARE + i + j) % every)
                    continue;
                char *q = NULL;
                if (asprintf(&q, "%s %s", skill_words(cs->v[b[i]].labels[0]),
                             skill_words(cs->v[b[j]].labels[0])) < 0) {
                    st = SS_ERR_NOMEM;
                    break;
                }
                uint32_t gold = (uint32_t)oc;
                st = add_query(o, *in, q, &gold, 1, esco_weight(o), t,
                               errmsg);
                free(q);
            }
    }
    free(best);
    free(bestn);
    return st;
}

static ss_status xgb_error(char **errmsg, const char *what)
{
    return ss_set_error(errmsg, SS_ERR_INTERNAL, "training (%s): %s", what,
                        XGBGetLastError());
}

/* Each feature's share of the trees' total split gain (XGBoost's "total
 * gain" importance), read from the model's JSON: gain[ss_nfeatures]. */
static void importance(BoosterHandle b, double *gain)
{
    bst_ulong len = 0;
    const char *buf = NULL;
    if (XGBoosterSaveModelToBuffer(b, "{\"format\": \"json\"}", &len, &buf))
        return;
    json_t *root = json_loadb(buf, len, 0, NULL);
    json_t *trees = json_object_get(json_object_get(json_object_get(
                                json_object_get(root, "learner"),
                                "gradient_booster"),
                            "model"),
                            "trees");
    double total = 0;
    size_t i, k;
    json_t *t;
    json_array_foreach(trees, i, t)
    {
        json_t *l = json_object_get(t, "left_children");
        json_t *f = json_object_get(t, "split_indices");
        json_t *g = json_object_get(t, "loss_changes");
        for (k = 0; k < json_array_size(l) && k < json_array_size(g); k++) {
            json_int_t fi = json_integer_value(json_array_get(f, k));
            if (json_integer_value(json_array_get(l, k)) < 0 || fi < 0 ||
                (size_t)fi >= ss_nfeatures)
                continue;
            double v = json_number_value(json_array_get(g, k));
            gain[fi] += v;
            total += v;
        }
    }
    for (k = 0; total > 0 && k < ss_nfeatures; k++)
        gain[k] /= total;
    json_decref(root);
}

static ss_status fit(const ss_train_opts *o, const trainset *t,
                     double *gain, char **errmsg)
{
    DMatrixHandle d = NULL;
    BoosterHandle b = NULL;
    char buf[32];
    ss_status st = SS_OK;
    if (XGDMatrixCreateFromMat(t->X, t->rows, ss_nfeatures, NAN, &d) ||
        XGDMatrixSetFloatInfo(d, "label", t->y, t->rows) ||
        XGDMatrixSetUIntInfo(d, "group", t->group, t->ngroups) ||
        XGDMatrixSetFloatInfo(d, "weight", t->weight, t->ngroups) ||
        XGBoosterCreate(&d, 1, &b))
        st = xgb_error(errmsg, "data");
    snprintf(buf, sizeof buf, "%u", o->max_depth ? o->max_depth : 6);
    static const char *const params[][2] = {
        {"objective", "rank:ndcg"}, {"eval_metric", "ndcg@10"},
        {"eta", "0.1"},             {"tree_method", "hist"},
        {"nthread", "1"},           {"seed", "0"},
        {"min_child_weight", "1"},  {"verbosity", "0"},
    };
    for (size_t i = 0; st == SS_OK && i < sizeof params / sizeof params[0];
         i++)
        if (XGBoosterSetParam(b, params[i][0], params[i][1]))
            st = xgb_error(errmsg, params[i][0]);
    if (st == SS_OK && XGBoosterSetParam(b, "max_depth", buf))
        st = xgb_error(errmsg, "max_depth");
    for (unsigned it = 0; st == SS_OK && it < o->rounds; it++)
        if (XGBoosterUpdateOneIter(b, (int)it, d))
            st = xgb_error(errmsg, "boosting");
    if (st == SS_OK && gain)
        importance(b, gain);
    char *names = st == SS_OK ? ss_features_names() : NULL;
    if (st == SS_OK && !names)
        st = SS_ERR_NOMEM;
    if (st == SS_OK && (XGBoosterSetAttr(b, "features", names) ||
                        XGBoosterSaveModel(b, o->out)))
        st = ss_set_error(errmsg, SS_ERR_IO, "%s: %s", o->out,
                          XGBGetLastError());
    free(names);
    XGBoosterFree(b);
    XGDMatrixFree(d);
    return st;
}

/* fastText reads its examples in file order: shuffled (xorshift, fixed
 * seed) so that one concept's labels do not come in a row; written next
 * to the model, trained, then removed. */
static ss_status fit_meaning(const ss_train_opts *o, trainset *t,
                             char **errmsg)
{
    uint64_t x = 88172645463325252ull;
    for (size_t i = t->nlines; i > 1; i--) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t j = (size_t)(x % i);
        char *tmp = t->lines[i - 1];
        t->lines[i - 1] = t->lines[j];
        t->lines[j] = tmp;
    }
    char *path = NULL;
    if (asprintf(&path, "%s.train.txt", o->out) < 0)
        return SS_ERR_NOMEM;
    FILE *f = fopen(path, "w");
    ss_status st = f ? SS_OK
                     : ss_set_error(errmsg, SS_ERR_IO, "%s: cannot write",
                                    path);
    for (size_t i = 0; f && i < t->nlines; i++)
        fprintf(f, "%s\n", t->lines[i]);
    if (f && fclose(f) != 0)
        st = ss_set_error(errmsg, SS_ERR_IO, "%s: cannot write", path);
    if (st == SS_OK)
        st = ss_ft_train(path, o->out, &o->ft, errmsg);
    remove(path);
    free(path);
    return st;
}

ss_status ss_train(const ss_train_opts *o, ss_train_stats *stats,
                   char **errmsg)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(stats, 0, sizeof *stats);
    stats->gain = o->meaning ? NULL : calloc(ss_nfeatures, sizeof *stats->gain);
    if (!o->meaning && !stats->gain)
        return SS_ERR_NOMEM;
    ss_rank_input in;
    ss_searcher_rank_input(o->s, &in);
    in.model[0] = in.model[1] = NULL; /* features of the fused order */
    in.limit = o->depth;
    const ss_concepts *cs = in.concepts;
    uri_map map = {malloc((cs->n + 1) * sizeof *map.v), cs};
    if (!map.v)
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < cs->n; i++)
        map.v[i] = (uint32_t)i;
    qsort_r(map.v, cs->n, sizeof *map.v, cmp_uri, (void *)cs);
    trainset t = {0};
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && i < o->nfiles; i++)
        st = add_file(o, &in, &map, o->files[i], &t, errmsg);
    if (st == SS_OK && (o->labels & ~SS_TRAIN_SKILLS))
        st = add_labels(o, &in, &t, errmsg);
    if (st == SS_OK && (o->labels & SS_TRAIN_SKILLS) && o->kind == SS_KIND_OCC)
        st = add_skill_queries(o, &in, &t, errmsg);
    free(map.v);
    if (st == SS_OK && t.ngroups == 0 && !o->meaning)
        st = ss_set_error(errmsg, SS_ERR_INVALID,
                          "no training query has its answer among the "
                          "candidates");
    if (st == SS_OK && t.nlines == 0 && o->meaning)
        st = ss_set_error(errmsg, SS_ERR_INVALID, "no training query");
    if (st == SS_OK)
        st = o->meaning ? fit_meaning(o, &t, errmsg)
                        : fit(o, &t, stats->gain, errmsg);
    stats->queries = t.queries;
    stats->used = o->meaning ? t.nlines : t.ngroups;
    stats->rows = t.rows;
    stats->gold_at_1 = t.ngroups ? (double)t.first / (double)t.ngroups : 0;
    trainset_free(&t);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    stats->seconds = (double)(t1.tv_sec - t0.tv_sec) +
                     (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return st;
}
