#include "hits_json.h"

#include <math.h>
#include <string.h>

const char *ss_uri_id(const char *uri)
{
    const char *s = strrchr(uri, '/');
    return s ? s + 1 : uri;
}

static json_t *strv_json(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

json_t *ss_hit_to_json(const ss_hit *h)
{
    /* 4 decimals are plenty and keep output stable across platforms */
    double score = round(h->score * 10000.0) / 10000.0;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:o, s:o}",
                     "uri", h->uri, "id", ss_uri_id(h->uri), "label",
                     h->label, "type", h->type, "isco", h->isco, "score",
                     score, "matched", strv_json(h->matched, h->nmatched),
                     "reasons", strv_json(h->reasons, h->nreasons));
}

json_t *ss_hits_to_json(const ss_hits *h)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < h->n; i++)
        if (json_array_append_new(a, ss_hit_to_json(&h->v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}
