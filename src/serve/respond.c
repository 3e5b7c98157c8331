/* respond.c: JSON answers and the JSON shape of every error. */
#include "serve.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The statuses the server answers, their reason phrases and the codes of
 * their JSON errors. */
static const struct {
    int status;
    const char *reason;
    const char *code;
} statuses[] = {
    {200, "OK", NULL},
    {201, "Created", NULL},
    {204, "No Content", NULL},
    {303, "See Other", NULL},
    {304, "Not Modified", NULL},
    {400, "Bad Request", "bad_request"},
    {401, "Unauthorized", "unauthorized"},
    {403, "Forbidden", "forbidden"},
    {404, "Not Found", "not_found"},
    {405, "Method Not Allowed", "method_not_allowed"},
    {408, "Request Timeout", "request_timeout"},
    {409, "Conflict", "conflict"},
    {411, "Length Required", "length_required"},
    {413, "Payload Too Large", "payload_too_large"},
    {415, "Unsupported Media Type", "unsupported_media_type"},
    {417, "Expectation Failed", "expectation_failed"},
    {422, "Unprocessable Entity", "unprocessable"},
    {429, "Too Many Requests", "too_many_requests"},
    {500, "Internal Server Error", "internal"},
    {501, "Not Implemented", "not_implemented"},
    {502, "Bad Gateway", "bad_gateway"},
    {503, "Service Unavailable", "unavailable"},
};

static const char *reason_of(int status)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        if (statuses[i].status == status)
            return statuses[i].reason;
    }
    return status < 500 ? "Client Error" : "Server Error";
}

/* The machine-readable code of an error status h2o answered by itself. */
static const char *code_of(int status)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        if (statuses[i].status == status && statuses[i].code)
            return statuses[i].code;
    }
    return status < 500 ? "bad_request" : "internal";
}

void (*respond_observer)(h2o_req_t *req, const h2o_iovec_t *parts, size_t count);

/* Starts the answer of REQ with STATUS, LEN bytes of CONTENT_TYPE. */
static void start(h2o_req_t *req, int status, const char *content_type, size_t len)
{
    req->res.status = status;
    req->res.reason = reason_of(status);
    req->res.content_length = len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, content_type,
                   strlen(content_type));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                   H2O_STRLIT("no-store"));
}

/* Sends the COUNT PARTS as the body, as they are: they must live as long
 * as REQ (its pool, respond_keep(), static). A HEAD request gets none. */
static void send_parts(h2o_req_t *req, h2o_iovec_t *parts, size_t count)
{
    static h2o_generator_t generator = {NULL, NULL};
    h2o_start_response(req, &generator);
    if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")))
        h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
    else
        h2o_send(req, parts, count, H2O_SEND_STATE_FINAL);
}

static void free_kept(void *holder)
{
    free(*(void **)holder);
}

void respond_keep(h2o_req_t *req, void *data)
{
    void **holder = h2o_mem_alloc_shared(&req->pool, sizeof *holder, free_kept);
    *holder = data;
}

void respond_parts(h2o_req_t *req, int status, const char *content_type, h2o_iovec_t *parts,
                   size_t count)
{
    size_t len = 0;
    for (size_t i = 0; i < count; i++)
        len += parts[i].len;
    start(req, status, content_type, len);
    if (respond_observer)
        respond_observer(req, parts, count);
    send_parts(req, parts, count);
}

void respond_text(h2o_req_t *req, int status, const char *content_type, const char *text,
                  size_t len)
{
    h2o_iovec_t copy = h2o_strdup(&req->pool, text, len);
    respond_parts(req, status, content_type, &copy, 1);
}

void respond_json(h2o_req_t *req, int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        static const char oom[] =
            "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}\n";
        respond_text(req, 500, "application/json", oom, sizeof oom - 1);
        return;
    }
    respond_keep(req, text);
    h2o_iovec_t parts[2] = {h2o_iovec_init(text, strlen(text)), h2o_iovec_init(H2O_STRLIT("\n"))};
    respond_parts(req, status, "application/json", parts, 2);
}

static json_t *error_body(const char *code, const char *message)
{
    return json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
}

void respond_error(h2o_req_t *req, int status, const char *code, const char *message)
{
    respond_json(req, status, error_body(code, message));
}

/* The answer filter. It adds the security headers to every answer. And
 * h2o answers some requests before any handler runs (h2o_send_error_*: a
 * body over the limit, a broken chunked body) with a text/plain body; the
 * filter swaps that body for the JSON error, so every error a client sees
 * has one shape. */

struct json_error_ostream {
    h2o_ostream_t super;
    h2o_iovec_t body;
    bool sent;
};

static void json_error_send(h2o_ostream_t *self_, h2o_req_t *req, h2o_iovec_t *bufs, size_t bufcnt,
                            h2o_send_state_t state)
{
    (void)bufs;
    (void)bufcnt;
    struct json_error_ostream *self = (struct json_error_ostream *)self_;
    if (!self->sent && state != H2O_SEND_STATE_IN_PROGRESS) {
        self->sent = true;
        h2o_ostream_send_next(&self->super, req, &self->body, 1, state);
        return;
    }
    h2o_ostream_send_next(&self->super, req, NULL, 0, state);
}

