/* detail.c - the occupation and skill pages from the catalogue (see
 * detail.h). */
#include "detail.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "hits_json.h"

/* Column i as a JSON string ("" for NULL). */
static json_t *col_str(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return json_string(s ? s : "");
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

/* Newline-separated labels as an array, empty lines dropped; NULL when
 * out of memory (json_pack then fails: SS_ERR_NOMEM, never a page with
 * labels missing). */
static json_t *lines_json(const char *s)
{
    json_t *a = json_array();
    while (a && s && *s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        size_t m = n;
        while (m && (s[m - 1] == '\r' || s[m - 1] == ' '))
            m--;
        if (m && json_array_append_new(a, json_stringn(s, m)) != 0) {
            json_decref(a);
            return NULL;
        }
        s += n + (nl != NULL);
    }
    return a;
}

/* ESCO keys are UUIDs; anything outside this alphabet cannot exist. */
static int valid_id(const char *id)
{
    size_t n = strlen(id);
    return n > 0 && n <= 100 &&
           strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789-_.") == n;
}

/* NULL when the catalogue fails: its message is then sqlite3_errmsg(db). */
static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* st: SS_ERR_NOMEM for JSON that could not be built, else the catalogue
 * failed (SS_ERR_IO, SQLite's message in *errmsg). Drops partial. */
static ss_status db_failed(sqlite3 *db, ss_status st, json_t *partial,
                           char **errmsg)
{
    json_decref(partial);
    if (st == SS_ERR_NOMEM)
        return SS_ERR_NOMEM;
    return ss_set_error(errmsg, SS_ERR_IO, "catalogue: %s",
                        sqlite3_errmsg(db));
}

/* The row of id (a concept's key) by sql in *st, to finalize; else
 * SS_ERR_NOT_FOUND (the message names kind, and the id when it could be
 * one) or the catalogue failed. */
static ss_status find_row(sqlite3 *db, const char *sql, const char *kind,
                          const char *id, sqlite3_stmt **st, char **errmsg)
{
    if (!valid_id(id))
        return ss_set_error(errmsg, SS_ERR_NOT_FOUND, "no %s with this id",
                            kind);
    if (!(*st = prepare(db, sql)))
        return db_failed(db, SS_ERR_IO, NULL, errmsg);
    sqlite3_bind_text(*st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW)
        return SS_OK;
    ss_status fs = rc == SQLITE_DONE
                       ? ss_set_error(errmsg, SS_ERR_NOT_FOUND,
                                      "no %s with id '%s'", kind, id)
                       : db_failed(db, SS_ERR_IO, NULL, errmsg);
    sqlite3_finalize(*st);
    return fs;
}

/* The ESCO value of a filter code of table; NULL for 0 (any). */
static const char *value_name(const ss_skill_value *table, char code)
{
    for (const ss_skill_value *t = table; code && t->name; t++)
        if (t->code == code)
            return t->name;
    return NULL;
}

int ss_detail_grouping_parse(const char *s, ss_detail_grouping *out)
{
    if (strcmp(s, "relation") == 0)
        *out = SS_DETAIL_BY_RELATION;
    else if (strcmp(s, "skillgroup") == 0)
        *out = SS_DETAIL_BY_SKILLGROUP;
    else
        return -1;
    return 0;
}

static const char OCC_SQL[] =
    "SELECT id, uri, code, isco, label, alt_labels, description "
    "FROM occupation WHERE key = ?";
static const char ISCO_SQL[] = "SELECT label FROM isco_group WHERE code = ?";
/* Group order of the API: essential first, knowledge before
 * skill/competence, then reuse level from specific to transversal. */
static const char OCC_SKILLS_SQL[] =
    "SELECT s.uri, s.label, s.description, s.skill_type, s.reuse_level, "
    "os.essential FROM occupation_skill os JOIN skill s "
    "ON s.id = os.skill_id WHERE os.occupation_id = ?1 "
    "AND (?2 IS NULL OR s.skill_type = ?2) "
    "AND (?3 IS NULL OR s.reuse_level = ?3) "
    "ORDER BY os.essential DESC, "
    "CASE s.skill_type WHEN 'knowledge' THEN 0 "
    "WHEN 'skill/competence' THEN 1 ELSE 2 END, s.skill_type, "
    "CASE s.reuse_level WHEN 'occupation-specific' THEN 0 "
    "WHEN 'sector-specific' THEN 1 WHEN 'cross-sector' THEN 2 "
    "WHEN 'transversal' THEN 3 ELSE 4 END, s.reuse_level, "
    "s.label COLLATE NOCASE, s.uri";

static json_t *isco_path(sqlite3 *db, const char *isco)
{
    json_t *a = json_array();
    sqlite3_stmt *st = prepare(db, ISCO_SQL);
    size_t n = strlen(isco);
    for (size_t i = 1; a && st && i <= n && i <= 4; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, isco, (int)i, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW &&
            json_array_append_new(a, json_pack("{s:s%, s:s}", "code", isco, i,
                                       "label", col_text(st, 0))) != 0) {
            json_decref(a);
            a = NULL;
        }
    }
    sqlite3_finalize(st);
    return a;
}

/* One step up: the first broader by uri that is a skill or a group. */
static const char BROADER_SQL[] =
    "SELECT b.broader_uri, s.label, g.label, g.code FROM skill_broader b "
    "LEFT JOIN skill s ON s.uri = b.broader_uri "
    "LEFT JOIN skill_group g ON g.uri = b.broader_uri "
    "WHERE b.uri = ? AND (s.uri IS NOT NULL OR g.uri IS NOT NULL) "
    "ORDER BY b.broader_uri LIMIT 1";
#define MAX_BROADER 16

static int in_chain(const json_t *chain, const char *uri)
{
    size_t i;
    json_t *e;
    json_array_foreach(chain, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "uri")), uri) == 0)
            return 1;
    }
    return 0;
}

