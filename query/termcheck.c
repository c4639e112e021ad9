#include "termcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/schema.h"
#include "analyse.h"
#include "searcher.h"

void ss_term_check_free(ss_term_check *c)
{
    if (!c)
        return;
    free(c->key);
    free(c->words);
    ss_strv_free(c->esco, c->nesco);
    ss_strv_free(c->typed, c->nfixed);
    ss_strv_free(c->fixed, c->nfixed);
    memset(c, 0, sizeof *c);
}

const ss_synonyms *ss_searcher_synonyms(ss_searcher *s)
{
    ss_rank_input in;
    ss_searcher_rank_input(s, &in);
    return in.synonyms;
}

/* The corrections an occupation search for term applies. */
static ss_status spelling(ss_rank_input *in, const char *term,
                          ss_term_check *out, char **errmsg)
{
    in->text = term;
    in->len = strlen(term);
    in->kind = SS_KIND_OCC;
    ss_qwords w;
    ss_status st = ss_qwords_analyse(in, ss_params_get(SS_KIND_OCC), &w,
                                     errmsg);
    if (st == SS_OK && w.nextra) {
        out->typed = calloc(w.nextra, sizeof *out->typed);
        out->fixed = calloc(w.nextra, sizeof *out->fixed);
        st = out->typed && out->fixed ? SS_OK : SS_ERR_NOMEM;
    }
    for (size_t i = 0; st == SS_OK && i < w.nextra; i++) {
        const ss_token *tk = &w.t.tok.v[w.fixed_tok[i]];
        out->typed[i] = strndup(term + tk->start, tk->end - tk->start);
        out->fixed[i] = strdup(w.fixed[i]);
        out->nfixed++;
        if (!out->typed[i] || !out->fixed[i])
            st = SS_ERR_NOMEM;
    }
    ss_qwords_free(&w);
    return st;
}

ss_status ss_searcher_check_term(ss_searcher *s, const char *term,
                                 ss_term_check *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    ss_rank_input in;
    ss_searcher_rank_input(s, &in);
    ss_terms t = {0};
    char key[SS_TERM_MAX + 8];
    ss_status st = ss_terms_add(in.a, term, strlen(term), &t);
    if (st == SS_ERR_INVALID)
        st = ss_set_error(errmsg, st, "'%s' is not valid UTF-8", term);
    size_t words = st == SS_OK
                       ? ss_terms_key(&t, 0, t.n, "", key, sizeof key)
                       : 0;
    if (st == SS_OK && !(out->key = strdup(words ? key : "")))
        st = SS_ERR_NOMEM;
    if (st == SS_OK && words)
        out->curated = ss_synonyms_get(in.synonyms, key);
    char ekey[SS_TERM_MAX + 16];
    if (st == SS_OK && words &&
        snprintf(ekey, sizeof ekey, "%s%s", SS_SYN_ESCO, key) <
            (int)sizeof ekey)
        st = ss_db_synonyms(in.db, ekey, &out->esco, &out->nesco, errmsg);
    /* single words of a longer term */
    if (st == SS_OK && t.n > 1 &&
        !(out->words = calloc(t.n, sizeof *out->words)))
        st = SS_ERR_NOMEM;
    for (size_t i = 0; st == SS_OK && t.n > 1 && i < t.n; i++) {
        const ss_syn *e = t.tok.v[i].flags & SS_TOK_STOP
                              ? NULL
                              : ss_synonyms_get(in.synonyms, t.term[i]);
        if (e)
            out->words[out->nwords++] = e;
    }
    ss_terms_free(&t);
    if (st == SS_OK)
        st = spelling(&in, term, out, errmsg);
    if (st != SS_OK)
        ss_term_check_free(out);
    return st;
}
