/* cmd_similar.c - `skillsearch similar ID`: occupations sharing essential
 * skills with one occupation. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "cli_common.h"
#include "../query/similar.h"

static const char USAGE[] =
    "usage: skillsearch similar [--index INDEX] [--limit N] [--json] ID\n"
    "\n"
    "Occupations that share the most essential skills with occupation ID\n"
    "(its ESCO id, the last segment of its URI, or the whole URI), rare\n"
    "skills counting more than common ones; ties go to the closer ISCO\n"
    "group. Each lists the skills shared and the essential skills still to\n"
    "learn. An unknown ID exits 2.\n"
    "\n"
    "  --index INDEX  index path (default $SKILLSEARCH_INDEX, else ./index)\n"
    "  --limit N      occupations to list, 1-100 (default 10)\n"
    "  --json         JSON output\n"
    "  --data DIR     stop lists and synonyms (default ./data)\n"
    "  -h, --help     this text\n";

static void print_labels(const char *head, const ss_skillgraph *g,
                         const uint32_t *k, size_t n)
{
    printf("      %s (%zu):", head, n);
    for (size_t i = 0; i < n && i < 8; i++)
        printf("%s %s", i ? ";" : "", g->skill[k[i]].label);
    printf("%s\n", n > 8 ? "; ..." : "");
}

static void print_table(const ss_skillgraph *g, const ss_similar *r)
{
    printf("similar to: %s (ISCO %s)\n", g->occ[r->occ].label,
           g->occ[r->occ].isco);
    if (!r->nhits)
        printf("no occupation shares an essential skill\n");
    for (size_t i = 0; i < r->nhits; i++) {
        const ss_similar_hit *h = &r->hits[i];
        printf("%4zu  %-50.50s %-5s %8.2f\n", i + 1, g->occ[h->occ].label,
               g->occ[h->occ].isco, h->score);
        print_labels("shared", g, h->shared, h->nshared);
        print_labels("to learn", g, h->to_learn, h->nto_learn);
    }
}

int ss_cmd_similar(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"limit", required_argument, 0, 'n'},
        {"json", no_argument, 0, 'j'},
        {"data", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *index = NULL, *data = NULL;
    unsigned limit = 10;
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': index = optarg; break;
        case 'd': data = optarg; break;
        case 'j': json = 1; break;
        case 'n':
            if (ss_parse_uint("--limit", optarg, 1, 100, &limit))
                return 2;
            break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "skillsearch similar: give one occupation ID\n%s",
                USAGE);
        return 2;
    }
    const char *id = argv[optind];
    ss_searcher *s = ss_cli_open_searcher(index, data);
    if (!s)
        return 1;
    const ss_skillgraph *g = NULL;
    char *err = NULL;
    ss_similar r = {0};
    int rc = 0;
    ss_status st = ss_searcher_skillgraph(s, &g, &err);
    uint32_t occ = st == SS_OK ? ss_skillgraph_find_occ(g, id) : 0;
    if (st != SS_OK) {
        fprintf(stderr, "skillsearch similar: %s\n", err ? err : ss_strerror(st));
        rc = 1;
    } else if (!occ) {
        fprintf(stderr, "skillsearch similar: no occupation with id '%s'\n",
                id);
        rc = 2;
    } else if ((st = ss_similar_find(g, occ, limit, &r)) != SS_OK) {
        fprintf(stderr, "skillsearch similar: %s\n", ss_strerror(st));
        rc = 1;
    } else if (json) {
        json_t *o = ss_similar_to_json(g, &r);
        if (!o) {
            fprintf(stderr, "skillsearch similar: out of memory\n");
            rc = 1;
        }
        ss_json_print_line(o);
        json_decref(o);
    } else {
        print_table(g, &r);
    }
    ss_similar_free(&r);
    free(err);
    ss_searcher_destroy(s);
    return rc;
}
