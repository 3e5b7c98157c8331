/* router.c: the table of routes and the matching of a request against it.
 *
 * Adding a route: a row in routes[] with its method, its pattern (segments
 * starting with ':' match one non-empty path segment and are handed to the
 * handler by name) and its handler. */
#include "serve.h"

#include <string.h>

struct route {
    const char *method;
    const char *pattern;
    route_handler handle;
};

static const struct route routes[] = {
    {"GET", "/healthz", health_handle},
    {"GET", "/metrics", metrics_handle},
};

#define ROUTE_COUNT (sizeof routes / sizeof routes[0])

static bool iovec_is(h2o_iovec_t v, const char *s)
{
    size_t n = strlen(s);
    return v.len == n && memcmp(v.base, s, n) == 0;
}

/* The path of REQ without its query, normalised by h2o ("/a/../b" is "/b",
 * percent-escapes of unreserved characters decoded). */
static h2o_iovec_t path_of(const h2o_req_t *req)
{
    h2o_iovec_t path = req->path_normalized;
    if (path.len == 0 && req->path.len > 0) {
        path = req->path;
        if (req->query_at != SIZE_MAX && req->query_at < path.len)
            path.len = req->query_at;
    }
    return path;
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
                params->items[params->count].name = p + 1;
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

const char *router_label(const h2o_req_t *req)
{
    h2o_iovec_t path = path_of(req);
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (path_matches(routes[i].pattern, path, NULL))
            return routes[i].pattern;
    }
    return "unmatched";
}

int router_dispatch(struct serve_app *app, h2o_req_t *req)
{
    h2o_iovec_t path = path_of(req);
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
        respond_error(req, 405, "method_not_allowed", message);
        return 0;
    }
    respond_error(req, 404, "not_found", "no such route");
    return 0;
}
