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
    /* Xapian documents go through a queue to the writer thread, which then
     * also writes spelling, synonyms and commits: Xapian's own work runs
     * beside the analysis instead of after it */
    pthread_mutex_t mu;
    pthread_cond_t more, room;
#define QCAP 8192 /* documents; room for the writer's synonym spell */
    ss_doc *queue[QCAP];
    int labels_done;  /* the label thread has finished (words, esyn) */
    size_t qhead, qlen;
    int docs_done;
    ss_status wst;
    char *werr;
    const ss_synonyms *curated;
    pthread_t lt;
    int threaded;
    const char *gendir;
    size_t *rel_off;  /* occupation i's relations: rel[rel_off[i]..[i+1]) */
    struct tlist *skterms; /* per skill: its label's terms, once analysed */
    char **esyn;     /* pairs: alternative label key, preferred label key */
    size_t nesyn, capesyn;
    char *prefkey;   /* key of the concept's preferred label, while its
                        labels are added */
    unsigned pos;     /* next free position in the concept document */
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

/* One Xapian call per distinct word (b->words is sorted by the label
 * thread): the spelling table is costly to update word by word. */
static ss_status add_spellings(builder *b, char **errmsg)
{
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && i < b->nwords;) {
        size_t j = i + 1;
        while (j < b->nwords && !strcmp(b->words[i], b->words[j]))
            j++;
        st = ss_writer_add_spelling(b->w, b->words[i], (unsigned)(j - i),
                                    errmsg);
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

/* The index terms of a text: "T<stem>" per word and "B<stem> <stem>" per
 * adjacent pair (bigram[i] set), in text order, with each word's position
 * in the text (compound parts share their compound's). */
typedef struct tlist {
    char **t;
    unsigned char *bigram;
    unsigned *pos;
    size_t n, cap;
} tlist;

static void tlist_free(tlist *l)
{
    ss_strv_free(l->t, l->n);
    free(l->bigram);
    free(l->pos);
    memset(l, 0, sizeof *l);
}

static ss_status tlist_push(tlist *l, const char *term, int bigram,
                            unsigned pos)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **t = realloc(l->t, cap * sizeof *t);
        if (t)
            l->t = t;
        unsigned char *g = realloc(l->bigram, cap);
        if (g)
            l->bigram = g;
        unsigned *p = realloc(l->pos, cap * sizeof *p);
        if (p)
            l->pos = p;
        if (!t || !g || !p)
            return SS_ERR_NOMEM;
        l->cap = cap;
    }
    if (!(l->t[l->n] = strdup(term)))
        return SS_ERR_NOMEM;
    l->pos[l->n] = pos;
    l->bigram[l->n++] = (unsigned char)bigram;
    return SS_OK;
}

static ss_status text_terms(ss_analyzer *a, const char *text, tlist *out)
{
    if (!text || !*text)
        return SS_OK;
    ss_terms t = {0};
    ss_status st = ss_terms_add(a, text, strlen(text), &t);
    char buf[SS_TERM_MAX + 8];
    for (size_t i = 0; st == SS_OK && i < t.n; i++) {
        if (ss_term_prefixed(buf, sizeof buf, SS_PFX_TEXT, t.term[i]))
            st = tlist_push(out, buf, 0, t.tok.v[i].pos);
        if (st == SS_OK &&
            ss_terms_bigram(&t, i, SS_PFX_BIGRAM, buf, sizeof buf))
            st = tlist_push(out, buf, 1, 0);
    }
    ss_terms_free(&t);
    /* invalid UTF-8 was rejected by the loader; anything else is fatal */
    return st == SS_ERR_INVALID ? SS_OK : st;
}

/* Words go to the concept memindex as T terms and to Xapian under the
 * prefix of their field (L labels, S skills, D descriptions); bigrams go
 * only to the memindex (its phrase signal). Label and skill words carry
 * positions, for phrases and NEAR in query/syntax.c: each text starts
 * SS_POS_GAP after the last word of the one before, so that no phrase
 * spans two labels. Description words have none (they would double the
 * Xapian database for phrases few would write). */
