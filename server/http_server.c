#include "http_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "handlers.h"
#include "index_watch.h"
#include "langs.h"
#include "metrics.h"
#include "result_cache.h"
#include "routes.h"
#include "static_files.h"

#define MAX_ARGS 32
#define MAX_RAW_PATH 4096

/* One served language. */
typedef struct lang_slot {
    char code[16];        /* "" until known: one --index DIR not loaded yet */
    int labelled;         /* from --index LANG=DIR */
    ss_index_watch *watch;
} lang_slot;

struct ss_server {
    struct MHD_Daemon *d;
    lang_slot langs[SS_LANGS_MAX];
    size_t nlangs;
    ss_static *web;
    char *cors;
    unsigned port;
    atomic_int inflight;
    atomic_int draining; /* ss_server_drain was called */
    ss_rcache *cache;    /* NULL: --cache-mb 0 */
};

/* Per request, from the request line (uri_log) to completion. */
typedef struct req_ctx {
    struct timespec start;
    char raw[MAX_RAW_PATH + 1]; /* path as sent, before '?', %-encoded */
    size_t rawlen;
    int raw_too_long;
    int started; /* the handler ran once (headers complete) */
    char lang[16]; /* the language that answers: Content-Language */
    char *body;
    size_t len, cap;
    int too_large;
} req_ctx;

/* The row of the request (NULL: none) and, for patterns, its {id}. */
typedef struct route_match {
    const ss_route *rt;
    const char *id; /* borrowed from MHD's url */
} route_match;

/* Metrics and cache key name a row by its index; ss_nroutes is "other". */
static size_t endpoint(const ss_route *rt)
{
    return rt ? (size_t)(rt - ss_routes) : ss_nroutes;
}

static double elapsed(const req_ctx *c)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - c->start.tv_sec) +
           (double)(now.tv_nsec - c->start.tv_nsec) / 1e9;
}

/* ------------------------------------------------------------- responses */

/* Headers of every answer; SS_ERR_NOMEM when MHD could not add one. */
static ss_status add_headers(ss_server *s, struct MHD_Response *r,
                             const char *content_type,
                             const char *cache_control, const char *allow)
{
    int ok = MHD_add_response_header(r, "X-Content-Type-Options",
                                     "nosniff") == MHD_YES;
    if (content_type)
        ok &= MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                                      content_type) == MHD_YES;
    if (cache_control)
        ok &= MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                                      cache_control) == MHD_YES;
    if (allow)
        ok &= MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow) ==
              MHD_YES;
    /* draining: no keep-alive, so that a load balancer holds no idle
     * connection to us when we stop */
    if (atomic_load(&s->draining))
        ok &= MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION,
                                      "close") == MHD_YES;
    if (s->cors) {
        ok &= MHD_add_response_header(r, "Access-Control-Allow-Origin",
                                      s->cors) == MHD_YES;
        if (strcmp(s->cors, "*") != 0)
            ok &= MHD_add_response_header(r, "Vary", "Origin") == MHD_YES;
    }
    return ok ? SS_OK : SS_ERR_NOMEM;
}

/* Adds the headers, queues r (consumed) and counts the request. Out of
 * memory for a header: the connection is closed, as for any response MHD
 * cannot build. */
static enum MHD_Result queue(ss_server *s, struct MHD_Connection *conn,
                             req_ctx *c, size_t ep, unsigned status,
                             struct MHD_Response *r, const char *content_type,
                             const char *cache_control, const char *allow)
{
    enum MHD_Result ret = MHD_NO;
    int lang_ok = !*c->lang || !content_type ||
                  strncmp(content_type, "application/json", 16) != 0 ||
                  MHD_add_response_header(r, "Content-Language", c->lang) ==
                      MHD_YES;
    if (lang_ok &&
        add_headers(s, r, content_type, cache_control, allow) == SS_OK)
        ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    ss_metrics_observe(ep, status, elapsed(c));
    return ret;
}

