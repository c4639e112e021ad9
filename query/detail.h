/* detail.h - the page of one occupation or one skill, as JSON, read from
 * the index's catalogue. GET /occupations/{id}, GET /skills/{id}
 * (server/detail.c) and `skillsearch show` (cli/cmd_show.c) all print
 * what these build, so the three answers cannot drift apart.
 *
 * Occupation: {"uri","id","label","code","isco","isco_path":[{code,
 * label}],"alt_labels","description","counts":{total,essential,optional},
 * "skill_groups":[...]}, the groups by relation x skill type x reuse level
 * ({"relation","skill_type","reuse_level","skills"}), or by nearest ESCO
 * skill group ({"group":{uri,code,label},"skills"}, each skill with its
 * "relation"); every skill marks "cross_sector" and "transversal".
 * Skill: {"uri","id","label","skill_type","reuse_level","alt_labels",
 * "description","occupations":{essential,optional},"related","broader"},
 * broader being the chain up ESCO's hierarchy, top first.
 *
 * Ownership: on SS_OK *out is a new reference (the caller json_decref()s
 * it); on failure *out is untouched. *errmsg, when set, is malloc'd (the
 * caller free()s it). Not thread-safe, like the searcher they read.
 */
#ifndef SS_DETAIL_H
#define SS_DETAIL_H

#include <jansson.h>

#include "search.h"

typedef enum ss_detail_grouping {
    SS_DETAIL_BY_RELATION = 0, /* relation x skill type x reuse level */
    SS_DETAIL_BY_SKILLGROUP    /* nearest ESCO skill group */
} ss_detail_grouping;

/* The values group= and --group take, for messages. */
#define SS_DETAIL_GROUPINGS "relation or skillgroup"

typedef struct ss_detail_req {
    const char *id;              /* ESCO id: the last segment of the URI */
    ss_detail_grouping grouping;
    char skilltype;              /* a code of ss_skill_types, 0: any */
    char reuse;                  /* a code of ss_reuse_levels, 0: any */
} ss_detail_req;

/* "relation" or "skillgroup" (exactly, as ESCO's own values are) in *out;
 * 0, or -1 for anything else. */
int ss_detail_grouping_parse(const char *s, ss_detail_grouping *out);

/* The occupation page of r->id, its skills filtered by r->skilltype and
 * r->reuse. SS_ERR_NOT_FOUND: no such occupation (*errmsg says so, naming
 * the id when it could be one); SS_ERR_IO: the catalogue failed (*errmsg
 * has SQLite's message); SS_ERR_NOMEM. */
ss_status ss_detail_occupation_json(ss_searcher *s, const ss_detail_req *r,
                                    json_t **out, char **errmsg);

/* The skill page of id; statuses as above. */
ss_status ss_detail_skill_json(ss_searcher *s, const char *id, json_t **out,
                               char **errmsg);

#endif
