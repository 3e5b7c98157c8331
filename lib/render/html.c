/* html.c: the report page, put together from its parts.
 *
 * Order of work: redact the source (under --redacted) and parse what is
 * left, analyse the timeline, draw the charts and the why tree, render the
 * body with the figures placed in their sections, then write the page:
 * head with the stylesheet and a Content-Security-Policy that allows no
 * script and no request, the header, the contents, the body, the review.
 * A fragment leaves out the head and footer and brings its stylesheet
 * scoped to its wrapper instead. */
#include "charts.h"
#include "debrief/debrief.h"
#include "parts.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define GAP_SECONDS (15 * 60)

void dbf__notes_add(struct dbf__page *page, int line, const char *fmt, ...)
{
    if (!page->notes)
        return;
    va_list ap;
    va_start(ap, fmt);
    dbf_buf_addf(page->notes, "%d: ", line);
    dbf_buf_vaddf(page->notes, fmt, ap);
    dbf_buf_addc(page->notes, '\n');
    va_end(ap);
}

void dbf__note_html(struct dbf_buf *out, bool inline_note, const char *text)
{
    dbf_buf_adds(out, inline_note ? "<span class=\"note\" role=\"note\">"
                                  : "<p class=\"note\" role=\"note\">");
    dbf_buf_add_html(out, text);
    dbf_buf_adds(out, inline_note ? "</span>" : "</p>\n");
}

static bool id_taken(const struct dbf__page *page, const char *id)
{
    for (size_t i = 0; i < page->id_count; i++)
        if (strcmp(page->ids[i], id) == 0)
            return true;
    return false;
}

void dbf__slug(const char *text, struct dbf_buf *slug)
{
    bool dash = false;
    size_t start = slug->len;
    for (const unsigned char *p = (const unsigned char *)text; *p && slug->len - start < 64; p++) {
        if (isalnum(*p) || *p >= 0x80) {
            if (dash && slug->len > start)
                dbf_buf_addc(slug, '-');
            dbf_buf_addc(slug, (char)tolower(*p));
            dash = false;
        } else {
            dash = true;
        }
    }
    if (slug->len == start)
        dbf_buf_adds(slug, "section");
}

bool dbf__page_has_id(const struct dbf__page *page, const char *id)
{
    return id_taken(page, id);
}

const char *dbf__page_id(struct dbf__page *page, const char *text)
{
    struct dbf_buf slug;
    dbf_buf_init(&slug, 256);
    dbf__slug(text, &slug);
    size_t stem = slug.len;
    for (int n = 2; id_taken(page, slug.data); n++) {
        slug.len = stem;
        slug.data[stem] = '\0';
        dbf_buf_addf(&slug, "-%d", n);
    }
    if (page->id_count == page->id_cap) {
        size_t cap = page->id_cap ? page->id_cap * 2 : 32;
        char **grown = realloc(page->ids, cap * sizeof *grown);
        if (!grown) {
            dbf_buf_release(&slug);
            return "section";
        }
        page->ids = grown;
        page->id_cap = cap;
    }
    char *id = dbf_buf_detach(&slug, NULL);
    if (!id)
        return "section";
    page->ids[page->id_count++] = id;
    return id;
}

void dbf__page_release(struct dbf__page *page)
{
    for (size_t i = 0; i < page->id_count; i++)
        free(page->ids[i]);
    free(page->ids);
    page->ids = NULL;
    page->id_count = page->id_cap = 0;
}

static void head(struct dbf__page *page, struct dbf_buf *out)
{
    const struct dbf_doc *doc = page->doc;
    dbf_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'; img-src data:; script-src 'none'; "
                      "base-uri 'none'; form-action 'none'\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"referrer\" content=\"no-referrer\">\n");
    dbf_buf_addf(out, "<meta name=\"generator\" content=\"debrief %s\">\n", DEBRIEF_VERSION);
    dbf_buf_adds(out, "<title>");
    dbf_buf_add_html(out, doc->title ? doc->title : "Untitled post mortem");
    dbf_buf_adds(out, page->redacted ? " (redacted)" : "");
    dbf_buf_adds(out, "</title>\n<style>\n");
    dbf_buf_adds(out, dbf__page_css);
    dbf_buf_adds(out, "</style>\n</head>\n");
}

