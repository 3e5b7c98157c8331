/* api_attachments.c: the files a post mortem's Markdown names (images,
 * metric files), kept under it by name with every version: the list, one
 * file's bytes, uploading a version and a name's history.
 * docs/api/attachments.md says what each route answers. */
#include "pm.h"

#include "debrief/buf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static json_t *attachment_json(const struct dbf_attachment *a)
{
    return json_pack("{s:s, s:i, s:i, s:I, s:s, s:s, s:o}", "name", a->name ? a->name : "",
                     "version", a->version, "revision", a->revision, "size", (json_int_t)a->size,
                     "sha256", a->sha256, "author", a->author_name, "created",
                     json_time(a->created));
}

static json_t *attachments_json(const struct dbf_attachment *items, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, attachment_json(&items[i]));
    return array;
}

/* The path's attachment name, decoded ("metrics%2Fp99.csv" is
 * "metrics/p99.csv"); answers 400 and returns NULL when it is not text
 * (a malformed escape, bad UTF-8, a NUL). Whether it names a file inside
 * the document's folder is the store's check. */
static const char *name_param(h2o_req_t *req, const struct route_params *params)
{
    const char *name = request_param(req, params, "name");
    if (!name)
        respond_error(req, 400, "bad_request",
                      "the attachment's name must be percent-encoded UTF-8 text without a NUL");
    return name;
}

static json_t *list_json(struct serve_app *app, const struct pm_view *view,
                         enum dbf_store_status *st)
{
    struct dbf_attachment *items = NULL;
    size_t count = 0;
    *st = dbf_store_attachments(app->store, view->auth.user.id, view->slug, &items, &count);
    if (*st != DBF_STORE_OK)
        return NULL;
    json_t *body = json_pack("{s:o}", "attachments", attachments_json(items, count));
    dbf_attachments_free(items, count);
    return body;
}

int api_attachments_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    return pm_answer(app, req, params, list_json);
}

/* The header value of a download of NAME: its last segment as the file
 * name, quoted, with anything but printable ASCII other than '"' and '\'
 * written as '_'; and, when that changed it, the exact name as RFC 5987's
 * filename*. In REQ's pool. */
static h2o_iovec_t disposition_of(h2o_req_t *req, const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    dbf_buf_adds(&out, "attachment; filename=\"");
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)base; *p; p++) {
        bool safe = *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\';
        plain = plain && safe;
        dbf_buf_addc(&out, safe ? (char)*p : '_');
    }
    dbf_buf_addc(&out, '"');
    if (!plain) {
        static const char hex[] = "0123456789ABCDEF";
        dbf_buf_adds(&out, "; filename*=UTF-8''");
        for (const unsigned char *p = (const unsigned char *)base; *p; p++) {
            bool unreserved = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                              (*p >= '0' && *p <= '9') || strchr("-._~", *p);
            if (unreserved) {
                dbf_buf_addc(&out, (char)*p);
            } else {
                char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
                dbf_buf_add(&out, esc, 3);
            }
        }
    }
    h2o_iovec_t value = out.failed ? h2o_iovec_init(H2O_STRLIT("attachment"))
                                   : h2o_strdup(&req->pool, out.data, out.len);
    dbf_buf_release(&out);
    return value;
}

static void set_header(h2o_req_t *req, const char *name, h2o_iovec_t value)
{
    h2o_set_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 0, value.base,
                          value.len, 1);
}

/* The bytes of a download, freed when REQ's pool is cleared. */
struct owned_bytes {
    unsigned char *data;
};

static void free_owned_bytes(void *p)
{
    free(((struct owned_bytes *)p)->data);
}

/* Answers 200 with the LEN bytes of DATA (malloc'd, taken: freed with
 * REQ) as application/octet-stream, without copying them: a file may be
 * DBF_ATTACHMENT_MAX bytes. */
static void send_bytes(h2o_req_t *req, unsigned char *data, size_t len)
{
    static h2o_generator_t generator = {NULL, NULL};
    struct owned_bytes *owned = h2o_mem_alloc_shared(&req->pool, sizeof *owned, free_owned_bytes);
    owned->data = data;
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("application/octet-stream"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                   H2O_STRLIT("no-store"));
    h2o_start_response(req, &generator);
    h2o_iovec_t body = h2o_iovec_init(data, len);
    bool head = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
    h2o_send(req, head ? NULL : &body, head ? 0 : 1, H2O_SEND_STATE_FINAL);
}

