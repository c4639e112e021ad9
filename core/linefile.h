/* linefile.h - the small text files we write ourselves (stop lists,
 * synonyms, job-title lists): read line by line, '#' comments and line ends
 * removed, every line checked to be UTF-8, errors naming file and line.
 */
#ifndef SS_LINEFILE_H
#define SS_LINEFILE_H

#include "status.h"

/* Called per line with the line (comment and line end cut; may be ""),
 * writable until the call returns. Return SS_OK to go on; any other status
 * stops the reading and is returned by ss_linefile_read. */
typedef ss_status (*ss_line_fn)(void *ctx, char *line, const char *path,
                                unsigned long lineno, char **errmsg);

/* Reads path. A missing file is no error when missing_ok is set (no line
 * is read then); invalid UTF-8 is SS_ERR_INVALID "PATH:LINE: invalid
 * UTF-8". */
ss_status ss_linefile_read(const char *path, int missing_ok, ss_line_fn fn,
                           void *ctx, char **errmsg);

/* Reads dir/file, a language's optional list (see lang.h): a NULL file or
 * a missing one reads no line and is no error. */
ss_status ss_linefile_read_in(const char *dir, const char *file,
                              ss_line_fn fn, void *ctx, char **errmsg);

#endif
