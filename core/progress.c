#include "progress.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct ss_progress {
    char *label;
    unsigned long long total, done;
    int show;
    double started, drawn;
    pthread_mutex_t mu;
};

double ss_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

ss_progress *ss_progress_create(const char *label, unsigned long long total,
                                int force)
{
    ss_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->label = strdup(label ? label : "");
    if (!p->label) {
        free(p);
        return NULL;
    }
    p->total = total;
    p->show = force > 0 || (force == 0 && isatty(STDERR_FILENO));
    p->started = ss_now();
    p->drawn = 0;
    pthread_mutex_init(&p->mu, NULL);
    return p;
}

static void draw(ss_progress *p, int final)
{
    double now = ss_now();
    /* Redrawing costs a write(2): 10 frames a second is plenty. */
    if (!p->show || (!final && now - p->drawn < 0.1))
        return;
    p->drawn = now;
    double el = now - p->started;
    if (p->total) {
        unsigned long long d = p->done > p->total ? p->total : p->done;
        int width = 30, fill = (int)(width * d / p->total);
        char bar[31];
        memset(bar, '#', (size_t)fill);
        memset(bar + fill, '.', (size_t)(width - fill));
        bar[width] = '\0';
        fprintf(stderr, "\r%-12s [%s] %3d%%  %.1fs", p->label, bar,
                (int)(100 * d / p->total), el);
    } else {
        fprintf(stderr, "\r%-12s %llu  %.1fs", p->label, p->done, el);
    }
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

void ss_progress_set_total(ss_progress *p, unsigned long long total)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->total = total;
    pthread_mutex_unlock(&p->mu);
}

void ss_progress_update(ss_progress *p, unsigned long long done)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->done = done;
    draw(p, 0);
    pthread_mutex_unlock(&p->mu);
}

void ss_progress_add(ss_progress *p, unsigned long long n)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->done += n;
    draw(p, 0);
    pthread_mutex_unlock(&p->mu);
}

void ss_progress_finish(ss_progress *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    if (p->total)
        p->done = p->total;
    draw(p, 1);
    pthread_mutex_unlock(&p->mu);
}

void ss_progress_destroy(ss_progress *p)
{
    if (!p)
        return;
    pthread_mutex_destroy(&p->mu);
    free(p->label);
    free(p);
}
