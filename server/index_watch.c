#include "index_watch.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "metrics.h"

/* One published generation, shared by reference count: the watcher holds
 * the current one, each worker the one its searcher was last loaded for. */
typedef struct gen {
    atomic_int refs;
    ss_suggest *suggest;
    double loaded_at; /* wall clock at publication, seconds since 1970 */
    /* What was published, as /health and /metrics report it: a worker that
     * opens after INDEX moved on may already hold a newer generation. */
    char name[256];
    unsigned documents;
    size_t occupations, skills;
} gen;

typedef struct worker {
    ss_searcher *s;
    gen *g;
    unsigned long seq;
    struct worker *next;
} worker;

struct ss_index_watch {
    unsigned long id; /* tells a thread's cached worker from a stale one */
    char *index, *datadir;
    char lang[16];      /* the language it must hold; "": any */
    char loaded[16];    /* the language of the published generation */
    unsigned poll_ms;
    pthread_t thread;
    pthread_mutex_t lock; /* current, workers, stop/force wakeups */
    pthread_cond_t wake;
    int stop, force;
    gen *current;
    atomic_ulong seq;
    worker *workers;
    ss_searcher *own; /* the watcher thread's searcher */
    char link[PATH_MAX];
    char last_error[512]; /* the watcher's last open failure, said once */
    int unpublished;      /* w->own is loaded but publish() failed */
    int wrong_lang;       /* the last generation found was not in lang */
};

static atomic_ulong g_watch_ids;
/* A thread's worker of each watch it serves (one per language): ids are
 * never reused, so a slot of a stopped watch only waits to be taken over.
 * Over TL_SLOTS live watches, the oldest slot is replaced and its worker
 * stays on the watch's list until ss_index_watch_stop. */
#define TL_SLOTS 40
static _Thread_local struct {
    unsigned long id;
    worker *k;
} tl_slot[TL_SLOTS];
static _Thread_local unsigned tl_next;

static void gen_unref(gen *g)
{
    if (g && atomic_fetch_sub(&g->refs, 1) == 1) {
        ss_suggest_destroy(g->suggest);
        free(g);
    }
}

static void log_error(const char *what, char *msg)
{
    fprintf(stderr, "skillsearch serve: %s: %s\n", what,
            msg ? msg : "unknown error");
    free(msg);
}

/* The symlink target, "" for a plain directory, "-" when INDEX is
 * missing: any change of this string means a new generation. */
static void read_link(const char *path, char *buf, size_t size)
{
    ssize_t n = readlink(path, buf, size - 1);
    if (n >= 0) {
        buf[n] = '\0';
        return;
    }
    snprintf(buf, size, "%s", errno == ENOENT ? "-" : "");
}

/* Makes the watcher's searcher the current generation. SS_ERR_NOMEM:
 * nothing published (the caller tries again on its next check). A failed
 * suggestion build is not an error: the generation serves without them. */
static ss_status publish(ss_index_watch *w)
{
    gen *g = calloc(1, sizeof *g);
    char *err = NULL;
    if (!g)
        return SS_ERR_NOMEM;
    atomic_init(&g->refs, 1);
    if (ss_suggest_build(ss_searcher_catalog(w->own),
                         ss_searcher_lang(w->own), &g->suggest,
                         &err) != SS_OK)
        log_error("building suggestions (serving without)", err);
    const char *lang = ss_searcher_lang(w->own);
    snprintf(g->name, sizeof g->name, "%s", ss_searcher_generation(w->own));
    g->documents = ss_searcher_doccount(w->own);
    ss_searcher_counts(w->own, &g->occupations, &g->skills);
    ss_metrics_set_index(lang, g->documents, g->name);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    g->loaded_at = (double)now.tv_sec + now.tv_nsec / 1e9;
    /* Counted before the swap: whoever sees the new generation in
     * /health also sees it counted in /metrics. Only this thread writes
     * w->current. */
    if (w->current)
        ss_metrics_count_reload(lang);
    pthread_mutex_lock(&w->lock);
    snprintf(w->loaded, sizeof w->loaded, "%s", lang);
    gen *old = w->current;
    w->current = g;
    unsigned long seq = atomic_fetch_add(&w->seq, 1) + 1;
    pthread_mutex_unlock(&w->lock);
    gen_unref(old);
    fprintf(stderr, "skillsearch serve: loaded index generation %s "
                    "(%u documents, %zu labels for suggestions, #%lu)\n",
            ss_searcher_generation(w->own), ss_searcher_doccount(w->own),
            ss_suggest_size(g->suggest), seq);
    return SS_OK;
}