/* Sends text (malloc'd JSON, taken over; NULL: out of memory). */
static enum MHD_Result send_text(ss_server *s, struct MHD_Connection *conn,
                                 req_ctx *c, size_t ep, unsigned status,
                                 char *text, size_t len, const char *allow)
{
    if (!text) {
        status = 500;
        text = strdup("{\"error\":{\"code\":\"internal\",\"message\":"
                      "\"out of memory\"}}");
        if (!text)
            return MHD_NO;
        len = strlen(text);
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    return queue(s, conn, c, ep, status, r, "application/json; charset=utf-8",
                 "no-store", status == 405 ? allow : NULL);
}

static char *dump(json_t *body)
{
    char *text =
        body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(8)) : NULL;
    json_decref(body);
    return text;
}

/* Sends body (a new reference, consumed) as compact JSON. */
static enum MHD_Result send_json(ss_server *s, struct MHD_Connection *conn,
                                 req_ctx *c, size_t ep, unsigned status,
                                 json_t *body, const char *allow)
{
    char *text = dump(body);
    return send_text(s, conn, c, ep, status, text, text ? strlen(text) : 0,
                     allow);
}

static enum MHD_Result send_error(ss_server *s, struct MHD_Connection *conn,
                                  req_ctx *c, size_t ep, unsigned status,
                                  const char *allow, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static enum MHD_Result send_error(ss_server *s, struct MHD_Connection *conn,
                                  req_ctx *c, size_t ep, unsigned status,
                                  const char *allow, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return send_json(s, conn, c, ep, status, ss_api_error(status, "%s", msg),
                     allow);
}

static enum MHD_Result send_options(ss_server *s, struct MHD_Connection *conn,
                                    req_ctx *c, size_t ep, const char *allow)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    if (s->cors &&
        (MHD_add_response_header(r, "Access-Control-Allow-Methods", allow) !=
             MHD_YES ||
         MHD_add_response_header(r, "Access-Control-Allow-Headers",
                                 "Content-Type") != MHD_YES ||
         MHD_add_response_header(r, "Access-Control-Max-Age", "600") !=
             MHD_YES)) {
        MHD_destroy_response(r);
        return MHD_NO;
    }
    return queue(s, conn, c, ep, 204, r, NULL, NULL, allow);
}

static enum MHD_Result send_metrics(ss_server *s, struct MHD_Connection *conn,
                                    req_ctx *c, size_t ep)
{
    char *text = ss_metrics_render(), *all = NULL;
    if (!text)
        return MHD_NO;
    ss_rcache_stats cs;
    ss_rcache_stats_get(s->cache, &cs);
    int n = asprintf(
        &all,
        "%s# HELP skillsearch_cache_hits_total Answers served from the "
        "result cache.\n# TYPE skillsearch_cache_hits_total counter\n"
        "skillsearch_cache_hits_total %llu\n"
        "# HELP skillsearch_cache_misses_total Cacheable requests that were "
        "searched.\n# TYPE skillsearch_cache_misses_total counter\n"
        "skillsearch_cache_misses_total %llu\n"
        "# HELP skillsearch_cache_evictions_total Answers dropped to stay "
        "within the cache size.\n"
        "# TYPE skillsearch_cache_evictions_total counter\n"
        "skillsearch_cache_evictions_total %llu\n"
        "# HELP skillsearch_cache_entries Answers in the cache.\n"
        "# TYPE skillsearch_cache_entries gauge\n"
        "skillsearch_cache_entries %llu\n"
        "# HELP skillsearch_cache_bytes Bytes held by the cache.\n"
        "# TYPE skillsearch_cache_bytes gauge\nskillsearch_cache_bytes %llu\n"
        "# HELP skillsearch_cache_max_bytes The cache's bound (--cache-mb).\n"
        "# TYPE skillsearch_cache_max_bytes gauge\n"
        "skillsearch_cache_max_bytes %llu\n",
        text, cs.hits, cs.misses, cs.evictions, cs.entries, cs.bytes,
        cs.max_bytes);
    free(text);
    if (n < 0)
        return MHD_NO;
    text = all;
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    return queue(s, conn, c, ep, 200, r,
                 "text/plain; version=0.0.4; charset=utf-8", "no-store",
                 NULL);
}

