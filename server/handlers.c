#include "handlers.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "../query/hits_json.h"
#include "../query/match.h"
#include "../query/fit.h"
#include "../query/similar.h"

json_t *ss_api_error(unsigned status, const char *fmt, ...)
{
    const char *code;
    switch (status) {
    case 400: code = "bad_request"; break;
    case 404: code = "not_found"; break;
    case 405: code = "method_not_allowed"; break;
    case 413: code = "payload_too_large"; break;
    case 414: code = "uri_too_long"; break;
    case 503: code = "unavailable"; break;
    default: code = "internal"; break;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Messages quote what the client sent (a parameter name, cut by %.64s):
     * invalid UTF-8 would make json_pack fail and the answer a 500. */
    ss_utf8_repair(msg);
    return json_pack("{s:{s:s, s:s}}", "error", "code", code, "message",
                     msg);
}

/* ------------------------------------------------------------ parameters */

const ss_http_arg *ss_api_find_arg(const ss_api_req *r, const char *name)
{
    for (size_t i = 0; i < r->nargs; i++)
        if (strcmp(r->args[i].name, name) == 0)
            return &r->args[i];
    return NULL;
}

unsigned ss_api_check_names(const ss_api_req *r, const char *const *allowed,
                            json_t **out)
{
    for (size_t i = 0; i < r->nargs; i++) {
        const char *name = r->args[i].name;
        size_t k = 0;
        while (allowed[k] && strcmp(allowed[k], name) != 0)
            k++;
        if (!allowed[k]) {
            *out = ss_api_error(400, "unknown parameter '%.64s'", name);
            return 400;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->args[j].name, name) == 0) {
                *out = ss_api_error(400, "parameter '%.64s' given twice",
                                    name);
                return 400;
            }
    }
    return 200;
}

unsigned ss_api_skill_filter(const ss_api_req *r, const char *name,
                             const ss_skill_value *table,
                             const ss_skill_value **v, json_t **out)
{
    const ss_http_arg *a = ss_api_find_arg(r, name);
    *v = NULL;
    if (!a)
        return 200;
    if (strlen(a->value) != a->len ||
        !(*v = ss_skill_value_find(table, a->value))) {
        char names[160];
        ss_skill_value_names(table, names, sizeof names);
        *out = ss_api_error(400, "%s must be one of: %s", name, names);
        return 400;
    }
    return 200;
}

/* Unsigned decimal in [min,max] or 400; def when absent. */
static unsigned uint_arg(const ss_api_req *r, const char *name, unsigned min,
                         unsigned max, unsigned def, unsigned *v,
                         json_t **out)
{
    const ss_http_arg *a = ss_api_find_arg(r, name);
    *v = def;
    if (!a)
        return 200;
    unsigned long n = 0;
    size_t i = 0;
    for (; i < a->len && i < 10 && a->value[i] >= '0' && a->value[i] <= '9';
         i++)
        n = n * 10 + (unsigned long)(a->value[i] - '0');
    if (i == 0 || i != a->len || n < min || n > max) {
        *out = ss_api_error(400, "%s must be a whole number from %u to %u",
                            name, min, max);
        return 400;
    }
    *v = (unsigned)n;
    return 200;
}

/* The text parameter q: required, at most SS_API_MAX_Q bytes, UTF-8. */
static unsigned q_arg(const ss_api_req *r, const ss_http_arg **q,
                      json_t **out)
{
    *q = ss_api_find_arg(r, "q");
    if (!*q) {
        *out = ss_api_error(400, "missing parameter q");
        return 400;
    }
    if ((*q)->len > SS_API_MAX_Q) {
        *out = ss_api_error(414, "q is longer than %d bytes", SS_API_MAX_Q);
        return 414;
    }
    if (!ss_utf8_valid((*q)->value, (*q)->len)) {
        *out = ss_api_error(400, "q is not valid UTF-8 text");
        return 400;
    }
    return 200;
}

static unsigned kind_arg(const ss_api_req *r, ss_kind *kind, json_t **out)
{
    const ss_http_arg *t = ss_api_find_arg(r, "type");
    *kind = SS_KIND_OCC;
    if (!t || (t->len == 10 && strcmp(t->value, "occupation") == 0))
        return 200;
    if (t->len == 5 && strcmp(t->value, "skill") == 0) {
        *kind = SS_KIND_SKILL;
        return 200;
    }
    *out = ss_api_error(400, "type must be occupation or skill");
    return 400;
}

