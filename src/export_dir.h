/* export_dir.h: the folder `debrief export` writes post mortems into, as
 * ID.md files, and the files they name at their names ("metrics/p99.csv"),
 * never anywhere else. */
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

/* Is NAME a file name as the store keeps them ("metrics/p99.csv"): plain
 * names joined by single slashes, nothing absolute, no part starting with
 * '.' (so no "..", ".git/config" or ".env") and no name ending in ".md" in
 * any case (the file of a post mortem)? Older databases may hold names the
 * store refuses today; they are never written. */
bool export_dir_file_name_ok(const char *name);

/* What the bytes already at a file's name are to the file being written. */
enum export_found { EXPORT_FOUND_VERSION, EXPORT_FOUND_STRANGER, EXPORT_FOUND_UNKNOWN };

/* A file a post mortem names, to be written into the folder. */
struct export_file {
    const char *name;  /* "metrics/p99.csv" */
    const char *owner; /* the post mortem's id, for messages */
    const void *data;  /* its newest version, LEN bytes */
    size_t len;
    /* Asked when the name holds other bytes, whose SHA256 (hex) is given:
     * VERSION when they are an older version of the file (an earlier
     * export to bring up to date), STRANGER when not, UNKNOWN after
     * printing why the versions cannot be read. */
    enum export_found (*versions_hold)(void *context, const char *sha256);
    void *context;
};

/* Writes FILE's bytes to its name in DIR as export_dir_write() writes
 * ID.md, making the folders on the way, but replaces a file only when
 * FILE->versions_hold() finds its bytes are a version of FILE: anything
 * else there (a file of the reader's, a planted ".git/config" before the
 * name rules) is left alone. UNCHANGED when the file holds the bytes
 * already. FAILED, after printing why, for a name that is not
 * export_dir_file_name_ok(), a symbolic link or a file in the way of a
 * folder or of the file, a file there that is not a version, or a write
 * error. */
enum export_result export_dir_write_file(struct export_dir *dir, const struct export_file *file);

#endif