/* Prepends to chain each broader of uri, nearest last, until the top, a
 * cycle, MAX_BROADER steps or (to_group) the first skill group. st:
 * BROADER_SQL. Elements {"uri","id","label","kind","code"}. */
static ss_status broader_chain(sqlite3_stmt *st, const char *uri,
                               int to_group, json_t *chain)
{
    const char *cur = uri;
    while (json_array_size(chain) < MAX_BROADER) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, cur, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            return SS_OK;
        if (rc != SQLITE_ROW)
            return SS_ERR_IO;
        const char *up = col_text(st, 0);
        int group = sqlite3_column_type(st, 2) != SQLITE_NULL;
        if (strcmp(up, uri) == 0 || in_chain(chain, up))
            return SS_OK; /* a cycle: the chain so far is the answer */
        json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:s}", "uri", up, "id",
                              ss_uri_id(up), "label",
                              col_text(st, group ? 2 : 1), "kind",
                              group ? "group" : "skill", "code",
                              group ? col_text(st, 3) : "");
        if (!e || json_array_insert_new(chain, 0, e) != 0)
            return SS_ERR_NOMEM;
        if (group && to_group)
            return SS_OK;
        /* the row's text dies at the next reset: walk on from the copy */
        cur = json_string_value(json_object_get(e, "uri"));
    }
    return SS_OK;
}

/* The skills array of uri's nearest skill group in groups (added on
 * first use; index maps group uri to it, "" for none), borrowed. NULL:
 * SS_ERR_NOMEM or, *s set, the catalogue failed. */
static json_t *group_skills(sqlite3_stmt *up, const char *uri, json_t *groups,
                            json_t *index, ss_status *s)
{
    json_t *chain = json_array(), *top, *skills = NULL;
    if (!chain || (*s = broader_chain(up, uri, 1, chain)) != SS_OK) {
        json_decref(chain);
        return NULL;
    }
    top = json_array_get(chain, 0);
    int group = top && strcmp(json_string_value(json_object_get(top, "kind")),
                              "group") == 0;
    const char *guri = group ? json_string_value(json_object_get(top, "uri"))
                             : "";
    if (!(skills = json_object_get(index, guri))) {
        skills = json_array();
        json_t *g = json_pack(
            "{s:{s:s, s:s, s:s}, s:o}", "group", "uri", guri, "code",
            group ? json_string_value(json_object_get(top, "code")) : "",
            "label",
            group ? json_string_value(json_object_get(top, "label"))
                  : "other",
            "skills", json_incref(skills));
        if (json_array_append_new(groups, g) != 0) {
            json_decref(skills);
            skills = NULL;
        } else if (json_object_set_new(index, guri, skills) != 0) {
            skills = NULL; /* groups still holds it */
        }
    }
    json_decref(chain);
    return skills;
}

/* Adds "counts" and "skill_groups" to o: by relation × type × reuse
 * level, or (by_group) by nearest ESCO skill group in order of first
 * use, "other" (no group) last; only the skills of type and reuse level
 * reuse (ESCO's values) where these are not NULL. SS_ERR_IO: the catalogue
 * failed; SS_ERR_NOMEM. */
