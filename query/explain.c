#include "explain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/schema.h"

/* Appends s (taken over; NULL means no memory) unless v has it. */
static ss_status strv_push(char ***v, size_t *n, char *s)
{
    if (!s)
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*v)[i], s)) {
            free(s);
            return SS_OK;
        }
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) {
        free(s);
        return SS_ERR_NOMEM;
    }
    *v = nv;
    nv[(*n)++] = s;
    return SS_OK;
}

static ss_status reason(ss_hit *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static ss_status reason(ss_hit *h, const char *fmt, ...)
{
    va_list ap;
    char *r = NULL;
    va_start(ap, fmt);
    int n = vasprintf(&r, fmt, ap);
    va_end(ap);
    return strv_push(&h->reasons, &h->nreasons, n >= 0 ? r : NULL);
}

ss_status ss_explain_label(const ss_rank_input *in, const ss_cand *c,
                           ss_hit *h)
{
    const ss_concept_info *ci = &in->concepts->v[c->concept];
    uint32_t doc = c->ev[SS_SIG_LABEL];
    uint16_t li = ss_memindex_label(in->labels, doc);
    uint8_t kind = ss_memindex_kind(in->labels, doc);
    const char *what = kind == 'a'   ? "alternative label"
                       : kind == 'h' ? "hidden label"
                                     : "label";
    return li < ci->nlabels ? reason(h, "%s: %s", what, ci->labels[li])
                            : SS_OK;
}

/* Said when the vectors found it, or when the text matched and the
 * meaning is near exact. */
ss_status ss_explain_vector(const ss_rank_input *in, const ss_cand *c,
                            ss_hit *h)
{
    const ss_concept_info *ci = &in->concepts->v[c->concept];
    uint32_t li = c->ev[SS_SIG_VECTOR];
    if (li >= ci->nlabels ||
        ((c->found & (1u << SS_SIG_LABEL)) && c->cosine < 0.9))
        return SS_OK;
    return reason(h, "similar meaning: %s (%.2f)", ci->labels[li],
                  (double)c->cosine);
}

ss_status ss_explain_exact(const ss_rank_input *in, const ss_cand *c,
                           ss_hit *h)
{
    (void)in, (void)c;
    return reason(h, "the query is its name");
}

/* Said when the title classifier is fairly sure; a faint guess among
 * many is no reason. */
ss_status ss_explain_meaning(const ss_rank_input *in, const ss_cand *c,
                             ss_hit *h)
{
    (void)in;
    double p = c->sig[SS_SIG_MEANING];
    return p >= 0.05 ? reason(h, "titles like it in training (%.2f)", p)
                     : SS_OK;
}

ss_status ss_explain_skill(const ss_rank_input *in, const ss_cand *c,
                           ss_hit *h)
{
    uint32_t sk = c->ev[SS_SIG_SKILL] & ~SS_NEED_ESSENTIAL;
    if (sk >= in->concepts->n)
        return SS_OK;
    return reason(h, "%s skill: %s",
                  c->ev[SS_SIG_SKILL] & SS_NEED_ESSENTIAL ? "essential"
                                                          : "optional",
                  in->concepts->v[sk].labels[0]);
}

/* The typed words found in the concept's text, as typed. */
static ss_status matched_words(const ss_rank_input *in, const ss_qwords *w,
                               const ss_cand *c, ss_hit *h)
{
    char buf[SS_TERM_MAX + 8];
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && i < w->t.n; i++) {
        const ss_token *tk = &w->t.tok.v[i];
        if ((tk->flags & SS_TOK_STOP) ||
            !ss_term_prefixed(buf, sizeof buf, SS_PFX_TEXT, w->t.term[i]) ||
            !ss_postings_has(ss_memindex_lookup(in->concepts_ix, buf),
                             c->concept))
            continue;
        st = strv_push(&h->matched, &h->nmatched,
                       strndup(in->text + tk->start, tk->end - tk->start));
    }
    return st;
}

/* Curated synonyms whose first word the concept has. */
static ss_status synonyms_used(const ss_rank_input *in, const ss_qwords *w,
                               const ss_cand *c, ss_hit *h)
{
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && i < w->nsyn; i++)
        for (size_t k = 0; st == SS_OK && k < w->syn[i]->n; k++) {
            char first[SS_TERM_MAX];
            size_t n = strcspn(w->syn[i]->to[k], " ");
            if (n >= sizeof first - 2)
                continue;
            snprintf(first, sizeof first, "%s%.*s", SS_PFX_TEXT, (int)n,
                     w->syn[i]->to[k]);
            if (ss_postings_has(ss_memindex_lookup(in->concepts_ix, first),
                                c->concept))
                st = reason(h, "synonym: %s -> %s", w->syn[i]->text,
                            w->syn[i]->to_text[k]);
        }
    return st;
}

ss_status ss_explain_hit(const ss_rank_input *in, const ss_qwords *w,
                         const ss_cand *c, ss_hit *h)
{
    ss_status st = SS_OK;
    for (int s = 0; st == SS_OK && s < SS_NSIG; s++)
        if ((c->found & (1u << s)) && ss_signals[s].explain)
            st = ss_signals[s].explain(in, c, h);
    if (st == SS_OK)
        st = matched_words(in, w, c, h);
    if (st == SS_OK)
        st = synonyms_used(in, w, c, h);
    if (st == SS_OK && w->suggestion)
        st = reason(h, "spelling: %s", w->suggestion);
    return st;
}
