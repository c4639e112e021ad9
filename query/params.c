#include "params.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct param_row {
    const char *name;
    size_t off;
    int count;
    double def[2];
} param_row;

static const param_row rows[] = {
#define SS_PARAM_ROW(n, c, o, s, what) {#n, offsetof(ss_params, n), c, {o, s}},
    SS_PARAMS(SS_PARAM_ROW)
#undef SS_PARAM_ROW
};

static const param_row *find_row(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strlen(rows[i].name) == len && !memcmp(rows[i].name, name, len))
            return &rows[i];
    return NULL;
}

static ss_status set_item(const char *item, size_t len, ss_params out[2],
                          char **errmsg)
{
    const char *eq = memchr(item, '=', len);
    if (!eq)
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "SKILLSEARCH_RANK: '%.*s' is not name=value",
                            (int)len, item);
    const char *name = item;
    size_t nlen = (size_t)(eq - item);
    int only = -1;
    if (nlen > 4 && !memcmp(name, "occ.", 4))
        only = SS_KIND_OCC, name += 4, nlen -= 4;
    else if (nlen > 6 && !memcmp(name, "skill.", 6))
        only = SS_KIND_SKILL, name += 6, nlen -= 6;
    const param_row *r = find_row(name, nlen);
    if (!r)
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "SKILLSEARCH_RANK: unknown parameter '%.*s'",
                            (int)nlen, name);
    char vbuf[64];
    size_t vlen = len - (size_t)(eq + 1 - item);
    char *end = NULL;
    double v = NAN;
    if (vlen > 0 && vlen < sizeof vbuf) {
        memcpy(vbuf, eq + 1, vlen);
        vbuf[vlen] = '\0';
        v = strtod(vbuf, &end);
    }
    if (!end || *end || !isfinite(v) ||
        (r->count && (v < 0 || v > 100000 || v != floor(v))))
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "SKILLSEARCH_RANK: %s=%.*s: expected %s", r->name,
                            (int)vlen, eq + 1,
                            r->count ? "a whole number 0-100000"
                                     : "a number");
    for (int k = 0; k < 2; k++)
        if (only < 0 || only == k)
            *(double *)((char *)&out[k] + r->off) = v;
    return SS_OK;
}

ss_status ss_params_parse(const char *spec, ss_params out[2], char **errmsg)
{
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
            *(double *)((char *)&out[k] + rows[i].off) = rows[i].def[k];
    while (spec && *spec) {
        size_t len = strcspn(spec, ",");
        if (len > 0) {
            ss_status st = set_item(spec, len, out, errmsg);
            if (st != SS_OK)
                return st;
        }
        spec += len + (spec[len] == ',');
    }
    return SS_OK;
}

static ss_params current[2];
static ss_status init_status;
static char *init_msg;

static void init_once(void)
{
    ss_params p[2];
    init_status = ss_params_parse(getenv("SKILLSEARCH_RANK"), p, &init_msg);
    if (init_status != SS_OK)
        ss_params_parse(NULL, p, NULL);
    memcpy(current, p, sizeof current);
}

ss_status ss_params_init(char **errmsg)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_once);
    if (init_status != SS_OK)
        return ss_set_error(errmsg, init_status, "%s",
                            init_msg ? init_msg : ss_strerror(init_status));
    return SS_OK;
}

const ss_params *ss_params_get(ss_kind kind)
{
    ss_params_init(NULL);
    return &current[kind == SS_KIND_SKILL];
}