/* Maps a search failure to a status. */
static unsigned search_failed(ss_status st, char *err, json_t **out)
{
    unsigned status = st == SS_ERR_INVALID || st == SS_ERR_BAD_QUERY ? 400
                      : st == SS_ERR_MODIFIED ? 503
                                              : 500;
    *out = ss_api_error(status, "%s", err ? err : ss_strerror(st));
    if (status >= 500)
        fprintf(stderr, "skillsearch serve: search failed: %s\n",
                err ? err : ss_strerror(st));
    free(err);
    return status;
}

ss_status ss_api_append(json_t *a, json_t *v)
{
    if (!a) {
        json_decref(v);
        return SS_ERR_NOMEM;
    }
    return json_array_append_new(a, v) == 0 ? SS_OK : SS_ERR_NOMEM;
}

/* NULL when out of memory (the answer's json_pack then fails: a 500). */
static json_t *facets_json(const ss_hits *h, const char *dim)
{
    json_t *a = json_array();
    ss_status st = a ? SS_OK : SS_ERR_NOMEM;
    for (size_t i = 0; st == SS_OK && i < h->nfacets; i++)
        if (!strcmp(h->facets[i].dim, dim))
            st = ss_api_append(
                a, json_pack("{s:s, s:s, s:I}", "key", h->facets[i].key,
                             "label",
                             h->facets[i].label ? h->facets[i].label : "",
                             "count", (json_int_t)h->facets[i].count));
    if (st != SS_OK) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* ------------------------------------------------------------- endpoints */

unsigned ss_api_search(const ss_api_req *r, json_t **out)
{
    ss_searcher *s = r->searcher;
    /* lang= and labels= are the server's (http_server.h) */
    static const char *const allowed[] = {
        "q",      "type",      "limit", "offset", "isco",
        "syntax", "skilltype", "reuse", NULL};
    const ss_http_arg *q, *isco;
    const ss_skill_value *sktype, *reuse;
    ss_search_req req = {0};
    unsigned rc, syntax;
    if ((rc = ss_api_check_names(r, allowed, out)) != 200 ||
        (rc = q_arg(r, &q, out)) != 200 ||
        (rc = kind_arg(r, &req.kind, out)) != 200 ||
        (rc = uint_arg(r, "limit", 1, SS_API_MAX_LIMIT, 10, &req.limit,
                       out)) != 200 ||
        (rc = uint_arg(r, "offset", 0, SS_API_MAX_OFFSET, 0, &req.offset,
                       out)) != 200 ||
        (rc = uint_arg(r, "syntax", 0, 1, 0, &syntax, out)) != 200 ||
        (rc = ss_api_skill_filter(r, "skilltype", ss_skill_types, &sktype,
                                  out)) != 200 ||
        (rc = ss_api_skill_filter(r, "reuse", ss_reuse_levels, &reuse,
                                  out)) != 200)
        return rc;
    if ((sktype || reuse) && req.kind != SS_KIND_SKILL) {
        *out = ss_api_error(400, "%s filters skills: add type=skill",
                            sktype ? "skilltype" : "reuse");
        return 400;
    }
    req.skilltype = sktype ? sktype->code : 0;
    req.reuse = reuse ? reuse->code : 0;
    req.syntax = (int)syntax; /* part of the result cache key, as every
                                 parameter */
    if ((isco = ss_api_find_arg(r, "isco"))) {
        size_t n = strspn(isco->value, "0123456789");
        if (n == 0 || n > 4 || n != isco->len) {
            *out = ss_api_error(400, "isco must be 1 to 4 digits");
            return 400;
        }
        req.isco = isco->value;
    }
    req.text = q->value;
    req.len = q->len;
    req.facets = 1;

    ss_hits hits = {0};
    char *err = NULL;
    ss_status st = ss_searcher_search(s, &req, &hits, &err);
    if (st != SS_OK)
        return search_failed(st, err, out);
    json_t *o = json_pack(
        "{s:s%, s:s, s:I, s:I, s:I, s:o, s:{s:o, s:o, s:o}, s:o}", "query",
        q->value, q->len, "type",
        req.kind == SS_KIND_SKILL ? "skill" : "occupation", "total_estimate",
        (json_int_t)hits.total_estimate, "offset", (json_int_t)req.offset,
        "limit", (json_int_t)req.limit, "results", ss_hits_to_json(&hits),
        "facets", "isco", facets_json(&hits, "isco"), "skill_type",
        facets_json(&hits, "skill_type"), "reuse", facets_json(&hits, "reuse"),
        "suggestion",
        hits.suggestion ? json_string(hits.suggestion) : json_null());
    ss_hits_free(&hits);
    if (!o) {
        *out = ss_api_error(500, "out of memory");
        return 500;
    }
    *out = o;
    return 200;
}

unsigned ss_api_suggest(const ss_api_req *r, json_t **out)
{
    static const char *const allowed[] = {"q", "limit", "type", NULL};
    const ss_http_arg *q;
    unsigned rc, limit;
    ss_kind kind; /* only when type= is given: both kinds without it */
    if ((rc = ss_api_check_names(r, allowed, out)) != 200 ||
        (rc = q_arg(r, &q, out)) != 200 ||
        (rc = kind_arg(r, &kind, out)) != 200 ||
        (rc = uint_arg(r, "limit", 1, SS_API_MAX_SUGGEST, SS_API_MAX_SUGGEST,
                       &limit, out)) != 200)
        return rc;
    ss_suggestion v[SS_API_MAX_SUGGEST];
    size_t n = 0;
    ss_status st = ss_suggest_lookup_kind(
        r->suggest, q->value, q->len,
        ss_api_find_arg(r, "type") ? (int)kind : -1, v, limit, &n);
    if (st != SS_OK)
        return search_failed(st, NULL, out);
    json_t *a = json_array();
    for (size_t i = 0; st == SS_OK && i < n; i++) {
        json_t *e = json_pack("{s:s, s:s, s:s, s:s}", "label", v[i].label,
                              "type", v[i].type, "id", v[i].id, "uri",
                              v[i].uri);
        if (e && strcmp(v[i].label, v[i].preferred) != 0 &&
            json_object_set_new(e, "preferred",
                                json_string(v[i].preferred)) != 0) {
            json_decref(e);
            e = NULL;
        }
        st = ss_api_append(a, e);
    }
    if (st != SS_OK) {
        json_decref(a);
        a = NULL; /* json_pack below fails: 500 */
    }
    *out = json_pack("{s:s%, s:o}", "query", q->value, q->len,
                     "suggestions", a);
    if (!*out) {
        *out = ss_api_error(500, "out of memory");
        return 500;
    }
    return 200;
}

/* A short argument as a C string in buf; NULL when too long or holding a
 * NUL byte. */
static const char *short_arg(const ss_http_arg *a, char *buf, size_t size)
{
    if (!a || a->len >= size || memchr(a->value, '\0', a->len))
        return NULL;
    memcpy(buf, a->value, a->len);
    buf[a->len] = '\0';
    return buf;
}

/* min_confidence and read_as of /match: the JSON body's field of that
 * name, else the query argument. */
static unsigned match_options(const ss_api_req *r, json_t *doc,
                              ss_match_req *m, json_t **out)
{
    char buf[32];
    const ss_http_arg *a = ss_api_find_arg(r, "min_confidence");
    json_t *c = json_object_get(doc, "min_confidence");
    const char *s = short_arg(a, buf, sizeof buf);
    m->min_confidence = SS_MIN_CONFIDENCE_DEFAULT;
    if (c ? !json_is_number(c) || !(json_number_value(c) >= 0) ||
                json_number_value(c) > 1
          : a && (!s || ss_min_confidence_parse(s, &m->min_confidence))) {
        *out = ss_api_error(400, "min_confidence must be a number from 0 "
                                 "to 1");
        return 400;
    }
    if (c)
        m->min_confidence = json_number_value(c);
    a = ss_api_find_arg(r, "read_as");
    json_t *ra = json_object_get(doc, "read_as");
    s = ra ? json_string_value(ra) : short_arg(a, buf, sizeof buf);
    if ((ra || a) && (!s || ss_read_as_parse(s, &m->read_as))) {
        *out = ss_api_error(400, "read_as must be \"titled\", \"untitled\" "
                                 "or \"auto\"");
        return 400;
    }
    return 200;
}

unsigned ss_api_match(const ss_api_req *r, json_t **out)
{
    static const char *const allowed[] = {"type", "limit", "min_confidence",
                                          "read_as", NULL};
    ss_search_req req = {0};
    unsigned rc;
    if ((rc = ss_api_check_names(r, allowed, out)) != 200 ||
        (rc = kind_arg(r, &req.kind, out)) != 200 ||
        (rc = uint_arg(r, "limit", 1, SS_API_MAX_LIMIT, 10, &req.limit,
                       out)) != 200)
        return rc;

    const char *text = r->body ? r->body : "";
    size_t len = r->body_len;
    json_t *doc = NULL;
    if (r->content_type &&
        strncasecmp(r->content_type, "application/json", 16) == 0) {
        json_error_t jerr;
        doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
        json_t *t = json_object_get(doc, "text");
        if (!json_is_string(t)) {
            json_decref(doc);
            *out = ss_api_error(400, "expected {\"text\": \"...\"}%s%s",
                                doc ? "" : ": ", doc ? "" : jerr.text);
            return 400;
        }
        text = json_string_value(t);
        len = json_string_length(t);
    }
    rc = 200;
    /* an empty document is no error: it names nothing (as in the CLI) */
    if (!ss_utf8_valid(text, len)) {
        *out = ss_api_error(400, "the text is not valid UTF-8");
        rc = 400;
    }
    if (rc != 200) {
        json_decref(doc);
        return rc;
    }
    ss_match m;
    ss_match_req mreq = {.text = text, .len = len, .limit = req.limit};
    if ((rc = match_options(r, doc, &mreq, out)) != 200) {
        json_decref(doc);
        return rc;
    }
    json_t *title = json_object_get(doc, "title");
    if (json_is_string(title))
        mreq.title = json_string_value(title);
    char *err = NULL;
    ss_status st = ss_searcher_match(r->searcher, &mreq, &m, &err);
    if (st != SS_OK) {
        json_decref(doc);
        return search_failed(st, err, out);
    }
    *out = ss_match_to_json(&m, text, 0);
    ss_match_free(&m);
    json_decref(doc);
    if (!*out) {
        *out = ss_api_error(500, "out of memory");
        return 500;
    }
    return 200;
}

unsigned ss_api_health(const ss_api_req *r, json_t **out)
{
    ss_searcher *s = r->searcher;
    if (!s) {
        *out = ss_api_error(503, "no index loaded yet");
        return 503;
    }
    const ss_index_view *v = r->view;
    size_t nocc, nskill;
    if (v) {
        nocc = v->occupations;
        nskill = v->skills;
    } else {
        ss_searcher_counts(s, &nocc, &nskill);
    }
    *out = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "status", "ok",
                     "generation", v ? v->generation : ss_searcher_generation(s),
                     "lang", ss_searcher_lang(s), "documents",
                     (json_int_t)(v ? v->documents : ss_searcher_doccount(s)),
                     "occupations", (json_int_t)nocc, "skills",
                     (json_int_t)nskill);
    return *out ? 200 : 500;
}

