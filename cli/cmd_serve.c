/* cmd_serve.c - `skillsearch serve`: the HTTP service until SIGTERM. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "../core/lang.h"
#include "../core/paths.h"
#include "../server/langs.h"
#include "cli_common.h"
#include "../server/http_server.h"

static const char USAGE[] =
    "usage: skillsearch serve [--index [LANG=]INDEX]... [--bind ADDR]\n"
    "                         [--port N]\n"
    "                         [--threads N] [--web DIR] [--cors ORIGIN]\n"
    "                         [--data DIR] [--cache-mb N] [--drain-ms N]\n"
    "\n"
    "Serves the JSON API (/search /suggest /match /occupations/{id}\n"
    "/skills/{id} /health /metrics) and the search page of --web.\n"
    "The index is reloaded when INDEX points at a new generation (checked\n"
    "every 250 ms) or on SIGHUP; SIGTERM/SIGINT stop accepting, let\n"
    "requests in flight finish (up to 10 s) and exit 0. Without an index\n"
    "the service starts anyway and answers 503 until one appears.\n"
    "With --drain-ms, SIGTERM first drains: for N ms /health answers 503\n"
    "(a load balancer's health check then stops sending here) and every\n"
    "answer closes its connection, while requests are still served; a\n"
    "second SIGTERM/SIGINT ends the drain at once.\n"
    "\n"
    "  --index INDEX   index path (default $SKILLSEARCH_INDEX, else ./index)\n"
    "  --index LANG=INDEX  one index per language, repeated (en=... fr=...):\n"
    "                  lang= or Accept-Language picks one, the first is the\n"
    "                  default; each reloads on its own\n"
    "  --bind ADDR     listen address (default 127.0.0.1; ::1 for IPv6)\n"
    "  --port N        TCP port, 0 for any free one (default 8080)\n"
    "  --threads N     worker threads, 1-256 (default: CPU count)\n"
    "  --web DIR       static files (default web/)\n"
    "  --cors ORIGIN   send Access-Control-Allow-Origin: ORIGIN\n"
    "  --data DIR      stop lists and synonyms (default ./data)\n"
    "  --cache-mb N    keep up to N MB of /search and /suggest answers, so\n"
    "                  a request asked again is not searched again; 0 off\n"
    "                  (default 64)\n"
    "  --drain-ms N    on SIGTERM, drain for N ms before closing, 0-600000\n"
    "                  (default 0: close at once)\n"
    "  -h, --help      this text\n";

#define GRACE_MS 10000
#define MAX_CONNS 1000

/* Connections MHD may hold: raises the soft descriptor limit to the hard
 * one, then leaves room for index files (a few per worker) and logs. */
static unsigned connection_limit(unsigned threads)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 256;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    unsigned long reserve = 64 + 16ul * (threads + 1);
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > MAX_CONNS + reserve)
        return MAX_CONNS;
    return rl.rlim_cur > reserve + 16 ? (unsigned)(rl.rlim_cur - reserve)
                                      : 16;
}

/* --drain-ms: keeps serving for ms with /health failing, so that a load
 * balancer stops sending before the socket closes. SIGHUP still reloads;
 * another SIGTERM/SIGINT cuts the drain short. */
static void drain(ss_server *srv, const sigset_t *set, unsigned ms)
{
    fprintf(stderr, "skillsearch serve: draining for %u ms (/health "
                    "answers 503)\n", ms);
    ss_server_drain(srv);
    struct timespec end, now;
    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += ms / 1000;
    end.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (end.tv_nsec >= 1000000000L) {
        end.tv_sec++;
        end.tv_nsec -= 1000000000L;
    }
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long left = (long long)(end.tv_sec - now.tv_sec) * 1000000000LL +
                         (end.tv_nsec - now.tv_nsec);
        if (left <= 0)
            return;
        struct timespec t = {(time_t)(left / 1000000000LL),
                             (long)(left % 1000000000LL)};
        int sig = sigtimedwait(set, NULL, &t);
        if (sig == SIGHUP) {
            ss_server_reload(srv);
        } else if (sig == SIGTERM || sig == SIGINT) {
            fputs("skillsearch serve: drain cut short\n", stderr);
            return;
        }
        /* -1: timed out (the loop ends) or EINTR (wait again) */
    }
}

