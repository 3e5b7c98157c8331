/* signin.c: checking a name and password with throttling, and starting and
 * ending sessions with their cookie. */
#include "signin.h"

#include <sodium.h>
#include <string.h>

/* Sets the session cookie to VALUE, or clears it when VALUE is NULL. */
static void set_cookie(struct serve_app *app, h2o_req_t *req, const char *value)
{
    char cookie[256];
    if (value)
        snprintf(cookie, sizeof cookie, SIGNIN_COOKIE "=%s; HttpOnly; SameSite=Lax; Path=/%s",
                 value, app->config.cookie_secure ? "; Secure" : "");
    else
        snprintf(cookie, sizeof cookie,
                 SIGNIN_COOKIE "=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0%s",
                 app->config.cookie_secure ? "; Secure" : "");
    h2o_iovec_t v = h2o_strdup(&req->pool, cookie, strlen(cookie));
    sodium_memzero(cookie, sizeof cookie);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_SET_COOKIE, NULL, v.base, v.len);
}

/* The throttling key of KIND ("user", "addr") and VALUE, in REQ's pool. */
static const char *throttle_key(h2o_req_t *req, const char *kind, const char *value)
{
    size_t len = strlen(kind) + 1 + strlen(value) + 1;
    char *key = h2o_mem_alloc_pool(&req->pool, len);
    snprintf(key, len, "%s:%s", kind, value);
    return key;
}

/* Have NAME_KEY or ADDR_KEY failed too often lately? Sets *THROTTLED;
 * the store's status otherwise. */
static enum dbf_store_status too_many_failures(struct serve_app *app, h2o_req_t *req,
                                               const char *name_key, const char *addr_key,
                                               bool *throttled)
{
    int64_t since = dbf_store_now(app->store) - SIGNIN_THROTTLE_WINDOW_SECONDS;
    int by_name = 0, by_addr = 0;
    enum dbf_store_status st = dbf_store_login_failures(app->store, name_key, since, &by_name);
    if (st == DBF_STORE_OK)
        st = dbf_store_login_failures(app->store, addr_key, since, &by_addr);
    if (st != DBF_STORE_OK)
        return st;
    *throttled = by_name >= SIGNIN_THROTTLE_PER_NAME || by_addr >= SIGNIN_THROTTLE_PER_ADDRESS;
    if (!*throttled)
        return DBF_STORE_OK;
    char seconds[24];
    int n = snprintf(seconds, sizeof seconds, "%d", SIGNIN_THROTTLE_WINDOW_SECONDS);
    h2o_iovec_t v = h2o_strdup(&req->pool, seconds, (size_t)n);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, v.base, v.len);
    log_event("signin_throttled",
              json_pack("{s:s,s:s}", "key",
                        by_name >= SIGNIN_THROTTLE_PER_NAME ? name_key : addr_key, "remote",
                        request_peer(req)));
    return DBF_STORE_OK;
}

enum dbf_store_status signin_start(struct serve_app *app, h2o_req_t *req,
                                   const struct dbf_user *user, char csrf[65])
{
    char session[DBF_STORE_SECRET_LEN + 1];
    enum dbf_store_status st =
        dbf_store_session_new(app->store, user->id, app->config.session_seconds, session);
    if (st != DBF_STORE_OK)
        return st;
    auth_csrf_token(session, csrf);
    set_cookie(app, req, session);
    sodium_memzero(session, sizeof session);
    log_event("signin", json_pack("{s:s,s:s}", "user", user->name, "remote", request_peer(req)));
    return DBF_STORE_OK;
}

enum signin_result signin_check(struct serve_app *app, h2o_req_t *req, const char *name,
                                const char *password, struct signin *out)
{
    memset(out, 0, sizeof *out);
    const char *name_key = throttle_key(req, "user", name);
    const char *addr_key = throttle_key(req, "addr", auth_client_address(app, req));
    bool throttled = false;
    out->status = too_many_failures(app, req, name_key, addr_key, &throttled);
    if (out->status != DBF_STORE_OK)
        return SIGNIN_FAILED;
    if (throttled)
        return SIGNIN_THROTTLED;
    out->status = dbf_store_login(app->store, name, password, &out->user);
    if (out->status == DBF_STORE_NOT_FOUND) {
        out->status = dbf_store_login_failure(app->store, name_key);
        if (out->status == DBF_STORE_OK)
            out->status = dbf_store_login_failure(app->store, addr_key);
        if (out->status != DBF_STORE_OK)
            return SIGNIN_FAILED;
        log_event("signin_failed",
                  json_pack("{s:s,s:s}", "user", name, "remote", request_peer(req)));
        return SIGNIN_WRONG;
    }
    if (out->status == DBF_STORE_OK)
        out->status = dbf_store_login_forget(app->store, name_key);
    if (out->status == DBF_STORE_OK)
        out->status = signin_start(app, req, &out->user, out->csrf);
    return out->status == DBF_STORE_OK ? SIGNIN_OK : SIGNIN_FAILED;
}

enum dbf_store_status signin_end(struct serve_app *app, h2o_req_t *req)
{
    const char *session = request_cookie(req, SIGNIN_COOKIE);
    if (session && *session) {
        enum dbf_store_status st = dbf_store_session_end(app->store, session);
        if (st != DBF_STORE_OK && st != DBF_STORE_NOT_FOUND)
            return st;
    }
    set_cookie(app, req, NULL);
    return DBF_STORE_OK;
}
