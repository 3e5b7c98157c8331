/* people_common.c: users and teams as JSON, the rules on names, passwords
 * and roles, and the audit of an admin's writes, for the routes and pages
 * of people. */
#include "people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void people_audit(struct serve_app *app, const struct auth *auth, const char *action,
                  const char *target, const char *detail)
{
    enum dbf_store_status st = dbf_store_audit(app->store, auth->user.id, action, target, detail);
    if (st != DBF_STORE_OK)
        log_event("audit_failed", json_pack("{s:s, s:s, s:s}", "action", action, "target", target,
                                            "error", dbf_store_message(app->store)));
}

json_t *people_user_json(struct serve_app *app, const struct dbf_user *user,
                         enum dbf_store_status *status)
{
    struct dbf_team *teams = NULL;
    size_t count = 0;
    *status = dbf_store_user_teams(app->store, user->id, &teams, &count);
    if (*status != DBF_STORE_OK)
        return NULL;
    json_t *names = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(names, json_string(teams[i].name));
    free(teams);
    return json_pack("{s:s, s:s, s:o, s:o}", "name", user->name, "role", dbf_role_name(user->role),
                     "teams", names, "created", json_time(user->created));
}

json_t *people_team_json(struct serve_app *app, const struct dbf_team *team,
                         enum dbf_store_status *status)
{
    struct dbf_user *members = NULL;
    size_t count = 0;
    *status = dbf_store_team_members(app->store, team->id, &members, &count);
    if (*status != DBF_STORE_OK)
        return NULL;
    json_t *names = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(names, json_string(members[i].name));
    free(members);
    return json_pack("{s:s, s:o, s:o}", "name", team->name, "members", names, "created",
                     json_time(team->created));
}

bool people_password_fits(const char *password)
{
    size_t n = strlen(password);
    return n >= PEOPLE_PASSWORD_MIN && n <= PEOPLE_PASSWORD_MAX;
}

bool people_name_fits_url(const char *name)
{
    return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

enum dbf_store_status people_user_add(struct serve_app *app, const struct auth *auth,
                                      const char *name, const char *password, enum dbf_role role,
                                      const struct dbf_team *teams, size_t count, int64_t *id)
{
    enum dbf_store_status st = dbf_store_user_add(app->store, name, password, role, id);
    for (size_t i = 0; i < count && st == DBF_STORE_OK; i++)
        st = dbf_store_member_add(app->store, teams[i].id, *id);
    if (st == DBF_STORE_OK)
        people_audit(app, auth, "admin.user.add", name, dbf_role_name(role));
    return st;
}

/* How many admins there are, in *COUNT. */
static enum dbf_store_status count_admins(struct serve_app *app, size_t *count)
{
    struct dbf_user *users = NULL;
    size_t n = 0;
    enum dbf_store_status st = dbf_store_user_list(app->store, &users, &n);
    *count = 0;
    for (size_t i = 0; i < n; i++)
        *count += users[i].role == DBF_ROLE_ADMIN;
    free(users);
    return st;
}

enum dbf_store_status people_set_role(struct serve_app *app, const struct auth *auth,
                                      struct dbf_user *user, enum dbf_role role)
{
    if (role == user->role)
        return DBF_STORE_OK;
    enum dbf_store_status st = DBF_STORE_OK;
    if (user->role == DBF_ROLE_ADMIN) {
        size_t admins = 0;
        st = count_admins(app, &admins);
        if (st == DBF_STORE_OK && admins <= 1)
            return DBF_STORE_CONFLICT;
    }
    if (st == DBF_STORE_OK)
        st = dbf_store_user_set_role(app->store, user->id, role);
    if (st != DBF_STORE_OK)
        return st;
    char detail[64];
    snprintf(detail, sizeof detail, "%s -> %s", dbf_role_name(user->role), dbf_role_name(role));
    people_audit(app, auth, "admin.user.role", user->name, detail);
    user->role = role;
    return DBF_STORE_OK;
}

bool people_name_addressable(h2o_req_t *req, const char *name)
{
    if (people_name_fits_url(name))
        return true;
    respond_error(req, 400, "bad_request", "a name cannot be '.' or '..'");
    return false;
}

void people_fail(struct serve_app *app, h2o_req_t *req, enum dbf_store_status st, const char *thing)
{
    if (st == DBF_STORE_NOT_FOUND) {
        char message[64];
        snprintf(message, sizeof message, "no such %s", thing);
        respond_error(req, 404, "not_found", message);
        return;
    }
    respond_store_error(app, req, st);
}
