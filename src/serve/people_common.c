/* people_common.c: users and teams as JSON, and the audit of an admin's
 * writes, for the routes of people. */
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

bool people_name_addressable(h2o_req_t *req, const char *name)
{
    if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
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
