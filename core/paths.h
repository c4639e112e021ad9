/* paths.h - where skillsearch finds its own data files and its index.
 *
 * Ownership: returned strings are malloc'd; the caller frees them.
 */
#ifndef SS_PATHS_H
#define SS_PATHS_H

#include "status.h"

/* The data folder (stop/, titles/, synonyms/): opt if given, else
 * $SKILLSEARCH_DATA, else ./data if it exists, else data/ beside the
 * executable. Never NULL unless out of memory. */
char *ss_data_dir(const char *opt);

/* The word-vector file for lang (see synonyms/wordvec.h) into *out: opt if
 * given, else $SKILLSEARCH_VECTORS, else vectors/LANG.ssvec here or beside
 * the executable if it exists, else NULL (none: search without vectors).
 * An empty opt or variable means none. SS_ERR_NOMEM (and *out NULL) when
 * out of memory. */
ss_status ss_vectors_path(const char *opt, const char *lang, char **out);

/* The index path: opt if given, else $SKILLSEARCH_INDEX, else "index". */
char *ss_index_path(const char *opt);

#endif
