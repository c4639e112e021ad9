/* csv_reader.h - streaming reader for comma-separated files (RFC 4180 as
 * the ESCO portal writes it), on top of libcsv.
 *
 * The first record is the header; columns are looked up by name. Quoted
 * fields may hold commas, quotes and newlines, so a record can span lines:
 * ss_csv_line() gives the line where the current record starts. A UTF-8 BOM
 * is skipped, LF and CRLF are both accepted, and every field must be valid
 * UTF-8 without NUL bytes. The file is read in chunks: memory is bounded by
 * one record (fields over SS_CSV_MAX_FIELD bytes are an error).
 *
 * Errors are SS_ERR_IO (cannot read) or SS_ERR_INVALID (not valid CSV);
 * messages start with "PATH:LINE:" and name the field when there is one.
 *
 * Ownership: ss_csv_open() allocates the reader, ss_csv_close() frees it
 * (accepts NULL). Strings returned by ss_csv_field() are borrowed until the
 * next ss_csv_next() or ss_csv_close(); header names and the path until
 * ss_csv_close().
 */
#ifndef SS_CSV_READER_H
#define SS_CSV_READER_H

#include <stddef.h>

#include "../core/status.h"

#define SS_CSV_MAX_FIELD ((size_t)16 << 20)

typedef struct ss_csv ss_csv;

/* Opens path and reads the header row. An empty file is SS_ERR_INVALID. */
ss_status ss_csv_open(const char *path, ss_csv **out, char **errmsg);
void ss_csv_close(ss_csv *c);

const char *ss_csv_path(const ss_csv *c);
size_t ss_csv_ncolumns(const ss_csv *c);
const char *ss_csv_column_name(const ss_csv *c, size_t i);

/* Index of the first header column called name, or -1. */
long ss_csv_column(const ss_csv *c, const char *name);

/* Looks up n column names into idx[]; SS_ERR_INVALID naming the first
 * missing one ("PATH: missing required column 'X'", with a delimiter hint
 * when the header looks like it is not comma-separated). */
ss_status ss_csv_require(const ss_csv *c, const char *const *names, size_t n,
                         long *idx, char **errmsg);

/* Reads the next record: returns 1 when there is one, 0 at end of file or
 * on error; *st (may be NULL) tells which (SS_OK at end of file). */
int ss_csv_next(ss_csv *c, ss_status *st, char **errmsg);

/* Field i of the current record, NUL-terminated; "" (len 0) when i < 0 or
 * the record has fewer fields. len may be NULL. */
const char *ss_csv_field(const ss_csv *c, long i, size_t *len);
size_t ss_csv_nfields(const ss_csv *c);

/* 1-based line where the current record (or the header) starts. */
unsigned long ss_csv_line(const ss_csv *c);

/* Bytes read so far and the file size, for progress reports. */
unsigned long long ss_csv_bytes(const ss_csv *c);
unsigned long long ss_csv_size(const ss_csv *c);

#endif
