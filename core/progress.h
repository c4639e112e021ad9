/* progress.h - a progress bar on stderr, shown only when stderr is a tty.
 *
 * Ownership: ss_progress_create returns a handle freed by
 * ss_progress_destroy (accepts NULL). label is copied.
 * Thread-safe: updates from several threads are serialised.
 */
#ifndef SS_PROGRESS_H
#define SS_PROGRESS_H

typedef struct ss_progress ss_progress;

/* total 0 = unknown (shows a count instead of a bar). Returns NULL only
 * when out of memory; all calls accept NULL. force: 1 shows even when
 * stderr is not a terminal, -1 never shows, 0 decides by isatty. */
ss_progress *ss_progress_create(const char *label,
                                unsigned long long total, int force);
void ss_progress_set_total(ss_progress *p, unsigned long long total);
void ss_progress_update(ss_progress *p, unsigned long long done);
void ss_progress_add(ss_progress *p, unsigned long long n);
/* Draws 100% and a newline. */
void ss_progress_finish(ss_progress *p);
void ss_progress_destroy(ss_progress *p);

/* Seconds since an arbitrary monotonic origin. */
double ss_now(void);

#endif
