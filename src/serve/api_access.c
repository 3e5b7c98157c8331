/* api_access.c: who may see a post mortem (its visibility and the users and
 * teams named on it) and which team owns it, with the history of owners.
 * Anyone who may see a post mortem may read these; only authors of its
 * owner team and admins may change them. */
#include "pm.h"

#include <stdlib.h>
#include <string.h>

#define REASON_MAX 2000

/* Answers 403 and returns false unless VIEW's asker may change access. */
static bool may_manage(h2o_req_t *req, const struct pm_view *view, const char *what)
{
    if (policy_is_owner(&view->actor))
        return true;
    char message[192];
    snprintf(message, sizeof message, "only authors of the owner team '%s' and admins may %s",
             view->pm.owner_team_name, what);
    respond_error(req, 403, "forbidden", message);
    return false;
}

static json_t *grant_json(const char *kind, const char *name)
{
    return json_pack("{s:s, s:s, s:s}", "kind", kind, kind, name, "name", name);
}

static json_t *access_json(struct serve_app *app, const struct pm_view *view,
                           enum dbf_store_status *st)
{
    struct dbf_grant *grants = NULL;
    size_t count = 0;
    *st = dbf_store_pm_grants(app->store, view->auth.user.id, view->slug, &grants, &count);
    if (*st != DBF_STORE_OK)
        return NULL;
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, grant_json(grants[i].user ? "user" : "team", grants[i].name));
    free(grants);
    return json_pack("{s:s, s:s, s:o}", "visibility", dbf_visibility_name(view->pm.visibility),
                     "owner_team", view->pm.owner_team_name, "grants", list);
}

int api_pm_access(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    return pm_answer(app, req, params, access_json);
}

/* The user or team named NAME: *USER or *TEAM is set. Answers 400 for an
 * unknown name and returns false. */
static bool find_grantee(struct serve_app *app, h2o_req_t *req, bool is_user, const char *name,
                         int64_t *user, int64_t *team)
{
    enum dbf_store_status st;
    *user = *team = 0;
    if (is_user) {
        struct dbf_user u = {0};
        st = dbf_store_user_get(app->store, name, &u);
        *user = u.id;
    } else {
        struct dbf_team t = {0};
        st = dbf_store_team_get(app->store, name, &t);
        *team = t.id;
    }
    if (st == DBF_STORE_NOT_FOUND) {
        char message[160];
        snprintf(message, sizeof message, "no %s is named '%.64s'", is_user ? "user" : "team",
                 name);
        respond_error(req, 400, "bad_request", message);
        return false;
    }
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return false;
    }
    return true;
}

int api_pm_grant(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    json_t *body = NULL;
    const char *user_name, *team_name;
    int64_t user, team;
    if (!may_manage(req, &view, "name people on it"))
        goto done;
    static const char *const fields[] = {"user", "team", NULL};
    body = request_json(req, fields);
    if (!body || !request_string(req, body, "user", false, DBF_STORE_NAME_MAX, &user_name) ||
        !request_string(req, body, "team", false, DBF_STORE_NAME_MAX, &team_name))
        goto done;
    if ((user_name == NULL) == (team_name == NULL)) {
        respond_error(req, 400, "bad_request", "name either a 'user' or a 'team'");
        goto done;
    }
    const char *name = user_name ? user_name : team_name;
    if (!find_grantee(app, req, user_name != NULL, name, &user, &team))
        goto done;
    enum dbf_store_status st = dbf_store_pm_grant(app->store, view.slug, user, team);
    pm_respond_stored(app, req, st, 201, grant_json(user_name ? "user" : "team", name));
done:
    json_decref(body);
    pm_view_release(&view);
    return 0;
}

int api_pm_revoke(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    const char *kind = request_param(req, params, "kind");
    const char *name = request_param(req, params, "name");
    bool is_user = kind && strcmp(kind, "user") == 0;
    int64_t user, team;
    if (!kind || !name || (!is_user && strcmp(kind, "team") != 0)) {
        respond_error(req, 404, "not_found",
                      "no such route: use …/access/user/NAME or "
                      "…/access/team/NAME");
    } else if (may_manage(req, &view, "change who may see it") &&
               find_grantee(app, req, is_user, name, &user, &team)) {
        enum dbf_store_status st = dbf_store_pm_revoke(app->store, view.slug, user, team);
        if (st != DBF_STORE_OK)
            respond_store_error(app, req, st);
        else
            respond_json(req, 200, grant_json(kind, name));
    }
    pm_view_release(&view);
    return 0;
}

