/* serve.h: the parts of `debrief serve` and the contracts between them.
 *
 * server.c owns the socket and the event loop and calls router_dispatch for
 * every request; router.c maps method and path to a handler; request.c reads
 * what a request carries; auth.c says who sent it; respond.c writes JSON
 * answers; metrics.c and log.c record each finished request. The api_*.c
 * files hold the handlers of the JSON API, one resource each; docs/api/
 * describes what they answer. */
#ifndef DEBRIEF_SERVE_H
#define DEBRIEF_SERVE_H

/* libh2o-evloop is h2o built on its own event loop, not libuv; its .pc file
 * does not say so. */
#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <jansson.h>

#include "debrief/store.h"
#include "page_cache.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Largest request body accepted, on every route (an attachment's upload is
 * DBF_ATTACHMENT_MAX, the same); a bigger one answers 413. */
#define SERVE_MAX_BODY (16u * 1024 * 1024)
/* Time allowed for a request's headers and body, and for an idle
 * keep-alive connection, in milliseconds. */
#define SERVE_REQUEST_TIMEOUT_MS 10000
/* After SIGTERM, how long requests in flight may take before the server
 * exits anyway, in milliseconds. */
#define SERVE_SHUTDOWN_GRACE_MS 15000

struct metrics;

#define SERVE_MAX_PROXIES 8
#define SERVE_MAX_THREADS 256

/* The settings of a running server, from flags, environment and file. */
struct serve_config {
    int64_t review_seconds;        /* time in review before publishing (86400) */
    bool review_other_team;        /* the approval must come from another team (true) */
    int approvals_needed;          /* approvals before publishing (1) */
    bool cookie_secure;            /* mark cookies Secure (behind TLS) */
    int64_t session_seconds;       /* how long a sign-in lasts (7 days) */
    const char *proxy_user_header; /* e.g. "X-Remote-User"; NULL: off */
    const char *trusted_proxies[SERVE_MAX_PROXIES]; /* addresses allowed to send it */
    size_t trusted_proxy_count;
    bool test_clock; /* POST /api/v1/test/clock moves the clock */
};

/* What the handlers may read about the running server. */
struct serve_app {
    const char *listen; /* "ADDR:PORT" as configured */
    const char *db;     /* the database URL, its password hidden */
    time_t started;
    struct metrics *metrics;
    struct dbf_store *store; /* one connection, used by the event loop's thread */
    struct dbf_config *lint; /* the lint configuration (review.c), loaded at start */
    struct serve_config config;
    int64_t clock_offset; /* moved by POST /api/v1/test/clock, in seconds */
    const char *db_url;   /* the database URL as given, password and all */
    /* Reports and reviews kept between requests (page_cache.h; NULL: off,
     * with --cache-mb 0). Consulted only after the store's access check. */
    struct page_cache *pages;
    /* Event loop threads (--threads). server.c gives each thread a copy of
     * this struct with its own store, page cache of CACHE_BYTES and lint
     * configuration (read from LINT_CONFIG_PATH; NULL: the defaults); the
     * metrics are shared. */
    size_t threads;
    size_t cache_bytes;
    const char *lint_config_path;
};

/* ---- server.c ---- */

/* Listens on APP->listen and serves until SIGTERM or SIGINT, then stops
 * accepting, lets requests in flight finish and returns 0. Returns 2 after
 * printing "debrief: …" when the address is malformed or cannot be bound
 * (in use, not local, no permission). Once the address is bound, opens
 * APP->db_url into APP->store when APP->store is NULL (and closes it before
 * returning); returns 2 after printing why when it cannot. */
int server_run(struct serve_app *app);

/* Moves the clock of every thread's store by SECONDS (POST
 * /api/v1/test/clock) and returns the new offset; each thread applies it
 * before its next request. */
int64_t server_clock_move(int64_t seconds);

/* ---- router.c ---- */

#define ROUTE_MAX_PARAMS 4

#define ROUTE_MAX_PARAM_NAME 24

/* The ":name" segments of a matched path, in pattern order. Names are
 * NUL-terminated (they point into NAMES); values point into the request's
 * path and are not NUL-terminated. */
