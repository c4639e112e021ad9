/* esco.c - loads an ESCO CSV download (see esco.h).
 *
 * Choices the header leaves open:
 * - occ[], skill[] and skillgroup[] are sorted by URI, isco[] by code; a
 *   repeated key keeps its first row (later rows warned and skipped).
 * - rel[] and skillrel[] are sorted by (from, to) and hold each pair once.
 * - An ISCO group's parent comes from its code (3114 -> 311), which works
 *   for every language; a skill group's parent from skillsHierarchy, else
 *   from broaderRelationsSkillPillar, which also fills e->broader.
 * - Empty skillType/reuseLevel are kept as "" without a warning.
 * - Relation files are ignored when there is no skills file (fr/nl).
 */
#include "esco.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_reader.h"

/* The files we read, in load order: relations need the concepts first. */
enum {
    F_OCC, F_SKILL, F_ISCO, F_SKILLGROUP, F_HIER, F_BROADER, F_OCCSKILL,
    F_SKILLSKILL, F_COUNT
};
static const char *const file_base[F_COUNT] = {
    "occupations", "skills", "ISCOGroups", "skillGroups", "skillsHierarchy",
    "broaderRelationsSkillPillar", "occupationSkillRelations",
    "skillSkillRelations",
};

typedef struct loader {
    const ss_esco_load_opts *opts;
    ss_esco *e;
    char *path[F_COUNT]; /* NULL: file absent */
    unsigned long long size[F_COUNT];
    unsigned long long done, total; /* bytes of finished files, all files */
    int oom;
} loader;

