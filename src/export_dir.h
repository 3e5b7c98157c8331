/* export_dir.h: the folder `debrief export` writes post mortems into, as
 * ID.md files, never anywhere else. */
#ifndef DEBRIEF_EXPORT_DIR_H
#define DEBRIEF_EXPORT_DIR_H

#include <stdbool.h>
#include <stddef.h>

struct export_dir {
    int fd;          /* the folder, opened once: every write is relative to it */
    char path[4096]; /* as given without trailing slashes, for messages */
};

/* Opens folder PATH, making it when missing (its parent must exist).
 * False after printing why. */
bool export_dir_open(struct export_dir *dir, const char *path);
void export_dir_close(struct export_dir *dir);

enum export_result { EXPORT_WRITTEN, EXPORT_UNCHANGED, EXPORT_FAILED };

/* Writes the LEN bytes of TEXT to ID.md in DIR, through a temporary file
 * renamed over it, so a reader never sees half a file. UNCHANGED when the
 * file holds TEXT already. FAILED, after printing why, for an id that is
 * not a plain file name (a slash, a leading dot), a symbolic link or
 * folder in the way, or a write error. */
enum export_result export_dir_write(struct export_dir *dir, const char *id, const char *text,
                                    size_t len);

#endif
