/* api_comments.c: the comments on a post mortem, oldest first. */
#include "pm.h"

#include <stdlib.h>

#define COMMENT_MAX 20000

static json_t *comments_json(struct serve_app *app, const struct pm_view *view,
                             enum dbf_store_status *st)
{
    struct dbf_comment *comments = NULL;
    size_t count = 0;
    *st = dbf_store_comments(app->store, view->auth.user.id, view->slug, &comments, &count);
    if (*st != DBF_STORE_OK)
        return NULL;
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++) {
        const struct dbf_comment *c = &comments[i];
        json_array_append_new(items,
                              json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)c->id, "author",
                                        c->author_name, "body", c->body ? c->body : "", "created",
                                        json_time(c->created)));
    }
    dbf_comments_free(comments, count);
    return json_pack("{s:o}", "items", items);
}

int api_pm_comments(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    return pm_answer(app, req, params, comments_json);
}

int api_pm_comment(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    json_t *body = NULL;
    const char *text;
    if (!auth_has_role(&view.auth, DBF_ROLE_AUTHOR)) {
        respond_error(req, 403, "forbidden", "commenting needs the author role");
        goto done;
    }
    static const char *const fields[] = {"body", NULL};
    body = request_json(req, fields);
    if (!body || !request_string(req, body, "body", true, COMMENT_MAX, &text))
        goto done;
    if (!*text) {
        respond_error(req, 400, "bad_request", "'body' must not be empty");
        goto done;
    }
    int64_t id = 0;
    enum dbf_store_status st =
        dbf_store_comment_add(app->store, view.slug, view.auth.user.id, text, &id);
    pm_respond_stored(app, req, st, 201,
                      json_pack("{s:I, s:s}", "id", (json_int_t)id, "author", view.auth.user.name));
done:
    json_decref(body);
    pm_view_release(&view);
    return 0;
}
