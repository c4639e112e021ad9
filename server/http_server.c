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
#include "static_files.h"

#define MAX_ARGS 32
#define MAX_RAW_PATH 4096

static const char ALLOW_GET[] = "GET, HEAD, OPTIONS";
static const char ALLOW_POST[] = "POST, OPTIONS";

struct ss_server {
    struct MHD_Daemon *d;
    ss_index_watch *watch;
    ss_static *web;
    char *cors;
    unsigned port;
    atomic_int inflight;
    ss_rcache *cache; /* NULL: --cache-mb 0 */
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

typedef enum route_kind {
    R_SEARCH, R_SUGGEST, R_MATCH, R_HEALTH, R_METRICS, R_OCC, R_SKILL,
    R_STATIC
} route_kind;

typedef struct route {
    route_kind kind;
    ss_endpoint ep;
    const char *allow;
    const char *id; /* R_OCC, R_SKILL: borrowed from url */
} route;

static double elapsed(const req_ctx *c)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - c->start.tv_sec) +
           (double)(now.tv_nsec - c->start.tv_nsec) / 1e9;
}

/* ------------------------------------------------------------- responses */

static void common_headers(ss_server *s, struct MHD_Response *r,
                           const char *allow)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    if (s->cors) {
        MHD_add_response_header(r, "Access-Control-Allow-Origin", s->cors);
        if (strcmp(s->cors, "*") != 0)
            MHD_add_response_header(r, "Vary", "Origin");
    }
}

/* Queues r (consumed) and counts the request. */
static enum MHD_Result queue(struct MHD_Connection *conn, req_ctx *c,
                             ss_endpoint ep, unsigned status,
                             struct MHD_Response *r)
{
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    ss_metrics_observe(ep, status, elapsed(c));
    return ret;
}

/* Sends body (a new reference, consumed) as compact JSON. */
/* Sends text (malloc'd JSON, taken over; NULL: out of memory). */
static enum MHD_Result send_text(ss_server *s, struct MHD_Connection *conn,
                                 req_ctx *c, ss_endpoint ep, unsigned status,
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
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "application/json; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    common_headers(s, r, status == 405 ? allow : NULL);
    return queue(conn, c, ep, status, r);
}

static char *dump(json_t *body)
{
    char *text =
        body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(8)) : NULL;
    json_decref(body);
    return text;
}

static enum MHD_Result send_json(ss_server *s, struct MHD_Connection *conn,
                                 req_ctx *c, ss_endpoint ep, unsigned status,
                                 json_t *body, const char *allow)
{
    char *text = dump(body);
    return send_text(s, conn, c, ep, status, text, text ? strlen(text) : 0,
                     allow);
}

static enum MHD_Result send_error(ss_server *s, struct MHD_Connection *conn,
                                  req_ctx *c, ss_endpoint ep, unsigned status,
                                  const char *allow, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static enum MHD_Result send_error(ss_server *s, struct MHD_Connection *conn,
                                  req_ctx *c, ss_endpoint ep, unsigned status,
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
                                    req_ctx *c, ss_endpoint ep,
                                    const char *allow)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    common_headers(s, r, allow);
    if (s->cors) {
        MHD_add_response_header(r, "Access-Control-Allow-Methods", allow);
        MHD_add_response_header(r, "Access-Control-Allow-Headers",
                                "Content-Type");
        MHD_add_response_header(r, "Access-Control-Max-Age", "600");
    }
    return queue(conn, c, ep, 204, r);
}

static enum MHD_Result send_metrics(ss_server *s, struct MHD_Connection *conn,
                                    req_ctx *c)
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
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "text/plain; version=0.0.4; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    common_headers(s, r, NULL);
    return queue(conn, c, SS_EP_METRICS, 200, r);
}

