/* api_workflow.c: the review workflow: the moves between draft, review and
 * published, and the approvals of reviewers. The rules are policy.c's; this
 * file gathers the facts, asks the policy and records what it allows. */
#include "pm.h"

#include "debrief/buf.h"

#include <stdlib.h>
#include <string.h>

#define REASON_MAX 2000

static json_t *transitions_json(struct serve_app *app, const struct pm_view *view,
                                enum dbf_store_status *st)
{
    struct dbf_state_change *changes = NULL;
    size_t count = 0;
    *st = dbf_store_state_changes(app->store, view->auth.user.id, view->slug, &changes, &count);
    if (*st != DBF_STORE_OK)
        return NULL;
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct dbf_state_change *c = &changes[i];
        json_array_append_new(
            items, json_pack("{s:s, s:s, s:s, s:s, s:o}", "from", dbf_pm_status_name(c->from), "to",
                             dbf_pm_status_name(c->to), "actor", c->actor_name, "reason",
                             c->reason ? c->reason : "", "created", json_time(c->created)));
    }
    dbf_state_changes_free(changes, count);
    return json_pack("{s:s, s:o}", "status", dbf_pm_status_name(view->pm.status), "items", items);
}

int api_pm_transitions(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    return pm_answer(app, req, params, transitions_json);
}

int api_pm_transition(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    static const char *const fields[] = {"to", "reason", "override", NULL};
    json_t *body = request_json(req, fields);
    const char *to_name, *reason;
    bool override;
    struct pm_state state = {0};
    bool have_state = false;
    enum dbf_pm_status to;
    if (!body || !request_string(req, body, "to", true, 32, &to_name) ||
        !request_string(req, body, "reason", false, REASON_MAX, &reason) ||
        !request_bool(req, body, "override", false, &override))
        goto done;
    if (!dbf_pm_status_parse(to_name, &to)) {
        respond_error(req, 400, "bad_request", "'to' must be 'draft', 'review' or 'published'");
        goto done;
    }
    if (!pm_state_load(app, req, &view, &state))
        goto done;
    have_state = true;
    struct policy_rules rules;
    pm_rules(app, &rules);
    struct policy_verdict verdict;
    policy_transition(&rules, &state.state, &view.actor, to, override, reason, &verdict);
    if (verdict.answer != POLICY_ALLOW) {
        pm_respond_verdict(req, &verdict);
        goto done;
    }
    enum dbf_store_status st =
        dbf_store_transition(app->store, view.slug, to, view.auth.user.id, reason);
    /* The policy allowed the move from the state read above; a store that
     * refuses it found another state: someone moved it meanwhile. */
    if (st == DBF_STORE_INVALID)
        st = DBF_STORE_CONFLICT;
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        goto done;
    }
    if (verdict.overridden)
        pm_record_override(app, &view, reason, &verdict);
    respond_json(req, 200,
                 json_pack("{s:s, s:s, s:b}", "id", view.slug, "status", dbf_pm_status_name(to),
                           "overridden", verdict.overridden));
done:
    if (have_state)
        pm_state_release(&state);
    json_decref(body);
    pm_view_release(&view);
    return 0;
}

int api_pm_approvals(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    struct pm_state state;
    if (pm_state_load(app, req, &view, &state)) {
        struct policy_rules rules;
        pm_rules(app, &rules);
        respond_json(req, 200,
                     json_pack("{s:o, s:i, s:i}", "items", pm_approvals_json(&rules, &state),
                               "counted", policy_valid_approvals(&rules, &state.state), "needed",
                               rules.approvals_needed));
        pm_state_release(&state);
    }
    pm_view_release(&view);
    return 0;
}

int api_pm_approve(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    json_t *body = NULL;
    const char *note = NULL;
    struct pm_state state;
    if (!pm_state_load(app, req, &view, &state)) {
        pm_view_release(&view);
        return 0;
    }
    bool already = false;
    for (size_t i = 0; i < state.approval_count && !already; i++)
        already = state.approvals[i].reviewer == view.auth.user.id;
    struct policy_rules rules;
    pm_rules(app, &rules);
    struct policy_verdict verdict;
    policy_approve(&rules, &state.state, &view.actor, already, &verdict);
    if (verdict.answer != POLICY_ALLOW) {
        pm_respond_verdict(req, &verdict);
        goto done;
    }
    if (req->entity.len > 0) {
        static const char *const fields[] = {"note", NULL};
        body = request_json(req, fields);
        if (!body || !request_string(req, body, "note", false, REASON_MAX, &note))
            goto done;
    }
    enum dbf_store_status st = dbf_store_approve(app->store, view.slug, view.auth.user.id, note);
    pm_respond_stored(app, req, st, 201,
                      json_pack("{s:s, s:s, s:i, s:s}", "id", view.slug, "reviewer",
                                view.auth.user.name, "revision", view.pm.revision, "note",
                                note ? note : ""));
done:
    pm_state_release(&state);
    json_decref(body);
    pm_view_release(&view);
    return 0;
}