static void check(ss_index_watch *w, int force)
{
    char link[PATH_MAX];
    read_link(w->index, link, sizeof link);
    char *err = NULL;
    if (!w->own) {
        if (ss_searcher_open(w->index, w->datadir, &w->own, &err) != SS_OK) {
            /* No index yet: 503 until it appears; say why once. */
            if (err && strcmp(err, w->last_error) != 0) {
                snprintf(w->last_error, sizeof w->last_error, "%s", err);
                fprintf(stderr, "skillsearch serve: no index yet (%s); "
                                "answering 503 until it appears\n", err);
            }
            free(err);
            return;
        }
    } else if (force || w->unpublished || strcmp(link, w->link) != 0) {
        int changed = 0;
        if (ss_searcher_reload(w->own, &changed, &err) != SS_OK) {
            log_error("reload failed, keeping the loaded index", err);
            return;
        }
    } else {
        return;
    }
    memcpy(w->link, link, sizeof link);
    w->wrong_lang = 0;
    if (*w->lang && strcmp(ss_searcher_lang(w->own), w->lang) != 0) {
        /* Workers reload only on a publication: they keep the generation
         * of the right language. */
        snprintf(w->last_error, sizeof w->last_error,
                 "%s is in language '%s', not '%s'", w->index,
                 ss_searcher_lang(w->own), w->lang);
        fprintf(stderr, "skillsearch serve: %s; not serving it\n",
                w->last_error);
        w->wrong_lang = 1;
        if (!w->current) { /* never published: start afresh next time */
            ss_searcher_destroy(w->own);
            w->own = NULL;
        }
        return;
    }
    w->unpublished = publish(w) != SS_OK;
    if (w->unpublished)
        fprintf(stderr, "skillsearch serve: out of memory publishing index "
                        "generation %s; trying again\n",
                ss_searcher_generation(w->own));
}

static void *watch_main(void *arg)
{
    ss_index_watch *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        int force = w->force;
        w->force = 0;
        pthread_mutex_unlock(&w->lock);
        check(w, force);
        pthread_mutex_lock(&w->lock);
        if (w->stop || w->force)
            continue;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += (long)(w->poll_ms % 1000) * 1000000L;
        ts.tv_sec += w->poll_ms / 1000 + ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&w->wake, &w->lock, &ts);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

ss_status ss_index_watch_start(const char *index, const char *datadir,
                               const char *lang, unsigned poll_ms,
                               ss_index_watch **out, char **errmsg)
{
    ss_index_watch *w = calloc(1, sizeof *w);
    if (!w)
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    w->id = atomic_fetch_add(&g_watch_ids, 1) + 1;
    w->index = strdup(index);
    w->datadir = datadir ? strdup(datadir) : NULL;
    w->poll_ms = poll_ms ? poll_ms : 250;
    snprintf(w->lang, sizeof w->lang, "%s", lang ? lang : "");
    if (!w->index || (datadir && !w->datadir)) {
        free(w->index);
        free(w->datadir);
        free(w);
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&w->lock, NULL);
    /* First load synchronously, so a good index serves from the start. */
    check(w, 0);
    if (w->wrong_lang && !w->current) {
        ss_status st = ss_set_error(errmsg, SS_ERR_INVALID, "%s",
                                    w->last_error);
        ss_searcher_destroy(w->own);
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w->index);
        free(w->datadir);
        free(w);
        return st;
    }
    int rc = pthread_create(&w->thread, NULL, watch_main, w);
    if (rc != 0) {
        ss_searcher_destroy(w->own);
        gen_unref(w->current);
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w->index);
        free(w->datadir);
        free(w);
        return ss_set_error(errmsg, SS_ERR_INTERNAL,
                            "cannot start the index watcher: %s",
                            strerror(rc));
    }
    *out = w;
    return SS_OK;
}

