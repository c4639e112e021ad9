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
 * walked here from flat arrays. XGBoost's own predictor costs ~45 us a
 * call plus ~1.3 us a tree for 50 rows, over the 0.1 ms a query may spend
 * on reranking; the walk below gives the same sums (test_learn). */
typedef struct node {
    int32_t left, right;  /* children (absolute), left < 0: a leaf */
    uint32_t feature;
    float value;          /* split threshold, or the leaf's value */
} node;

struct ss_reranker {
    node *nodes;
    size_t nnodes;
    uint32_t *root;
    size_t ntrees;
    float base;
};

void ss_reranker_destroy(ss_reranker *m)
{
    if (!m)
        return;
    free(m->nodes);
    free(m->root);
    free(m);
}

static int flatten_trees(json_t *trees, ss_reranker *m)
{
    size_t total = 0, i;
    json_t *t;
    json_array_foreach(trees, i, t)
        total += json_array_size(json_object_get(t, "left_children"));
    m->nodes = calloc(total + 1, sizeof *m->nodes);
    m->root = calloc(json_array_size(trees) + 1, sizeof *m->root);
    if (!m->nodes || !m->root)
        return -1;
    json_array_foreach(trees, i, t)
    {
        json_t *l = json_object_get(t, "left_children");
        json_t *r = json_object_get(t, "right_children");
        json_t *f = json_object_get(t, "split_indices");
        json_t *v = json_object_get(t, "split_conditions");
        size_t n = json_array_size(l);
        if (!n || json_array_size(r) != n || json_array_size(f) != n ||
            json_array_size(v) != n)
            return 1;
        size_t base = m->nnodes;
        m->root[m->ntrees++] = (uint32_t)base;
        for (size_t k = 0; k < n; k++) {
            json_int_t lc = json_integer_value(json_array_get(l, k));
            json_int_t rc = json_integer_value(json_array_get(r, k));
            json_int_t fi = json_integer_value(json_array_get(f, k));
            node *x = &m->nodes[base + k];
            x->value = (float)json_number_value(json_array_get(v, k));
            x->left = x->right = -1;
            if (lc < 0)
                continue;
            if (lc >= (json_int_t)n || rc < 0 || rc >= (json_int_t)n ||
                fi < 0 || (size_t)fi >= ss_nfeatures)
                return 1;
            x->left = (int32_t)(base + (size_t)lc);
            x->right = (int32_t)(base + (size_t)rc);
            x->feature = (uint32_t)fi;
        }
        m->nnodes += n;
    }
    return 0;
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
                          "%s: not a tree model of %zu features", path,
                          ss_nfeatures);
    free(want);
    XGBoosterFree(b);
    if (st != SS_OK) {
        ss_reranker_destroy(m);
        return st;
    }
    *out = m;
    return SS_OK;
}

ss_status ss_reranker_score(ss_reranker *m, const float *X, size_t n,
                            float *out, char **errmsg)
{
    (void)errmsg;
    for (size_t i = 0; i < n; i++)
        out[i] = m->base;
    /* tree by tree, so one tree's nodes stay in cache for every row */
    for (size_t t = 0; t < m->ntrees; t++) {
        const node *root = &m->nodes[m->root[t]];
        for (size_t i = 0; i < n; i++) {
            const float *x = X + i * ss_nfeatures;
            const node *d = root;
            while (d->left >= 0)
                d = &m->nodes[x[d->feature] < d->value ? d->left : d->right];
            out[i] += d->value;
        }
    }
    return SS_OK;
}
