/* html.c: the report page. */
#include "debrief/render.h"

bool dbf_render_html(const struct dbf_doc *doc, const struct dbf_render_options *options,
                     struct dbf_buf *out, struct dbf_buf *notes)
{
    (void)doc;
    (void)options;
    (void)notes;
    dbf_buf_adds(out, "<!DOCTYPE html>\n");
    return !out->failed;
}
