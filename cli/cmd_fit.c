/* cmd_fit.c - `skillsearch fit`: how a profile (skill ids and/or a CV on
 * stdin) covers one occupation, or which occupations it fits best. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cli_common.h"
#include "../query/fit.h"

#define MAX_TEXT (1024 * 1024) /* as POST /fit's body */

static const char USAGE[] =
    "usage: skillsearch fit [--index INDEX] [--occupation ID] [--skills ID,...]\n"
    "                       [--limit N] [--json] [--data DIR] [< cv.txt]\n"
    "\n"
    "Reads a profile: ESCO skill ids (--skills, comma-separated ids or URIs)\n"
    "and/or free text on stdin (a CV or a list of skills, at most 1 MB; read\n"
    "when stdin is not a terminal), whose skills are found as `match` finds\n"
    "them. With --occupation, prints that occupation's essential and\n"
    "optional skills the profile has, has partly (a broader or narrower\n"
    "skill in ESCO's hierarchy) or lacks, and its coverage. Without it, the\n"
    "occupations the profile fits best, and the skills to learn next.\n"
    "An unknown id or an empty profile exits 2.\n"
    "\n"
    "  --index INDEX      index path (default $SKILLSEARCH_INDEX, else ./index)\n"
    "  --occupation ID    score this occupation only (ESCO id or URI)\n"
    "  --skills IDS       skills of the profile, comma-separated\n"
    "  --limit N          best-fitting occupations to list, 1-100 (default 10)\n"
    "  --json             JSON output\n"
    "  --data DIR         stop lists and synonyms (default ./data)\n"
    "  -h, --help         this text\n";

static const char MARK[] = {'+', '~', '-'};

static void print_occ(const ss_skillgraph *g, const ss_fit_occ *o, int full)
{
    unsigned c[2][3] = {{0}};
    for (size_t i = 0; i < o->nskills; i++)
        c[o->skills[i].essential][o->skills[i].state]++;
    printf("%-50.50s %-5s coverage %3.0f%%  essential %u/%u (+%u partial)"
           "  optional %u/%u\n",
           g->occ[o->occ].label, g->occ[o->occ].isco, 100 * o->coverage,
           c[1][0], c[1][0] + c[1][1] + c[1][2], c[1][1], c[0][0],
           c[0][0] + c[0][1] + c[0][2]);
    for (size_t i = 0; full && i < o->nskills; i++) {
        const ss_fit_req_skill *r = &o->skills[i];
        printf("  %c %-9s %s", MARK[r->state],
               r->essential ? "essential" : "optional",
               g->skill[r->skill].label);
        if (r->state == SS_FIT_PARTIAL)
            printf("  (via %s skill: %s)", r->via_broader ? "broader" : "narrower",
                   g->skill[r->via].label);
        putchar('\n');
    }
}

static void print_table(const ss_skillgraph *g, const ss_fit *f, int one)
{
    printf("profile: %zu skills\n", f->nprofile);
    for (size_t i = 0; i < f->nocc; i++) {
        if (!one)
            printf("%4zu  ", i + 1);
        print_occ(g, &f->occs[i], one);
    }
    if (!one && !f->nocc)
        printf("no occupation needs any of these skills\n");
    if (f->ngaps)
        printf("learn next:");
    for (size_t i = 0; i < f->ngaps; i++)
        printf("%s %s (%u)", i ? ";" : "", g->skill[f->gaps[i].skill].label,
               f->gaps[i].needed_by);
    if (f->ngaps)
        putchar('\n');
}

