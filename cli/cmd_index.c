/* cmd_index.c - `skillsearch index`: ESCO CSV -> Xapian index + catalogue. */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fasttext_wrap.h"
#include "../core/lang.h"
#include "../core/paths.h"
#include "../core/progress.h"
#include "../core/text.h"
#include "../indexer/catalog.h"
#include "cmd.h"
#include "../indexer/esco.h"
#include "../indexer/generation.h"
#include "../indexer/index_build.h"
#include "../core/schema.h"
#include "../query/rerank.h"
#include "../synonyms/wordvec.h"

static const char USAGE[] =
    "usage: skillsearch index --esco DIR [--lang LANG] [--out INDEX]\n"
    "                         [--data DIR] [--vectors FILE] [--models DIR]\n"
    "                         [--quiet] [--progress]\n"
    "\n"
    "Reads the ESCO CSV download in DIR (occupations_LANG.csv, skills_LANG.csv,\n"
    "relations, ISCO groups ...) and writes a search index: a Xapian database\n"
    "plus an SQLite catalogue. The new index is swapped in atomically; if the\n"
    "build fails or is interrupted, the previous index stays as it was.\n"
    "\n"
    "  --esco DIR     the unzipped ESCO CSV download (required)\n"
    "  --lang LANG    language of the download: en, fr, nl, ... (default en)\n"
    "  --out INDEX    index path (default $SKILLSEARCH_INDEX, else ./index)\n"
    "  --data DIR     stop lists and synonyms (default ./data)\n"
    "  --models DIR   learned rankers and title classifier put into the\n"
    "                 index: DIR/LANG-occupation.model, DIR/LANG-skill.model,\n"
    "                 DIR/LANG-occupation.ftz where present (default\n"
    "                 $SKILLSEARCH_MODELS, else\n"
    "                 DATA/models; \"\" for none: the fused order)\n"
    "  --vectors FILE word vectors put into the index, for matching by\n"
    "                 meaning (default $SKILLSEARCH_VECTORS, else\n"
    "                 vectors/LANG.ssvec if present, which `make vectors`\n"
    "                 writes; \"\" for none)\n"
    "  --quiet        no warnings per row, no summary\n"
    "  --progress     show progress bars even when stderr is not a terminal\n"
    "  -h, --help     this text\n";

typedef struct warn_ctx {
    int quiet;
    unsigned long shown;
    ss_progress *bar;
} warn_ctx;

#define MAX_WARNINGS_SHOWN 20

static void on_warn(void *ctx, const char *file, unsigned long line,
                    const char *field, const char *msg)
{
    warn_ctx *w = ctx;
    if (w->quiet || w->shown++ >= MAX_WARNINGS_SHOWN)
        return;
    fprintf(stderr, "\rwarning: %s:%lu: field '%s': %s\n", file, line,
            field ? field : "", msg);
}

static void on_progress(void *ctx, unsigned long long done,
                        unsigned long long total)
{
    warn_ctx *w = ctx;
    ss_progress_set_total(w->bar, total);
    ss_progress_update(w->bar, done);
}

/* The models an index can hold: DIR/LANG-<suffix> -> its file there. */
#define NMODELS 3
static const char *const model_suffix[NMODELS] = {
    "occupation.model", "skill.model", "occupation.ftz"};
static const char *const model_file[NMODELS] = {
    SS_FILE_MODEL_OCC, SS_FILE_MODEL_SKILL, SS_FILE_MEANING_OCC};

/* SS_OK if path is a model of kind k, SS_ERR_NOT_FOUND if it is absent. */
static ss_status check_model(int k, const char *path, char **err)
{
    if (k < 2) {
        ss_reranker *m = NULL;
        ss_status st = ss_reranker_open(path, &m, err);
        ss_reranker_destroy(m);
        return st;
    }
    ss_ft *ft = NULL;
    ss_status st = ss_ft_open(path, &ft, err);
    ss_ft_destroy(ft);
    return st;
}

/* The learned rankers and the title classifier to put into the index:
 * DIR/LANG-occupation.model, DIR/LANG-skill.model and
 * DIR/LANG-occupation.ftz where they exist, DIR from --models, else
 * $SKILLSEARCH_MODELS, else DATA/models ("" for none). A file that is
 * there but not a model stops the build. */
static ss_status find_models(const char *opt, const char *datadir,
                             const char *lang, char *out[NMODELS],
                             char **err)
{
    const char *env = getenv("SKILLSEARCH_MODELS");
    const char *dir = opt ? opt : env;
    char *def = NULL;
    if (!dir && asprintf(&def, "%s/models", datadir) < 0)
        return SS_ERR_NOMEM;
    if (!dir)
        dir = def;
    ss_status st = SS_OK;
    for (int k = 0; st == SS_OK && *dir && k < NMODELS; k++) {
        if (asprintf(&out[k], "%s/%s-%s", dir, lang, model_suffix[k]) < 0) {
            out[k] = NULL;
            st = SS_ERR_NOMEM;
            break;
        }
        st = check_model(k, out[k], err);
        if (st == SS_ERR_NOT_FOUND) {
            free(*err);
            *err = NULL;
            free(out[k]);
            out[k] = NULL;
            st = SS_OK;
        }
    }
    free(def);
    return st;
}

typedef struct catalog_job {
    char *path;
    const ss_esco *e;
    ss_status st;
    char *err;
} catalog_job;

static void *catalog_thread(void *arg)
{
    catalog_job *j = arg;
    j->st = ss_catalog_write(j->path, j->e, &j->err);
    return NULL;
}

