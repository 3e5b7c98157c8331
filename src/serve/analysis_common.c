/* analysis_common.c: dates, today by the store's clock and the newest text
 * of a post mortem, for the routes of action items and patterns. */
#include "analysis.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

bool analysis_parse_date(const char *text, struct dbf_date *out)
{
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return false;
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
            return false;
    }
    int y = 0, m = 0, d = 0;
    if (sscanf(text, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    /* timegm normalises 2026-02-30 to March: a date that moves is no date. */
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    time_t t = timegm(&tm);
    struct tm back;
    if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != d || back.tm_mon != m - 1)
        return false;
    *out = (struct dbf_date){y, m, d};
    return true;
}

bool analysis_query_date(h2o_req_t *req, const char *name, struct dbf_date *out)
{
    const char *text = request_query(req, name);
    if (!text)
        return true;
    if (analysis_parse_date(text, out))
        return true;
    char message[160];
    snprintf(message, sizeof message, "'%s' takes a date as YYYY-MM-DD", name);
    respond_error(req, 400, "bad_request", message);
    return false;
}

struct dbf_date analysis_today(struct serve_app *app)
{
    time_t now = (time_t)dbf_store_now(app->store);
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return (struct dbf_date){0, 0, 0};
    return (struct dbf_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

struct dbf_doc *analysis_newest_doc(struct serve_app *app, int64_t viewer, const char *slug,
                                    enum dbf_store_status *status)
{
    struct dbf_revision rev;
    *status = dbf_store_revision_get(app->store, viewer, slug, 0, &rev);
    if (*status != DBF_STORE_OK)
        return NULL;
    char err[256];
    struct dbf_doc *doc =
        dbf_doc_parse(slug, rev.markdown ? rev.markdown : "", rev.length, err, sizeof err);
    dbf_revision_release(&rev);
    return doc;
}
