/* pm_json.c: a post mortem as JSON: its list item, its approvals and review
 * state, and the review and timeline of its newest text (the library's
 * builders of `debrief lint --format json` and `debrief timeline --format
 * json`, DESIGN.md §6). */
#include "analysis.h"
#include "pm.h"

#include "debrief/json.h"

#include <string.h>
#include <time.h>

/* A string member that may be empty: null when it is. */
static json_t *text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *tags_json(const char *tags)
{
    json_t *list = json_array();
    const char *p = tags ? tags : "";
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n > 0)
            json_array_append_new(list, json_stringn(p, n));
        p += n + (comma ? 1 : 0);
    }
    return list;
}

json_t *pm_summary_json(const struct dbf_postmortem *pm)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(pm->slug));
    json_object_set_new(o, "title", json_string(pm->title ? pm->title : ""));
    json_object_set_new(o, "severity", text_or_null(pm->severity));
    json_object_set_new(o, "service", text_or_null(pm->service));
    json_object_set_new(o, "tags", tags_json(pm->tags));
    json_object_set_new(o, "started", text_or_null(pm->started));
    json_object_set_new(o, "owner_team", json_string(pm->owner_team_name));
    json_object_set_new(o, "visibility", json_string(dbf_visibility_name(pm->visibility)));
    json_object_set_new(o, "status", json_string(dbf_pm_status_name(pm->status)));
    json_object_set_new(o, "revision", json_integer(pm->revision));
    json_object_set_new(o, "created", json_time(pm->created));
    json_object_set_new(o, "updated", json_time(pm->updated));
    return o;
}

json_t *pm_approvals_json(const struct policy_rules *rules, const struct pm_state *state)
{
    json_t *list = json_array();
    for (size_t i = 0; i < state->approval_count; i++) {
        const struct dbf_approval *a = &state->approvals[i];
        struct policy_state one = state->state;
        one.approvals = &state->facts[i];
        one.approval_count = 1;
        json_array_append_new(list,
                              json_pack("{s:s, s:i, s:s, s:o, s:b}", "reviewer", a->reviewer_name,
                                        "revision", a->revision, "note", a->note ? a->note : "",
                                        "created", json_time(a->created), "counts",
                                        policy_valid_approvals(rules, &one) == 1));
    }
    return list;
}

json_t *pm_review_json(const struct policy_rules *rules, const struct pm_state *state,
                       const struct policy_actor *actor)
{
    struct policy_verdict verdict;
    policy_transition(rules, &state->state, actor, DBF_PM_PUBLISHED, false, NULL, &verdict);
    json_t *reasons = json_array();
    for (size_t i = 0; i < verdict.reason_count; i++)
        json_array_append_new(reasons, json_string(verdict.reasons[i]));
    bool in_review = state->state.status == DBF_PM_REVIEW;
    int64_t spent = state->state.now - state->state.entered;
    return json_pack("{s:o, s:o, s:b, s:i, s:i, s:o}", "entered",
                     in_review ? json_time(state->state.entered) : json_null(), "seconds_in_review",
                     in_review ? json_integer(spent > 0 ? spent : 0) : json_null(), "can_publish",
                     verdict.answer == POLICY_ALLOW, "approvals",
                     policy_valid_approvals(rules, &state->state), "approvals_needed",
                     rules->approvals_needed, "reasons", reasons);
}

void pm_analysis_json(struct serve_app *app, const struct dbf_doc *doc, int64_t today, json_t *obj)
{
    struct dbf_config *config = review_config(app, review_date(today));
    struct dbf_review *review = dbf_lint(doc, config);
    json_t *file = review ? dbf_review_json(review, NULL, false) : NULL;
    if (file) {
        json_object_update(obj, file);
        json_decref(file);
    } else {
        json_object_set_new(obj, "findings", json_array());
        json_object_set_new(obj, "score", json_null());
    }
    long gap_minutes = dbf_config_option(config, "timeline/gap", "minutes");
    struct dbf_timeline_analysis *a =
        dbf_timeline_analyse(doc, (int64_t)(gap_minutes > 0 ? gap_minutes : 15) * 60);
    json_t *timeline = a ? dbf_timeline_json(a) : NULL;
    json_object_set_new(obj, "timeline", timeline ? timeline : json_null());
    dbf_timeline_analysis_free(a);
    dbf_review_free(review);
}
