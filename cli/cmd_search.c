/* cmd_search.c - `skillsearch search`: one query, or JSON lines in batch. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../core/paths.h"
#include "../core/text.h"
#include "cli_common.h"
#include "../query/hits_json.h"
#include "../query/search.h"

static const char USAGE[] =
    "usage: skillsearch search [--index INDEX] [--type occupation|skill]\n"
    "                          [--limit N] [--offset N] [--isco CODE]\n"
    "                          [--skilltype T] [--reuse LEVEL]\n"
    "                          [--json] [--syntax] [--data DIR] [\"query\" ...]\n"
    "\n"
    "Searches occupations (default) or skills. Free text is read as words,\n"
    "never as query syntax, unless --syntax is given.\n"
    "\n"
    "With no query and --json, reads JSON lines {\"id\": ..., \"query\": ...}\n"
    "from stdin and writes one line {\"id\": ..., \"results\": [...]} per\n"
    "input line, in order; a bad line gets {\"id\": ..., \"error\": ...}.\n"
    "\n"
    "  --index INDEX  index path (default $SKILLSEARCH_INDEX, else ./index)\n"
    "  --type T       occupation (default) or skill\n"
    "  --limit N      results per query, 1-1000 (default 10)\n"
    "  --offset N     skip the first N results (default 0)\n"
    "  --isco CODE    only occupations in this ISCO group (1-4 digits)\n"
    "  --skilltype T  only skills of this type: knowledge, skill or\n"
    "                 competence (ESCO's skill/competence); with --type skill\n"
    "  --reuse LEVEL  only skills of this reuse level: transversal,\n"
    "                 cross-sector, sector-specific or occupation-specific;\n"
    "                 with --type skill\n"
    "  --json         JSON output (and batch mode without a query)\n"
    "  --syntax       read the query as boolean syntax: AND OR NOT NEAR,\n"
    "                 \"phrases\", (brackets), word*, label: skill: fields,\n"
    "                 isco: type: skilltype: reuse: filters; an error in it\n"
    "                 exits 2\n"
    "  --data DIR     stop lists and synonyms (default ./data)\n"
    "  -h, --help     this text\n";

static json_t *result_json(const char *query, const ss_hits *h)
{
    json_t *o = json_pack("{s:s, s:I, s:o}", "query", query,
                          "total_estimate", (json_int_t)h->total_estimate,
                          "results", ss_hits_to_json(h));
    if (o && h->suggestion)
        json_object_set_new(o, "suggestion", json_string(h->suggestion));
    return o;
}

static void print_table(const ss_hits *h)
{
    if (h->n == 0) {
        printf("no results\n");
    } else {
        printf("%4s  %-50s %-5s %8s  %s\n", "rank", "label", "isco", "score",
               "matched");
    }
    for (size_t i = 0; i < h->n; i++) {
        const ss_hit *x = &h->v[i];
        printf("%4zu  %-50.50s %-5s %8.3f  ", i + 1, x->label, x->isco,
               x->score);
        for (size_t j = 0; j < x->nmatched; j++)
            printf("%s%s", j ? ", " : "", x->matched[j]);
        putchar('\n');
    }
    if (h->suggestion)
        printf("did you mean: %s\n", h->suggestion);
    printf("about %u matches\n", h->total_estimate);
}

/* One batch line -> one output line. */
static void batch_line(ss_searcher *s, ss_search_req base, char *line,
                       unsigned long lineno)
{
    json_error_t jerr;
    json_t *in = json_loads(line, 0, &jerr), *out = NULL, *id = NULL;
    const char *err = NULL;
    char errbuf[256];
    if (!in || !json_is_object(in)) {
        snprintf(errbuf, sizeof errbuf, "stdin:%lu: not a JSON object%s%s",
                 lineno, in ? "" : ": ", in ? "" : jerr.text);
        err = errbuf;
    } else {
        id = json_object_get(in, "id");
        json_t *q = json_object_get(in, "query");
        if (!json_is_string(q)) {
            snprintf(errbuf, sizeof errbuf,
                     "stdin:%lu: field 'query' must be a string", lineno);
            err = errbuf;
        } else {
            ss_search_req req = base;
            req.text = json_string_value(q);
            req.len = json_string_length(q);
            ss_hits h;
            char *msg = NULL;
            ss_status st = ss_searcher_search(s, &req, &h, &msg);
            if (st == SS_OK) {
                out = json_pack("{s:O?, s:o}", "id", id, "results",
                                ss_hits_to_json(&h));
                ss_hits_free(&h);
            } else {
                snprintf(errbuf, sizeof errbuf, "stdin:%lu: %s", lineno,
                         msg ? msg : ss_strerror(st));
                err = errbuf;
            }
            free(msg);
        }
    }
    if (!out) {
        if (err == errbuf) /* jansson quotes the bad bytes "near '...'" */
            ss_utf8_repair(errbuf);
        out = json_pack("{s:O?, s:s}", "id", id, "error",
                        err ? err : "out of memory");
    }
    ss_json_print_line(out);
    json_decref(out);
    json_decref(in);
}

