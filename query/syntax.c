/* syntax.c - boolean query syntax over the Xapian concept documents (see
 * syntax.h). Xapian's QueryParser reads the structure; every word goes
 * through our analyser (so terms match what the indexer wrote), filter
 * values through the maps below. */
#include "syntax.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/schema.h"
#include "../core/terms.h"
#include "../core/xapian_wrap.h"
#include "searcher.h"

/* The analysed form of each word the parser saw, and the word, so that a
 * hit's matched terms read as typed. */
typedef struct parse_ctx {
    ss_analyzer *a;
    char **stem, **typed;
    size_t n, cap;
} parse_ctx;

static void remember(parse_ctx *c, const char *stem, const char *word,
                     size_t len)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->stem[i], stem))
            return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        char **s = realloc(c->stem, cap * sizeof *s);
        if (s)
            c->stem = s;
        char **t = realloc(c->typed, cap * sizeof *t);
        if (t)
            c->typed = t;
        if (!s || !t)
            return; /* explanations are best effort */
        c->cap = cap;
    }
    c->stem[c->n] = strdup(stem);
    c->typed[c->n] = strndup(word, len);
    if (c->stem[c->n] && c->typed[c->n])
        c->n++;
    else {
        free(c->stem[c->n]);
        free(c->typed[c->n]);
    }
}

static size_t stem_word(void *vctx, const char *word, size_t len, char *buf,
                        size_t bufsz)
{
    parse_ctx *c = vctx;
    ss_terms t = {0};
    size_t n = 0;
    /* the first term is the whole word (a compound comes before its
     * parts), as the indexer's T terms */
    if (ss_terms_add(c->a, word, len, &t) == SS_OK && t.n > 0) {
        n = strlen(t.term[0]);
        if (n < bufsz)
            memcpy(buf, t.term[0], n + 1);
        else
            n = 0;
    }
    ss_terms_free(&t);
    if (n)
        remember(c, buf, word, len);
    return n;
}

static int is_stop(void *vctx, const char *word)
{
    parse_ctx *c = vctx;
    ss_tokens t = {0};
    int stop = ss_analyzer_tokenize(c->a, word, strlen(word), &t) == SS_OK &&
               t.n == 1 && (t.v[0].flags & SS_TOK_STOP);
    ss_tokens_free(&t);
    return stop;
}

/* ------------------------------------------------------------- filters */

/* value, lower-cased, if it is one of names (NULL-terminated; "a=b" maps
 * a to b), else 0 and a message listing them. */
static int map_choice(const char *field, const char *value,
                      const char *const *names, char *buf, size_t bufsz)
{
    for (size_t i = 0; names[i]; i++) {
        const char *eq = strchr(names[i], '=');
        size_t n = eq ? (size_t)(eq - names[i]) : strlen(names[i]);
        if (strlen(value) == n && !strncasecmp(value, names[i], n)) {
            snprintf(buf, bufsz, "%s", eq ? eq + 1 : names[i]);
            return 1;
        }
    }
    int w = snprintf(buf, bufsz, "%s: unknown value '%.40s' (one of:", field,
                     value);
    for (size_t i = 0; names[i] && w > 0 && (size_t)w < bufsz; i++)
        w += snprintf(buf + w, bufsz - (size_t)w, " %.*s",
                      (int)strcspn(names[i], "="), names[i]);
    if (w > 0 && (size_t)w < bufsz)
        snprintf(buf + w, bufsz - (size_t)w, ")");
    return 0;
}

static int map_type(void *ctx, const char *v, char *buf, size_t bufsz)
{
    (void)ctx;
    static const char *const names[] = {
        "occupation=" SS_TYPE_OCC, "occupations=" SS_TYPE_OCC,
        "skill=" SS_TYPE_SKILL, "skills=" SS_TYPE_SKILL, NULL};
    return map_choice("type", v, names, buf, bufsz);
}

