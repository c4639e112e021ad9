#include "rerank.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xgboost/c_api.h>

#include "features.h"

/* XGBoost loads, checks and serialises the model; its trees are then
 * walked here. XGBoost's own predictor costs ~45 us a call plus ~1.3 us a
 * tree for 50 rows, over the 0.1 ms a query may spend on reranking.
 *
 * Each tree is padded to a complete tree of the model's greatest depth (a
 * leaf above it becomes a subtree whose leaves all hold its value), so a
 * row takes exactly `depth` steps of index arithmetic: no branch to
 * mispredict, which a pointer walk does at about every other split on
 * fresh rows. Same splits, same leaves, same sums (test_learn). */
#define MAX_DEPTH 10 /* 2^10 leaves a tree; `skillsearch train` stays below */

typedef struct node { /* the parsed form, before padding */
    int32_t left, right;  /* children (absolute), left < 0: a leaf */
    uint32_t feature;
    float value;          /* split threshold, or the leaf's value */
} node;

struct ss_reranker {
    unsigned depth;  /* of every padded tree */
    size_t ntrees;
    uint8_t *feat;   /* per tree, 2^depth - 1 splits in breadth-first order */
    float *thr;
    float *leaf;     /* per tree, 2^depth leaves */
    float base;
};

void ss_reranker_destroy(ss_reranker *m)
{
    if (!m)
        return;
    free(m->feat);
    free(m->thr);
    free(m->leaf);
    free(m);
}

/* The depth below node i, or MAX_DEPTH + 1 if more (or a cycle). */
static unsigned node_depth(const node *v, int32_t i, unsigned at)
{
    if (v[i].left < 0 || at > MAX_DEPTH)
        return 0;
    unsigned l = node_depth(v, v[i].left, at + 1),
             r = node_depth(v, v[i].right, at + 1);
    return 1 + (l > r ? l : r);
}

/* Writes node i of v at position k (breadth-first) of a complete tree of
 * `levels` levels below it; a leaf fills every leaf under k. */
static void pad(const node *v, int32_t i, size_t k, unsigned levels,
                uint8_t *feat, float *thr, float *leaf, size_t ninner)
{
    if (v[i].left < 0) {
        size_t first = k, count = 1;
        for (unsigned l = 0; l < levels; l++) {
            /* inner nodes on the way take any split: both sides agree */
            for (size_t j = 0; j < count; j++) {
                feat[first + j] = 0;
                thr[first + j] = 0;
            }
            first = 2 * first + 1;
            count *= 2;
        }
        for (size_t j = 0; j < count; j++)
            leaf[first + j - ninner] = v[i].value;
        return;
    }
    feat[k] = (uint8_t)v[i].feature;
    thr[k] = v[i].value;
    pad(v, v[i].left, 2 * k + 1, levels - 1, feat, thr, leaf, ninner);
    pad(v, v[i].right, 2 * k + 2, levels - 1, feat, thr, leaf, ninner);
}

/* The parsed trees (roots[t] in v) as complete trees in m; 1 if too deep. */
static int complete_trees(const node *v, const uint32_t *roots, size_t n,
                          ss_reranker *m)
{
    unsigned depth = 0;
    for (size_t t = 0; t < n; t++) {
        unsigned d = node_depth(v, (int32_t)roots[t], 0);
        if (d > depth)
            depth = d;
    }
    if (depth > MAX_DEPTH)
        return 1;
    size_t ninner = ((size_t)1 << depth) - 1, nleaf = ninner + 1;
    m->depth = depth;
    m->feat = malloc(n * ninner + 1);
    m->thr = malloc((n * ninner + 1) * sizeof *m->thr);
    m->leaf = malloc(n * nleaf * sizeof *m->leaf);
    if (!m->feat || !m->thr || !m->leaf)
        return -1;
    for (size_t t = 0; t < n; t++)
        pad(v, (int32_t)roots[t], 0, depth, m->feat + t * ninner,
            m->thr + t * ninner, m->leaf + t * nleaf, ninner);
    m->ntrees = n;
    return 0;
}

static int flatten_trees(json_t *trees, ss_reranker *m)
{
    size_t total = 0, i, nnodes = 0, ntrees = 0;
    json_t *t;
    json_array_foreach(trees, i, t)
        total += json_array_size(json_object_get(t, "left_children"));
    node *nodes = calloc(total + 1, sizeof *nodes);
    uint32_t *root = calloc(json_array_size(trees) + 1, sizeof *root);
    int rc = !nodes || !root ? -1 : 0;
    json_array_foreach(trees, i, t)
    {
        if (rc)
            break;
        json_t *l = json_object_get(t, "left_children");
        json_t *r = json_object_get(t, "right_children");
        json_t *f = json_object_get(t, "split_indices");
        json_t *v = json_object_get(t, "split_conditions");
        size_t n = json_array_size(l);
        if (!n || json_array_size(r) != n || json_array_size(f) != n ||
            json_array_size(v) != n) {
            rc = 1;
            break;
        }
        size_t base = nnodes;
        root[ntrees++] = (uint32_t)base;
        for (size_t k = 0; k < n && !rc; k++) {
            json_int_t lc = json_integer_value(json_array_get(l, k));
            json_int_t rgt = json_integer_value(json_array_get(r, k));
            json_int_t fi = json_integer_value(json_array_get(f, k));
            node *x = &nodes[base + k];
            x->value = (float)json_number_value(json_array_get(v, k));
            x->left = x->right = -1;
            if (lc < 0)
                continue;
            if (lc >= (json_int_t)n || rgt < 0 || rgt >= (json_int_t)n || fi < 0 ||
                (size_t)fi >= ss_nfeatures || fi > UINT8_MAX) {
                rc = 1;
                break;
            }
            x->left = (int32_t)(base + (size_t)lc);
            x->right = (int32_t)(base + (size_t)rgt);
            x->feature = (uint32_t)fi;
        }
        nnodes += n;
    }
    if (!rc)
        rc = complete_trees(nodes, root, ntrees, m);
    free(nodes);
    free(root);
    return rc;
}