static void warn(loader *L, const char *file, unsigned long line,
                 const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void warn(loader *L, const char *file, unsigned long line,
                 const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    L->e->nwarnings++;
    if (L->opts && L->opts->warn)
        L->opts->warn(L->opts->ctx, file, line, field, msg);
    else
        fprintf(stderr, "%s:%lu: warning: field '%s': %s\n", file, line,
                field, msg);
}

static void progress(loader *L, const ss_csv *c)
{
    if (L->opts && L->opts->progress)
        L->opts->progress(L->opts->ctx, L->done + (c ? ss_csv_bytes(c) : 0),
                          L->total);
}

/* Copies s[0..n) trimmed of ASCII white space; NULL (and L->oom) when out of
 * memory, so a row can be built first and checked once. */
static char *dup_trim(loader *L, const char *s, size_t n)
{
    while (n && strchr(" \t\r\n\v\f", s[0]))
        s++, n--;
    while (n && strchr(" \t\r\n\v\f", s[n - 1]))
        n--;
    char *r = malloc(n + 1);
    if (!r) {
        L->oom = 1;
        return NULL;
    }
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

static char *field_dup(loader *L, const ss_csv *c, long col)
{
    size_t n;
    const char *s = ss_csv_field(c, col, &n);
    return dup_trim(L, s, n);
}

static int grow(loader *L, void *pp, size_t *cap, size_t n, size_t elsz)
{
    void **p = pp;
    if (n < *cap)
        return 1;
    size_t nc = *cap ? *cap * 2 : 64;
    void *q = realloc(*p, nc * elsz);
    if (!q) {
        L->oom = 1;
        return 0;
    }
    *p = q;
    *cap = nc;
    return 1;
}

static int in_list(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* Splits a newline-separated label list: trimmed, no "", no repeats of
 * the preferred label, of each other or of the labels in `also`. */
static void split_labels(loader *L, const char *s, size_t n, const char *pref,
                         char **also, size_t nalso, char ***out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    size_t cap = 0;
    while (n) {
        const char *nl = memchr(s, '\n', n);
        size_t k = nl ? (size_t)(nl - s) : n;
        char *lab = dup_trim(L, s, k);
        if (!lab)
            return;
        if (!lab[0] || strcmp(lab, pref) == 0 || in_list(*out, *nout, lab) ||
            in_list(also, nalso, lab) ||
            !grow(L, out, &cap, *nout, sizeof **out))
            free(lab);
        else
            (*out)[(*nout)++] = lab;
        s += k;
        n -= k;
        if (n)
            s++, n--;
    }
}

static void concept_free(ss_esco_concept *c)
{
    free(c->uri);
    free(c->label);
    for (size_t i = 0; i < c->nalt; i++)
        free(c->alt[i]);
    free(c->alt);
    for (size_t i = 0; i < c->nhidden; i++)
        free(c->hidden[i]);
    free(c->hidden);
    free(c->description);
    free(c->scope_note);
    free(c->definition);
    free(c->status);
    free(c->code);
    free(c->isco);
    free(c->skill_type);
    free(c->reuse_level);
}

static void group_free(ss_esco_group *g)
{
    free(g->uri);
    free(g->code);
    free(g->label);
    free(g->description);
    free(g->parent_uri);
}

/* ---- sorting with "first row wins" ---- */

/* Rows are {unsigned long line; PAYLOAD}: sorted by payload, ties by line,
 * so the first row of a repeated key stays and the others go to on_dup. */
typedef struct sort_ctx {
    int (*cmp)(const void *, const void *);
    size_t off;
} sort_ctx;

static int cmp_row(const void *a, const void *b, void *ctx)
{
    const sort_ctx *s = ctx;
    int r = s->cmp((const char *)a + s->off, (const char *)b + s->off);
    if (r)
        return r;
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return (x > y) - (x < y);
}

typedef void (*dup_fn)(loader *L, const char *file, unsigned long line,
                       void *payload);

/* Sorts rows[n] (each rowsz bytes, payload of psz bytes at off) and packs
 * the unique payloads into a new array *out. Returns 0 when out of memory
 * (rows are then left for the caller to free). */
static int sort_unique(loader *L, const char *file, void *rows, size_t n,
                       size_t rowsz, size_t off, size_t psz,
                       int (*cmp)(const void *, const void *), dup_fn on_dup,
                       void **out, size_t *nout)
{
    char *v = malloc((n ? n : 1) * psz);
    if (!v) {
        L->oom = 1;
        return 0;
    }
    sort_ctx ctx = {cmp, off};
    if (n) /* rows is NULL when there are none */
        qsort_r(rows, n, rowsz, cmp_row, &ctx);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        char *r = (char *)rows + i * rowsz;
        if (m && cmp(v + (m - 1) * psz, r + off) == 0)
            on_dup(L, file, *(unsigned long *)r, r + off);
        else
            memcpy(v + m++ * psz, r + off, psz);
    }
    *out = v;
    *nout = m;
    return 1;
}

/* ---- generic file plumbing ---- */

static ss_status open_file(loader *L, int f, const char *const *req,
                           size_t nreq, long *idx, ss_csv **out,
                           char **errmsg)
{
    ss_status st = ss_csv_open(L->path[f], out, errmsg);
    if (st == SS_OK && (st = ss_csv_require(*out, req, nreq, idx, errmsg))) {
        ss_csv_close(*out);
        *out = NULL;
    }
    return st;
}

/* Next row with a progress report now and then; as ss_csv_next. */
static int next_row(loader *L, ss_csv *c, unsigned long *rows, ss_status *st,
                    char **errmsg)
{
    if (L->oom) {
        *st = ss_set_error(errmsg, SS_ERR_NOMEM, "%s: out of memory",
                           ss_csv_path(c));
        return 0;
    }
    if ((++*rows & 4095) == 0)
        progress(L, c);
    return ss_csv_next(c, st, errmsg);
}

static void close_file(loader *L, int f, ss_csv *c)
{
    ss_csv_close(c);
    L->done += L->size[f];
    progress(L, NULL);
}

static ss_status oom_error(loader *L, int f, char **errmsg)
{
    return ss_set_error(errmsg, SS_ERR_NOMEM, "%s: out of memory",
                        L->path[f]);
}

/* ---- concepts: occupations and skills ---- */

enum {
    C_URI, C_LABEL, C_ALT, C_HIDDEN, C_DESC, C_SCOPE, C_DEF, C_STATUS, C_CODE,
    C_ISCO, C_STYPE, C_REUSE, C_N
};
static const char *const concept_cols[C_N] = {
    "conceptUri", "preferredLabel", "altLabels", "hiddenLabels",
    "description", "scopeNote", "definition", "status", "code", "iscoGroup",
    "skillType", "reuseLevel",
};

typedef struct concept_row {
    unsigned long line;
    ss_esco_concept c;
} concept_row;

static int cmp_concept(const void *a, const void *b)
{
    return strcmp(((const ss_esco_concept *)a)->uri,
                  ((const ss_esco_concept *)b)->uri);
}

static void dup_concept(loader *L, const char *file, unsigned long line,
                        void *p)
{
    ss_esco_concept *c = p;
    warn(L, file, line, "conceptUri",
         "duplicate URI %s (an earlier row is kept), row skipped", c->uri);
    concept_free(c);
}

static void read_concept(loader *L, const ss_csv *c, const long *col,
                         ss_esco_concept *k)
{
    k->uri = field_dup(L, c, col[C_URI]);
    k->label = field_dup(L, c, col[C_LABEL]);
    k->description = field_dup(L, c, col[C_DESC]);
    k->scope_note = field_dup(L, c, col[C_SCOPE]);
    k->definition = field_dup(L, c, col[C_DEF]);
    k->status = field_dup(L, c, col[C_STATUS]);
    k->code = field_dup(L, c, col[C_CODE]);
    k->isco = field_dup(L, c, col[C_ISCO]);
    k->skill_type = field_dup(L, c, col[C_STYPE]);
    k->reuse_level = field_dup(L, c, col[C_REUSE]);
    if (L->oom)
        return;
    size_t n;
    const char *s = ss_csv_field(c, col[C_ALT], &n);
    split_labels(L, s, n, k->label, NULL, 0, &k->alt, &k->nalt);
    s = ss_csv_field(c, col[C_HIDDEN], &n);
    split_labels(L, s, n, k->label, k->alt, k->nalt, &k->hidden,
                 &k->nhidden);
}

/* Loads occupations or skills, sorted by URI. An empty skillType or
 * reuseLevel is kept as "" without a warning: ESCO has a few such skills
 * and they are still searchable. */
static ss_status load_concepts(loader *L, int f, ss_esco_concept **out,
                               size_t *nout, char **errmsg)
{
    long col[C_N];
    ss_csv *c;
    ss_status st = open_file(L, f, concept_cols, 2, col, &c, errmsg);
    if (st)
        return st;
    for (size_t i = 2; i < C_N; i++)
        col[i] = ss_csv_column(c, concept_cols[i]);
    const char *file = L->path[f];

    concept_row *rows = NULL;
    size_t n = 0, cap = 0;
    unsigned long nrows = 0;
    while (next_row(L, c, &nrows, &st, errmsg)) {
        if (!grow(L, &rows, &cap, n, sizeof *rows))
            continue;
        concept_row *r = &rows[n];
        memset(r, 0, sizeof *r);
        r->line = ss_csv_line(c);
        read_concept(L, c, col, &r->c);
        if (L->oom) {
            concept_free(&r->c);
            continue;
        }
        if (!r->c.uri[0]) {
            warn(L, file, r->line, "conceptUri", "empty URI, row skipped");
            concept_free(&r->c);
            continue;
        }
        if (!r->c.label[0])
            warn(L, file, r->line, "preferredLabel", "empty preferred label");
        if (f == F_OCC && col[C_ISCO] >= 0 &&
            (strlen(r->c.isco) != 4 || strspn(r->c.isco, "0123456789") != 4))
            warn(L, file, r->line, "iscoGroup",
                 "'%s' is not a 4-digit ISCO unit group", r->c.isco);
        n++;
    }
    close_file(L, f, c);
    void *v = NULL;
    if (!st && !sort_unique(L, file, rows, n, sizeof *rows,
                            offsetof(concept_row, c), sizeof(ss_esco_concept),
                            cmp_concept, dup_concept, &v, nout))
        st = oom_error(L, f, errmsg);
    if (st)
        for (size_t i = 0; i < n; i++)
            concept_free(&rows[i].c);
    free(rows);
    *out = v;
    return st;
}

static long find_concept(const ss_esco_concept *v, size_t n, const char *uri)
{
    ss_esco_concept key = {.uri = (char *)uri};
    const ss_esco_concept *p =
        n ? bsearch(&key, v, n, sizeof *v, cmp_concept) : NULL;
    return p ? (long)(p - v) : -1;
}

long ss_esco_find_occ(const ss_esco *e, const char *uri)
{
    return find_concept(e->occ, e->nocc, uri);
}

long ss_esco_find_skill(const ss_esco *e, const char *uri)
{
    return find_concept(e->skill, e->nskill, uri);
}

/* ---- groups: ISCOGroups (keyed by code) and skillGroups (by URI) ---- */

enum { G_URI, G_CODE, G_LABEL, G_DESC, G_N };
static const char *const group_cols[G_N] = {"conceptUri", "code",
                                            "preferredLabel", "description"};

typedef struct group_row {
    unsigned long line;
    ss_esco_group g;
} group_row;

static int cmp_group_uri(const void *a, const void *b)
{
    return strcmp(((const ss_esco_group *)a)->uri,
                  ((const ss_esco_group *)b)->uri);
}

static int cmp_group_code(const void *a, const void *b)
{
    return strcmp(((const ss_esco_group *)a)->code,
                  ((const ss_esco_group *)b)->code);
}

static void dup_group_uri(loader *L, const char *file, unsigned long line,
                          void *p)
{
    ss_esco_group *g = p;
    warn(L, file, line, "conceptUri",
         "duplicate URI %s (an earlier row is kept), row skipped", g->uri);
    group_free(g);
}

static void dup_group_code(loader *L, const char *file, unsigned long line,
                           void *p)
{
    ss_esco_group *g = p;
    warn(L, file, line, "code",
         "duplicate code %s (an earlier row is kept), row skipped", g->code);
    group_free(g);
}

static ss_esco_group *find_group(ss_esco_group *v, size_t n, const char *key,
                                 int by_code)
{
    ss_esco_group k = {.uri = (char *)key, .code = (char *)key};
    return n ? bsearch(&k, v, n, sizeof *v,
                       by_code ? cmp_group_code : cmp_group_uri)
             : NULL;
}

/* Replaces an empty string member with a copy of s. */
static void fill(loader *L, char **dst, const char *s)
{
    if ((*dst)[0] || !s[0])
        return;
    char *d = dup_trim(L, s, strlen(s));
    if (d) {
        free(*dst);
        *dst = d;
    }
}

static ss_status load_groups(loader *L, int f, ss_esco_group **out,
                             size_t *nout, char **errmsg)
{
    int by_code = f == F_ISCO;
    static const char *const req_isco[] = {"conceptUri", "preferredLabel",
                                           "code"};
    long col[G_N], req[3];
    ss_csv *c;
    ss_status st = open_file(L, f, req_isco, by_code ? 3 : 2, req, &c,
                             errmsg);
    if (st)
        return st;
    for (size_t i = 0; i < G_N; i++)
        col[i] = ss_csv_column(c, group_cols[i]);
    const char *file = L->path[f];

    group_row *rows = NULL;
    size_t n = 0, cap = 0;
    unsigned long nrows = 0;
    while (next_row(L, c, &nrows, &st, errmsg)) {
        if (!grow(L, &rows, &cap, n, sizeof *rows))
            continue;
        group_row *r = &rows[n];
        r->line = ss_csv_line(c);
        r->g.uri = field_dup(L, c, col[G_URI]);
        r->g.code = field_dup(L, c, col[G_CODE]);
        r->g.label = field_dup(L, c, col[G_LABEL]);
        r->g.description = field_dup(L, c, col[G_DESC]);
        r->g.parent_uri = dup_trim(L, "", 0);
        if (L->oom) {
            group_free(&r->g);
        } else if (!r->g.uri[0] || (by_code && !r->g.code[0])) {
            warn(L, file, r->line, r->g.uri[0] ? "code" : "conceptUri",
                 "empty value, row skipped");
            group_free(&r->g);
        } else {
            n++;
        }
    }
    close_file(L, f, c);
    void *v = NULL;
    if (!st &&
        !sort_unique(L, file, rows, n, sizeof *rows, offsetof(group_row, g),
                     sizeof(ss_esco_group),
                     by_code ? cmp_group_code : cmp_group_uri,
                     by_code ? dup_group_code : dup_group_uri, &v, nout))
        st = oom_error(L, f, errmsg);
    if (st)
        for (size_t i = 0; i < n; i++)
            group_free(&rows[i].g);
    free(rows);
    *out = v;
    if (st || !by_code)
        return st;

    /* ISCO is positional: the parent of 3114 is 311. */
    ss_esco_group *g = v;
    char code[16];
    for (size_t i = 0; i < *nout; i++) {
        size_t len = strlen(g[i].code);
        if (len < 2 || len >= sizeof code)
            continue;
        memcpy(code, g[i].code, len - 1);
        code[len - 1] = '\0';
        ss_esco_group *p = find_group(g, *nout, code, 1);
        if (p)
            fill(L, &g[i].parent_uri, p->uri);
    }
    return L->oom ? oom_error(L, f, errmsg) : SS_OK;
}

/* skillsHierarchy: one row per path "Level 0 URI" .. "Level 3 URI"; gives
 * skill groups their parent and the codes skillGroups leaves empty. */
static ss_status load_hierarchy(loader *L, char **errmsg)
{
    ss_esco *e = L->e;
    long uri[4], code[4];
    static const char *const req[] = {"Level 0 URI"};
    ss_csv *c;
    ss_status st = open_file(L, F_HIER, req, 1, uri, &c, errmsg);
    if (st)
        return st;
    for (int k = 0; k < 4; k++) {
        char name[32];
        snprintf(name, sizeof name, "Level %d URI", k);
        uri[k] = ss_csv_column(c, name);
        snprintf(name, sizeof name, "Level %d code", k);
        code[k] = ss_csv_column(c, name);
    }
    unsigned long nrows = 0;
    while (next_row(L, c, &nrows, &st, errmsg)) {
        const char *parent = "";
        for (int k = 0; k < 4; k++) {
            const char *u = ss_csv_field(c, uri[k], NULL);
            if (!u[0])
                break;
            ss_esco_group *g =
                find_group(e->skillgroup, e->nskillgroup, u, 0);
            if (g) {
                fill(L, &g->parent_uri, parent);
                fill(L, &g->code, ss_csv_field(c, code[k], NULL));
            }
            parent = u;
        }
    }
    close_file(L, F_HIER, c);
    return st;
}

/* broaderRelationsSkillPillar: kept whole in e->broader; also the parent
 * of a skill group the hierarchy file did not place. */
static ss_status load_broader(loader *L, char **errmsg)
{
    ss_esco *e = L->e;
    static const char *const req[] = {"conceptUri", "broaderUri"};
    long col[2];
    ss_csv *c;
    ss_status st = open_file(L, F_BROADER, req, 2, col, &c, errmsg);
    if (st)
        return st;
    size_t cap = 0;
    unsigned long nrows = 0;
    while (next_row(L, c, &nrows, &st, errmsg)) {
        const char *u = ss_csv_field(c, col[0], NULL);
        const char *b = ss_csv_field(c, col[1], NULL);
        if (!u[0] || !b[0]) {
            warn(L, L->path[F_BROADER], ss_csv_line(c), req[u[0] ? 1 : 0],
                 "empty URI, row skipped");
            continue;
        }
        if (!grow(L, &e->broader, &cap, e->nbroader, sizeof *e->broader))
            continue;
        ss_esco_broader *r = &e->broader[e->nbroader];
        r->uri = dup_trim(L, u, strlen(u));
        r->broader_uri = dup_trim(L, b, strlen(b));
        if (!r->uri || !r->broader_uri) {
            free(r->uri);
            free(r->broader_uri);
            continue;
        }
        e->nbroader++;
        ss_esco_group *g = find_group(e->skillgroup, e->nskillgroup, u, 0);
        if (g)
            fill(L, &g->parent_uri, b);
    }
    close_file(L, F_BROADER, c);
    return st;
}

/* ---- relations ---- */

typedef struct rel_row {
    unsigned long line;
    ss_esco_rel r; /* same layout as ss_esco_skillrel */
} rel_row;

static int cmp_rel(const void *a, const void *b)
{
    const ss_esco_rel *x = a, *y = b;
    if (x->occ != y->occ)
        return x->occ < y->occ ? -1 : 1;
    return (x->skill > y->skill) - (x->skill < y->skill);
}

static void dup_rel(loader *L, const char *file, unsigned long line, void *p)
{
    (void)p;
    warn(L, file, line, "relationType",
         "duplicate relation (an earlier row is kept), row skipped");
}

/* occupationSkillRelations (skillskill = 0) or skillSkillRelations:
 * sorted by (from, to), pairs unique, unknown URIs warned and skipped. */
static ss_status load_rels(loader *L, int skillskill, char **errmsg)
{
    ss_esco *e = L->e;
    static const char *const occ_req[] = {"occupationUri", "relationType",
                                          "skillUri"};
    static const char *const sk_req[] = {"originalSkillUri", "relationType",
                                         "relatedSkillUri"};
    const char *const *req = skillskill ? sk_req : occ_req;
    int f = skillskill ? F_SKILLSKILL : F_OCCSKILL;
    long col[3];
    ss_csv *c;
    ss_status st = open_file(L, f, req, 3, col, &c, errmsg);
    if (st)
        return st;
    const char *file = L->path[f];

    rel_row *rows = NULL;
    size_t n = 0, cap = 0;
    unsigned long nrows = 0;
    while (next_row(L, c, &nrows, &st, errmsg)) {
        unsigned long line = ss_csv_line(c);
        const char *a = ss_csv_field(c, col[0], NULL);
        const char *type = ss_csv_field(c, col[1], NULL);
        const char *b = ss_csv_field(c, col[2], NULL);
        long ia = skillskill ? ss_esco_find_skill(e, a)
                             : ss_esco_find_occ(e, a);
        long ib = ss_esco_find_skill(e, b);
        int essential = strcmp(type, "essential") == 0;
        if (ia < 0) {
            warn(L, file, line, req[0], "unknown %s %s, relation skipped",
                 skillskill ? "skill" : "occupation", a);
        } else if (ib < 0) {
            warn(L, file, line, req[2], "unknown skill %s, relation skipped",
                 b);
        } else if (!essential && strcmp(type, "optional") != 0) {
            warn(L, file, line, req[1],
                 "'%s' is neither essential nor optional, relation skipped",
                 type);
        } else if (grow(L, &rows, &cap, n, sizeof *rows)) {
            rows[n].line = line;
            rows[n].r.occ = (unsigned)ia;
            rows[n].r.skill = (unsigned)ib;
            rows[n].r.essential = (unsigned)essential;
            n++;
        }
    }
    close_file(L, f, c);
    void *v = NULL;
    size_t nv = 0;
    if (!st && !sort_unique(L, file, rows, n, sizeof *rows,
                            offsetof(rel_row, r), sizeof(ss_esco_rel),
                            cmp_rel, dup_rel, &v, &nv))
        st = oom_error(L, f, errmsg);
    free(rows);
    if (st)
        return st;
    if (skillskill) {
        e->skillrel = v; /* same layout, checked below */
        e->nskillrel = nv;
    } else {
        e->rel = v;
        e->nrel = nv;
    }
    return SS_OK;
}

_Static_assert(sizeof(ss_esco_rel) == sizeof(ss_esco_skillrel) &&
                   offsetof(ss_esco_rel, skill) ==
                       offsetof(ss_esco_skillrel, to) &&
                   offsetof(ss_esco_rel, essential) ==
                       offsetof(ss_esco_skillrel, essential),
               "ss_esco_rel and ss_esco_skillrel must share a layout");

/* ---- entry points ---- */

/* Finds <base>_<lang>.csv, else <base>.csv (v1.1 relation files have no
 * language suffix, v1.2 ones do). */
static ss_status find_file(loader *L, const char *dir, const char *lang,
                           int f, char **errmsg)
{
    for (int pass = 0; pass < 2; pass++) {
        char *p = NULL;
        int r = pass == 0 ? asprintf(&p, "%s/%s_%s.csv", dir, file_base[f],
                                     lang)
                          : asprintf(&p, "%s/%s.csv", dir, file_base[f]);
        if (r < 0)
            return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
        struct stat sb;
        if (stat(p, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
            L->path[f] = p;
            L->size[f] = (unsigned long long)sb.st_size;
            L->total += L->size[f];
            return SS_OK;
        }
        free(p);
    }
    return SS_OK;
}

static int lang_ok(const char *lang)
{
    size_t n = strlen(lang);
    return n >= 2 && n <= 16 &&
           strspn(lang, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "-_") == n;
}

ss_status ss_esco_load(const char *dir, const char *lang,
                       const ss_esco_load_opts *opts, ss_esco **out,
                       char **errmsg)
{
    *out = NULL;
    if (!dir || !lang || !lang_ok(lang))
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "bad language code '%s' (expected e.g. en, fr)",
                            lang ? lang : "(null)");
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return ss_set_error(errmsg, SS_ERR_NOT_FOUND,
                            "%s: no such directory", dir);

    loader L = {.opts = opts};
    ss_status st = SS_OK;
    L.e = calloc(1, sizeof *L.e);
    if (!L.e || !(L.e->lang = strdup(lang))) {
        st = ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
        goto done;
    }
    ss_esco *e = L.e;
    for (int f = 0; f < F_COUNT && !st; f++)
        st = find_file(&L, dir, lang, f, errmsg);
    if (st)
        goto done;
    if (!L.path[F_OCC]) {
        st = ss_set_error(errmsg, SS_ERR_NOT_FOUND,
                          "%s: no occupations_%s.csv (expected the unzipped "
                          "ESCO CSV download for language '%s')",
                          dir, lang, lang);
        goto done;
    }
    progress(&L, NULL);

    st = load_concepts(&L, F_OCC, &e->occ, &e->nocc, errmsg);
    if (!st && L.path[F_SKILL])
        st = load_concepts(&L, F_SKILL, &e->skill, &e->nskill, errmsg);
    if (!st && L.path[F_ISCO])
        st = load_groups(&L, F_ISCO, &e->isco, &e->nisco, errmsg);
    if (!st && L.path[F_SKILLGROUP])
        st = load_groups(&L, F_SKILLGROUP, &e->skillgroup, &e->nskillgroup,
                         errmsg);
    if (!st && L.path[F_HIER])
        st = load_hierarchy(&L, errmsg);
    if (!st && L.path[F_BROADER])
        st = load_broader(&L, errmsg);
    /* Without a skills file every skill relation would be "unknown": the
     * fr/nl downloads ship relations but no skills, so skip them quietly. */
    if (!st && L.path[F_OCCSKILL] && e->nskill)
        st = load_rels(&L, 0, errmsg);
    if (!st && L.path[F_SKILLSKILL] && e->nskill)
        st = load_rels(&L, 1, errmsg);
    if (!st && L.oom)
        st = ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    if (!st) {
        L.done = L.total;
        progress(&L, NULL);
    }

done:
    for (int f = 0; f < F_COUNT; f++)
        free(L.path[f]);
    if (st) {
        ss_esco_destroy(L.e);
        return st;
    }
    *out = L.e;
    return SS_OK;
}

void ss_esco_destroy(ss_esco *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nocc; i++)
        concept_free(&e->occ[i]);
    free(e->occ);
    for (size_t i = 0; i < e->nskill; i++)
        concept_free(&e->skill[i]);
    free(e->skill);
    free(e->rel);
    free(e->skillrel);
    for (size_t i = 0; i < e->nisco; i++)
        group_free(&e->isco[i]);
    free(e->isco);
    for (size_t i = 0; i < e->nskillgroup; i++)
        group_free(&e->skillgroup[i]);
    free(e->skillgroup);
    for (size_t i = 0; i < e->nbroader; i++) {
        free(e->broader[i].uri);
        free(e->broader[i].broader_uri);
    }
    free(e->broader);
    free(e->lang);
    free(e);
}