static bool is_plain_text(const h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->res.headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (i < 0)
        return true;
    h2o_iovec_t v = req->res.headers.entries[i].value;
    return v.len >= 10 && memcmp(v.base, "text/plain", 10) == 0;
}

static bool has_header(const h2o_headers_t *headers, const h2o_token_t *token)
{
    return h2o_find_header(headers, token, -1) >= 0;
}

/* The headers every answer carries: no sniffing of types, no referrer, no
 * framing; a policy that lets it run nothing unless it set its own; and, for an answer
 * to a request with credentials, no caching, unless the answer says itself
 * that anyone may cache it (the static files). */
static void add_security_headers(h2o_req_t *req)
{
    h2o_headers_t *h = &req->res.headers;
    h2o_set_header_by_str(&req->pool, h, H2O_STRLIT("x-content-type-options"), 0,
                          H2O_STRLIT("nosniff"), 1);
    h2o_set_header_by_str(&req->pool, h, H2O_STRLIT("referrer-policy"), 0,
                          H2O_STRLIT("no-referrer"), 1);
    h2o_set_header_by_str(&req->pool, h, H2O_STRLIT("x-frame-options"), 0, H2O_STRLIT("DENY"), 1);
    /* Pages and attachments set their own policy; every other answer (JSON,
     * the feed, which a browser renders as XML, static files, redirects,
     * errors) may load nothing and be framed by nobody. */
    if (h2o_find_header_by_str(h, H2O_STRLIT("content-security-policy"), -1) < 0)
        h2o_set_header_by_str(&req->pool, h, H2O_STRLIT("content-security-policy"), 0,
                              H2O_STRLIT("default-src 'none'; frame-ancestors 'none'"), 1);
    bool credentials = has_header(&req->headers, H2O_TOKEN_AUTHORIZATION) ||
                       has_header(&req->headers, H2O_TOKEN_COOKIE);
    ssize_t cache = h2o_find_header(h, H2O_TOKEN_CACHE_CONTROL, -1);
    bool shared = cache >= 0 && h->entries[cache].value.len >= 6 &&
                  memcmp(h->entries[cache].value.base, "public", 6) == 0;
    if (credentials && !shared)
        h2o_set_header(&req->pool, h, H2O_TOKEN_CACHE_CONTROL, H2O_STRLIT("no-store"), 1);
}

static void json_error_setup(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    if (req->res.status >= 400 && is_plain_text(req)) {
        char message[128];
        snprintf(message, sizeof message, "%s",
                 req->res.reason ? req->res.reason : reason_of(req->res.status));
        if (req->res.status == 413)
            snprintf(message, sizeof message,
                     "the request body is larger than the limit of %u bytes", SERVE_MAX_BODY);
        json_t *body = error_body(code_of(req->res.status), message);
        char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
        json_decref(body);
        if (text) {
            size_t len = strlen(text);
            char *copy = h2o_mem_alloc_pool(&req->pool, len + 1);
            memcpy(copy, text, len);
            copy[len] = '\n';
            free(text);
            struct json_error_ostream *os =
                (struct json_error_ostream *)h2o_add_ostream(req, sizeof *os, slot);
            os->super.do_send = json_error_send;
            os->body = h2o_iovec_init(copy, len + 1);
            os->sent = false;
            req->res.content_length = len + 1;
            h2o_set_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE,
                           H2O_STRLIT("application/json"), 1);
            slot = &os->super.next;
        }
    }
    add_security_headers(req);
    h2o_setup_next_ostream(req, slot);
    (void)self;
}

void respond_register_error_filter(h2o_pathconf_t *pathconf)
{
    h2o_filter_t *filter = h2o_create_filter(pathconf, sizeof *filter);
    filter->on_setup_ostream = json_error_setup;
}

void respond_store_error(struct serve_app *app, h2o_req_t *req, enum dbf_store_status st)
{
    const char *said = dbf_store_message(app->store);
    bool has_message = said && *said;
    switch (st) {
    case DBF_STORE_OK:
    case DBF_STORE_INTERNAL:
        break;
    case DBF_STORE_NOT_FOUND:
        respond_error(req, 404, "not_found", has_message ? said : "not found");
        return;
    case DBF_STORE_CONFLICT:
        respond_error(req, 409, "conflict", has_message ? said : "conflict");
        return;
    case DBF_STORE_INVALID:
        respond_error(req, 400, "bad_request", has_message ? said : "invalid input");
        return;
    case DBF_STORE_UNAVAILABLE:
        metrics_db_error(app->metrics);
        log_event("db_unavailable", json_pack("{s:s}", "message", has_message ? said : ""));
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, H2O_STRLIT("5"));
        respond_error(req, 503, "unavailable", "the database is unavailable; retry later");
        return;
    }
    metrics_db_error(app->metrics);
    log_event("db_error", json_pack("{s:s,s:s}", "status", dbf_store_status_name(st), "message",
                                    has_message ? said : ""));
    respond_error(req, 500, "internal", "internal error; the server's log says more");
}

json_t *json_time(int64_t seconds)
{
    if (seconds == 0)
        return json_null();
    time_t t = (time_t)seconds;
    struct tm tm;
    char text[32];
    if (!gmtime_r(&t, &tm) || strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return json_null();
    return json_string(text);
}
