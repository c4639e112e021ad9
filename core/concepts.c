#include "concepts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ESCO's skillType and reuseLevel; the order is the facets' order. */
const ss_skill_value ss_skill_types[SS_NTYPES + 1] = {
    {"knowledge", 'k', ""},
    {"skill/competence", 's', "skill|competence"},
    {NULL, 0, NULL}};
const ss_skill_value ss_reuse_levels[SS_NREUSE + 1] = {
    {"transversal", 't', ""},
    {"cross-sector", 'c', ""},
    {"sector-specific", 's', ""},
    {"occupation-specific", 'o', ""},
    {NULL, 0, NULL}};

const ss_skill_value *ss_skill_value_find(const ss_skill_value *table,
                                          const char *v)
{
    size_t n = strlen(v);
    for (const ss_skill_value *t = table; t->name; t++) {
        if (!strcasecmp(v, t->name))
            return t;
        for (const char *a = t->aliases; *a;) {
            size_t k = strcspn(a, "|");
            if (k == n && !strncasecmp(a, v, n))
                return t;
            a += k + (a[k] == '|');
        }
    }
    return NULL;
}

void ss_skill_value_names(const ss_skill_value *table, char *buf,
                          size_t bufsz)
{
    size_t w = 0;
    buf[0] = 0;
    for (const ss_skill_value *t = table; t->name; t++) {
        const char *a = t->name;
        for (size_t k = strlen(a); w < bufsz;) {
            int n = snprintf(buf + w, bufsz - w, "%s%.*s", w ? ", " : "",
                             (int)k, a);
            w += n > 0 ? (size_t)n : 0;
            a = a == t->name ? t->aliases : a + k + (a[k] == '|');
            if (!*a)
                break;
            k = strcspn(a, "|");
        }
    }
}

static char code_of(const ss_skill_value *table, const char *v)
{
    for (const ss_skill_value *t = table; t->name; t++)
        if (!strcmp(v, t->name))
            return t->code;
    return 0;
}

/* Packs uri, isco and the label lines into one block. */
static ss_status fill(ss_concept_info *c, const char *uri, const char *isco,
                      const char *label, const char *alt, const char *hidden)
{
    size_t lu = strlen(uri) + 1, li = strlen(isco) + 1,
           ll = strlen(label) + 1, la = strlen(alt) + 1,
           lh = strlen(hidden) + 1;
    size_t n = 1;
    for (const char *p = alt; *p; p++)
        n += *p == '\n';
    for (const char *p = hidden; *p; p++)
        n += *p == '\n';
    n += (*alt != 0) + (*hidden != 0);
    c->block = malloc(lu + li + ll + la + lh);
    c->labels = malloc(n * sizeof *c->labels);
    if (!c->block || !c->labels)
        return SS_ERR_NOMEM;
    char *p = c->block;
    memcpy(p, uri, lu), c->uri = p, p += lu;
    memcpy(p, isco, li), c->isco = p, p += li;
    memcpy(p, label, ll), c->labels[c->nlabels++] = p, p += ll;
    const char *lists[2] = {alt, hidden};
    size_t lens[2] = {la, lh};
    for (int k = 0; k < 2; k++) {
        if (!*lists[k])
            continue;
        memcpy(p, lists[k], lens[k]);
        char *s = p;
        p += lens[k];
        for (;;) {
            c->labels[c->nlabels++] = s;
            char *nl = strchr(s, '\n');
            if (!nl)
                break;
            *nl = '\0';
            s = nl + 1;
        }
    }
    return SS_OK;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

static ss_status load_needs(sqlite3 *cat, ss_concepts *out, char **errmsg)
{
    size_t nskill = out->n - out->nocc, nrel = 0, cap = 1024;
    out->need_off = calloc(nskill + 2, sizeof *out->need_off);
    out->need = malloc(cap * sizeof *out->need);
    if (!out->need_off || !out->need)
        return SS_ERR_NOMEM;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(cat,
                           "SELECT skill_id, occupation_id, essential FROM"
                           " occupation_skill ORDER BY skill_id",
                           -1, &st, NULL) != SQLITE_OK)
        return ss_set_error(errmsg, SS_ERR_CORRUPT, "catalogue: %s",
                            sqlite3_errmsg(cat));
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 sk = sqlite3_column_int64(st, 0) - 1;
        sqlite3_int64 oc = sqlite3_column_int64(st, 1) - 1;
        if (sk < 0 || (size_t)sk >= nskill || oc < 0 ||
            (size_t)oc >= out->nocc)
            continue;
        if (nrel == cap) {
            uint32_t *v = realloc(out->need, cap * 2 * sizeof *v);
            if (!v) {
                sqlite3_finalize(st);
                return SS_ERR_NOMEM;
            }
            out->need = v;
            cap *= 2;
        }
        out->need[nrel++] = (uint32_t)oc |
                            (sqlite3_column_int(st, 2) ? SS_NEED_ESSENTIAL : 0);
        out->need_off[sk + 1]++;
    }
    sqlite3_finalize(st);
    for (size_t k = 0; k < nskill; k++)
        out->need_off[k + 1] += out->need_off[k];
    return SS_OK;
}

ss_status ss_concepts_load(sqlite3 *cat, ss_concepts *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    static const char *sql[2] = {
        "SELECT uri, isco, label, alt_labels, hidden_labels FROM occupation"
        " ORDER BY id",
        "SELECT uri, '', label, alt_labels, hidden_labels, skill_type,"
        " reuse_level FROM skill ORDER BY id"};
    sqlite3_int64 total = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(cat,
                           "SELECT (SELECT count(*) FROM occupation),"
                           " (SELECT count(*) FROM skill)",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return ss_set_error(errmsg, SS_ERR_CORRUPT, "catalogue: %s",
                            sqlite3_errmsg(cat));
    }
    out->nocc = (size_t)sqlite3_column_int64(st, 0);
    total = sqlite3_column_int64(st, 0) + sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    out->v = calloc((size_t)total + 1, sizeof *out->v);
    if (!out->v)
        return SS_ERR_NOMEM;
    ss_status s = SS_OK;
    for (int k = 0; k < 2 && s == SS_OK; k++) {
        if (sqlite3_prepare_v2(cat, sql[k], -1, &st, NULL) != SQLITE_OK)
            return ss_set_error(errmsg, SS_ERR_CORRUPT, "catalogue: %s",
                                sqlite3_errmsg(cat));
        while (s == SS_OK && sqlite3_step(st) == SQLITE_ROW &&
               out->n < (size_t)total) {
            s = fill(&out->v[out->n], col(st, 0), col(st, 1), col(st, 2),
                     col(st, 3), col(st, 4));
            if (k == 1) {
                out->v[out->n].stype = code_of(ss_skill_types, col(st, 5));
                out->v[out->n].reuse = code_of(ss_reuse_levels, col(st, 6));
            }
            out->n++;
        }
        sqlite3_finalize(st);
    }
    if (s == SS_OK)
        s = load_needs(cat, out, errmsg);
    if (s != SS_OK)
        ss_concepts_free(out);
    return s;
}

void ss_concepts_free(ss_concepts *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].block);
        free(c->v[i].labels);
    }
    free(c->v);
    free(c->need_off);
    free(c->need);
    memset(c, 0, sizeof *c);
}
