/* health.c: GET /healthz, the liveness answer for load balancers: ok only
 * when the database answers too. */
#include "serve.h"

int health_handle(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    int version = 0;
    enum dbf_store_status st = dbf_store_schema_version(app->store, &version);
    if (st != DBF_STORE_OK) {
        metrics_db_error(app->metrics);
        const char *said = dbf_store_message(app->store);
        log_event("health_db_failed", json_pack("{s:s,s:s}", "status", dbf_store_status_name(st),
                                                "message", said ? said : ""));
        respond_json(req, 503, json_pack("{s:s,s:s}", "status", "unavailable", "db", app->db));
        return 0;
    }
    time_t now = time(NULL);
    json_t *body =
        json_pack("{s:s,s:s,s:i,s:I}", "status", "ok", "db", app->db, "schema_version", version,
                  "uptime_seconds", (json_int_t)(now > app->started ? now - app->started : 0));
    respond_json(req, 200, body);
    return 0;
}
