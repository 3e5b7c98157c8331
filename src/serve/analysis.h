/* analysis.h: what the routes and pages of action items, patterns and lint
 * share: dates in queries, "today" by the store's clock, the newest text of
 * a post mortem parsed, the action items and the patterns of the post
 * mortems a user may see, and a review as JSON.
 *
 * Documents and JSON values returned belong to the caller. */
#ifndef DEBRIEF_SERVE_ANALYSIS_H
#define DEBRIEF_SERVE_ANALYSIS_H

#include "serve.h"

#include "debrief/actions.h"
#include "debrief/doc.h"
#include "debrief/json.h"
#include "debrief/lint.h"
#include "debrief/patterns.h"

/* Is TEXT a calendar date written YYYY-MM-DD? Fills OUT when it is. */
bool analysis_parse_date(const char *text, struct dbf_date *out);

/* Query parameter NAME as a date: *OUT is left alone when it is absent.
 * Answers 400 and returns false when it is not YYYY-MM-DD. */
bool analysis_query_date(h2o_req_t *req, const char *name, struct dbf_date *out);

/* The UTC date of the store's clock (dbf_store_now). */
struct dbf_date analysis_today(struct serve_app *app);

/* Which action items to gather. */
struct analysis_action_query {
    const char *slug; /* one post mortem, or NULL */
    int64_t team;     /* owner team, or 0 */
    struct dbf_action_filter filter;
    struct dbf_date today;
};

/* The action items of the post mortems a user may see: the CLI's list
 * (include/debrief/actions.h) read from each one's newest revision, with
 * the status the server gave an item (dbf_store_actions) laid over the one
 * the document writes. An item's order is its number as the store counts
 * them, the N of …/actions/N. */
struct analysis_actions {
    struct dbf_action_list *list;
    struct dbf_tracked_action *tracked; /* sorted by slug and number */
    size_t tracked_count;
};

/* Fills OUT with the items of the post mortems VIEWER may see that Q asks
 * for, filtered and in follow-up order. NOT_FOUND when Q names one post
 * mortem VIEWER may not see. Release OUT with analysis_actions_release
 * whatever the answer. */
enum dbf_store_status analysis_actions_gather(struct serve_app *app, int64_t viewer,
                                              const struct analysis_action_query *q,
                                              struct analysis_actions *out);
void analysis_actions_release(struct analysis_actions *actions);

/* What the server knows of ITEM of ACTIONS (status, marked, by whom), or
 * NULL when it tracks nothing for it. */
const struct dbf_tracked_action *analysis_actions_tracked(const struct analysis_actions *actions,
                                                          const struct dbf_action_item *item);

/* Is STATUS one an item may be given: open, done, in-progress, wont-do? */
bool analysis_action_status_known(const char *status);

/* Adds the newest revision of every post mortem VIEWER may see to REPORT,
 * leaving out those dated after UNTIL (year 0: none). REPORT's configuration
 * must be review_config(app, DAY): what it keeps of a revision is kept
 * between requests under the revision and DAY. */
enum dbf_store_status analysis_patterns_add_visible(struct serve_app *app, int64_t viewer,
                                                    struct dbf_date day, struct dbf_date until,
                                                    struct dbf_pattern_report *report);

/* ---- review.c ---- */

/* The UTC date of NOW (seconds since the epoch). */
struct dbf_date review_date(int64_t now);

/* The server's lint configuration (the file of --lint-config, or the
 * defaults) with TODAY as "now" for the date rules: the one every review,
 * score and pattern of the server uses. Borrowed from APP: valid until the
 * next call on this thread. */
struct dbf_config *review_config(struct serve_app *app, struct dbf_date today);

/* DOC reviewed with review_config() at the date of NOW; NULL when memory
 * runs out. Free with dbf_review_free(). */
struct dbf_review *review_text(struct serve_app *app, const struct dbf_doc *doc, int64_t now);

/* REVIEW as one file of `debrief lint --format json --checklist`, without
 * its path (dbf_review_json). NULL when memory runs out. */
static inline json_t *analysis_review_json(const struct dbf_review *review)
{
    return dbf_review_json(review, NULL, true);
}

#endif
