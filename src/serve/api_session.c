/* api_session.c: sign-in sessions and the test clock. */
#include "serve.h"

int api_session_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_session_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_session_delete(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_test_clock(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_setup(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}
