/* router.c: the table of routes and the matching of a request against it.
 *
 * Adding a route: a row in routes[] with its method, its pattern (segments
 * starting with ':' match one non-empty path segment and are handed to the
 * handler by name) and its handler. */
#include "../web/web.h"
#include "serve.h"

#include <string.h>

struct route {
    const char *method;
    const char *pattern;
    route_handler handle;
};

static const struct route routes[] = {
    /* The web app (src/web/). */
    {"GET", "/", web_home},
    {"GET", "/static/:file", web_static},
    {"GET", "/setup", web_setup_form},
    {"POST", "/setup", web_setup},
    {"GET", "/signin", web_signin_form},
    {"POST", "/signin", web_signin},
    {"POST", "/signout", web_signout},
    {"GET", "/postmortems", web_pm_list},
    {"POST", "/postmortems", web_pm_create},
    {"GET", "/new", web_pm_new_form},
    {"POST", "/triage", web_triage},
    {"POST", "/preview", web_preview},
    {"GET", "/postmortems/:id", web_pm_view},
    {"GET", "/postmortems/:id/edit", web_pm_edit_form},
    {"POST", "/postmortems/:id/edit", web_pm_save},
    {"GET", "/postmortems/:id/history", web_pm_history},
    {"GET", "/postmortems/:id/diff", web_pm_diff},
    {"POST", "/postmortems/:id/transitions", web_pm_transition},
    {"POST", "/postmortems/:id/approvals", web_pm_approve},
    {"POST", "/postmortems/:id/comments", web_pm_comment},
    {"POST", "/postmortems/:id/redacted", web_pm_redacted},
    {"POST", "/postmortems/:id/files", web_pm_file_upload},
    {"POST", "/postmortems/:id/actions/:number", web_action_mark},
    {"GET", "/actions", web_actions},
    {"GET", "/people/:name", web_person},
    {"GET", "/patterns", web_patterns},
    {"GET", "/feed.atom", web_feed},
    {"GET", "/admin/users", web_admin_users},
    {"POST", "/admin/users", web_admin_user_add},
    {"POST", "/admin/users/:name", web_admin_user_update},
    {"GET", "/admin/teams", web_admin_teams},
    {"POST", "/admin/teams", web_admin_team_add},
    {"POST", "/admin/teams/:name/members", web_admin_member},
    {"GET", "/tokens", web_tokens},
    {"POST", "/tokens", web_token_add},
    {"POST", "/tokens/:id/revoke", web_token_revoke},

    /* Operations. */
    {"GET", "/healthz", health_handle},
    {"GET", "/metrics", metrics_handle},

    /* The JSON API (docs/api/). */
    {"POST", "/api/v1/setup", api_setup},
    {"POST", "/api/v1/session", api_session_create},
    {"GET", "/api/v1/session", api_session_get},
    {"DELETE", "/api/v1/session", api_session_delete},
    {"POST", "/api/v1/test/clock", api_test_clock},

    {"GET", "/api/v1/postmortems", api_pm_list},
    {"POST", "/api/v1/postmortems", api_pm_create},
    {"GET", "/api/v1/postmortems/:id", api_pm_get},
    {"PUT", "/api/v1/postmortems/:id", api_pm_update},
    {"GET", "/api/v1/postmortems/:id/revisions", api_pm_revisions},
    {"GET", "/api/v1/postmortems/:id/revisions/:number", api_pm_revision},
    {"GET", "/api/v1/postmortems/:id/diff", api_pm_diff},
    {"POST", "/api/v1/postmortems/:id/redacted", api_pm_redacted},

    {"GET", "/api/v1/postmortems/:id/transitions", api_pm_transitions},
    {"POST", "/api/v1/postmortems/:id/transitions", api_pm_transition},
    {"GET", "/api/v1/postmortems/:id/approvals", api_pm_approvals},
    {"POST", "/api/v1/postmortems/:id/approvals", api_pm_approve},

    {"GET", "/api/v1/postmortems/:id/access", api_pm_access},
    {"POST", "/api/v1/postmortems/:id/access", api_pm_grant},
    {"DELETE", "/api/v1/postmortems/:id/access/:kind/:name", api_pm_revoke},
    {"PUT", "/api/v1/postmortems/:id/visibility", api_pm_visibility},
    {"GET", "/api/v1/postmortems/:id/owners", api_pm_owners},
    {"POST", "/api/v1/postmortems/:id/owners", api_pm_reassign},

    {"GET", "/api/v1/postmortems/:id/attachments", api_attachments_list},
    {"GET", "/api/v1/postmortems/:id/attachments/:name", api_attachment_get},
    {"PUT", "/api/v1/postmortems/:id/attachments/:name", api_attachment_put},
    {"GET", "/api/v1/postmortems/:id/attachments/:name/versions", api_attachment_versions},

    {"GET", "/api/v1/postmortems/:id/comments", api_pm_comments},
    {"POST", "/api/v1/postmortems/:id/comments", api_pm_comment},

    {"GET", "/api/v1/actions", api_actions_list},
    {"PUT", "/api/v1/postmortems/:id/actions/:number", api_action_update},

    {"GET", "/api/v1/patterns", api_patterns},
    {"POST", "/api/v1/lint", api_lint},

    {"GET", "/api/v1/users", api_users_list},
    {"POST", "/api/v1/users", api_user_create},
    {"GET", "/api/v1/users/:name", api_user_get},
    {"PATCH", "/api/v1/users/:name", api_user_update},
    {"GET", "/api/v1/teams", api_teams_list},
    {"POST", "/api/v1/teams", api_team_create},
    {"GET", "/api/v1/teams/:name", api_team_get},
    {"PUT", "/api/v1/teams/:name/members/:user", api_member_add},
    {"DELETE", "/api/v1/teams/:name/members/:user", api_member_remove},
    {"GET", "/api/v1/tokens", api_tokens_list},
    {"POST", "/api/v1/tokens", api_token_create},
    {"DELETE", "/api/v1/tokens/:id", api_token_revoke},
    {"GET", "/api/v1/audit", api_audit},
};

