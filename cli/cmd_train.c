/* cmd_train.c - `skillsearch train`: the learned ranker of one kind. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cli_common.h"
#include "../learn/train.h"
#include "../query/features.h"

static const char USAGE[] =
    "usage: skillsearch train --out FILE [--index INDEX] [--data DIR]\n"
    "                         [--type occupation|skill] [--queries FILE]...\n"
    "                         [--labels preferred,alternative,hidden]\n"
    "                         [--label-every N] [--esco-weight W]\n"
    "                         [--depth N] [--rounds N]\n"
    "                         [--max-depth N] [--quiet]\n"
    "       skillsearch train --meaning --out FILE.ftz [--index INDEX]\n"
    "                         [--queries FILE]... [--labels LIST]\n"
    "                         [--dim N] [--epoch N] [--quiet]\n"
    "\n"
    "Trains the learned ranker (gradient-boosted trees, LambdaMART) that\n"
    "reorders the first candidates of a search, from labelled queries\n"
    "(JSON lines {\"query\": ..., \"gold\": [URI, ...]}) and ESCO's own\n"
    "labels as queries, on an index built without a model. The same inputs\n"
    "give the same file. `make model` runs it for the shipped models.\n"
    "\n"
    "With --meaning it trains the title classifier instead (fastText,\n"
    "supervised): the same queries, each labelled with its concept; its\n"
    "probabilities and best guesses join an occupation search's order.\n"
    "\n"
    "  --out FILE       model file to write (data/models/LANG-TYPE.model)\n"
    "  --index INDEX    index path (default $SKILLSEARCH_INDEX, else ./index)\n"
    "  --type T         occupation (default) or skill\n"
    "  --queries FILE   labelled queries; repeatable (never a dev set)\n"
    "  --labels LIST    ESCO as queries, comma-separated: preferred,\n"
    "                   alternative, hidden (labels; the label itself left\n"
    "                   out but for preferred), skills (occupations: two of\n"
    "                   its rarest essential skills), or none (default\n"
    "                   preferred,alternative,skills)\n"
    "  --label-every N  take every Nth label query (default 1)\n"
    "  --esco-weight W  weight of an ESCO query against a labelled one\n"
    "                   (default 1)\n"
    "  --depth N        candidates per query (default 50)\n"
    "  --rounds N       boosting rounds (default 200)\n"
    "  --max-depth N    depth of each tree, 1-10 (default 6)\n"
    "  --meaning        train the title classifier (occupations)\n"
    "  --dim N          its vector size (default 64)\n"
    "  --epoch N        its passes over the queries (default 25)\n"
    "  --data DIR       stop lists and synonyms (default ./data)\n"
    "  --quiet          no progress bar\n"
    "  -h, --help       this text\n";

static int parse_labels(const char *s, unsigned *out)
{
    *out = 0;
    if (!strcmp(s, "none"))
        return 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n == 9 && !strncmp(s, "preferred", n))
            *out |= SS_TRAIN_PREFERRED;
        else if (n == 11 && !strncmp(s, "alternative", n))
            *out |= SS_TRAIN_ALTERNATIVE;
        else if (n == 6 && !strncmp(s, "hidden", n))
            *out |= SS_TRAIN_HIDDEN;
        else if (n == 6 && !strncmp(s, "skills", n))
            *out |= SS_TRAIN_SKILLS;
        else {
            fprintf(stderr,
                    "skillsearch train: --labels: unknown kind '%.*s' "
                    "(preferred, alternative, hidden, skills or none)\n",
                    (int)n, s);
            return 2;
        }
        s += n + (s[n] == ',');
    }
    return 0;
}

/* The features that carry the model, by their share of the split gain. */
static void print_importance(const double *gain)
{
    size_t order[64], n = ss_nfeatures < 64 ? ss_nfeatures : 64;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = 1; i < n; i++) /* insertion sort: a few dozen */
        for (size_t j = i; j > 0 && gain[order[j]] > gain[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    fprintf(stderr, "skillsearch train: share of the split gain:");
    for (size_t i = 0; i < n && gain[order[i]] >= 0.005; i++)
        fprintf(stderr, "%s %s %.1f%%", i ? "," : "",
                ss_features[order[i]].name, 100 * gain[order[i]]);
    fprintf(stderr, "\n");
}

static void ft_progress(void *ctx, double done)
{
    ss_progress_update(ctx, (unsigned long long)(done * 1000));
}

int ss_cmd_train(int argc, char **argv)
{
    const char *index_opt = NULL, *data_opt = NULL;
    ss_train_opts o = {.kind = SS_KIND_OCC,
                       .labels = SS_TRAIN_PREFERRED | SS_TRAIN_ALTERNATIVE |
                                 SS_TRAIN_SKILLS,
                       .label_every = 1, .depth = 50, .rounds = 200,
                       .max_depth = 6,
                       .ft = {.dim = 64, .epoch = 25, .lr = 0.5,
                              .bucket = 200000, .minn = 3, .maxn = 5,
                              .word_ngrams = 2, .cutoff = 50000}};
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    int quiet = 0, c, rc = 0;
    unsigned u = 0;
    static const struct option opts[] = {
        {"out", required_argument, 0, 'o'},
        {"index", required_argument, 0, 'i'},
        {"data", required_argument, 0, 'd'},
        {"type", required_argument, 0, 't'},
        {"queries", required_argument, 0, 'q'},
        {"labels", required_argument, 0, 'l'},
        {"label-every", required_argument, 0, 'e'},
        {"esco-weight", required_argument, 0, 'w'},
        {"depth", required_argument, 0, 'k'},
        {"rounds", required_argument, 0, 'r'},
        {"max-depth", required_argument, 0, 'm'},
        {"meaning", no_argument, 0, 'M'},
        {"dim", required_argument, 0, 'D'},
        {"epoch", required_argument, 0, 'E'},
        {"quiet", no_argument, 0, 'Q'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    if (!files)
        return 1;
    optind = 1;
    while (rc == 0 &&
           (c = getopt_long(argc, argv, "+o:i:d:t:q:l:e:w:k:r:m:MD:E:Qh", opts,
                            NULL)) != -1) {
        switch (c) {
        case 'o': o.out = optarg; break;
        case 'i': index_opt = optarg; break;
        case 'd': data_opt = optarg; break;
        case 't': rc = ss_parse_kind(optarg, &o.kind) ? 2 : 0; break;
        case 'q': files[o.nfiles++] = optarg; break;
        case 'l': rc = parse_labels(optarg, &o.labels); break;
        case 'e':
            rc = ss_parse_uint("--label-every", optarg, 1, 1000000,
                               &o.label_every) ? 2 : 0;
            break;
        case 'w': {
            char *end = NULL;
            o.esco_weight = strtod(optarg, &end);
            if (!end || *end || !(o.esco_weight > 0 && o.esco_weight <= 1000)) {
                fprintf(stderr, "skillsearch train: --esco-weight: expected a "
                                "number in (0, 1000], got '%s'\n", optarg);
                rc = 2;
            }
            break;
        }
        case 'k':
            rc = ss_parse_uint("--depth", optarg, 2, 1000, &o.depth) ? 2 : 0;
            break;
        case 'r':
            rc = ss_parse_uint("--rounds", optarg, 1, 10000, &o.rounds) ? 2
                                                                          : 0;
            break;
        case 'm':
            rc = ss_parse_uint("--max-depth", optarg, 1, 10, &o.max_depth)
                     ? 2
                     : 0;
            break;
        case 'M': o.meaning = 1; break;
        case 'D':
            rc = ss_parse_uint("--dim", optarg, 2, 1000, &u) ? 2 : 0;
            o.ft.dim = (int)u;
            break;
        case 'E':
            rc = ss_parse_uint("--epoch", optarg, 1, 1000, &u) ? 2 : 0;
            o.ft.epoch = (int)u;
            break;
        case 'Q': quiet = 1; break;
        case 'h': fputs(USAGE, stdout); free(files); return 0;
        default: rc = 2; break;
        }
    }
    if (rc == 0 && (!o.out || optind < argc)) {
        fprintf(stderr, "skillsearch train: %s\n",
                o.out ? "unexpected argument" : "--out FILE is required");
        rc = 2;
    }
    if (rc == 0 && !o.nfiles && !o.labels) {
        fprintf(stderr, "skillsearch train: nothing to learn from: give "
                        "--queries or --labels\n");
        rc = 2;
    }
    if (rc == 0 && o.meaning && o.kind != SS_KIND_OCC) {
        fprintf(stderr, "skillsearch train: --meaning: occupations only\n");
        rc = 2;
    }
    if (rc == 2)
        fputs(USAGE, stderr);
    ss_searcher *s = rc ? NULL : ss_cli_open_searcher(index_opt, data_opt);
    if (rc == 0 && !s)
        rc = 1;
    o.s = s;
    o.files = files;
    o.progress = rc ? NULL
                    : ss_progress_create("train: queries", 0, quiet ? -1 : 0);
    /* fastText's own training gets a bar of its own */
    ss_progress *fbar = rc || !o.meaning
                            ? NULL
                            : ss_progress_create("train: fastText", 1000,
                                                 quiet ? -1 : 0);
    o.ft.progress = fbar ? ft_progress : NULL;
    o.ft.ctx = fbar;
    ss_train_stats stats = {0};
    char *err = NULL;
    if (rc == 0 && ss_train(&o, &stats, &err) != SS_OK) {
        fprintf(stderr, "skillsearch train: %s\n",
                err ? err : "out of memory");
        rc = 1;
    }
    ss_progress_finish(o.progress);
    ss_progress_destroy(o.progress);
    ss_progress_finish(fbar);
    ss_progress_destroy(fbar);
    if (rc == 0 && !quiet && o.meaning)
        fprintf(stderr,
                "skillsearch train: %zu queries, %zu lines, %.1f s -> %s\n",
                stats.queries, stats.used, stats.seconds, o.out);
    else if (rc == 0 && !quiet)
        fprintf(stderr,
                "skillsearch train: %zu queries, %zu with their answer among "
                "the candidates (%.1f%% of those first before training), "
                "%zu rows, %.1f s -> %s\n",
                stats.queries, stats.used, 100.0 * stats.gold_at_1,
                stats.rows, stats.seconds, o.out);
    if (rc == 0 && !quiet && stats.gain)
        print_importance(stats.gain);
    free(stats.gain);
    free(err);
    free(files);
    ss_searcher_destroy(s);
    return rc;
}
