/* index_watch.h - hot reload of the index for a pool of worker threads.
 *
 * A background thread polls readlink(INDEX) every poll_ms (and wakes at
 * once on ss_index_watch_force, i.e. SIGHUP). When the target changes it
 * opens the new generation on its own searcher, builds the /suggest index
 * for it and publishes both as the current generation. Each worker thread
 * owns a searcher (created lazily on its first request) and, before each
 * request, brings it up to date with ss_searcher_reload() when a newer
 * generation was published. A request runs start to end on one handle, so
 * in-flight requests finish on the old generation (its files stay readable
 * through open descriptors even if the indexer deletes them). A failed
 * reload keeps the old generation serving.
 *
 * Until a first index could be opened (INDEX missing), acquire returns 0
 * and the server answers 503; the watcher keeps trying every poll_ms.
 */
#ifndef SS_INDEX_WATCH_H
#define SS_INDEX_WATCH_H

#include <stddef.h>

#include "../core/status.h"
#include "../query/search.h"
#include "../query/suggest.h"

typedef struct ss_index_watch ss_index_watch;

/* index, datadir and lang are copied (datadir may be NULL, see search.h).
 * lang: the language every generation must be in (NULL: any); one in
 * another language is not published (logged; the old one keeps serving),
 * and SS_ERR_INVALID with why when it is the one found at start. Starts
 * the watcher thread; a missing index is not an error. A thread may use
 * several watches (one per language) at once. */
ss_status ss_index_watch_start(const char *index, const char *datadir,
                               const char *lang, unsigned poll_ms,
                               ss_index_watch **out, char **errmsg);

/* Stops the watcher and destroys every worker's searcher. Call only once
 * no thread uses views any more (after MHD_stop_daemon). Accepts NULL. */
void ss_index_watch_stop(ss_index_watch *w);

/* Reload now even if the symlink did not change (SIGHUP). Thread-safe. */
void ss_index_watch_force(ss_index_watch *w);

/* What the calling thread may use for one request. Borrowed: valid until
 * this thread's next ss_index_watch_acquire or ss_index_watch_stop. */
typedef struct ss_index_view {
    ss_searcher *searcher;
    const ss_suggest *suggest;
    unsigned long seq; /* which publication they are (1, 2, ...): answers
                          of different seq may differ */
    double loaded_at;  /* when it was published, seconds since 1970: how
                          fast a publication reached this replica, measured
                          where it happened */
    /* The published generation and its counts, as /metrics has them (the
     * searcher may be a newer one for up to poll_ms after INDEX moved). */
    const char *generation;
    unsigned documents;
    size_t occupations, skills;
} ss_index_view;

/* 1 and *view filled when an index is loaded; 0 when none is (yet). */
int ss_index_watch_acquire(ss_index_watch *w, ss_index_view *view);

/* Generations published so far (0: none yet). */
unsigned long ss_index_watch_published(ss_index_watch *w);

/* The language of the published generation into buf ("" if none yet). */
void ss_index_watch_lang(ss_index_watch *w, char *buf, size_t size);

#endif
