#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *ss_strerror(ss_status st)
{
    switch (st) {
    case SS_OK: return "success";
    case SS_ERR_NOMEM: return "out of memory";
    case SS_ERR_IO: return "input/output error";
    case SS_ERR_NOT_FOUND: return "not found";
    case SS_ERR_CORRUPT: return "index or catalogue is damaged";
    case SS_ERR_BAD_QUERY: return "query syntax error";
    case SS_ERR_MODIFIED: return "index modified during read";
    case SS_ERR_LOCKED: return "index is locked by another writer";
    case SS_ERR_INVALID: return "invalid argument or input";
    case SS_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

ss_status ss_set_error(char **errmsg, ss_status st, const char *fmt, ...)
{
    if (!errmsg)
        return st;
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    free(*errmsg);
    *errmsg = msg;
    return st;
}
