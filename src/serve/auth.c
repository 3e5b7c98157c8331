/* auth.c: who sent a request: bearer tokens, session cookies with CSRF
 * tokens, and a trusted proxy's user header. */
#include "serve.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The key of the CSRF tokens' hash. It need not be secret: the session id
 * it hashes is, and the key only keeps these hashes apart from any other
 * hash of a session id. */
static const unsigned char csrf_key[crypto_generichash_KEYBYTES] =
    "debrief csrf token v1 key......";

void auth_csrf_token(const char *session, char out[65])
{
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)session, strlen(session), csrf_key,
                       sizeof csrf_key);
    sodium_bin2hex(out, 65, hash, sizeof hash);
}

bool auth_in_team(const struct auth *auth, int64_t team)
{
    for (size_t i = 0; i < auth->team_count; i++) {
        if (auth->teams[i].id == team)
            return true;
    }
    return false;
}

bool auth_has_role(const struct auth *auth, enum dbf_role role)
{
    return auth->user.id != 0 && auth->user.role >= role;
}

/* The token of an "Authorization: Bearer TOKEN" header; NULL when there
 * is none. *MALFORMED is set for an Authorization header of another form. */
static const char *bearer_token(h2o_req_t *req, bool *malformed)
{
    *malformed = false;
    const char *value = request_header(req, "authorization");
    if (!value)
        return NULL;
    if (strncasecmp(value, "Bearer ", 7) != 0) {
        *malformed = true;
        return NULL;
    }
    value += 7;
    while (*value == ' ')
        value++;
    if (*value == '\0') {
        *malformed = true;
        return NULL;
    }
    return value;
}

/* Is REQ from one of the configured trusted proxies? */
static bool from_trusted_proxy(struct serve_app *app, h2o_req_t *req)
{
    const char *peer = request_peer(req);
    for (size_t i = 0; i < app->config.trusted_proxy_count; i++) {
        if (strcmp(app->config.trusted_proxies[i], peer) == 0)
            return true;
    }
    return false;
}

const char *auth_client_address(struct serve_app *app, h2o_req_t *req)
{
    const char *peer = request_peer(req);
    if (!from_trusted_proxy(app, req))
        return peer;
    const char *forwarded = request_header(req, "x-forwarded-for");
    if (!forwarded)
        return peer;
    const char *last = strrchr(forwarded, ',');
    last = last ? last + 1 : forwarded;
    while (*last == ' ')
        last++;
    size_t n = strcspn(last, " ");
    if (n == 0 || n > 64)
        return peer;
    return h2o_strdup(&req->pool, last, n).base;
}

static bool changes_state(const h2o_req_t *req)
{
    return !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) &&
           !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
}

/* Did a state-changing REQ come from this site's own pages, as far as the
 * browser says (Sec-Fetch-Site, Origin)? Users named by a trusted proxy's
 * header have no session and so no CSRF token: for them this is the
 * check, on the pages and the API alike. */
static bool from_same_site(h2o_req_t *req)
{
    const char *site = request_header(req, "sec-fetch-site");
    if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
        return false;
    const char *origin = request_header(req, "origin");
    if (!origin)
        return true;
    const char *rest = strstr(origin, "://");
    return rest && h2o_memis(rest + 3, strlen(rest + 3), req->authority.base, req->authority.len);
}

/* Does REQ carry the CSRF token EXPECTED, in the X-CSRF-Token header or
 * in a form's csrf_token field? Compared in constant time. */
static bool csrf_matches(h2o_req_t *req, const char *expected)
{
    const char *sent = request_header(req, "x-csrf-token");
    if (!sent)
        sent = request_form(req, "csrf_token");
    if (!sent || strlen(sent) != strlen(expected))
        return false;
    return sodium_memcmp(sent, expected, strlen(expected)) == 0;
}

/* Fills OUT's teams from the store. */
static enum dbf_store_status load_teams(struct serve_app *app, h2o_req_t *req, struct auth *out)
{
    struct dbf_team *teams = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_user_teams(app->store, out->user.id, &teams, &count);
    if (st != DBF_STORE_OK)
        return st;
    if (count > 0) {
        out->teams = h2o_mem_alloc_pool(&req->pool, count * sizeof *teams);
        memcpy(out->teams, teams, count * sizeof *teams);
    }
    out->team_count = count;
    free(teams);
    return DBF_STORE_OK;
}

