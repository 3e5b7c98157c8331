/* postgres.c: the PostgreSQL backend, through libpq: opening a connection
 * from a URL, closing it, and the table of methods store.c dispatches to.
 * The methods live in postgres_*.c, one file per part of the store. */
#include "postgres_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dbf__pg_close(struct dbf_store *store)
{
    struct pg_store *s = dbf__pg(store);
    PQclear(s->generation_result);
    if (s->generation_conn)
        PQfinish(s->generation_conn);
    free(s->url);
    PQfinish(s->conn);
    free(s->prepared);
    free(s);
}

static const struct dbf__store_methods postgres_methods = {
    .close = dbf__pg_close,
    .schema_version = dbf__pg_schema_version,
    .user_add = dbf__pg_user_add,
    .user_add_first = dbf__pg_user_add_first,
    .user_find = dbf__pg_user_find,
    .user_set_password = dbf__pg_user_set_password,
    .user_set_role = dbf__pg_user_set_role,
    .user_list = dbf__pg_user_list,
    .team_add = dbf__pg_team_add,
    .team_get = dbf__pg_team_get,
    .team_list = dbf__pg_team_list,
    .member_set = dbf__pg_member_set,
    .token_add = dbf__pg_token_add,
    .token_find = dbf__pg_token_find,
    .token_list = dbf__pg_token_list,
    .token_revoke = dbf__pg_token_revoke,
    .session_add = dbf__pg_session_add,
    .session_find = dbf__pg_session_find,
    .session_end = dbf__pg_session_end,
    .pm_create = dbf__pg_pm_create,
    .pm_get = dbf__pg_pm_get,
    .pm_grant = dbf__pg_pm_grant,
    .pm_list = dbf__pg_pm_list,
    .revision_get = dbf__pg_revision_get,
    .revision_save = dbf__pg_revision_save,
    .history = dbf__pg_history,
    .transition = dbf__pg_transition,
    .state_changes = dbf__pg_state_changes,
    .pm_reassign = dbf__pg_pm_reassign,
    .comment_add = dbf__pg_comment_add,
    .comments = dbf__pg_comments,
    .attachment_put = dbf__pg_attachment_put,
    .attachments = dbf__pg_attachments,
    .attachment_get = dbf__pg_attachment_get,
    .attachment_history = dbf__pg_attachment_history,
    .audit = dbf__pg_audit_add,
    .audit_list = dbf__pg_audit_list,
    .pm_revoke = dbf__pg_pm_revoke,
    .pm_grants = dbf__pg_pm_grants,
    .pm_set_visibility = dbf__pg_pm_set_visibility,
    .approve = dbf__pg_approve,
    .approvals = dbf__pg_approvals,
    .ownership_changes = dbf__pg_ownership_changes,
    .actions = dbf__pg_actions,
    .action_mark = dbf__pg_action_mark,
    .team_members = dbf__pg_team_members,
    .login_failure = dbf__pg_login_failure,
    .login_failures = dbf__pg_login_failures,
    .login_forget = dbf__pg_login_forget,
    .generation = dbf__pg_generation,
    .optimize = dbf__pg_optimize,
    .generation_socket = dbf__pg_generation_socket,
    .generation_send = dbf__pg_generation_send,
    .generation_receive = dbf__pg_generation_receive,
};

/* The library never prints: the server's notices are dropped. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg, (void)message;
}

PGconn *dbf__pg_connect(const char *url)
{
    /* The URL's own settings win over these defaults, which come first. A
     * writer waits for another's lock (a post mortem's row) at most 5 s, as
     * SQLite's busy timeout, then answers UNAVAILABLE. No JIT: the search
     * statement's estimated cost passes jit_above_cost once the tables
     * are analyzed, and compiling it took 26-137 ms of each run that
     * itself took 100 ms without (10,000 post mortems); the other
     * statements are far below the threshold. */
    static const char *const keys[] = {"connect_timeout", "fallback_application_name", "options",
                                       "dbname", NULL};
    const char *values[] = {
        "10", "debrief", "-c client_min_messages=warning -c lock_timeout=5s -c jit=off", url, NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    if (conn && PQstatus(conn) == CONNECTION_OK)
        PQsetNoticeProcessor(conn, ignore_notice, NULL);
    return conn;
}

/* A URL for messages, without a password that it may hold (after the user
 * name, or as a password= parameter). */
static void url_for_messages(const char *url, char *out, size_t size)
{
    const char *scheme_end = strstr(url, "://");
    const char *authority = scheme_end ? scheme_end + 3 : url;
    const char *at = strchr(authority, '@');
    const char *slash = strchr(authority, '/');
    if (at && slash && slash < at)
        at = NULL;
    const char *colon = at ? memchr(authority, ':', (size_t)(at - authority)) : NULL;
    if (colon)
        snprintf(out, size, "%.*s:***%s", (int)(colon - url), url, at);
    else
        snprintf(out, size, "%s", url);
    char *query = strchr(out, '?');
    for (char *p = query; p && *p; p++) {
        if ((*p == '?' || *p == '&') && strncmp(p + 1, "password=", 9) == 0) {
            char *value = p + 10;
            size_t rest = strcspn(value, "&");
            if (strlen(out) + 3 - rest >= size) {
                /* No room to keep what follows: the text ends here. */
                snprintf(value, size - (size_t)(value - out), "***");
                break;
            }
            memmove(value + 3, value + rest, strlen(value + rest) + 1);
            memcpy(value, "***", 3);
        }
    }
}

struct dbf_store *dbf__postgres_open(const char *url, char *err, size_t errlen)
{
    char shown[300];
    url_for_messages(url, shown, sizeof shown);
    struct pg_store *s = calloc(1, sizeof *s);
    if (!s) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base.methods = &postgres_methods;
    s->conn = dbf__pg_connect(url);
    s->url = strdup(url);
    enum dbf_store_status status = DBF_STORE_OK;
    if (!s->conn || !s->url) {
        status = dbf__store_fail(&s->base, DBF_STORE_INTERNAL, "out of memory");
    } else if (PQstatus(s->conn) != CONNECTION_OK) {
        char line[400];
        const char *msg = PQerrorMessage(s->conn);
        snprintf(line, sizeof line, "%.*s", (int)strcspn(msg, "\n"), msg);
        status = dbf__store_fail(&s->base, DBF_STORE_UNAVAILABLE, "%s", line);
    } else {
        status = dbf__pg_migrate(&s->base);
    }
    if (status != DBF_STORE_OK) {
        if (err && errlen)
            snprintf(err, errlen, "cannot open '%s': %s", shown, s->base.message);
        dbf__pg_close(&s->base);
        return NULL;
    }
    return &s->base;
}