static enum MHD_Result send_static(ss_server *s, struct MHD_Connection *conn,
                                   req_ctx *c)
{
    ss_static_file f;
    ss_status st = c->raw_too_long
                       ? SS_ERR_INVALID
                       : ss_static_lookup(s->web, c->raw, c->rawlen, &f);
    if (st == SS_ERR_INVALID)
        return send_error(s, conn, c, SS_EP_STATIC, 400, NULL,
                          "invalid path");
    if (st != SS_OK)
        return send_error(s, conn, c, SS_EP_STATIC, 404, NULL, "not found");
    struct MHD_Response *r = MHD_create_response_from_fd(f.size, f.fd);
    if (!r) {
        close(f.fd);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, f.content_type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    common_headers(s, r, NULL);
    return queue(conn, c, SS_EP_STATIC, 200, r);
}

/* --------------------------------------------------------------- routing */

static route find_route(const char *url)
{
    static const struct {
        const char *path;
        route_kind kind;
        ss_endpoint ep;
        const char *allow;
    } exact[] = {
        {"/search", R_SEARCH, SS_EP_SEARCH, ALLOW_GET},
        {"/suggest", R_SUGGEST, SS_EP_SUGGEST, ALLOW_GET},
        {"/match", R_MATCH, SS_EP_MATCH, ALLOW_POST},
        {"/health", R_HEALTH, SS_EP_HEALTH, ALLOW_GET},
        {"/metrics", R_METRICS, SS_EP_METRICS, ALLOW_GET},
    };
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcmp(url, exact[i].path) == 0)
            return (route){exact[i].kind, exact[i].ep, exact[i].allow, NULL};
    if (strncmp(url, "/occupations/", 13) == 0)
        return (route){R_OCC, SS_EP_OCCUPATION, ALLOW_GET, url + 13};
    if (strncmp(url, "/skills/", 8) == 0)
        return (route){R_SKILL, SS_EP_SKILL, ALLOW_GET, url + 8};
    return (route){R_STATIC, SS_EP_STATIC, ALLOW_GET, NULL};
}

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
static char *cache_key(unsigned long seq, ss_endpoint ep, arg_list *a,
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
                                  req_ctx *c, const route *rt)
{
    arg_list args = {.n = 0};
    MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_arg,
                                &args);
    if (args.overflow)
        return send_error(s, conn, c, rt->ep, 400, NULL,
                          "more than %d parameters", MAX_ARGS);
    ss_api_req req = {args.v, args.n, c->body, c->len,
                      MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                  "Content-Type")};
    ss_index_view view;
    json_t *out = NULL;
    unsigned status;
    char *key = NULL, *text = NULL;
    size_t klen = 0, tlen = 0;
    if (!ss_index_watch_acquire(s->watch, &view)) {
        status = 503;
        out = ss_api_error(503, "no index loaded yet");
    } else if (s->cache && (rt->kind == R_SEARCH || rt->kind == R_SUGGEST) &&
               (key = cache_key(view.seq, rt->ep, &args, &klen)) &&
               ss_rcache_get(s->cache, key, klen, &text, &tlen)) {
        free(key);
        return send_text(s, conn, c, rt->ep, 200, text, tlen, NULL);
    } else {
        switch (rt->kind) {
        case R_SEARCH: status = ss_api_search(view.searcher, &req, &out); break;
        case R_SUGGEST: status = ss_api_suggest(view.suggest, &req, &out); break;
        case R_MATCH: status = ss_api_match(view.searcher, &req, &out); break;
        case R_OCC: status = ss_api_occupation(view.searcher, rt->id, &out); break;
        case R_SKILL: status = ss_api_skill(view.searcher, rt->id, &out); break;
        default: status = ss_api_health(view.searcher, &out); break;
        }
    }
    if (key && status == 200) {
        text = dump(out);
        tlen = text ? strlen(text) : 0;
        if (text)
            ss_rcache_put(s->cache, key, klen, text, tlen);
        free(key);
        return send_text(s, conn, c, rt->ep, status, text, tlen, NULL);
    }
    free(key);
    return send_json(s, conn, c, rt->ep, status, out, NULL);
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
    route rt = find_route(url);
    int is_get = !strcmp(method, MHD_HTTP_METHOD_GET) ||
                 !strcmp(method, MHD_HTTP_METHOD_HEAD);
    int is_post = !strcmp(method, MHD_HTTP_METHOD_POST);

    if (!c->started) {
        c->started = 1;
        if (!strcmp(method, MHD_HTTP_METHOD_OPTIONS))
            return send_options(s, conn, c, rt.kind == R_STATIC ? SS_EP_OTHER
                                                                : rt.ep,
                                rt.allow);
        if (rt.allow == ALLOW_POST ? !is_post : !is_get)
            return send_error(s, conn, c, rt.ep, 405, rt.allow,
                              "method %s not allowed here; use %s", method,
                              rt.allow);
        if (rt.kind == R_MATCH) {
            const char *cl = MHD_lookup_connection_value(
                conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (cl && strtoull(cl, NULL, 10) > SS_API_MAX_BODY)
                return send_error(s, conn, c, rt.ep, 413, NULL,
                                  "body larger than %d bytes",
                                  SS_API_MAX_BODY);
            return MHD_YES; /* read the body first */
        }
        /* answer on the next call: libmicrohttpd 0.9.75 closes the
         * connection after a response queued while it is still in the
         * header phase, which would cost a new TCP connection per request */
        return MHD_YES;
    } else if (rt.kind == R_MATCH && *upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
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
        memcpy(c->body + c->len, upload_data, n);
        c->len += n;
        c->body[c->len] = '\0';
        return MHD_YES;
    }
    if (c->too_large)
        return send_error(s, conn, c, rt.ep, 413, NULL,
                          "body larger than %d bytes", SS_API_MAX_BODY);
    switch (rt.kind) {
    case R_METRICS: return send_metrics(s, conn, c);
    case R_STATIC: return send_static(s, conn, c);
    default: return handle_api(s, conn, c, &rt);
    }
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
