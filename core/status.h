/* status.h - status codes shared by every module.
 *
 * Every fallible call returns an ss_status. Calls that can explain a failure
 * also take `char **errmsg`: on failure *errmsg receives a malloc'd message
 * (caller frees with free()); on success it is left untouched. errmsg may be
 * NULL when the caller does not want the text.
 */
#ifndef SS_STATUS_H
#define SS_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ss_status {
    SS_OK = 0,
    SS_ERR_NOMEM,       /* allocation failed */
    SS_ERR_IO,          /* file or directory could not be read or written */
    SS_ERR_NOT_FOUND,   /* index, file, document or key does not exist */
    SS_ERR_CORRUPT,     /* index or catalogue is damaged or of another version */
    SS_ERR_BAD_QUERY,   /* query syntax rejected (Xapian QueryParserError) */
    SS_ERR_MODIFIED,    /* index changed under a reader and retries ran out */
    SS_ERR_LOCKED,      /* another writer holds the index lock */
    SS_ERR_INVALID,     /* bad argument or bad input data (e.g. invalid UTF-8) */
    SS_ERR_INTERNAL     /* anything else, including unknown exceptions */
} ss_status;

/* Returns a static string; never NULL, never to be freed. */
const char *ss_strerror(ss_status st);

/* Sets *errmsg (if errmsg != NULL) to a malloc'd printf-style message.
 * Returns st so callers can write `return ss_set_error(...)`. */
ss_status ss_set_error(char **errmsg, ss_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif
