/* mapfile.h - a whole file mapped read-only, for the flat files the
 * searcher reads in place (memindex.h, synonyms/wordvec.h).
 *
 * Ownership: *map is released with ss_file_unmap(map, size).
 */
#ifndef SS_MAPFILE_H
#define SS_MAPFILE_H

#include <stddef.h>

#include "status.h"

/* SS_ERR_NOT_FOUND / SS_ERR_IO when path cannot be opened or mapped or is
 * not a regular file;
 * SS_ERR_CORRUPT "PATH: too short" when it has fewer than min_size bytes.
 * Messages name the file. */
ss_status ss_file_map(const char *path, size_t min_size, void **map,
                      size_t *size, char **errmsg);
void ss_file_unmap(void *map, size_t size);

#endif
