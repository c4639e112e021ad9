#include "linefile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

ss_status ss_linefile_read(const char *path, int missing_ok, ss_line_fn fn,
                           void *ctx, char **errmsg)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return missing_ok && errno == ENOENT
                   ? SS_OK
                   : ss_set_error(errmsg,
                                  errno == ENOENT   ? SS_ERR_NOT_FOUND
                                  : errno == ENOMEM ? SS_ERR_NOMEM
                                                    : SS_ERR_IO,
                                  "%s: %s", path, strerror(errno));
    ss_status st = SS_OK;
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    for (;;) {
        errno = 0;
        ssize_t n = getline(&line, &cap, f);
        if (n < 0) {
            /* -1 is also what getline returns when it cannot grow line */
            if (errno == ENOMEM)
                st = ss_set_error(errmsg, SS_ERR_NOMEM,
                                  "%s:%lu: out of memory", path, lineno + 1);
            else if (ferror(f))
                st = ss_set_error(errmsg, SS_ERR_IO, "%s:%lu: %s", path,
                                  lineno + 1, strerror(errno));
            break;
        }
        lineno++;
        if (!ss_utf8_valid(line, (size_t)n)) {
            st = ss_set_error(errmsg, SS_ERR_INVALID,
                              "%s:%lu: invalid UTF-8", path, lineno);
            break;
        }
        line[strcspn(line, "#\r\n")] = '\0';
        st = fn(ctx, line, path, lineno, errmsg);
        if (st != SS_OK)
            break;
    }
    free(line);
    fclose(f);
    return st;
}

ss_status ss_linefile_read_in(const char *dir, const char *file,
                              ss_line_fn fn, void *ctx, char **errmsg)
{
    if (!file)
        return SS_OK;
    char *path = NULL;
    if (asprintf(&path, "%s/%s", dir, file) < 0)
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    ss_status st = ss_linefile_read(path, 1, fn, ctx, errmsg);
    free(path);
    return st;
}
