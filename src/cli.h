/* cli.h: what the subcommands of the `debrief` tool share.
 *
 * Adding a command: write src/cmd_NAME.c with `int cmd_NAME(int argc, char
 * **argv)` and its usage text, declare it here, and add a row to the
 * commands[] table in main.c. A command returns the exit status: 0 done,
 * 1 findings (where it reviews), 2 usage or input error. */
#ifndef DEBRIEF_CLI_H
#define DEBRIEF_CLI_H

#include "debrief/debrief.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define EXIT_FINDINGS 1
#define EXIT_USAGE 2

int cmd_lint(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_triage(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_actions(int argc, char **argv);
int cmd_patterns(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_team(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_push(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* `debrief timeline import`, called by cmd_timeline with ARGV[0] "import". */
int cmd_timeline_import(int argc, char **argv);

/* Prints "debrief: MESSAGE" on standard error. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Is ARG "-h" or "--help"? */
bool cli_is_help(const char *arg);

/* Parses "YYYY-MM-DD" into OUT. */
bool cli_parse_date(const char *text, struct dbf_date *out);

/* options.c: checks of option values shared by the commands; each prints
 * the error ("--today takes a date as YYYY-MM-DD, not 'x'") and returns
 * false when the value is wrong. */
bool cli_option_date(const char *option, const char *value, struct dbf_date *out);
bool cli_option_colour(const char *value);

/* The exit status for getopt_long's answer C when it is not an option of
 * the command: prints that the option needs a value (':') or is unknown,
 * with USAGE. */
int cli_option_error(int c, char **argv, const char *usage);

/* The exit status for getopt_long's answer C that the command does not
 * handle itself: 0 after printing USAGE on standard output for 'h'
 * (--help), else as cli_option_error(). */
int cli_option_help_or_error(int c, char **argv, const char *usage);

/* Is there exactly one operand, ARGV[optind], after the options? Else prints
 * "'COMMAND' takes one folder, not also 'X'" or "'COMMAND' needs NEEDS",
 * then USAGE, and returns false. */
bool cli_option_one_folder(int argc, char **argv, const char *command, const char *needs,
                           const char *usage);

/* files.c: the Markdown files under PATHS (files as given; folders searched
 * recursively for *.md, sorted). Returns false after printing an error for a
 * path that does not exist or a folder with no Markdown file. The caller frees with
 * cli_files_free(). A file is kept as its folder (once per folder) and its
 * name, and its path made when asked for, so that a list of a hundred
 * thousand files takes little more memory than their names. */
struct cli_file {
    uint32_t folder; /* in `folders`; CLI_FILE_WHOLE: `name` is the whole path */
    uint32_t name;   /* offset in `names` */
};
#define CLI_FILE_WHOLE UINT32_MAX
struct cli_files {
    size_t count;
    struct cli_file *file;
    size_t cap;
    char **folders;
    size_t folder_count, folder_cap;
    char *names;
    size_t names_len, names_cap;
};
bool cli_files_collect(struct cli_files *files, char **paths, int count);
void cli_files_free(struct cli_files *files);
/* The path of file I, written to BUF (SIZE bytes: PATH_MAX is enough), or
 * NULL when it does not fit. */
const char *cli_files_path(const struct cli_files *files, size_t i, char *buf, size_t size);

/* inputs.c: the post mortem at PATH, or on standard input when PATH is "-"; NULL with
 * "LINE:COL: message" in ERR when it cannot be read or is not a post mortem
 * (as dbf_doc_load). */
struct dbf_doc *cli_load_doc(const char *path, char *err, size_t errlen);

/* The configuration for a file at NEAR (or standard input when "-"): the
 * file EXPLICIT when non-NULL (--config), else the nearest .debrief.yml,
 * else the defaults; with "now" set to TODAY when non-NULL. NULL after
 * printing why the configuration cannot be used. Free with
 * dbf_config_free(). */
struct dbf_config *cli_load_config(const char *explicit, const char *near,
                                   const struct dbf_date *today);

/* term.c: colour on standard output when it is a terminal and NO_COLOR is
 * unset; MODE is "auto", "always" or "never". */
bool cli_use_colour(const char *mode, FILE *stream);

#endif
