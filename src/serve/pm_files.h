/* pm_files.h: the files a stored post mortem's Markdown names (its images
 * and metric files), read from the store for the renderer.
 *
 * The team server keeps no document folder: a report drawn on the server
 * reads each file the document names as the newest version of the
 * attachment of that name, as the person asking may see it. */
#ifndef DEBRIEF_SERVE_PM_FILES_H
#define DEBRIEF_SERVE_PM_FILES_H

#include "debrief/render.h"
#include "debrief/store.h"

/* A file source over the attachments of one post mortem. */
struct pm_files {
    struct dbf_render_files source; /* what dbf_render_options.files points at */
    struct dbf_store *store;
    int64_t viewer;
    const char *slug; /* borrowed */
};

/* Makes FILES read the attachments of SLUG as VIEWER sees them. A name
 * without an attachment is refused with "no such file", one larger than
 * the renderer's limit with "larger than N bytes". */
void pm_files_init(struct pm_files *files, struct dbf_store *store, int64_t viewer,
                   const char *slug);

/* Gives the copy TO_SLUG, on behalf of USER (who may see both), the newest
 * version of each file DOC names that FROM_SLUG has; names it lacks are
 * skipped. Bytes equal to the copy's newest version add nothing. Returns
 * the first failure of the store, or DBF_STORE_OK. */
enum dbf_store_status pm_files_copy_named(struct dbf_store *store, int64_t user,
                                          const struct dbf_doc *doc, const char *from_slug,
                                          const char *to_slug);

#endif
