#include "metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routes.h"

/* Statuses the server can answer; anything else is counted as "other". */
static const unsigned k_status[] = {200, 204, 400, 404, 405, 413, 414,
                                    500, 503};
#define NSTATUS (sizeof k_status / sizeof k_status[0])

static const double k_bucket[] = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                  0.025,  0.05,  0.1,    0.25,  0.5, 1};
#define NBUCKET (sizeof k_bucket / sizeof k_bucket[0])

/* One slot per route row, and "other" last. */
#define OTHER SS_ROUTES_MAX
static atomic_ulong g_requests[SS_ROUTES_MAX + 1][NSTATUS + 1];
static atomic_ulong g_bucket[SS_ROUTES_MAX + 1][NBUCKET + 1]; /* +Inf last */
static atomic_ullong g_sum_ns[SS_ROUTES_MAX + 1];
/* One row per served language, in the order the server declared them
 * (ss_metrics_add_lang), else of first publication; row 0 is the default
 * language, whose figures also go out without a lang label. */
#define MAX_LANGS 40
typedef struct lang_row {
    char lang[16];
    unsigned documents;
    unsigned long reloads;
    char generation[256];
} lang_row;
static pthread_mutex_t g_gen_lock = PTHREAD_MUTEX_INITIALIZER;
static lang_row g_langs[MAX_LANGS];
static size_t g_nlangs;

static size_t slot(size_t endpoint)
{
    return endpoint < ss_nroutes ? endpoint : OTHER;
}

const char *ss_metrics_endpoint_name(size_t endpoint)
{
    return endpoint < ss_nroutes ? ss_routes[endpoint].metric : "other";
}

void ss_metrics_observe(size_t endpoint, unsigned status, double seconds)
{
    size_t ep = slot(endpoint);
    size_t si = NSTATUS;
    for (size_t i = 0; i < NSTATUS; i++)
        if (k_status[i] == status)
            si = i;
    atomic_fetch_add_explicit(&g_requests[ep][si], 1, memory_order_relaxed);
    size_t bi = 0;
    while (bi < NBUCKET && seconds > k_bucket[bi])
        bi++;
    /* Buckets are stored non-cumulative and summed when rendered. */
    atomic_fetch_add_explicit(&g_bucket[ep][bi], 1, memory_order_relaxed);
    if (seconds < 0)
        seconds = 0;
    atomic_fetch_add_explicit(&g_sum_ns[ep],
                              (unsigned long long)(seconds * 1e9),
                              memory_order_relaxed);
}

/* The row of lang, added if new (NULL when the table is full). Call with
 * g_gen_lock held. */
static lang_row *lang_row_of(const char *lang)
{
    for (size_t i = 0; i < g_nlangs; i++)
        if (!strcmp(g_langs[i].lang, lang))
            return &g_langs[i];
    if (g_nlangs == MAX_LANGS)
        return NULL;
    lang_row *r = &g_langs[g_nlangs++];
    memset(r, 0, sizeof *r);
    snprintf(r->lang, sizeof r->lang, "%s", lang);
    return r;
}

void ss_metrics_add_lang(const char *lang)
{
    pthread_mutex_lock(&g_gen_lock);
    (void)lang_row_of(lang ? lang : "");
    pthread_mutex_unlock(&g_gen_lock);
}

void ss_metrics_count_reload(const char *lang)
{
    pthread_mutex_lock(&g_gen_lock);
    lang_row *r = lang_row_of(lang ? lang : "");
    if (r)
        r->reloads++;
    pthread_mutex_unlock(&g_gen_lock);
}

void ss_metrics_set_index(const char *lang, unsigned documents,
                          const char *generation)
{
    pthread_mutex_lock(&g_gen_lock);
    lang_row *r = lang_row_of(lang ? lang : "");
    if (r) {
        r->documents = documents;
        snprintf(r->generation, sizeof r->generation, "%s",
                 generation ? generation : "");
    }
    pthread_mutex_unlock(&g_gen_lock);
}

/* Label values: escape \ " and newline as the text format requires. */
static void put_label_value(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            fputc('\\', f), fputc(*s, f);
        else if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
}

/* Trailing digits of "index.gen-12" -> 12; 0 when there are none. */
static unsigned long generation_number(const char *g)
{
    size_t n = strlen(g), i = n;
    while (i > 0 && g[i - 1] >= '0' && g[i - 1] <= '9')
        i--;
    return i < n ? strtoul(g + i, NULL, 10) : 0;
}

