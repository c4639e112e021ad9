#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* rel (a path relative to the project) under the executable's folder into
 * *out if exists() says it is there, else NULL; SS_ERR_NOMEM when out of
 * memory (not "not there": callers must not fall back silently). */
static ss_status beside_exe(const char *rel, int (*exists)(const char *),
                            char **out)
{
    *out = NULL;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return SS_OK;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/'), *p = NULL;
    if (!slash)
        return SS_OK;
    *slash = '\0';
    if (asprintf(&p, "%s/%s", exe, rel) < 0)
        return SS_ERR_NOMEM;
    if (exists(p))
        *out = p;
    else
        free(p);
    return SS_OK;
}

char *ss_data_dir(const char *opt)
{
    if (opt && *opt)
        return strdup(opt);
    const char *env = getenv("SKILLSEARCH_DATA");
    if (env && *env)
        return strdup(env);
    if (is_dir("data/stop"))
        return strdup("data");
    char *p = NULL;
    if (beside_exe("data", is_dir, &p) != SS_OK)
        return NULL;
    return p ? p : strdup("data");
}

ss_status ss_vectors_path(const char *opt, const char *lang, char **out)
{
    *out = NULL;
    const char *given = opt ? opt : getenv("SKILLSEARCH_VECTORS");
    if (given)
        return *given && !(*out = strdup(given)) ? SS_ERR_NOMEM : SS_OK;
    char *rel = NULL;
    if (asprintf(&rel, "vectors/%s.ssvec", lang) < 0)
        return SS_ERR_NOMEM;
    if (is_file(rel)) {
        *out = rel;
        return SS_OK;
    }
    ss_status st = beside_exe(rel, is_file, out);
    free(rel);
    return st;
}

char *ss_index_path(const char *opt)
{
    if (opt && *opt)
        return strdup(opt);
    const char *env = getenv("SKILLSEARCH_INDEX");
    return strdup(env && *env ? env : "index");
}
