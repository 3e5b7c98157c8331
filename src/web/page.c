/* page.c: building a page: who asks, the body, the layout, the answer. */
#include "web.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The policy of every HTML page: only this server's scripts, no framing,
 * forms posting only here. Inline styles and data: images are allowed
 * because the rendered report carries inline styles and inline SVG. */
#define PAGE_CSP                                                                                   \
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "                 \
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

/* The items of the navigation: section name, link, label. */
static const struct {
    const char *section;
    const char *href;
    const char *label;
    bool admin_only;
} nav_items[] = {
    {"postmortems", "/postmortems", "Post mortems", false},
    {"actions", "/actions", "Actions", false},
    {"patterns", "/patterns", "Patterns", false},
    {"new", "/new", "New", false},
    {"admin", "/admin/users", "Admin", true},
    {"tokens", "/tokens", "Tokens", false},
};

/* ---- html() ---- */

/* Appends S percent-encoded: everything but unreserved characters. */
static void add_url_component(struct dbf_buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool unreserved = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                          (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
                          *p == '~';
        if (unreserved) {
            dbf_buf_addc(out, (char)*p);
        } else {
            char enc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            dbf_buf_add(out, enc, sizeof enc);
        }
    }
}

void html_v(struct dbf_buf *out, const char *fmt, va_list ap)
{
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            dbf_buf_adds(out, p);
            return;
        }
        dbf_buf_add(out, p, (size_t)(pct - p));
        const char *s;
        switch (pct[1]) {
        case 's':
            s = va_arg(ap, const char *);
            if (s)
                dbf_buf_add_html(out, s);
            break;
        case 'H':
            s = va_arg(ap, const char *);
            if (s)
                dbf_buf_adds(out, s);
            break;
        case 'U':
            s = va_arg(ap, const char *);
            if (s)
                add_url_component(out, s);
            break;
        case 'd':
            dbf_buf_addf(out, "%d", va_arg(ap, int));
            break;
        case 'I':
            dbf_buf_addf(out, "%" PRId64, va_arg(ap, int64_t));
            break;
        case 'z':
            dbf_buf_addf(out, "%zu", va_arg(ap, size_t));
            break;
        case '%':
            dbf_buf_addc(out, '%');
            break;
        default:
            /* An unknown conversion is a programming error; write it as
             * text rather than read an argument of unknown type. */
            dbf_buf_addc(out, '%');
            if (pct[1] == '\0')
                return;
            dbf_buf_addc(out, pct[1]);
            break;
        }
        p = pct + 2;
    }
}

void html(struct dbf_buf *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    html_v(out, fmt, ap);
    va_end(ap);
}

void html_csrf_field(struct page *page)
{
    if (page->auth.by_cookie && page->auth.csrf)
        html(&page->body, "<input type=\"hidden\" name=\"csrf_token\" value=\"%s\">",
             page->auth.csrf);
}

/* ---- The layout ---- */

/* Who the layout names: the signed-in user, or nobody (USER NULL). */
struct viewer {
    const struct dbf_user *user;
    const char *csrf; /* for the sign-out form; NULL with a token */
};

static void layout_nav(struct dbf_buf *out, const struct viewer *who, const char *section)
{
    html(out, "<header class=\"site\"><nav aria-label=\"Main\">"
              "<a class=\"brand\" href=\"/\">debrief</a>");
    if (!who->user) {
        html(out,
             "<ul class=\"nav\"><li><a href=\"/signin\"%H>Sign in</a></li></ul></nav>"
             "</header>\n",
             section && strcmp(section, "signin") == 0 ? " aria-current=\"page\"" : "");
        return;
    }
    html(out, "<ul class=\"nav\">");
    for (size_t i = 0; i < sizeof nav_items / sizeof nav_items[0]; i++) {
        if (nav_items[i].admin_only && who->user->role != DBF_ROLE_ADMIN)
            continue;
        bool current = section && strcmp(section, nav_items[i].section) == 0;
        html(out, "<li><a href=\"%s\"%H>%s</a></li>", nav_items[i].href,
             current ? " aria-current=\"page\"" : "", nav_items[i].label);
    }
    html(out, "</ul><div class=\"who\"><a href=\"/people/%U\" class=\"me\">%s</a>", who->user->name,
         who->user->name);
    if (who->csrf)
        html(out,
             "<form method=\"post\" action=\"/signout\" class=\"signout\">"
             "<input type=\"hidden\" name=\"csrf_token\" value=\"%s\">"
             "<button type=\"submit\" class=\"link\">Sign out</button></form>",
             who->csrf);
    html(out, "</div></nav></header>\n");
}

