/* cmd_show.c - `skillsearch show ID`: the page of one occupation or one
 * skill, as GET /occupations/{id} and GET /skills/{id} give it (the JSON
 * comes from query/detail.h; the text is read from that JSON). */
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cli_common.h"
#include "../query/detail.h"
#include "../query/hits_json.h"

/* occupations listed per relation on a skill page; --json lists all */
#define MAX_OCC_LINES 20

static const char USAGE[] =
    "usage: skillsearch show [--index INDEX] [--group G] [--skilltype T]\n"
    "                        [--reuse LEVEL] [--json] [--data DIR] ID\n"
    "\n"
    "The page of one occupation or one skill (its ESCO id, the last segment\n"
    "of its URI, or the whole URI), as GET /occupations/{id} and\n"
    "GET /skills/{id} answer; --json prints the same JSON body.\n"
    "An occupation: its ISCO group, description and skills, grouped by\n"
    "relation, skill type and reuse level, or by ESCO skill group; cross-\n"
    "sector and transversal skills are marked. A skill: its type and reuse\n"
    "level, its broader skills and groups up ESCO's hierarchy, and the\n"
    "occupations that need it. An unknown ID exits 2.\n"
    "\n"
    "  --index INDEX    index path (default $SKILLSEARCH_INDEX, else ./index)\n"
    "  --group G        occupations: relation (default) or skillgroup\n"
    "  --skilltype T    occupations: only skills of this type: knowledge,\n"
    "                   skill or competence (both mean skill/competence)\n"
    "  --reuse LEVEL    occupations: only skills of this reuse level:\n"
    "                   transversal, cross-sector, sector-specific or\n"
    "                   occupation-specific\n"
    "  --json           the JSON of the HTTP answer, on one line\n"
    "  --data DIR       stop lists and synonyms (default ./data)\n"
    "  -h, --help       this text\n";

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static long num(const json_t *o, const char *key)
{
    return (long)json_integer_value(json_object_get(o, key));
}

/* text wrapped at 76 columns (UTF-8 characters), each line indented, its
 * HTML tags left out (ESCO descriptions link other concepts with <a>). */
static void print_wrapped(const char *text, const char *indent)
{
    size_t col = 0;
    char *plain = strdup(text), *q = plain;
    for (const char *t = text, *end; plain && *t; t++) {
        if (*t == '<' && (t[1] == '/' || isalpha((unsigned char)t[1])) &&
            (end = strchr(t, '>')))
            t = end; /* a tag: skip it */
        else
            *q++ = *t;
    }
    if (plain)
        *q = '\0';
    const char *p = plain ? plain : text;
    while (*p) {
        p += strspn(p, " \t\r\n");
        size_t n = strcspn(p, " \t\r\n"), w = 0;
        if (!n)
            break;
        for (size_t i = 0; i < n; i++)
            w += ((unsigned char)p[i] & 0xC0) != 0x80;
        if (col && col + 1 + w > 76) {
            putchar('\n');
            col = 0;
        }
        if (!col)
            col = (size_t)printf("%s", indent);
        else
            col += (size_t)printf(" ");
        printf("%.*s", (int)n, p);
        col += w;
        p += n;
    }
    if (col)
        putchar('\n');
    free(plain);
}

/* "head a; b; c" of a JSON array of strings, wrapped at 76 columns;
 * nothing when empty. */
static void print_list(const char *head, const json_t *a)
{
    size_t i, col = 0;
    json_t *e;
    if (!json_array_size(a))
        return;
    col = (size_t)printf("%s", head);
    json_array_foreach(a, i, e)
    {
        const char *v = json_string_value(e);
        size_t w = strlen(v) + (i + 1 < json_array_size(a));
        if (i && col + 1 + w > 76)
            col = (size_t)printf("\n%*s", (int)strlen(head), "") - 1;
        else if (i)
            col += (size_t)printf(" ");
        col += (size_t)printf("%s%s", v, i + 1 < json_array_size(a) ? ";" : "");
    }
    putchar('\n');
}

/* What both pages end their head with: other labels, URI, description. */
static void print_about(const json_t *o)
{
    print_list("also: ", json_object_get(o, "alt_labels"));
    printf("uri: %s\n", str(o, "uri"));
    if (*str(o, "description")) {
        putchar('\n');
        print_wrapped(str(o, "description"), "  ");
    }
}

static void print_skill_line(const json_t *sk, int with_relation)
{
    const char *mark = json_is_true(json_object_get(sk, "transversal"))
                           ? "  [transversal]"
                       : json_is_true(json_object_get(sk, "cross_sector"))
                           ? "  [cross-sector]"
                           : "";
    printf("  ");
    if (with_relation)
        printf("%-9s  ", str(sk, "relation"));
    printf("%-44s  %s%s\n", str(sk, "label"), str(sk, "id"), mark);
}

