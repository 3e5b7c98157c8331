/* review.c: the review the server gives a text: `debrief lint` with the
 * server's configuration (--lint-config, a team's `.debrief.yml`) and the
 * store's clock for the date rules. */
#include "analysis.h"

#include <time.h>

struct dbf_date review_date(int64_t now)
{
    time_t t = (time_t)now;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return (struct dbf_date){1970, 1, 1};
    return (struct dbf_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

struct dbf_config *review_config(struct serve_app *app, struct dbf_date today)
{
    dbf_config_set_today(app->lint, today);
    return app->lint;
}

struct dbf_review *review_text(struct serve_app *app, const struct dbf_doc *doc, int64_t now)
{
    return dbf_lint(doc, review_config(app, review_date(now)));
}
