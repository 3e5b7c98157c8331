/* api_actions.c: action items. */
#include "serve.h"

int api_actions_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}

int api_action_update(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)app, (void)params;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return 0;
}