struct route_params {
    size_t count;
    struct {
        const char *name;
        h2o_iovec_t value;
    } items[ROUTE_MAX_PARAMS];
    char names[ROUTE_MAX_PARAMS][ROUTE_MAX_PARAM_NAME];
};

/* A handler answers REQ (with respond_*) and returns 0. */
typedef int (*route_handler)(struct serve_app *app, h2o_req_t *req,
                             const struct route_params *params);

/* Answers REQ: the handler of the route matching its method and path, or a
 * JSON 404 (no route has the path) or 405 with an Allow header (routes have
 * the path, none the method). HEAD is served by GET routes. */
int router_dispatch(struct serve_app *app, h2o_req_t *req);

/* The pattern of the route whose path matches REQ ("/healthz",
 * "/api/v1/postmortems/:id"), whatever the method; "unmatched" when none
 * does. For labels of metrics and logs, so the set of values is fixed. */
const char *router_label(h2o_req_t *req);

/* ---- request.c ---- */

/* Path parameter NAME of PARAMS, percent-decoded and NUL-terminated in
 * REQ's pool; NULL when absent or when it decodes to bad UTF-8 or a NUL. */
const char *request_param(h2o_req_t *req, const struct route_params *params, const char *name);

/* Query parameter NAME of REQ, decoded ('+' is a space) into REQ's pool;
 * NULL when absent (or when it decodes to bad UTF-8 or a NUL). The first
 * one wins when it is given twice. */
const char *request_query(h2o_req_t *req, const char *name);

/* Is every name and value of REQ's query string well escaped UTF-8 text
 * without a NUL? Answers 400 and returns false otherwise. server.c checks
 * every request with it before routing, so handlers never see such a
 * query. */
bool request_check_query(h2o_req_t *req);

/* Query parameter NAME as a whole number in MIN..MAX, or FALLBACK when
 * absent. Answers 400 and returns false when it is not such a number. */
bool request_query_int(h2o_req_t *req, const char *name, long min, long max, long fallback,
                       long *out);

/* The value of cookie NAME, NUL-terminated in REQ's pool, or NULL. */
const char *request_cookie(h2o_req_t *req, const char *name);

/* The value of header NAME (lower case), NUL-terminated in REQ's pool, or
 * NULL. */
const char *request_header(h2o_req_t *req, const char *name);

/* REQ's body as a JSON object whose members are all named in FIELDS
 * (NULL-terminated). Answers 415 (not JSON), 400 (bad JSON, bad UTF-8, not
 * an object, an unknown member) and returns NULL; the caller owns the
 * object otherwise. */
json_t *request_json(h2o_req_t *req, const char *const *fields);

/* Member NAME of BODY as a string: *OUT is NULL when it is absent or null.
 * Answers 400 and returns false when it is REQUIRED and missing, or is not
 * a string, or holds a NUL, or is longer than MAX bytes. */
bool request_string(h2o_req_t *req, json_t *body, const char *name, bool required, size_t max,
                    const char **out);

/* Member NAME of BODY as a whole number in MIN..MAX (FALLBACK when absent
 * and not REQUIRED); answers 400 and returns false otherwise. */
bool request_int(h2o_req_t *req, json_t *body, const char *name, bool required, long min, long max,
                 long fallback, long *out);

/* Member NAME of BODY as true or false (FALLBACK when absent); answers 400
 * and returns false when it is something else. */
bool request_bool(h2o_req_t *req, json_t *body, const char *name, bool fallback, bool *out);

/* The address REQ came from, as text ("192.0.2.1", "::1"), in REQ's pool. */
const char *request_peer(h2o_req_t *req);

/* Field NAME of an application/x-www-form-urlencoded body, decoded into
 * REQ's pool; NULL when absent, when the body is not a form, or when the
 * value decodes to bad UTF-8 or a NUL. The first one wins. */
const char *request_form(h2o_req_t *req, const char *name);

/* ---- auth.c ---- */

/* Who sent a request, and what they may do. */
struct auth {
    struct dbf_user user;   /* id 0 when nobody is signed in */
    bool by_cookie;         /* a session cookie, not a token or proxy header */
    bool by_proxy;          /* a trusted proxy's user header */
    struct dbf_team *teams; /* the user's teams, in REQ's pool */
    size_t team_count;
    const char *csrf; /* the session's CSRF token, or NULL */
};

