/* pm_redacted.c: the redacted copy of a post mortem, published for
 * everyone: the newest revision without its restricted parts, with the
 * files (images, metrics) that the redacted text still names, and no
 * other: an image named only inside a restricted part stays private. */
#include "pm.h"
#include "pm_files.h"

#include "debrief/render.h"

#include <stdlib.h>
#include <string.h>

/* The redacted copy's Markdown: MARKDOWN without its restricted parts, its
 * front matter made to say it is public and has id COPY_SLUG (the lines of
 * `id`, `visibility` and `security` are rewritten in place, so every line
 * keeps its number). */
static char *redacted_markdown(const char *markdown, size_t len, const char *copy_slug, char *err,
                               size_t errlen)
{
    struct dbf_doc *doc = dbf_doc_parse("-", markdown, len, err, errlen);
    if (!doc)
        return NULL;
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    bool ok = dbf_render_redact_markdown(doc, &text, NULL);
    dbf_doc_free(doc);
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    const char *p = text.data, *end = text.data + text.len;
    bool in_front = text.len >= 4 && strncmp(text.data, "---", 3) == 0 &&
                    (text.data[3] == '\n' || text.data[3] == '\r');
    size_t line = 0;
    while (ok && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        line++;
        if (in_front && line > 1 && n >= 3 && strncmp(p, "---", 3) == 0)
            in_front = false;
        if (in_front && n >= 3 && strncmp(p, "id:", 3) == 0)
            dbf_buf_addf(&out, "id: %s", copy_slug);
        else if (in_front && n >= 11 && strncmp(p, "visibility:", 11) == 0)
            dbf_buf_adds(&out, "visibility: public");
        else if (in_front && n >= 9 && strncmp(p, "security:", 9) == 0)
            dbf_buf_adds(&out, "security: false");
        else
            dbf_buf_add(&out, p, n);
        if (nl)
            dbf_buf_addc(&out, '\n');
        p += n + (nl ? 1 : 0);
    }
    ok = ok && !text.failed && !out.failed;
    dbf_buf_release(&text);
    if (!ok) {
        snprintf(err, errlen, "out of memory");
        dbf_buf_release(&out);
        return NULL;
    }
    return dbf_buf_detach(&out, NULL);
}

/* Saves TEXT as OUT->slug, the redacted copy of VIEW's post mortem: a new
 * public post mortem, or a new revision of the one made before (which has
 * the same owner team; a post mortem of another team under that id makes
 * the id taken). */
static enum pm_redacted_result save_copy(struct serve_app *app, const struct pm_view *view,
                                         const char *text, struct pm_redacted *out)
{
    struct dbf_ingest in;
    char err[256];
    if (!dbf_ingest(NULL, text, strlen(text), &in, err, sizeof err)) {
        snprintf(out->message, sizeof out->message, "the redacted text cannot be read: %s", err);
        return PM_REDACTED_INVALID;
    }
    int64_t user = view->auth.user.id;
    enum pm_redacted_result result = PM_REDACTED_CREATED;
    struct dbf_postmortem existing;
    enum dbf_store_status st = dbf_store_pm_get(app->store, user, out->slug, &existing);
    if (st == DBF_STORE_NOT_FOUND) {
        st = dbf_store_pm_create(app->store, out->slug, view->pm.owner_team, DBF_VISIBILITY_PUBLIC,
                                 &in.content, user, NULL);
        out->revision = 1;
    } else if (st == DBF_STORE_OK && existing.owner_team != view->pm.owner_team) {
        /* Made by another team under the copy's name: not a copy to update,
         * nor one another team should be able to change afterwards. */
        dbf_postmortem_release(&existing);
        st = DBF_STORE_CONFLICT;
    } else if (st == DBF_STORE_OK) {
        result = PM_REDACTED_UPDATED;
        st = dbf_store_revision_save(app->store, out->slug, existing.revision, &in.content, user,
                                     &out->revision);
        if (st == DBF_STORE_OK && existing.visibility != DBF_VISIBILITY_PUBLIC)
            st = dbf_store_pm_set_visibility(app->store, out->slug, DBF_VISIBILITY_PUBLIC, user,
                                             "a redacted copy is for everyone");
        dbf_postmortem_release(&existing);
    }
    dbf_ingest_release(&in);
    if (st == DBF_STORE_OK)
        st = dbf_store_audit(app->store, user, "postmortem.redact", out->slug, view->slug);
    if (st == DBF_STORE_CONFLICT) {
        snprintf(out->message, sizeof out->message,
                 "the id of the redacted copy is taken by another post mortem");
        return PM_REDACTED_TAKEN;
    }
    if (st != DBF_STORE_OK) {
        out->store_status = st;
        return PM_REDACTED_STORE_FAILED;
    }
    return result;
}

/* Gives the copy COPY_SLUG the files of VIEW's post mortem that its
 * redacted TEXT names. */
static enum dbf_store_status copy_files(struct serve_app *app, const struct pm_view *view,
                                        const char *text, const char *copy_slug)
{
    char err[256];
    struct dbf_doc *doc = dbf_doc_parse("-", text, strlen(text), err, sizeof err);
    if (!doc)
        return DBF_STORE_INTERNAL; /* save_copy() read it: only memory can fail */
    enum dbf_store_status st =
        pm_files_copy_named(app->store, view->auth.user.id, doc, view->slug, copy_slug);
    dbf_doc_free(doc);
    return st;
}

enum pm_redacted_result pm_publish_redacted(struct serve_app *app, const struct pm_view *view,
                                            struct pm_redacted *out)
{
    static const char suffix[] = "-redacted";
    memset(out, 0, sizeof *out);
    if (!policy_is_owner(&view->actor)) {
        snprintf(out->message, sizeof out->message,
                 "only authors of the owner team and admins may publish a redacted copy");
        return PM_REDACTED_FORBIDDEN;
    }
    if (strlen(view->slug) + sizeof suffix - 1 > DBF_STORE_SLUG_MAX) {
        snprintf(out->message, sizeof out->message, "the id is too long to name a redacted copy");
        return PM_REDACTED_INVALID;
    }
    snprintf(out->slug, sizeof out->slug, "%s%s", view->slug, suffix);
    struct dbf_revision rev;
    enum dbf_store_status st =
        dbf_store_revision_get(app->store, view->auth.user.id, view->slug, 0, &rev);
    if (st != DBF_STORE_OK) {
        out->store_status = st;
        return PM_REDACTED_STORE_FAILED;
    }
    char err[256];
    char *text =
        redacted_markdown(rev.markdown ? rev.markdown : "", rev.length, out->slug, err, sizeof err);
    dbf_revision_release(&rev);
    if (!text) {
        snprintf(out->message, sizeof out->message, "the newest revision cannot be redacted: %s",
                 err);
        return PM_REDACTED_INVALID;
    }
    enum pm_redacted_result result = save_copy(app, view, text, out);
    if (result == PM_REDACTED_CREATED || result == PM_REDACTED_UPDATED) {
        st = copy_files(app, view, text, out->slug);
        if (st != DBF_STORE_OK) {
            out->store_status = st;
            result = PM_REDACTED_STORE_FAILED;
        }
    }
    free(text);
    return result;
}
