/* response_cache.c: whole answers to repeated reads, kept in the page cache
 * under a key naming everything they were computed from.
 *
 * An answer of a cacheable route (the post mortem page, the list and search
 * pages, the API's post mortem and list) is a function of the database's
 * contents, who asks (the session cookie or the API token), the request's
 * path and query, and the time in seconds (durations, the review clock,
 * the expiry of sessions). The key names all four: the store's generation,
 * a hash of the credentials, the path and the store's clock. So a kept
 * answer is exactly what the handler would answer now; a sign-out, a new
 * role, a restriction, a save — any commit, by any server — changes the
 * generation and the next request runs the handler, with every access
 * check, again. An answer is kept only when its request changed nothing
 * (the generation is the same after it) and it is a 200. */
#include "serve.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The routes whose GET answers may be kept. */
static const char *const cacheable[] = {"/postmortems", "/postmortems/:id", "/api/v1/postmortems",
                                        "/api/v1/postmortems/:id"};

/* The request of this thread whose answer is being captured. */
static _Thread_local struct response_capture *current;

struct kept_header {
    char *name, *value;
    size_t name_len, value_len;
};

/* An answer kept: its headers (those the handler set) and its body, an h2o
 * shared chunk that requests in flight hold a reference to. */
struct kept_response {
    struct kept_header headers[RESPONSE_MAX_HEADERS];
    size_t header_count;
    char *body;
    size_t len;
};

static void kept_free(void *value)
{
    struct kept_response *kept = value;
    if (!kept)
        return;
    for (size_t i = 0; i < kept->header_count; i++) {
        free(kept->headers[i].name);
        free(kept->headers[i].value);
    }
    if (kept->body)
        h2o_mem_release_shared(kept->body);
    free(kept);
}

static bool is_get(const h2o_req_t *req)
{
    return h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) ||
           h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
}

/* Appends "NAME=" and a keyed hash of VALUE (or "-") to KEY. */
static void hash_credential(crypto_generichash_state *state, const char *name, const char *value)
{
    crypto_generichash_update(state, (const unsigned char *)name, strlen(name) + 1);
    if (value)
        crypto_generichash_update(state, (const unsigned char *)value, strlen(value) + 1);
    else
        crypto_generichash_update(state, (const unsigned char *)"", 1);
}

/* The key of REQ's answer in CAP->key; false when REQ is not cacheable. */
static bool make_key(struct serve_app *app, h2o_req_t *req, struct response_capture *cap)
{
    if (!app->pages || !is_get(req) || app->config.proxy_user_header)
        return false;
    const char *route = router_label(req);
    bool listed = false;
    for (size_t i = 0; i < sizeof cacheable / sizeof *cacheable && !listed; i++)
        listed = strcmp(route, cacheable[i]) == 0;
    if (!listed || dbf_store_generation(app->store, cap->generation, sizeof cap->generation) !=
                       DBF_STORE_OK)
        return false;
    crypto_generichash_state state;
    crypto_generichash_init(&state, NULL, 0, 32);
    hash_credential(&state, "authorization", request_header(req, "authorization"));
    hash_credential(&state, "session", request_cookie(req, "debrief_session"));
    unsigned char digest[32];
    crypto_generichash_final(&state, digest, sizeof digest);
    char who[65];
    sodium_bin2hex(who, sizeof who, digest, sizeof digest);
    int n = snprintf(cap->key, sizeof cap->key, "answer/%s/%lld/%s/%.*s", cap->generation,
                     (long long)dbf_store_now(app->store), who, (int)req->path.len, req->path.base);
    return n > 0 && (size_t)n < sizeof cap->key;
}

static void send_kept(h2o_req_t *req, const struct kept_response *kept)
{
    static h2o_generator_t generator = {NULL, NULL};
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = kept->len;
    for (size_t i = 0; i < kept->header_count; i++) {
        const struct kept_header *h = &kept->headers[i];
        h2o_add_header_by_str(&req->pool, &req->res.headers, h->name, h->name_len, 1, NULL,
                              h->value, h->value_len);
    }
    /* The request holds the body until it is done, whatever the cache
     * drops meanwhile. */
    h2o_mem_link_shared(&req->pool, kept->body);
    h2o_iovec_t body = h2o_iovec_init(kept->body, kept->len);
    h2o_start_response(req, &generator);
    if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")))
        h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
    else
        h2o_send(req, &body, 1, H2O_SEND_STATE_FINAL);
}

bool response_cache_begin(struct serve_app *app, h2o_req_t *req, struct response_capture *cap)
{
    memset(cap, 0, sizeof *cap);
    if (!make_key(app, req, cap))
        return false;
    const struct kept_response *kept = page_cache_get(app->pages, cap->key);
    if (kept) {
        send_kept(req, kept);
        return true;
    }
    cap->req = req;
    current = cap;
    return false;
}

void response_cache_capture(h2o_req_t *req, const h2o_iovec_t *parts, size_t count)
{
    struct response_capture *cap = current;
    if (!cap || cap->req != req || cap->kept || req->res.status != 200)
        return;
    struct kept_response *kept = calloc(1, sizeof *kept);
    if (!kept)
        return;
    bool ok = req->res.headers.size <= RESPONSE_MAX_HEADERS;
    for (size_t i = 0; ok && i < req->res.headers.size; i++) {
        const h2o_header_t *h = &req->res.headers.entries[i];
        struct kept_header *k = &kept->headers[kept->header_count++];
        k->name = malloc(h->name->len + 1);
        k->value = malloc(h->value.len + 1);
        ok = k->name && k->value;
        if (ok) {
            memcpy(k->name, h->name->base, h->name->len);
            memcpy(k->value, h->value.base, h->value.len);
            k->name_len = h->name->len;
            k->value_len = h->value.len;
        }
    }
    size_t len = 0;
    for (size_t i = 0; i < count; i++)
        len += parts[i].len;
    if (ok) {
        kept->body = h2o_mem_alloc_shared(NULL, len ? len : 1, NULL);
        for (size_t i = 0; i < count; i++) {
            memcpy(kept->body + kept->len, parts[i].base, parts[i].len);
            kept->len += parts[i].len;
        }
        cap->kept = kept;
    } else {
        kept_free(kept);
    }
}

void response_cache_end(struct serve_app *app, h2o_req_t *req, struct response_capture *cap)
{
    (void)req;
    if (current == cap)
        current = NULL;
    struct kept_response *kept = cap->kept;
    cap->kept = NULL;
    if (!kept)
        return;
    /* A request that changed something, or ran while something else did,
     * may have seen another generation than its key names. */
    char after[sizeof cap->generation];
    if (dbf_store_generation(app->store, after, sizeof after) != DBF_STORE_OK ||
        strcmp(after, cap->generation) != 0) {
        kept_free(kept);
        return;
    }
    size_t cost = sizeof *kept + kept->len + strlen(cap->key);
    for (size_t i = 0; i < kept->header_count; i++)
        cost += kept->headers[i].name_len + kept->headers[i].value_len + 2;
    page_cache_put(app->pages, cap->key, kept, cost, kept_free);
}
