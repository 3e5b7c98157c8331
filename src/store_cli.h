/* store_cli.h: what the team server's commands (user, team, import, push,
 * export) share: opening the database, reporting its failures, finding
 * people by name, reading a new password, reading a post mortem file.
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

#endif
