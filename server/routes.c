#include "routes.h"

#include <string.h>

const ss_route ss_routes[] = {
    /* path               methods        kind  handler  metric  cacheable */
    {"/search", SS_ROUTE_GET, SS_ROUTE_API, ss_api_search, "search", 1},
    {"/suggest", SS_ROUTE_GET, SS_ROUTE_API, ss_api_suggest, "suggest", 1},
    {"/match", SS_ROUTE_POST, SS_ROUTE_API, ss_api_match, "match", 0},
    {"/fit", SS_ROUTE_POST, SS_ROUTE_API, ss_api_fit, "fit", 0},
    {"/occupations/{id}/similar", SS_ROUTE_GET, SS_ROUTE_API, ss_api_similar,
     "similar", 0},
    {"/occupations/{id}", SS_ROUTE_GET, SS_ROUTE_API, ss_api_occupation,
     "occupation", 0},
    {"/skills/{id}", SS_ROUTE_GET, SS_ROUTE_API, ss_api_skill, "skill", 0},
    {"/health", SS_ROUTE_GET, SS_ROUTE_API, ss_api_health, "health", 0},
    {"/metrics", SS_ROUTE_GET, SS_ROUTE_METRICS, NULL, "metrics", 0},
    {"/{file}", SS_ROUTE_GET, SS_ROUTE_FILES, NULL, "static", 0},
};

#define NROUTES (sizeof ss_routes / sizeof ss_routes[0])
_Static_assert(NROUTES <= SS_ROUTES_MAX, "raise SS_ROUTES_MAX");
const size_t ss_nroutes = NROUTES;

const ss_route *ss_route_find(const char *path, const char **id)
{
    *id = NULL;
    for (size_t i = 0; i < NROUTES; i++) {
        const char *p = ss_routes[i].path, *brace = strchr(p, '{');
        if (!brace) {
            if (strcmp(path, p) == 0)
                return &ss_routes[i];
        } else if (strncmp(path, p, (size_t)(brace - p)) == 0) {
            const char *rest = path + (brace - p);
            const char *suffix = strchr(brace, '}') + 1;
            if (*suffix) { /* "{id}/more": the id is one path segment */
                const char *slash = strchr(rest, '/');
                if (!slash || slash == rest || strcmp(slash, suffix) != 0)
                    continue;
            }
            *id = rest;
            return &ss_routes[i];
        }
    }
    return NULL;
}

int ss_route_takes(const ss_route *rt, const char *method)
{
    if (rt->methods & SS_ROUTE_GET)
        if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
            return 1;
    return (rt->methods & SS_ROUTE_POST) && !strcmp(method, "POST");
}

const char *ss_route_allow(const ss_route *rt)
{
    switch (rt->methods) {
    case SS_ROUTE_GET: return "GET, HEAD, OPTIONS";
    case SS_ROUTE_POST: return "POST, OPTIONS";
    default: return "GET, HEAD, POST, OPTIONS";
    }
}