/* Reads all of stdin into *out (NUL-terminated); 2 when over MAX_TEXT. */
static int read_stdin(char **out, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *b = malloc(cap + 1);
    size_t r;
    while (b && (r = fread(b + n, 1, cap - n, stdin)) > 0) {
        n += r;
        if (n > MAX_TEXT) {
            free(b);
            fprintf(stderr, "skillsearch fit: stdin: text over 1 MB\n");
            return 2;
        }
        if (n == cap) {
            char *nb = realloc(b, (cap *= 2) + 1);
            if (!nb)
                free(b);
            b = nb;
        }
    }
    if (!b) {
        fprintf(stderr, "skillsearch fit: out of memory\n");
        return 1;
    }
    b[n] = '\0';
    *out = b;
    *len = n;
    return 0;
}

/* Splits the comma list in place into ids[]; empty items are an error. */
static int split_ids(char *list, char ***ids, size_t *n)
{
    size_t cap = 1;
    for (const char *p = list; *p; p++)
        cap += *p == ',';
    *ids = malloc(cap * sizeof **ids);
    *n = 0;
    for (char *save = NULL, *t = strtok_r(list, ",", &save); *ids && t;
         t = strtok_r(NULL, ",", &save))
        (*ids)[(*n)++] = t;
    if (!*ids || !*n) {
        fprintf(stderr, "skillsearch fit: --skills: give ESCO skill ids\n");
        return 2;
    }
    return 0;
}

int ss_cmd_fit(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"occupation", required_argument, 0, 'o'},
        {"skills", required_argument, 0, 's'},
        {"limit", required_argument, 0, 'n'},
        {"json", no_argument, 0, 'j'},
        {"data", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *index = NULL, *data = NULL, *occ_id = NULL;
    char *skills = NULL;
    unsigned limit = 10;
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': index = optarg; break;
        case 'd': data = optarg; break;
        case 'o': occ_id = optarg; break;
        case 's': skills = optarg; break;
        case 'j': json = 1; break;
        case 'n':
            if (ss_parse_uint("--limit", optarg, 1, 100, &limit))
                return 2;
            break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "skillsearch fit: unexpected argument '%s' (the text "
                        "comes on stdin)\n%s", argv[optind], USAGE);
        return 2;
    }
    char **ids = NULL, *text = NULL, *err = NULL;
    size_t nids = 0, tlen = 0;
    int rc = skills ? split_ids(skills, &ids, &nids) : 0;
    if (!rc && !isatty(0))
        rc = read_stdin(&text, &tlen);
    ss_searcher *s = rc ? NULL : ss_cli_open_searcher(index, data);
    if (!rc && !s)
        rc = 1;
    const ss_skillgraph *g = NULL;
    ss_fit f = {0};
    uint32_t occ = 0;
    ss_status st = SS_OK;
    if (!rc && (st = ss_searcher_skillgraph(s, &g, &err)) != SS_OK)
        rc = 1;
    if (!rc && occ_id && !(occ = ss_skillgraph_find_occ(g, occ_id))) {
        fprintf(stderr, "skillsearch fit: no occupation with id '%s'\n",
                occ_id);
        rc = 2;
    }
    if (!rc && (st = ss_fit_add_ids(g, &f, (const char *const *)ids, nids,
                                    &err)) != SS_OK)
        rc = st == SS_ERR_NOMEM ? 1 : 2;
    if (!rc && tlen &&
        (st = ss_fit_add_text(s, g, &f, text, tlen, &err)) != SS_OK)
        rc = st == SS_ERR_INVALID ? 2 : 1;
    if (!rc && (st = ss_fit_run(g, &f, occ, limit, &err)) != SS_OK)
        rc = st == SS_ERR_INVALID ? 2 : 1;
    if (err)
        fprintf(stderr, "skillsearch fit: %s\n", err);
    if (!rc && json) {
        json_t *o = ss_fit_to_json(g, &f, text);
        if (!o) {
            fprintf(stderr, "skillsearch fit: out of memory\n");
            rc = 1;
        }
        ss_json_print_line(o);
        json_decref(o);
    } else if (!rc) {
        print_table(g, &f, occ != 0);
    }
    ss_fit_free(&f);
    free(err);
    free(ids);
    free(text);
    ss_searcher_destroy(s);
    return rc;
}
