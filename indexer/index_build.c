#include "index_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/docmap.h"
#include "../core/schema.h"
#include "../core/terms.h"
#include "../core/xapian_wrap.h"

typedef struct builder {
    ss_writer *w;
    ss_analyzer *a;
    const ss_esco *e;
    char **errmsg;
    ss_build_stats *stats;
    ss_docmap map;
} builder;

/* Adds doc and records which concept/label it stands for. */
static ss_status add_doc(builder *b, ss_doc *doc, uint32_t concept,
                         uint16_t label, uint8_t kind)
{
    unsigned docid = 0;
    ss_status st = ss_writer_add_document(b->w, doc, &docid, b->errmsg);
    if (st == SS_OK)
        st = ss_docmap_push(&b->map, concept, label, kind);
    if (st == SS_OK && docid != b->map.n)
        st = ss_set_error(b->errmsg, SS_ERR_INTERNAL,
                          "docid %u out of sequence (expected %zu)", docid,
                          b->map.n);
    return st;
}

static ss_status doc_status(ss_status st, char **errmsg, const char *what)
{
    if (st != SS_OK && errmsg && !*errmsg)
        ss_set_error(errmsg, st, "building %s: %s", what, ss_strerror(st));
    return st;
}

/* Adds the terms of text to the T field with weight wdf. */
static ss_status add_text(builder *b, ss_doc *doc, const char *text,
                          unsigned wdf)
{
    if (!text || !*text)
        return SS_OK;
    ss_terms t = {0};
    ss_status st = ss_terms_add(b->a, text, strlen(text), &t);
    char buf[SS_TERM_MAX + 8];
    for (size_t i = 0; st == SS_OK && i < t.n; i++) {
        if (ss_term_prefixed(buf, sizeof buf, SS_PFX_TEXT, t.term[i]))
            st = ss_doc_add_term(doc, buf, wdf);
        size_t j = ss_terms_next_pair(&t, i);
        if (st == SS_OK && j < t.n &&
            snprintf(buf, sizeof buf, "%s%s %s", SS_PFX_BIGRAM, t.term[i],
                     t.term[j]) < SS_TERM_MAX)
            st = ss_doc_add_term(doc, buf, wdf);
    }
    ss_terms_free(&t);
    /* invalid UTF-8 was rejected by the loader; anything else is fatal */
    return st == SS_ERR_INVALID ? SS_OK : st;
}

static ss_status add_isco_terms(ss_doc *doc, const char *isco)
{
    char buf[16];
    size_t n = strlen(isco);
    ss_status st = SS_OK;
    for (size_t i = 1; st == SS_OK && i <= n && i <= 4; i++) {
        snprintf(buf, sizeof buf, "%s%.*s", SS_PFX_ISCO, (int)i, isco);
        st = ss_doc_add_boolean_term(doc, buf);
    }
    return st;
}

static ss_status add_filters(builder *b, ss_doc *doc, const char *type,
                             const ss_esco_concept *c)
{
    char buf[SS_TERM_MAX + 8];
    ss_status st;
    snprintf(buf, sizeof buf, "%s%s", SS_PFX_TYPE, type);
    if ((st = ss_doc_add_boolean_term(doc, buf)) != SS_OK)
        return st;
    snprintf(buf, sizeof buf, "%s%s", SS_PFX_LANG, b->e->lang);
    if ((st = ss_doc_add_boolean_term(doc, buf)) != SS_OK)
        return st;
    if (c->isco && *c->isco && (st = add_isco_terms(doc, c->isco)) != SS_OK)
        return st;
    if (c->skill_type && *c->skill_type) {
        snprintf(buf, sizeof buf, "%s%s", SS_PFX_SKTYPE, c->skill_type);
        if ((st = ss_doc_add_boolean_term(doc, buf)) != SS_OK)
            return st;
    }
    if (c->reuse_level && *c->reuse_level) {
        snprintf(buf, sizeof buf, "%s%s", SS_PFX_REUSE, c->reuse_level);
        if ((st = ss_doc_add_boolean_term(doc, buf)) != SS_OK)
            return st;
    }
    return ss_doc_set_value(doc, SS_SLOT_CONCEPT, c->uri, strlen(c->uri));
}

