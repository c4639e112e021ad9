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

char *ss_data_dir(const char *opt)
{
    if (opt && *opt)
        return strdup(opt);
    const char *env = getenv("SKILLSEARCH_DATA");
    if (env && *env)
        return strdup(env);
    if (is_dir("data/stop"))
        return strdup("data");
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char *p = NULL;
            if (asprintf(&p, "%s/data", exe) >= 0) {
                if (is_dir(p))
                    return p;
                free(p);
            }
        }
    }
    return strdup("data");
}

char *ss_index_path(const char *opt)
{
    if (opt && *opt)
        return strdup(opt);
    const char *env = getenv("SKILLSEARCH_INDEX");
    return strdup(env && *env ? env : "index");
}
