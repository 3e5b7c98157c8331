/* pm_page_files.h: the "Files" part of the post mortem page: the
 * attachments of the post mortem (the images and metric files its report
 * draws), the files the document names that are not uploaded yet, and,
 * for those who may save it, the upload form.
 *
 * Without JavaScript the form posts a name and a text file's content
 * (metrics are CSV or JSON text) to POST /postmortems/:id/files. With it,
 * static/app.js shows the form marked data-attachments="URL/" (hidden
 * until then), which PUTs a chosen file's bytes to URL followed by the
 * percent-encoded name, with the page's csrf_token as X-CSRF-Token, and
 * reloads the page. */
#ifndef DEBRIEF_WEB_PM_PAGE_FILES_H
#define DEBRIEF_WEB_PM_PAGE_FILES_H

#include "pm_page.h"

/* A refused upload, shown again with what was typed. */
struct pm_files_typed {
    const char *message; /* why it was refused */
    const char *name;
    const char *content;
};

/* Appends the Files section of PP to its body: ITEMS are the COUNT newest
 * attachment versions, NAMED the NAMED_COUNT files the text shown names
 * (dbf_render_files_named), checked against them; TYPED (may be NULL)
 * refills the upload form. */
void pm_page_files_html(struct pm_page *pp, const struct dbf_attachment *items, size_t count,
                        const char *const *named, size_t named_count,
                        const struct pm_files_typed *typed);

/* Answers the newest revision's page of PP with STATUS, TYPED in the
 * upload form (pm_page_view.c). Releases PP. */
void pm_page_show_files(struct pm_page *pp, const struct pm_files_typed *typed, int status);

#endif