int ss_cmd_index(int argc, char **argv)
{
    const char *esco_dir = NULL, *lang = SS_LANG_DEFAULT, *out_opt = NULL,
               *data_opt = NULL, *vec_opt = NULL, *model_opt = NULL;
    int quiet = 0, force_progress = 0;
    static const struct option opts[] = {
        {"esco", required_argument, 0, 'e'},
        {"lang", required_argument, 0, 'l'},
        {"out", required_argument, 0, 'o'},
        {"data", required_argument, 0, 'd'},
        {"vectors", required_argument, 0, 'v'},
        {"models", required_argument, 0, 'm'},
        {"quiet", no_argument, 0, 'q'},
        {"progress", no_argument, 0, 'p'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "e:l:o:d:v:m:qph", opts, NULL)) != -1) {
        switch (c) {
        case 'e': esco_dir = optarg; break;
        case 'l': lang = optarg; break;
        case 'o': out_opt = optarg; break;
        case 'd': data_opt = optarg; break;
        case 'v': vec_opt = optarg; break;
        case 'm': model_opt = optarg; break;
        case 'q': quiet = 1; break;
        case 'p': force_progress = 1; break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (!esco_dir || optind < argc) {
        fprintf(stderr, "skillsearch index: %s\n%s",
                esco_dir ? "unexpected argument" : "--esco DIR is required",
                USAGE);
        return 2;
    }

    double t0 = ss_now();
    char *index = ss_index_path(out_opt), *datadir = ss_data_dir(data_opt);
    char *stopdir = NULL, *err = NULL, *gendir = NULL, *vectors = NULL;
    char *models[NMODELS] = {NULL, NULL, NULL};
    ss_esco *e = NULL;
    ss_analyzer *a = NULL;
    ss_build_stats stats = {0};
    int show = force_progress ? 1 : (quiet ? -1 : 0);
    warn_ctx wc = {.quiet = quiet,
                   .bar = ss_progress_create("reading", 0, show)};
    ss_esco_load_opts lo = {.warn = on_warn, .progress = on_progress,
                            .ctx = &wc};
    catalog_job job = {0};
    int rc = 1;

    if (!index || !datadir || asprintf(&stopdir, "%s/stop", datadir) < 0) {
        fputs("skillsearch index: out of memory\n", stderr);
        goto out;
    }
    ss_status st = ss_analyzer_create(lang, stopdir, &a, &err);
    if (st == SS_OK)
        st = ss_vectors_path(vec_opt, lang, &vectors);
    /* a bad vector file fails now, not after minutes of indexing */
    if (st == SS_OK && vectors) {
        ss_wordvec *v = NULL;
        st = ss_wordvec_open(vectors, &v, &err);
        ss_wordvec_destroy(v);
    }
    /* so does a bad model */
    if (st == SS_OK)
        st = find_models(model_opt, datadir, lang, models, &err);
    if (st == SS_OK)
        st = ss_esco_load(esco_dir, lang, &lo, &e, &err);
    ss_progress_finish(wc.bar);
    if (st != SS_OK)
        goto fail;
    if (!quiet && wc.shown > MAX_WARNINGS_SHOWN)
        fprintf(stderr, "warning: %lu more rows skipped or repaired\n",
                wc.shown - MAX_WARNINGS_SHOWN);
    if ((st = ss_gen_create(index, &gendir, &err)) != SS_OK)
        goto fail;

    /* The catalogue and the Xapian index are independent: build both at
     * once on two cores. */
    if (asprintf(&job.path, "%s/catalog.sqlite", gendir) < 0) {
        st = SS_ERR_NOMEM;
        goto fail;
    }
    job.e = e;
    pthread_t th;
    int threaded = pthread_create(&th, NULL, catalog_thread, &job) == 0;
    if (!threaded)
        catalog_thread(&job);
    ss_progress *bar = ss_progress_create("indexing", 0, show);
    st = ss_index_build(gendir, e, a, datadir, bar, &stats, &err);
    ss_progress_finish(bar);
    ss_progress_destroy(bar);
    if (threaded)
        pthread_join(th, NULL);
    if (st == SS_OK && job.st != SS_OK) {
        st = job.st;
        err = job.err;
        job.err = NULL;
    }
    if (st == SS_OK && vectors)
        st = ss_gen_add_vectors(gendir, vectors, &err);
    for (int k = 0; st == SS_OK && k < NMODELS; k++)
        if (models[k])
            st = ss_gen_add_file(gendir, models[k], model_file[k], &err);
    if (st == SS_OK)
        st = ss_gen_publish(index, gendir, &err);
    if (st != SS_OK) {
        ss_gen_discard(gendir);
        goto fail;
    }
    if (!quiet)
        fprintf(stderr,
                "indexed %zu occupations, %zu skills, %zu relations "
                "(%u label documents, %zu rows skipped) in %.1fs\n"
                "index %s -> %s, %.1f MB%s%s%s%s\n",
                e->nocc, e->nskill, e->nrel, stats.label_docs, e->nwarnings,
                ss_now() - t0, index, gendir,
                (double)ss_dir_size(gendir) / 1e6,
                vectors ? ", word vectors from " : " (no word vectors)",
                vectors ? vectors : "",
                models[0] || models[1] ? ", learned ranker"
                                       : " (no learned ranker)",
                models[2] ? ", title classifier" : "");
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "skillsearch index: %s\n",
            err ? err : ss_strerror(st));
    fprintf(stderr, "skillsearch index: the previous index at %s is "
                    "unchanged\n", index);
out:
    ss_progress_destroy(wc.bar);
    free(job.path);
    free(job.err);
    free(gendir);
    free(err);
    free(stopdir);
    free(index);
    free(datadir);
    free(vectors);
    for (int k = 0; k < NMODELS; k++)
        free(models[k]);
    ss_analyzer_destroy(a);
    ss_esco_destroy(e);
    return rc;
}