int api_attachment_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    const char *name = name_param(req, params);
    long version;
    if (!name || !request_query_int(req, "version", 1, INT_MAX, 0, &version)) {
        pm_view_release(&view);
        return 0;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    struct dbf_attachment meta;
    enum dbf_store_status st = dbf_store_attachment_get(app->store, view.auth.user.id, view.slug,
                                                        name, (int)version, &data, &len, &meta);
    if (st == DBF_STORE_NOT_FOUND) {
        respond_error(req, 404, "not_found",
                      version ? "no such version of this attachment" : "no such attachment");
    } else if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
    } else {
        char etag[70];
        int n = snprintf(etag, sizeof etag, "\"%s\"", meta.sha256);
        set_header(req, "etag", h2o_strdup(&req->pool, etag, (size_t)n));
        set_header(req, "content-disposition", disposition_of(req, name));
        set_header(req, "content-security-policy",
                   h2o_iovec_init(H2O_STRLIT("sandbox; default-src 'none'")));
        set_header(req, "x-content-type-options", h2o_iovec_init(H2O_STRLIT("nosniff")));
        send_bytes(req, data, len);
        data = NULL;
    }
    free(data);
    dbf_attachment_release(&meta);
    pm_view_release(&view);
    return 0;
}

/* The newest version of NAME of VIEW's post mortem before an upload: 0
 * when there is none. Returns false after answering REQ when the store
 * fails. */
static bool newest_version(struct serve_app *app, h2o_req_t *req, const struct pm_view *view,
                           const char *name, int *out)
{
    struct dbf_attachment *history = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_attachment_history(app->store, view->auth.user.id,
                                                            view->slug, name, &history, &count);
    *out = st == DBF_STORE_OK && count > 0 ? history[count - 1].version : 0;
    dbf_attachments_free(history, count);
    if (st == DBF_STORE_OK || st == DBF_STORE_NOT_FOUND)
        return true;
    respond_store_error(app, req, st);
    return false;
}

int api_attachment_put(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    const char *name = NULL;
    int before = 0;
    if (!auth_has_role(&view.auth, DBF_ROLE_AUTHOR)) {
        respond_error(req, 403, "forbidden", "uploading a file needs the author role");
        goto done;
    }
    name = name_param(req, params);
    if (!name)
        goto done;
    if (req->entity.len > DBF_ATTACHMENT_MAX) {
        char message[128];
        snprintf(message, sizeof message, "a file holds at most %zu bytes (%zu MiB)",
                 DBF_ATTACHMENT_MAX, DBF_ATTACHMENT_MAX >> 20);
        respond_error(req, 413, "payload_too_large", message);
        goto done;
    }
    if (!newest_version(app, req, &view, name, &before))
        goto done;
    struct dbf_attachment added;
    enum dbf_store_status st = dbf_store_attachment_put(
        app->store, view.slug, name, req->entity.base, req->entity.len, view.auth.user.id, &added);
    if (st == DBF_STORE_OK)
        respond_json(req, added.version > before ? 201 : 200, attachment_json(&added));
    else
        respond_store_error(app, req, st);
    dbf_attachment_release(&added);
done:
    pm_view_release(&view);
    return 0;
}

int api_attachment_versions(struct serve_app *app, h2o_req_t *req,
                            const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    const char *name = name_param(req, params);
    if (name) {
        struct dbf_attachment *history = NULL;
        size_t count = 0;
        enum dbf_store_status st = dbf_store_attachment_history(app->store, view.auth.user.id,
                                                                view.slug, name, &history, &count);
        if (st == DBF_STORE_NOT_FOUND)
            respond_error(req, 404, "not_found", "no such attachment");
        else
            pm_respond_stored(app, req, st, 200,
                              st == DBF_STORE_OK
                                  ? json_pack("{s:o}", "versions", attachments_json(history, count))
                                  : NULL);
        dbf_attachments_free(history, count);
    }
    pm_view_release(&view);
    return 0;
}
