/* langs.h - which of the served languages answers a request.
 *
 * A server holds one index per language (http_server.h); every request is
 * answered by one of them. ss_langs_pick is the one place that decides:
 * lang= first, then the Accept-Language header, then the first index. A
 * language identifier (lang=auto) plugs in here.
 */
#ifndef SS_LANGS_H
#define SS_LANGS_H

#include <stddef.h>

/* The most languages one server holds (ESCO publishes 28). */
#define SS_LANGS_MAX 32

/* codes: the served languages in --index order (codes[0] is the default);
 * an entry may be "" for an index whose language is not known yet (it then
 * answers only as the default). lang: the lang= value (len bytes, may hold
 * NUL) or NULL; accept: the Accept-Language header or NULL.
 * Returns 1 and *slot, or 0 with why (a message naming the served
 * languages) when lang= names none of them, or 2 for lang=auto: the
 * caller then asks ss_langs_identify. An Accept-Language naming no
 * served language falls back to the default, as HTTP asks. */
int ss_langs_pick(const char *const *codes, size_t n, const char *lang,
                  size_t len, const char *accept, size_t *slot, char *why,
                  size_t whysize);

/* lang=auto: *slot of the language of text (len bytes) among the served
 * ones whose searcher is loaded (searchers[i] NULL: not loaded; borrowed
 * for the call), by the identifier that measured best (query/langid.h).
 * Returns 1 with *why the identifier's reason (malloc'd, caller frees),
 * or 0 with *why the error (malloc'd). */
struct ss_searcher;
int ss_langs_identify(const char *const *codes,
                      struct ss_searcher *const *searchers, size_t n,
                      const char *text, size_t len, size_t *slot,
                      char **why);

/* "en, fr, nl": the served codes for messages, cut to size. */
void ss_langs_list(const char *const *codes, size_t n, char *buf,
                   size_t size);

/* The slot serving the language named by s[0..len), or -1. Case-blind;
 * "fr-BE" and "fr_BE" match "fr". */
int ss_langs_find(const char *const *codes, size_t n, const char *s,
                  size_t len);

#endif
