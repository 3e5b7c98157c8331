/* pm_files.c: the renderer's file source over a post mortem's attachments,
 * and the copy of the files a document names to another post mortem. */
#include "pm_files.h"

#include <stdio.h>
#include <stdlib.h>

static unsigned char *read_attachment(void *context, const char *name, size_t max, size_t *len,
                                      char *why, size_t whylen)
{
    struct pm_files *files = context;
    unsigned char *data = NULL;
    *len = 0;
    enum dbf_store_status st = dbf_store_attachment_get(files->store, files->viewer, files->slug,
                                                        name, 0, &data, len, NULL);
    if (st == DBF_STORE_NOT_FOUND) {
        snprintf(why, whylen, "no such file");
        return NULL;
    }
    if (st != DBF_STORE_OK) {
        snprintf(why, whylen, "the file cannot be read from the database");
        return NULL;
    }
    if (*len > max) {
        free(data);
        snprintf(why, whylen, "larger than %zu bytes", max);
        *len = 0;
        return NULL;
    }
    return data;
}

void pm_files_init(struct pm_files *files, struct dbf_store *store, int64_t viewer,
                   const char *slug)
{
    files->source.read = read_attachment;
    files->source.context = files;
    files->store = store;
    files->viewer = viewer;
    files->slug = slug;
}

enum dbf_store_status pm_files_copy_named(struct dbf_store *store, int64_t user,
                                          const struct dbf_doc *doc, const char *from_slug,
                                          const char *to_slug)
{
    char **names = NULL;
    size_t count = dbf_render_files_named(doc, &names);
    enum dbf_store_status result = DBF_STORE_OK;
    for (size_t i = 0; i < count && result == DBF_STORE_OK; i++) {
        unsigned char *data = NULL;
        size_t len = 0;
        enum dbf_store_status st =
            dbf_store_attachment_get(store, user, from_slug, names[i], 0, &data, &len, NULL);
        if (st == DBF_STORE_OK)
            st = dbf_store_attachment_put(store, to_slug, names[i], data, len, user, NULL);
        free(data);
        if (st != DBF_STORE_NOT_FOUND)
            result = st;
    }
    dbf_render_files_free(names, count);
    return result;
}
