/* metrics.h - process-wide request counters in Prometheus text format.
 *
 * All updates are lock-free atomics, safe from any thread. The registry is
 * a process singleton: the server is the only producer, /metrics the only
 * consumer.
 */
#ifndef SS_METRICS_H
#define SS_METRICS_H

#include <stddef.h>

/* Endpoints are the rows of the route table (routes.h): endpoint i is
 * ss_routes[i], labelled with its metric name. Any other number counts as
 * "other" (a request no row matched). */

/* Static string ("search", ..., "other"), never NULL. */
const char *ss_metrics_endpoint_name(size_t endpoint);

/* One finished request: its endpoint, HTTP status and duration. */
void ss_metrics_observe(size_t endpoint, unsigned status, double seconds);
/* Index figures are kept per language (lang: its code, copied). The
 * first language declared is the default one: its figures also go out
 * without a lang label, as when a server held one language. */
void ss_metrics_add_lang(const char *lang);
void ss_metrics_count_reload(const char *lang);
/* What the published generation of lang holds; generation is copied. */
void ss_metrics_set_index(const char *lang, unsigned documents,
                          const char *generation);

/* The whole exposition, malloc'd (caller frees); NULL only on ENOMEM. */
char *ss_metrics_render(void);

#endif
