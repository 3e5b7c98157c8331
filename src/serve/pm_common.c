/* pm_common.c: finding one post mortem for the person asking, answering a
 * route that only reads it, and the facts the workflow policy needs about
 * it. */
#include "analysis.h"
#include "page_cache.h"
#include "pm.h"

#include "debrief/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool pm_open(struct serve_app *app, h2o_req_t *req, const struct route_params *params,
             struct pm_view *view)
{
    memset(view, 0, sizeof *view);
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &view->auth))
        return false;
    view->slug = request_param(req, params, "id");
    if (!view->slug || !dbf_ingest_slug_valid(view->slug)) {
        respond_error(req, 404, "not_found", "no such post mortem");
        return false;
    }
    enum dbf_store_status st =
        dbf_store_pm_get(app->store, view->auth.user.id, view->slug, &view->pm);
    if (st == DBF_STORE_NOT_FOUND) {
        respond_error(req, 404, "not_found", "no such post mortem");
        return false;
    }
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return false;
    }
    pm_actor_of(app, &view->auth, &view->pm, &view->actor);
    return true;
}

void pm_view_release(struct pm_view *view)
{
    dbf_postmortem_release(&view->pm);
}

int pm_answer(struct serve_app *app, h2o_req_t *req, const struct route_params *params,
              pm_reader *read)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    enum dbf_store_status st = DBF_STORE_OK;
    json_t *body = read(app, &view, &st);
    pm_respond_stored(app, req, st, 200, body);
    pm_view_release(&view);
    return 0;
}

void pm_respond_stored(struct serve_app *app, h2o_req_t *req, enum dbf_store_status st, int status,
                       json_t *answer)
{
    if (st == DBF_STORE_OK) {
        respond_json(req, status, answer);
        return;
    }
    json_decref(answer);
    respond_store_error(app, req, st);
}

bool pm_reload(struct serve_app *app, h2o_req_t *req, struct pm_view *view)
{
    dbf_postmortem_release(&view->pm);
    enum dbf_store_status st =
        dbf_store_pm_get(app->store, view->auth.user.id, view->slug, &view->pm);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return false;
    }
    pm_actor_of(app, &view->auth, &view->pm, &view->actor);
    return true;
}

bool pm_wrote(struct serve_app *app, int64_t viewer, const char *slug, int64_t user)
{
    struct dbf_revision *history = NULL;
    size_t count = 0;
    if (dbf_store_history(app->store, viewer, slug, &history, &count) != DBF_STORE_OK)
        return false;
    bool wrote = false;
    for (size_t i = 0; i < count && !wrote; i++)
        wrote = history[i].author == user;
    free(history);
    return wrote;
}

void pm_actor_of(struct serve_app *app, const struct auth *auth, const struct dbf_postmortem *pm,
                 struct policy_actor *actor)
{
    memset(actor, 0, sizeof *actor);
    actor->id = auth->user.id;
    snprintf(actor->name, sizeof actor->name, "%s", auth->user.name);
    actor->role = auth->user.role;
    actor->in_owner_team = auth_in_team(auth, pm->owner_team);
    actor->wrote_it = actor->id != 0 && pm_wrote(app, actor->id, pm->slug, actor->id);
}

void pm_rules(const struct serve_app *app, struct policy_rules *rules)
{
    rules->review_seconds = app->config.review_seconds;
    rules->review_other_team = app->config.review_other_team;
    rules->approvals_needed = app->config.approvals_needed;
}

static bool user_in_team(struct serve_app *app, int64_t user, int64_t team)
{
    struct dbf_team *teams = NULL;
    size_t count = 0;
    if (dbf_store_user_teams(app->store, user, &teams, &count) != DBF_STORE_OK)
        return false;
    bool in = false;
    for (size_t i = 0; i < count && !in; i++)
        in = teams[i].id == team;
    free(teams);
    return in;
}

