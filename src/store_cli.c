/* store_cli.c: opening the team server's database for a command, and
 * finding the users and teams it names. */
#include "store_cli.h"
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *cli_db_url(const char *option)
{
    if (option)
        return option;
    const char *env = getenv("DEBRIEF_DB");
    return env && *env ? env : "sqlite:debrief.db";
}

struct dbf_store *cli_store_open(const char *option)
{
    if (option && !*option) {
        cli_error("--db takes a database URL like sqlite:debrief.db or postgres://host/db");
        return NULL;
    }
    const char *url = cli_db_url(option);
    char err[512] = "";
    struct dbf_store *store = dbf_store_open(url, err, sizeof err);
    if (!store)
        cli_error("cannot open the database '%s': %s", url, err);
    return store;
}

void cli_store_error(const struct dbf_store *store, enum dbf_store_status st, const char *what, ...)
{
    char subject[256];
    va_list ap;
    va_start(ap, what);
    vsnprintf(subject, sizeof subject, what, ap);
    va_end(ap);
    const char *why = dbf_store_message(store);
    if (!*why)
        why = dbf_store_status_name(st);
    if (st == DBF_STORE_UNAVAILABLE)
        cli_error("%s: the database cannot be reached: %s", subject, why);
    else
        cli_error("%s: %s", subject, why);
}

bool cli_user_find(struct dbf_store *store, const char *name, struct dbf_user *out)
{
    enum dbf_store_status st = dbf_store_user_get(store, name, out);
    if (st == DBF_STORE_OK)
        return true;
    if (st == DBF_STORE_NOT_FOUND)
        cli_error("no user '%s'; add one with 'debrief user add %s'", name, name);
    else
        cli_store_error(store, st, "cannot look up user '%s'", name);
    return false;
}

bool cli_team_find(struct dbf_store *store, const char *name, struct dbf_team *out)
{
    enum dbf_store_status st = dbf_store_team_get(store, name, out);
    if (st == DBF_STORE_OK)
        return true;
    if (st == DBF_STORE_NOT_FOUND)
        cli_error("no team '%s'; add it with 'debrief team add %s'", name, name);
    else
        cli_store_error(store, st, "cannot look up team '%s'", name);
    return false;
}

bool cli_first_admin(struct dbf_store *store, struct dbf_user *out)
{
    struct dbf_user *users = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_user_list(store, &users, &count);
    if (st != DBF_STORE_OK) {
        cli_store_error(store, st, "cannot list the users");
        return false;
    }
    const struct dbf_user *first = NULL;
    for (size_t i = 0; i < count; i++) {
        if (users[i].role == DBF_ROLE_ADMIN && (!first || users[i].id < first->id))
            first = &users[i];
    }
    if (first)
        *out = *first;
    else
        cli_error("the database has no admin to record as the author; add one with "
                  "'debrief user add NAME --role admin' or name the author with --as");
    free(users);
    return first != NULL;
}
