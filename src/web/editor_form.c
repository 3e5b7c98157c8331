/* editor_form.c: the editor: a form with the text, its findings beside it
 * and its preview below (editor.h has the contract with static/app.js). */
#include "editor.h"

void editor_form_html(struct page *page, const struct editor_form *form)
{
    struct dbf_buf *out = &page->body;
    struct editor_analysis analysis;
    editor_analyse(page->app, form->markdown, form->len, form->today, &analysis);

    html(out, "<div class=\"with-aside\">\n<div class=\"primary\">\n");
    if (form->slug)
        html(out, "<form method=\"post\" action=\"/postmortems/%U/edit\" class=\"editor\" ",
             form->slug);
    else
        html(out, "<form method=\"post\" action=\"/preview\" class=\"editor\" ");
    html(out, "data-findings-target=\"#findings\" data-preview-target=\"#preview\">\n");
    html_csrf_field(page);
    if (form->slug) {
        html(out, "<input type=\"hidden\" name=\"id\" value=\"%s\">\n", form->slug);
        html(out, "<input type=\"hidden\" name=\"base_revision\" value=\"%d\">\n", form->base);
    }
    /* The newline after <textarea> is dropped by every HTML parser, so a
     * text that starts with one keeps it. */
    html(out, "<label for=\"markdown\">Markdown of the post mortem</label>\n"
              "<textarea id=\"markdown\" name=\"markdown\" class=\"editor\" rows=\"30\" "
              "cols=\"80\" spellcheck=\"true\" "
              "data-live>\n");
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    dbf_buf_add(&text, form->markdown, form->len);
    html(out, "%s", text.data);
    dbf_buf_release(&text);
    html(out, "</textarea>\n<p class=\"buttons\">");
    if (form->slug)
        html(out,
             "<button type=\"submit\">Save</button> "
             "<button type=\"submit\" class=\"secondary\" formaction=\"/preview\">Preview</button> "
             "<a href=\"/postmortems/%U\">Cancel</a>",
             form->slug);
    else
        html(out, "<button type=\"submit\">Preview</button>");
    html(out, "</p>\n</form>\n</div>\n");

    html(out, "<aside id=\"findings\" class=\"findings-panel\" aria-live=\"polite\">\n");
    editor_findings_html(out, &analysis);
    html(out,
         "</aside>\n</div>\n<section id=\"preview\" class=\"preview\" aria-label=\"Preview\">\n");
    editor_preview_of_html(page, out, &analysis, form->slug);
    html(out, "</section>\n");
    editor_analysis_release(&analysis);
}
