/* pm_page_files.c: the Files part of the post mortem page (its
 * attachments, the files its text names that are missing, the upload
 * form) and the upload of a text file without JavaScript, which makes the
 * store call of PUT /api/v1/postmortems/:id/attachments/:name with the
 * same role check. pm_page_files.h says how the script enhances it. */
#include "pm_page_files.h"

#include "editor.h"

#include "debrief/render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* SIZE bytes for people: "812 bytes", "4.2 KiB", "1.5 MiB". */
static const char *size_text(int64_t size, char *buf, size_t len)
{
    if (size < 1024)
        snprintf(buf, len, "%" PRId64 " byte%s", size, size == 1 ? "" : "s");
    else if (size < 1024 * 1024)
        snprintf(buf, len, "%.1f KiB", (double)size / 1024);
    else
        snprintf(buf, len, "%.1f MiB", (double)size / (1024 * 1024));
    return buf;
}

static void list_html(struct pm_page *pp, const struct dbf_attachment *items, size_t count)
{
    struct dbf_buf *out = &pp->page.body;
    if (count == 0) {
        html(out, "<p class=\"empty\">No files uploaded.</p>\n");
        return;
    }
    html(out, "<div class=\"table-wrap\"><table class=\"files\"><thead><tr>"
              "<th scope=\"col\">Name</th><th scope=\"col\">Size</th>"
              "<th scope=\"col\">Version</th><th scope=\"col\">Uploaded by</th>"
              "<th scope=\"col\">When</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < count; i++) {
        const struct dbf_attachment *a = &items[i];
        char size[32], when[40];
        html(out,
             "<tr><td><a href=\"/api/v1/postmortems/%U/attachments/%U\" download>%s</a></td>"
             "<td>%s</td><td>%d</td><td>%s</td><td>%s</td></tr>\n",
             pp->slug, a->name, a->name, size_text(a->size, size, sizeof size), a->version,
             a->author_name, web_time(a->created, when, sizeof when));
    }
    html(out, "</tbody></table></div>\n");
}

/* Is NAME among the COUNT ITEMS? */
static bool uploaded(const struct dbf_attachment *items, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (items[i].name && strcmp(items[i].name, name) == 0)
            return true;
    return false;
}

static void missing_html(struct dbf_buf *out, const char *const *names, size_t named,
                         const struct dbf_attachment *items, size_t count)
{
    size_t missing = 0;
    for (size_t i = 0; i < named; i++) {
        if (uploaded(items, count, names[i]))
            continue;
        if (missing++ == 0)
            html(out, "<h3 id=\"files-missing\">Named by the document, not uploaded yet</h3>\n"
                      "<ul class=\"missing-files\">");
        html(out, "<li><code>%s</code></li>", names[i]);
    }
    if (missing)
        html(out, "</ul>\n");
}

static void upload_html(struct pm_page *pp, const struct pm_files_typed *typed)
{
    struct dbf_buf *out = &pp->page.body;
    /* Shown and used by static/app.js only: a file's bytes need a script. */
    html(out,
         "<form class=\"stacked upload-file\" hidden "
         "data-attachments=\"/api/v1/postmortems/%U/attachments/\">"
         "<h3>Upload a file</h3>"
         "<label for=\"upload-file\">File</label>"
         "<input type=\"file\" id=\"upload-file\" name=\"file\" required>"
         "<label for=\"upload-file-name\">Name in the document (empty: the file's own)</label>"
         "<input type=\"text\" id=\"upload-file-name\" name=\"name\" "
         "placeholder=\"metrics/p99.csv\" maxlength=\"255\">"
         "<p class=\"buttons\"><button type=\"submit\">Upload</button></p>"
         "<p class=\"upload-status\" role=\"status\"></p></form>\n",
         pp->slug);
    html(out, "<form method=\"post\" action=\"/postmortems/%U/files#files\" class=\"stacked\">",
         pp->slug);
    html_csrf_field(&pp->page);
    html(out,
         "<h3>Add a text file</h3>"
         "<p class=\"hint\">Metrics are CSV or JSON text: paste one here under the name the "
         "document uses for it. A new content adds a version; the same content adds "
         "nothing.</p>"
         "<label for=\"file-name\">Name</label>"
         "<input type=\"text\" id=\"file-name\" name=\"name\" required maxlength=\"255\" "
         "placeholder=\"metrics/p99.csv\" value=\"%s\">"
         "<label for=\"file-content\">Content</label>"
         "<textarea id=\"file-content\" name=\"content\" rows=\"8\" class=\"code\">\n%s"
         "</textarea>"
         "<p class=\"buttons\"><button type=\"submit\">Add the file</button></p></form>\n",
         typed && typed->name ? typed->name : "", typed && typed->content ? typed->content : "");
}

