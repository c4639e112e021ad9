#include "catalog.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static const char SCHEMA[] =
    "PRAGMA journal_mode=OFF;"
    "PRAGMA synchronous=OFF;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE occupation(id INTEGER PRIMARY KEY, key TEXT UNIQUE,"
    " uri TEXT UNIQUE, code TEXT, isco TEXT, label TEXT, alt_labels TEXT,"
    " hidden_labels TEXT, description TEXT, scope_note TEXT,"
    " definition TEXT, status TEXT);"
    "CREATE TABLE skill(id INTEGER PRIMARY KEY, key TEXT UNIQUE,"
    " uri TEXT UNIQUE, label TEXT, alt_labels TEXT, hidden_labels TEXT,"
    " description TEXT, scope_note TEXT, definition TEXT, status TEXT,"
    " skill_type TEXT, reuse_level TEXT, occ_count INTEGER);"
    "CREATE TABLE occupation_skill(occupation_id INTEGER,"
    " skill_id INTEGER, essential INTEGER,"
    " PRIMARY KEY(occupation_id, skill_id)) WITHOUT ROWID;"
    "CREATE TABLE skill_relation(skill_id INTEGER, related_id INTEGER,"
    " essential INTEGER);"
    "CREATE TABLE isco_group(code TEXT PRIMARY KEY, uri TEXT, label TEXT,"
    " description TEXT, parent_code TEXT);"
    "CREATE TABLE skill_group(uri TEXT PRIMARY KEY, code TEXT, label TEXT,"
    " description TEXT, parent_uri TEXT);"
    "CREATE TABLE skill_broader(uri TEXT, broader_uri TEXT);";

static const char INDEXES[] =
    "CREATE INDEX occupation_skill_by_skill ON occupation_skill(skill_id);"
    "CREATE INDEX skill_relation_by_skill ON skill_relation(skill_id);"
    "CREATE INDEX skill_broader_by_uri ON skill_broader(uri);";

static const char *uri_key(const char *uri)
{
    const char *s = strrchr(uri, '/');
    return s ? s + 1 : uri;
}

/* Newline-joined labels; malloc'd. */
static char *join_lines(char *const *v, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(v[i]) + 1;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(v[i]);
        memcpy(p, v[i], l);
        p += l;
        if (i + 1 < n)
            *p++ = '\n';
    }
    *p = '\0';
    return s;
}

typedef struct writer {
    sqlite3 *db;
    char **errmsg;
    const char *path;
} writer;

static ss_status sql_fail(writer *w, const char *what)
{
    /* w->db may be NULL: SQLite then reports out of memory */
    ss_status st = sqlite3_errcode(w->db) == SQLITE_NOMEM ? SS_ERR_NOMEM
                                                          : SS_ERR_IO;
    return ss_set_error(w->errmsg, st, "%s: %s: %s", w->path, what,
                        sqlite3_errmsg(w->db));
}

static ss_status prep(writer *w, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(w->db, sql, -1, st, NULL) != SQLITE_OK)
        return sql_fail(w, "prepare");
    return SS_OK;
}

/* Binds the NULL-terminated list of texts to ?1..?n, steps, resets. */
static ss_status run(writer *w, sqlite3_stmt *st, const char *const *vals,
                     int n, const long long *ints, int nints)
{
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_STATIC);
    for (int i = 0; i < nints; i++)
        sqlite3_bind_int64(st, n + i + 1, ints[i]);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sql_fail(w, "insert");
    return SS_OK;
}

static ss_status write_concepts(writer *w, const ss_esco *e, int is_occ,
                                const unsigned *occ_count)
{
    sqlite3_stmt *st = NULL;
    ss_status s = prep(
        w,
        is_occ ? "INSERT INTO occupation(key,uri,code,isco,label,alt_labels,"
                 "hidden_labels,description,scope_note,definition,status,id)"
                 " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"
               : "INSERT INTO skill(key,uri,skill_type,reuse_level,label,"
                 "alt_labels,hidden_labels,description,scope_note,definition,"
                 "status,id,occ_count) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
        &st);
    size_t n = is_occ ? e->nocc : e->nskill;
    for (size_t i = 0; s == SS_OK && i < n; i++) {
        const ss_esco_concept *c = is_occ ? &e->occ[i] : &e->skill[i];
        char *alt = join_lines(c->alt, c->nalt);
        char *hid = join_lines(c->hidden, c->nhidden);
        if (!alt || !hid) {
            s = SS_ERR_NOMEM;
        } else {
            const char *v[] = {uri_key(c->uri),
                               c->uri,
                               is_occ ? c->code : c->skill_type,
                               is_occ ? c->isco : c->reuse_level,
                               c->label,
                               alt,
                               hid,
                               c->description,
                               c->scope_note,
                               c->definition,
                               c->status};
            long long ints[2] = {(long long)i + 1,
                                 is_occ ? 0 : (long long)occ_count[i]};
            s = run(w, st, v, 11, ints, is_occ ? 1 : 2);
        }
        free(alt);
        free(hid);
    }
    sqlite3_finalize(st);
    return s;
}

