/* render.h: a post mortem as one self-contained HTML page.
 *
 * The page makes no network request when opened: styles are inline,
 * images from the document's folder are embedded as data URIs, metric
 * graphs, the timeline chart and `dot` diagrams are inline SVG. Raw HTML in
 * the Markdown is escaped or sanitised, so a post mortem cannot inject
 * script; a Content-Security-Policy in the page forbids scripts and
 * requests all the same.
 *
 * Restricted, and removed by redaction: the front matter keys `restricted`
 * (a map for anything else that must stay private), `authors`, `author`,
 * `reviewer`, `reviewers`, `reviewer_team`, `owner_team`, `owner`,
 * `people`, `responders`, `participants`, `incident_commander`, `on_call`
 * and `contacts`; and the text between `<!-- restricted -->` and
 * `<!-- /restricted -->` (also `<!-- end restricted -->`), in blocks or
 * inside a line. An unclosed block runs to the end of the document. */
#ifndef DEBRIEF_RENDER_H
#define DEBRIEF_RENDER_H

#include "debrief/buf.h"
#include "debrief/doc.h"
#include "debrief/lint.h"

#include <stdbool.h>

/* Where the files a document names (its images and metric files) come
 * from when they are not in a folder: the team server keeps them in its
 * database.
 *
 * READ gets NAME as dbf_render_file_name() makes it ("metrics/p99.csv") and
 * returns a malloc'd copy of the file's bytes with a NUL after the *LEN
 * bytes, or NULL with the reason in WHY ("no such file"). A file larger than
 * MAX bytes is refused with the reason "larger than …". */
struct dbf_render_files {
    unsigned char *(*read)(void *context, const char *name, size_t max, size_t *len, char *why,
                           size_t whylen);
    void *context;
};

struct dbf_render_options {
    const char *base_dir;                 /* folder of the document: images and metrics are read
                                             from here or below; NULL: the current folder */
    const struct dbf_render_files *files; /* non-NULL: files come from here, not base_dir */
    bool redacted;                        /* drop restricted front matter and
                                             <!-- restricted --> … <!-- /restricted --> blocks */
    const struct dbf_review *findings;    /* appended as the review when non-NULL */
    bool fragment;                        /* a part of another page, not a whole document:
                                             see DBF_RENDER_FRAGMENT_CLASS */
    const char *status;                   /* the status to show ("review"), when someone
                                             else keeps it (the team server's workflow);
                                             NULL: the front matter's `status:` */
};

/* With `fragment`, the report is written as one
 * <div class="debrief-report"> holding a <style> element (the report's
 * stylesheet with every rule scoped under that class, so it styles nothing
 * outside it), the header, contents, body and review; no <html>, <head>,
 * Content-Security-Policy or footer: the page it goes into brings those. */
#define DBF_RENDER_FRAGMENT_CLASS "debrief-report"

/* Renders DOC into OUT (appended); OPTIONS may be NULL for the defaults.
 * With `redacted`, DOC's source is redacted and parsed again before
 * anything is drawn, and findings on removed lines are left out of the
 * review (pass the review of DOC itself). Problems with what the document points
 * at (a missing metrics file, an image outside BASE_DIR) do not fail the
 * render: they are shown on the page and listed in NOTES (one per line,
 * "LINE: message") when NOTES is non-NULL. Returns false only when OUT
 * failed (its cap or memory). */
bool dbf_render_html(const struct dbf_doc *doc, const struct dbf_render_options *options,
                     struct dbf_buf *out, struct dbf_buf *notes);

/* Appends DOC's Markdown with the restricted parts removed to OUT: the
 * version to publish for everyone. Removed lines stay as empty lines, so
 * every line left keeps its number. Problems go to NOTES as for
 * dbf_render_html. Returns false only when OUT failed. */
bool dbf_render_redact_markdown(const struct dbf_doc *doc, struct dbf_buf *out,
                                struct dbf_buf *notes);

/* The name under which a file the document refers to as PATH is kept,
 * appended to OUT: PATH with "." segments and repeated slashes removed
 * ("./metrics//a.csv" -> "metrics/a.csv"; an image's address is
 * percent-decoded first, its query and fragment dropped). Returns false,
 * appending nothing, when PATH cannot name a file inside the document's
 * folder or names a hidden one: empty, absolute, with a segment that starts
 * with '.' (other than "." itself: "..", ".git"), a backslash or a control
 * character, or longer than DBF_RENDER_FILE_NAME_MAX bytes. */
#define DBF_RENDER_FILE_NAME_MAX 255
bool dbf_render_file_name(const char *path, struct dbf_buf *out);

/* Reads the file PATH as a document in the folder BASE_DIR (NULL: the
 * current folder) names it, as the renderer does: only a regular file
 * inside that folder, judged by the real path of the file opened (so
 * neither "..", nor a symbolic link, nor a folder swapped for one while it
 * is read leads out), of at most MAX bytes. Returns a malloc'd copy with a
 * NUL after the *LEN bytes, or NULL with the reason in WHY: "no such file",
 * "it is outside the document's folder; …", "it is not a regular file",
 * "it is larger than N MiB", or the system's. */
unsigned char *dbf_render_read_local(const char *base_dir, const char *path, size_t max,
                                     size_t *len, char *why, size_t whylen);

/* The local files DOC names, each once, in the order they first appear: the
 * metric files of its front matter, then the images of its Markdown that are
 * neither remote nor data URIs, as dbf_render_file_name() makes their names.
 * References that cannot name a file inside the folder are left out.
 * Returns the count (0 also when memory ran out: *NAMES is then NULL); free
 * with dbf_render_files_free(). */
size_t dbf_render_files_named(const struct dbf_doc *doc, char ***names);
void dbf_render_files_free(char **names, size_t count);

/* Is the top-level front matter key KEY restricted (case-insensitive)? */
bool dbf_render_key_is_restricted(const char *key);

#endif