/* What process/sensitive-data finds in a revision, as lines for people. */
struct sensitive_lines {
    size_t count;
    char *line[];
};

static void sensitive_drop(void *value)
{
    struct sensitive_lines *lines = value;
    for (size_t i = 0; i < lines->count; i++)
        free(lines->line[i]);
    free(lines);
}

/* The lines of what process/sensitive-data finds in REV, reviewed as every
 * page reviews it (the server's lint configuration, at NOW); NULL when the
 * text cannot be parsed or memory runs out. */
static struct sensitive_lines *sensitive_review(struct serve_app *app,
                                                const struct dbf_revision *rev, int64_t now)
{
    struct dbf_doc *doc =
        dbf_doc_parse("-", rev->markdown ? rev->markdown : "", rev->length, NULL, 0);
    struct dbf_review *review = doc ? review_text(app, doc, now) : NULL;
    size_t count = 0;
    for (size_t i = 0; review && i < review->finding_count; i++)
        count += strcmp(review->findings[i].rule, "process/sensitive-data") == 0;
    struct sensitive_lines *lines =
        review ? calloc(1, sizeof *lines + count * sizeof *lines->line) : NULL;
    for (size_t i = 0; lines && i < review->finding_count; i++) {
        const struct dbf_finding *f = &review->findings[i];
        if (strcmp(f->rule, "process/sensitive-data") != 0)
            continue;
        char line[POLICY_REASON_MAX];
        snprintf(line, sizeof line, "line %d: %s", f->pos.line, f->message);
        lines->line[lines->count] = strdup(line);
        if (!lines->line[lines->count]) {
            sensitive_drop(lines);
            lines = NULL;
            break;
        }
        lines->count++;
    }
    dbf_review_free(review);
    dbf_doc_free(doc);
    return lines;
}

/* Fills OUT->sensitive with what process/sensitive-data finds in the
 * newest revision of VIEW's post mortem, reviewed as every page reviews it
 * (the server's lint configuration, today). The lines of a revision are
 * kept in the page cache under the revision and the day. */
static enum dbf_store_status sensitive_findings(struct serve_app *app, const struct pm_view *view,
                                                struct pm_state *out)
{
    int64_t now = dbf_store_now(app->store);
    struct dbf_date today = review_date(now);
    char key[96];
    snprintf(key, sizeof key, "sensitive/%lld/%d/%04d-%02d-%02d", (long long)view->pm.id,
             view->pm.revision, today.year, today.month, today.day);
    const struct sensitive_lines *lines = page_cache_get(app->pages, key);
    struct sensitive_lines *made = NULL;
    if (!lines) {
        struct dbf_revision rev;
        enum dbf_store_status st = dbf_store_revision_get(app->store, view->auth.user.id,
                                                          view->slug, view->pm.revision, &rev);
        if (st != DBF_STORE_OK)
            return st;
        lines = made = sensitive_review(app, &rev, now);
        dbf_revision_release(&rev);
        if (!made)
            return DBF_STORE_INTERNAL;
    }
    out->sensitive = lines->count ? calloc(lines->count, sizeof *out->sensitive) : NULL;
    bool failed = lines->count && !out->sensitive;
    for (size_t i = 0; out->sensitive && i < lines->count; i++) {
        out->sensitive[out->state.sensitive_count] = strdup(lines->line[i]);
        if (out->sensitive[out->state.sensitive_count])
            out->state.sensitive_count++;
    }
    out->state.sensitive = (const char *const *)out->sensitive;
    if (made)
        page_cache_put(app->pages, key, made,
                       sizeof *made + made->count * (sizeof *made->line + POLICY_REASON_MAX),
                       sensitive_drop);
    return failed ? DBF_STORE_INTERNAL : DBF_STORE_OK;
}

