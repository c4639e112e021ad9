/* test_csv.c - the streaming CSV reader (indexer/csv_reader.c).
 *
 * Bad inputs are fixtures in tests/data/bad/ (a table below says what each
 * must produce); big inputs are generated in a temp dir. Run from the repo
 * root, or set SS_TEST_DIR to the tests/ folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../indexer/csv_reader.h"

static const char *test_dir(void)
{
    const char *d = getenv("SS_TEST_DIR");
    return d && *d ? d : "tests";
}

static char *bad_path(const char *name)
{
    char *p = NULL;
    assert_true(asprintf(&p, "%s/data/bad/%s", test_dir(), name) > 0);
    return p;
}

/* A temp file holding data[0..len); caller unlinks and frees the path. */
static char *write_tmp(const void *data, size_t len)
{
    const char *t = getenv("TMPDIR");
    char *p = NULL;
    assert_true(asprintf(&p, "%s/ss_csv_XXXXXX", t && *t ? t : "/tmp") > 0);
    int fd = mkstemp(p);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return p;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("expected \"%s\" in \"%s\"", needle, hay ? hay : "(null)");
}

static ss_csv *open_ok(const char *path)
{
    ss_csv *c = NULL;
    char *err = NULL;
    ss_status st = ss_csv_open(path, &c, &err);
    if (st != SS_OK)
        fail_msg("open %s: %s", path, err ? err : ss_strerror(st));
    return c;
}

static void assert_field(const ss_csv *c, long i, const char *want)
{
    size_t len = 99;
    const char *got = ss_csv_field(c, i, &len);
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
}

/* ------------------------------------------------------ bad inputs */

enum stage { AT_OPEN, AT_REQUIRE, AT_NEXT };

static const struct bad_case {
    const char *file;
    enum stage stage;
    int good_rows;          /* rows read before the failure (AT_NEXT) */
    const char *needles[3]; /* all must appear in the message */
    const char *absent;     /* must not appear, or NULL */
} BAD[] = {
    {"unterminated_quote.csv", AT_NEXT, 1,
     {":3: field 'description'", "unterminated quoted field", NULL}, NULL},
    {"missing_column.csv", AT_REQUIRE, 0,
     {": missing required column 'preferredLabel'", NULL, NULL},
     "comma-separated"},
    {"semicolon.csv", AT_REQUIRE, 0,
     {"missing required column 'conceptUri'", "is it comma-separated?", NULL},
     NULL},
    {"tab.csv", AT_REQUIRE, 0,
     {"missing required column 'conceptUri'", "is it comma-separated?", NULL},
     NULL},
    {"invalid_utf8.csv", AT_NEXT, 1,
     {":3: field 'description'", "invalid UTF-8", NULL}, NULL},
    {"stray_quote.csv", AT_NEXT, 0,
     {":2: field 'description'", "quote", NULL}, NULL},
    {"empty.csv", AT_OPEN, 0,
     {": empty file, expected a header row", NULL, NULL}, NULL},
    {"blank_lines.csv", AT_OPEN, 0,
     {": empty file, expected a header row", NULL, NULL}, NULL},
    {"binary.csv", AT_OPEN, 0,
     {":1: field 'column 1'", "expected a UTF-8 CSV file", NULL}, NULL},
};

static void test_bad_inputs(void **state)
{
    (void)state;
    static const char *const req[] = {"conceptUri", "preferredLabel"};
    for (size_t k = 0; k < sizeof BAD / sizeof BAD[0]; k++) {
        const struct bad_case *b = &BAD[k];
        char *path = bad_path(b->file);
        ss_csv *c = NULL;
        char *err = NULL;
        ss_status st = ss_csv_open(path, &c, &err);
        if (b->stage == AT_OPEN) {
            assert_int_equal(st, SS_ERR_INVALID);
            assert_null(c);
        } else {
            if (st != SS_OK)
                fail_msg("%s: open: %s", b->file, err);
            long idx[2];
            st = ss_csv_require(c, req, 2, idx, &err);
            if (b->stage == AT_REQUIRE) {
                assert_int_equal(st, SS_ERR_INVALID);
            } else {
                assert_int_equal(st, SS_OK);
                int rows = 0;
                while (ss_csv_next(c, &st, &err))
                    rows++;
                assert_int_equal(st, SS_ERR_INVALID);
                assert_int_equal(rows, b->good_rows);
                /* the error sticks */
                assert_int_equal(ss_csv_next(c, &st, NULL), 0);
                assert_int_equal(st, SS_ERR_INVALID);
            }
        }
        assert_contains(err, path);
        for (int i = 0; i < 3 && b->needles[i]; i++)
            assert_contains(err, b->needles[i]);
        if (b->absent && err && strstr(err, b->absent))
            fail_msg("%s: unexpected \"%s\" in \"%s\"", b->file, b->absent,
                     err);
        free(err);
        ss_csv_close(c);
        free(path);
    }
}

