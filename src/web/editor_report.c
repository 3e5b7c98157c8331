/* editor_report.c: the review and the preview of a text being written, and
 * the difference between two texts, as HTML for the editor's pages. */
#include "editor.h"

#include "../serve/analysis.h"
#include "../serve/diff.h"
#include "../serve/pm_files.h"
#include "debrief/ingest.h"
#include "debrief/render.h"

#include <string.h>
#include <time.h>

/* A text typed into the server has no folder: its images and metric files
 * come from here, which has none, so no file of the server can be
 * embedded. */
static unsigned char *no_file(void *context, const char *name, size_t max, size_t *len, char *why,
                              size_t whylen)
{
    (void)context;
    (void)name;
    (void)max;
    *len = 0;
    snprintf(why, whylen, "no such file");
    return NULL;
}

static const struct dbf_render_files no_files = {no_file, NULL};

void editor_analyse(struct serve_app *app, const char *markdown, size_t len, int64_t today,
                    struct editor_analysis *out)
{
    memset(out, 0, sizeof *out);
    out->doc = dbf_doc_parse("-", markdown, len, out->error, sizeof out->error);
    if (!out->doc)
        return;
    out->review = review_text(app, out->doc, today);
    if (!out->review)
        snprintf(out->error, sizeof out->error, "out of memory while reviewing the text");
}

void editor_analysis_release(struct editor_analysis *analysis)
{
    dbf_review_free(analysis->review);
    dbf_doc_free(analysis->doc);
    memset(analysis, 0, sizeof *analysis);
}

void editor_findings_html(struct dbf_buf *out, const struct editor_analysis *a)
{
    html(out, "<h2>Review</h2>\n");
    if (!a->review) {
        html(out,
             "<p class=\"error\" role=\"alert\">The text cannot be read as a post mortem: %s</p>\n",
             a->error);
        return;
    }
    const struct dbf_review *r = a->review;
    html(out, "<p>Score: <span class=\"score\">%d</span> of 100</p>\n", r->score);
    if (r->finding_count == 0) {
        html(out, "<p>No findings.</p>\n");
        return;
    }
    html(out, "<p>%z finding%s</p>\n<ul class=\"findings\">\n", r->finding_count,
         r->finding_count == 1 ? "" : "s");
    for (size_t i = 0; i < r->finding_count; i++) {
        const struct dbf_finding *f = &r->findings[i];
        const char *sev = dbf_severity_name(f->severity);
        html(out, "<li class=\"finding-%s\"><strong>%s</strong> <code>%s</code> line %d: %s</li>\n",
             sev, sev, f->rule, f->pos.line, f->message);
    }
    html(out, "</ul>\n");
}

void editor_preview_html(struct dbf_buf *out, const struct editor_analysis *a)
{
    html(out, "<h2>Preview</h2>\n");
    if (!a->doc) {
        html(out, "<p>Nothing to show until the text can be read.</p>\n");
        return;
    }
    struct dbf_render_options options = {.files = &no_files, .fragment = true};
    if (!dbf_render_html(a->doc, &options, out, NULL))
        html(out, "<p class=\"error\">The report could not be drawn (out of memory).</p>\n");
}

void editor_preview_of_html(struct page *page, struct dbf_buf *out,
                            const struct editor_analysis *analysis, const char *slug)
{
    struct dbf_postmortem pm = {0};
    bool existing =
        slug && dbf_ingest_slug_valid(slug) &&
        dbf_store_pm_get(page->app->store, page->auth.user.id, slug, &pm) == DBF_STORE_OK;
    dbf_postmortem_release(&pm);
    if (!existing || !analysis->doc) {
        editor_preview_html(out, analysis);
        return;
    }
    struct pm_files files;
    pm_files_init(&files, page->app->store, page->auth.user.id, slug);
    struct dbf_render_options options = {.files = &files.source, .fragment = true};
    html(out, "<h2>Preview</h2>\n");
    if (!dbf_render_html(analysis->doc, &options, out, NULL))
        html(out, "<p class=\"error\">The report could not be drawn (out of memory).</p>\n");
}

/* One line of a diff: LEN bytes of TEXT, escaped. */
static void diff_text(struct dbf_buf *out, struct dbf_buf *scratch, const char *text, size_t len)
{
    dbf_buf_reset(scratch);
    dbf_buf_add(scratch, text, len);
    html(out, "%s", scratch->data);
}

/* Unchanged lines shown around each change. */
#define DIFF_CONTEXT 3

/* Is line I of D within DIFF_CONTEXT lines of a change? */
static bool near_change(const struct diff *d, size_t i)
{
    size_t from = i > DIFF_CONTEXT ? i - DIFF_CONTEXT : 0;
    size_t to = i + DIFF_CONTEXT < d->count ? i + DIFF_CONTEXT : d->count - 1;
    for (size_t j = from; j <= to; j++)
        if (d->lines[j].op != ' ')
            return true;
    return false;
}

void editor_diff_html(struct dbf_buf *out, const char *old, size_t old_len, const char *new_text,
                      size_t new_len)
{
    struct diff d;
    if (!diff_lines(old, old_len, new_text, new_len, 0, &d)) {
        html(out, "<p class=\"error\">The difference could not be computed (out of memory).</p>\n");
        return;
    }
    size_t added, removed;
    diff_count(&d, &added, &removed);
    if (added == 0 && removed == 0) {
        html(out, "<p>The two texts are the same.</p>\n");
        diff_release(&d);
        return;
    }
    html(out,
         "<p>%z line%s only in theirs (marked <del>-</del>, removed in yours), %z line%s only in "
         "yours (marked <ins>+</ins>)%s.</p>\n",
         removed, removed == 1 ? "" : "s", added, added == 1 ? "" : "s",
         d.approximate ? "; a long difference, shown as whole blocks" : "");
    /* No white space between the lines: the block keeps it (pre-wrap). */
    html(out, "<div class=\"diff\">");
    struct dbf_buf scratch;
    dbf_buf_init(&scratch, 0);
    size_t skipped = 0;
    for (size_t i = 0; i < d.count; i++) {
        const struct diff_line *l = &d.lines[i];
        if (l->op == ' ' && !near_change(&d, i)) {
            skipped++;
            continue;
        }
        if (skipped)
            html(out, "<div class=\"ctx muted\">  … %z unchanged line%s</div>", skipped,
                 skipped == 1 ? "" : "s");
        skipped = 0;
        if (l->op == '-')
            html(out, "<del>- ");
        else if (l->op == '+')
            html(out, "<ins>+ ");
        else
            html(out, "<div class=\"ctx\">  ");
        diff_text(out, &scratch, l->text, l->len);
        html(out, l->op == '-' ? "</del>" : l->op == '+' ? "</ins>" : "</div>");
    }
    if (skipped)
        html(out, "<div class=\"ctx muted\">  … %z unchanged line%s</div>", skipped,
             skipped == 1 ? "" : "s");
    html(out, "</div>\n");
    dbf_buf_release(&scratch);
    diff_release(&d);
}

size_t editor_unix_newlines(char *text)
{
    char *w = text;
    for (const char *r = text; *r; r++)
        if (!(r[0] == '\r' && r[1] == '\n'))
            *w++ = *r;
    *w = '\0';
    return (size_t)(w - text);
}
