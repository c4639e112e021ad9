/* detail.c - GET /occupations/{id} and /skills/{id}: the parameters, then
 * the pages of query/detail.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../query/detail.h"
#include "handlers.h"

/* The answer to a page that could not be built: 404 with the page's
 * message, else 500. Frees err. */
static unsigned page_failed(ss_status st, char *err, json_t **out)
{
    unsigned code = st == SS_ERR_NOT_FOUND ? 404 : 500;
    if (st == SS_ERR_NOT_FOUND)
        *out = ss_api_error(404, "%s", err ? err : ss_strerror(st));
    else if (st == SS_ERR_NOMEM)
        *out = ss_api_error(500, "out of memory");
    else {
        fprintf(stderr, "skillsearch serve: %s\n", err ? err : ss_strerror(st));
        *out = ss_api_error(500, "catalogue read failed");
    }
    free(err);
    return code;
}

unsigned ss_api_occupation(const ss_api_req *r, json_t **out)
{
    static const char *const allowed[] = {"group", "skilltype", "reuse",
                                          NULL};
    const ss_skill_value *type, *reuse;
    unsigned code;
    if ((code = ss_api_check_names(r, allowed, out)) != 200 ||
        (code = ss_api_skill_filter(r, "skilltype", ss_skill_types, &type,
                                    out)) != 200 ||
        (code = ss_api_skill_filter(r, "reuse", ss_reuse_levels, &reuse,
                                    out)) != 200)
        return code;
    ss_detail_req req = {.id = r->id ? r->id : "",
                         .skilltype = type ? type->code : 0,
                         .reuse = reuse ? reuse->code : 0};
    const ss_http_arg *g = ss_api_find_arg(r, "group");
    /* strlen: a %00 in the value must not pass for the name before it */
    if (g && (strlen(g->value) != g->len ||
              ss_detail_grouping_parse(g->value, &req.grouping) != 0)) {
        *out = ss_api_error(400, "group must be " SS_DETAIL_GROUPINGS);
        return 400;
    }
    char *err = NULL;
    ss_status st = ss_detail_occupation_json(r->searcher, &req, out, &err);
    return st == SS_OK ? 200 : page_failed(st, err, out);
}

unsigned ss_api_skill(const ss_api_req *r, json_t **out)
{
    char *err = NULL;
    ss_status st = ss_detail_skill_json(r->searcher, r->id ? r->id : "", out,
                                        &err);
    return st == SS_OK ? 200 : page_failed(st, err, out);
}
