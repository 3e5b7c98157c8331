/* analysis.h: what the routes of action items, patterns and lint share:
 * dates in queries, "today" by the store's clock, the newest text of a post
 * mortem parsed, and a review as JSON.
 *
 * Documents and JSON values returned belong to the caller. */
#ifndef DEBRIEF_SERVE_ANALYSIS_H
#define DEBRIEF_SERVE_ANALYSIS_H

#include "serve.h"

#include "debrief/doc.h"
#include "debrief/json.h"
#include "debrief/lint.h"

/* Is TEXT a calendar date written YYYY-MM-DD? Fills OUT when it is. */
bool analysis_parse_date(const char *text, struct dbf_date *out);

/* Query parameter NAME as a date: *OUT is left alone when it is absent.
 * Answers 400 and returns false when it is not YYYY-MM-DD. */
bool analysis_query_date(h2o_req_t *req, const char *name, struct dbf_date *out);

/* The UTC date of the store's clock (dbf_store_now). */
struct dbf_date analysis_today(struct serve_app *app);

/* The newest revision of SLUG as VIEWER may read it, parsed with the slug
 * as its path. NULL with *STATUS set when the store fails; NULL with
 * *STATUS DBF_STORE_OK when the text cannot be parsed (left out by callers,
 * as the CLI leaves out a file it cannot read). */
struct dbf_doc *analysis_newest_doc(struct serve_app *app, int64_t viewer, const char *slug,
                                    enum dbf_store_status *status);

/* REVIEW as one file of `debrief lint --format json --checklist`, without
 * its path (dbf_review_json). NULL when memory runs out. */
static inline json_t *analysis_review_json(const struct dbf_review *review)
{
    return dbf_review_json(review, NULL, true);
}

#endif
