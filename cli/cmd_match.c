/* cmd_match.c - `skillsearch match`: job ads and CVs -> occupations. */
#include <getopt.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../core/progress.h"
#include "../core/text.h"
#include "cli_common.h"
#include "../query/hits_json.h"
#include "../query/match.h"

static const char USAGE[] =
    "usage: skillsearch match [--index INDEX] [--json] [--threads N]\n"
    "                         [--limit N] [--title | --no-title]\n"
    "                         [--min-confidence X] [--data DIR] [FILE ...]\n"
    "\n"
    "Ranks occupations for job ads or CVs and lists the ESCO skills found in\n"
    "them. Each FILE is one document. With no FILE, reads JSON lines\n"
    "{\"id\": ..., \"text\": ..., \"title\": ..., \"read_as\": ...} (\"title\"\n"
    "and \"read_as\" optional; \"query\" is accepted for \"text\") from stdin\n"
    "and writes one JSON line per input line, in input order; a bad line\n"
    "gets {\"id\": ..., \"error\": ...} and the batch goes on.\n"
    "\n"
    "A document is read as titled (its first line names the job: a short\n"
    "line, no sentence) or untitled (task lists, CV sections, an ad without\n"
    "its title: the whole text is body, the occupations it names count);\n"
    "the output says which (\"read_as\").\n"
    "\n"
    "  --index INDEX  index path (default $SKILLSEARCH_INDEX, else ./index)\n"
    "  --json         JSON output (always JSON for stdin input)\n"
    "  --threads N    worker threads, each with its own index handle\n"
    "                 (default: the number of CPUs, at most 16)\n"
    "  --limit N      occupations per document, 1-100 (default 10)\n"
    "  --title        read every document as titled (first line = title)\n"
    "  --no-title     read every document as untitled\n"
    "  --min-confidence X\n"
    "                 skills found under confidence X (0-1) are not listed\n"
    "                 and do not rank occupations (default 0.5)\n"
    "  --features     each skill also lists what its confidence was computed\n"
    "                 from (for learn/skill_confidence.py), and each\n"
    "                 occupation what its score was fused from (\"fusion\",\n"
    "                 for learn/fusion_kfold.py)\n"
    "  --data DIR     stop lists (default ./data)\n"
    "  -h, --help     this text\n";

#define BATCH 512 /* documents read, matched in parallel, then written */

typedef struct job {
    char *id_json;  /* the input id, as JSON text ("null" if none) */
    char *text;     /* owned */
    char *title;    /* owned, may be NULL */
    ss_read_as read_as; /* the line's "read_as", else the pool's */
    char *error;    /* input error, or NULL */
    char *out;      /* the output line */
} job;

typedef struct pool {
    job *jobs;
    size_t n, next;
    pthread_mutex_t mu;
    const char *index, *data;
    unsigned limit;
    ss_read_as read_as;    /* forced by --title / --no-title, else auto */
    double min_confidence;
    int features;   /* --features */
    int table;      /* human-readable output (files, no --json) */
    ss_progress *bar;
    int failed_open;
} pool;

static char *render_table(const char *id, const ss_match *m, const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fprintf(f, "== %s (read as %s)\n", id, ss_read_as_name(m->read_as));
    for (size_t i = 0; i < m->hits.n; i++)
        fprintf(f, "%4zu  %-50.50s %-5s %7.3f\n", i + 1, m->hits.v[i].label,
                m->hits.v[i].isco, m->hits.v[i].score);
    if (m->nskills) {
        fprintf(f, "skills found:");
        for (size_t i = 0; i < m->nskills; i++)
            fprintf(f, "%s %.*s -> %s", i ? "," : "",
                    (int)(m->skills[i].end - m->skills[i].start),
                    text + m->skills[i].start, m->skills[i].label);
        fputc('\n', f);
    }
    fclose(f);
    return buf;
}

