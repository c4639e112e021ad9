#include "csv_reader.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/text.h"

#define CHUNK_SIZE ((size_t)64 << 10)
#define MAX_FIELDS 4096                  /* ESCO files have at most ~15 */
#define MAX_RECORD ((size_t)64 << 20)

struct ss_csv {
    char *path;
    int fd;
    unsigned long long size, bytes;
    struct csv_parser parser;
    int parser_ok;
    unsigned char *chunk;
    size_t clen, cpos;
    int first_chunk, eof, finished;

    /* Line bookkeeping: the parser is fed one line (or line piece) at a time
     * so callbacks know which line they are on. */
    unsigned long cur_line;   /* line of the bytes being fed */
    unsigned long rec_start;  /* line where the record being built starts */
    unsigned long field_line; /* line where the field being built starts */

    /* The record being built, then returned: fields packed in buf. */
    char *buf;
    size_t blen, bcap;
    size_t *off, *len;
    size_t nf, fcap;
    int ready;
    unsigned long line; /* start line of the returned record */

    char **hdr;
    size_t nhdr;

    ss_status err;  /* first error seen by a callback or the pump */
    char *errmsg;
};

static const char *field_name(const ss_csv *c, size_t i, char *tmp,
                              size_t tmpsz)
{
    if (i < c->nhdr && c->hdr[i][0])
        return c->hdr[i];
    snprintf(tmp, tmpsz, "column %zu", i + 1);
    return tmp;
}

/* Records the first error only: later ones are usually consequences. */
static void fail(ss_csv *c, ss_status st, unsigned long line, size_t field,
                 const char *what)
{
    if (c->err)
        return;
    char tmp[32];
    /* Garbage usually fails in the header: say what we expected. */
    const char *hint = st == SS_ERR_INVALID && !c->hdr
                           ? " (expected a UTF-8 CSV file with a header row)"
                           : "";
    if (field == SIZE_MAX)
        ss_set_error(&c->errmsg, st, "%s:%lu: %s%s", c->path, line, what,
                     hint);
    else
        ss_set_error(&c->errmsg, st, "%s:%lu: field '%s': %s%s", c->path,
                     line, field_name(c, field, tmp, sizeof tmp), what, hint);
    c->err = st;
}

static void on_field(void *s, size_t n, void *data)
{
    ss_csv *c = data;
    if (c->err)
        return;
    const char *p = s ? s : "";
    if (!s)
        n = 0;
    if (c->nf >= MAX_FIELDS) {
        fail(c, SS_ERR_INVALID, c->rec_start, SIZE_MAX,
             "too many fields in one record (not a CSV file?)");
        return;
    }
    if (c->blen + n + 1 > MAX_RECORD) {
        fail(c, SS_ERR_INVALID, c->rec_start, SIZE_MAX,
             "record too large (over 64 MiB)");
        return;
    }
    if (memchr(p, '\0', n)) {
        fail(c, SS_ERR_INVALID, c->field_line, c->nf,
             "NUL byte (binary data, not a text CSV file?)");
        return;
    }
    if (!ss_utf8_valid(p, n)) {
        fail(c, SS_ERR_INVALID, c->field_line, c->nf, "invalid UTF-8");
        return;
    }
    if (c->nf == c->fcap) {
        size_t cap = c->fcap ? c->fcap * 2 : 32;
        size_t *o = realloc(c->off, cap * sizeof *o);
        if (o)
            c->off = o;
        size_t *l = o ? realloc(c->len, cap * sizeof *l) : NULL;
        if (!l) {
            fail(c, SS_ERR_NOMEM, c->rec_start, SIZE_MAX, "out of memory");
            return;
        }
        c->len = l;
        c->fcap = cap;
    }
    if (c->blen + n + 1 > c->bcap) {
        size_t cap = c->bcap ? c->bcap : 4096;
        while (cap < c->blen + n + 1)
            cap *= 2;
        char *b = realloc(c->buf, cap);
        if (!b) {
            fail(c, SS_ERR_NOMEM, c->rec_start, SIZE_MAX, "out of memory");
            return;
        }
        c->buf = b;
        c->bcap = cap;
    }
    memcpy(c->buf + c->blen, p, n);
    c->buf[c->blen + n] = '\0';
    c->off[c->nf] = c->blen;
    c->len[c->nf] = n;
    c->nf++;
    c->blen += n + 1;
    c->field_line = c->cur_line;
}

