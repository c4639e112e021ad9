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
                                  errno == ENOENT ? SS_ERR_NOT_FOUND
                                                  : SS_ERR_IO,
                                  "%s: %s", path, strerror(errno));
    ss_status st = SS_OK;
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    ssize_t n;
    while (st == SS_OK && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (!ss_utf8_valid(line, (size_t)n)) {
            st = ss_set_error(errmsg, SS_ERR_INVALID,
                              "%s:%lu: invalid UTF-8", path, lineno);
            break;
        }
        line[strcspn(line, "#\r\n")] = '\0';
        st = fn(ctx, line, path, lineno, errmsg);
    }
    free(line);
    fclose(f);
    return st;
}
