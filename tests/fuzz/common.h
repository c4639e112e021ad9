/* common.h - shared set-up for the libFuzzer targets in tests/fuzz/.
 *
 * Every target is built with SS_SRCDIR defined as the source tree (for
 * data/ and web/). Paths returned here are static: valid for the whole run,
 * never freed by the caller.
 */
#ifndef SS_FUZZ_COMMON_H
#define SS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "../../query/search.h"

/* SS_SRCDIR/rel, e.g. fz_path("data") */
const char *fz_path(const char *rel);

/* A private temporary folder (in $SS_FUZZ_TMPDIR, else /tmp), created on
 * first use and removed at exit. */
const char *fz_tmpdir(void);

/* Writes data to path (truncating); aborts on failure: a broken harness
 * must not look like a clean run. */
void fz_write_file(const char *path, const uint8_t *data, size_t size);

/* The sample index: $SS_FUZZ_INDEX if that exists; else built from
 * data/sample with the real indexer (into $SS_FUZZ_INDEX when set, so the
 * next target reuses it, else into fz_tmpdir()). Aborts on failure. */
const char *fz_sample_index(void);

/* A searcher on the sample index; aborts on failure. Destroyed at exit. */
ss_searcher *fz_searcher(void);

/* Searches the sample index for data[0..size) as free text (syntax 0) or
 * in search --syntax (1), with options derived from the input so that
 * plain-text seeds stay plain text. Aborts on more hits than the limit, a
 * hit without URI, label or type, or a failure the input may not cause:
 * free text fails only for invalid UTF-8, syntax only with
 * SS_ERR_BAD_QUERY and a message. */
void fz_search(const uint8_t *data, size_t size, int syntax);

/* Sends stdout to /dev/null (the commands print their answers there). */
void fz_silence_stdout(void);

#endif
