/* page_postmortem.c: one post mortem's page, and the forms of its workflow
 * and comments. Each form makes the store and policy calls of its JSON
 * route (api_workflow.c, api_comments.c), answers 303 back to the page
 * when it is done, and shows the page again with the reasons when the
 * rules refuse (422), the user may not (403) or the input is wrong (400).
 * The history and diffs are pm_page_history.c's. */
#include "pm_page.h"

#include "debrief/buf.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define REASON_MAX 2000
#define COMMENT_MAX 20000

int web_pm_view(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_page pp;
    if (!pm_page_open(app, req, params, &pp))
        return 0;
    const char *rev = request_query(req, "rev");
    long number = 0;
    if (rev && *rev) {
        char *end = NULL;
        number = isdigit((unsigned char)*rev) ? strtol(rev, &end, 10) : 0;
        if (!end || *end || number < 1 || number > INT_MAX) {
            pm_page_abandon(&pp);
            web_error(app, req, 404, "There is no such revision: revisions are numbered from 1.");
            return 0;
        }
    }
    pm_page_show(&pp, (int)number, NULL, 200);
    return 0;
}

/* Shows the page of PP again with MESSAGE and the reasons of VERDICT (may
 * be NULL), as STATUS; NOTICE carries what was typed. */
static void show_refusal(struct pm_page *pp, struct pm_notice *notice, const char *message,
                         const struct policy_verdict *verdict, int status)
{
    const char *reasons[POLICY_MAX_REASONS];
    notice->message = message;
    if (verdict) {
        for (size_t i = 0; i < verdict->reason_count; i++)
            reasons[i] = verdict->reasons[i];
        notice->reasons = reasons;
        notice->reason_count = verdict->reason_count;
    }
    pm_page_show(pp, 0, notice, status);
}

/* The status a refusal of VERDICT answers: 403 when the user may not, 422
 * when the rules do not allow it now. */
static int verdict_status(const struct policy_verdict *verdict)
{
    return verdict->answer == POLICY_FORBIDDEN ? 403 : 422;
}

static struct pm_view view_of(const struct pm_page *pp)
{
    return (struct pm_view){
        .auth = pp->page.auth, .slug = pp->slug, .pm = pp->pm, .actor = pp->actor};
}

static void redirect_to_page(h2o_req_t *req, const char *slug, const char *anchor)
{
    struct dbf_buf to;
    dbf_buf_init(&to, 0);
    html(&to, "/postmortems/%U%s", slug, anchor ? anchor : "");
    web_redirect(req, to.failed ? "/postmortems" : to.data);
    dbf_buf_release(&to);
}

static bool form_flag(h2o_req_t *req, const char *name)
{
    const char *v = request_form(req, name);
    return v && (strcmp(v, "1") == 0 || strcmp(v, "on") == 0 || strcmp(v, "true") == 0);
}

int web_pm_transition(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_page pp;
    if (!pm_page_open(app, req, params, &pp))
        return 0;
    const char *to_name = request_form(req, "to");
    const char *reason = request_form(req, "reason");
    bool override = form_flag(req, "override");
    struct pm_notice notice = {.reason = reason};
    enum dbf_pm_status to;
    if (reason && strlen(reason) > REASON_MAX) {
        show_refusal(&pp, &notice, "The reason is too long: 2000 bytes at most.", NULL, 400);
        return 0;
    }
    if (!to_name || !dbf_pm_status_parse(to_name, &to)) {
        show_refusal(&pp, &notice, "Choose where to move it: draft, review or published.", NULL,
                     400);
        return 0;
    }
    if (reason && !*reason)
        reason = NULL;
    struct pm_view view = view_of(&pp);
    struct pm_state state;
    if (!pm_state_load(app, req, &view, &state)) {
        pm_page_abandon(&pp);
        return 0;
    }
    struct policy_rules rules;
    pm_rules(app, &rules);
    struct policy_verdict verdict;
    policy_transition(&rules, &state.state, &pp.actor, to, override, reason, &verdict);
    pm_state_release(&state);
    if (verdict.answer != POLICY_ALLOW) {
        show_refusal(&pp, &notice, "The workflow rules do not allow that:", &verdict,
                     verdict_status(&verdict));
        return 0;
    }
    enum dbf_store_status st =
        dbf_store_transition(app->store, pp.slug, to, pp.page.auth.user.id, reason);
    /* Allowed from the state read above: a refusal means it moved meanwhile. */
    if (st == DBF_STORE_INVALID)
        st = DBF_STORE_CONFLICT;
    if (st != DBF_STORE_OK) {
        pm_page_abandon(&pp);
        web_store_error(app, req, st);
        return 0;
    }
    if (verdict.overridden)
        pm_record_override(app, &view, reason, &verdict);
    redirect_to_page(req, pp.slug, NULL);
    pm_page_abandon(&pp);
    return 0;
}

