/* people_tokens.c: one's own API tokens, and the audit log (admin)
 * (docs/api/people.md).
 *
 * A token's secret is shown once, in the answer that makes it; lists and
 * the audit log never hold one, and an audit entry that somehow names one
 * shows "[redacted]" in its place. */
#include "people.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static json_t *token_json(const struct dbf_token *token)
{
    return json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)token->id, "label", token->label,
                     "created", json_time(token->created), "revoked", json_time(token->revoked));
}

int api_tokens_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    struct dbf_token *tokens = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_token_list(app->store, auth.user.id, &tokens, &count);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return 0;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(items, token_json(&tokens[i]));
    free(tokens);
    respond_json(req, 200, json_pack("{s:o}", "items", items));
    return 0;
}

int api_token_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    static const char *const fields[] = {"label", NULL};
    json_t *body = request_json(req, fields);
    if (!body)
        return 0;
    const char *label = NULL;
    if (!request_string(req, body, "label", false, DBF_STORE_NAME_MAX, &label)) {
        json_decref(body);
        return 0;
    }
    char token[DBF_STORE_SECRET_LEN + 1];
    int64_t id = 0;
    enum dbf_store_status st =
        dbf_store_token_new(app->store, auth.user.id, label ? label : "", token, &id);
    if (st != DBF_STORE_OK) {
        json_decref(body);
        respond_store_error(app, req, st);
        return 0;
    }
    respond_json(req, 201,
                 json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "token", token, "label",
                           label ? label : ""));
    json_decref(body);
    memset(token, 0, sizeof token);
    return 0;
}

int api_token_revoke(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    const char *text = request_param(req, params, "id");
    char *end = NULL;
    long long id = text && isdigit((unsigned char)*text) ? strtoll(text, &end, 10) : 0;
    if (id <= 0 || !end || *end) {
        respond_error(req, 400, "bad_request", "a token id is a whole number");
        return 0;
    }
    enum dbf_store_status st = dbf_store_token_revoke(app->store, auth.user.id, (int64_t)id);
    if (st == DBF_STORE_NOT_FOUND) {
        respond_error(req, 404, "not_found", "no such live token of yours");
        return 0;
    }
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return 0;
    }
    respond_json(req, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1));
    return 0;
}

/* Does TEXT hold a secret, "dbf_" and 64 hex digits, at S? */
static bool secret_at(const char *s)
{
    if (strncmp(s, "dbf_", 4) != 0)
        return false;
    for (int i = 4; i < DBF_STORE_SECRET_LEN; i++) {
        if (!isxdigit((unsigned char)s[i]))
            return false;
    }
    return true;
}

/* TEXT as a JSON string with any secret in it replaced by "[redacted]". */
static json_t *scrubbed(const char *text)
{
    if (!text)
        return json_null();
    size_t n = strlen(text);
    char *copy = malloc(n + 1);
    if (!copy)
        return NULL;
    size_t len = 0;
    for (size_t i = 0; i < n;) {
        if (n - i >= DBF_STORE_SECRET_LEN && secret_at(text + i)) {
            memcpy(copy + len, "[redacted]", 10);
            len += 10;
            i += DBF_STORE_SECRET_LEN;
        } else {
            copy[len++] = text[i++];
        }
    }
    copy[len] = '\0';
    json_t *out = json_string(copy);
    free(copy);
    return out;
}

int api_audit(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_ADMIN, &auth))
        return 0;
    long limit = 100;
    if (!request_query_int(req, "limit", 1, 1000, 100, &limit))
        return 0;
    struct dbf_audit_entry *entries = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_audit_list(app->store, (size_t)limit, &entries, &count);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return 0;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct dbf_audit_entry *e = &entries[i];
        json_t *actor = e->actor && e->actor_name[0] ? json_string(e->actor_name) : json_null();
        json_array_append_new(items,
                              json_pack("{s:o, s:s, s:o, s:o, s:o}", "actor", actor, "action",
                                        e->action, "target", scrubbed(e->target), "detail",
                                        scrubbed(e->detail), "created", json_time(e->created)));
    }
    dbf_audit_free(entries, count);
    respond_json(req, 200, json_pack("{s:o}", "items", items));
    return 0;
}