static ss_status set_data(ss_doc *doc, const ss_esco_concept *c,
                          int is_occ, const char *label)
{
    char *data = NULL;
    int n = asprintf(&data, "%s\t%s\t%s\t%s\t%s", c->uri,
                     is_occ ? SS_TYPE_OCC : SS_TYPE_SKILL, c->label,
                     is_occ ? c->isco : "", label ? label : "");
    if (n < 0)
        return SS_ERR_NOMEM;
    ss_status st = ss_doc_set_data(doc, data, (size_t)n);
    free(data);
    return st;
}

/* One small document per label: BM25 then favours labels that the query
 * covers well, whatever the length of the concept's description. */
static ss_status add_label_doc(builder *b, const ss_esco_concept *c,
                               uint32_t ordinal, int is_occ,
                               const char *label, uint16_t li, char kind)
{
    ss_doc *doc = ss_doc_create();
    if (!doc)
        return SS_ERR_NOMEM;
    ss_terms t = {0};
    ss_status st = ss_terms_add(b->a, label, strlen(label), &t);
    char buf[SS_TERM_MAX + 8];
    for (size_t i = 0; st == SS_OK && i < t.n; i++)
        if (ss_term_prefixed(buf, sizeof buf, SS_PFX_WORD, t.term[i]))
            st = ss_doc_add_posting(doc, buf, t.tok.v[i].pos + 1, 1);
    if (st == SS_OK && ss_terms_key(&t, 0, t.n, SS_PFX_LABELKEY, buf,
                                    sizeof buf))
        st = ss_doc_add_term(doc, buf, 1);
    /* the spelling dictionary learns the words people see in labels */
    for (size_t i = 0; st == SS_OK && kind != 'h' && i < t.n; i++)
        if (!(t.tok.v[i].flags & (SS_TOK_NUMERIC | SS_TOK_STOP)) &&
            strlen(t.tok.v[i].text) > 3) {
            st = ss_writer_add_spelling(b->w, t.tok.v[i].text, 1, b->errmsg);
            b->stats->spellings++;
        }
    ss_terms_free(&t);
    if (st == SS_ERR_INVALID)
        st = SS_OK;
    char k[2] = {kind, 0};
    if (st == SS_OK)
        st = add_filters(b, doc, is_occ ? SS_TYPE_OCCLABEL : SS_TYPE_SKLABEL,
                         c);
    if (st == SS_OK)
        st = ss_doc_set_value(doc, SS_SLOT_LABELKIND, k, 1);
    if (st == SS_OK)
        st = set_data(doc, c, is_occ, label);
    if (st == SS_OK)
        st = add_doc(b, doc, ordinal, li, (uint8_t)kind);
    ss_doc_destroy(doc);
    if (st == SS_OK)
        b->stats->label_docs++;
    return st;
}

static ss_status add_concept(builder *b, const ss_esco_concept *c,
                             uint32_t ordinal, int is_occ, const char *ess,
                             const char *opt)
{
    ss_doc *doc = ss_doc_create();
    if (!doc)
        return SS_ERR_NOMEM;
    char idterm[SS_TERM_MAX + 8];
    snprintf(idterm, sizeof idterm, "%s%s", SS_PFX_ID, c->uri);
    ss_status st = ss_doc_add_boolean_term(doc, idterm);
    if (st == SS_OK)
        st = add_text(b, doc, c->label, SS_WDF_LABEL);
    for (size_t i = 0; st == SS_OK && i < c->nalt; i++)
        st = add_text(b, doc, c->alt[i], SS_WDF_ALT);
    for (size_t i = 0; st == SS_OK && i < c->nhidden; i++)
        st = add_text(b, doc, c->hidden[i], SS_WDF_HIDDEN);
    if (st == SS_OK)
        st = add_text(b, doc, c->description, SS_WDF_DESC);
    if (st == SS_OK)
        st = add_text(b, doc, c->scope_note, SS_WDF_DESC);
    if (st == SS_OK)
        st = add_text(b, doc, c->definition, SS_WDF_DESC);
    if (st == SS_OK && ess)
        st = add_text(b, doc, ess, SS_WDF_ESS);
    if (st == SS_OK && opt)
        st = add_text(b, doc, opt, SS_WDF_OPT);
    if (st == SS_OK)
        st = add_filters(b, doc, is_occ ? SS_TYPE_OCC : SS_TYPE_SKILL, c);
    if (st == SS_OK)
        st = set_data(doc, c, is_occ, NULL);
    if (st == SS_OK)
        st = add_doc(b, doc, ordinal, 0, 'c');
    ss_doc_destroy(doc);
    if (st != SS_OK)
        return doc_status(st, b->errmsg, c->uri);

    /* label numbers follow the catalogue: 0 preferred, then alt, hidden */
    uint16_t li = 0;
    st = add_label_doc(b, c, ordinal, is_occ, c->label, li++, 'p');
    for (size_t i = 0; st == SS_OK && i < c->nalt; i++)
        st = add_label_doc(b, c, ordinal, is_occ, c->alt[i], li++, 'a');
    for (size_t i = 0; st == SS_OK && i < c->nhidden; i++)
        st = add_label_doc(b, c, ordinal, is_occ, c->hidden[i], li++, 'h');
    return doc_status(st, b->errmsg, c->uri);
}

