/* cld2_wrap.h - the C face of CLD2 (Compact Language Detector 2,
 * libcld2); the only C++ for it lives in cld2_wrap.cc.
 *
 * No exception crosses into C: every call catches them and returns
 * SS_ERR_INTERNAL (or SS_ERR_NOMEM) with a malloc'd message (status.h).
 *
 * Threads: CLD2 keeps no state between calls, and a handle is only read
 * by ss_cld2_detect, so one handle may be shared by any number of threads.
 *
 * Ownership: ss_cld2_create's result is freed with ss_cld2_destroy (NULL
 * ok); the handle copies the hint string.
 */
#ifndef SS_CLD2_WRAP_H
#define SS_CLD2_WRAP_H

#include <stddef.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ss_cld2 ss_cld2;

/* hints: languages to favour, comma-separated ISO 639-1 codes ("en,fr,nl"),
 * CLD2's Content-Language hint; NULL or "" for none. */
ss_status ss_cld2_create(const char *hints, ss_cld2 **out, char **errmsg);
void ss_cld2_destroy(ss_cld2 *c);

/* The language of text (UTF-8, len bytes), best effort even for one word:
 * code gets CLD2's ISO 639-1 code ("en", "fr", "nl"; "un" if it cannot
 * tell), *reliable CLD2's own verdict and *percent the share of the text
 * in that language. SS_ERR_INVALID for invalid UTF-8. */
ss_status ss_cld2_detect(const ss_cld2 *c, const char *text, size_t len,
                         char code[8], int *reliable, int *percent,
                         char **errmsg);

#ifdef __cplusplus
}
#endif

#endif