/* A skill filter's ESCO value, or 0 and a message listing the choices. */
static int map_skill_value(const char *field, const ss_skill_value *table,
                           const char *v, char *buf, size_t bufsz)
{
    const ss_skill_value *t = ss_skill_value_find(table, v);
    if (t) {
        snprintf(buf, bufsz, "%s", t->name);
        return 1;
    }
    char names[160];
    ss_skill_value_names(table, names, sizeof names);
    snprintf(buf, bufsz, "%s: unknown value '%.40s' (one of: %s)", field, v,
             names);
    return 0;
}

static int map_sktype(void *ctx, const char *v, char *buf, size_t bufsz)
{
    (void)ctx;
    return map_skill_value("skilltype", ss_skill_types, v, buf, bufsz);
}

static int map_reuse(void *ctx, const char *v, char *buf, size_t bufsz)
{
    (void)ctx;
    return map_skill_value("reuse", ss_reuse_levels, v, buf, bufsz);
}

static int map_isco(void *ctx, const char *v, char *buf, size_t bufsz)
{
    (void)ctx;
    if (ss_isco_valid(v)) {
        snprintf(buf, bufsz, "%s", v);
        return 1;
    }
    snprintf(buf, bufsz, "isco: '%.40s' is not 1 to 4 digits", v);
    return 0;
}

/* Words with no field ("") match labels, skills and descriptions. */
enum { F_TYPE = 6 };
static const ss_qp_field FIELDS[] = {
    {"", SS_PFX_LABEL, NULL, NULL},
    {"", SS_PFX_SKILLS, NULL, NULL},
    {"", SS_PFX_DESC, NULL, NULL},
    {"label", SS_PFX_LABEL, NULL, NULL},
    {"skill", SS_PFX_SKILLS, NULL, NULL},
    {"isco", SS_PFX_ISCO, map_isco, NULL},
    {"type", SS_PFX_TYPE, map_type, NULL}, /* F_TYPE: fallback set per query */
    {"skilltype", SS_PFX_SKTYPE, map_sktype, NULL},
    {"reuse", SS_PFX_REUSE, map_reuse, NULL},
};
#define NFIELDS (sizeof FIELDS / sizeof FIELDS[0])
#define FIELD_NAMES "label, skill, isco, type, skilltype, reuse"

/* What the parser would misread without a word: a field we do not have
 * ("title:manager" would search the words "title" and "manager"), and
 * input too large or too deep for a bounded parse. */
static ss_status precheck(const char *q, size_t len, char **errmsg)
{
    if (len > SS_SYNTAX_MAX_BYTES)
        return ss_set_error(errmsg, SS_ERR_BAD_QUERY,
                            "query is %zu bytes long; at most %d in syntax "
                            "mode", len, SS_SYNTAX_MAX_BYTES);
    if (!ss_utf8_valid(q, len))
        return ss_set_error(errmsg, SS_ERR_BAD_QUERY,
                            "query is not valid UTF-8");
    int quoted = 0, depth = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)q[i];
        if (ch == '"')
            quoted = !quoted;
        if (quoted || ch == '"')
            continue;
        if (ch == '(' && ++depth > SS_SYNTAX_MAX_DEPTH)
            return ss_set_error(errmsg, SS_ERR_BAD_QUERY,
                                "brackets nested more than %d deep",
                                SS_SYNTAX_MAX_DEPTH);
        if (ch == ')' && depth)
            depth--;
        int boundary = i == 0 || strchr(" \t\r\n(+-", q[i - 1]);
        if (!isalpha(ch) || !boundary)
            continue;
        size_t j = i;
        while (j < len && (isalnum((unsigned char)q[j]) || q[j] == '_'))
            j++;
        if (j + 1 < len && q[j] == ':' && !isspace((unsigned char)q[j + 1])) {
            size_t k = 0;
            while (k < NFIELDS && !(*FIELDS[k].name &&
                                    strlen(FIELDS[k].name) == j - i &&
                                    !memcmp(FIELDS[k].name, q + i, j - i)))
                k++;
            if (k == NFIELDS)
                return ss_set_error(errmsg, SS_ERR_BAD_QUERY,
                                    "unknown field '%.*s:' (fields: "
                                    FIELD_NAMES ")",
                                    (int)(j - i > 40 ? 40 : j - i), q + i);
        }
        i = j - 1;
    }
    return SS_OK;
}

