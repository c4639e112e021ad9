/* main.c - `skillsearch COMMAND ...` dispatch. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const char USAGE[] =
    "usage: skillsearch COMMAND [OPTIONS]\n"
    "\n"
    "Full-text and semantic search over ESCO occupations and skills.\n"
    "\n"
    "commands:\n"
    "  index      build an index from the ESCO CSV download\n"
    "  search     search occupations or skills (one query, or JSON lines)\n"
    "  match      rank occupations for job ads or CVs\n"
    "  synonyms   show what a term expands to\n"
    "  serve      run the HTTP JSON service and the search page\n"
    "  vectors    import and inspect the optional word vectors\n"
    "  train      train the learned ranker from labelled queries and ESCO\n"
    "  similar    occupations sharing essential skills with one occupation\n"
    "  fit        how a profile (skills, a CV) covers occupations\n"
    "  show       one occupation or skill: its page, as the HTTP API gives it\n"
    "  langid     guess a query's language among indexes; measure how well\n"
    "\n"
    "`skillsearch COMMAND --help` describes each command.\n";

typedef struct command {
    const char *name;
    int (*run)(int, char **);
} command;

int main(int argc, char **argv)
{
    static const command cmds[] = {
        {"index", ss_cmd_index},       {"search", ss_cmd_search},
        {"match", ss_cmd_match},       {"synonyms", ss_cmd_synonyms},
        {"serve", ss_cmd_serve},       {"vectors", ss_cmd_vectors},
        {"train", ss_cmd_train},       {"similar", ss_cmd_similar},
        {"fit", ss_cmd_fit},           {"show", ss_cmd_show},
        {"langid", ss_cmd_langid},
    };
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
        !strcmp(argv[1], "help")) {
        fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(argv[1], cmds[i].name) != 0)
            continue;
        return cmds[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "skillsearch: unknown command '%s'\n%s", argv[1], USAGE);
    return 2;
}