/* Writes the whole document around BODY to OUT. */
static void layout(struct dbf_buf *out, const struct viewer *who, const char *title, bool heading,
                   const char *section, const char *body)
{
    html(out,
         "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>%s — debrief</title>\n"
         "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
         "<link rel=\"alternate\" type=\"application/atom+xml\" "
         "title=\"Published post mortems\" href=\"/feed.atom\">\n"
         "<script src=\"/static/app.js\" defer></script>\n"
         "</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n",
         title ? title : "debrief");
    layout_nav(out, who, section);
    html(out, "<main id=\"main\" tabindex=\"-1\">\n");
    if (heading)
        html(out, "<h1>%s</h1>\n", title ? title : "");
    html(out, "%H\n</main>\n", body ? body : "");
    html(out, "<footer class=\"site\"><p>debrief — post mortems that teach. "
              "<a href=\"/feed.atom\">Atom feed</a></p></footer>\n</body>\n</html>\n");
}

/* Answers REQ with the document in OUT, as a page. */
static void send_page(h2o_req_t *req, int status, struct dbf_buf *out)
{
    if (out->failed) {
        static const char oom[] = "<!doctype html><title>Error</title><p>The page is too large.";
        status = 500;
        dbf_buf_reset(out);
        dbf_buf_adds(out, oom);
    }
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("content-security-policy"), 0,
                          NULL, H2O_STRLIT(PAGE_CSP));
    respond_text(req, status, "text/html; charset=utf-8", out->data, out->len);
}

/* ---- Pages ---- */

static bool changes_state(const h2o_req_t *req)
{
    return !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) &&
           !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
}

bool page_begin(struct serve_app *app, h2o_req_t *req, enum auth_need need, const char *title,
                const char *section, struct page *page)
{
    memset(page, 0, sizeof *page);
    page->app = app;
    page->req = req;
    page->title = title;
    page->section = section;
    dbf_buf_init(&page->body, 0);
    enum dbf_store_status st;
    enum auth_outcome outcome = auth_check(app, req, AUTH_ANYONE, &page->auth, &st);
    if (outcome != AUTH_OK) {
        dbf_buf_release(&page->body);
        if (outcome == AUTH_BAD_CSRF)
            web_error(app, req, 403,
                      "This form is out of date or did not come from this site (its CSRF token "
                      "is missing or wrong). Reload the page and try again.");
        else if (outcome == AUTH_STORE_FAILED)
            web_store_error(app, req, st);
        else
            web_error(app, req, 401,
                      "The Authorization header must be 'Bearer' and a live API token of this "
                      "server.");
        return false;
    }
    if (need != AUTH_ANYONE && page->auth.user.id == 0) {
        dbf_buf_release(&page->body);
        if (changes_state(req)) {
            web_redirect(req, "/signin");
            return false;
        }
        struct dbf_buf to;
        dbf_buf_init(&to, 0);
        html(&to, "/signin?next=%U", h2o_strdup(&req->pool, req->path.base, req->path.len).base);
        web_redirect(req, to.failed ? "/signin" : to.data);
        dbf_buf_release(&to);
        return false;
    }
    if (need == AUTH_ADMIN && page->auth.user.role != DBF_ROLE_ADMIN) {
        dbf_buf_release(&page->body);
        web_error(app, req, 403, "Only an admin may see this page.");
        return false;
    }
    return true;
}

void page_end(struct page *page, int status)
{
    struct viewer who = {page->auth.user.id ? &page->auth.user : NULL, page->auth.csrf};
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    layout(&out, &who, page->title, !page->untitled, page->section, page->body.data);
    if (page->body.failed)
        out.failed = true;
    send_page(page->req, status, &out);
    dbf_buf_release(&out);
    dbf_buf_release(&page->body);
}

void page_abandon(struct page *page)
{
    dbf_buf_release(&page->body);
}

/* ---- Redirects and errors ---- */

/* Is LOCATION a path on this server: one '/' and not "//" or "/\"? */
static bool is_local_path(const char *location)
{
    if (!location || location[0] != '/' || location[1] == '/' || location[1] == '\\')
        return false;
    for (const char *p = location; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    }
    return true;
}