unsigned ss_api_similar(const ss_api_req *r, json_t **out)
{
    static const char *const allowed[] = {"limit", NULL};
    unsigned rc, limit;
    if ((rc = ss_api_check_names(r, allowed, out)) != 200 ||
        (rc = uint_arg(r, "limit", 1, SS_API_MAX_LIMIT, 10, &limit, out)) !=
            200)
        return rc;
    char id[128];
    size_t n = strcspn(r->id ? r->id : "", "/");
    snprintf(id, sizeof id, "%.*s", (int)(n < sizeof id ? n : 0),
             r->id ? r->id : "");
    const ss_skillgraph *g = NULL;
    char *err = NULL;
    ss_status st = ss_searcher_skillgraph(r->searcher, &g, &err);
    if (st != SS_OK)
        return search_failed(st, err, out);
    uint32_t occ = *id ? ss_skillgraph_find_occ(g, id) : 0;
    if (!occ) {
        *out = ss_api_error(404, "no occupation with id '%.100s'", id);
        return 404;
    }
    ss_similar res;
    if ((st = ss_similar_find(g, occ, limit, &res)) != SS_OK)
        return search_failed(st, NULL, out);
    *out = ss_similar_to_json(g, &res);
    ss_similar_free(&res);
    if (!*out) {
        *out = ss_api_error(500, "out of memory");
        return 500;
    }
    return 200;
}