static void print_occupation(const json_t *o, int by_group)
{
    size_t i, j;
    json_t *e, *sk;
    const json_t *path = json_object_get(o, "isco_path");
    printf("%s\n", str(o, "label"));
    printf("occupation, ESCO code %s, ISCO %s\n", str(o, "code"),
           str(o, "isco"));
    json_array_foreach(path, i, e)
        printf("%*s%s %s\n", (int)(2 * i + 2), "", str(e, "code"),
               str(e, "label"));
    print_about(o);
    const json_t *c = json_object_get(o, "counts");
    printf("\nskills: %ld (%ld essential, %ld optional)\n", num(c, "total"),
           num(c, "essential"), num(c, "optional"));
    if (!num(c, "total"))
        printf("  none\n");
    json_array_foreach(json_object_get(o, "skill_groups"), i, e)
    {
        const json_t *skills = json_object_get(e, "skills");
        if (by_group) {
            const json_t *g = json_object_get(e, "group");
            printf("\n%s%s%s%s (%zu)\n", str(g, "label"),
                   *str(g, "code") ? " [" : "", str(g, "code"),
                   *str(g, "code") ? "]" : "", json_array_size(skills));
        } else {
            printf("\n%s, %s, %s (%zu)\n", str(e, "relation"),
                   *str(e, "skill_type") ? str(e, "skill_type") : "no type",
                   *str(e, "reuse_level") ? str(e, "reuse_level")
                                          : "no reuse level",
                   json_array_size(skills));
        }
        json_array_foreach(skills, j, sk)
            print_skill_line(sk, by_group);
    }
}

/* The occupations of one relation on a skill page. */
static void print_occ_list(const char *relation, const json_t *a)
{
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        if (i == MAX_OCC_LINES) {
            printf("  ... %zu more (--json lists all)\n",
                   json_array_size(a) - i);
            break;
        }
        printf("  %-9s  %-44s  %-4s  %s\n", relation, str(e, "label"),
               str(e, "isco"), str(e, "id"));
    }
}

static void print_skill(const json_t *o)
{
    size_t i;
    json_t *e;
    const char *type = str(o, "skill_type"), *reuse = str(o, "reuse_level");
    printf("%s\n", str(o, "label"));
    printf("skill, %s, %s\n", *type ? type : "no skill type",
           *reuse ? reuse : "no reuse level");
    const json_t *broader = json_object_get(o, "broader");
    if (json_array_size(broader))
        printf("broader (top first):\n");
    json_array_foreach(broader, i, e)
    {
        /* a group has a code, a broader skill an id to show in turn */
        int group = strcmp(str(e, "kind"), "group") == 0;
        printf("%*s%s %s%s%s\n", (int)(2 * i + 2), "", str(e, "label"),
               group ? "[" : "", group ? str(e, "code") : str(e, "id"),
               group ? "]" : "");
    }
    print_about(o);
    const json_t *occs = json_object_get(o, "occupations");
    const json_t *ess = json_object_get(occs, "essential");
    const json_t *opt = json_object_get(occs, "optional");
    size_t nocc = json_array_size(ess) + json_array_size(opt);
    printf("\nneeded by %zu occupation%s (%zu essential, %zu optional)\n",
           nocc, nocc == 1 ? "" : "s", json_array_size(ess),
           json_array_size(opt));
    print_occ_list("essential", ess);
    print_occ_list("optional", opt);
    const json_t *rel = json_object_get(o, "related");
    if (json_array_size(rel))
        printf("\nrelated skills (%zu)\n", json_array_size(rel));
    json_array_foreach(rel, i, e)
        printf("  %-9s  %-44s  %s\n", str(e, "relation"), str(e, "label"),
               str(e, "id"));
}

int ss_cmd_show(int argc, char **argv)
{
    static const struct option opts[] = {
        {"index", required_argument, 0, 'i'},
        {"group", required_argument, 0, 'g'},
        SS_SKILL_FILTER_OPTIONS,
        {"json", no_argument, 0, 'j'},
        {"data", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *index = NULL, *data = NULL;
    ss_detail_req req = {0};
    int json = 0, grouped = 0, c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': index = optarg; break;
        case 'd': data = optarg; break;
        case 'j': json = 1; break;
        case 'g':
            if (ss_detail_grouping_parse(optarg, &req.grouping) != 0) {
                fprintf(stderr, "skillsearch show: --group must be "
                                SS_DETAIL_GROUPINGS ", not '%s'\n", optarg);
                return 2;
            }
            grouped = 1;
            break;
        case 'K':
        case 'R':
            if (ss_parse_skill_filter(c, optarg, &req.skilltype, &req.reuse))
                return 2;
            break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "skillsearch show: give one occupation or skill "
                        "ID\n%s", USAGE);
        return 2;
    }
    const char *arg = argv[optind];
    /* a whole URI names its last segment, as `similar` takes it */
    req.id = strchr(arg, '/') ? ss_uri_id(arg) : arg;
    ss_searcher *s = ss_cli_open_searcher(index, data);
    if (!s)
        return 1;
    json_t *o = NULL;
    char *err = NULL;
    int rc = 0, skill = 0;
    ss_status st = ss_detail_occupation_json(s, &req, &o, &err);
    if (st == SS_ERR_NOT_FOUND) { /* ids are unique across both kinds */
        free(err);
        err = NULL;
        skill = 1;
        st = ss_detail_skill_json(s, req.id, &o, &err);
    }
    if (st == SS_ERR_NOT_FOUND) {
        fprintf(stderr, "skillsearch show: no occupation or skill with id "
                        "'%s'\n", arg);
        rc = 2;
    } else if (st != SS_OK) {
        fprintf(stderr, "skillsearch show: %s\n", err ? err : ss_strerror(st));
        rc = 1;
    } else if (skill && (grouped || req.skilltype || req.reuse)) {
        fprintf(stderr, "skillsearch show: --group, --skilltype and --reuse "
                        "filter an occupation's skills; '%s' is a skill\n",
                arg);
        rc = 2;
    } else if (json) {
        ss_json_print_line(o);
    } else if (skill) {
        print_skill(o);
    } else {
        print_occupation(o, req.grouping == SS_DETAIL_BY_SKILLGROUP);
    }
    json_decref(o);
    free(err);
    ss_searcher_destroy(s);
    return rc;
}