static void on_record(int term, void *data)
{
    (void)term;
    ss_csv *c = data;
    c->ready = 1;
    c->line = c->rec_start ? c->rec_start : c->cur_line;
    c->rec_start = 0;
}

static void finish(ss_csv *c)
{
    c->finished = 1;
    /* Returns -1 (status CSV_EPARSE) when a quoted field never closed. */
    if (csv_fini(&c->parser, on_field, on_record, c) != 0)
        fail(c, SS_ERR_INVALID, c->field_line, c->nf,
             "unterminated quoted field (no closing quote before end of "
             "file)");
}

static int read_chunk(ss_csv *c)
{
    ssize_t n;
    do
        n = read(c->fd, c->chunk, CHUNK_SIZE);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        char what[128];
        snprintf(what, sizeof what, "read failed: %s", strerror(errno));
        fail(c, SS_ERR_IO, c->cur_line, SIZE_MAX, what);
        return -1;
    }
    c->clen = (size_t)n;
    c->cpos = 0;
    c->bytes += (unsigned long long)n;
    if (c->first_chunk && c->clen >= 3 &&
        memcmp(c->chunk, "\xEF\xBB\xBF", 3) == 0)
        c->cpos = 3;
    c->first_chunk = 0;
    return n > 0;
}

/* Feeds the parser until one record is complete, end of file or an error.
 * Each piece fed ends at the first CR or LF, so at most one record ends per
 * piece and cur_line is exact for the callbacks. */
static void pump(ss_csv *c)
{
    while (!c->ready && !c->err && !c->finished) {
        if (c->cpos == c->clen) {
            int r = read_chunk(c);
            if (r < 0)
                return;
            if (r == 0) {
                finish(c);
                continue;
            }
            if (c->cpos == c->clen)
                continue;
        }
        const unsigned char *seg = c->chunk + c->cpos;
        size_t n = c->clen - c->cpos;
        const unsigned char *nl = memchr(seg, '\n', n);
        size_t upto = nl ? (size_t)(nl - seg) : n;
        const unsigned char *cr = memchr(seg, '\r', upto);
        size_t segn = cr ? (size_t)(cr - seg) + 1 : nl ? upto + 1 : n;
        if (!c->rec_start && seg[0] != '\n' && seg[0] != '\r') {
            c->rec_start = c->cur_line;
            c->field_line = c->cur_line;
        }
        size_t got = csv_parse(&c->parser, seg, segn, on_field, on_record, c);
        if (c->err)
            return;
        if (got < segn) {
            if (csv_error(&c->parser) == CSV_EPARSE)
                fail(c, SS_ERR_INVALID, c->cur_line, c->nf,
                     "misplaced quote character (malformed CSV quoting)");
            else
                fail(c, SS_ERR_NOMEM, c->cur_line, c->nf, "out of memory");
            return;
        }
        /* libcsv grows its field buffer by a fixed step: make the step
         * follow the buffer size so a huge field costs O(log n) reallocs. */
        size_t bufsz = csv_get_buffer_size(&c->parser);
        csv_set_blk_size(&c->parser, bufsz > CHUNK_SIZE ? bufsz : CHUNK_SIZE);
        c->cpos += segn;
        if (seg[segn - 1] == '\n')
            c->cur_line++;
        if (c->parser.entry_pos > SS_CSV_MAX_FIELD) {
            fail(c, SS_ERR_INVALID, c->field_line, c->nf,
                 "field too large (over 16 MiB)");
            return;
        }
    }
}

static void reset_record(ss_csv *c)
{
    c->ready = 0;
    c->blen = 0;
    c->nf = 0;
}

static ss_status take_error(ss_csv *c, char **errmsg)
{
    if (errmsg) {
        free(*errmsg);
        *errmsg = c->errmsg ? strdup(c->errmsg) : NULL;
    }
    return c->err;
}