static void contents(struct dbf_buf *out, const struct dbf__toc *toc, bool review)
{
    int top = 7;
    for (size_t i = 0; i < toc->count; i++)
        if (toc->entries[i].level < top)
            top = toc->entries[i].level;
    size_t shown = 0;
    for (size_t i = 0; i < toc->count; i++)
        shown += toc->entries[i].level == top;
    if (shown < 3)
        return;
    dbf_buf_adds(out, "<nav class=\"contents\" aria-labelledby=\"contents\">\n"
                      "<h2 id=\"contents\">Contents</h2>\n<ol>");
    for (size_t i = 0; i < toc->count; i++) {
        if (toc->entries[i].level != top)
            continue;
        dbf_buf_adds(out, "<li><a href=\"#");
        dbf_buf_add_html(out, toc->entries[i].id);
        dbf_buf_adds(out, "\">");
        dbf_buf_add_html(out, toc->entries[i].text);
        dbf_buf_adds(out, "</a></li>");
    }
    if (review)
        dbf_buf_adds(out, "<li><a href=\"#review\">Review</a></li>");
    dbf_buf_adds(out, "</ol>\n</nav>\n");
}

/* The redacted document: the source with its restricted parts removed,
 * parsed again. Falls back to dropping the whole front matter when what is
 * left of it is not valid YAML any more. */
static struct dbf_doc *redacted_doc(const struct dbf_doc *doc, struct dbf__redaction *r)
{
    char err[256];
    struct dbf_doc *red =
        dbf_doc_parse(doc->path, r->markdown.data, r->markdown.len, err, sizeof err);
    if (red || !doc->meta.has_front_matter)
        return red;
    for (int l = 1; l <= doc->meta.front_matter_end && l <= r->line_count; l++)
        r->line_removed[l] = true;
    const char *src = r->markdown.data;
    int line = 1;
    size_t i = 0;
    while (i < r->markdown.len && line <= doc->meta.front_matter_end)
        line += src[i++] == '\n';
    struct dbf_buf body;
    dbf_buf_init(&body, 0);
    for (int l = 1; l <= doc->meta.front_matter_end; l++)
        dbf_buf_addc(&body, '\n');
    dbf_buf_add(&body, src + i, r->markdown.len - i);
    red = dbf_doc_parse(doc->path, body.data, body.len, err, sizeof err);
    dbf_buf_release(&body);
    return red;
}

/* Secrets of the front matter that are still written in the text. */
static void note_leaks(struct dbf__page *page, const struct dbf__redaction *r)
{
    const struct dbf_doc *doc = page->doc;
    for (size_t i = 0; i < r->secret_count; i++) {
        for (int l = doc->meta.front_matter_end + 1; l <= doc->line_count; l++) {
            size_t len;
            const char *text = dbf_doc_line(doc, l, &len);
            char *line = text ? strndup(text, len) : NULL;
            bool found = line && strcasestr(line, r->secrets[i]);
            free(line);
            if (found) {
                dbf__notes_add(page, l,
                               "'%s' from the restricted front matter is still in the text; "
                               "put it between <!-- restricted --> and <!-- /restricted --> to "
                               "leave it out",
                               r->secrets[i]);
                break;
            }
        }
    }
}

static int by_line(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    long lx = strtol(*x, NULL, 10), ly = strtol(*y, NULL, 10);
    if (lx != ly)
        return lx < ly ? -1 : 1;
    return *x < *y ? -1 : *x > *y; /* stable: they point into one buffer, in order */
}

/* Puts the notes added since FROM in the order of their lines. */
static void sort_notes(struct dbf_buf *notes, size_t from)
{
    if (!notes || notes->failed || notes->len <= from)
        return;
    size_t count = 0;
    for (size_t i = from; i < notes->len; i++)
        count += notes->data[i] == '\n';
    char *copy = strndup(notes->data + from, notes->len - from);
    const char **lines = calloc(count + 1, sizeof *lines);
    if (copy && lines) {
        size_t n = 0;
        for (char *p = copy; *p && n < count; n++) {
            lines[n] = p;
            char *nl = strchr(p, '\n');
            if (!nl)
                break;
            *nl = '\0';
            p = nl + 1;
        }
        qsort(lines, n, sizeof *lines, by_line);
        notes->len = from;
        notes->data[from] = '\0';
        for (size_t i = 0; i < n; i++) {
            dbf_buf_adds(notes, lines[i]);
            dbf_buf_addc(notes, '\n');
        }
    }
    free(copy);
    free(lines);
}

