#include "index_build.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/memindex.h"
#include "../core/schema.h"
#include "../core/terms.h"
#include "../core/xapian_wrap.h"
#include "../synonyms/synonyms.h"

typedef struct builder {
    ss_writer *w;
    ss_analyzer *a;
    const ss_esco *e;
    char **errmsg;
    ss_build_stats *stats;
    ss_memindex_builder *lab, *con; /* labels and concepts, see memindex.h */
    char **words; /* label words for the spelling dictionary */
    size_t nwords, capwords;
    ss_analyzer *la; /* the label thread's own analyser */
    char **esyn;     /* pairs: alternative label key, preferred label key */
    size_t nesyn, capesyn;
    char *prefkey;   /* key of the concept's preferred label, while its
                        labels are added */
    ss_status lst;    /* the label thread's result */
    char *lerr;
} builder;

static ss_status push_word(builder *b, const char *w)
{
    if (b->nwords == b->capwords) {
        size_t cap = b->capwords ? b->capwords * 2 : 4096;
        char **v = realloc(b->words, cap * sizeof *v);
        if (!v)
            return SS_ERR_NOMEM;
        b->words = v;
        b->capwords = cap;
    }
    if (!(b->words[b->nwords] = strdup(w)))
        return SS_ERR_NOMEM;
    b->nwords++;
    return SS_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One Xapian call per distinct word: the spelling table is costly to
 * update word by word. */
static ss_status add_spellings(builder *b)
{
    qsort(b->words, b->nwords, sizeof *b->words, cmp_str);
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && i < b->nwords;) {
        size_t j = i + 1;
        while (j < b->nwords && !strcmp(b->words[i], b->words[j]))
            j++;
        st = ss_writer_add_spelling(b->w, b->words[i], (unsigned)(j - i),
                                    b->errmsg);
        b->stats->spellings++;
        i = j;
    }
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
        if (ss_term_prefixed(buf, sizeof buf, SS_PFX_TEXT, t.term[i])) {
            st = ss_doc_add_term(doc, buf, wdf);
            if (st == SS_OK)
                st = ss_memindex_builder_term(b->con, buf, wdf, 0);
        }
        size_t j = ss_terms_next_pair(&t, i);
        if (st == SS_OK && j < t.n &&
            snprintf(buf, sizeof buf, "%s%s %s", SS_PFX_BIGRAM, t.term[i],
                     t.term[j]) < SS_TERM_MAX)
            st = ss_memindex_builder_term(b->con, buf, wdf, 1);
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
    return SS_OK;
}


/* One small document per label: BM25 then favours labels that the query
 * covers well, whatever the length of the concept's description. */
/* ESCO's alternative and hidden labels are synonyms of the preferred one:
 * remembered here (label thread), written to Xapian after it. */
static ss_status note_synonym(builder *b, const char *key, char kind)
{
    if (kind == 'p') {
        free(b->prefkey);
        b->prefkey = strdup(key);
        return b->prefkey ? SS_OK : SS_ERR_NOMEM;
    }
    if (!b->prefkey || !strcmp(b->prefkey, key))
        return SS_OK;
    if (b->nesyn + 2 > b->capesyn) {
        size_t cap = b->capesyn ? b->capesyn * 2 : 4096;
        char **v = realloc(b->esyn, cap * sizeof *v);
        if (!v)
            return SS_ERR_NOMEM;
        b->esyn = v;
        b->capesyn = cap;
    }
    char *k = NULL;
    if (asprintf(&k, "%s%s", SS_SYN_ESCO, key) < 0)
        return SS_ERR_NOMEM;
    b->esyn[b->nesyn++] = k;
    if (!(b->esyn[b->nesyn++] = strdup(b->prefkey)))
        return SS_ERR_NOMEM;
    return SS_OK;
}

/* One small document per label, in the in-memory label index: BM25 then
 * favours labels that the query covers well, whatever the length of the
 * concept's description. */
static ss_status add_label_doc(builder *b, uint32_t ordinal,
                               const char *label, uint16_t li, char kind)
{
    ss_terms t = {0};
    ss_status st = ss_terms_add(b->la, label, strlen(label), &t);
    if (st == SS_OK)
        st = ss_memindex_builder_doc(b->lab, ordinal, li, (uint8_t)kind, NULL);
    char buf[SS_TERM_MAX + 8];
    for (size_t i = 0; st == SS_OK && i < t.n; i++) {
        if (ss_term_prefixed(buf, sizeof buf, SS_PFX_WORD, t.term[i]))
            st = ss_memindex_builder_term(b->lab, buf, 1, 0);
        size_t j = ss_terms_next_pair(&t, i);
        if (st == SS_OK && j < t.n &&
            snprintf(buf, sizeof buf, "%s%s %s", SS_PFX_BIGRAM, t.term[i],
                     t.term[j]) < SS_TERM_MAX)
            st = ss_memindex_builder_term(b->lab, buf, 1, 1);
    }
    if (st == SS_OK && ss_terms_key(&t, 0, t.n, SS_PFX_LABELKEY, buf,
                                    sizeof buf)) {
        st = ss_memindex_builder_term(b->lab, buf, 1, 1);
        if (st == SS_OK)
            st = note_synonym(b, buf + strlen(SS_PFX_LABELKEY), kind);
    }
    /* the spelling dictionary learns the words people see in labels */
    for (size_t i = 0; st == SS_OK && kind != 'h' && i < t.n; i++)
        if (!(t.tok.v[i].flags & (SS_TOK_NUMERIC | SS_TOK_STOP)) &&
            strlen(t.tok.v[i].text) > 3)
            st = push_word(b, t.tok.v[i].text);
    ss_terms_free(&t);
    if (st == SS_ERR_INVALID)
        st = SS_OK;
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
        st = ss_memindex_builder_doc(b->con, ordinal, 0, 'c', NULL);
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
        st = ss_writer_add_document(b->w, doc, NULL, b->errmsg);
    ss_doc_destroy(doc);
    return doc_status(st, b->errmsg, c->uri);
}

