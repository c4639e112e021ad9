/* docmap.h - docid -> concept, written by the indexer beside the Xapian
 * database so the query side never reads documents while ranking.
 *
 * File format (native endianness, the index is not meant to travel between
 * machines of different byte order):
 *   "SSDOCMAP" | uint32 count | count x ss_docmap_entry (entry i = docid i+1)
 */
#ifndef SS_DOCMAP_H
#define SS_DOCMAP_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

typedef struct ss_docmap_entry {
    uint32_t concept; /* occupation index, or nocc + skill index */
    uint16_t label;   /* label docs: 0 preferred, 1.. alt, then hidden */
    uint8_t kind;     /* 'c' concept doc, 'p' 'a' 'h' label doc */
    uint8_t pad;
} ss_docmap_entry;

typedef struct ss_docmap {
    ss_docmap_entry *v; /* owned */
    size_t n, cap;
} ss_docmap;

/* Appends one entry (docid = n after the call). */
ss_status ss_docmap_push(ss_docmap *m, uint32_t concept, uint16_t label,
                         uint8_t kind);
ss_status ss_docmap_write(const ss_docmap *m, const char *path,
                          char **errmsg);
/* Fills m (free with ss_docmap_free). SS_ERR_CORRUPT for a bad file. */
ss_status ss_docmap_read(ss_docmap *m, const char *path, char **errmsg);
void ss_docmap_free(ss_docmap *m);
/* NULL if docid is out of range. Borrowed. */
const ss_docmap_entry *ss_docmap_get(const ss_docmap *m, unsigned docid);

#endif