static ss_status skill_groups(sqlite3 *db, sqlite3_int64 occ, int by_group,
                              const char *type, const char *reuse, json_t *o)
{
    sqlite3_stmt *st = prepare(db, OCC_SKILLS_SQL);
    sqlite3_stmt *up = by_group ? prepare(db, BROADER_SQL) : NULL;
    if (!st || (by_group && !up)) {
        sqlite3_finalize(st);
        return SS_ERR_IO;
    }
    sqlite3_bind_int64(st, 1, occ);
    if (type)
        sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    if (reuse)
        sqlite3_bind_text(st, 3, reuse, -1, SQLITE_STATIC);
    json_t *groups = json_array(), *skills = NULL;
    json_t *index = by_group ? json_object() : NULL;
    json_int_t nes = 0, nopt = 0;
    ss_status gs = SS_OK;
    int rc = SQLITE_DONE, prev_ess = -1;
    int ok = groups != NULL && (!by_group || index != NULL);
    char prev_type[64] = "", prev_reuse[64] = "";
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int ess = sqlite3_column_int(st, 5) != 0;
        const char *type = col_text(st, 3), *reuse = col_text(st, 4);
        const char *uri = col_text(st, 0);
        if (by_group) {
            ok = (skills = group_skills(up, uri, groups, index, &gs)) != NULL;
        } else if (ess != prev_ess || strcmp(type, prev_type) != 0 ||
                   strcmp(reuse, prev_reuse) != 0) {
            skills = json_array();
            ok = json_array_append_new(
                     groups, json_pack("{s:s, s:s, s:s, s:O}", "relation",
                                       ess ? "essential" : "optional",
                                       "skill_type", type, "reuse_level",
                                       reuse, "skills", skills)) == 0;
            json_decref(skills); /* groups holds it (or it is gone) */
            prev_ess = ess;
            snprintf(prev_type, sizeof prev_type, "%s", type);
            snprintf(prev_reuse, sizeof prev_reuse, "%s", reuse);
        }
        json_t *sk = !ok ? NULL : json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "uri", uri, "id",
            ss_uri_id(uri), "label", col_text(st, 1), "description",
            col_text(st, 2), "skill_type", type, "reuse_level", reuse,
            "cross_sector", strcmp(reuse, "cross-sector") == 0,
            "transversal", strcmp(reuse, "transversal") == 0);
        /* grouped by skill group, each skill says its own relation */
        if (sk && by_group &&
            json_object_set_new(sk, "relation",
                                json_string(ess ? "essential" : "optional"))) {
            json_decref(sk);
            sk = NULL;
        }
        ok = ok && json_array_append_new(skills, sk) == 0;
        *(ess ? &nes : &nopt) += 1;
    }
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    json_t *other = index ? json_object_get(index, "") : NULL;
    size_t i, n = json_array_size(groups);
    for (i = 0; ok && other && i + 1 < n; i++) {
        /* move "other" to the end */
        json_t *g = json_array_get(groups, i);
        if (json_object_get(g, "skills") == other) {
            ok = json_array_append(groups, g) == 0 &&
                 json_array_remove(groups, i) == 0;
            break;
        }
    }
    json_decref(index);
    if (!ok || rc != SQLITE_DONE) {
        json_decref(groups);
        if (gs != SS_OK)
            return gs;
        return ok ? SS_ERR_IO : SS_ERR_NOMEM;
    }
    ok = json_object_set_new(o, "counts",
                             json_pack("{s:I, s:I, s:I}", "total",
                                       nes + nopt, "essential", nes,
                                       "optional", nopt)) == 0;
    ok &= json_object_set_new(o, "skill_groups", groups) == 0;
    return ok ? SS_OK : SS_ERR_NOMEM;
}

ss_status ss_detail_occupation_json(ss_searcher *s, const ss_detail_req *r,
                                    json_t **out, char **errmsg)
{
    const char *id = r->id ? r->id : "";
    sqlite3 *db = ss_searcher_catalog(s);
    sqlite3_stmt *st;
    ss_status fs = find_row(db, OCC_SQL, "occupation", id, &st, errmsg);
    if (fs != SS_OK)
        return fs;
    sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
    const char *isco = col_text(st, 3);
    ss_status gs = SS_ERR_NOMEM;
    json_t *o = json_pack(
        "{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "uri", col_str(st, 1),
        "id", id, "label", col_str(st, 4), "code", col_str(st, 2), "isco",
        col_str(st, 3), "isco_path", isco_path(db, isco), "alt_labels",
        lines_json(col_text(st, 5)), "description", col_str(st, 6));
    sqlite3_finalize(st);
    if (!o || (gs = skill_groups(db, rowid,
                                 r->grouping == SS_DETAIL_BY_SKILLGROUP,
                                 value_name(ss_skill_types, r->skilltype),
                                 value_name(ss_reuse_levels, r->reuse),
                                 o)) != SS_OK)
        return db_failed(db, gs, o, errmsg);
    *out = o;
    return SS_OK;
}

