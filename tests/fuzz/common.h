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

/* A search request for the text data[0..size) (size > 0), its options
 * derived from the input so that plain-text seeds stay plain text. */
ss_search_req fz_search_req(const uint8_t *data, size_t size);

/* Aborts unless h holds at most limit hits, each with a URI, label and
 * type; then frees h. */
void fz_check_hits(ss_hits *h, unsigned limit);

/* Sends stdout to /dev/null (the commands print their answers there). */
void fz_silence_stdout(void);

#endif
