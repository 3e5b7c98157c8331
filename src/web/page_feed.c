/* page_feed.c: the Atom 1.0 feed of the 50 newest published post mortems
 * that are not restricted. Reading it takes a signed-in user or an API
 * token like every page, but it lists only what anyone may see, even for
 * an admin, so a feed reader never spreads a restricted one. */
#include "web.h"

#include <string.h>
#include <time.h>

#define FEED_ENTRIES 50

/* Appends S to OUT escaped for XML (NULL writes nothing). */
static void xml_text(struct dbf_buf *out, const char *s)
{
    if (s)
        dbf_buf_add_html(out, s);
}

/* Appends SECONDS as an RFC 3339 time. */
static void xml_time(struct dbf_buf *out, int64_t seconds)
{
    time_t t = (time_t)seconds;
    struct tm tm;
    char text[32];
    if (!gmtime_r(&t, &tm) || strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(text, sizeof text, "1970-01-01T00:00:00Z");
    dbf_buf_adds(out, text);
}

/* The base of the feed's links: http(s)://HOST of REQ, in REQ's pool;
 * https behind TLS (a server whose cookies are marked Secure). */
static const char *base_url(struct serve_app *app, h2o_req_t *req)
{
    const char *host = h2o_strdup(&req->pool, req->authority.base, req->authority.len).base;
    bool usable = host && *host;
    for (const char *p = host; usable && *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr(".-:[]", *p)))
            usable = false;
    }
    if (!usable)
        host = "localhost";
    const char *scheme =
        app->config.cookie_secure || req->scheme == &H2O_URL_SCHEME_HTTPS ? "https" : "http";
    size_t len = strlen(scheme) + 3 + strlen(host) + 1;
    char *url = h2o_mem_alloc_pool(&req->pool, len);
    snprintf(url, len, "%s://%s", scheme, host);
    return url;
}

static void feed_entry(struct dbf_buf *out, const char *base, const struct dbf_postmortem *pm)
{
    dbf_buf_adds(out, "<entry>\n<title>");
    xml_text(out, pm->title && *pm->title ? pm->title : pm->slug);
    dbf_buf_adds(out, "</title>\n<id>");
    xml_text(out, base);
    dbf_buf_adds(out, "/postmortems/");
    xml_text(out, pm->slug);
    dbf_buf_adds(out, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
    xml_text(out, base);
    dbf_buf_adds(out, "/postmortems/");
    xml_text(out, pm->slug);
    dbf_buf_adds(out, "\"/>\n<published>");
    xml_time(out, pm->status_changed ? pm->status_changed : pm->created);
    dbf_buf_adds(out, "</published>\n<updated>");
    xml_time(out, pm->updated);
    dbf_buf_adds(out, "</updated>\n<author><name>");
    xml_text(out, pm->owner_team_name[0] ? pm->owner_team_name : "debrief");
    dbf_buf_adds(out, "</name></author>\n<summary>");
    struct dbf_buf summary;
    dbf_buf_init(&summary, 0);
    if (pm->severity[0])
        dbf_buf_addf(&summary, "%s. ", pm->severity);
    if (pm->service[0])
        dbf_buf_addf(&summary, "Service: %s. ", pm->service);
    if (pm->started[0])
        dbf_buf_addf(&summary, "Started %s. ", pm->started);
    if (pm->tags && *pm->tags)
        dbf_buf_addf(&summary, "Tags: %s.", pm->tags);
    xml_text(out, summary.data);
    dbf_buf_release(&summary);
    dbf_buf_adds(out, "</summary>\n");
    if (pm->severity[0]) {
        dbf_buf_adds(out, "<category term=\"");
        xml_text(out, pm->severity);
        dbf_buf_adds(out, "\"/>\n");
    }
    dbf_buf_adds(out, "</entry>\n");
}

int web_feed(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "Feed", NULL, &page))
        return 0;
    page_abandon(&page);
    /* Viewer 0 is nobody: the store shows nobody only what is public. */
    struct dbf_pm_filter filter = {.status = "published", .sort = "updated", .limit = FEED_ENTRIES};
    struct dbf_postmortem_list list = {0};
    enum dbf_store_status st = dbf_store_pm_list(app->store, 0, &filter, &list);
    if (st != DBF_STORE_OK) {
        web_store_error(app, req, st);
        return 0;
    }
    const char *base = base_url(app, req);
    int64_t newest = 0;
    for (size_t i = 0; i < list.count; i++) {
        if (list.items[i].visibility == DBF_VISIBILITY_PUBLIC && list.items[i].updated > newest)
            newest = list.items[i].updated;
    }
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    dbf_buf_adds(&out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                       "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
                       "<title>debrief: published post mortems</title>\n<id>");
    xml_text(&out, base);
    dbf_buf_adds(&out, "/feed.atom</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
    xml_text(&out, base);
    dbf_buf_adds(&out, "/feed.atom\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
    xml_text(&out, base);
    dbf_buf_adds(&out, "/postmortems\"/>\n<updated>");
    xml_time(&out, newest ? newest : dbf_store_now(app->store));
    dbf_buf_adds(&out, "</updated>\n<generator>debrief</generator>\n");
    for (size_t i = 0; i < list.count; i++) {
        if (list.items[i].visibility == DBF_VISIBILITY_PUBLIC &&
            list.items[i].status == DBF_PM_PUBLISHED)
            feed_entry(&out, base, &list.items[i]);
    }
    dbf_buf_adds(&out, "</feed>\n");
    dbf_postmortem_list_release(&list);
    if (out.failed) {
        dbf_buf_release(&out);
        web_error(app, req, 500, "The feed is too large to write.");
        return 0;
    }
    respond_text(req, 200, "application/atom+xml; charset=utf-8", out.data, out.len);
    dbf_buf_release(&out);
    return 0;
}
