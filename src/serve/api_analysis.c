/* api_analysis.c: patterns and the review of a posted text. */
#include "serve.h"

int api_patterns(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_lint(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}
