/* store_cli.h: what the team server's commands (user, team, import, push,
 * export) share: opening the database, reporting its failures, finding
 * people by name, running a subcommand of `user` or `team`, reading a new
 * password, reading a post mortem file.
 *
 * Every function that can fail prints "debrief: …" itself and says so with
 * its answer; the caller only chooses the exit status. */
#ifndef DEBRIEF_STORE_CLI_H
#define DEBRIEF_STORE_CLI_H

#include "debrief/ingest.h"
#include "debrief/store.h"

#include <stdbool.h>

/* The database URL: OPTION (--db) when given, else $DEBRIEF_DB when set and
 * not empty, else "sqlite:debrief.db", as for `debrief serve`. */
const char *cli_db_url(const char *option);

/* Opens (and migrates) the database named by cli_db_url(OPTION); NULL after
 * printing why it cannot be used. Close with dbf_store_close(). */
struct dbf_store *cli_store_open(const char *option);

/* Prints "debrief: WHAT: why" for the failure ST of the last operation on
 * STORE (WHAT is printf-style, e.g. "cannot add user 'ann'"). */
void cli_store_error(const struct dbf_store *store, enum dbf_store_status st, const char *what, ...)
    __attribute__((format(printf, 3, 4)));

/* User or team NAME into OUT; false after printing "no user 'NAME'" (or
 * why the database could not answer). */
bool cli_user_find(struct dbf_store *store, const char *name, struct dbf_user *out);
bool cli_team_find(struct dbf_store *store, const char *name, struct dbf_team *out);

/* The admin added first (the lowest id); false after printing that the
 * database has none. */
bool cli_first_admin(struct dbf_store *store, struct dbf_user *out);

/* db_subcommand.c: the subcommands of a command on the database (`debrief
 * user add`, `debrief team list`): one row each in the command's table, run
 * by cli_db_subcommand_run() with the command's own parsed options. */
struct cli_db_call {
    struct dbf_store *store;
    char **operands; /* after the subcommand's name */
    int operand_count;
    const void *options; /* the command's options, as given to the runner */
};

struct cli_db_subcommand {
    const char *name;
    int min_operands, max_operands; /* max_operands -1: any number */
    const char *operand_names;      /* what "needs …" says: "a NAME and a ROLE" */
    unsigned options;               /* bits of the command's option_names it takes */
    int (*run)(const struct cli_db_call *call);
};

struct cli_db_command {
    const char *name; /* "user" */
    const char *usage;
    const char *listing; /* "add, list or token", for a name that is none */
    const struct cli_db_subcommand *subcommands;
    size_t subcommand_count;
    const char *const *option_names; /* bit i of a row's options: "--role" */
    /* Checks the options' values before the database is opened, after
     * printing why not; NULL when there is nothing to check. */
    bool (*check)(const void *options);
};

/* Runs the subcommand of COMMAND named by ARGS[0], the first of COUNT
 * operands (options may come before it), with OPTIONS, on the database DB
 * (--db or NULL). GIVEN has the bits of the options given. Refuses, printing
 * why, no subcommand (with the usage), an unknown one, an option it does not
 * take, or a wrong number of operands. Returns the exit status. */
int cli_db_subcommand_run(const struct cli_db_command *command, char **args, int count,
                          unsigned given, const char *db, const void *options);

/* password_input.c: a new password for user NAME: the first line of
 * standard input when it is not a terminal (without its line end); on a
 * terminal, asked twice without echo. NULL after printing why (empty,
 * too long, the two differ, nothing to read). Free with
 * cli_password_free(), which wipes it first. */
char *cli_password_read(const char *name);
void cli_password_free(char *password);

/* ingest_file.c: a post mortem file, read whole and ingested. The store
 * gets TEXT, the file byte for byte (INGEST.content.markdown points to it):
 * the parser's own copy has the CR of each CRLF blanked and a BOM dropped. */
struct cli_pm_file {
    struct dbf_ingest ingest;
    char *text;
    size_t len;
};

/* Reads PATH (up to 16 MiB) into OUT; false with "PATH: why" or
 * "PATH:LINE:COL: why" in ERR. Release OUT with cli_pm_file_release(),
 * also after a failure. */
bool cli_pm_file_read(const char *path, struct cli_pm_file *out, char *err, size_t errlen);
void cli_pm_file_release(struct cli_pm_file *file);

/* The files a post mortem names (its metric files and local images, as
 * dbf_render_files_named() lists them), read from the post mortem's folder
 * and only from there: a file is read when its real path (symbolic links
 * resolved) lies inside the folder's real path, it is a regular file and it
 * holds at most DBF_ATTACHMENT_MAX bytes. A reference that cannot name a
 * file inside the folder ("../secret.txt", "/etc/passwd") is listed too,
 * refused, so that it can be reported. */
struct cli_named_file {
    char *name;   /* "metrics/p99.csv"; a refused reference as written */
    int line;     /* where the document names it; 0 when not known */
    bool refused; /* it cannot be read: WHY says why */
    char why[256];
    unsigned char *data; /* after cli_named_file_load(): the bytes, NUL after LEN */
    size_t len;
};

struct cli_named_files {
    struct cli_named_file *items;
    size_t count;
    char *folder; /* the real path of the post mortem's folder, or NULL */
};

/* Lists the files the post mortem at PATH, parsed as DOC, names. False
 * after printing why when memory ran out. Release OUT with
 * cli_named_files_release(), also after a failure. */
bool cli_named_files_list(const char *path, const struct dbf_doc *doc, struct cli_named_files *out);
void cli_named_files_release(struct cli_named_files *files);

/* Reads FILE (one of FILES) into its DATA and LEN. False, with FILE
 * refused and WHY filled, when it is missing, outside the folder, not a
 * regular file, too large or unreadable. Free the bytes with
 * cli_named_file_unload(). */
bool cli_named_file_load(const struct cli_named_files *files, struct cli_named_file *file);
void cli_named_file_unload(struct cli_named_file *file);

/* Prints "debrief: warning: PATH:LINE: file 'NAME' is not WHAT: why" (no
 * LINE when it is not known) for a refused FILE of the post mortem at PATH;
 * WHAT is "stored" or "sent". */
void cli_named_file_warn(const char *path, const struct cli_named_file *file, const char *what);

#endif
