/* routes.h - the route table of the HTTP service: one row per endpoint.
 *
 * A row holds everything the server knows about an endpoint: its path
 * (exact, or a pattern "PREFIX{name}" whose rest is handed to the handler
 * as ss_api_req.id, or "PREFIX{name}SUFFIX" whose {name} is one path
 * segment: ss_api_req.id then points at it, and it ends at the next '/'), the methods it takes, who answers it, its label in
 * /metrics and whether its 200 answers go to the result cache. Routing
 * (http_server.c), the /metrics endpoint names (metrics.c), the cache rule
 * and the fuzzer's dispatch (tests/fuzz/fuzz_http.c) all read this table,
 * so adding an endpoint is one row plus its handler (handlers.h).
 *
 * Rows are tried in order; the last one, "/{file}", hands every other path
 * to the web folder (static_files.h), which answers 404 for what it does
 * not hold. A path no row matches (one not starting with '/') is a 404.
 */
#ifndef SS_ROUTES_H
#define SS_ROUTES_H

#include <stddef.h>

#include "handlers.h"

/* Methods of a row. GET also admits HEAD; every row answers OPTIONS. A
 * POST row reads the request body (at most SS_API_MAX_BODY bytes). */
enum { SS_ROUTE_GET = 1u << 0, SS_ROUTE_POST = 1u << 1 };

typedef enum ss_route_kind {
    SS_ROUTE_API,     /* handler answers JSON */
    SS_ROUTE_METRICS, /* the server's Prometheus text */
    SS_ROUTE_FILES    /* a file of the web folder, by the raw path */
} ss_route_kind;

typedef struct ss_route {
    const char *path;   /* "/search", or "/occupations/{id}" */
    unsigned methods;   /* SS_ROUTE_GET and/or SS_ROUTE_POST */
    ss_route_kind kind;
    ss_api_fn handler;  /* SS_ROUTE_API rows only, else NULL */
    const char *metric; /* endpoint="..." in /metrics */
    int cacheable;      /* 200 answers are kept in the result cache */
} ss_route;

/* Counters in metrics.c are sized for this many rows (checked at compile
 * time in routes.c). */
#define SS_ROUTES_MAX 15

extern const ss_route ss_routes[];
extern const size_t ss_nroutes;

/* The row for a request path as MHD hands it (decoded, without "?..."),
 * or NULL. *id: the pattern's rest, borrowed from path, or NULL for an
 * exact row. The row's index (row - ss_routes) names it in metrics.h and
 * in cache keys. */
const ss_route *ss_route_find(const char *path, const char **id);

/* 1 if the row takes this HTTP method ("GET", "HEAD", "POST", ...). */
int ss_route_takes(const ss_route *rt, const char *method);

/* The Allow header of the row: "GET, HEAD, OPTIONS" or "POST, OPTIONS"
 * (static string). */
const char *ss_route_allow(const ss_route *rt);

#endif
