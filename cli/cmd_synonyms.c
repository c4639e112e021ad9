/* cmd_synonyms.c - `skillsearch synonyms list|check TERM`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../core/memindex.h"
#include "../core/schema.h"
#include "../core/terms.h"
#include "cli_common.h"
#include "../query/rank.h"
#include "../synonyms/synonyms.h"

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

static int check(ss_rank_input *in, const char *term)
{
    ss_terms t = {0};
    char key[SS_TERM_MAX + 8];
    if (ss_terms_add(in->a, term, strlen(term), &t) != SS_OK) {
        fprintf(stderr, "skillsearch synonyms: '%s' is not valid UTF-8\n",
                term);
        return 1;
    }
    size_t words = ss_terms_key(&t, 0, t.n, "", key, sizeof key);
    printf("term: %s\nkey: %s\n", term, words ? key : "(no searchable words)");
    int found = 0;
    const ss_syn *e = words ? ss_synonyms_get(in->synonyms, key) : NULL;
    if (e) {
        printf("curated: ");
        print_entry(e);
        found = 1;
    }
    char ekey[SS_TERM_MAX + 16];
    char **list = NULL;
    size_t n = 0;
    snprintf(ekey, sizeof ekey, "%s%s", SS_SYN_ESCO, key);
    if (words && ss_db_synonyms(in->db, ekey, &list, &n, NULL) == SS_OK &&
        n) {
        printf("ESCO: an alternative label of %zu concept label(s):\n", n);
        for (size_t i = 0; i < n; i++)
            printf("  -> \"%s\"\n", list[i]);
        found = 1;
    }
    ss_strv_free(list, n);
    for (size_t i = 0; i < t.n; i++) {
        const ss_token *tk = &t.tok.v[i];
        char *sugg = NULL, wterm[SS_TERM_MAX + 8];
        /* words of the query that no label has: curated synonyms of the
         * word alone, or the spelling dictionary's guess */
        const ss_syn *we = t.n > 1 && !(tk->flags & SS_TOK_STOP)
                               ? ss_synonyms_get(in->synonyms, t.term[i])
                               : NULL;
        if (we) {
            printf("curated (word): ");
            print_entry(we);
            found = 1;
        }
        if (!(tk->flags & (SS_TOK_STOP | SS_TOK_NUMERIC | SS_TOK_SYMBOL)) &&
            ss_term_prefixed(wterm, sizeof wterm, SS_PFX_WORD, t.term[i]) &&
            ss_memindex_lookup(in->labels, wterm).n == 0 &&
            ss_db_spelling_suggestion(in->db, tk->text, 2, &sugg, NULL) ==
                SS_OK &&
            sugg) {
            printf("spelling: %s -> %s\n", tk->text, sugg);
            found = 1;
        }
        free(sugg);
    }
    if (!found)
        printf("no synonyms\n");
    ss_terms_free(&t);
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
    ss_rank_input in;
    ss_searcher_rank_input(s, &in);
    int rc = 0;
    if (!strcmp(verb, "list")) {
        size_t n = ss_synonyms_count(in.synonyms);
        for (size_t i = 0; i < n; i++)
            print_entry(ss_synonyms_at(in.synonyms, i));
        printf("%zu terms with synonyms\n", n);
    } else {
        char *term = ss_join_args(argc - optind - 1, argv + optind + 1);
        rc = term ? check(&in, term) : 1;
        free(term);
    }
    ss_searcher_destroy(s);
    return rc;
}
