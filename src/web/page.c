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

/* Appends S percent-encoded: everything but unreserved characters. Runs
 * of unreserved ones are copied whole (these run on every page, for every
 * link). */
static void add_url_component(struct dbf_buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *run = (const unsigned char *)s;
    const unsigned char *p = run;
    for (;; p++) {
        bool unreserved = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                          (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
                          *p == '~';
        if (unreserved)
            continue;
        dbf_buf_add(out, run, (size_t)(p - run));
        if (!*p)
            return;
        char enc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
        dbf_buf_add(out, enc, sizeof enc);
        run = p + 1;
    }
}

/* Appends S with &, <, >, " and ' escaped as dbf_buf_add_html() does, runs
 * of other characters copied whole. */
static void add_escaped(struct dbf_buf *out, const char *s)
{
    const char *run = s;
    for (const char *p = s;; p++) {
        const char *entity;
        switch (*p) {
        case '&':
            entity = "&amp;";
            break;
        case '<':
            entity = "&lt;";
            break;
        case '>':
            entity = "&gt;";
            break;
        case '"':
            entity = "&quot;";
            break;
        case '\'':
            entity = "&#39;";
            break;
        case '\0':
            dbf_buf_add(out, run, (size_t)(p - run));
            return;
        default:
            continue;
        }
        dbf_buf_add(out, run, (size_t)(p - run));
        dbf_buf_adds(out, entity);
        run = p + 1;
    }
}

/* Appends V in decimal. */
static void add_integer(struct dbf_buf *out, int64_t v)
{
    char digits[24];
    size_t i = sizeof digits;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        digits[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        digits[--i] = '-';
    dbf_buf_add(out, digits + i, sizeof digits - i);
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
                add_escaped(out, s);
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
            add_integer(out, va_arg(ap, int));
            break;
        case 'I':
            add_integer(out, va_arg(ap, int64_t));
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

/* The end of every page. */
static const char page_foot[] =
    "\n</main>\n<footer class=\"site\"><p>debrief — post mortems that teach. "
    "<a href=\"/feed.atom\">Atom feed</a></p></footer>\n</body>\n</html>\n";

/* Writes the document up to where the body goes to OUT; page_foot ends it. */
static void layout_head(struct dbf_buf *out, const struct viewer *who, const char *title,
                        bool heading, const char *section)
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
}

/* Answers REQ with the page made of HEAD, BODY and page_foot, whose
 * buffers it takes (empty afterwards); sent without copying them. */
static void send_page(h2o_req_t *req, int status, struct dbf_buf *head, struct dbf_buf *body)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("content-security-policy"), 0,
                          NULL, H2O_STRLIT(PAGE_CSP));
    if (head->failed || body->failed) {
        static const char oom[] = "<!doctype html><title>Error</title><p>The page is too large.";
        respond_text(req, 500, "text/html; charset=utf-8", oom, sizeof oom - 1);
        return;
    }
    size_t head_len, body_len;
    char *head_data = dbf_buf_detach(head, &head_len);
    char *body_data = dbf_buf_detach(body, &body_len);
    respond_keep(req, head_data);
    respond_keep(req, body_data);
    h2o_iovec_t parts[3] = {h2o_iovec_init(head_data, head_len),
                            h2o_iovec_init(body_data, body_len),
                            h2o_iovec_init(page_foot, sizeof page_foot - 1)};
    respond_parts(req, status, "text/html; charset=utf-8", parts, 3);
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
    struct dbf_buf head;
    dbf_buf_init(&head, 0);
    layout_head(&head, &who, page->title, !page->untitled, page->section);
    send_page(page->req, status, &head, &page->body);
    dbf_buf_release(&head);
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
    struct dbf_buf body, head;
    dbf_buf_init(&body, 0);
    dbf_buf_init(&head, 0);
    html(&body, "<p class=\"error-message\">%s</p>\n<p><a href=\"/\">Go to the start page</a></p>",
         message);
    layout_head(&head, &who, error_title(status), true, NULL);
    send_page(req, status, &head, &body);
    dbf_buf_release(&body);
    dbf_buf_release(&head);
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