static int word_byte(char ch)
{
    return isalnum((unsigned char)ch) || (unsigned char)ch >= 0x80;
}

/* The text as a C string for the parser, each word before a '*' (outside
 * quotes) replaced by its stem: the parser expands "nurse*" against the
 * index terms as typed, and the index holds "nurs". NULL: no memory. */
static char *stem_wildcards(ss_analyzer *a, const char *q, size_t len)
{
    char *out = malloc(len + 1);
    size_t o = 0;
    int quoted = 0;
    for (size_t i = 0; out && i < len;) {
        if (quoted || !word_byte(q[i])) {
            quoted ^= q[i] == '"';
            out[o++] = q[i++];
            continue;
        }
        size_t j = i;
        while (j < len && word_byte(q[j]))
            j++;
        ss_terms t = {0};
        if (j < len && q[j] == '*' &&
            ss_terms_add(a, q + i, j - i, &t) == SS_OK && t.n == 1 &&
            strlen(t.term[0]) <= j - i) {
            memcpy(out + o, t.term[0], strlen(t.term[0]));
            o += strlen(t.term[0]);
        } else {
            memcpy(out + o, q + i, j - i);
            o += j - i;
        }
        ss_terms_free(&t);
        i = j;
    }
    if (out)
        out[o] = '\0';
    return out;
}

/* ------------------------------------------------------------- results */

static void push(char ***v, size_t *n, char *s)
{
    char **nv = s ? realloc(*v, (*n + 1) * sizeof *nv) : NULL;
    if (!nv) {
        free(s);
        return;
    }
    *v = nv;
    nv[(*n)++] = s;
}

/* The typed words behind the terms hit i matched, and per field which. */
static void explain(const parse_ctx *c, ss_results *r, size_t i, ss_hit *h)
{
    static const struct {
        const char *prefix, *name;
    } fields[] = {{SS_PFX_LABEL, "label"},
                  {SS_PFX_SKILLS, "skill"},
                  {SS_PFX_DESC, "description"}};
    size_t n = 0;
    const char *const *terms = ss_results_terms(r, i, &n);
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        char line[512];
        int w = snprintf(line, sizeof line, "%s:", fields[f].name);
        size_t plen = strlen(fields[f].prefix), words = 0;
        for (size_t t = 0; t < n; t++) {
            if (strncmp(terms[t], fields[f].prefix, plen))
                continue;
            for (size_t k = 0; k < c->n; k++) {
                if (strcmp(c->stem[k], terms[t] + plen))
                    continue;
                int seen = 0;
                for (size_t m = 0; m < h->nmatched; m++)
                    seen |= !strcmp(h->matched[m], c->typed[k]);
                if (!seen)
                    push(&h->matched, &h->nmatched, strdup(c->typed[k]));
                if (w > 0 && (size_t)w < sizeof line)
                    w += snprintf(line + w, sizeof line - (size_t)w, " %s",
                                  c->typed[k]);
                words++;
                break;
            }
        }
        if (words && w > 0)
            push(&h->reasons, &h->nreasons, strdup(line));
    }
}

static ss_status fill(const ss_rank_input *in, const parse_ctx *c,
                      ss_results *r, ss_hits *out, char **errmsg)
{
    size_t n = ss_results_count(r);
    out->total_estimate = ss_results_estimate(r);
    out->v = calloc(n + 1, sizeof *out->v);
    if (!out->v)
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        unsigned docid = ss_results_docid(r, i);
        if (docid == 0 || docid > in->concepts->n)
            return ss_set_error(errmsg, SS_ERR_CORRUPT,
                                "Xapian document %u has no concept in the "
                                "catalogue", docid);
        const ss_concept_info *ci = &in->concepts->v[docid - 1];
        ss_hit *h = &out->v[out->n++];
        h->ordinal = docid - 1;
        h->uri = strdup(ci->uri);
        h->label = strdup(ci->labels[0]);
        h->isco = strdup(ci->isco);
        h->type = strdup(h->ordinal < in->concepts->nocc ? "occupation"
                                                         : "skill");
        h->score = ss_results_weight(r, i);
        if (!h->uri || !h->label || !h->isco || !h->type)
            return SS_ERR_NOMEM;
        explain(c, r, i, h);
    }
    return SS_OK;
}

