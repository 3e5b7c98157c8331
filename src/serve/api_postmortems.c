/* api_postmortems.c: post mortems and their revisions. */
#include "serve.h"

int api_pm_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_pm_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_pm_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_pm_update(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_pm_revisions(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_pm_revision(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_pm_diff(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_pm_redacted(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}