static void run_job(pool *p, ss_searcher *s, job *j)
{
    char *msg = NULL;
    json_t *o = NULL;
    if (!j->error) {
        ss_match m;
        ss_match_req req = {.text = j->text, .title = j->title,
                            .read_as = j->read_as ? j->read_as : p->read_as,
                            .limit = p->limit,
                            .min_confidence = p->min_confidence};
        ss_status st = ss_searcher_match(s, &req, &m, &msg);
        if (st == SS_OK) {
            if (p->table) {
                j->out = render_table(j->id_json, &m, j->text);
            } else {
                o = ss_match_to_json(&m, j->text, p->features);
                json_object_set_new(o, "id", json_loads(j->id_json,
                                                        JSON_DECODE_ANY,
                                                        NULL));
            }
            ss_match_free(&m);
        } else if (asprintf(&j->error, "%s",
                            msg ? msg : ss_strerror(st)) < 0) {
            j->error = NULL;
        }
    }
    if (j->error && !j->out) {
        o = json_pack("{s:o, s:s}", "id",
                      json_loads(j->id_json, JSON_DECODE_ANY, NULL), "error",
                      j->error);
    }
    if (o) {
        j->out = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
        json_decref(o);
    }
    free(msg);
}

static void *worker(void *arg)
{
    pool *p = arg;
    ss_searcher *s = ss_cli_open_searcher(p->index, p->data);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        if (!s)
            p->failed_open = 1;
        size_t i = p->next < p->n && s ? p->next++ : p->n;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n)
            break;
        run_job(p, s, &p->jobs[i]);
        ss_progress_add(p->bar, 1);
    }
    ss_searcher_destroy(s);
    return NULL;
}

/* Matches jobs[0..n) on nthreads threads and prints them in order. */
static int run_batch(pool *p, job *jobs, size_t n, unsigned nthreads)
{
    p->jobs = jobs;
    p->n = n;
    p->next = 0;
    pthread_t th[16];
    unsigned started = 0;
    for (unsigned t = 0; t < nthreads && t < n; t++)
        if (pthread_create(&th[t], NULL, worker, p) == 0)
            started++;
    if (!started)
        worker(p);
    for (unsigned t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].out)
            printf("%s\n", jobs[i].out);
        free(jobs[i].out);
        free(jobs[i].text);
        free(jobs[i].title);
        free(jobs[i].error);
        free(jobs[i].id_json);
    }
    fflush(stdout);
    return p->failed_open ? -1 : 0;
}

static char *read_file(const char *path, char **err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (asprintf(err, "%s: cannot read", path) < 0)
            *err = NULL;
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0, r;
    char chunk[65536];
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + r + 1 > cap) {
            cap = (len + r + 1) * 2;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
        memcpy(buf + len, chunk, r);
        len += r;
    }
    fclose(f);
    if (!buf && !(buf = strdup("")))
        return NULL;
    buf[len] = '\0';
    if (!ss_utf8_valid(buf, len)) {
        if (asprintf(err, "%s: not valid UTF-8 text", path) < 0)
            *err = NULL;
        free(buf);
        return NULL;
    }
    return buf;
}

/* One stdin line -> a job (text, or an error to report). */
static void parse_line(job *j, const char *line, unsigned long lineno)
{
    memset(j, 0, sizeof *j);
    json_error_t jerr;
    json_t *in = json_loads(line, 0, &jerr);
    json_t *id = in && json_is_object(in) ? json_object_get(in, "id") : NULL;
    j->id_json = id ? json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT)
                    : strdup("null");
    json_t *text = NULL, *title = NULL, *read_as = NULL;
    if (in && json_is_object(in)) {
        text = json_object_get(in, "text");
        if (!text)
            text = json_object_get(in, "query");
        title = json_object_get(in, "title");
        read_as = json_object_get(in, "read_as");
    }
    if (!in || !json_is_object(in)) {
        if (asprintf(&j->error, "stdin:%lu: not a JSON object", lineno) < 0)
            j->error = NULL;
    } else if (!json_is_string(text)) {
        if (asprintf(&j->error, "stdin:%lu: field 'text' must be a string",
                     lineno) < 0)
            j->error = NULL;
    } else if (title && !json_is_string(title)) {
        if (asprintf(&j->error, "stdin:%lu: field 'title' must be a string",
                     lineno) < 0)
            j->error = NULL;
    } else if (read_as && (!json_is_string(read_as) ||
                           ss_read_as_parse(json_string_value(read_as),
                                            &j->read_as))) {
        if (asprintf(&j->error,
                     "stdin:%lu: field 'read_as' must be \"titled\", "
                     "\"untitled\" or \"auto\"",
                     lineno) < 0)
            j->error = NULL;
    } else {
        j->text = strdup(json_string_value(text));
        if (title)
            j->title = strdup(json_string_value(title));
    }
    json_decref(in);
}

