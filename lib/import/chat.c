/* chat.c: timeline entries from chat exports. */
#include "debrief/import.h"

#include <stdio.h>
#include <stdlib.h>

struct dbf_chat_import *dbf_chat_import_load(const char *path, const struct dbf_import_options *options,
                                             char *err, size_t errlen)
{
    (void)options;
    snprintf(err, errlen, "%s:0: chat import is not available", path);
    return NULL;
}

void dbf_chat_import_free(struct dbf_chat_import *import)
{
    free(import);
}

void dbf_chat_import_markdown(const struct dbf_chat_import *import,
                              const struct dbf_import_options *options, struct dbf_buf *out)
{
    (void)import;
    (void)options;
    (void)out;
}

bool dbf_chat_import_merge(const struct dbf_chat_import *import, const struct dbf_doc *doc,
                           const struct dbf_import_options *options, struct dbf_buf *out, char *err,
                           size_t errlen)
{
    (void)import;
    (void)doc;
    (void)options;
    (void)out;
    snprintf(err, errlen, "chat import is not available");
    return false;
}
