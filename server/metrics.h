/* metrics.h - process-wide request counters in Prometheus text format.
 *
 * All updates are lock-free atomics, safe from any thread. The registry is
 * a process singleton: the server is the only producer, /metrics the only
 * consumer.
 */
#ifndef SS_METRICS_H
#define SS_METRICS_H

typedef enum ss_endpoint {
    SS_EP_SEARCH = 0,
    SS_EP_SUGGEST,
    SS_EP_MATCH,
    SS_EP_OCCUPATION,
    SS_EP_SKILL,
    SS_EP_HEALTH,
    SS_EP_METRICS,
    SS_EP_STATIC,
    SS_EP_OTHER,      /* 404s, 405s, preflights */
    SS_EP_COUNT
} ss_endpoint;

/* Static string ("search", ...), never NULL. */
const char *ss_endpoint_name(ss_endpoint ep);

/* One finished request: its endpoint, HTTP status and duration. */
void ss_metrics_observe(ss_endpoint ep, unsigned status, double seconds);
void ss_metrics_count_reload(void);
/* What the published index generation holds; generation is copied. */
void ss_metrics_set_index(unsigned documents, const char *generation);

/* The whole exposition, malloc'd (caller frees); NULL only on ENOMEM. */
char *ss_metrics_render(void);

#endif
