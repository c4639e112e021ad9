#include "cli_common.h"

#include "../core/lang.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/paths.h"

int ss_parse_uint(const char *opt, const char *s, unsigned min, unsigned max,
                  unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || errno || *s == '-' || v < min || v > max) {
        fprintf(stderr, "skillsearch: %s must be a number from %u to %u, "
                        "not '%s'\n", opt, min, max, s);
        return 1;
    }
    *out = (unsigned)v;
    return 0;
}

int ss_parse_kind(const char *s, ss_kind *out)
{
    if (!strcmp(s, "occupation") || !strcmp(s, "occupations"))
        *out = SS_KIND_OCC;
    else if (!strcmp(s, "skill") || !strcmp(s, "skills"))
        *out = SS_KIND_SKILL;
    else {
        fprintf(stderr, "skillsearch: --type must be occupation or skill, "
                        "not '%s'\n", s);
        return 1;
    }
    return 0;
}

int ss_parse_skill_filter(int c, const char *s, char *skilltype,
                          char *reuse)
{
    const char *opt = c == 'K' ? "--skilltype" : "--reuse";
    const ss_skill_value *table = c == 'K' ? ss_skill_types : ss_reuse_levels;
    char *code = c == 'K' ? skilltype : reuse;
    const ss_skill_value *v = ss_skill_value_find(table, s);
    if (!v) {
        char names[160];
        ss_skill_value_names(table, names, sizeof names);
        fprintf(stderr, "skillsearch: %s must be one of: %s; not '%s'\n",
                opt, names, s);
        return 1;
    }
    *code = v->code;
    return 0;
}

int ss_parse_lang_index(const char *cmd, char *arg, const char **lang,
                        const char **path)
{
    char *eq = strchr(arg, '=');
    *lang = NULL;
    *path = arg;
    if (!eq || memchr(arg, '/', (size_t)(eq - arg))) {
        if (*arg)
            return 0;
        fprintf(stderr, "skillsearch %s: --index '': empty path\n", cmd);
        return 2;
    }
    if (eq == arg || !eq[1]) {
        fprintf(stderr, "skillsearch %s: --index '%s': expected LANG=DIR "
                        "with both parts (e.g. fr=index-fr)\n", cmd, arg);
        return 2;
    }
    *eq = '\0';
    const ss_lang *l = NULL;
    char *err = NULL;
    if (ss_lang_get(arg, &l, &err) != SS_OK) {
        *eq = '=';
        fprintf(stderr, "skillsearch %s: --index '%s': %s\n", cmd, arg,
                err ? err : "unknown language");
        free(err);
        return 2;
    }
    *lang = l->code;
    *path = eq + 1;
    return 0;
}

ss_searcher *ss_cli_open_searcher(const char *index_opt, const char *data_opt)
{
    char *index = ss_index_path(index_opt), *msg = NULL;
    ss_searcher *s = NULL;
    ss_status st = index ? ss_searcher_open(index, data_opt, &s, &msg)
                         : SS_ERR_NOMEM;
    if (st == SS_ERR_NOT_FOUND)
        fprintf(stderr, "skillsearch: no index at %s (build one with "
                        "`skillsearch index --esco DIR --out %s`)\n",
                index, index);
    else if (st != SS_OK)
        fprintf(stderr, "skillsearch: cannot open index %s: %s\n",
                index ? index : "", msg ? msg : ss_strerror(st));
    else if (ss_searcher_model_error(s))
        fprintf(stderr, "skillsearch: warning: %s; ranking without it\n",
                ss_searcher_model_error(s));
    free(msg);
    free(index);
    return s;
}

char *ss_join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

void ss_json_print_line(const json_t *o)
{
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    if (s) {
        fputs(s, stdout);
        free(s);
    } else {
        fputs("{\"error\":\"out of memory\"}", stdout);
    }
    fputc('\n', stdout);
    fflush(stdout);
}