int ss_cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},
        {"bind", required_argument, NULL, 'b'},
        {"port", required_argument, NULL, 'p'},
        {"threads", required_argument, NULL, 't'},
        {"web", required_argument, NULL, 'w'},
        {"cors", required_argument, NULL, 'c'},
        {"data", required_argument, NULL, 'd'},
        {"cache-mb", required_argument, NULL, 'm'},
        {"drain-ms", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *data_opt = NULL;
    ss_server_index ix[SS_LANGS_MAX];
    size_t nix = 0;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    ss_server_opts o = {
        .bind = "127.0.0.1",
        .port = 8080,
        .threads = ncpu < 1 ? 1 : ncpu > 64 ? 64 : (unsigned)ncpu,
        .web = "web",
        .cache_bytes = 64u << 20,
    };
    unsigned cache_mb = 64, drain_ms = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'i':
            if (nix == SS_LANGS_MAX) {
                fprintf(stderr, "skillsearch serve: at most %d --index\n",
                        SS_LANGS_MAX);
                return 2;
            }
            if (ss_parse_lang_index("serve", optarg, &ix[nix].lang,
                                    &ix[nix].path))
                return 2;
            nix++;
            for (size_t j = 0; ix[nix - 1].lang && j + 1 < nix; j++)
                if (ix[j].lang && !strcmp(ix[j].lang, ix[nix - 1].lang)) {
                    fprintf(stderr, "skillsearch serve: --index '%s=%s': "
                                    "language %s given twice\n",
                            ix[nix - 1].lang, ix[nix - 1].path,
                            ix[nix - 1].lang);
                    return 2;
                }
            break;
        case 'b': o.bind = optarg; break;
        case 'p':
            if (ss_parse_uint("--port", optarg, 0, 65535, &o.port))
                return 2;
            break;
        case 't':
            if (ss_parse_uint("--threads", optarg, 1, 256, &o.threads))
                return 2;
            break;
        case 'w': o.web = optarg; break;
        case 'c': o.cors = *optarg ? optarg : NULL; break;
        case 'd': data_opt = optarg; break;
        case 'm':
            if (ss_parse_uint("--cache-mb", optarg, 0, 65536, &cache_mb))
                return 2;
            o.cache_bytes = (size_t)cache_mb << 20;
            break;
        case 'D':
            if (ss_parse_uint("--drain-ms", optarg, 0, 600000, &drain_ms))
                return 2;
            break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "skillsearch serve: unexpected argument '%s'\n%s",
                argv[optind], USAGE);
        return 2;
    }
    /* One --index DIR: as before several languages (the language is the
     * index's, and it may appear later). */
    char *index = ss_index_path(nix == 1 && !ix[0].lang ? ix[0].path : NULL);
    char *data = ss_data_dir(data_opt);
    if (!index || !data) {
        free(index);
        free(data);
        fputs("skillsearch serve: out of memory\n", stderr);
        return 1;
    }
    o.index = index;
    if (nix > 1 || (nix == 1 && ix[0].lang)) {
        o.indexes = ix;
        o.nindexes = nix;
    }
    o.datadir = data;
    o.max_conns = connection_limit(o.threads);

    /* Signals are taken synchronously by this thread; every thread started
     * from here on inherits the blocked mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    ss_server *srv = NULL;
    char *err = NULL;
    ss_status st = ss_server_start(&o, &srv, &err);
    if (st != SS_OK) {
        fprintf(stderr, "skillsearch serve: %s\n", err ? err : "failed");
        free(err);
        free(index);
        free(data);
        return st == SS_ERR_INVALID ? 2 : 1; /* bad option vs. failure */
    }
    int v6 = strchr(o.bind, ':') != NULL;
    fprintf(stderr,
            "skillsearch serve: listening on http://%s%s%s:%u/ "
            "(index %s%s, %u threads, cache %u MB)\n",
            v6 ? "[" : "", o.bind, v6 ? "]" : "", ss_server_port(srv),
            o.nindexes ? o.indexes[0].path : index,
            o.nindexes > 1 ? " and more languages" : "", o.threads, cache_mb);
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            fputs("skillsearch serve: SIGHUP, reloading the index\n", stderr);
            ss_server_reload(srv);
            continue;
        }
        fprintf(stderr, "skillsearch serve: %s, finishing requests in "
                        "flight\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
        break;
    }
    if (drain_ms)
        drain(srv, &set, drain_ms);
    ss_server_stop(srv, GRACE_MS);
    fputs("skillsearch serve: stopped\n", stderr);
    free(index);
    free(data);
    return 0;
}
