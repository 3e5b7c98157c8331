/* pm_page.c: opening the page of one post mortem for the person asking,
 * and its badges. */
#include "pm_page.h"

#include <ctype.h>
#include <string.h>

void pm_page_not_found(struct serve_app *app, h2o_req_t *req)
{
    web_error(app, req, 404, "There is no such post mortem.");
}

bool pm_page_open(struct serve_app *app, h2o_req_t *req, const struct route_params *params,
                  struct pm_page *out)
{
    memset(out, 0, sizeof *out);
    if (!page_begin(app, req, AUTH_SIGNED_IN, "Post mortem", "postmortems", &out->page))
        return false;
    out->slug = request_param(req, params, "id");
    if (!out->slug || !dbf_ingest_slug_valid(out->slug)) {
        page_abandon(&out->page);
        pm_page_not_found(app, req);
        return false;
    }
    enum dbf_store_status st =
        dbf_store_pm_get(app->store, out->page.auth.user.id, out->slug, &out->pm);
    if (st != DBF_STORE_OK) {
        page_abandon(&out->page);
        if (st == DBF_STORE_NOT_FOUND)
            pm_page_not_found(app, req);
        else
            web_store_error(app, req, st);
        return false;
    }
    out->page.title = out->pm.title && *out->pm.title ? out->pm.title : out->slug;
    pm_actor_of(app, &out->page.auth, &out->pm, &out->actor);
    return true;
}

void pm_page_retitle(struct pm_page *pp, const char *prefix)
{
    struct dbf_buf title;
    dbf_buf_init(&title, 0);
    dbf_buf_addf(&title, "%s: %s", prefix, pp->page.title);
    if (!title.failed)
        pp->page.title = h2o_strdup(&pp->page.req->pool, title.data, title.len).base;
    dbf_buf_release(&title);
}

void pm_page_end(struct pm_page *pp, int status)
{
    page_end(&pp->page, status);
    dbf_postmortem_release(&pp->pm);
}

void pm_page_abandon(struct pm_page *pp)
{
    page_abandon(&pp->page);
    dbf_postmortem_release(&pp->pm);
}

void pm_severity_badge_html(struct dbf_buf *out, const struct dbf_postmortem *pm)
{
    if (!pm->severity[0])
        return;
    /* "SEV2", "sev 2", "P2": the first digit names the class. */
    const char *digit = pm->severity;
    while (*digit && !isdigit((unsigned char)*digit))
        digit++;
    char cls[8] = "sev";
    if (*digit >= '1' && *digit <= '4')
        snprintf(cls, sizeof cls, "sev-%c", *digit);
    html(out, "<span class=\"badge %s\" title=\"Severity\">%s</span>", cls, pm->severity);
}

void pm_badges_html(struct dbf_buf *out, const struct dbf_postmortem *pm)
{
    const char *status = dbf_pm_status_name(pm->status);
    html(out, "<span class=\"badge badge-%s\">%s</span> ", status, status);
    pm_severity_badge_html(out, pm);
}