#define ROUTE_COUNT (sizeof routes / sizeof routes[0])

static bool iovec_is(h2o_iovec_t v, const char *s)
{
    size_t n = strlen(s);
    return v.len == n && memcmp(v.base, s, n) == 0;
}

/* The path of REQ as sent, without its query. */
static h2o_iovec_t raw_path_of(const h2o_req_t *req)
{
    h2o_iovec_t path = req->path;
    if (req->query_at != SIZE_MAX && req->query_at < path.len)
        path.len = req->query_at;
    return path;
}

/* Does a segment of PATH read as "." or ".." once decoded ("%2e%2E")? */
static bool has_dot_segment(h2o_iovec_t path)
{
    const char *s = path.base, *end = path.base + path.len;
    while (s < end) {
        const char *slash = memchr(s, '/', (size_t)(end - s));
        const char *seg_end = slash ? slash : end;
        size_t dots = 0, len = 0;
        for (const char *p = s; p < seg_end; len++) {
            if (*p == '.') {
                dots++;
                p++;
            } else if (seg_end - p >= 3 && p[0] == '%' && p[1] == '2' &&
                       (p[2] == 'e' || p[2] == 'E')) {
                dots++;
                p += 3;
            } else {
                p++;
            }
        }
        if (dots == len && (len == 1 || len == 2))
            return true;
        s = seg_end + (slash ? 1 : 0);
    }
    return false;
}

/* Does PATH match PATTERN? Fills PARAMS (may be NULL) with ':name' values. */
static bool path_matches(const char *pattern, h2o_iovec_t path, struct route_params *params)
{
    const char *p = pattern;
    const char *s = path.base, *end = path.base + path.len;
    if (params)
        params->count = 0;
    while (*p && s < end) {
        if (*p != '/' || *s != '/')
            return false;
        p++;
        s++;
        const char *pseg_end = strchr(p, '/');
        size_t plen = pseg_end ? (size_t)(pseg_end - p) : strlen(p);
        const char *sseg_end = memchr(s, '/', (size_t)(end - s));
        size_t slen = sseg_end ? (size_t)(sseg_end - s) : (size_t)(end - s);
        if (plen > 0 && p[0] == ':') {
            if (slen == 0)
                return false;
            if (params) {
                if (params->count == ROUTE_MAX_PARAMS)
                    return false;
                char *name = params->names[params->count];
                snprintf(name, ROUTE_MAX_PARAM_NAME, "%.*s", (int)(plen - 1), p + 1);
                params->items[params->count].name = name;
                params->items[params->count].value = h2o_iovec_init(s, slen);
                params->count++;
            }
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return false;
        }
        p += plen;
        s += slen;
    }
    return *p == '\0' && s == end;
}