static ss_status write_groups(writer *w, const ss_esco_group *g, size_t n,
                              int isco)
{
    sqlite3_stmt *st = NULL;
    ss_status s = prep(
        w,
        isco ? "INSERT OR IGNORE INTO isco_group(code,uri,label,description,"
               "parent_code) VALUES(?,?,?,?,?)"
             : "INSERT OR IGNORE INTO skill_group(code,uri,label,description,"
               "parent_uri) VALUES(?,?,?,?,?)",
        &st);
    for (size_t i = 0; s == SS_OK && i < n; i++) {
        char parent[16] = "";
        size_t cl = strlen(g[i].code);
        /* ISCO codes nest by digits: 3114 -> 311 -> 31 -> 3 */
        if (isco && cl > 1 && cl < sizeof parent) {
            memcpy(parent, g[i].code, cl - 1);
            parent[cl - 1] = '\0';
        }
        const char *v[] = {g[i].code, g[i].uri, g[i].label, g[i].description,
                           isco ? parent : g[i].parent_uri};
        s = run(w, st, v, 5, NULL, 0);
    }
    sqlite3_finalize(st);
    return s;
}

static ss_status write_relations(writer *w, const ss_esco *e)
{
    sqlite3_stmt *st = NULL;
    ss_status s = prep(w,
                       "INSERT OR IGNORE INTO occupation_skill(occupation_id,"
                       "skill_id,essential) VALUES(?,?,?)",
                       &st);
    for (size_t i = 0; s == SS_OK && i < e->nrel; i++) {
        long long v[3] = {(long long)e->rel[i].occ + 1,
                          (long long)e->rel[i].skill + 1,
                          e->rel[i].essential};
        s = run(w, st, NULL, 0, v, 3);
    }
    sqlite3_finalize(st);
    st = NULL; /* finalized: must not be finalized again below */
    if (s == SS_OK)
        s = prep(w,
                 "INSERT INTO skill_relation(skill_id,related_id,essential)"
                 " VALUES(?,?,?)",
                 &st);
    for (size_t i = 0; s == SS_OK && i < e->nskillrel; i++) {
        long long v[3] = {(long long)e->skillrel[i].from + 1,
                          (long long)e->skillrel[i].to + 1,
                          e->skillrel[i].essential};
        s = run(w, st, NULL, 0, v, 3);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (s == SS_OK)
        s = prep(w, "INSERT INTO skill_broader(uri,broader_uri) VALUES(?,?)",
                 &st);
    for (size_t i = 0; s == SS_OK && i < e->nbroader; i++) {
        const char *v[] = {e->broader[i].uri, e->broader[i].broader_uri};
        s = run(w, st, v, 2, NULL, 0);
    }
    sqlite3_finalize(st);
    return s;
}

ss_status ss_catalog_write(const char *path, const ss_esco *e, char **errmsg)
{
    writer w = {.errmsg = errmsg, .path = path};
    if (sqlite3_open_v2(path, &w.db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        ss_status s = sql_fail(&w, "open");
        sqlite3_close(w.db);
        return s;
    }
    unsigned *occ_count = calloc(e->nskill + 1, sizeof *occ_count);
    ss_status s = occ_count ? SS_OK : SS_ERR_NOMEM;
    for (size_t i = 0; s == SS_OK && i < e->nrel; i++)
        occ_count[e->rel[i].skill]++;
    if (s == SS_OK && sqlite3_exec(w.db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK)
        s = sql_fail(&w, "create tables");
    if (s == SS_OK && sqlite3_exec(w.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        s = sql_fail(&w, "begin");
    if (s == SS_OK)
        s = write_concepts(&w, e, 1, occ_count);
    if (s == SS_OK)
        s = write_concepts(&w, e, 0, occ_count);
    if (s == SS_OK)
        s = write_groups(&w, e->isco, e->nisco, 1);
    if (s == SS_OK)
        s = write_groups(&w, e->skillgroup, e->nskillgroup, 0);
    if (s == SS_OK)
        s = write_relations(&w, e);
    if (s == SS_OK) {
        sqlite3_stmt *st = NULL;
        s = prep(&w, "INSERT INTO meta(key,value) VALUES('lang',?)", &st);
        if (s == SS_OK) {
            const char *v[] = {e->lang};
            s = run(&w, st, v, 1, NULL, 0);
        }
        sqlite3_finalize(st);
    }
    if (s == SS_OK && sqlite3_exec(w.db, INDEXES, NULL, NULL, NULL) != SQLITE_OK)
        s = sql_fail(&w, "create indexes");
    if (s == SS_OK && sqlite3_exec(w.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        s = sql_fail(&w, "commit");
    free(occ_count);
    if (sqlite3_close(w.db) != SQLITE_OK && s == SS_OK)
        s = ss_set_error(errmsg, SS_ERR_IO, "%s: close failed", path);
    return s;
}
