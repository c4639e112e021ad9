/* cmd.h - the subcommands of the skillsearch binary.
 * Each takes the subcommand's own argv (argv[0] is the subcommand name)
 * and returns the process exit status: 0 ok, 1 failure, 2 usage error.
 */
#ifndef SS_CMD_H
#define SS_CMD_H

/* each in cli/cmd_<name>.c */
int ss_cmd_index(int argc, char **argv);
int ss_cmd_search(int argc, char **argv);
int ss_cmd_match(int argc, char **argv);
int ss_cmd_synonyms(int argc, char **argv);
int ss_cmd_serve(int argc, char **argv);
int ss_cmd_vectors(int argc, char **argv);
int ss_cmd_train(int argc, char **argv);
int ss_cmd_similar(int argc, char **argv);
int ss_cmd_fit(int argc, char **argv);
int ss_cmd_show(int argc, char **argv);
int ss_cmd_langid(int argc, char **argv);

#endif