/* The trees and base score of a loaded booster; 1 if they are not the
 * gradient-boosted trees we can walk. */
static int take_trees(BoosterHandle b, ss_reranker *m)
{
    bst_ulong len = 0;
    const char *buf = NULL;
    if (XGBoosterSaveModelToBuffer(b, "{\"format\": \"json\"}", &len, &buf))
        return 1;
    json_t *root = json_loadb(buf, len, 0, NULL);
    json_t *learner = json_object_get(root, "learner");
    json_t *gb = json_object_get(learner, "gradient_booster");
    json_t *trees = json_object_get(json_object_get(gb, "model"), "trees");
    const char *base = json_string_value(json_object_get(
        json_object_get(learner, "learner_model_param"), "base_score"));
    const char *name = json_string_value(json_object_get(gb, "name"));
    int rc = !root ? -1
             : !json_is_array(trees) || !base || !name || strcmp(name, "gbtree")
                 ? 1
                 : flatten_trees(trees, m);
    if (rc == 0)
        m->base = strtof(base, NULL);
    json_decref(root);
    return rc;
}

ss_status ss_reranker_open(const char *path, ss_reranker **out,
                           char **errmsg)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return ss_set_error(errmsg, errno == ENOENT ? SS_ERR_NOT_FOUND
                                                    : SS_ERR_IO,
                            "%s: %s", path, strerror(errno));
    BoosterHandle b = NULL;
    if (XGBoosterCreate(NULL, 0, &b) != 0 || XGBoosterLoadModel(b, path)) {
        ss_status st = ss_set_error(errmsg, SS_ERR_CORRUPT,
                                    "%s: not a ranking model: %s", path,
                                    XGBGetLastError());
        XGBoosterFree(b);
        return st;
    }
    /* the features it was trained on must be ours, in our order */
    const char *names = NULL;
    int ok = 0;
    char *want = ss_features_names();
    ss_reranker *m = calloc(1, sizeof *m);
    ss_status st = want && m ? SS_OK : SS_ERR_NOMEM;
    if (st == SS_OK && (XGBoosterGetAttr(b, "features", &names, &ok) != 0 ||
                        !ok || strcmp(names, want) != 0))
        st = ss_set_error(errmsg, SS_ERR_CORRUPT,
                          "%s: trained on other features (%s); retrain it "
                          "with `skillsearch train`",
                          path, ok && names ? names : "none recorded");
    int rc = st == SS_OK ? take_trees(b, m) : 0;
    if (rc < 0)
        st = SS_ERR_NOMEM;
    else if (rc > 0)
        st = ss_set_error(errmsg, SS_ERR_CORRUPT,
                          "%s: not a tree model of %zu features with "
                          "trees at most %d deep",
                          path, ss_nfeatures, MAX_DEPTH);
    free(want);
    XGBoosterFree(b);
    if (st != SS_OK) {
        ss_reranker_destroy(m);
        return st;
    }
    *out = m;
    return SS_OK;
}

/* One level down from position k for row x; NaN goes right. */
static inline size_t child(const float *x, const uint8_t *feat,
                           const float *thr, size_t k)
{
    return 2 * k + 1 + !(x[feat[k]] < thr[k]);
}

ss_status ss_reranker_score(ss_reranker *m, const float *X, size_t n,
                            float *out, char **errmsg)
{
    (void)errmsg;
    for (size_t i = 0; i < n; i++)
        out[i] = m->base;
    const size_t ninner = ((size_t)1 << m->depth) - 1;
    /* tree by tree, so one tree stays in cache for every row; the rows are
     * independent, so the CPU overlaps their steps */
    for (size_t t = 0; t < m->ntrees; t++) {
        const uint8_t *feat = m->feat + t * ninner;
        const float *thr = m->thr + t * ninner;
        const float *leaf = m->leaf + t * (ninner + 1);
        size_t i = 0;
        for (; i + 4 <= n; i += 4) { /* four rows in step */
            const float *x0 = X + i * ss_nfeatures, *x1 = x0 + ss_nfeatures,
                        *x2 = x1 + ss_nfeatures, *x3 = x2 + ss_nfeatures;
            size_t k0 = 0, k1 = 0, k2 = 0, k3 = 0;
            for (unsigned l = 0; l < m->depth; l++) {
                k0 = child(x0, feat, thr, k0);
                k1 = child(x1, feat, thr, k1);
                k2 = child(x2, feat, thr, k2);
                k3 = child(x3, feat, thr, k3);
            }
            out[i] += leaf[k0 - ninner];
            out[i + 1] += leaf[k1 - ninner];
            out[i + 2] += leaf[k2 - ninner];
            out[i + 3] += leaf[k3 - ninner];
        }
        for (; i < n; i++) {
            const float *x = X + i * ss_nfeatures;
            size_t k = 0;
            for (unsigned l = 0; l < m->depth; l++)
                k = child(x, feat, thr, k);
            out[i] += leaf[k - ninner];
        }
    }
    return SS_OK;
}