static ss_status emit_terms(builder *b, ss_doc *doc, const tlist *l,
                            unsigned wdf, const char *field)
{
    ss_status st = SS_OK;
    unsigned last = 0;
    int positional = strcmp(field, SS_PFX_DESC) != 0;
    char buf[SS_TERM_MAX + 8];
    size_t plen = strlen(SS_PFX_TEXT);
    for (size_t i = 0; st == SS_OK && i < l->n; i++) {
        if (!l->bigram[i] &&
            ss_term_prefixed(buf, sizeof buf, field, l->t[i] + plen)) {
            if (positional)
                st = ss_doc_add_posting(doc, buf, b->pos + l->pos[i], wdf);
            else
                st = ss_doc_add_term(doc, buf, wdf);
            if (l->pos[i] > last)
                last = l->pos[i];
        }
        if (st == SS_OK)
            st = ss_memindex_builder_term(b->con, l->t[i], wdf,
                                          l->bigram[i]);
    }
    if (positional)
        b->pos += last + SS_POS_GAP;
    return st;
}

/* Adds the terms of text to the concept with weight wdf. */
static ss_status add_text(builder *b, ss_doc *doc, const char *text,
                          unsigned wdf, const char *field)
{
    tlist l = {0};
    ss_status st = text_terms(b->a, text, &l);
    if (st == SS_OK)
        st = emit_terms(b, doc, &l, wdf, field);
    tlist_free(&l);
    return st;
}

/* An occupation's skills: the terms of each skill's label, analysed once
 * per skill (they recur across ~40 occupations each). */