enum auth_need {
    AUTH_ANYONE,    /* answer whoever asks */
    AUTH_SIGNED_IN, /* 401 for nobody */
    AUTH_ADMIN,     /* 401 for nobody, 403 for anyone but an admin */
};

/* Says who sent REQ: a bearer token, else a session cookie, else (when
 * configured, from a trusted proxy) the proxy's user header. Answers REQ
 * and returns false when it may not go on: nobody where NEED wants someone,
 * a non-admin where it wants an admin, an unknown token (401), or a
 * state-changing request (not GET or HEAD) made with a cookie whose
 * X-CSRF-Token header, or form field csrf_token, is not the session's
 * (403, code "csrf"). */
bool auth_begin(struct serve_app *app, h2o_req_t *req, enum auth_need need, struct auth *out);

/* What auth_check() found. */
enum auth_outcome {
    AUTH_OK,           /* OUT says who (user id 0 for nobody, where NEED allows) */
    AUTH_NOBODY,       /* nobody signed in, where NEED wants someone */
    AUTH_BAD_HEADER,   /* an Authorization header that is not "Bearer TOKEN" */
    AUTH_BAD_TOKEN,    /* an unknown or revoked API token */
    AUTH_BAD_CSRF,     /* a cookie request changing state without its CSRF token, or a
                          proxy-header request changing state from another site */
    AUTH_NOT_ADMIN,    /* someone other than an admin, where NEED wants one */
    AUTH_STORE_FAILED, /* the store failed: *STORE_STATUS says how */
};

/* What auth_begin() decides, without answering REQ: for the web pages,
 * which answer in HTML and send nobody to the sign-in page. */
enum auth_outcome auth_check(struct serve_app *app, h2o_req_t *req, enum auth_need need,
                             struct auth *out, enum dbf_store_status *store_status);

/* The address of the person behind REQ: its peer, or, when the peer is a
 * trusted proxy (--trusted-proxy), the last address of the X-Forwarded-For
 * header it added. In REQ's pool. For throttling and logs, never for
 * deciding whom to trust. */
const char *auth_client_address(struct serve_app *app, h2o_req_t *req);

/* Is the user of AUTH a member of TEAM? At least of ROLE? */
bool auth_in_team(const struct auth *auth, int64_t team);
bool auth_has_role(const struct auth *auth, enum dbf_role role);

/* The CSRF token of session SESSION (the cookie's value): a keyed hash of
 * it, so every server sharing the database computes the same one. Written
 * to OUT as 64 hex digits. */
void auth_csrf_token(const char *session, char out[65]);

/* ---- respond.c ---- */

/* Answers REQ with STATUS and BODY as application/json; steals BODY. */
void respond_json(h2o_req_t *req, int status, json_t *body);

/* Answers REQ with STATUS and {"error":{"code":CODE,"message":MESSAGE}}. */
void respond_error(h2o_req_t *req, int status, const char *code, const char *message);

/* Answers REQ with STATUS and the COUNT PARTS, one after the other, of
 * CONTENT_TYPE, sent as they are without a copy: they must live as long as
 * REQ (in its pool, kept with respond_keep(), or static). */
void respond_parts(h2o_req_t *req, int status, const char *content_type, h2o_iovec_t *parts,
                   size_t count);

/* Called by respond_parts() with each answer before it is sent, when set
 * (server.c sets response_cache_capture; NULL by default, so respond.c
 * stands alone). */
extern void (*respond_observer)(h2o_req_t *req, const h2o_iovec_t *parts, size_t count);

/* Frees DATA (from malloc) when REQ is done with. */
void respond_keep(h2o_req_t *req, void *data);

/* Answers REQ with STATUS and TEXT of CONTENT_TYPE, copied. */
void respond_text(h2o_req_t *req, int status, const char *content_type, const char *text,
                  size_t len);

/* Answers REQ for a store failure ST: 404 not found, 409 conflict, 400
 * invalid (with the store's message), 503 unavailable; 500 internal, whose
 * message is logged and not shown. */
void respond_store_error(struct serve_app *app, h2o_req_t *req, enum dbf_store_status st);

/* A time in seconds since the epoch as ISO 8601 UTC ("2026-11-26T21:19:38Z");
 * null for 0. */
json_t *json_time(int64_t seconds);

