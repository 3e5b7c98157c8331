/* static_files.h: the files of src/web/static, embedded at build time by
 * tools/embed-static.py into static_files.c. */
#ifndef DEBRIEF_WEB_STATIC_FILES_H
#define DEBRIEF_WEB_STATIC_FILES_H

#include <stddef.h>

struct static_file {
    const char *name; /* "style.css" */
    const char *type; /* its Content-Type */
    const char *data; /* LEN bytes */
    size_t len;
};

/* The file called NAME (no folder), or NULL when there is none. */
const struct static_file *static_file_find(const char *name);

#endif