int web_pm_approve(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_page pp;
    if (!pm_page_open(app, req, params, &pp))
        return 0;
    const char *note = request_form(req, "note");
    struct pm_notice notice = {.note = note};
    if (note && strlen(note) > REASON_MAX) {
        show_refusal(&pp, &notice, "The note is too long: 2000 bytes at most.", NULL, 400);
        return 0;
    }
    if (note && !*note)
        note = NULL;
    struct pm_view view = view_of(&pp);
    struct pm_state state;
    if (!pm_state_load(app, req, &view, &state)) {
        pm_page_abandon(&pp);
        return 0;
    }
    bool already = false;
    for (size_t i = 0; i < state.approval_count && !already; i++)
        already = state.approvals[i].reviewer == pp.page.auth.user.id;
    struct policy_rules rules;
    pm_rules(app, &rules);
    struct policy_verdict verdict;
    policy_approve(&rules, &state.state, &pp.actor, already, &verdict);
    pm_state_release(&state);
    if (verdict.answer != POLICY_ALLOW) {
        show_refusal(&pp, &notice, "You cannot approve it:", &verdict, verdict_status(&verdict));
        return 0;
    }
    enum dbf_store_status st = dbf_store_approve(app->store, pp.slug, pp.page.auth.user.id, note);
    if (st != DBF_STORE_OK) {
        pm_page_abandon(&pp);
        web_store_error(app, req, st);
        return 0;
    }
    redirect_to_page(req, pp.slug, NULL);
    pm_page_abandon(&pp);
    return 0;
}

int web_pm_comment(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_page pp;
    if (!pm_page_open(app, req, params, &pp))
        return 0;
    const char *body = request_form(req, "body");
    struct pm_notice notice = {.comment = body};
    if (!auth_has_role(&pp.page.auth, DBF_ROLE_AUTHOR)) {
        show_refusal(&pp, &notice, "Commenting needs the author role.", NULL, 403);
        return 0;
    }
    if (!body || !*body) {
        show_refusal(&pp, &notice, "Write something to comment.", NULL, 400);
        return 0;
    }
    if (strlen(body) > COMMENT_MAX) {
        show_refusal(&pp, &notice, "The comment is too long: 20000 bytes at most.", NULL, 400);
        return 0;
    }
    int64_t id = 0;
    enum dbf_store_status st =
        dbf_store_comment_add(app->store, pp.slug, pp.page.auth.user.id, body, &id);
    if (st != DBF_STORE_OK) {
        pm_page_abandon(&pp);
        web_store_error(app, req, st);
        return 0;
    }
    char anchor[40];
    snprintf(anchor, sizeof anchor, "#comment-%lld", (long long)id);
    redirect_to_page(req, pp.slug, anchor);
    pm_page_abandon(&pp);
    return 0;
}

int web_pm_redacted(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_page pp;
    if (!pm_page_open(app, req, params, &pp))
        return 0;
    struct pm_view view = view_of(&pp);
    struct pm_redacted copy;
    struct pm_notice notice = {0};
    switch (pm_publish_redacted(app, &view, &copy)) {
    case PM_REDACTED_CREATED:
    case PM_REDACTED_UPDATED:
        redirect_to_page(req, copy.slug, NULL);
        pm_page_abandon(&pp);
        break;
    case PM_REDACTED_FORBIDDEN:
        show_refusal(&pp, &notice, copy.message, NULL, 403);
        break;
    case PM_REDACTED_INVALID:
        show_refusal(&pp, &notice, copy.message, NULL, 400);
        break;
    case PM_REDACTED_TAKEN:
        show_refusal(&pp, &notice, copy.message, NULL, 409);
        break;
    case PM_REDACTED_STORE_FAILED:
        pm_page_abandon(&pp);
        web_store_error(app, req, copy.store_status);
        break;
    }
    return 0;
}