static const char SKILL_SQL[] =
    "SELECT id, uri, label, skill_type, reuse_level, alt_labels, "
    "description FROM skill WHERE key = ?";
static const char SKILL_OCCS_SQL[] =
    "SELECT o.uri, o.label, o.isco, os.essential FROM occupation_skill os "
    "JOIN occupation o ON o.id = os.occupation_id WHERE os.skill_id = ? "
    "ORDER BY o.label COLLATE NOCASE, o.uri";
static const char SKILL_REL_SQL[] =
    "SELECT s.uri, s.label, r.essential FROM skill_relation r "
    "JOIN skill s ON s.id = r.related_id WHERE r.skill_id = ? "
    "ORDER BY r.essential DESC, s.label COLLATE NOCASE, s.uri";

/* Adds "occupations" and "related" to o. SS_ERR_IO: the catalogue
 * failed; SS_ERR_NOMEM. */
static ss_status skill_links(sqlite3 *db, sqlite3_int64 skill, json_t *o)
{
    sqlite3_stmt *st = prepare(db, SKILL_OCCS_SQL);
    if (!st)
        return SS_ERR_IO;
    sqlite3_bind_int64(st, 1, skill);
    json_t *ess = json_array(), *opt = json_array(), *rel = json_array();
    /* o holds the arrays from here on, or they are gone */
    int ok = json_object_set_new(o, "occupations",
                                 json_pack("{s:o, s:o}", "essential", ess,
                                           "optional", opt)) == 0 &&
             json_object_set_new(o, "related", rel) == 0;
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *uri = col_text(st, 0);
        ok = json_array_append_new(sqlite3_column_int(st, 3) ? ess : opt,
                           json_pack("{s:s, s:s, s:s, s:s}", "uri", uri, "id",
                                     ss_uri_id(uri), "label", col_text(st, 1),
                                     "isco", col_text(st, 2))) == 0;
    }
    sqlite3_finalize(st);
    if (ok && rc == SQLITE_DONE && !(st = prepare(db, SKILL_REL_SQL)))
        return SS_ERR_IO;
    if (ok && rc == SQLITE_DONE) {
        sqlite3_bind_int64(st, 1, skill);
        while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *uri = col_text(st, 0);
            json_t *e = json_pack(
                "{s:s, s:s, s:s, s:s}", "uri", uri, "id", ss_uri_id(uri),
                "label", col_text(st, 1), "relation",
                sqlite3_column_int(st, 2) ? "essential" : "optional");
            ok = json_array_append_new(rel, e) == 0;
        }
        sqlite3_finalize(st);
    }
    return !ok ? SS_ERR_NOMEM : rc == SQLITE_DONE ? SS_OK : SS_ERR_IO;
}

/* Adds "broader" to o (the skill's "uri" set): its chain up the ESCO
 * hierarchy, top first. SS_ERR_IO: the catalogue failed; SS_ERR_NOMEM. */
static ss_status skill_broader(sqlite3 *db, json_t *o)
{
    sqlite3_stmt *st = prepare(db, BROADER_SQL);
    json_t *chain = json_array();
    if (!st || !chain || json_object_set_new(o, "broader", chain) != 0) {
        sqlite3_finalize(st);
        return st ? SS_ERR_NOMEM : SS_ERR_IO;
    }
    ss_status s = broader_chain(
        st, json_string_value(json_object_get(o, "uri")), 0, chain);
    sqlite3_finalize(st);
    return s;
}

ss_status ss_detail_skill_json(ss_searcher *s, const char *id, json_t **out,
                               char **errmsg)
{
    sqlite3 *db = ss_searcher_catalog(s);
    sqlite3_stmt *st;
    ss_status fs = find_row(db, SKILL_SQL, "skill", id ? id : "", &st, errmsg);
    if (fs != SS_OK)
        return fs;
    sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
    ss_status ls = SS_ERR_NOMEM;
    json_t *o = json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "uri",
                          col_str(st, 1), "id", id, "label", col_str(st, 2),
                          "skill_type", col_str(st, 3), "reuse_level",
                          col_str(st, 4), "alt_labels",
                          lines_json(col_text(st, 5)), "description",
                          col_str(st, 6));
    sqlite3_finalize(st);
    if (!o || (ls = skill_links(db, rowid, o)) != SS_OK ||
        (ls = skill_broader(db, o)) != SS_OK)
        return db_failed(db, ls, o, errmsg);
    *out = o;
    return SS_OK;
}
