/* request.c: what a request carries: path and query parameters, cookies,
 * headers and JSON bodies, checked. */
#include "serve.h"

const char *request_param(h2o_req_t *req, const struct route_params *params, const char *name)
{
    (void)req, (void)params, (void)name;
    return NULL;
}

const char *request_query(h2o_req_t *req, const char *name)
{
    (void)req, (void)name;
    return NULL;
}

bool request_query_int(h2o_req_t *req, const char *name, long min, long max, long fallback,
                       long *out)
{
    (void)req, (void)name, (void)min, (void)max;
    *out = fallback;
    return true;
}

const char *request_cookie(h2o_req_t *req, const char *name)
{
    (void)req, (void)name;
    return NULL;
}

const char *request_header(h2o_req_t *req, const char *name)
{
    (void)req, (void)name;
    return NULL;
}

json_t *request_json(h2o_req_t *req, const char *const *fields)
{
    (void)fields;
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return NULL;
}

bool request_string(h2o_req_t *req, json_t *body, const char *name, bool required, size_t max,
                    const char **out)
{
    (void)req, (void)body, (void)name, (void)required, (void)max;
    *out = NULL;
    return false;
}

bool request_int(h2o_req_t *req, json_t *body, const char *name, bool required, long min, long max,
                 long fallback, long *out)
{
    (void)req, (void)body, (void)name, (void)required, (void)min, (void)max;
    *out = fallback;
    return false;
}

bool request_bool(h2o_req_t *req, json_t *body, const char *name, bool fallback, bool *out)
{
    (void)req, (void)body, (void)name;
    *out = fallback;
    return false;
}

const char *request_peer(h2o_req_t *req)
{
    (void)req;
    return "";
}
