/* result_cache.h - answers of the server kept by request, so that a query
 * asked again (the same search typed by many users, the same suggestion
 * prefix) costs a copy instead of a search.
 *
 * A byte-bounded LRU, split into shards with a mutex each so that worker
 * threads rarely wait on each other. Keys are opaque bytes: the server
 * puts the index generation in them, so an answer from an older index is
 * never found again (it ages out). Only successful answers are stored.
 *
 * Ownership: ss_rcache_get() hands back a malloc'd copy (caller frees);
 * put copies its input. ss_rcache_destroy() frees everything (NULL ok).
 * All calls are thread-safe; every call accepts NULL (a disabled cache:
 * get misses, put does nothing).
 */
#ifndef SS_RESULT_CACHE_H
#define SS_RESULT_CACHE_H

#include <stddef.h>

#include "../core/status.h"

typedef struct ss_rcache ss_rcache;

/* max_bytes bounds keys + bodies + bookkeeping. 0 gives *out = NULL (no
 * cache) and SS_OK. */
ss_status ss_rcache_create(size_t max_bytes, ss_rcache **out);
void ss_rcache_destroy(ss_rcache *c);

/* 1 and *body (malloc'd, NUL-terminated, *len bytes) on a hit, else 0
 * (also when out of memory). A hit makes the entry most recently used. */
int ss_rcache_get(ss_rcache *c, const void *key, size_t klen, char **body,
                  size_t *len);

/* Stores a copy, replacing an entry of the same key, evicting the least
 * recently used entries of its shard to stay within the bound. SS_OK:
 * stored (or c is NULL). SS_ERR_INVALID: bigger than a shard's share of
 * max_bytes, not stored. SS_ERR_NOMEM: not stored, the cache unchanged. */
ss_status ss_rcache_put(ss_rcache *c, const void *key, size_t klen,
                        const char *body, size_t len);

typedef struct ss_rcache_stats {
    unsigned long long hits, misses, evictions, entries, bytes, max_bytes;
} ss_rcache_stats;

/* Totals over all shards (all zero for NULL). */
void ss_rcache_stats_get(ss_rcache *c, ss_rcache_stats *out);

#endif
