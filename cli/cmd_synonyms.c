/* cmd_synonyms.c - `skillsearch synonyms list|check TERM`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cli_common.h"
#include "../query/termcheck.h"

static const char USAGE[] =
    "usage: skillsearch synonyms [--index INDEX] [--data DIR] list\n"
    "       skillsearch synonyms [--index INDEX] [--data DIR] check TERM...\n"
    "\n"
    "list   the curated synonyms (DIR/synonyms/LANG.tsv) as the search side\n"
    "       reads them: analysed key, expansions, and file:line\n"
    "check  what TERM expands to: its analysed key, curated synonyms, the\n"
    "       ESCO preferred labels it is an alternative label of (from the\n"
    "       index's synonym table), and spelling suggestions for its words\n"
    "\n"
    "  --index INDEX  index path (default $SKILLSEARCH_INDEX, else ./index)\n"
    "  --data DIR     where synonyms/ and stop/ are (default ./data)\n"
    "  -h, --help     this text\n";

static void print_entry(const ss_syn *e)
{
    printf("%s  [%s]\n", e->text, e->source);
    for (size_t i = 0; i < e->n; i++)
        printf("  -> %s  (key \"%s\")\n", e->to_text[i], e->to[i]);
}

static int check(ss_searcher *s, const char *term)
{
    ss_term_check c;
    char *err = NULL;
    if (ss_searcher_check_term(s, term, &c, &err) != SS_OK) {
        fprintf(stderr, "skillsearch synonyms: %s\n",
                err ? err : "out of memory");
        free(err);
        return 1;
    }
    printf("term: %s\nkey: %s\n", term,
           *c.key ? c.key : "(no searchable words)");
    if (c.curated) {
        printf("curated: ");
        print_entry(c.curated);
    }
    if (c.nesco) {
        printf("ESCO: an alternative label of %zu concept label(s):\n",
               c.nesco);
        for (size_t i = 0; i < c.nesco; i++)
            printf("  -> \"%s\"\n", c.esco[i]);
    }
    for (size_t i = 0; i < c.nwords; i++) {
        printf("curated (word): ");
        print_entry(c.words[i]);
    }
    /* words no label has: what the search corrects them to */
    for (size_t i = 0; i < c.nfixed; i++)
        printf("spelling: %s -> %s\n", c.typed[i], c.fixed[i]);
    if (!c.curated && !c.nesco && !c.nwords && !c.nfixed)
        printf("no synonyms\n");
    ss_term_check_free(&c);
    return 0;
}

int ss_cmd_synonyms(int argc, char **argv)
{
    const char *index_opt = NULL, *data_opt = NULL;
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"data", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+i:d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'd': data_opt = optarg; break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    const char *verb = optind < argc ? argv[optind] : NULL;
    if (!verb || (strcmp(verb, "list") && strcmp(verb, "check")) ||
        (!strcmp(verb, "check") && optind + 1 >= argc) ||
        (!strcmp(verb, "list") && optind + 1 < argc)) {
        fprintf(stderr, "skillsearch synonyms: say `list` or `check TERM`\n%s",
                USAGE);
        return 2;
    }
    ss_searcher *s = ss_cli_open_searcher(index_opt, data_opt);
    if (!s)
        return 1;
    int rc = 0;
    if (!strcmp(verb, "list")) {
        const ss_synonyms *table = ss_searcher_synonyms(s);
        size_t n = ss_synonyms_count(table);
        for (size_t i = 0; i < n; i++)
            print_entry(ss_synonyms_at(table, i));
        printf("%zu terms with synonyms\n", n);
    } else {
        char *term = ss_join_args(argc - optind - 1, argv + optind + 1);
        rc = term ? check(s, term) : 1;
        free(term);
    }
    ss_searcher_destroy(s);
    return rc;
}
