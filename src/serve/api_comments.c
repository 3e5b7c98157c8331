/* api_comments.c: comments. */
#include "serve.h"

int api_pm_comments(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_pm_comment(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}