static enum MHD_Result send_static(ss_server *s, struct MHD_Connection *conn,
                                   req_ctx *c, size_t ep)
{
    ss_static_file f;
    ss_status st = c->raw_too_long
                       ? SS_ERR_INVALID
                       : ss_static_lookup(s->web, c->raw, c->rawlen, &f);
    if (st == SS_ERR_INVALID)
        return send_error(s, conn, c, ep, 400, NULL, "invalid path");
    if (st != SS_OK)
        return send_error(s, conn, c, ep, 404, NULL, "not found");
    struct MHD_Response *r = MHD_create_response_from_fd(f.size, f.fd);
    if (!r) {
        close(f.fd);
        return MHD_NO;
    }
    return queue(s, conn, c, ep, 200, r, f.content_type, "no-cache", NULL);
}

/* --------------------------------------------------------------- routing */

typedef struct arg_list {
    ss_http_arg v[MAX_ARGS];
    size_t n;
    int overflow;
} arg_list;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind,
                                   const char *key, size_t key_size,
                                   const char *value, size_t value_size)
{
    (void)kind;
    (void)key_size;
    arg_list *a = cls;
    if (a->n == MAX_ARGS) {
        a->overflow = 1;
        return MHD_NO;
    }
    a->v[a->n++] = (ss_http_arg){key, value ? value : "",
                                 value ? value_size : 0};
    return MHD_YES;
}

