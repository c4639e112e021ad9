/* static_files.h - serving the web/ folder without leaving it.
 *
 * The request path is decoded here (not by MHD) so that every trick is seen:
 * %2e%2e, %2f, %00 and backslashes. Refused: NUL, backslash, bad %-escapes,
 * "." or ".." segments, empty segments (absolute paths such as //etc),
 * hidden files (.git), and any file whose realpath() is not inside the
 * folder (symlinks out). Only regular files with a known type are served:
 * html css js png svg ico (and json, txt, woff2). "/" and "dir/" mean
 * index.html.
 */
#ifndef SS_STATIC_FILES_H
#define SS_STATIC_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "../core/status.h"

typedef struct ss_static ss_static;

/* dir is resolved with realpath() now; SS_ERR_NOT_FOUND if it does not
 * exist (the caller may then serve the API only). */
ss_status ss_static_open(const char *dir, ss_static **out, char **errmsg);
void ss_static_destroy(ss_static *st);

typedef struct ss_static_file {
    int fd;                   /* open, read-only: the caller closes it */
    uint64_t size;
    const char *content_type; /* static string */
} ss_static_file;

/* raw_path: the path as sent, still %-encoded, without "?query", len bytes.
 * SS_OK: *out filled. SS_ERR_NOT_FOUND: no such servable file.
 * SS_ERR_INVALID: a malformed or escaping path. */
ss_status ss_static_lookup(const ss_static *st, const char *raw_path,
                           size_t len, ss_static_file *out);

/* Decodes and checks raw_path into buf (relative, no leading '/', ""
 * for the root) with the rules above; exposed for tests. */
ss_status ss_static_clean_path(const char *raw_path, size_t len, char *buf,
                               size_t bufsize);

#endif
