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

/* rel (a path relative to the project) under the executable's folder, if
 * exists() says it is there; else NULL. */
static char *beside_exe(const char *rel, int (*exists)(const char *))
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/'), *p = NULL;
    if (!slash)
        return NULL;
    *slash = '\0';
    if (asprintf(&p, "%s/%s", exe, rel) < 0)
        return NULL;
    if (exists(p))
        return p;
    free(p);
    return NULL;
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
    char *p = beside_exe("data", is_dir);
    return p ? p : strdup("data");
}

char *ss_vectors_path(const char *opt, const char *lang)
{
    if (opt)
        return *opt ? strdup(opt) : NULL;
    const char *env = getenv("SKILLSEARCH_VECTORS");
    if (env)
        return *env ? strdup(env) : NULL;
    char *rel = NULL;
    if (asprintf(&rel, "vectors/%s.ssvec", lang) < 0)
        return NULL;
    char *p = is_file(rel) ? strdup(rel) : beside_exe(rel, is_file);
    free(rel);
    return p;
}

char *ss_index_path(const char *opt)
{
    if (opt && *opt)
        return strdup(opt);
    const char *env = getenv("SKILLSEARCH_INDEX");
    return strdup(env && *env ? env : "index");
}