ss_status ss_csv_open(const char *path, ss_csv **out, char **errmsg)
{
    *out = NULL;
    ss_csv *c = calloc(1, sizeof *c);
    if (c)
        c->fd = -1;
    if (!c || !(c->path = strdup(path)) ||
        !(c->chunk = malloc(CHUNK_SIZE))) {
        ss_csv_close(c);
        return ss_set_error(errmsg, SS_ERR_NOMEM, "%s: out of memory", path);
    }
    c->first_chunk = 1;
    c->cur_line = 1;
    c->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (c->fd < 0) {
        int e = errno;
        ss_csv_close(c);
        return ss_set_error(errmsg, e == ENOENT ? SS_ERR_NOT_FOUND : SS_ERR_IO,
                            "%s: %s", path, strerror(e));
    }
    struct stat sb;
    if (fstat(c->fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        ss_csv_close(c);
        return ss_set_error(errmsg, SS_ERR_IO, "%s: is a directory", path);
    }
    c->size = fstat(c->fd, &sb) == 0 ? (unsigned long long)sb.st_size : 0;
    if (csv_init(&c->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
        ss_csv_close(c);
        return ss_set_error(errmsg, SS_ERR_NOMEM, "%s: out of memory", path);
    }
    c->parser_ok = 1;

    pump(c);
    if (c->err) {
        ss_status st = take_error(c, errmsg);
        ss_csv_close(c);
        return st;
    }
    if (!c->ready) {
        ss_csv_close(c);
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "%s: empty file, expected a header row", path);
    }
    c->hdr = calloc(c->nf, sizeof *c->hdr);
    if (!c->hdr) {
        ss_csv_close(c);
        return ss_set_error(errmsg, SS_ERR_NOMEM, "%s: out of memory", path);
    }
    for (size_t i = 0; i < c->nf; i++) {
        if (!(c->hdr[i] = strdup(c->buf + c->off[i]))) {
            c->nhdr = i;
            ss_csv_close(c);
            return ss_set_error(errmsg, SS_ERR_NOMEM, "%s: out of memory",
                                path);
        }
    }
    c->nhdr = c->nf;
    reset_record(c);
    *out = c;
    return SS_OK;
}

void ss_csv_close(ss_csv *c)
{
    if (!c)
        return;
    if (c->parser_ok)
        csv_free(&c->parser);
    if (c->fd >= 0)
        close(c->fd);
    for (size_t i = 0; i < c->nhdr; i++)
        free(c->hdr[i]);
    free(c->hdr);
    free(c->buf);
    free(c->off);
    free(c->len);
    free(c->chunk);
    free(c->errmsg);
    free(c->path);
    free(c);
}

const char *ss_csv_path(const ss_csv *c) { return c->path; }
size_t ss_csv_ncolumns(const ss_csv *c) { return c->nhdr; }

const char *ss_csv_column_name(const ss_csv *c, size_t i)
{
    return i < c->nhdr ? c->hdr[i] : "";
}

long ss_csv_column(const ss_csv *c, const char *name)
{
    for (size_t i = 0; i < c->nhdr; i++)
        if (strcmp(c->hdr[i], name) == 0)
            return (long)i;
    return -1;
}

ss_status ss_csv_require(const ss_csv *c, const char *const *names, size_t n,
                         long *idx, char **errmsg)
{
    for (size_t i = 0; i < n; i++) {
        idx[i] = ss_csv_column(c, names[i]);
        if (idx[i] >= 0)
            continue;
        /* A semicolon- or tab-separated file reads as one wide column. */
        int other_delim = c->nhdr == 1;
        for (size_t k = 0; k < c->nhdr && !other_delim; k++)
            other_delim = strpbrk(c->hdr[k], ";\t|") != NULL;
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "%s: missing required column '%s'%s", c->path,
                            names[i],
                            other_delim ? " (the header has no such column: "
                                          "is it comma-separated?)"
                                        : "");
    }
    return SS_OK;
}

int ss_csv_next(ss_csv *c, ss_status *st, char **errmsg)
{
    ss_status dummy;
    if (!st)
        st = &dummy;
    reset_record(c);
    if (!c->err)
        pump(c);
    if (c->err) {
        *st = take_error(c, errmsg);
        return 0;
    }
    *st = SS_OK;
    return c->ready;
}

const char *ss_csv_field(const ss_csv *c, long i, size_t *len)
{
    if (i < 0 || (size_t)i >= c->nf) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = c->len[i];
    return c->buf + c->off[i];
}

size_t ss_csv_nfields(const ss_csv *c) { return c->nf; }
unsigned long ss_csv_line(const ss_csv *c) { return c->line; }
unsigned long long ss_csv_bytes(const ss_csv *c) { return c->bytes; }
unsigned long long ss_csv_size(const ss_csv *c) { return c->size; }
