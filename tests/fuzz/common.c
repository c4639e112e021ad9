#include "common.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cli/cmd.h"
#include "../../core/text.h"

#ifndef SS_SRCDIR
#define SS_SRCDIR "."
#endif

static char *g_tmp;
static ss_searcher *g_searcher;

static void die(const char *what)
{
    fprintf(stderr, "fuzz harness: %s\n", what);
    abort();
}

const char *fz_path(const char *rel)
{
    /* a few static slots: callers keep at most a handful of paths */
    static char slots[8][4096];
    static unsigned next;
    char *p = slots[next++ % 8];
    snprintf(p, sizeof slots[0], "%s/%s", SS_SRCDIR, rel);
    return p;
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    ss_searcher_destroy(g_searcher);
    g_searcher = NULL;
    if (g_tmp) {
        if (nftw(g_tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
            fprintf(stderr, "fuzz harness: could not remove %s\n", g_tmp);
        free(g_tmp);
        g_tmp = NULL;
    }
}

static void at_exit_once(void)
{
    static int done;
    if (!done++)
        atexit(cleanup);
}

const char *fz_tmpdir(void)
{
    if (!g_tmp) {
        /* under $SS_FUZZ_TMPDIR when set: a crash skips the cleanup */
        const char *base = getenv("SS_FUZZ_TMPDIR");
        char tmpl[4096];
        snprintf(tmpl, sizeof tmpl, "%s/ss-fuzz.XXXXXX",
                 base && *base ? base : "/tmp");
        if (!mkdtemp(tmpl))
            die("mkdtemp failed");
        g_tmp = strdup(tmpl);
        if (!g_tmp)
            die("out of memory");
        at_exit_once();
    }
    return g_tmp;
}

void fz_write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        die(path);
}

const char *fz_sample_index(void)
{
    static char path[4096];
    if (path[0])
        return path;
    const char *env = getenv("SS_FUZZ_INDEX");
    struct stat sb;
    if (env && *env)
        snprintf(path, sizeof path, "%s", env);
    else
        snprintf(path, sizeof path, "%s/sample-index", fz_tmpdir());
    if (stat(path, &sb) == 0)
        return path;
    char esco[4096], data[4096];
    snprintf(esco, sizeof esco, "%s", fz_path("data/sample"));
    snprintf(data, sizeof data, "%s", fz_path("data"));
    char *argv[] = {"index", "--esco", esco, "--out", path,
                    "--data", data, "--quiet", NULL};
    if (ss_cmd_index(8, argv) != 0)
        die("building the sample index failed");
    return path;
}

ss_searcher *fz_searcher(void)
{
    if (g_searcher)
        return g_searcher;
    char *err = NULL;
    if (ss_searcher_open(fz_sample_index(), fz_path("data"), &g_searcher,
                         &err) != SS_OK)
        die(err ? err : "cannot open the sample index");
    at_exit_once();
    return g_searcher;
}

void fz_search(const uint8_t *data, size_t size, int syntax)
{
    static const char *const isco[] = {NULL, NULL, "2", "215", "2152",
                                       "9999"};
    if (size == 0)
        return;
    ss_search_req req = {
        .text = (const char *)data,
        .len = size,
        .kind = (size & 1) ? SS_KIND_SKILL : SS_KIND_OCC,
        .facets = (size >> 1) & 1,
        .limit = 1 + data[0] % 20,
        .offset = (size >> 2) % 3 ? 0 : data[size - 1] % 30,
        .isco = isco[(size >> 3) % 6],
        .syntax = syntax,
    };
    ss_hits h;
    char *err = NULL;
    ss_status st = ss_searcher_search(fz_searcher(), &req, &h, &err);
    if (st == SS_OK) {
        if (h.n > req.limit)
            abort();
        for (size_t i = 0; i < h.n; i++)
            if (!h.v[i].uri || !h.v[i].label || !h.v[i].type)
                abort();
        ss_hits_free(&h);
    } else if (syntax ? st != SS_ERR_BAD_QUERY || !err || !*err
                      : st != SS_ERR_INVALID || ss_utf8_valid(req.text, size)) {
        abort();
    }
    free(err);
}

void fz_silence_stdout(void)
{
    if (!freopen("/dev/null", "w", stdout))
        die("cannot reopen stdout");
}
