/* cli_common.h - small helpers shared by the query-side commands. */
#ifndef SS_CLI_COMMON_H
#define SS_CLI_COMMON_H

#include <jansson.h>

#include "../query/search.h"

/* Parses a decimal in [min,max]; prints an error naming opt and returns
 * non-zero when it is not one. */
int ss_parse_uint(const char *opt, const char *s, unsigned min, unsigned max,
                  unsigned *out);
/* "occupation" or "skill"; prints an error and returns non-zero otherwise. */
int ss_parse_kind(const char *s, ss_kind *out);

/* The skill filters --skilltype and --reuse, as search and show take
 * them: their getopt_long entries, then for c (the entry's val) the code
 * of value (ss_skill_types, ss_reuse_levels) in *skilltype or *reuse. 0,
 * or 1 after a message naming the option, the value and the choices.
 * (The entries need <getopt.h>.) */
#define SS_SKILL_FILTER_OPTIONS                                              \
    {"skilltype", required_argument, 0, 'K'},                                \
        {"reuse", required_argument, 0, 'R'}
int ss_parse_skill_filter(int c, const char *value, char *skilltype,
                          char *reuse);
/* --index [LANG=]DIR, split in place (arg is modified; *lang and *path
 * point into it, *lang NULL when there is no LANG= prefix; a '=' after a
 * '/' belongs to the path: "./a=b"). *lang is the row's code of lang.h.
 * 0, or 2 after a message naming cmd and the value: an empty part, an
 * unknown language. */
int ss_parse_lang_index(const char *cmd, char *arg, const char **lang,
                        const char **path);
/* Opens the index (default path rules of paths.h) and prints a clear error
 * on failure (returns NULL then). Destroy with ss_searcher_destroy. */
ss_searcher *ss_cli_open_searcher(const char *index_opt, const char *data_opt);
/* argv words joined by spaces; malloc'd. */
char *ss_join_args(int argc, char **argv);
/* Compact JSON and a newline on stdout, flushed (for pipes). */
void ss_json_print_line(const json_t *o);

#endif
