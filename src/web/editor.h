/* editor.h: what the pages that write post mortems share (page_editor.c):
 * the review and preview of a text being typed, the difference between
 * two texts as HTML, and the editor form itself.
 *
 * The live preview contract, between these pages and static/app.js:
 * the editor form carries data-findings-target="#findings" and
 * data-preview-target="#preview" and holds a <textarea data-live>. The
 * script posts, as application/x-www-form-urlencoded, `markdown` (the
 * textarea's text), `csrf_token` (the form's field) and `fragment=1` to
 * POST /preview, which answers 200 text/html with exactly two elements:
 *
 *     <div id="findings">…</div><div id="preview">…</div>
 *
 * and the script replaces the content of each target with the content of
 * the answer's element of the same id. Without the script the form's
 * Preview button posts the same fields (without `fragment`) and gets a
 * whole page holding the form, the findings and the preview. */
#ifndef DEBRIEF_WEB_EDITOR_H
#define DEBRIEF_WEB_EDITOR_H

#include "web.h"

#include "debrief/lint.h"

/* A text read and reviewed: DOC and REVIEW are NULL when it cannot be read
 * (ERROR says why, "LINE:COL: what is wrong"). */
struct editor_analysis {
    struct dbf_doc *doc;
    struct dbf_review *review;
    char error[256];
};

/* Does PAGE's user hold the author role, which writing needs? Answers the
 * 403 page otherwise (the caller then abandons PAGE). */
bool editor_may_write(struct page *page);

/* Reads and reviews the LEN bytes of MARKDOWN with TODAY (seconds since
 * the epoch) as "now" for the date rules, as the API's review does
 * (review_text). */
void editor_analyse(struct serve_app *app, const char *markdown, size_t len, int64_t today,
                    struct editor_analysis *out);
void editor_analysis_release(struct editor_analysis *analysis);

/* The inside of the findings panel: the score and each finding (severity,
 * rule, line, message), or why the text cannot be read. */
void editor_findings_html(struct dbf_buf *out, const struct editor_analysis *analysis);

/* The inside of the preview: the report as `debrief render` draws it,
 * reading no file of the server. */
void editor_preview_html(struct dbf_buf *out, const struct editor_analysis *analysis);

/* The same for a text written for post mortem SLUG (NULL, or one PAGE's
 * user may not see: a new text), drawn with that post mortem's files
 * (its attachments), as its page draws it. */
void editor_preview_of_html(struct page *page, struct dbf_buf *out,
                            const struct editor_analysis *analysis, const char *slug);

/* The lines of OLD (OLD_LEN bytes: theirs, the newest revision) and
 * NEW_TEXT (yours, what was typed), in order: a line only in OLD as
 * <del>- …</del>, one only in NEW_TEXT as <ins>+ …</ins>, marked by sign
 * and element and not only by colour; unchanged lines only around the
 * changes, the others counted. */
void editor_diff_html(struct dbf_buf *out, const char *old, size_t old_len, const char *new_text,
                      size_t new_len);

/* The editor of a text. */
struct editor_form {
    const char *slug;     /* the post mortem saved to; NULL: preview only, no Save */
    const char *markdown; /* the text in the textarea */
    size_t len;
    int base; /* the revision it is based on */
    int64_t today;
};

/* Appends to PAGE's body the editor form for FORM beside its findings,
 * then the preview below. */
void editor_form_html(struct page *page, const struct editor_form *form);

/* Turns every CRLF of TEXT into LF, in place (browsers send a textarea's
 * lines with CRLF whatever they were); returns the new length. */
size_t editor_unix_newlines(char *text);

#endif