/* The label documents of concept c (in the label thread). */
static ss_status add_labels(builder *b, const ss_esco_concept *c,
                            uint32_t ordinal)
{
    /* label numbers follow the catalogue: 0 preferred, then alt, hidden */
    uint16_t li = 0;
    ss_status st = add_label_doc(b, ordinal, c->label, li++, 'p');
    for (size_t i = 0; st == SS_OK && i < c->nalt; i++)
        st = add_label_doc(b, ordinal, c->alt[i], li++, 'a');
    for (size_t i = 0; st == SS_OK && i < c->nhidden; i++)
        st = add_label_doc(b, ordinal, c->hidden[i], li++, 'h');
    return st;
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

/* Label documents of every concept: independent of the concept documents,
 * so they are built on the second core. */
static void *label_thread(void *arg)
{
    builder *b = arg;
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && i < b->e->nocc; i++)
        st = add_labels(b, &b->e->occ[i], (uint32_t)i);
    for (size_t i = 0; st == SS_OK && i < b->e->nskill; i++)
        st = add_labels(b, &b->e->skill[i], (uint32_t)(b->e->nocc + i));
    if (st != SS_OK && !b->lerr)
        ss_set_error(&b->lerr, st, "label documents: %s", ss_strerror(st));
    b->lst = st;
    return NULL;
}

/* Writes gendir/NAME from builder m. */
static ss_status write_memindex(ss_memindex_builder *m, const char *gendir,
                                const char *name, char **errmsg)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s", gendir, name) < 0)
        return SS_ERR_NOMEM;
    ss_status st = ss_memindex_builder_write(m, path, errmsg);
    free(path);
    return st;
}

ss_status ss_index_build(const char *gendir, const ss_esco *e,
                         ss_analyzer *a, const char *datadir, ss_progress *p,
                         ss_build_stats *stats, char **errmsg)
{
    char *dir = NULL;
    if (asprintf(&dir, "%s/xapian", gendir) < 0)
        return SS_ERR_NOMEM;
    ss_build_stats local = {0};
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    builder b = {.a = a, .e = e, .errmsg = errmsg, .stats = stats,
                 .lab = ss_memindex_builder_create(),
                 .con = ss_memindex_builder_create()};
    ss_status st = b.lab && b.con ? ss_writer_create(dir, &b.w, errmsg)
                                  : SS_ERR_NOMEM;
    free(dir);
    if (st != SS_OK) {
        ss_memindex_builder_destroy(b.lab);
        ss_memindex_builder_destroy(b.con);
        return st;
    }

    char *stop = NULL;
    if (asprintf(&stop, "%s/stop", datadir ? datadir : "data") < 0)
        stop = NULL;
    st = ss_analyzer_create(ss_analyzer_lang(a), stop, &b.la, errmsg);
    free(stop);
    pthread_t lt;
    int threaded = st == SS_OK && pthread_create(&lt, NULL, label_thread, &b) == 0;
    if (st == SS_OK && !threaded)
        label_thread(&b);
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
    if (threaded)
        pthread_join(lt, NULL);
    if (st == SS_OK && b.lst != SS_OK) {
        st = b.lst;
        if (errmsg) {
            free(*errmsg);
            *errmsg = b.lerr;
            b.lerr = NULL;
        }
    }
    free(b.lerr);
    ss_analyzer_destroy(b.la);

    if (st == SS_OK)
        st = add_spellings(&b);
    for (size_t i = 0; st == SS_OK && i + 1 < b.nesyn; i += 2)
        st = ss_writer_add_synonym(b.w, b.esyn[i], b.esyn[i + 1], errmsg);
    ss_strv_free(b.esyn, b.nesyn);
    free(b.prefkey);
    if (st == SS_OK && datadir) {
        char *sdir = NULL;
        ss_synonyms *syn = NULL;
        if (asprintf(&sdir, "%s/synonyms", datadir) < 0)
            st = SS_ERR_NOMEM;
        if (st == SS_OK)
            st = ss_synonyms_load(sdir, a, &syn, errmsg);
        if (st == SS_OK)
            st = ss_synonyms_write(syn, b.w, errmsg);
        if (st == SS_OK)
            stats->synonyms = (unsigned)(b.nesyn / 2 + ss_synonyms_count(syn));
        ss_synonyms_destroy(syn);
        free(sdir);
    }
    for (size_t i = 0; i < b.nwords; i++)
        free(b.words[i]);
    free(b.words);
    if (st == SS_OK)
        st = ss_writer_set_metadata(b.w, SS_META_SCHEMA, SS_SCHEMA_VERSION,
                                    errmsg);
    if (st == SS_OK)
        st = ss_writer_set_metadata(b.w, SS_META_LANG, e->lang, errmsg);
    if (st == SS_OK)
        st = ss_writer_commit(b.w, errmsg);
    ss_writer_destroy(b.w);
    if (st == SS_OK)
        st = write_memindex(b.lab, gendir, SS_FILE_LABELS, errmsg);
    if (st == SS_OK)
        st = write_memindex(b.con, gendir, SS_FILE_CONCEPTS, errmsg);
    ss_memindex_builder_destroy(b.lab);
    ss_memindex_builder_destroy(b.con);
    return st;
}