/* Skill labels of each occupation, newline-joined, split by relation. */
static ss_status collect_skill_text(const ss_esco *e, char ***ess,
                                    char ***opt)
{
    size_t *elen = calloc(e->nocc + 1, sizeof *elen);
    size_t *olen = calloc(e->nocc + 1, sizeof *olen);
    *ess = calloc(e->nocc + 1, sizeof **ess);
    *opt = calloc(e->nocc + 1, sizeof **opt);
    ss_status st = (elen && olen && *ess && *opt) ? SS_OK : SS_ERR_NOMEM;
    for (size_t i = 0; st == SS_OK && i < e->nrel; i++) {
        const ss_esco_rel *r = &e->rel[i];
        char ***dst = r->essential ? ess : opt;
        size_t *lens = r->essential ? elen : olen;
        const char *label = e->skill[r->skill].label;
        size_t l = strlen(label);
        char *p = realloc((*dst)[r->occ], lens[r->occ] + l + 2);
        if (!p) {
            st = SS_ERR_NOMEM;
            break;
        }
        memcpy(p + lens[r->occ], label, l);
        p[lens[r->occ] + l] = '\n';
        p[lens[r->occ] + l + 1] = '\0';
        lens[r->occ] += l + 1;
        (*dst)[r->occ] = p;
    }
    free(elen);
    free(olen);
    return st;
}

static void free_text_array(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

ss_status ss_index_build(const char *gendir, const ss_esco *e,
                         ss_analyzer *a, const char *datadir, ss_progress *p,
                         ss_build_stats *stats, char **errmsg)
{
    char *dir = NULL, *mapfile = NULL;
    if (asprintf(&dir, "%s/xapian", gendir) < 0)
        return SS_ERR_NOMEM;
    if (asprintf(&mapfile, "%s/docmap.bin", gendir) < 0) {
        free(dir);
        return SS_ERR_NOMEM;
    }
    (void)datadir;
    ss_build_stats local = {0};
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    builder b = {.a = a, .e = e, .errmsg = errmsg, .stats = stats};
    ss_status st = ss_writer_create(dir, &b.w, errmsg);
    free(dir);
    if (st != SS_OK) {
        free(mapfile);
        return st;
    }

    char **ess = NULL, **opt = NULL;
    st = collect_skill_text(e, &ess, &opt);
    ss_progress_set_total(p, e->nocc + e->nskill);
    for (size_t i = 0; st == SS_OK && i < e->nocc; i++) {
        st = add_concept(&b, &e->occ[i], (uint32_t)i, 1, ess[i], opt[i]);
        stats->occ_docs++;
        ss_progress_update(p, i + 1);
    }
    for (size_t i = 0; st == SS_OK && i < e->nskill; i++) {
        st = add_concept(&b, &e->skill[i], (uint32_t)(e->nocc + i), 0, NULL,
                         NULL);
        stats->skill_docs++;
        ss_progress_update(p, e->nocc + i + 1);
    }
    free_text_array(ess, e->nocc + 1);
    free_text_array(opt, e->nocc + 1);

    if (st == SS_OK)
        st = ss_writer_set_metadata(b.w, SS_META_SCHEMA, SS_SCHEMA_VERSION, errmsg);
    if (st == SS_OK)
        st = ss_writer_set_metadata(b.w, SS_META_LANG, e->lang, errmsg);
    if (st == SS_OK)
        st = ss_writer_commit(b.w, errmsg);
    ss_writer_destroy(b.w);
    if (st == SS_OK)
        st = ss_docmap_write(&b.map, mapfile, errmsg);
    ss_docmap_free(&b.map);
    free(mapfile);
    return st;
}
