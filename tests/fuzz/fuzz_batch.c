/* fuzz_batch.c - JSON-lines batch input through the real command:
 * `skillsearch search --json` in-process, with the bytes as stdin.
 * Oracle: the command succeeds and writes one JSON object per non-blank
 * input line, each with "results" or a real "error" message. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cmd.h"
#include "common.h"

static char g_in[4200], g_out[4200], g_index[4200], g_data[4200];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(g_index, sizeof g_index, "%s", fz_sample_index());
    snprintf(g_data, sizeof g_data, "%s", fz_path("data"));
    snprintf(g_in, sizeof g_in, "%s/batch.jsonl", fz_tmpdir());
    snprintf(g_out, sizeof g_out, "%s/out.jsonl", fz_tmpdir());
    return 0;
}

/* Lines the command answers: getline() lines other than "" and "\n". */
static size_t input_lines(const uint8_t *d, size_t n)
{
    size_t lines = 0, start = 0;
    for (size_t i = 0; i <= n; i++)
        if (i == n || d[i] == '\n') {
            size_t len = i - start + (i < n);
            lines += len > 0 && !(len == 1 && d[start] == '\n');
            start = i + 1;
        }
    return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_write_file(g_in, data, size);
    if (!freopen(g_in, "r", stdin) || !freopen(g_out, "w", stdout))
        abort();
    char *argv[] = {"search", "--index", g_index, "--data", g_data,
                    "--json", "--limit", "5", NULL};
    if (ss_cmd_search(8, argv) != 0)
        abort(); /* a bad line is an error line, never a failed batch */
    fflush(stdout);

    FILE *f = fopen(g_out, "r");
    if (!f)
        abort();
    char *line = NULL;
    size_t cap = 0, got = 0;
    while (getline(&line, &cap, f) >= 0) {
        json_t *o = json_loads(line, 0, NULL);
        json_t *err = json_object_get(o, "error");
        if (!json_is_object(o) ||
            (!json_is_array(json_object_get(o, "results")) &&
             !json_is_string(err)) ||
            (err && !strcmp(json_string_value(err), "out of memory")))
            abort();
        json_decref(o);
        got++;
    }
    free(line);
    fclose(f);
    if (got != input_lines(data, size))
        abort();
    return 0;
}