static ss_status add_skill_terms(builder *b, ss_doc *doc, size_t occ)
{
    ss_status st = SS_OK;
    for (size_t r = b->rel_off[occ]; st == SS_OK && r < b->rel_off[occ + 1];
         r++) {
        const ss_esco_rel *rel = &b->e->rel[r];
        tlist *l = &b->skterms[rel->skill];
        if (!l->t && !l->cap)
            st = text_terms(b->a, b->e->skill[rel->skill].label, l);
        if (st == SS_OK)
            st = emit_terms(b, doc, l,
                            rel->essential ? SS_WDF_ESS : SS_WDF_OPT,
                            SS_PFX_SKILLS);
    }
    return st;
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

static ss_status add_filters(ss_doc *doc, const char *type,
                             const ss_esco_concept *c)
{
    char buf[SS_TERM_MAX + 8];
    ss_status st;
    snprintf(buf, sizeof buf, "%s%s", SS_PFX_TYPE, type);
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

/* Hands doc to the writer thread, which destroys it. Returns the
 * writer's status so far (a failed write stops the build early). */
static ss_status queue_doc(builder *b, ss_doc *doc)
{
    pthread_mutex_lock(&b->mu);
    while (b->qlen == QCAP)
        pthread_cond_wait(&b->room, &b->mu);
    b->queue[(b->qhead + b->qlen) % QCAP] = doc;
    b->qlen++;
    ss_status st = b->wst;
    pthread_cond_signal(&b->more);
    pthread_mutex_unlock(&b->mu);
    return st;
}

static ss_status add_concept(builder *b, const ss_esco_concept *c,
                             uint32_t ordinal, int is_occ)
{
    ss_doc *doc = ss_doc_create();
    if (!doc)
        return SS_ERR_NOMEM;
    b->pos = 1;
    ss_status st = ss_memindex_builder_doc(b->con, ordinal, 0, 'c', NULL);
    if (st == SS_OK)
        st = add_text(b, doc, c->label, SS_WDF_LABEL, SS_PFX_LABEL);
    for (size_t i = 0; st == SS_OK && i < c->nalt; i++)
        st = add_text(b, doc, c->alt[i], SS_WDF_ALT, SS_PFX_LABEL);
    for (size_t i = 0; st == SS_OK && i < c->nhidden; i++)
        st = add_text(b, doc, c->hidden[i], SS_WDF_HIDDEN, SS_PFX_LABEL);
    if (st == SS_OK)
        st = add_text(b, doc, c->description, SS_WDF_DESC, SS_PFX_DESC);
    if (st == SS_OK)
        st = add_text(b, doc, c->scope_note, SS_WDF_DESC, SS_PFX_DESC);
    if (st == SS_OK)
        st = add_text(b, doc, c->definition, SS_WDF_DESC, SS_PFX_DESC);
    if (st == SS_OK && is_occ)
        st = add_skill_terms(b, doc, ordinal);
    if (st == SS_OK)
        st = add_filters(doc, is_occ ? SS_TYPE_OCC : SS_TYPE_SKILL, c);
    if (st == SS_OK)
        return queue_doc(b, doc);
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
    if (st == SS_OK && b->nwords) /* for add_spellings; NULL is UB */
        qsort(b->words, b->nwords, sizeof *b->words, cmp_str);
    if (st == SS_OK)
        st = write_memindex(b->lab, b->gendir, SS_FILE_LABELS, &b->lerr);
    ss_memindex_builder_destroy(b->lab);
    b->lab = NULL;
    if (st != SS_OK && !b->lerr)
        ss_set_error(&b->lerr, st, "label documents: %s", ss_strerror(st));
    pthread_mutex_lock(&b->mu);
    b->lst = st;
    b->labels_done = 1;
    pthread_cond_signal(&b->more);
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* Everything that goes into Xapian, in one thread: the concept documents
 * as they come, then (once the label thread is done) the spelling
 * dictionary and the synonyms, then the commit. */
/* Spelling words and ESCO synonyms, from the label thread's lists. */
static ss_status write_extras(builder *b, char **err)
{
    ss_status st = b->lst;
    if (st == SS_OK)
        st = add_spellings(b, err);
    for (size_t i = 0; st == SS_OK && i + 1 < b->nesyn; i += 2)
        st = ss_writer_add_synonym(b->w, b->esyn[i], b->esyn[i + 1], err);
    if (st == SS_OK)
        st = ss_synonyms_write(b->curated, b->w, err);
    return st;
}

static void *writer_thread(void *arg)
{
    builder *b = arg;
    ss_status st = SS_OK;
    char *err = NULL;
    int extras = 0;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->qlen && !b->docs_done && !(b->labels_done && !extras))
            pthread_cond_wait(&b->more, &b->mu);
        if (b->labels_done && !extras) {
            /* while the concept documents are still being analysed */
            extras = 1;
            pthread_mutex_unlock(&b->mu);
            if (st == SS_OK)
                st = write_extras(b, &err);
            pthread_mutex_lock(&b->mu);
            b->wst = st;
            continue;
        }
        if (!b->qlen)
            break;
        ss_doc *doc = b->queue[b->qhead];
        b->qhead = (b->qhead + 1) % QCAP;
        b->qlen--;
        pthread_cond_signal(&b->room);
        pthread_mutex_unlock(&b->mu);
        if (st == SS_OK)
            st = ss_writer_add_document(b->w, doc, NULL, &err);
        ss_doc_destroy(doc);
        pthread_mutex_lock(&b->mu);
        b->wst = st;
    }
    int failed = b->docs_done == 2;
    pthread_mutex_unlock(&b->mu);
    if (b->threaded)
        pthread_join(b->lt, NULL);
    if (failed) {
        b->werr = err;
        return NULL;
    }
    if (st == SS_OK && !extras) /* no label thread ran */
        st = write_extras(b, &err);
    if (st == SS_OK)
        st = ss_writer_set_metadata(b->w, SS_META_SCHEMA, SS_SCHEMA_VERSION,
                                    &err);
    if (st == SS_OK)
        st = ss_writer_set_metadata(b->w, SS_META_LANG, b->e->lang, &err);
    if (st == SS_OK)
        st = ss_writer_commit(b->w, &err);
    b->wst = st;
    b->werr = err;
    return NULL;
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

    char *stop = NULL, *sdir = NULL;
    ss_synonyms *curated = NULL;
    /* asprintf leaves its pointer undefined when it fails */
    if (asprintf(&stop, "%s/stop", datadir ? datadir : "data") < 0)
        stop = NULL;
    if (asprintf(&sdir, "%s/synonyms", datadir ? datadir : "data") < 0)
        sdir = NULL;
    if (!stop || !sdir)
        st = SS_ERR_NOMEM;
    else
        st = ss_analyzer_create(ss_analyzer_lang(a), stop, &b.la, errmsg);
    if (st == SS_OK)
        st = ss_synonyms_load(sdir, a, &curated, errmsg);
    free(stop);
    free(sdir);
    b.curated = curated;
    b.gendir = gendir;
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.more, NULL);
    pthread_cond_init(&b.room, NULL);
    b.threaded = st == SS_OK &&
                 pthread_create(&b.lt, NULL, label_thread, &b) == 0;
    if (st == SS_OK && !b.threaded)
        label_thread(&b);
    pthread_t wt;
    int writing = st == SS_OK &&
                  pthread_create(&wt, NULL, writer_thread, &b) == 0;
    if (st == SS_OK && !writing)
        st = ss_set_error(errmsg, SS_ERR_INTERNAL, "cannot start a thread");
    /* relations come sorted by occupation (esco.h) */
    b.rel_off = calloc(e->nocc + 2, sizeof *b.rel_off);
    b.skterms = calloc(e->nskill + 1, sizeof *b.skterms);
    if (st == SS_OK && (!b.rel_off || !b.skterms))
        st = SS_ERR_NOMEM;
    for (size_t r = 0; st == SS_OK && r < e->nrel; r++) {
        if (r && e->rel[r].occ < e->rel[r - 1].occ)
            st = ss_set_error(errmsg, SS_ERR_INTERNAL,
                              "relations are not sorted by occupation");
        else
            b.rel_off[e->rel[r].occ + 1]++;
    }
    for (size_t i = 0; st == SS_OK && i < e->nocc; i++)
        b.rel_off[i + 1] += b.rel_off[i];
    ss_progress_set_total(p, e->nocc + e->nskill);
    for (size_t i = 0; st == SS_OK && i < e->nocc; i++) {
        st = add_concept(&b, &e->occ[i], (uint32_t)i, 1);
        stats->occ_docs++;
        ss_progress_update(p, i + 1);
    }
    for (size_t i = 0; st == SS_OK && i < e->nskill; i++) {
        st = add_concept(&b, &e->skill[i], (uint32_t)(e->nocc + i), 0);
        stats->skill_docs++;
        ss_progress_update(p, e->nocc + i + 1);
    }
    for (size_t k = 0; b.skterms && k < e->nskill; k++)
        tlist_free(&b.skterms[k]);
    free(b.skterms);
    free(b.rel_off);
    pthread_mutex_lock(&b.mu);
    b.docs_done = st == SS_OK ? 1 : 2; /* 2: stop, nothing to commit */
    pthread_cond_signal(&b.more);
    pthread_mutex_unlock(&b.mu);
    /* the concept index is written while the writer thread commits */
    if (st == SS_OK)
        st = write_memindex(b.con, gendir, SS_FILE_CONCEPTS, errmsg);
    ss_memindex_builder_destroy(b.con);
    if (writing)
        pthread_join(wt, NULL);
    else if (b.threaded)
        pthread_join(b.lt, NULL);
    /* first error wins: ours, then the label thread's, then the writer's */
    char **src = b.lst != SS_OK ? &b.lerr : &b.werr;
    ss_status other = b.lst != SS_OK ? b.lst : b.wst;
    if (st == SS_OK && other != SS_OK) {
        st = other;
        if (errmsg) {
            free(*errmsg);
            *errmsg = *src;
            *src = NULL;
        }
    } else if (st != SS_OK && errmsg && !*errmsg && b.werr) {
        *errmsg = b.werr; /* our queue_doc saw the writer fail */
        b.werr = NULL;
    }
    if (st == SS_OK)
        stats->synonyms =
            (unsigned)(b.nesyn / 2 + ss_synonyms_count(curated));
    free(b.lerr);
    free(b.werr);
    ss_analyzer_destroy(b.la);
    ss_synonyms_destroy(curated);
    ss_strv_free(b.esyn, b.nesyn);
    free(b.prefkey);
    for (size_t i = 0; i < b.nwords; i++)
        free(b.words[i]);
    free(b.words);
    ss_memindex_builder_destroy(b.lab);
    ss_writer_destroy(b.w);
    pthread_mutex_destroy(&b.mu);
    pthread_cond_destroy(&b.more);
    pthread_cond_destroy(&b.room);
    return st;
}