static int cmp_arg(const void *a, const void *b)
{
    const ss_http_arg *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    size_t n = x->len < y->len ? x->len : y->len;
    c = memcmp(x->value, y->value, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The cache key of a request: the language that answers and the
 * generation of every language (labels= reads the others), the endpoint,
 * and its arguments in a canonical order (so "?q=a&type=skill" and
 * "?type=skill&q=a" meet). Lengths go in too: values may hold any byte.
 * malloc'd, *klen set; NULL when out of memory. */
static char *cache_key(const ss_server *s, const ss_index_view *views,
                       size_t slot, size_t ep, arg_list *a, size_t *klen)
{
    unsigned long seq[SS_LANGS_MAX + 1];
    seq[0] = (unsigned long)slot;
    for (size_t i = 0; i < s->nlangs; i++)
        seq[i + 1] = views[i].seq; /* 0: not loaded */
    qsort(a->v, a->n, sizeof a->v[0], cmp_arg);
    size_t nseq = (s->nlangs + 1) * sizeof seq[0];
    size_t n = nseq + sizeof(unsigned long);
    for (size_t i = 0; i < a->n; i++)
        n += strlen(a->v[i].name) + 1 + a->v[i].len + sizeof(size_t);
    char *k = malloc(n), *p = k;
    if (!k)
        return NULL;
    unsigned long epl = (unsigned long)ep;
    memcpy(p, seq, nseq), p += nseq;
    memcpy(p, &epl, sizeof epl), p += sizeof epl;
    for (size_t i = 0; i < a->n; i++) {
        size_t nl = strlen(a->v[i].name) + 1;
        memcpy(p, a->v[i].name, nl), p += nl;
        memcpy(p, &a->v[i].len, sizeof(size_t)), p += sizeof(size_t);
        memcpy(p, a->v[i].value, a->v[i].len), p += a->v[i].len;
    }
    *klen = n;
    return k;
}

/* -------------------------------------------------------------- languages */

/* The served codes for langs.h; codes[i] borrowed from s or views. */
static void lang_codes(const ss_server *s, const ss_index_view *views,
                       const int *loaded, const char **codes)
{
    for (size_t i = 0; i < s->nlangs; i++)
        codes[i] = s->langs[i].labelled || !loaded[i]
                       ? s->langs[i].code
                       : ss_searcher_lang(views[i].searcher);
}

/* labels=en,fr: the slots named, in order, into want (*n of them). 200,
 * or 400 with *out for a language not served. */
static unsigned labels_arg(const ss_http_arg *a, const char **codes,
                           size_t ncodes, size_t *want, size_t *n,
                           json_t **out)
{
    char served[256];
    *n = 0;
    const char *p = a->value, *end = a->value + a->len;
    int bad = strlen(a->value) != a->len || a->len == 0;
    while (!bad && p <= end) {
        size_t l = strcspn(p, ",");
        int slot = l ? ss_langs_find(codes, ncodes, p, l) : -1;
        if (slot < 0 || l > 16) {
            ss_langs_list(codes, ncodes, served, sizeof served);
            *out = ss_api_error(400, "labels: language '%.*s' is not served "
                                     "here; served languages: %s",
                                (int)(l > 16 ? 16 : l), p, served);
            return 400;
        }
        if (*n < SS_LANGS_MAX)
            want[(*n)++] = (size_t)slot;
        p += l + 1;
    }
    if (bad) {
        ss_langs_list(codes, ncodes, served, sizeof served);
        *out = ss_api_error(400, "labels must list served languages, "
                                 "comma-separated: %s", served);
        return 400;
    }
    return 200;
}

/* Adds "labels": {"en": ..., "fr": ...} to each object of out.results
 * with a "uri", read from each language's catalogue (ESCO URIs are the
 * same in every language). A concept missing from one catalogue gets
 * null there. SS_ERR_NOMEM / SS_ERR_IO: the answer is a 500. */
static ss_status add_labels(json_t *out, const ss_index_view *views,
                            const int *loaded, const char **codes,
                            const size_t *want, size_t nwant)
{
    static const char SQL[] =
        "SELECT label FROM occupation WHERE uri = ?1 UNION ALL "
        "SELECT label FROM skill WHERE uri = ?1 LIMIT 1";
    json_t *results = json_object_get(out, "results");
    sqlite3_stmt *st[SS_LANGS_MAX] = {0};
    ss_status rc = SS_OK;
    for (size_t w = 0; rc == SS_OK && w < nwant; w++) {
        sqlite3 *db = loaded[want[w]]
                          ? ss_searcher_catalog(views[want[w]].searcher)
                          : NULL;
        if (db && sqlite3_prepare_v2(db, SQL, -1, &st[w], NULL) != SQLITE_OK)
            rc = SS_ERR_IO;
    }
    size_t i;
    json_t *hit;
    json_array_foreach(results, i, hit)
    {
        const char *uri = json_string_value(json_object_get(hit, "uri"));
        json_t *labels = uri && rc == SS_OK ? json_object() : NULL;
        if (!uri || rc != SS_OK)
            continue;
        for (size_t w = 0; labels && w < nwant; w++) {
            json_t *v = NULL;
            if (st[w]) {
                sqlite3_reset(st[w]);
                sqlite3_bind_text(st[w], 1, uri, -1, SQLITE_STATIC);
                int r = sqlite3_step(st[w]);
                if (r == SQLITE_ROW)
                    v = json_string(
                        (const char *)sqlite3_column_text(st[w], 0));
                else if (r != SQLITE_DONE)
                    rc = SS_ERR_IO;
            }
            if (json_object_set_new(labels, codes[want[w]],
                                    v ? v : json_null()) != 0)
                rc = SS_ERR_NOMEM;
        }
        if (!labels || json_object_set_new(hit, "labels", labels) != 0)
            rc = SS_ERR_NOMEM;
    }
    for (size_t w = 0; w < nwant; w++)
        sqlite3_finalize(st[w]);
    return rc;
}

/* /health: "languages": each language's generation and counts. */
static ss_status add_languages(const ss_server *s, json_t *out,
                               const ss_index_view *views, const int *loaded,
                               const char **codes)
{
    json_t *a = json_array();
    ss_status st = a ? SS_OK : SS_ERR_NOMEM;
    for (size_t i = 0; st == SS_OK && i < s->nlangs; i++) {
        st = ss_api_append(
            a, loaded[i]
                   ? json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:b}",
                               "lang", codes[i], "status", "ok",
                               "generation", views[i].generation,
                               "documents", (json_int_t)views[i].documents,
                               "occupations",
                               (json_int_t)views[i].occupations, "skills",
                               (json_int_t)views[i].skills, "loaded_at_ms",
                               (json_int_t)(views[i].loaded_at * 1000),
                               "default", i == 0)
                   : json_pack("{s:s, s:s, s:b}", "lang", codes[i], "status",
                               "unavailable", "default", i == 0));
    }
    if (st == SS_OK && json_object_set_new(out, "languages", a) != 0)
        return SS_ERR_NOMEM;
    if (st != SS_OK)
        json_decref(a);
    return st;
}

