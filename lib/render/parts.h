/* parts.h: the pieces of the report page that html.c puts together.
 *
 * Every piece appends to a `struct dbf_buf` and never fails on its own: a
 * problem with what the document points at (an image outside its folder, a
 * broken graph) is drawn on the page as a note and reported through
 * dbf__notes_add(). Text from the document reaches the page only through
 * dbf_buf_add_html() or cmark-gfm's safe renderer. */
#ifndef DBF_RENDER_PARTS_H
#define DBF_RENDER_PARTS_H

#include "debrief/buf.h"
#include "debrief/doc.h"
#include "debrief/lint.h"
#include "debrief/render.h"
#include "debrief/timeline.h"

#include <stdbool.h>
#include <stddef.h>

/* What the pieces of one render share. */
struct dbf__page {
    const struct dbf_doc *doc; /* the document drawn (the redacted one under --redacted) */
    const char *base_dir;      /* images and metrics come from here or below */
    const struct dbf_render_files *files; /* or from here, when non-NULL */
    size_t images_embedded, image_bytes;  /* so far, against the limits of images.c */
    bool redacted;
    const char *status;                     /* shown instead of the front matter's, or NULL */
    struct dbf_buf *notes;                  /* NULL when the caller does not want them */
    struct dbf_timeline_analysis *timeline; /* may be NULL when memory ran out */
    char **ids;                             /* element ids handed out, to keep them unique */
    size_t id_count, id_cap;
};

/* Adds "LINE: message" to the page's notes. */
void dbf__notes_add(struct dbf__page *page, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends a visible note (a <p>, or a <span> when INLINE) with TEXT escaped. */
void dbf__note_html(struct dbf_buf *out, bool inline_note, const char *text);

/* A unique element id made from TEXT ("Root cause" -> "root-cause",
 * then "root-cause-2"), owned by PAGE. */
const char *dbf__page_id(struct dbf__page *page, const char *text);
/* Appends TEXT as an id would be made from it, without making it unique. */
void dbf__slug(const char *text, struct dbf_buf *slug);
bool dbf__page_has_id(const struct dbf__page *page, const char *id);
void dbf__page_release(struct dbf__page *page);

/* redact.c: the document's Markdown with the restricted parts blanked out.
 * Lines keep their numbers: a removed line stays as an empty line. */
struct dbf__redaction {
    struct dbf_buf markdown; /* the redacted source */
    bool *line_removed;      /* [line] for lines 1..line_count of the original */
    int line_count;
    char **secrets; /* restricted front matter values, for scrubbing */
    size_t secret_count;
};

/* Fills R (which the caller releases with dbf__redaction_release) from DOC.
 * Problems (an unclosed restricted block) go to PAGE's notes when PAGE is
 * non-NULL. */
void dbf__redact(const struct dbf_doc *doc, struct dbf__redaction *r, struct dbf__page *page);
void dbf__redaction_release(struct dbf__redaction *r);

/* Appends S to OUT, HTML-escaped, with every secret of R replaced by
 * "[redacted]". */
void dbf__add_scrubbed(struct dbf_buf *out, const char *s, const struct dbf__redaction *r);

/* images.c: an image of the document as an <img> with a data URI, a link for a
 * remote image, or a note when it is refused. LINE is where it is written. */
void dbf__image_html(struct dbf__page *page, struct dbf_buf *out, const char *url, const char *alt,
                     const char *title, int line);

/* files.c: reads the file the document names PATH, at most MAX bytes, from
 * the page's file source or its folder. Returns a malloc'd copy with a NUL
 * after the *LEN bytes, or NULL with the reason in WHY. */
unsigned char *dbf__file_read(const struct dbf__page *page, const char *path, size_t max,
                              size_t *len, char *why, size_t whylen);

/* Opens the file at PATH from the page's folder for reading in pieces: its
 * descriptor (the caller closes it) and *SIZE, after the same checks as
 * dbf__file_read(). -1 with the reason in WHY when it cannot be, and with
 * WHY empty when the page's files come from a file source, which hands
 * them over whole. */
int dbf__file_open(const struct dbf__page *page, const char *path, size_t max, size_t *size,
                   char *why, size_t whylen);

/* URL's path part, percent-decoded; NULL for an encoded NUL or no memory. */
char *dbf__url_path(const char *url);
/* The length of URL's scheme ("https" -> 5), or 0 when it has none. */
size_t dbf__scheme_length(const char *url);
/* Does the image address URL name a file beside the document (no scheme,
 * not protocol-relative, not empty)? */
bool dbf__image_is_local(const char *url);

/* markdown.c: where DOC's body (the Markdown after the front matter) starts,
 * as a byte offset; *FIRST_LINE gets its line number. */
size_t dbf__body_offset(const struct dbf_doc *doc, int *first_line);

/* dot.c: a `dot` graph as inline SVG, or its error and source as code. */
void dbf__dot_html(struct dbf__page *page, struct dbf_buf *out, const char *source, int line);

/* sanitize.c: raw HTML from the Markdown made harmless: comments dropped, a
 * short list of attribute-free formatting tags kept, everything else shown
 * as text. */
void dbf__sanitize_html(struct dbf_buf *out, const char *html);

/* markdown.c: the body (Markdown after the front matter) as HTML, with the
 * charts placed in their sections, anchors on lessons and actions, and the
 * why tree at the end of the root cause. */
struct dbf__figures {
    const char *timeline; /* HTML of the timeline chart, "" when none */
    const char *metrics;  /* HTML of the metric graphs and their notes, "" when none */
    const char *whys;     /* HTML of the why tree, "" when none */
    bool timeline_placed, metrics_placed, whys_placed; /* set when put into their section */
};
struct dbf__toc_entry {
    int level;
    char *text;     /* the heading's plain text */
    const char *id; /* owned by the page */
};
struct dbf__toc {
    struct dbf__toc_entry *entries;
    size_t count, cap;
};
void dbf__body_html(struct dbf__page *page, struct dbf__figures *figures, struct dbf_buf *out,
                    struct dbf__toc *toc);
void dbf__toc_release(struct dbf__toc *toc);

/* whys.c: the why chains as a tree of nested lists. */
void dbf__whys_html(const struct dbf_doc *doc, struct dbf_buf *out);

/* charts_html.c: the timeline chart and the metric graphs. */
void dbf__charts_html(struct dbf__page *page, struct dbf_buf *timeline_out,
                      struct dbf_buf *metrics_out);

/* header.c: the page's header: title, badges, people, durations. */
void dbf__header_html(struct dbf__page *page, struct dbf_buf *out);

/* findings.c: the review appendix. R (may be NULL) scrubs restricted text
 * and drops findings on removed lines. */
void dbf__findings_html(const struct dbf_review *review, const struct dbf__redaction *r,
                        struct dbf_buf *out);

/* style.c: the page's stylesheet, screen and print. */
extern const char dbf__page_css[];

/* style_scope.c: CSS (our own stylesheet) with every rule scoped under
 * class SCOPE: ".SCOPE sel" for each selector, ".SCOPE" for :root, html and
 * body; @media blocks kept with their rules scoped; @page left out. */
void dbf__css_scoped(const char *css, const char *scope, struct dbf_buf *out);

#endif
