/* cmd_langid.c - `skillsearch langid`: the language of short queries among
 * the indexes given, and the accuracy of every method on a labelled set
 * (README, Language identification). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cli_common.h"
#include "../core/lang.h"
#include "../query/langid.h"

#define MAX_LANGS 32

static const char USAGE[] =
    "usage: skillsearch langid --index LANG=DIR [--index LANG=DIR ...]\n"
    "                          [--method M] [--eval FILE.tsv] [TEXT ...]\n"
    "\n"
    "Guesses the language of each TEXT (or of each line of stdin) among the\n"
    "indexes given and prints 'LANG<TAB>why'. The first index is the\n"
    "default. With --eval, reads 'LANG<TAB>text' lines and prints the\n"
    "accuracy of every method per language and length (1, 2, 3-4 words).\n"
    "\n"
    "  --index LANG=DIR  an index and its language (repeatable, in order)\n"
    "  --method M        cld2, textcat, coverage, coverage+cld2 or\n"
    "                    coverage+textcat (default: the one that ships)\n"
    "  --eval FILE       the labelled set (tests/e2e/langid_set.py)\n"
    "  --data DIR        stop lists and synonyms (default ./data)\n"
    "  -h, --help        this text\n";

#define NBUCKETS 4 /* 1, 2, 3-4 words, all */
static const char *const bucket_names[NBUCKETS] = {"1", "2", "3-4", "all"};

static int bucket_of(const char *text)
{
    int words = 0, in = 0;
    for (const char *p = text; *p; p++) {
        int sp = *p == ' ' || *p == '\t';
        words += !sp && !in;
        in = !sp;
    }
    return words <= 1 ? 0 : words == 2 ? 1 : 2;
}

typedef struct tally {
    unsigned right[SS_LANGID_NMETHODS][MAX_LANGS + 1][NBUCKETS];
    unsigned total[MAX_LANGS + 1][NBUCKETS];
} tally;

/* Runs every method on each line of f; 0 or 1 after a message. */
static int evaluate(ss_langid *id, const char *const *langs, size_t n,
                    FILE *f, tally *t)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned lineno = 0;
    int rc = 0;
    while (!rc && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *tab = strchr(line, '\t');
        if (!len || line[0] == '#')
            continue;
        size_t li = 0;
        if (tab) {
            *tab = '\0';
            while (li < n && strcmp(langs[li], line))
                li++;
        }
        if (!tab || li == n) {
            fprintf(stderr, "skillsearch langid: line %u: want LANG<TAB>text "
                            "with LANG one of the indexes\n", lineno);
            rc = 1;
            break;
        }
        const char *text = tab + 1;
        int b = bucket_of(text);
        for (int k = 0; k < 2; k++) {
            t->total[li][k ? NBUCKETS - 1 : b]++;
            t->total[n][k ? NBUCKETS - 1 : b]++;
        }
        for (int m = 0; m < SS_LANGID_NMETHODS; m++) {
            const char *got;
            char *err = NULL;
            ss_status st = ss_langid_guess_with(id, m, text, strlen(text),
                                                &got, NULL, &err);
            if (st != SS_OK) {
                fprintf(stderr, "skillsearch langid: line %u: %s\n", lineno,
                        err ? err : ss_strerror(st));
                free(err);
                rc = 1;
                break;
            }
            if (!strcmp(got, langs[li]))
                for (int k = 0; k < 2; k++) {
                    t->right[m][li][k ? NBUCKETS - 1 : b]++;
                    t->right[m][n][k ? NBUCKETS - 1 : b]++;
                }
        }
    }
    free(line);
    return rc;
}

/* A row per language and length, a column per method: Markdown, as in
 * the README. */
static void print_table(const tally *t, const char *const *langs, size_t n)
{
    printf("| language | words | queries |");
    for (int m = 0; m < SS_LANGID_NMETHODS; m++)
        printf(" %s%s |", ss_langid_method_name(m),
               m == SS_LANGID_DEFAULT ? " (ships)" : "");
    printf("\n|---|---|---:|");
    for (int m = 0; m < SS_LANGID_NMETHODS; m++)
        printf("---:|");
    printf("\n");
    for (size_t l = 0; l <= n; l++)
        for (int b = 0; b < NBUCKETS; b++) {
            printf("| %s | %s | %u |", l < n ? langs[l] : "all",
                   bucket_names[b], t->total[l][b]);
            for (int m = 0; m < SS_LANGID_NMETHODS; m++)
                printf(" %.1f |", t->total[l][b] ? 100.0 *
                                                       t->right[m][l][b] /
                                                       t->total[l][b]
                                                 : 0.0);
            printf("\n");
        }
    printf("\n");
    /* one line per method for scripts: "accuracy METHOD PCT" */
    for (int m = 0; m < SS_LANGID_NMETHODS; m++)
        printf("accuracy %s %.1f\n", ss_langid_method_name(m),
               t->total[n][NBUCKETS - 1]
                   ? 100.0 * t->right[m][n][NBUCKETS - 1] /
                         t->total[n][NBUCKETS - 1]
                   : 0.0);
}