/* Drops lang= and labels= from a (the server's, not the handler's). */
static void strip_lang_args(arg_list *a)
{
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i].name, "lang") && strcmp(a->v[i].name, "labels"))
            a->v[k++] = a->v[i];
    a->n = k;
}

static const ss_http_arg *find_arg(const arg_list *a, const char *name)
{
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->v[i].name, name))
            return &a->v[i];
    return NULL;
}

/* The handler's answer, completed with what the server knows: the
 * language that answered, other languages' labels, /health's languages. */
static unsigned finish_answer(const ss_server *s, const ss_route *rt,
                              json_t *out, const ss_index_view *views,
                              const int *loaded, const char **codes,
                              size_t slot, const size_t *want, size_t nwant,
                              const char *auto_why)
{
    ss_status st = SS_OK;
    if (rt->handler == ss_api_search || rt->handler == ss_api_match)
        st = json_object_set_new(out, "lang", json_string(codes[slot])) == 0
                 ? SS_OK
                 : SS_ERR_NOMEM;
    /* lang=auto says what it chose and why, on every JSON object answer */
    if (st == SS_OK && auto_why && json_is_object(out))
        st = json_object_set_new(
                 out, "lang_auto",
                 json_pack("{s:s, s:s}", "lang", codes[slot], "why",
                           auto_why)) == 0
                 ? SS_OK
                 : SS_ERR_NOMEM;
    if (st == SS_OK && nwant)
        st = add_labels(out, views, loaded, codes, want, nwant);
    if (st == SS_OK && rt->handler == ss_api_health && loaded[slot])
        st = json_object_set_new(
                 out, "loaded_at_ms",
                 json_integer((json_int_t)(views[slot].loaded_at * 1000))) == 0
                 ? SS_OK
                 : SS_ERR_NOMEM;
    if (st == SS_OK && rt->handler == ss_api_health)
        st = add_languages(s, out, views, loaded, codes);
    if (st != SS_OK)
        fprintf(stderr, "skillsearch serve: completing an answer failed: "
                        "%s\n", ss_strerror(st));
    return st == SS_OK ? 200 : 500;
}

/* The text lang=auto reads when there is no q=: a JSON body's "text"
 * (POST /match, /fit), else the body as it is. malloc'd (caller frees),
 * "" for none; NULL when out of memory. */
static char *auto_text(const req_ctx *c, size_t *len)
{
    json_t *o = c->len ? json_loadb(c->body, c->len, 0, NULL) : NULL;
    json_t *t = json_object_get(o, "text");
    const char *v = json_is_string(t) ? json_string_value(t)
                    : o               ? ""
                    : c->body ? c->body : "";
    *len = json_is_string(t) ? json_string_length(t)
           : o               ? 0
                             : c->len;
    char *copy = malloc(*len + 1);
    if (copy) {
        memcpy(copy, v, *len);
        copy[*len] = '\0';
    }
    json_decref(o);
    return copy;
}