/* The filter term of code in table (e.g. XKknowledge), 0 for no code. */
static int filter_term(const ss_skill_value *table, const char *prefix,
                       char code, char *buf, size_t bufsz)
{
    for (const ss_skill_value *t = table; code && t->name; t++)
        if (t->code == code) {
            snprintf(buf, bufsz, "%s%s", prefix, t->name);
            return 1;
        }
    return 0;
}

ss_status ss_syntax_search(ss_searcher *s, const ss_search_req *req,
                           ss_hits *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    size_t len = req->len ? req->len : strlen(req->text);
    ss_status st = precheck(req->text, len, errmsg);
    if (st != SS_OK)
        return st;
    /* "" is no filter, as in free text */
    int has_isco = req->isco && *req->isco;
    if (has_isco && !ss_isco_valid(req->isco))
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "isco filter must be 1 to 4 digits");
    ss_rank_input in;
    ss_searcher_rank_input(s, &in);
    if (ss_searcher_doccount(s) != in.concepts->n)
        return ss_set_error(errmsg, SS_ERR_CORRUPT,
                            "the Xapian database holds %u documents but the "
                            "catalogue %zu concepts", ss_searcher_doccount(s),
                            in.concepts->n);
    char *text = stem_wildcards(in.a, req->text, len);
    if (!text)
        return SS_ERR_NOMEM;

    ss_qp_field fields[NFIELDS];
    memcpy(fields, FIELDS, sizeof fields);
    fields[F_TYPE].fallback = req->kind == SS_KIND_SKILL
                                  ? SS_PFX_TYPE SS_TYPE_SKILL
                                  : SS_PFX_TYPE SS_TYPE_OCC;
    /* the request's filters, as the fields' terms */
    char isco[16], sktype[64], reuse[64];
    const char *filters[3];
    size_t nf = 0;
    if (has_isco) {
        snprintf(isco, sizeof isco, "%s%s", SS_PFX_ISCO, req->isco);
        filters[nf++] = isco;
    }
    if (filter_term(ss_skill_types, SS_PFX_SKTYPE, req->skilltype, sktype,
                    sizeof sktype))
        filters[nf++] = sktype;
    if (filter_term(ss_reuse_levels, SS_PFX_REUSE, req->reuse, reuse,
                    sizeof reuse))
        filters[nf++] = reuse;
    parse_ctx c = {.a = in.a};
    ss_qp_config cfg = {.fields = fields,
                        .nfields = NFIELDS,
                        .stem = stem_word,
                        .is_stop = is_stop,
                        .ctx = &c,
                        .filters = filters,
                        .nfilters = nf};
    ss_query *q = NULL;
    ss_results *r = NULL;
    st = ss_query_parse(in.db, text, &cfg, &q, errmsg);
    ss_search_opts o;
    ss_search_opts_init(&o);
    o.offset = req->offset;
    o.limit = req->limit ? req->limit : 10;
    o.check_at_least = 1000;
    o.want_terms = 1;
    if (st == SS_OK)
        st = ss_db_search(in.db, q, &o, &r, errmsg);
    if (st == SS_OK)
        st = fill(&in, &c, r, out, errmsg);
    if (st != SS_OK)
        ss_hits_free(out);
    ss_results_destroy(r);
    ss_query_destroy(q);
    ss_strv_free(c.stem, c.n);
    ss_strv_free(c.typed, c.n);
    free(text);
    return st;
}
