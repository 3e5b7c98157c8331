/* api_analysis.c: patterns across the post mortems a user may see, and the
 * review of a posted text (docs/api/analysis.md). */
#include "analysis.h"

#include <stdlib.h>
#include <string.h>

/* The options of GET /api/v1/patterns from the query; answers 400 and
 * returns false when one is malformed. */
static bool read_options(struct serve_app *app, h2o_req_t *req, struct dbf_pattern_options *options,
                         struct dbf_date *until)
{
    options->today = analysis_today(app);
    if (!analysis_query_date(req, "since", &options->since) ||
        !analysis_query_date(req, "until", until) ||
        !analysis_query_date(req, "today", &options->today))
        return false;
    const char *period = request_query(req, "period");
    if (!period || strcmp(period, "quarter") == 0) {
        options->unit = DBF_PERIOD_QUARTER;
    } else if (strcmp(period, "month") == 0) {
        options->unit = DBF_PERIOD_MONTH;
    } else {
        respond_error(req, 400, "bad_request", "'period' takes month or quarter");
        return false;
    }
    return true;
}

int api_patterns(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    struct dbf_pattern_options options = {0};
    struct dbf_date until = {0, 0, 0};
    if (!read_options(app, req, &options, &until))
        return 0;
    options.config = review_config(app, options.today);
    char err[256];
    struct dbf_pattern_report *report = dbf_pattern_report_new(&options, err, sizeof err);
    enum dbf_store_status st =
        report ? analysis_patterns_add_visible(app, auth.user.id, options.today, until, report)
               : DBF_STORE_INTERNAL;
    const struct dbf_pattern_result *result =
        st == DBF_STORE_OK ? dbf_pattern_report_finish(report) : NULL;
    json_t *body = NULL;
    if (result) {
        struct dbf_buf out;
        dbf_buf_init(&out, 0);
        if (dbf_pattern_report_json(result, &out) && !out.failed)
            body = json_loadb(out.data, out.len, 0, NULL);
        dbf_buf_release(&out);
    }
    dbf_pattern_report_free(report);
    if (st != DBF_STORE_OK)
        respond_store_error(app, req, st);
    else if (!body)
        respond_error(req, 500, "internal", "out of memory");
    else
        respond_json(req, 200, body);
    return 0;
}

int api_lint(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    static const char *const fields[] = {"markdown", "today", NULL};
    json_t *body = request_json(req, fields);
    if (!body)
        return 0;
    const char *markdown = NULL, *today_text = NULL;
    struct dbf_date today = analysis_today(app);
    if (!request_string(req, body, "markdown", true, SERVE_MAX_BODY, &markdown) ||
        !request_string(req, body, "today", false, 10, &today_text)) {
        json_decref(body);
        return 0;
    }
    if (today_text && !analysis_parse_date(today_text, &today)) {
        json_decref(body);
        respond_error(req, 400, "bad_request", "'today' takes a date as YYYY-MM-DD");
        return 0;
    }
    char err[512];
    struct dbf_doc *doc = dbf_doc_parse("-", markdown, strlen(markdown), err, sizeof err);
    json_decref(body);
    if (!doc) {
        respond_error(req, 400, "bad_request", err);
        return 0;
    }
    struct dbf_review *review = dbf_lint(doc, review_config(app, today));
    json_t *answer = review ? analysis_review_json(review) : NULL;
    dbf_review_free(review);
    dbf_doc_free(doc);
    if (!answer)
        respond_error(req, 500, "internal", "out of memory");
    else
        respond_json(req, 200, answer);
    return 0;
}