static enum MHD_Result handle_api(ss_server *s, struct MHD_Connection *conn,
                                  req_ctx *c, const route_match *m)
{
    size_t ep = endpoint(m->rt);
    arg_list args = {.n = 0};
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_arg,
                                &args);
    if (args.overflow)
        return send_error(s, conn, c, ep, 400, NULL,
                          "more than %d parameters", MAX_ARGS);
    ss_index_view views[SS_LANGS_MAX];
    int loaded[SS_LANGS_MAX];
    const char *codes[SS_LANGS_MAX];
    for (size_t i = 0; i < s->nlangs; i++)
        loaded[i] = ss_index_watch_acquire(s->langs[i].watch, &views[i]);
    lang_codes(s, views, loaded, codes);

    const ss_http_arg *lang = find_arg(&args, "lang"), *labels;
    size_t slot = 0, want[SS_LANGS_MAX], nwant = 0;
    char why[512];
    json_t *out = NULL;
    char *auto_why = NULL;
    int picked = ss_langs_pick(codes, s->nlangs, lang ? lang->value : NULL,
                               lang ? lang->len : 0,
                               MHD_lookup_connection_value(
                                   conn, MHD_HEADER_KIND, "Accept-Language"),
                               &slot, why, sizeof why);
    if (!picked)
        return send_error(s, conn, c, ep, 400, NULL, "%s", why);
    if (picked == 2) { /* lang=auto: the language of q=, else the body */
        ss_searcher *sv[SS_LANGS_MAX];
        for (size_t i = 0; i < s->nlangs; i++)
            sv[i] = loaded[i] ? views[i].searcher : NULL;
        const ss_http_arg *q = find_arg(&args, "q");
        size_t tlen = q ? q->len : 0;
        char *body = q ? NULL : auto_text(c, &tlen);
        int found = (q || body) &&
                    ss_langs_identify(codes, sv, s->nlangs,
                                      q ? q->value : body, tlen, &slot,
                                      &auto_why);
        free(body);
        if (!found) {
            enum MHD_Result r = send_error(
                s, conn, c, ep, auto_why ? 400 : 500, NULL, "%s",
                auto_why ? auto_why : "out of memory");
            free(auto_why);
            return r;
        }
    }
    if ((labels = find_arg(&args, "labels")) &&
        labels_arg(labels, codes, s->nlangs, want, &nwant, &out) != 200)
        return send_json(s, conn, c, ep, 400, out, NULL);
    snprintf(c->lang, sizeof c->lang, "%s", codes[slot]);

    unsigned status;
    char *key = NULL, *text = NULL;
    size_t klen = 0, tlen = 0;
    if (m->rt->handler == ss_api_health && atomic_load(&s->draining)) {
        /* a failing health check takes us out of a load balancer's
         * rotation while every other request is still answered */
        status = 503;
        out = ss_api_error(503, "draining: this server is shutting down");
    } else if (!loaded[slot] && m->rt->handler != ss_api_health) {
        status = 503;
        out = ss_api_error(503, "no index loaded yet%s%s",
                           *codes[slot] ? " for language " : "",
                           codes[slot]);
    } else if (s->cache && m->rt->cacheable &&
               (key = cache_key(s, views, slot, ep, &args, &klen)) &&
               ss_rcache_get(s->cache, key, klen, &text, &tlen)) {
        free(key);
        free(auto_why);
        return send_text(s, conn, c, ep, 200, text, tlen, NULL);
    } else {
        strip_lang_args(&args);
        ss_api_req req = {
            args.v, args.n, c->body, c->len,
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                        "Content-Type"),
            loaded[slot] ? views[slot].searcher : NULL,
            loaded[slot] ? views[slot].suggest : NULL, m->id,
            loaded[slot] ? &views[slot] : NULL};
        status = m->rt->handler(&req, &out);
        if (status == 200 &&
            (status = finish_answer(s, m->rt, out, views, loaded, codes, slot,
                                    want, nwant, auto_why)) != 200) {
            json_decref(out);
            out = ss_api_error(500, "out of memory");
        }
    }
    free(auto_why);
    if (key && status == 200) {
        text = dump(out);
        tlen = text ? strlen(text) : 0;
        /* a full cache or no memory for a copy only costs the next ask */
        if (text)
            (void)ss_rcache_put(s->cache, key, klen, text, tlen);
        free(key);
        return send_text(s, conn, c, ep, status, text, tlen, NULL);
    }
    free(key);
    return send_json(s, conn, c, ep, status, out, NULL);
}