int ss_cmd_match(int argc, char **argv)
{
    pool p = {.limit = 10, .min_confidence = SS_MIN_CONFIDENCE_DEFAULT};
    int json = 0;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned nthreads = ncpu > 0 ? (unsigned)ncpu : 1;
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"json", no_argument, 0, 'j'},
        {"threads", required_argument, 0, 't'},
        {"limit", required_argument, 0, 'n'},
        {"data", required_argument, 0, 'd'},
        {"title", no_argument, 0, 'T'},
        {"no-title", no_argument, 0, 'U'},
        {"min-confidence", required_argument, 0, 'c'},
        {"features", no_argument, 0, 'F'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:jt:n:d:TUc:Fh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': p.index = optarg; break;
        case 'j': json = 1; break;
        case 't':
            if (ss_parse_uint("--threads", optarg, 1, 16, &nthreads))
                return 2;
            break;
        case 'n':
            if (ss_parse_uint("--limit", optarg, 1, 100, &p.limit))
                return 2;
            break;
        case 'd': p.data = optarg; break;
        case 'T':
        case 'U':
            if (p.read_as && p.read_as != (c == 'T' ? SS_READ_TITLED
                                                     : SS_READ_UNTITLED)) {
                fputs("skillsearch match: --title and --no-title exclude "
                      "each other\n", stderr);
                return 2;
            }
            p.read_as = c == 'T' ? SS_READ_TITLED : SS_READ_UNTITLED;
            break;
        case 'c':
            if (ss_min_confidence_parse(optarg, &p.min_confidence)) {
                fprintf(stderr, "skillsearch match: --min-confidence must be "
                                "a number from 0 to 1, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'F': p.features = 1; break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (nthreads > 16)
        nthreads = 16;
    /* fail early, with the usual message, if the index cannot be opened */
    ss_searcher *probe = ss_cli_open_searcher(p.index, p.data);
    if (!probe)
        return 1;
    ss_searcher_destroy(probe);
    pthread_mutex_init(&p.mu, NULL);
    int rc = 0;
    if (optind < argc) {
        size_t n = (size_t)(argc - optind);
        job *jobs = calloc(n, sizeof *jobs);
        if (!jobs)
            return 1;
        p.table = !json;
        p.bar = ss_progress_create("matching", n, n > 1 ? 0 : -1);
        for (size_t i = 0; i < n; i++) {
            const char *path = argv[optind + (int)i];
            json_t *id = json_string(path);
            jobs[i].id_json = p.table ? strdup(path)
                                      : json_dumps(id, JSON_ENCODE_ANY);
            json_decref(id);
            jobs[i].text = read_file(path, &jobs[i].error);
            if (jobs[i].error) {
                fprintf(stderr, "skillsearch match: %s\n", jobs[i].error);
                rc = 1;
            }
        }
        if (run_batch(&p, jobs, n, nthreads) < 0)
            rc = 1;
        free(jobs);
    } else {
        job *jobs = calloc(BATCH, sizeof *jobs);
        char *line = NULL;
        size_t cap = 0, n = 0;
        unsigned long lineno = 0;
        ssize_t r;
        p.bar = ss_progress_create("matching", 0, 0);
        while (jobs && (r = getline(&line, &cap, stdin)) >= 0) {
            lineno++;
            if (r == 0 || (r == 1 && line[0] == '\n'))
                continue;
            parse_line(&jobs[n++], line, lineno);
            if (n == BATCH) {
                if (run_batch(&p, jobs, n, nthreads) < 0)
                    rc = 1;
                n = 0;
            }
        }
        if (n && run_batch(&p, jobs, n, nthreads) < 0)
            rc = 1;
        free(line);
        free(jobs);
    }
    ss_progress_finish(p.bar);
    ss_progress_destroy(p.bar);
    pthread_mutex_destroy(&p.mu);
    return rc;
}
