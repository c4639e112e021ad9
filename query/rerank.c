#include "rerank.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xgboost/c_api.h>

#include "features.h"

struct ss_reranker {
    BoosterHandle b;
};

void ss_reranker_destroy(ss_reranker *m)
{
    if (!m)
        return;
    XGBoosterFree(m->b);
    free(m);
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
    ss_reranker *m = calloc(1, sizeof *m);
    if (!m)
        return SS_ERR_NOMEM;
    if (XGBoosterCreate(NULL, 0, &m->b) != 0 ||
        XGBoosterLoadModel(m->b, path) != 0) {
        ss_status st = ss_set_error(errmsg, SS_ERR_CORRUPT,
                                    "%s: not a ranking model: %s", path,
                                    XGBGetLastError());
        ss_reranker_destroy(m);
        return st;
    }
    /* the features it was trained on must be ours, in our order */
    const char *names = NULL;
    int ok = 0;
    char *want = ss_features_names();
    if (!want) {
        ss_reranker_destroy(m);
        return SS_ERR_NOMEM;
    }
    if (XGBoosterGetAttr(m->b, "features", &names, &ok) != 0 || !ok ||
        strcmp(names, want) != 0) {
        ss_status st = ss_set_error(
            errmsg, SS_ERR_CORRUPT,
            "%s: trained on other features (%s); retrain it with "
            "`skillsearch train`",
            path, ok && names ? names : "none recorded");
        free(want);
        ss_reranker_destroy(m);
        return st;
    }
    free(want);
    XGBoosterSetParam(m->b, "nthread", "1");
    *out = m;
    return SS_OK;
}

ss_status ss_reranker_score(ss_reranker *m, const float *X, size_t n,
                            float *out, char **errmsg)
{
    if (n == 0)
        return SS_OK;
    char arr[160];
    snprintf(arr, sizeof arr,
             "{\"data\": [%lu, true], \"shape\": [%zu, %zu], "
             "\"typestr\": \"<f4\", \"version\": 3}",
             (unsigned long)(uintptr_t)X, n, ss_nfeatures);
    static const char cfg[] =
        "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
        "\"iteration_end\": 0, \"strict_shape\": false, \"cache_id\": 0, "
        "\"missing\": NaN}";
    const bst_ulong *shape = NULL;
    bst_ulong dim = 0;
    const float *res = NULL;
    if (XGBoosterPredictFromDense(m->b, arr, cfg, NULL, &shape, &dim,
                                  &res) != 0)
        return ss_set_error(errmsg, SS_ERR_INTERNAL, "ranking model: %s",
                            XGBGetLastError());
    memcpy(out, res, n * sizeof *out);
    return SS_OK;
}