static void test_missing_file(void **state)
{
    (void)state;
    ss_csv *c = NULL;
    char *err = NULL;
    assert_int_equal(ss_csv_open("tests/data/bad/no-such-file.csv", &c, &err),
                     SS_ERR_NOT_FOUND);
    assert_null(c);
    assert_contains(err, "no-such-file.csv");
    free(err);
    ss_csv_close(NULL);
}

/* ------------------------------------------------------ good inputs */

static void test_bom_crlf(void **state)
{
    (void)state;
    char *path = bad_path("bom_crlf.csv");
    ss_csv *c = open_ok(path);
    assert_int_equal(ss_csv_ncolumns(c), 3);
    assert_int_equal(ss_csv_column(c, "conceptUri"), 0); /* BOM stripped */
    assert_int_equal(ss_csv_column(c, "altLabels"), 2);
    assert_int_equal(ss_csv_column(c, "nope"), -1);
    long idx[2];
    static const char *const req[] = {"conceptUri", "altLabels"};
    assert_int_equal(ss_csv_require(c, req, 2, idx, NULL), SS_OK);
    assert_int_equal(idx[1], 2);

    ss_status st;
    assert_true(ss_csv_next(c, &st, NULL));
    assert_int_equal(ss_csv_line(c), 2);
    assert_field(c, 0, "http://x/1");
    assert_field(c, 2, "one\r\nuno"); /* CRLF inside quotes is data */
    assert_true(ss_csv_next(c, &st, NULL));
    assert_int_equal(ss_csv_line(c), 4);
    assert_field(c, 1, "second"); /* no trailing CR */
    assert_field(c, 2, "");
    assert_false(ss_csv_next(c, &st, NULL));
    assert_int_equal(st, SS_OK);
    assert_int_equal(ss_csv_bytes(c), ss_csv_size(c));
    ss_csv_close(c);
    free(path);
}

/* Records spanning lines, blank lines, quotes, short rows. */
static void test_multiline_and_lines(void **state)
{
    (void)state;
    static const char text[] =
        "a,b,c\n"                            /* 1 */
        "1,\"x, y\",\"he said \"\"hi\"\"\"\n" /* 2 */
        "2,\"multi\n"                        /* 3 */
        "line\n"                             /* 4 */
        "\n"                                 /* 5 (inside the quotes) */
        "field\",z\n"                        /* 6 */
        "\n"                                 /* 7 blank: skipped */
        "3\n"                                /* 8 short row */
        "4,\"\",  padded  \n"                /* 9 */
        "5,\"no final newline\",end";        /* 10 */
    char *path = write_tmp(text, sizeof text - 1);
    ss_csv *c = open_ok(path);
    assert_int_equal(ss_csv_line(c), 1);
    static const struct {
        unsigned long line;
        const char *f[3];
    } want[] = {
        {2, {"1", "x, y", "he said \"hi\""}},
        {3, {"2", "multi\nline\n\nfield", "z"}},
        {8, {"3", "", ""}},
        {9, {"4", "", "padded"}},
        {10, {"5", "no final newline", "end"}},
    };
    ss_status st;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_true(ss_csv_next(c, &st, NULL));
        assert_int_equal(ss_csv_line(c), want[i].line);
        for (int k = 0; k < 3; k++)
            assert_field(c, k, want[i].f[k]);
        assert_field(c, -1, "");
        assert_field(c, 7, "");
    }
    assert_int_equal(ss_csv_nfields(c), 3);
    assert_false(ss_csv_next(c, &st, NULL));
    assert_int_equal(st, SS_OK);
    assert_false(ss_csv_next(c, &st, NULL)); /* EOF is stable */
    assert_int_equal(st, SS_OK);
    ss_csv_close(c);
    unlink(path);
    free(path);
}