/* The JSON body of POST /fit, checked: 400 with why, else 200. The
 * strings are borrowed from *doc. */
static unsigned fit_body(const ss_api_req *r, json_t **doc, const char **text,
                         size_t *tlen, const char ***ids, size_t *nids,
                         const char **occ, unsigned *limit, json_t **out)
{
    json_error_t jerr;
    *doc = json_loadb(r->body ? r->body : "", r->body_len,
                      JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(*doc)) {
        *out = ss_api_error(400, "expected a JSON object {\"text\", "
                                 "\"skills\", \"occupation\", \"limit\"}%s%s",
                            *doc ? "" : ": ", *doc ? "" : jerr.text);
        return 400;
    }
    const char *key;
    json_t *v;
    json_object_foreach(*doc, key, v)
    {
        if (!strcmp(key, "text") && json_is_string(v)) {
            *text = json_string_value(v);
            *tlen = json_string_length(v);
        } else if (!strcmp(key, "occupation") && json_is_string(v)) {
            *occ = json_string_value(v);
        } else if (!strcmp(key, "limit") && json_is_integer(v) &&
                   json_integer_value(v) >= 1 &&
                   json_integer_value(v) <= SS_API_MAX_LIMIT) {
            *limit = (unsigned)json_integer_value(v);
        } else if (!strcmp(key, "skills") && json_is_array(v) &&
                   json_array_size(v) <= SS_FIT_MAX_SKILLS) {
            size_t i;
            json_t *e;
            *nids = json_array_size(v);
            if (!(*ids = malloc((*nids ? *nids : 1) * sizeof **ids))) {
                *out = ss_api_error(500, "out of memory");
                return 500;
            }
            json_array_foreach(v, i, e)
            {
                if (!json_is_string(e)) {
                    *out = ss_api_error(400, "skills[%zu] is not a string", i);
                    return 400;
                }
                (*ids)[i] = json_string_value(e);
            }
        } else {
            int known = !strcmp(key, "text") || !strcmp(key, "occupation") ||
                        !strcmp(key, "limit") || !strcmp(key, "skills");
            *out = ss_api_error(
                400, known ? "'%.64s': wrong type or out of range (text: "
                             "string, skills: array of at most %d ids, "
                             "occupation: string, limit: 1-%d)"
                           : "unknown field '%.64s' (fields: text, skills, "
                             "occupation, limit)",
                key, SS_FIT_MAX_SKILLS, SS_API_MAX_LIMIT);
            return 400;
        }
    }
    return 200;
}

