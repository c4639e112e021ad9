/* handlers.h - the JSON endpoints, independent of the HTTP library.
 *
 * http_server.c finds the request's row in the route table (routes.h),
 * turns the MHD request into an ss_api_req and calls the row's handler.
 * Every handler has the type ss_api_fn: it returns the HTTP status and sets
 * *out to a new json_t reference (the caller json_decref()s it): the result
 * on 200, an error object {"error":{"code","message"}} otherwise.
 *
 * Limits (shared with README):
 *   q           at most SS_API_MAX_Q bytes after %-decoding, else 414;
 *               must be valid UTF-8 without NUL, else 400.
 *   limit       1..100 for /search and /match (default 10), 1..10 for
 *               /suggest (default 10); anything else 400.
 *   offset      0..10000 (default 0), else 400.
 *   type        occupation | skill, else 400.   isco: 1-4 digits, else 400.
 *   lang, labels  taken by the server before the handler (http_server.h):
 *               lang= must name a served language, labels= served ones.
 *   syntax      /search: 0 (default, free text) or 1 (query/syntax.h),
 *               else 400; a query the syntax rejects is a 400 with why.
 *   group       /occupations/{id}: relation (default) or skillgroup,
 *               else 400.
 *   unknown or repeated parameter names: 400.
 *   /match body at most SS_API_MAX_BODY bytes (413 from http_server.c),
 *               text/plain or {"text": "...", "title": "..."} as
 *               application/json (title optional: else the first line).
 */
#ifndef SS_HANDLERS_H
#define SS_HANDLERS_H

#include <jansson.h>
#include <stddef.h>

#include "../query/search.h"
#include "../query/suggest.h"
#include "index_watch.h"

#define SS_API_MAX_Q 1000
#define SS_API_MAX_BODY (1024 * 1024)
#define SS_API_MAX_LIMIT 100
#define SS_API_MAX_OFFSET 10000
#define SS_API_MAX_SUGGEST 10

typedef struct ss_http_arg {
    const char *name;
    const char *value; /* %-decoded; may hold NUL bytes, see len */
    size_t len;
} ss_http_arg;

/* Borrowed views of one request; all valid for the handler call. */
typedef struct ss_api_req {
    const ss_http_arg *args; /* query string arguments in order */
    size_t nargs;
    const char *body;        /* POST body, NUL-terminated (NULL: none) */
    size_t body_len;
    const char *content_type; /* NULL when absent */
    ss_searcher *searcher;    /* this thread's index handle */
    const ss_suggest *suggest; /* NULL: no suggestions for this index */
    const char *id;           /* the {id} of a route pattern, else NULL */
    const ss_index_view *view; /* what was published (NULL: the searcher's) */
} ss_api_req;

typedef unsigned (*ss_api_fn)(const ss_api_req *r, json_t **out);

/* Appends v (a new reference, consumed even on failure) to the array a.
 * SS_ERR_NOMEM when v or a is NULL or the append fails: callers then
 * answer 500, never a list with items missing. */
ss_status ss_api_append(json_t *a, json_t *v);

/* The first argument called name, borrowed from r; NULL when absent. */
const ss_http_arg *ss_api_find_arg(const ss_api_req *r, const char *name);

/* 200, or 400 with *out set for a name not in allowed (NULL-terminated)
 * or given twice. */
unsigned ss_api_check_names(const ss_api_req *r, const char *const *allowed,
                            json_t **out);

/* The value of the skill filter called name (skilltype, reuse), an entry
 * of table (static), or NULL when absent; 200, or 400 with *out set for a
 * value that is not in table. */
unsigned ss_api_skill_filter(const ss_api_req *r, const char *name,
                             const ss_skill_value *table,
                             const ss_skill_value **v, json_t **out);

/* {"error":{"code","message"}} with the code that fits status. */
json_t *ss_api_error(unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

unsigned ss_api_search(const ss_api_req *r, json_t **out);
unsigned ss_api_suggest(const ss_api_req *r, json_t **out);
unsigned ss_api_match(const ss_api_req *r, json_t **out);
/* r->searcher NULL: no index loaded (503). */
unsigned ss_api_health(const ss_api_req *r, json_t **out);

/* detail.c, the pages of query/detail.h: r->id is the last URI segment
 * from the path. */
unsigned ss_api_occupation(const ss_api_req *r, json_t **out);
unsigned ss_api_skill(const ss_api_req *r, json_t **out);
/* GET /occupations/{id}/similar?limit=1..100 (default 10): r->id points at
 * the id, which ends at the next '/'; an unknown id is a 404. */
unsigned ss_api_similar(const ss_api_req *r, json_t **out);
/* POST /fit, JSON {"text", "skills": [ids], "occupation", "limit"}: see
 * query/fit.h. 404 for an unknown id, 400 for an empty profile or a bad
 * body. */
unsigned ss_api_fit(const ss_api_req *r, json_t **out);

#endif