/* Reads a POST body into c->body; over SS_API_MAX_BODY only counts. */
static enum MHD_Result read_body(req_ctx *c, const char *data, size_t n)
{
    if (c->too_large || c->len + n > SS_API_MAX_BODY) {
        c->too_large = 1; /* chunked: drain, answer at the end */
        return MHD_YES;
    }
    if (c->len + n + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 4096;
        while (cap < c->len + n + 1)
            cap *= 2;
        char *b = realloc(c->body, cap);
        if (!b)
            return MHD_NO;
        c->body = b;
        c->cap = cap;
    }
    memcpy(c->body + c->len, data, n);
    c->len += n;
    c->body[c->len] = '\0';
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    ss_server *s = cls;
    req_ctx *c = *con_cls;
    if (!c)
        return MHD_NO; /* uri_log failed to allocate */
    route_match m;
    m.rt = ss_route_find(url, &m.id);
    size_t ep = endpoint(m.rt);
    const char *allow = m.rt ? ss_route_allow(m.rt) : "GET, HEAD, OPTIONS";
    int post = m.rt && (m.rt->methods & SS_ROUTE_POST);

    if (!c->started) {
        c->started = 1;
        if (!strcmp(method, MHD_HTTP_METHOD_OPTIONS))
            return send_options(s, conn, c, ep, allow);
        if (!m.rt)
            return send_error(s, conn, c, ep, 404, NULL, "not found");
        if (!ss_route_takes(m.rt, method))
            return send_error(s, conn, c, ep, 405, allow,
                              "method %s not allowed here; use %s", method,
                              allow);
        if (post) {
            const char *cl = MHD_lookup_connection_value(
                conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (cl && strtoull(cl, NULL, 10) > SS_API_MAX_BODY)
                return send_error(s, conn, c, ep, 413, NULL,
                                  "body larger than %d bytes",
                                  SS_API_MAX_BODY);
            return MHD_YES; /* read the body first */
        }
        /* answer on the next call: libmicrohttpd 0.9.75 closes the
         * connection after a response queued while it is still in the
         * header phase, which would cost a new TCP connection per request */
        return MHD_YES;
    } else if (post && *upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        return read_body(c, upload_data, n);
    }
    if (c->too_large)
        return send_error(s, conn, c, ep, 413, NULL,
                          "body larger than %d bytes", SS_API_MAX_BODY);
    switch (m.rt->kind) {
    case SS_ROUTE_API: return handle_api(s, conn, c, &m);
    case SS_ROUTE_METRICS: return send_metrics(s, conn, c, ep);
    case SS_ROUTE_FILES: return send_static(s, conn, c, ep);
    }
    return send_error(s, conn, c, ep, 500, NULL, "bad route table row");
}

/* Called with the raw request line target: creates the request context
 * (MHD hands it to on_request as *con_cls and to on_completed). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)conn;
    ss_server *s = cls;
    req_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &c->start);
    size_t n = strcspn(uri, "?");
    if (n > MAX_RAW_PATH) {
        c->raw_too_long = 1;
        n = 0;
    }
    memcpy(c->raw, uri, n);
    c->raw[n] = '\0';
    c->rawlen = n;
    atomic_fetch_add(&s->inflight, 1);
    return c;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode tc)
{
    (void)conn;
    (void)tc;
    ss_server *s = cls;
    req_ctx *c = *con_cls;
    if (!c)
        return;
    *con_cls = NULL;
    free(c->body);
    free(c);
    atomic_fetch_sub(&s->inflight, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("skillsearch serve: mhd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ------------------------------------------------------------- lifecycle */

/* One index_watch per language, in --index order; each language checked
 * against its label and against the others. */
static ss_status start_langs(ss_server *s, const ss_server_opts *o,
                             char **errmsg)
{
    ss_server_index one = {NULL, o->index};
    const ss_server_index *ix = o->nindexes ? o->indexes : &one;
    size_t n = o->nindexes ? o->nindexes : 1;
    if (n > SS_LANGS_MAX)
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "at most %d --index options", SS_LANGS_MAX);
    for (size_t i = 0; i < n; i++) {
        lang_slot *l = &s->langs[i];
        char *err = NULL;
        l->labelled = ix[i].lang != NULL;
        ss_status st = ss_index_watch_start(ix[i].path, o->datadir,
                                            ix[i].lang, 250, &l->watch, &err);
        if (st != SS_OK) {
            st = ss_set_error(errmsg, st, "--index %s%s%s: %s",
                              ix[i].lang ? ix[i].lang : "",
                              ix[i].lang ? "=" : "", ix[i].path,
                              err ? err : ss_strerror(st));
            free(err);
            return st;
        }
        s->nlangs = i + 1;
        if (l->labelled)
            snprintf(l->code, sizeof l->code, "%s", ix[i].lang);
        else
            ss_index_watch_lang(l->watch, l->code, sizeof l->code);
        if (!*l->code && n > 1)
            return ss_set_error(errmsg, SS_ERR_INVALID,
                                "--index %s: no index there yet, so its "
                                "language is unknown; write --index "
                                "LANG=%s", ix[i].path, ix[i].path);
        for (size_t j = 0; j < i; j++)
            if (*l->code && !strcmp(s->langs[j].code, l->code))
                return ss_set_error(errmsg, SS_ERR_INVALID,
                                    "--index %s%s%s: language '%s' is "
                                    "already served by --index %s",
                                    ix[i].lang ? ix[i].lang : "",
                                    ix[i].lang ? "=" : "", ix[i].path,
                                    l->code, ix[j].path);
        if (*l->code)
            ss_metrics_add_lang(l->code);
    }
    return SS_OK;
}

