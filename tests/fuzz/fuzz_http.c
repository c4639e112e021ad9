/* fuzz_http.c - the server's request handling without sockets.
 *
 * Input: "TARGET\nCONTENT-TYPE\nBODY" (later parts optional). TARGET is a
 * request target as sent ("/search?q=a%20b&limit=3"). It goes through what
 * a request meets in http_server.c: the raw path through the static-file
 * checks (static_files.h), the query string split and %-decoded the way
 * libmicrohttpd does it (MHD_http_unescape, '+' as space) into the JSON
 * handler the route table (routes.h) picks for the path, and the body into
 * the POST rows (/match, and /fit's JSON profile: the corpus has seeds of
 * both). Oracle: every
 * handler answers a JSON object the server can send, and never a 5xx. */
#include <jansson.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../server/routes.h"
#include "../../server/static_files.h"
#include "common.h"

#define MAX_ARGS 32 /* as http_server.c */

static ss_suggest *g_suggest;
static ss_static *g_web;

static void cleanup(void)
{
    ss_suggest_destroy(g_suggest);
    ss_static_destroy(g_web);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ss_searcher *s = fz_searcher();
    if (ss_suggest_build(ss_searcher_catalog(s), ss_searcher_lang(s),
                         &g_suggest, NULL) != SS_OK ||
        ss_static_open(fz_path("web"), &g_web, NULL) != SS_OK)
        abort();
    atexit(cleanup);
    return 0;
}

/* The server turns whatever a handler returns into a response body. */
static void check(unsigned status, json_t *out)
{
    char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
    if (!text || !json_is_object(out) || status >= 500)
        abort();
    if (status != 200 && !json_object_get(out, "error"))
        abort();
    free(text);
    json_decref(out);
}

/* Splits q (modified in place) into args like MHD_parse_arguments_. */
static size_t parse_args(char *q, ss_http_arg *v)
{
    size_t n = 0;
    while (q && *q && n < MAX_ARGS) {
        char *amp = strchr(q, '&');
        if (amp)
            *amp++ = '\0';
        char *eq = strchr(q, '=');
        if (eq)
            *eq++ = '\0';
        for (char *p = q; *p; p++)
            if (*p == '+')
                *p = ' ';
        MHD_http_unescape(q);
        size_t len = 0;
        if (eq) {
            for (char *p = eq; *p; p++)
                if (*p == '+')
                    *p = ' ';
            len = MHD_http_unescape(eq);
        }
        v[n++] = (ss_http_arg){q, eq ? eq : "", len};
        q = amp;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *body = memchr(buf, '\n', size), *ctype = NULL;
    size_t body_len = 0;
    if (body) {
        *body++ = '\0';
        ctype = body;
        body = memchr(ctype, '\n', size - (size_t)(ctype - buf));
        if (body) {
            *body++ = '\0';
            body_len = size - (size_t)(body - buf);
        }
    }
    /* the request line never carries NUL: MHD stops there */
    char *target = buf, *query = strchr(target, '?');
    size_t rawlen = query ? (size_t)(query - target) : strlen(target);
    if (query)
        *query++ = '\0';

    ss_static_file f;
    if (ss_static_lookup(g_web, target, rawlen, &f) == SS_OK)
        close(f.fd);

    ss_http_arg args[MAX_ARGS];
    size_t nargs = parse_args(query, args);
    MHD_http_unescape(target); /* MHD hands the decoded path to routing */
    const char *id;
    const ss_route *rt = ss_route_find(target, &id);
    if (rt && rt->kind == SS_ROUTE_API) {
        ss_api_req req = {args, nargs, body, body_len,
                          ctype && *ctype ? ctype : NULL, fz_searcher(),
                          g_suggest, id, NULL};
        json_t *out = NULL;
        check(rt->handler(&req, &out), out);
    }
    free(buf);
    return 0;
}