/* The length of the dot segment at S[0..LEN) once decoded ("." or "%2e"
 * is 1, ".." 2), or 0 when it is not one. */
static size_t dot_segment(const char *s, size_t len)
{
    size_t dots = 0, i = 0;
    while (i < len) {
        if (s[i] == '.') {
            i++;
        } else if (len - i >= 3 && s[i] == '%' && s[i + 1] == '2' && (s[i + 2] | 0x20) == 'e') {
            i += 3;
        } else {
            return 0;
        }
        dots++;
    }
    return dots <= 2 ? dots : 0;
}

/* RAW with its dot segments resolved as RFC 3986 says ("/a/./b/../c" is
 * "/a/c"), its escapes kept, in REQ's pool. */
static h2o_iovec_t without_dot_segments(h2o_req_t *req, h2o_iovec_t raw)
{
    char *out = h2o_mem_alloc_pool(&req->pool, raw.len + 1);
    size_t len = 0;
    const char *s = raw.base, *end = raw.base + raw.len;
    while (s < end) {
        s++; /* the '/' */
        const char *slash = memchr(s, '/', (size_t)(end - s));
        const char *seg_end = slash ? slash : end;
        size_t dots = dot_segment(s, (size_t)(seg_end - s));
        if (dots == 2)
            while (len > 0 && out[--len] != '/')
                ;
        if (dots && !slash)
            out[len++] = '/'; /* "/a/.." is "/" */
        if (!dots) {
            out[len++] = '/';
            memcpy(out + len, s, (size_t)(seg_end - s));
            len += (size_t)(seg_end - s);
        }
        s = seg_end;
    }
    if (len == 0)
        out[len++] = '/';
    return h2o_iovec_init(out, len);
}

/* The path REQ is routed by: the path as sent, without its query and with
 * its dot segments resolved, but with its escapes kept, so that a
 * parameter is one segment (an escaped slash stays inside it:
 * "/attachments/metrics%2Fa.csv" names "metrics/a.csv") and is decoded
 * once, by request_param(). */
static h2o_iovec_t routed_path(h2o_req_t *req)
{
    h2o_iovec_t raw = raw_path_of(req);
    if (raw.len == 0 || raw.base[0] != '/')
        return h2o_iovec_init("/", 1);
    return has_dot_segment(raw) ? without_dot_segments(req, raw) : raw;
}

const char *router_label(h2o_req_t *req)
{
    h2o_iovec_t path = routed_path(req);
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (path_matches(routes[i].pattern, path, NULL))
            return routes[i].pattern;
    }
    return "unmatched";
}

/* Is PATH one of the web app's, answered in HTML when it fails? Everything
 * but the API and the operations routes. */
static bool is_page(h2o_iovec_t path)
{
    static const char *const machine[] = {"/api/", "/healthz", "/metrics"};
    for (size_t i = 0; i < sizeof machine / sizeof *machine; i++) {
        size_t n = strlen(machine[i]);
        if (path.len >= n && memcmp(path.base, machine[i], n) == 0)
            return false;
    }
    return true;
}

int router_dispatch(struct serve_app *app, h2o_req_t *req)
{
    h2o_iovec_t path = routed_path(req);
    bool head = iovec_is(req->method, "HEAD");
    char allow[128] = "";
    size_t allow_len = 0;
    struct route_params params;
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (!path_matches(routes[i].pattern, path, &params))
            continue;
        if (iovec_is(req->method, routes[i].method) ||
            (head && strcmp(routes[i].method, "GET") == 0))
            return routes[i].handle(app, req, &params);
        const char *extra = strcmp(routes[i].method, "GET") == 0 ? ", HEAD" : "";
        int n = snprintf(allow + allow_len, sizeof allow - allow_len, "%s%s%s",
                         allow_len ? ", " : "", routes[i].method, extra);
        if (n > 0 && (size_t)n < sizeof allow - allow_len)
            allow_len += (size_t)n;
    }
    if (allow_len > 0) {
        h2o_iovec_t value = h2o_strdup(&req->pool, allow, allow_len);
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, NULL, value.base, value.len);
        char message[192];
        snprintf(message, sizeof message, "this route accepts %s", allow);
        if (is_page(path))
            web_error(app, req, 405, message);
        else
            respond_error(req, 405, "method_not_allowed", message);
        return 0;
    }
    if (is_page(path))
        web_error(app, req, 404, "There is no such page.");
    else
        respond_error(req, 404, "not_found", "no such route");
    return 0;
}
