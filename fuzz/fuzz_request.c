/* fuzz_request.c: the server's request reading (src/serve/request.c): query
 * strings, forms, cookies, headers, path parameters and JSON bodies, on
 * requests built with h2o's own API as its HTTP/1 layer builds them.
 *
 * The input's parts are the request target ("/path?query"), the Cookie
 * header, the Content-Type, the body and a path parameter's raw value.
 * Answers that request.c sends (400, 415) go to a capturing output stream
 * in place of a socket; each read that may answer gets a request of its
 * own, as a handler answers once. */
#include "fuzz.h"

#include "serve.h"

#include "debrief/buf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

static h2o_globalconf_t globalconf;
static h2o_context_t context;
static h2o_pathconf_t *path_config;
static h2o_conn_t conn;
static unsigned peer_kind;

/* The client's address: IPv4, IPv6, IPv4 mapped in IPv6, or unknown. */
static socklen_t peername(h2o_conn_t *c, struct sockaddr *sa)
{
    switch (peer_kind & 3) {
    case 0: {
        struct sockaddr_in *in = (struct sockaddr_in *)sa;
        memset(in, 0, sizeof *in);
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(0x7f000001);
        return sizeof *in;
    }
    case 1:
    case 2: {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
        memset(in6, 0, sizeof *in6);
        in6->sin6_family = AF_INET6;
        if (peer_kind & 1) {
            in6->sin6_addr.s6_addr[15] = 1;
        } else {
            in6->sin6_addr.s6_addr[10] = in6->sin6_addr.s6_addr[11] = 0xff;
            in6->sin6_addr.s6_addr[12] = 192;
            in6->sin6_addr.s6_addr[15] = 7;
        }
        return sizeof *in6;
    }
    default:
        return 0;
    }
}

static const h2o_conn_callbacks_t callbacks = {.get_peername = peername};

/* The end of the output chain: keeps the status, checks the JSON error. */
static void capture(h2o_ostream_t *self, h2o_req_t *req, h2o_iovec_t *bufs, size_t bufcnt,
                    h2o_send_state_t state)
{
    if (req->res.status < 400 || req->res.status > 499)
        abort();
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    for (size_t i = 0; i < bufcnt; i++)
        dbf_buf_add(&text, bufs[i].base, bufs[i].len);
    json_error_t err;
    json_t *body = json_loadb(text.data, text.len, 0, &err);
    if (!body || !json_is_object(json_object_get(body, "error")))
        abort();
    json_decref(body);
    dbf_buf_release(&text);
}

static h2o_ostream_t final_stream = {.do_send = capture};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    h2o_config_init(&globalconf);
    h2o_hostconf_t *host =
        h2o_config_register_host(&globalconf, h2o_iovec_init(H2O_STRLIT("localhost")), 65535);
    path_config = h2o_config_register_path(host, "/", 0);
    h2o_context_init(&context, h2o_evloop_create(), &globalconf);
    conn.ctx = &context;
    conn.hosts = globalconf.hosts;
    conn.callbacks = &callbacks;
    return 0;
}

struct request_parts {
    struct fuzz_part target, cookie, content_type, body, param;
};

/* A POST of PARTS, as h2o's HTTP/1 parser leaves it for a handler. */
static void begin(h2o_req_t *req, const struct request_parts *parts)
{
    h2o_init_request(req, &conn, NULL);
    req->pathconf = path_config;
    req->_ostr_top = &final_stream;
    req->input.method = req->method = h2o_iovec_init(H2O_STRLIT("POST"));
    req->input.path = req->path = h2o_strdup(&req->pool, parts->target.data, parts->target.len);
    const char *q = memchr(req->path.base, '?', req->path.len);
    req->query_at = q ? (size_t)(q - req->path.base) : SIZE_MAX;
    req->version = 0x101;
    if (parts->cookie.len)
        h2o_add_header(&req->pool, &req->headers, H2O_TOKEN_COOKIE, NULL,
                       h2o_strdup(&req->pool, parts->cookie.data, parts->cookie.len).base,
                       parts->cookie.len);
    h2o_add_header(&req->pool, &req->headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   h2o_strdup(&req->pool, parts->content_type.data, parts->content_type.len).base,
                   parts->content_type.len);
    if (parts->body.len)
        req->entity = h2o_strdup(&req->pool, parts->body.data, parts->body.len);
}

static void end(h2o_req_t *req)
{
    req->version = 0; /* nothing to log */
    h2o_dispose_request(req);
}

static const char *const names[] = {"q",      "page", "title", "csrf", "debrief_session",
                                    "status", "",     "a b",   "x"};

static void read_query_and_form(const struct request_parts *parts)
{
    h2o_req_t req;
    begin(&req, parts);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        (void)request_query(&req, names[i]);
        (void)request_form(&req, names[i]);
        (void)request_cookie(&req, names[i]);
    }
    (void)request_header(&req, "cookie");
    (void)request_header(&req, "content-type");
    (void)request_header(&req, "x-absent");
    (void)request_peer(&req);
    struct route_params params = {.count = 1};
    memcpy(params.names[0], "slug", 5);
    params.items[0].name = params.names[0];
    params.items[0].value = h2o_strdup(&req.pool, parts->param.data, parts->param.len);
    (void)request_param(&req, &params, "slug");
    (void)request_param(&req, &params, "absent");
    end(&req);

    begin(&req, parts);
    (void)request_check_query(&req);
    end(&req);

    begin(&req, parts);
    long n;
    (void)request_query_int(&req, "page", 1, 1000, 1, &n);
    end(&req);
}

static void read_json(const struct request_parts *parts)
{
    static const char *const fields[] = {"title", "body", "count", "draft", "tags", NULL};
    h2o_req_t req;
    begin(&req, parts);
    json_t *body = request_json(&req, fields);
    end(&req);
    if (!body)
        return;
    const char *text;
    long n;
    bool flag;
    begin(&req, parts);
    (void)request_string(&req, body, "title", true, 200, &text);
    end(&req);
    begin(&req, parts);
    (void)request_string(&req, body, "body", false, 1 << 20, &text);
    end(&req);
    begin(&req, parts);
    (void)request_int(&req, body, "count", false, -5, 500, 0, &n);
    end(&req);
    begin(&req, parts);
    (void)request_bool(&req, body, "draft", false, &flag);
    end(&req);
    json_decref(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_part p[5] = {{"/", 1}, {"", 0}, {"", 0}, {"", 0}, {"", 0}};
    size_t n = fuzz_split(data, size, p, 5);
    (void)n;
    struct request_parts parts = {p[0], p[1], p[2], p[3], p[4]};
    peer_kind = size ? data[0] : 0;
    read_query_and_form(&parts);
    read_json(&parts);
    return 0;
}
