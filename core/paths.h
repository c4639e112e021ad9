/* paths.h - where skillsearch finds its own data files and its index.
 *
 * Ownership: returned strings are malloc'd; the caller frees them.
 */
#ifndef SS_PATHS_H
#define SS_PATHS_H

/* The data folder (stop/, synonyms/): opt if given, else
 * $SKILLSEARCH_DATA, else ./data if it exists, else data/ beside the
 * executable. Never NULL unless out of memory. */
char *ss_data_dir(const char *opt);

/* The word-vector file for lang (see synonyms/wordvec.h): opt if given,
 * else $SKILLSEARCH_VECTORS, else vectors/LANG.ssvec here or beside the
 * executable if it exists, else NULL (none: search without vectors). An
 * empty opt or variable means none. */
char *ss_vectors_path(const char *opt, const char *lang);

/* The index path: opt if given, else $SKILLSEARCH_INDEX, else "index". */
char *ss_index_path(const char *opt);

#endif
