/* fuzz_csv.c - bytes as a CSV file: every record through csv_reader.h, then
 * the same bytes as occupations_en.csv through the ESCO row mapping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../indexer/csv_reader.h"
#include "../../indexer/esco.h"
#include "common.h"

static char g_csv[4200];

static void no_warn(void *ctx, const char *file, unsigned long line,
                    const char *field, const char *msg)
{
    (void)ctx;
    (void)file;
    (void)line;
    (void)field;
    (void)msg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(g_csv, sizeof g_csv, "%s/occupations_en.csv", fz_tmpdir());
    return 0;
}

/* Reads every field of every record, as the loader would. */
static void read_all(void)
{
    ss_csv *c = NULL;
    char *err = NULL;
    if (ss_csv_open(g_csv, &c, &err) != SS_OK) {
        free(err);
        return;
    }
    for (size_t i = 0; i < ss_csv_ncolumns(c); i++)
        (void)strlen(ss_csv_column_name(c, i));
    static const char *const req[] = {"conceptUri", "preferredLabel"};
    long idx[2];
    if (ss_csv_require(c, req, 2, idx, &err) != SS_OK) {
        free(err);
        err = NULL;
    }
    ss_status st;
    while (ss_csv_next(c, &st, &err)) {
        size_t len;
        for (long i = 0; i <= (long)ss_csv_nfields(c); i++) {
            const char *f = ss_csv_field(c, i, &len);
            if (strlen(f) != len) /* fields are NUL-free */
                abort();
        }
        (void)ss_csv_line(c);
    }
    free(err);
    ss_csv_close(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_write_file(g_csv, data, size);
    read_all();
    ss_esco_load_opts o = {.warn = no_warn};
    ss_esco *e = NULL;
    char *err = NULL;
    if (ss_esco_load(fz_tmpdir(), "en", &o, &e, &err) == SS_OK) {
        for (size_t i = 0; i < e->nocc; i++)
            if (ss_esco_find_occ(e, e->occ[i].uri) < 0)
                abort(); /* the array must stay sorted and searchable */
        ss_esco_destroy(e);
    }
    free(err);
    return 0;
}