void pm_page_files_html(struct pm_page *pp, const struct dbf_attachment *items, size_t count,
                        const char *const *named, size_t named_count,
                        const struct pm_files_typed *typed)
{
    struct dbf_buf *out = &pp->page.body;
    html(out,
         "<section id=\"files\" class=\"panel\" aria-labelledby=\"files-heading\">"
         "<h2 id=\"files-heading\">Files (%z)</h2>\n",
         count);
    if (typed && typed->message)
        html(out, "<div class=\"error\" role=\"alert\" id=\"files-error\"><p>%s</p></div>\n",
             typed->message);
    list_html(pp, items, count);
    missing_html(out, named, named_count, items, count);
    if (auth_has_role(&pp->page.auth, DBF_ROLE_AUTHOR))
        upload_html(pp, typed);
    html(out, "</section>\n");
}

/* Shows the page of PP again with MESSAGE above the upload form holding
 * what was typed. */
static void refuse(struct pm_page *pp, int status, const char *message, const char *name,
                   const char *content)
{
    struct pm_files_typed typed = {message, name, content};
    pm_page_show_files(pp, &typed, status);
}

int web_pm_file_upload(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_page pp;
    if (!pm_page_open(app, req, params, &pp))
        return 0;
    const char *typed_name = request_form(req, "name");
    const char *sent = request_form(req, "content");
    char *content = NULL;
    size_t len = 0;
    if (sent) {
        len = strlen(sent);
        content = h2o_mem_alloc_pool(&req->pool, len + 1);
        memcpy(content, sent, len + 1);
        len = editor_unix_newlines(content);
    }
    if (!auth_has_role(&pp.page.auth, DBF_ROLE_AUTHOR)) {
        refuse(&pp, 403, "Uploading a file needs the author role.", typed_name, content);
        return 0;
    }
    if (!typed_name || !*typed_name || !content) {
        refuse(&pp, 400, "Give the file's name as the document writes it, and its content.",
               typed_name, content);
        return 0;
    }
    struct dbf_buf name;
    dbf_buf_init(&name, 0);
    if (!dbf_render_file_name(typed_name, &name) || name.failed) {
        dbf_buf_release(&name);
        refuse(&pp, 400,
               "That name cannot be a file inside the document's folder: write a relative path "
               "such as metrics/p99.csv, without '..', a backslash or a control character, of "
               "at most 255 bytes.",
               typed_name, content);
        return 0;
    }
    enum dbf_store_status st = dbf_store_attachment_put(app->store, pp.slug, name.data, content,
                                                        len, pp.page.auth.user.id, NULL);
    dbf_buf_release(&name);
    if (st == DBF_STORE_INVALID) {
        const char *why = dbf_store_message(app->store);
        refuse(&pp, 400, why && *why ? why : "The file was refused.", typed_name, content);
        return 0;
    }
    if (st != DBF_STORE_OK) {
        pm_page_abandon(&pp);
        web_store_error(app, req, st);
        return 0;
    }
    struct dbf_buf to;
    dbf_buf_init(&to, 0);
    html(&to, "/postmortems/%U#files", pp.slug);
    web_redirect(req, to.failed ? "/postmortems" : to.data);
    dbf_buf_release(&to);
    pm_page_abandon(&pp);
    return 0;
}
