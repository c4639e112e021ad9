/* text.h - normalisation and tokenisation, identical at index and query time.
 *
 * Pipeline: split the ORIGINAL text into tokens (so spans point into what the
 * user wrote), then normalise each token: NFKC, case fold, and accent fold
 * where the language allows it, then (optionally) stem.
 *
 * Ownership: ss_tokens owns its token strings; free with ss_tokens_free().
 * An ss_analyzer is not thread-safe (it holds a stemmer): one per thread.
 */
#ifndef SS_TEXT_H
#define SS_TEXT_H

#include <stddef.h>

#include "lang.h"
#include "status.h"

/* Normalise UTF-8 text: NFKC + case fold, plus mark stripping when
 * strip_accents is set (never strips marks that make letters of their own,
 * e.g. Bulgarian/Russian й, Ukrainian ї: those keep their marks).
 * *out is malloc'd and NUL-terminated (caller frees), *outlen may be NULL.
 * SS_ERR_INVALID for invalid UTF-8. */
ss_status ss_text_normalize(const char *in, size_t len, int strip_accents,
                            char **out, size_t *outlen);

/* 1 if s[0..len) is valid UTF-8 (no NULs, no overlongs, no surrogates). */
int ss_utf8_valid(const char *s, size_t len);

/* Replaces, in place, each byte of the NUL-terminated s that does not start
 * a valid UTF-8 character with '?' (for messages that quote user input and
 * must go into JSON). */
void ss_utf8_repair(char *s);

typedef struct ss_token {
    char *text;        /* normalised token, NUL-terminated (owned) */
    size_t start, end; /* byte span [start,end) in the original input */
    unsigned pos;      /* word position, 0-based (see compounds below) */
    unsigned flags;    /* SS_TOK_* */
} ss_token;

enum {
    SS_TOK_NUMERIC = 1u << 0, /* only digits (and . ,) */
    SS_TOK_SYMBOL = 1u << 1,  /* keeps symbols: c++, c#, .net, cad/cam: do not stem */
    SS_TOK_PART = 1u << 2,    /* a part of a compound, same pos as a sibling */
    SS_TOK_STOP = 1u << 3     /* a stop word of the analyzer's language */
};

typedef struct ss_tokens {
    ss_token *v;
    size_t n, cap;
} ss_tokens;

void ss_tokens_free(ss_tokens *t); /* frees contents; t itself may be stack */

/* A language's row of lang.h at work: its stemmer, accent folding,
 * apostrophe rules and stop words. */
typedef struct ss_analyzer ss_analyzer;

/* lang: a code of lang.h ("en", "fr", "nl", ...). stopdir: the folder of
 * the row's stop list (one word per line, '#' comments); NULL, a row
 * without one or a missing file means none. SS_ERR_INVALID, naming the
 * supported codes, for a language without a row. */
ss_status ss_analyzer_create(const char *lang, const char *stopdir,
                             ss_analyzer **out, char **errmsg);
void ss_analyzer_destroy(ss_analyzer *a);
/* The row's code and the row itself (static, never freed). */
const char *ss_analyzer_lang(const ss_analyzer *a);
const ss_lang *ss_analyzer_language(const ss_analyzer *a);
int ss_analyzer_strips_accents(const ss_analyzer *a);

/* Tokenise text into out (appended; positions continue from the last token
 * already in out). Tokens keep C++, C#, F#, .NET, 3D, CAD/CAM, node.js,
 * R&D usable: the compound is one token (flag SYMBOL) and, for '/', '-' and
 * '&' compounds, each alphanumeric part follows as its own token with flag
 * PART. The compound takes position p, its k parts take p..p+k-1 and the
 * next word p+k. "e-mail" yields "email"@p + parts "e"@p, "mail"@p+1;
 * "CAD/CAM" yields "cad/cam"@p, "cad"@p, "cam"@p+1.
 * SS_ERR_INVALID for invalid UTF-8 (out is then left as it was). */
ss_status ss_analyzer_tokenize(const ss_analyzer *a, const char *text,
                               size_t len, ss_tokens *out);

/* Stems a normalised token into buf (NUL-terminated, *outlen set). Tokens
 * flagged SYMBOL or NUMERIC must be passed through unchanged by callers. */
ss_status ss_analyzer_stem(ss_analyzer *a, const char *tok, char *buf,
                           size_t bufsz, size_t *outlen);

int ss_analyzer_is_stopword(const ss_analyzer *a, const char *tok);

#endif