void web_redirect(h2o_req_t *req, const char *location)
{
    if (!is_local_path(location))
        location = "/";
    h2o_iovec_t v = h2o_strdup(&req->pool, location, strlen(location));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_LOCATION, NULL, v.base, v.len);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                   H2O_STRLIT("no-store"));
    req->res.status = 303;
    req->res.reason = "See Other";
    req->res.content_length = 0;
    h2o_send_inline(req, "", 0);
}

/* The title of an error page of STATUS. */
static const char *error_title(int status)
{
    switch (status) {
    case 400:
        return "Bad request";
    case 401:
        return "Not signed in";
    case 403:
        return "Not allowed";
    case 404:
        return "Not found";
    case 405:
        return "Method not allowed";
    case 409:
        return "Conflict";
    case 429:
        return "Too many attempts";
    case 501:
        return "Not built yet";
    case 503:
        return "Unavailable";
    default:
        return status >= 500 ? "Server error" : "Error";
    }
}

/* Who REQ comes from, for the layout of an error page, without answering
 * anything: a session cookie (with its CSRF token for the sign-out form),
 * a token, or a trusted proxy's header. False for nobody, and when the
 * store cannot tell. */
static bool quiet_viewer(struct serve_app *app, h2o_req_t *req, struct dbf_user *user,
                         char csrf[65], const char **csrf_out)
{
    struct auth auth;
    enum dbf_store_status st;
    enum auth_outcome outcome = auth_check(app, req, AUTH_ANYONE, &auth, &st);
    *csrf_out = NULL;
    if (auth.user.id == 0 || (outcome != AUTH_OK && outcome != AUTH_BAD_CSRF))
        return false;
    *user = auth.user;
    if (auth.csrf) {
        memcpy(csrf, auth.csrf, 65);
        *csrf_out = csrf;
    }
    return true;
}

void web_error(struct serve_app *app, h2o_req_t *req, int status, const char *message)
{
    struct dbf_user user;
    char csrf[65];
    struct viewer who = {NULL, NULL};
    if (quiet_viewer(app, req, &user, csrf, &who.csrf))
        who.user = &user;
    struct dbf_buf body, out;
    dbf_buf_init(&body, 0);
    dbf_buf_init(&out, 0);
    html(&body, "<p class=\"error-message\">%s</p>\n<p><a href=\"/\">Go to the start page</a></p>",
         message);
    layout(&out, &who, error_title(status), true, NULL, body.data);
    send_page(req, status, &out);
    dbf_buf_release(&body);
    dbf_buf_release(&out);
}

void page_end_stored(struct page *page, enum dbf_store_status st, const char *location)
{
    page_abandon(page);
    if (st != DBF_STORE_OK)
        web_store_error(page->app, page->req, st);
    else
        web_redirect(page->req, location);
}

void web_store_error(struct serve_app *app, h2o_req_t *req, enum dbf_store_status st)
{
    const char *said = dbf_store_message(app->store);
    bool has_message = said && *said;
    switch (st) {
    case DBF_STORE_OK:
    case DBF_STORE_INTERNAL:
        break;
    case DBF_STORE_NOT_FOUND:
        /* The same words for a missing thing and one the user may not see. */
        web_error(app, req, 404, "There is no such page.");
        return;
    case DBF_STORE_CONFLICT:
        web_error(app, req, 409, has_message ? said : "That conflicts with what is stored.");
        return;
    case DBF_STORE_INVALID:
        web_error(app, req, 400, has_message ? said : "That input is not valid.");
        return;
    case DBF_STORE_UNAVAILABLE:
        metrics_db_error(app->metrics);
        log_event("db_unavailable", json_pack("{s:s}", "message", has_message ? said : ""));
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, H2O_STRLIT("5"));
        web_error(app, req, 503, "The database is unavailable; try again in a moment.");
        return;
    }
    metrics_db_error(app->metrics);
    log_event("db_error", json_pack("{s:s,s:s}", "status", dbf_store_status_name(st), "message",
                                    has_message ? said : ""));
    web_error(app, req, 500, "Something went wrong on the server; its log says more.");
}

const char *web_time(int64_t seconds, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (seconds == 0)
        return buf;
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        buf[0] = '\0';
    return buf;
}
