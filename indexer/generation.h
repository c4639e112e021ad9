/* generation.h - atomic index swaps.
 *
 * INDEX is a symlink to a sibling directory INDEX.gen-<N>. A build writes a
 * fresh generation directory, syncs it, then renames a new symlink over
 * INDEX: readers see the old index or the new one, never a mix, and a
 * failed or killed build leaves INDEX as it was.
 *
 * Ownership: *gendir is malloc'd (caller frees).
 */
#ifndef SS_GENERATION_H
#define SS_GENERATION_H

#include "../core/status.h"

/* Creates the next empty generation directory for index. Also removes
 * leftovers of killed builds (generations no symlink points at, except
 * the previous one). Fails if INDEX exists and is not a symlink. */
ss_status ss_gen_create(const char *index, char **gendir, char **errmsg);

/* Syncs gendir, points index at it atomically, and deletes generations
 * older than the one it replaced (kept so readers mid-reload finish). */
ss_status ss_gen_publish(const char *index, const char *gendir,
                         char **errmsg);

/* Puts src into gendir as name: a hard link when it can, else a copy. */
ss_status ss_gen_add_file(const char *gendir, const char *src,
                          const char *name, char **errmsg);

/* Checks that src is a word-vector file and puts it into gendir as
 * SS_FILE_WORDVEC (a hard link when it can, else a copy). */
ss_status ss_gen_add_vectors(const char *gendir, const char *src,
                             char **errmsg);

/* Deletes a generation directory that will not be published. */
void ss_gen_discard(const char *gendir);

/* Total bytes of files under dir. */
unsigned long long ss_dir_size(const char *dir);

#endif
