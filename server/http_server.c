#include "http_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
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
#include "metrics.h"
#include "result_cache.h"
#include "routes.h"
#include "static_files.h"

#define MAX_ARGS 32
#define MAX_RAW_PATH 4096

struct ss_server {
    struct MHD_Daemon *d;
    ss_index_watch *watch;
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
    if (add_headers(s, r, content_type, cache_control, allow) == SS_OK)
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

/* The cache key of a request: the generation it was answered from, the
 * endpoint, and its arguments in a canonical order (so "?q=a&type=skill"
 * and "?type=skill&q=a" meet). Lengths go in too: values may hold any
 * byte. malloc'd, *klen set; NULL when out of memory. */
static char *cache_key(unsigned long seq, size_t ep, arg_list *a,
                       size_t *klen)
{
    qsort(a->v, a->n, sizeof a->v[0], cmp_arg);
    size_t n = 2 * sizeof(unsigned long);
    for (size_t i = 0; i < a->n; i++)
        n += strlen(a->v[i].name) + 1 + a->v[i].len + sizeof(size_t);
    char *k = malloc(n), *p = k;
    if (!k)
        return NULL;
    unsigned long epl = (unsigned long)ep;
    memcpy(p, &seq, sizeof seq), p += sizeof seq;
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
    ss_index_view view;
    json_t *out = NULL;
    unsigned status;
    char *key = NULL, *text = NULL;
    size_t klen = 0, tlen = 0;
    if (m->rt->handler == ss_api_health && atomic_load(&s->draining)) {
        /* a failing health check takes us out of a load balancer's
         * rotation while every other request is still answered */
        status = 503;
        out = ss_api_error(503, "draining: this server is shutting down");
    } else if (!ss_index_watch_acquire(s->watch, &view)) {
        status = 503;
        out = ss_api_error(503, "no index loaded yet");
    } else if (s->cache && m->rt->cacheable &&
               (key = cache_key(view.seq, ep, &args, &klen)) &&
               ss_rcache_get(s->cache, key, klen, &text, &tlen)) {
        free(key);
        return send_text(s, conn, c, ep, 200, text, tlen, NULL);
    } else {
        ss_api_req req = {
            args.v, args.n, c->body, c->len,
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                        "Content-Type"),
            view.searcher, view.suggest, m->id};
        status = m->rt->handler(&req, &out);
    }
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

static void server_free(ss_server *s)
{
    if (!s)
        return;
    ss_index_watch_stop(s->watch);
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
        st = ss_index_watch_start(o->index, o->datadir, 250, &s->watch,
                                  errmsg);
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
    ss_index_watch_force(s->watch);
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
