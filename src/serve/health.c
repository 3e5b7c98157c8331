/* health.c: GET /healthz, the liveness answer for load balancers. */
#include "serve.h"

int health_handle(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    time_t now = time(NULL);
    json_t *body = json_pack("{s:s,s:s,s:I}", "status", "ok", "db", app->db, "uptime_seconds",
                             (json_int_t)(now > app->started ? now - app->started : 0));
    respond_json(req, 200, body);
    return 0;
}