/* Registers on PATHCONF a filter that turns the plain-text errors h2o sends
 * by itself (413 for a body over the limit, 400 for a malformed body, …)
 * into the JSON error shape. */
void respond_register_error_filter(h2o_pathconf_t *pathconf);

/* ---- response_cache.c ---- */

#define RESPONSE_MAX_HEADERS 8

/* A request whose answer may be kept whole. */
struct response_capture {
    h2o_req_t *req;
    char key[512];
    char generation[256];
    struct kept_response *kept; /* the answer captured, until kept */
};

/* Answers REQ from the page cache (and returns true) when it holds the
 * answer to the very same question: a cacheable route (the post mortem
 * page, the list and search pages, the API's post mortem and list), GET or
 * HEAD, the same credentials, path and query, the same second of the
 * store's clock and the same generation of the database (any commit by
 * anyone changes it). Otherwise readies CAP to capture REQ's answer. Call
 * inside the request's read scope. */
bool response_cache_begin(struct serve_app *app, h2o_req_t *req, struct response_capture *cap);

/* respond_observer while the server runs: the answer of the request being
 * captured is copied when it is a 200. */
void response_cache_capture(h2o_req_t *req, const h2o_iovec_t *parts, size_t count);

/* Keeps the answer captured for CAP, when the database's generation did
 * not move while it was computed. */
void response_cache_end(struct serve_app *app, h2o_req_t *req, struct response_capture *cap);

/* ---- metrics.c ---- */

/* The counters of the server; NULL when out of memory. */
struct metrics *metrics_new(void);
void metrics_free(struct metrics *metrics);

/* Counts one finished request of ROUTE with METHOD and STATUS that took
 * SECONDS. */
void metrics_observe(struct metrics *metrics, const char *route, h2o_iovec_t method, int status,
                     double seconds);

/* Counts a connection opened (+1) or closed (-1). */
void metrics_connections(struct metrics *metrics, int delta);

/* Counts a failure of the database (unavailable or internal). */
void metrics_db_error(struct metrics *metrics);

/* The handler of GET /metrics: Prometheus text format 0.0.4. */
int metrics_handle(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* ---- log.c ---- */

/* Writes one JSON line on standard error for the finished REQ from ROUTE
 * that took SECONDS. */
void log_access(const h2o_req_t *req, const char *route, double seconds);

/* Writes one JSON line on standard error: {"time","event":EVENT} plus the
 * members of FIELDS (stolen; may be NULL). */
void log_event(const char *event, json_t *fields);

/* ---- The handlers of the JSON API (docs/api/), by resource ---- */

/* api_session.c: sign in (POST), who am I (GET), sign out (DELETE); the
 * first admin, made by POST /api/v1/setup only while there is no user. */
int api_setup(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_session_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_session_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_session_delete(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
/* POST /api/v1/test/clock: moves the store's clock; 404 unless test_clock. */
int api_test_clock(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* api_postmortems.c: the post mortems and their revisions. */
int api_pm_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_update(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_revisions(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_revision(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_diff(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_redacted(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* api_workflow.c: moves between draft, review and published; approvals. */
int api_pm_transitions(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_transition(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_approvals(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_approve(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* api_access.c: who may see a restricted post mortem; its owner team. */
int api_pm_access(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_grant(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_revoke(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_visibility(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_owners(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_reassign(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* api_attachments.c: the files a post mortem names, with their versions. */
int api_attachments_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_attachment_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_attachment_put(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_attachment_versions(struct serve_app *app, h2o_req_t *req,
                            const struct route_params *params);

/* api_comments.c */
int api_pm_comments(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_pm_comment(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* api_actions.c: action items across post mortems. */
int api_actions_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_action_update(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* api_analysis.c: patterns across post mortems; the review of a posted text. */
int api_patterns(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_lint(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* api_people.c: users, teams, memberships (admin), tokens (one's own), audit. */
int api_users_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_user_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_user_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_user_update(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_teams_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_team_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_team_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_member_add(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_member_remove(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_tokens_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_token_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_token_revoke(struct serve_app *app, h2o_req_t *req, const struct route_params *params);
int api_audit(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* ---- health.c ---- */

/* The handler of GET /healthz: {"status":"ok","db":…,"uptime_seconds":…}. */
int health_handle(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

#endif
