/* api_actions.c: the action items of the post mortems a user may see, and
 * marking one (docs/api/analysis.md).
 *
 * The list is the CLI's (include/debrief/actions.h: the same items, order
 * and summary as `debrief actions --format json`) read from each visible
 * post mortem's newest revision, with the status the server gave an item
 * (dbf_store_actions) laid over the one the document writes. An item's
 * "number" is its place among its post mortem's items, the N of
 * PUT …/actions/N, as the store counts them. */
#include "analysis.h"

#include <stdlib.h>
#include <string.h>

/* The items of ITEMS (the library's JSON of ACTIONS' list) with the server's fields
 * added: number as the store counts, the status it gave, title, marked and
 * marked_by; the file's path is left out. */
static void decorate(json_t *items, const struct analysis_actions *actions)
{
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *item = json_array_get(items, i);
        const struct dbf_action_item *a = dbf_action_list_at(actions->list, i);
        const struct dbf_tracked_action *t = analysis_actions_tracked(actions, a);
        json_object_del(item, "path");
        json_object_set_new(item, "number", json_integer(a->order));
        if (!json_object_get(item, "title") || json_is_null(json_object_get(item, "title")))
            json_object_set_new(item, "title", json_string(t && t->title ? t->title : ""));
        if (t)
            json_object_set_new(item, "status", json_string(t->status));
        if (t && t->marked) {
            json_object_set_new(item, "link", json_string(t->link ? t->link : ""));
            json_object_set_new(item, "marked", json_time(t->marked));
            json_object_set_new(item, "marked_by", json_string(t->marked_by));
        } else {
            json_object_set_new(item, "marked", json_null());
            json_object_set_new(item, "marked_by", json_null());
        }
    }
}

/* The answer for Q: {"items":[…],"summary":{…}}, or NULL after answering
 * REQ with the failure. */
static json_t *action_report(struct serve_app *app, h2o_req_t *req, int64_t viewer,
                             const struct analysis_action_query *q)
{
    struct analysis_actions actions;
    enum dbf_store_status st = analysis_actions_gather(app, viewer, q, &actions);
    json_t *report = NULL;
    if (st == DBF_STORE_OK) {
        struct dbf_buf out;
        dbf_buf_init(&out, 0);
        dbf_actions_write_json(actions.list, &out);
        if (!out.failed)
            report = json_loadb(out.data, out.len, 0, NULL);
        dbf_buf_release(&out);
        if (report)
            decorate(json_object_get(report, "items"), &actions);
        else
            respond_error(req, 500, "internal", "out of memory");
    } else {
        respond_store_error(app, req, st);
    }
    analysis_actions_release(&actions);
    return report;
}

/* Reads the query of GET /api/v1/actions into Q; answers REQ and returns
 * false when a parameter is malformed or names no team. */
static bool read_query(struct serve_app *app, h2o_req_t *req, struct analysis_action_query *q)
{
    q->today = analysis_today(app);
    if (!analysis_query_date(req, "today", &q->today))
        return false;
    const char *owner = request_query(req, "owner");
    if (owner && *owner) {
        if (strspn(owner, "@ ") == strlen(owner)) {
            respond_error(req, 400, "bad_request", "'owner' takes a name or @handle");
            return false;
        }
        q->filter.owner = owner;
    }
    const char *status = request_query(req, "status");
    if (!status || strcmp(status, "all") == 0) {
        q->filter.status = DBF_STATUS_ANY;
    } else if (strcmp(status, "open") == 0) {
        q->filter.status = DBF_STATUS_OPEN;
    } else if (strcmp(status, "done") == 0) {
        q->filter.status = DBF_STATUS_DONE;
    } else {
        respond_error(req, 400, "bad_request", "'status' takes open, done or all");
        return false;
    }
    const char *overdue = request_query(req, "overdue");
    if (overdue && strcmp(overdue, "true") != 0 && strcmp(overdue, "false") != 0) {
        respond_error(req, 400, "bad_request", "'overdue' takes true or false");
        return false;
    }
    q->filter.overdue = overdue && strcmp(overdue, "true") == 0;
    const char *slug = request_query(req, "postmortem");
    if (slug && *slug)
        q->slug = slug;
    const char *team = request_query(req, "team");
    if (team && *team) {
        struct dbf_team t;
        enum dbf_store_status st = dbf_store_team_get(app->store, team, &t);
        if (st != DBF_STORE_OK) {
            if (st == DBF_STORE_NOT_FOUND)
                respond_error(req, 404, "not_found", "no such team");
            else
                respond_store_error(app, req, st);
            return false;
        }
        q->team = t.id;
    }
    return true;
}

int api_actions_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    struct analysis_action_query q = {0};
    if (!read_query(app, req, &q))
        return 0;
    json_t *report = action_report(app, req, auth.user.id, &q);
    if (report)
        respond_json(req, 200, report);
    return 0;
}

/* Path parameter NAME as a whole number from 1; 0 when it is not one. */
static int param_number(h2o_req_t *req, const struct route_params *params, const char *name)
{
    const char *text = request_param(req, params, name);
    if (!text || !*text || strspn(text, "0123456789") != strlen(text) || strlen(text) > 9)
        return 0;
    return atoi(text);
}

/* Item NUMBER of SLUG as GET /api/v1/actions shows it, or NULL after
 * answering REQ. */
static json_t *one_item(struct serve_app *app, h2o_req_t *req, int64_t viewer, const char *slug,
                        int number)
{
    struct analysis_action_query q = {.slug = slug, .today = analysis_today(app)};
    json_t *report = action_report(app, req, viewer, &q);
    if (!report)
        return NULL;
    json_t *items = json_object_get(report, "items"), *found = NULL;
    for (size_t i = 0; i < json_array_size(items) && !found; i++) {
        json_t *item = json_array_get(items, i);
        if (json_integer_value(json_object_get(item, "number")) == number)
            found = json_incref(item);
    }
    json_decref(report);
    if (!found)
        respond_error(req, 404, "not_found", "no such action item");
    return found;
}

int api_action_update(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    const char *slug = request_param(req, params, "id");
    int number = param_number(req, params, "number");
    if (!slug || !number) {
        respond_error(req, 400, "bad_request", "an action item is /postmortems/ID/actions/N");
        return 0;
    }
    enum dbf_store_status st = dbf_store_pm_visible(app->store, auth.user.id, slug);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return 0;
    }
    if (!auth_has_role(&auth, DBF_ROLE_AUTHOR)) {
        respond_error(req, 403, "forbidden", "marking action items needs the author role");
        return 0;
    }
    static const char *const fields[] = {"status", "link", NULL};
    json_t *body = request_json(req, fields);
    if (!body)
        return 0;
    const char *status = NULL, *link = NULL;
    if (!request_string(req, body, "status", true, 16, &status) ||
        !request_string(req, body, "link", false, 2048, &link)) {
        json_decref(body);
        return 0;
    }
    if (!analysis_action_status_known(status)) {
        json_decref(body);
        respond_error(req, 400, "bad_request", "'status' takes open, done, in-progress or wont-do");
        return 0;
    }
    st = dbf_store_action_mark(app->store, slug, number, status, link, auth.user.id);
    json_decref(body);
    if (st == DBF_STORE_NOT_FOUND) {
        respond_error(req, 404, "not_found", "no such action item");
        return 0;
    }
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return 0;
    }
    json_t *item = one_item(app, req, auth.user.id, slug, number);
    if (item)
        respond_json(req, 200, item);
    return 0;
}