/* Who REQ comes from, by token, cookie or proxy header: AUTH_OK with
 * OUT->user.id 0 for nobody, or why it cannot be told. */
static enum auth_outcome identify(struct serve_app *app, h2o_req_t *req, struct auth *out,
                                  enum dbf_store_status *store_status)
{
    bool malformed;
    const char *token = bearer_token(req, &malformed);
    if (malformed)
        return AUTH_BAD_HEADER;
    enum dbf_store_status st;
    if (token) {
        st = dbf_store_token_check(app->store, token, &out->user);
        if (st == DBF_STORE_NOT_FOUND)
            return AUTH_BAD_TOKEN;
        *store_status = st;
        return st == DBF_STORE_OK ? AUTH_OK : AUTH_STORE_FAILED;
    }
    const char *session = request_cookie(req, "debrief_session");
    if (session && *session) {
        st = dbf_store_session_check(app->store, session, &out->user);
        if (st == DBF_STORE_OK) {
            out->by_cookie = true;
            char *csrf = h2o_mem_alloc_pool(&req->pool, 65);
            auth_csrf_token(session, csrf);
            out->csrf = csrf;
            return AUTH_OK;
        }
        memset(&out->user, 0, sizeof out->user);
        if (st != DBF_STORE_NOT_FOUND) {
            *store_status = st;
            return AUTH_STORE_FAILED;
        }
    }
    if (app->config.proxy_user_header && from_trusted_proxy(app, req)) {
        const char *name = request_header(req, app->config.proxy_user_header);
        if (name && *name) {
            st = dbf_store_user_get(app->store, name, &out->user);
            out->by_proxy = st == DBF_STORE_OK;
            if (st == DBF_STORE_NOT_FOUND) {
                memset(&out->user, 0, sizeof out->user);
            } else if (st != DBF_STORE_OK) {
                *store_status = st;
                return AUTH_STORE_FAILED;
            }
        }
    }
    return AUTH_OK;
}

enum auth_outcome auth_check(struct serve_app *app, h2o_req_t *req, enum auth_need need,
                             struct auth *out, enum dbf_store_status *store_status)
{
    memset(out, 0, sizeof *out);
    *store_status = DBF_STORE_OK;
    enum auth_outcome outcome = identify(app, req, out, store_status);
    if (outcome != AUTH_OK)
        return outcome;
    if (out->user.id == 0)
        return need == AUTH_ANYONE ? AUTH_OK : AUTH_NOBODY;
    if (out->by_cookie && changes_state(req) && !csrf_matches(req, out->csrf))
        return AUTH_BAD_CSRF;
    if (out->by_proxy && changes_state(req) && !from_same_site(req))
        return AUTH_BAD_CSRF;
    if (need == AUTH_ADMIN && out->user.role != DBF_ROLE_ADMIN)
        return AUTH_NOT_ADMIN;
    *store_status = load_teams(app, req, out);
    return *store_status == DBF_STORE_OK ? AUTH_OK : AUTH_STORE_FAILED;
}

bool auth_begin(struct serve_app *app, h2o_req_t *req, enum auth_need need, struct auth *out)
{
    enum dbf_store_status st;
    switch (auth_check(app, req, need, out, &st)) {
    case AUTH_OK:
        return true;
    case AUTH_BAD_HEADER:
        respond_error(req, 401, "unauthorized",
                      "the Authorization header must be 'Bearer' and an API token");
        return false;
    case AUTH_BAD_TOKEN:
        respond_error(req, 401, "unauthorized", "unknown or revoked API token");
        return false;
    case AUTH_NOBODY:
        respond_error(req, 401, "unauthorized", "sign in first");
        return false;
    case AUTH_BAD_CSRF:
        respond_error(req, 403, "csrf",
                      out->by_proxy ? "a request from another site may not change anything"
                                    : "a request made with the session cookie must send its "
                                      "CSRF token in the X-CSRF-Token header");
        return false;
    case AUTH_NOT_ADMIN:
        respond_error(req, 403, "forbidden", "only an admin may do this");
        return false;
    case AUTH_STORE_FAILED:
        respond_store_error(app, req, st);
        return false;
    }
    return false;
}