void ss_index_watch_stop(ss_index_watch *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    for (worker *k = w->workers, *next; k; k = next) {
        next = k->next;
        ss_searcher_destroy(k->s);
        gen_unref(k->g);
        free(k);
    }
    for (unsigned i = 0; i < TL_SLOTS; i++)
        if (tl_slot[i].id == w->id)
            tl_slot[i].id = 0, tl_slot[i].k = NULL;
    ss_searcher_destroy(w->own);
    gen_unref(w->current);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w->index);
    free(w->datadir);
    free(w);
}

void ss_index_watch_force(ss_index_watch *w)
{
    pthread_mutex_lock(&w->lock);
    w->force = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

unsigned long ss_index_watch_published(ss_index_watch *w)
{
    return atomic_load(&w->seq);
}

void ss_index_watch_lang(ss_index_watch *w, char *buf, size_t size)
{
    pthread_mutex_lock(&w->lock);
    snprintf(buf, size, "%s", w->loaded);
    pthread_mutex_unlock(&w->lock);
}

static worker *this_worker(ss_index_watch *w)
{
    for (unsigned i = 0; i < TL_SLOTS; i++)
        if (tl_slot[i].id == w->id && tl_slot[i].k)
            return tl_slot[i].k;
    worker *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    pthread_mutex_lock(&w->lock);
    k->next = w->workers;
    w->workers = k;
    pthread_mutex_unlock(&w->lock);
    unsigned i = 0;
    while (i < TL_SLOTS && tl_slot[i].k)
        i++;
    if (i == TL_SLOTS)
        i = tl_next++ % TL_SLOTS;
    tl_slot[i].id = w->id;
    tl_slot[i].k = k;
    return k;
}

int ss_index_watch_acquire(ss_index_watch *w, ss_index_view *view)
{
    worker *k = this_worker(w);
    if (!k)
        return 0;
    if (atomic_load(&w->seq) != k->seq) {
        pthread_mutex_lock(&w->lock);
        gen *g = w->current;
        unsigned long seq = atomic_load(&w->seq);
        if (g)
            atomic_fetch_add(&g->refs, 1);
        pthread_mutex_unlock(&w->lock);
        if (!g)
            return 0;
        char *err = NULL;
        int changed = 0;
        ss_status st = k->s ? ss_searcher_reload(k->s, &changed, &err)
                            : ss_searcher_open(w->index, w->datadir, &k->s,
                                               &err);
        if (st == SS_OK && *w->lang &&
            strcmp(ss_searcher_lang(k->s), w->lang) != 0) {
            /* INDEX moved on to a generation of another language since
             * the last publication: never answer from it. */
            fprintf(stderr, "skillsearch serve: %s is now in language '%s', "
                            "not '%s'; a worker cannot serve it\n",
                    w->index, ss_searcher_lang(k->s), w->lang);
            ss_searcher_destroy(k->s);
            k->s = NULL;
            gen_unref(k->g);
            k->g = NULL;
            k->seq = 0;
            gen_unref(g);
            return 0;
        }
        if (st == SS_OK || k->s) {
            /* On a failed reload the old handle keeps serving; do not
             * retry it on every request, only on the next publication. */
            if (st != SS_OK)
                log_error("worker reload failed, keeping the loaded index",
                          err);
            gen_unref(k->g);
            k->g = g;
            k->seq = seq;
        } else {
            log_error("worker cannot open the index", err);
            gen_unref(g);
        }
    }
    if (!k->s || !k->g)
        return 0;
    view->searcher = k->s;
    view->suggest = k->g->suggest;
    view->seq = k->seq;
    view->loaded_at = k->g->loaded_at;
    view->generation = k->g->name;
    view->documents = k->g->documents;
    view->occupations = k->g->occupations;
    view->skills = k->g->skills;
    return 1;
}