bool dbf_render_html(const struct dbf_doc *doc, const struct dbf_render_options *options,
                     struct dbf_buf *out, struct dbf_buf *notes)
{
    size_t notes_from = notes ? notes->len : 0;
    static const struct dbf_render_options defaults = {0};
    if (!options)
        options = &defaults;
    struct dbf__page page = {.doc = doc,
                             .base_dir = options->base_dir,
                             .files = options->files,
                             .redacted = options->redacted,
                             .status = options->status,
                             .notes = notes};
    dbf__page_id(&page, "review");
    dbf__page_id(&page, "contents");

    struct dbf__redaction redaction;
    struct dbf_doc *red = NULL;
    if (options->redacted) {
        dbf__redact(doc, &redaction, &page);
        red = redaction.markdown.failed ? NULL : redacted_doc(doc, &redaction);
        if (!red) {
            dbf__redaction_release(&redaction);
            dbf__page_release(&page);
            out->failed = true;
            return false;
        }
        page.doc = red;
        note_leaks(&page, &redaction);
    }
    page.timeline = dbf_timeline_analyse(page.doc, GAP_SECONDS);

    struct dbf_buf timeline_html, metrics_html, whys_html, body, header;
    dbf_buf_init(&timeline_html, 0);
    dbf_buf_init(&metrics_html, 0);
    dbf_buf_init(&whys_html, 0);
    dbf_buf_init(&body, 0);
    dbf_buf_init(&header, 0);
    dbf__charts_html(&page, &timeline_html, &metrics_html);
    dbf__whys_html(page.doc, &whys_html);
    dbf__header_html(&page, &header);
    struct dbf__figures figures = {
        timeline_html.data, metrics_html.data, whys_html.data, false, false, false};
    struct dbf__toc toc = {0};
    dbf__body_html(&page, &figures, &body, &toc);

    if (options->fragment) {
        dbf_buf_adds(out, "<div class=\"" DBF_RENDER_FRAGMENT_CLASS "\">\n<style>\n");
        dbf__css_scoped(dbf__page_css, DBF_RENDER_FRAGMENT_CLASS, out);
        dbf_buf_adds(out, "</style>\n");
    } else {
        head(&page, out);
        dbf_buf_adds(out, "<body>\n<div class=\"page\">\n");
    }
    dbf_buf_add(out, header.data, header.len);
    contents(out, &toc, options->findings != NULL);
    /* A fragment sits inside the page's own <main>: one landmark per page. */
    const char *main_element = options->fragment ? "div" : "main";
    dbf_buf_addf(out, "<%s class=\"page-main\">\n", main_element);
    if ((!figures.timeline_placed && timeline_html.len) ||
        (!figures.metrics_placed && metrics_html.len)) {
        dbf_buf_adds(out, "<section class=\"figures\" aria-label=\"Charts\">\n");
        if (!figures.timeline_placed)
            dbf_buf_add(out, timeline_html.data, timeline_html.len);
        if (!figures.metrics_placed)
            dbf_buf_add(out, metrics_html.data, metrics_html.len);
        dbf_buf_adds(out, "</section>\n");
    }
    dbf_buf_add(out, body.data, body.len);
    if (!figures.whys_placed && whys_html.len)
        dbf_buf_add(out, whys_html.data, whys_html.len);
    dbf_buf_addf(out, "</%s>\n", main_element);
    if (options->findings)
        dbf__findings_html(options->findings, options->redacted ? &redaction : NULL, out);
    if (options->fragment) {
        dbf_buf_adds(out, "</div>\n");
    } else {
        dbf_buf_addf(out, "<footer class=\"page-footer\">Rendered by debrief %s%s.</footer>\n",
                     DEBRIEF_VERSION, options->redacted ? "; redacted version" : "");
        dbf_buf_adds(out, "</div>\n</body>\n</html>\n");
    }

    bool ok = !(body.failed || header.failed || timeline_html.failed || metrics_html.failed ||
                whys_html.failed);
    if (!ok)
        out->failed = true;
    dbf__toc_release(&toc);
    dbf_buf_release(&timeline_html);
    dbf_buf_release(&metrics_html);
    dbf_buf_release(&whys_html);
    dbf_buf_release(&body);
    dbf_buf_release(&header);
    dbf_timeline_analysis_free(page.timeline);
    if (options->redacted) {
        dbf__redaction_release(&redaction);
        dbf_doc_free(red);
    }
    dbf__page_release(&page);
    sort_notes(notes, notes_from);
    return !out->failed;
}