/* Many records, some spanning the 64 KiB read chunks, CRLF and LF mixed. */
static void test_chunk_boundaries(void **state)
{
    (void)state;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    n += (size_t)sprintf(buf + n, "id,text\r\n");
    enum { N = 6000 };
    unsigned long line = 2;
    unsigned long lines[N];
    for (int i = 0; i < N; i++) {
        lines[i] = line;
        if (i % 3 == 0) {
            n += (size_t)sprintf(buf + n, "%d,\"first %d\nsecond\nthird\"\n", i,
                                 i);
            line += 3;
        } else {
            n += (size_t)sprintf(buf + n, "%d,plain %d%s", i, i,
                                 i % 2 ? "\r\n" : "\n");
            line += 1;
        }
        assert_true(n + 100 < cap);
    }
    char *path = write_tmp(buf, n);
    ss_csv *c = open_ok(path);
    ss_status st;
    char want[64];
    for (int i = 0; i < N; i++) {
        assert_true(ss_csv_next(c, &st, NULL));
        assert_int_equal(ss_csv_line(c), lines[i]);
        assert_int_equal(atoi(ss_csv_field(c, 0, NULL)), i);
        if (i % 3 == 0)
            sprintf(want, "first %d\nsecond\nthird", i);
        else
            sprintf(want, "plain %d", i);
        assert_field(c, 1, want);
    }
    assert_false(ss_csv_next(c, &st, NULL));
    assert_int_equal(st, SS_OK);
    assert_int_equal(ss_csv_size(c), n);
    assert_int_equal(ss_csv_bytes(c), n);
    ss_csv_close(c);
    unlink(path);
    free(path);
    free(buf);
}

/* Record 2 of the file has a quoted description of len bytes holding
 * *newlines line breaks. */
static char *big_field_file(size_t len, size_t *newlines)
{
    static const char head[] = "id,description\n1,small\n2,\"";
    static const char tail[] = "\"\n3,after\n";
    size_t n = sizeof head - 1 + len + sizeof tail - 1;
    char *buf = malloc(n);
    assert_non_null(buf);
    memcpy(buf, head, sizeof head - 1);
    memset(buf + sizeof head - 1, 'x', len);
    *newlines = 0;
    for (size_t i = 100; i < len; i += 997, ++*newlines)
        buf[sizeof head - 1 + i] = '\n';
    memcpy(buf + sizeof head - 1 + len, tail, sizeof tail - 1);
    char *path = write_tmp(buf, n);
    free(buf);
    return path;
}

static void test_large_field_ok(void **state)
{
    (void)state;
    size_t len = 10u << 20, newlines;
    char *path = big_field_file(len, &newlines);
    ss_csv *c = open_ok(path);
    ss_status st;
    assert_true(ss_csv_next(c, &st, NULL));
    assert_true(ss_csv_next(c, &st, NULL));
    size_t got;
    const char *f = ss_csv_field(c, 1, &got);
    assert_int_equal(got, len);
    assert_int_equal(f[0], 'x');
    assert_int_equal(f[len], '\0');
    assert_true(ss_csv_next(c, &st, NULL));
    assert_field(c, 1, "after");
    assert_int_equal(ss_csv_line(c), 4 + newlines);
    assert_false(ss_csv_next(c, &st, NULL));
    assert_int_equal(st, SS_OK);
    ss_csv_close(c);
    unlink(path);
    free(path);
}

static void test_field_too_large(void **state)
{
    (void)state;
    size_t newlines;
    char *path = big_field_file(SS_CSV_MAX_FIELD + (1u << 20), &newlines);
    ss_csv *c = open_ok(path);
    ss_status st;
    char *err = NULL;
    assert_true(ss_csv_next(c, &st, &err));
    assert_false(ss_csv_next(c, &st, &err));
    assert_int_equal(st, SS_ERR_INVALID);
    assert_contains(err, path);
    assert_contains(err, ":3: field 'description'");
    assert_contains(err, "too large");
    free(err);
    ss_csv_close(c);
    unlink(path);
    free(path);
}

/* NUL bytes past the header are reported as binary data. */
static void test_nul_in_row(void **state)
{
    (void)state;
    static const char text[] = "a,b\n1,ok\n2,bin\0ary\n";
    char *path = write_tmp(text, sizeof text - 1);
    ss_csv *c = open_ok(path);
    ss_status st;
    char *err = NULL;
    assert_true(ss_csv_next(c, &st, &err));
    assert_false(ss_csv_next(c, &st, &err));
    assert_int_equal(st, SS_ERR_INVALID);
    assert_contains(err, ":3: field 'b': NUL byte");
    free(err);
    ss_csv_close(c);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_multiline_and_lines),
        cmocka_unit_test(test_chunk_boundaries),
        cmocka_unit_test(test_large_field_ok),
        cmocka_unit_test(test_field_too_large),
        cmocka_unit_test(test_nul_in_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