unsigned ss_api_fit(const ss_api_req *r, json_t **out)
{
    static const char *const allowed[] = {NULL};
    unsigned rc;
    if ((rc = ss_api_check_names(r, allowed, out)) != 200)
        return rc;
    json_t *doc = NULL;
    const char *text = NULL, *occ_id = NULL, **ids = NULL;
    size_t tlen = 0, nids = 0;
    unsigned limit = 10;
    const ss_skillgraph *g = NULL;
    ss_fit f = {0};
    char *err = NULL;
    uint32_t occ = 0;
    rc = fit_body(r, &doc, &text, &tlen, &ids, &nids, &occ_id, &limit, out);
    ss_status st = SS_OK;
    if (rc == 200)
        st = ss_searcher_skillgraph(r->searcher, &g, &err);
    if (rc == 200 && st == SS_OK && occ_id &&
        !(occ = ss_skillgraph_find_occ(g, occ_id))) {
        *out = ss_api_error(404, "no occupation with id '%.100s'", occ_id);
        rc = 404;
    }
    if (rc == 200 && st == SS_OK)
        st = ss_fit_add_ids(g, &f, ids, nids, &err);
    if (rc == 200 && st == SS_OK && tlen)
        st = ss_fit_add_text(r->searcher, g, &f, text, tlen, &err);
    if (rc == 200 && st == SS_OK)
        st = ss_fit_run(g, &f, occ, limit, &err);
    if (rc == 200 && st == SS_ERR_NOT_FOUND) { /* an unknown skill id */
        *out = ss_api_error(404, "%s", err);
        rc = 404;
    } else if (rc == 200 && st != SS_OK) {
        rc = search_failed(st, err, out); /* frees err */
        err = NULL;
    } else if (rc == 200 && !(*out = ss_fit_to_json(g, &f, text))) {
        *out = ss_api_error(500, "out of memory");
        rc = 500;
    }
    free(err);
    ss_fit_free(&f);
    free(ids);
    json_decref(doc);
    return rc;
}