char *ss_metrics_render(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;

    fputs("# HELP skillsearch_requests_total HTTP requests by endpoint and "
          "status.\n# TYPE skillsearch_requests_total counter\n", f);
    for (size_t e = 0; e <= ss_nroutes; e++) /* the rows, then "other" */
        for (size_t si = 0; si <= NSTATUS; si++) {
            unsigned long v = atomic_load_explicit(&g_requests[slot(e)][si],
                                                   memory_order_relaxed);
            if (!v)
                continue;
            fprintf(f, "skillsearch_requests_total{endpoint=\"%s\",",
                    ss_metrics_endpoint_name(e));
            if (si < NSTATUS)
                fprintf(f, "status=\"%u\"} %lu\n", k_status[si], v);
            else
                fprintf(f, "status=\"other\"} %lu\n", v);
        }

    fputs("# HELP skillsearch_request_duration_seconds Time from request "
          "line to response queued.\n"
          "# TYPE skillsearch_request_duration_seconds histogram\n", f);
    for (size_t e = 0; e <= ss_nroutes; e++) {
        const char *name = ss_metrics_endpoint_name(e);
        size_t ep = slot(e);
        unsigned long cum = 0;
        for (size_t bi = 0; bi <= NBUCKET; bi++) {
            cum += atomic_load_explicit(&g_bucket[ep][bi],
                                        memory_order_relaxed);
            if (bi < NBUCKET)
                fprintf(f, "skillsearch_request_duration_seconds_bucket"
                           "{endpoint=\"%s\",le=\"%g\"} %lu\n",
                        name, k_bucket[bi], cum);
            else
                fprintf(f, "skillsearch_request_duration_seconds_bucket"
                           "{endpoint=\"%s\",le=\"+Inf\"} %lu\n",
                        name, cum);
        }
        fprintf(f, "skillsearch_request_duration_seconds_sum"
                   "{endpoint=\"%s\"} %.9f\n",
                name, atomic_load(&g_sum_ns[ep]) / 1e9);
        fprintf(f, "skillsearch_request_duration_seconds_count"
                   "{endpoint=\"%s\"} %lu\n", name, cum);
    }

    lang_row rows[MAX_LANGS];
    pthread_mutex_lock(&g_gen_lock);
    size_t nrows = g_nlangs;
    memcpy(rows, g_langs, nrows * sizeof rows[0]);
    pthread_mutex_unlock(&g_gen_lock);
    lang_row none = {.lang = ""}, *def = nrows ? &rows[0] : &none;
    unsigned long reloads = 0;
    for (size_t i = 0; i < nrows; i++)
        reloads += rows[i].reloads;

    /* Unlabelled: the default language (as before several languages);
     * lang="..": each language. */
    fprintf(f, "# HELP skillsearch_index_documents Documents in the loaded "
               "index (unlabelled: the default language).\n"
               "# TYPE skillsearch_index_documents gauge\n"
               "skillsearch_index_documents %u\n",
            def->documents);
    for (size_t i = 0; i < nrows; i++) {
        fputs("skillsearch_index_documents{lang=\"", f);
        put_label_value(f, rows[i].lang);
        fprintf(f, "\"} %u\n", rows[i].documents);
    }
    fputs("# HELP skillsearch_index_generation Loaded index generation "
          "(number from its directory name).\n"
          "# TYPE skillsearch_index_generation gauge\n"
          "skillsearch_index_generation{generation=\"", f);
    put_label_value(f, def->generation);
    fprintf(f, "\"} %lu\n", generation_number(def->generation));
    for (size_t i = 0; i < nrows; i++) {
        fputs("skillsearch_index_generation{lang=\"", f);
        put_label_value(f, rows[i].lang);
        fputs("\",generation=\"", f);
        put_label_value(f, rows[i].generation);
        fprintf(f, "\"} %lu\n", generation_number(rows[i].generation));
    }
    fprintf(f, "# HELP skillsearch_reloads_total Index generations loaded "
               "after startup (unlabelled: all languages).\n"
               "# TYPE skillsearch_reloads_total counter\n"
               "skillsearch_reloads_total %lu\n",
            reloads);
    for (size_t i = 0; i < nrows; i++) {
        fputs("skillsearch_reloads_total{lang=\"", f);
        put_label_value(f, rows[i].lang);
        fprintf(f, "\"} %lu\n", rows[i].reloads);
    }

    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