int api_pm_visibility(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    json_t *body = NULL;
    const char *name, *reason;
    enum dbf_visibility visibility;
    if (!may_manage(req, &view, "change who may see it"))
        goto done;
    static const char *const fields[] = {"visibility", "reason", NULL};
    body = request_json(req, fields);
    if (!body || !request_string(req, body, "visibility", true, 32, &name) ||
        !request_string(req, body, "reason", false, REASON_MAX, &reason))
        goto done;
    if (!dbf_visibility_parse(name, &visibility)) {
        respond_error(req, 400, "bad_request", "'visibility' must be 'public' or 'restricted'");
        goto done;
    }
    enum dbf_store_status st =
        dbf_store_pm_set_visibility(app->store, view.slug, visibility, view.auth.user.id, reason);
    pm_respond_stored(
        app, req, st, 200,
        json_pack("{s:s, s:s}", "id", view.slug, "visibility", dbf_visibility_name(visibility)));
done:
    json_decref(body);
    pm_view_release(&view);
    return 0;
}

static json_t *owners_json(struct serve_app *app, const struct pm_view *view,
                           enum dbf_store_status *st)
{
    struct dbf_ownership_change *changes = NULL;
    size_t count = 0;
    *st = dbf_store_ownership_changes(app->store, view->auth.user.id, view->slug, &changes, &count);
    if (*st != DBF_STORE_OK)
        return NULL;
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct dbf_ownership_change *c = &changes[i];
        json_array_append_new(
            items, json_pack("{s:o, s:s, s:s, s:s, s:o}", "from",
                             c->from_team ? json_string(c->from_name) : json_null(), "to",
                             c->to_name, "actor", c->actor_name, "reason",
                             c->reason ? c->reason : "", "created", json_time(c->created)));
    }
    dbf_ownership_changes_free(changes, count);
    return json_pack("{s:s, s:o}", "owner_team", view->pm.owner_team_name, "items", items);
}

int api_pm_owners(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    return pm_answer(app, req, params, owners_json);
}

static bool has_text(const char *s)
{
    for (; s && *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    }
    return false;
}

int api_pm_reassign(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    json_t *body = NULL;
    const char *team_name, *reason;
    int64_t unused, team;
    if (!may_manage(req, &view, "give it to another team"))
        goto done;
    static const char *const fields[] = {"team", "reason", NULL};
    body = request_json(req, fields);
    if (!body || !request_string(req, body, "team", true, DBF_STORE_NAME_MAX, &team_name) ||
        !request_string(req, body, "reason", true, REASON_MAX, &reason))
        goto done;
    if (!has_text(reason)) {
        respond_error(req, 400, "bad_request", "'reason' must say why the owner changes");
        goto done;
    }
    if (!find_grantee(app, req, false, team_name, &unused, &team))
        goto done;
    if (team == view.pm.owner_team) {
        char message[160];
        snprintf(message, sizeof message, "team '%.64s' owns it already", team_name);
        respond_error(req, 409, "conflict", message);
        goto done;
    }
    enum dbf_store_status st =
        dbf_store_pm_reassign(app->store, view.slug, team, view.auth.user.id, reason);
    /* Whoever gives a restricted post mortem away keeps seeing it. */
    if (st == DBF_STORE_OK && view.pm.visibility == DBF_VISIBILITY_RESTRICTED &&
        view.auth.user.role != DBF_ROLE_ADMIN && !auth_in_team(&view.auth, team))
        st = dbf_store_pm_grant(app->store, view.slug, view.auth.user.id, 0);
    pm_respond_stored(app, req, st, 200,
                      json_pack("{s:s, s:s}", "id", view.slug, "owner_team", team_name));
done:
    json_decref(body);
    pm_view_release(&view);
    return 0;
}
