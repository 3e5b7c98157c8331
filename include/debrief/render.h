/* render.h: a post mortem as one self-contained HTML page.
 *
 * The page makes no network request when opened: styles are inline,
 * images from the document's folder are embedded as data URIs, metric
 * graphs, the timeline chart and `dot` diagrams are inline SVG. Raw HTML in
 * the Markdown is escaped or sanitised, so a post mortem cannot inject
 * script. */
#ifndef DEBRIEF_RENDER_H
#define DEBRIEF_RENDER_H

#include "debrief/buf.h"
#include "debrief/doc.h"
#include "debrief/lint.h"

#include <stdbool.h>

struct dbf_render_options {
    const char *base_dir;              /* folder of the document: images and metrics are read
                                          from here or below; NULL: the current folder */
    bool redacted;                     /* drop restricted front matter and
                                          <!-- restricted --> … <!-- /restricted --> blocks */
    const struct dbf_review *findings; /* appended as the review when non-NULL */
};

/* Renders DOC into OUT (appended). Problems with what the document points
 * at (a missing metrics file, an image outside BASE_DIR) do not fail the
 * render: they are shown on the page and listed in NOTES (one per line,
 * "LINE: message") when NOTES is non-NULL. Returns false only when OUT
 * failed (its cap or memory). */
bool dbf_render_html(const struct dbf_doc *doc, const struct dbf_render_options *options,
                     struct dbf_buf *out, struct dbf_buf *notes);

#endif