static void server_free(ss_server *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nlangs; i++)
        ss_index_watch_stop(s->langs[i].watch);
    ss_static_destroy(s->web);
    ss_rcache_destroy(s->cache);
    free(s->cors);
    free(s);
}

ss_status ss_server_start(const ss_server_opts *o, ss_server **out,
                          char **errmsg)
{
    const char *bind = o->bind ? o->bind : "127.0.0.1";
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%u", o->port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV},
                    *ai = NULL;
    int gai = getaddrinfo(bind, portstr, &hints, &ai);
    if (gai != 0)
        return ss_set_error(errmsg, SS_ERR_INVALID, "--bind %s: %s", bind,
                            gai_strerror(gai));

    ss_server *s = calloc(1, sizeof *s);
    if (!s || (o->cors && !(s->cors = strdup(o->cors)))) {
        freeaddrinfo(ai);
        free(s);
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    }
    char *err = NULL;
    if (o->web && ss_static_open(o->web, &s->web, &err) != SS_OK) {
        fprintf(stderr, "skillsearch serve: %s (serving the API only)\n",
                err);
        free(err);
        err = NULL;
    }
    ss_status st = ss_rcache_create(o->cache_bytes, &s->cache);
    if (st == SS_OK)
        st = start_langs(s, o, errmsg);
    if (st != SS_OK) {
        freeaddrinfo(ai);
        server_free(s);
        return st;
    }
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    unsigned threads = o->threads ? o->threads : 1;
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
        on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR,
        ai->ai_addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)(threads > 1 ? threads : 0),
        MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned int)(o->timeout_s ? o->timeout_s : 10),
        MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)(o->max_conns ? o->max_conns : 1000),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(o->conn_memory ? o->conn_memory : 64 * 1024),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)511,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!s->d) {
        server_free(s);
        return ss_set_error(errmsg, SS_ERR_IO,
                            "cannot listen on %s port %u (in use, or no "
                            "permission)", bind, o->port);
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : o->port;
    *out = s;
    return SS_OK;
}

unsigned ss_server_port(const ss_server *s)
{
    return s->port;
}

void ss_server_reload(ss_server *s)
{
    for (size_t i = 0; i < s->nlangs; i++)
        ss_index_watch_force(s->langs[i].watch);
}

void ss_server_drain(ss_server *s)
{
    atomic_store(&s->draining, 1);
}

void ss_server_stop(ss_server *s, unsigned grace_ms)
{
    if (!s)
        return;
    MHD_socket ls = MHD_quiesce_daemon(s->d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    for (unsigned waited = 0;
         atomic_load(&s->inflight) > 0 && waited < grace_ms; waited += 10)
        usleep(10 * 1000);
    MHD_stop_daemon(s->d);
    server_free(s);
}
