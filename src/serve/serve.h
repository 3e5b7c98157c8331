/* serve.h: the parts of `debrief serve` and the contracts between them.
 *
 * server.c owns the socket and the event loop and calls router_dispatch for
 * every request; router.c maps method and path to a handler; respond.c
 * writes JSON answers; metrics.c and log.c record each finished request. */
#ifndef DEBRIEF_SERVE_H
#define DEBRIEF_SERVE_H

/* libh2o-evloop is h2o built on its own event loop, not libuv; its .pc file
 * does not say so. */
#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <jansson.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Largest request body accepted; a bigger one answers 413. */
#define SERVE_MAX_BODY (16u * 1024 * 1024)
/* Time allowed for a request's headers and body, and for an idle
 * keep-alive connection, in milliseconds. */
#define SERVE_REQUEST_TIMEOUT_MS 10000
/* After SIGTERM, how long requests in flight may take before the server
 * exits anyway, in milliseconds. */
#define SERVE_SHUTDOWN_GRACE_MS 15000

struct metrics;

/* What the handlers may read about the running server. */
struct serve_app {
    const char *listen; /* "ADDR:PORT" as configured */
    const char *db;     /* the database URL */
    time_t started;
    struct metrics *metrics;
};

/* ---- server.c ---- */

/* Listens on APP->listen and serves until SIGTERM or SIGINT, then stops
 * accepting, lets requests in flight finish and returns 0. Returns 2 after
 * printing "debrief: …" when the address is malformed or cannot be bound
 * (in use, not local, no permission). */
int server_run(struct serve_app *app);

/* ---- router.c ---- */

#define ROUTE_MAX_PARAMS 4

/* The ":name" segments of a matched path, in pattern order; values point
 * into the request's path and are not NUL-terminated. */
struct route_params {
    size_t count;
    struct {
        const char *name;
        h2o_iovec_t value;
    } items[ROUTE_MAX_PARAMS];
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
const char *router_label(const h2o_req_t *req);

/* ---- respond.c ---- */

/* Answers REQ with STATUS and BODY as application/json; steals BODY. */
void respond_json(h2o_req_t *req, int status, json_t *body);

/* Answers REQ with STATUS and {"error":{"code":CODE,"message":MESSAGE}}. */
void respond_error(h2o_req_t *req, int status, const char *code, const char *message);

/* Answers REQ with STATUS and TEXT of CONTENT_TYPE, copied. */
void respond_text(h2o_req_t *req, int status, const char *content_type, const char *text,
                  size_t len);

/* Registers on PATHCONF a filter that turns the plain-text errors h2o sends
 * by itself (413 for a body over the limit, 400 for a malformed body, …)
 * into the JSON error shape. */
void respond_register_error_filter(h2o_pathconf_t *pathconf);

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

/* The handler of GET /metrics: Prometheus text format 0.0.4. */
int metrics_handle(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

/* ---- log.c ---- */

/* Writes one JSON line on standard error for the finished REQ from ROUTE
 * that took SECONDS. */
void log_access(const h2o_req_t *req, const char *route, double seconds);

/* Writes one JSON line on standard error: {"time","event":EVENT} plus the
 * members of FIELDS (stolen; may be NULL). */
void log_event(const char *event, json_t *fields);

/* ---- health.c ---- */

/* The handler of GET /healthz: {"status":"ok","db":…,"uptime_seconds":…}. */
int health_handle(struct serve_app *app, h2o_req_t *req, const struct route_params *params);

#endif