static int guess_one(ss_langid *id, ss_langid_method m, const char *text)
{
    const char *lang;
    char *why = NULL, *err = NULL;
    ss_status st = ss_langid_guess_with(id, m, text, strlen(text), &lang,
                                        &why, &err);
    if (st != SS_OK) {
        fprintf(stderr, "skillsearch langid: %s\n",
                err ? err : ss_strerror(st));
        free(err);
        return 1;
    }
    printf("%s\t%s\n", lang, why);
    free(why);
    return 0;
}

int ss_cmd_langid(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"method", required_argument, 0, 'm'},
        {"eval", required_argument, 0, 'e'},
        {"data", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *data = NULL, *eval = NULL, *langs[MAX_LANGS];
    const char *dirs[MAX_LANGS];
    size_t n = 0;
    int method = SS_LANGID_DEFAULT, c, rc = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': {
            const char *lang, *dir;
            if (n == MAX_LANGS) {
                fprintf(stderr, "skillsearch langid: at most %d indexes\n",
                        MAX_LANGS);
                return 2;
            }
            if (ss_parse_lang_index("langid", optarg, &lang, &dir))
                return 2;
            if (!lang) {
                fprintf(stderr, "skillsearch langid: --index wants LANG=DIR, "
                                "not '%s'\n", optarg);
                return 2;
            }
            langs[n] = lang;
            dirs[n++] = dir;
            break;
        }
        case 'm':
            for (method = 0; method < SS_LANGID_NMETHODS &&
                             strcmp(optarg, ss_langid_method_name(method));)
                method++;
            if (method == SS_LANGID_NMETHODS) {
                fprintf(stderr, "skillsearch langid: unknown method '%s' "
                                "(cld2, textcat, coverage, coverage+cld2, "
                                "coverage+textcat)\n", optarg);
                return 2;
            }
            break;
        case 'e': eval = optarg; break;
        case 'd': data = optarg; break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (!n) {
        fprintf(stderr, "skillsearch langid: give --index LANG=DIR\n%s",
                USAGE);
        return 2;
    }
    ss_searcher *s[MAX_LANGS] = {0};
    ss_langid *id = NULL;
    char *err = NULL;
    for (size_t i = 0; !rc && i < n; i++) {
        if (!(s[i] = ss_cli_open_searcher(dirs[i], data)))
            rc = 1;
        else if (strcmp(ss_searcher_lang(s[i]), langs[i])) {
            fprintf(stderr, "skillsearch langid: index %s is in '%s', not "
                            "'%s'\n", dirs[i], ss_searcher_lang(s[i]),
                    langs[i]);
            rc = 2;
        }
    }
    ss_status st = SS_OK;
    if (!rc && (st = ss_langid_create(langs, s, n, NULL, &id, &err)) !=
                   SS_OK) {
        fprintf(stderr, "skillsearch langid: %s\n",
                err ? err : ss_strerror(st));
        rc = st == SS_ERR_INVALID ? 2 : 1;
    }
    if (!rc && eval) {
        FILE *f = fopen(eval, "r");
        tally *t = calloc(1, sizeof *t);
        if (!f || !t) {
            fprintf(stderr, "skillsearch langid: cannot read %s\n", eval);
            rc = 1;
        } else if (!(rc = evaluate(id, langs, n, f, t))) {
            print_table(t, langs, n);
        }
        if (f)
            fclose(f);
        free(t);
    } else if (!rc && optind < argc) {
        for (int i = optind; !rc && i < argc; i++)
            rc = guess_one(id, method, argv[i]);
    } else if (!rc) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        while (!rc && (len = getline(&line, &cap, stdin)) >= 0) {
            while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                line[--len] = '\0';
            rc = guess_one(id, method, line);
            fflush(stdout);
        }
        free(line);
    }
    free(err);
    ss_langid_destroy(id);
    for (size_t i = 0; i < n; i++)
        ss_searcher_destroy(s[i]);
    return rc;
}
