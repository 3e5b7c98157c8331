/* static.c: GET /static/:file: the stylesheet and the script, embedded at
 * build time (static_files.c), with a validator and a day's cache life. */
#include "static_files.h"
#include "web.h"

#include <sodium.h>
#include <string.h>

/* The entity tag of FILE: a hash of its bytes, quoted, in REQ's pool. */
static const char *etag_of(h2o_req_t *req, const struct static_file *file)
{
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)file->data, file->len, NULL, 0);
    char *tag = h2o_mem_alloc_pool(&req->pool, 2 * sizeof hash + 3);
    tag[0] = '"';
    sodium_bin2hex(tag + 1, 2 * sizeof hash + 1, hash, sizeof hash);
    tag[2 * sizeof hash + 1] = '"';
    tag[2 * sizeof hash + 2] = '\0';
    return tag;
}

int web_static(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    const char *name = request_param(req, params, "file");
    const struct static_file *file = name ? static_file_find(name) : NULL;
    if (!file) {
        web_error(app, req, 404, "There is no such file.");
        return 0;
    }
    const char *etag = etag_of(req, file);
    h2o_headers_t *h = &req->res.headers;
    h2o_add_header(&req->pool, h, H2O_TOKEN_CONTENT_TYPE, NULL, file->type, strlen(file->type));
    h2o_add_header(&req->pool, h, H2O_TOKEN_CACHE_CONTROL, NULL,
                   H2O_STRLIT("public, max-age=86400"));
    h2o_add_header(&req->pool, h, H2O_TOKEN_ETAG, NULL, etag, strlen(etag));
    const char *sent = request_header(req, "if-none-match");
    if (sent && strstr(sent, etag)) {
        req->res.status = 304;
        req->res.reason = "Not Modified";
        h2o_send_inline(req, "", 0);
        return 0;
    }
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = file->len;
    h2o_send_inline(req, file->data, file->len);
    return 0;
}