int ss_cmd_search(int argc, char **argv)
{
    const char *index_opt = NULL, *data_opt = NULL, *type = "occupation";
    ss_search_req req = {.limit = 10};
    int json = 0;
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"type", required_argument, 0, 't'},
        {"limit", required_argument, 0, 'n'},
        {"offset", required_argument, 0, 'o'},
        {"isco", required_argument, 0, 'c'},
        SS_SKILL_FILTER_OPTIONS,
        {"json", no_argument, 0, 'j'},
        {"syntax", no_argument, 0, 'x'},
        {"data", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:t:n:o:c:K:R:jxd:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 't': type = optarg; break;
        case 'n':
            if (ss_parse_uint("--limit", optarg, 1, 1000, &req.limit))
                return 2;
            break;
        case 'o':
            if (ss_parse_uint("--offset", optarg, 0, 100000, &req.offset))
                return 2;
            break;
        case 'c': req.isco = optarg; break;
        case 'K':
        case 'R':
            if (ss_parse_skill_filter(c, optarg, &req.skilltype, &req.reuse))
                return 2;
            break;
        case 'j': json = 1; break;
        case 'x': req.syntax = 1; break;
        case 'd': data_opt = optarg; break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (ss_parse_kind(type, &req.kind))
        return 2;
    if ((req.skilltype || req.reuse) && req.kind != SS_KIND_SKILL) {
        fprintf(stderr, "skillsearch search: %s filters skills: add --type "
                        "skill\n", req.skilltype ? "--skilltype" : "--reuse");
        return 2;
    }
    if (optind == argc && !json) {
        fprintf(stderr, "skillsearch search: give a query, or --json to read "
                        "JSON lines from stdin\n%s", USAGE);
        return 2;
    }
    ss_searcher *s = ss_cli_open_searcher(index_opt, data_opt);
    if (!s)
        return 1;
    int rc = 0;
    if (optind < argc) {
        char *text = ss_join_args(argc - optind, argv + optind);
        ss_hits h;
        char *msg = NULL;
        req.text = text ? text : "";
        req.facets = 0;
        ss_status st = ss_searcher_search(s, &req, &h, &msg);
        if (st != SS_OK) {
            fprintf(stderr, "skillsearch search: %s\n",
                    msg ? msg : ss_strerror(st));
            rc = st == SS_ERR_BAD_QUERY ? 2 : 1;
        } else if (json) {
            json_t *o = result_json(req.text, &h);
            ss_json_print_line(o);
            json_decref(o);
        } else {
            print_table(&h);
        }
        if (st == SS_OK)
            ss_hits_free(&h);
        free(msg);
        free(text);
    } else {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        unsigned long lineno = 0;
        while ((n = getline(&line, &cap, stdin)) >= 0) {
            lineno++;
            if (n == 0 || (n == 1 && line[0] == '\n'))
                continue;
            batch_line(s, req, line, lineno);
        }
        free(line);
    }
    ss_searcher_destroy(s);
    return rc;
}
