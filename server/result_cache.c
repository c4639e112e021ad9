#include "result_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NSHARDS 16
#define NBUCKETS 1024 /* per shard; chains stay short at ~4 KB answers */
/* the low bits pick the shard: buckets use others */
#define BUCKET(h) (((h) >> 16) % NBUCKETS)

typedef struct entry {
    struct entry *hnext;        /* hash chain */
    struct entry *prev, *next;  /* LRU list, most recent first */
    uint64_t hash;
    size_t klen, len;
    char data[];                /* key, then body + NUL */
} entry;

typedef struct shard {
    pthread_mutex_t mu;
    entry *bucket[NBUCKETS];
    entry *head, *tail;
    size_t bytes, entries;
    unsigned long long hits, misses, evictions;
} shard;

struct ss_rcache {
    size_t max_bytes, shard_max;
    shard s[NSHARDS];
};

static uint64_t fnv1a(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static size_t cost(const entry *e)
{
    return sizeof *e + e->klen + e->len + 1;
}

ss_status ss_rcache_create(size_t max_bytes, ss_rcache **out)
{
    *out = NULL;
    if (max_bytes == 0)
        return SS_OK;
    ss_rcache *c = calloc(1, sizeof *c);
    if (!c)
        return SS_ERR_NOMEM;
    c->max_bytes = max_bytes;
    c->shard_max = max_bytes / NSHARDS;
    for (int i = 0; i < NSHARDS; i++)
        pthread_mutex_init(&c->s[i].mu, NULL);
    *out = c;
    return SS_OK;
}

void ss_rcache_destroy(ss_rcache *c)
{
    if (!c)
        return;
    for (int i = 0; i < NSHARDS; i++) {
        for (entry *e = c->s[i].head, *n; e; e = n) {
            n = e->next;
            free(e);
        }
        pthread_mutex_destroy(&c->s[i].mu);
    }
    free(c);
}

static entry **find(shard *s, uint64_t h, const void *key, size_t klen)
{
    entry **pp = &s->bucket[BUCKET(h)];
    while (*pp && !((*pp)->hash == h && (*pp)->klen == klen &&
                    !memcmp((*pp)->data, key, klen)))
        pp = &(*pp)->hnext;
    return pp;
}

static void lru_unlink(shard *s, entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        s->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        s->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_push(shard *s, entry *e)
{
    e->prev = NULL;
    e->next = s->head;
    if (s->head)
        s->head->prev = e;
    s->head = e;
    if (!s->tail)
        s->tail = e;
}

/* Unlinks e from its chain and the list, and frees it. */
static void drop(shard *s, entry *e)
{
    entry **pp = find(s, e->hash, e->data, e->klen);
    *pp = e->hnext;
    lru_unlink(s, e);
    s->bytes -= cost(e);
    s->entries--;
    free(e);
}

int ss_rcache_get(ss_rcache *c, const void *key, size_t klen, char **body,
                  size_t *len)
{
    *body = NULL;
    *len = 0;
    if (!c)
        return 0;
    uint64_t h = fnv1a(key, klen);
    shard *s = &c->s[h % NSHARDS];
    pthread_mutex_lock(&s->mu);
    entry *e = *find(s, h, key, klen);
    char *copy = e ? malloc(e->len + 1) : NULL;
    if (copy) {
        memcpy(copy, e->data + e->klen, e->len + 1);
        *len = e->len;
        lru_unlink(s, e);
        lru_push(s, e);
        s->hits++;
    } else {
        s->misses++;
    }
    pthread_mutex_unlock(&s->mu);
    *body = copy;
    return copy != NULL;
}

ss_status ss_rcache_put(ss_rcache *c, const void *key, size_t klen,
                        const char *body, size_t len)
{
    if (!c)
        return SS_OK;
    if (sizeof(entry) + klen + len + 1 > c->shard_max)
        return SS_ERR_INVALID;
    entry *e = malloc(sizeof *e + klen + len + 1);
    if (!e)
        return SS_ERR_NOMEM;
    e->hash = fnv1a(key, klen);
    e->klen = klen;
    e->len = len;
    memcpy(e->data, key, klen);
    memcpy(e->data + klen, body, len);
    e->data[klen + len] = '\0';
    shard *s = &c->s[e->hash % NSHARDS];
    pthread_mutex_lock(&s->mu);
    entry *old = *find(s, e->hash, key, klen);
    if (old)
        drop(s, old);
    while (s->tail && s->bytes + cost(e) > c->shard_max) {
        drop(s, s->tail);
        s->evictions++;
    }
    entry **pp = &s->bucket[BUCKET(e->hash)];
    e->hnext = *pp;
    *pp = e;
    lru_push(s, e);
    s->bytes += cost(e);
    s->entries++;
    pthread_mutex_unlock(&s->mu);
    return SS_OK;
}

void ss_rcache_stats_get(ss_rcache *c, ss_rcache_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!c)
        return;
    out->max_bytes = c->max_bytes;
    for (int i = 0; i < NSHARDS; i++) {
        shard *s = &c->s[i];
        pthread_mutex_lock(&s->mu);
        out->hits += s->hits;
        out->misses += s->misses;
        out->evictions += s->evictions;
        out->entries += s->entries;
        out->bytes += s->bytes;
        pthread_mutex_unlock(&s->mu);
    }
}
