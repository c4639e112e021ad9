/* http_server.h - the skillsearch HTTP service (libmicrohttpd).
 *
 * Routes: the table in routes.h (paths, methods, handlers, metric names,
 * caching); parameters and limits: handlers.h. HEAD is accepted wherever
 * GET is; OPTIONS answers 204 with Allow (and the CORS preflight headers
 * when a CORS origin is set). A method the row does not take: 405 with
 * Allow. A path of no row, or no file of the web folder: 404. No index
 * loaded: 503 on every JSON endpoint. All errors are JSON
 * {"error":{"code","message"}}, except those MHD sends by itself before a
 * request reaches us: request line or headers larger than the
 * per-connection memory (414 / 431), malformed HTTP (400), and slow
 * clients (closed after conn_timeout seconds idle).
 *
 * Languages: one index per language (--index LANG=DIR); server/langs.h
 * picks the one of each request (lang=, Accept-Language, the first); the
 * other parameters go to the handler. labels=en,fr adds to each result of
 * /search, /match, /fit and /occupations/{id}/similar its label in those
 * languages (by URI from their catalogues). JSON answers say which
 * language answered (Content-Language; "lang" in /search and /match).
 *
 * Threads: MHD's epoll thread pool; each pool thread gets its own
 * searcher through index_watch.h, so requests never share Xapian handles.
 */
#ifndef SS_HTTP_SERVER_H
#define SS_HTTP_SERVER_H

#include <stddef.h>

#include "../core/status.h"

/* One index of a multi-language server: --index LANG=DIR. */
typedef struct ss_server_index {
    const char *lang; /* the language it must be in; NULL: its own */
    const char *path; /* INDEX path (symlink to a generation) */
} ss_server_index;

typedef struct ss_server_opts {
    const char *index;     /* INDEX path (symlink to a generation), when
                              nindexes is 0 */
    const ss_server_index *indexes; /* one per language, the first the
                                       default (langs.h); each has its own
                                       index_watch, so reloads alone */
    size_t nindexes;       /* 0: index */
    const char *datadir;   /* NULL: search.h default */
    const char *bind;      /* numeric address or host name; NULL: 127.0.0.1 */
    unsigned port;         /* 0: any free port (see ss_server_port) */
    unsigned threads;      /* worker threads, >= 1 */
    const char *web;       /* static folder; missing: API only */
    const char *cors;      /* Access-Control-Allow-Origin value or NULL */
    unsigned timeout_s;    /* idle connection timeout; 0: 10 */
    unsigned max_conns;    /* 0: 1000 */
    size_t conn_memory;    /* per-connection buffer (bounds headers); 0: 64k */
    size_t cache_bytes;    /* result cache bound (result_cache.h); 0: none */
} ss_server_opts;

typedef struct ss_server ss_server;

/* Strings in opts are copied. Listens before returning. SS_ERR_INVALID:
 * a bad option (an index not in the language of its label, two indexes of
 * one language, a language unknown at start), *errmsg naming it. */
ss_status ss_server_start(const ss_server_opts *opts, ss_server **out,
                          char **errmsg);
unsigned ss_server_port(const ss_server *s);
/* Reload every language's index now (SIGHUP). */
void ss_server_reload(ss_server *s);
/* Start draining (SIGTERM with --drain-ms): /health answers 503 and every
 * answer carries "Connection: close", while requests are served as
 * before, so a load balancer's health check takes the server out of
 * rotation before ss_server_stop closes the socket. */
void ss_server_drain(ss_server *s);
/* Graceful stop: stop accepting, wait up to grace_ms for requests in
 * flight to complete, close everything, free s. Accepts NULL. */
void ss_server_stop(ss_server *s, unsigned grace_ms);

#endif