bool pm_state_load(struct serve_app *app, h2o_req_t *req, const struct pm_view *view,
                   struct pm_state *out)
{
    memset(out, 0, sizeof *out);
    out->state.status = view->pm.status;
    out->state.entered = view->pm.status_changed;
    out->state.now = dbf_store_now(app->store);
    out->state.owner_team = view->pm.owner_team_name;
    enum dbf_store_status st = dbf_store_approvals(app->store, view->auth.user.id, view->slug,
                                                   &out->approvals, &out->approval_count);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return false;
    }
    out->facts = calloc(out->approval_count ? out->approval_count : 1, sizeof *out->facts);
    if (!out->facts) {
        pm_state_release(out);
        respond_error(req, 500, "internal", "out of memory");
        return false;
    }
    for (size_t i = 0; i < out->approval_count; i++) {
        const struct dbf_approval *a = &out->approvals[i];
        struct policy_approval *f = &out->facts[i];
        struct dbf_user reviewer;
        f->reviewer = a->reviewer;
        f->name = a->reviewer_name;
        f->reviewer_role =
            dbf_store_user_by_id(app->store, a->reviewer, &reviewer) == DBF_STORE_OK &&
            reviewer.role >= DBF_ROLE_REVIEWER;
        f->in_owner_team = user_in_team(app, a->reviewer, view->pm.owner_team);
        f->wrote_it = pm_wrote(app, view->auth.user.id, view->slug, a->reviewer);
    }
    out->state.approvals = out->facts;
    out->state.approval_count = out->approval_count;
    if (view->pm.status == DBF_PM_REVIEW && view->pm.visibility != DBF_VISIBILITY_RESTRICTED) {
        st = sensitive_findings(app, view, out);
        if (st != DBF_STORE_OK) {
            pm_state_release(out);
            respond_store_error(app, req, st);
            return false;
        }
    }
    return true;
}

void pm_state_release(struct pm_state *state)
{
    dbf_approvals_free(state->approvals, state->approval_count);
    free(state->facts);
    for (size_t i = 0; i < state->state.sensitive_count; i++)
        free(state->sensitive[i]);
    free(state->sensitive);
    memset(state, 0, sizeof *state);
}

bool pm_ingest(h2o_req_t *req, const char *markdown, struct dbf_ingest *out)
{
    char err[512];
    if (!dbf_ingest(NULL, markdown, strlen(markdown), out, err, sizeof err)) {
        char message[600];
        snprintf(message, sizeof message, "the markdown is not a post mortem: %s", err);
        respond_error(req, 400, "bad_request", message);
        return false;
    }
    return true;
}

void pm_respond_verdict(h2o_req_t *req, const struct policy_verdict *verdict)
{
    const char *first = verdict->reason_count ? verdict->reasons[0] : "not allowed";
    if (verdict->answer == POLICY_FORBIDDEN) {
        respond_error(req, 403, "forbidden", first);
        return;
    }
    json_t *reasons = json_array();
    for (size_t i = 0; i < verdict->reason_count; i++)
        json_array_append_new(reasons, json_string(verdict->reasons[i]));
    char message[POLICY_REASON_MAX + 64];
    snprintf(message, sizeof message, "the workflow rules do not allow it: %s", first);
    respond_json(req, 422,
                 json_pack("{s:{s:s, s:s, s:o}}", "error", "code", "workflow", "message", message,
                           "reasons", reasons));
}

void pm_record_override(struct serve_app *app, const struct pm_view *view, const char *reason,
                        const struct policy_verdict *verdict)
{
    struct dbf_buf detail;
    dbf_buf_init(&detail, 8192);
    dbf_buf_addf(&detail, "reason: %s", reason);
    for (size_t i = 0; i < verdict->reason_count; i++)
        dbf_buf_addf(&detail, "; overrode: %s", verdict->reasons[i]);
    dbf_store_audit(app->store, view->auth.user.id, "postmortem.override", view->slug, detail.data);
    log_event("workflow.override", json_pack("{s:s, s:s, s:s}", "postmortem", view->slug, "admin",
                                             view->auth.user.name, "reason", reason));
    dbf_buf_release(&detail);
}
