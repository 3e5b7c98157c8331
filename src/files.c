/* files.c: the Markdown files named on the command line, folders walked. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* NAME kept in the pool; its offset, or SIZE_MAX when memory runs out. */
static size_t keep_name(struct cli_files *files, const char *name)
{
    size_t n = strlen(name) + 1;
    if (files->names_len + n > files->names_cap) {
        size_t cap = files->names_cap ? files->names_cap * 2 : 4096;
        while (cap < files->names_len + n)
            cap *= 2;
        char *grown = realloc(files->names, cap);
        if (!grown)
            return SIZE_MAX;
        files->names = grown;
        files->names_cap = cap;
    }
    size_t at = files->names_len;
    memcpy(files->names + at, name, n);
    files->names_len += n;
    return at;
}

/* Adds NAME in folder FOLDER (CLI_FILE_WHOLE: NAME is a path as given). */
static void add(struct cli_files *files, uint32_t folder, const char *name)
{
    if (files->count == files->cap) {
        size_t n = files->cap ? files->cap * 2 : 64;
        struct cli_file *grown = realloc(files->file, n * sizeof *grown);
        if (!grown)
            return;
        files->file = grown;
        files->cap = n;
    }
    size_t at = keep_name(files, name);
    if (at == SIZE_MAX || at > UINT32_MAX - 1)
        return;
    files->file[files->count++] = (struct cli_file){folder, (uint32_t)at};
}

/* Keeps DIR as a folder; its index, or CLI_FILE_WHOLE when memory runs out. */
static uint32_t keep_folder(struct cli_files *files, const char *dir)
{
    if (files->folder_count == files->folder_cap) {
        size_t n = files->folder_cap ? files->folder_cap * 2 : 8;
        char **grown = realloc(files->folders, n * sizeof *grown);
        if (!grown)
            return CLI_FILE_WHOLE;
        files->folders = grown;
        files->folder_cap = n;
    }
    char *copy = strdup(dir);
    if (!copy || files->folder_count >= CLI_FILE_WHOLE) {
        free(copy);
        return CLI_FILE_WHOLE;
    }
    files->folders[files->folder_count] = copy;
    return (uint32_t)files->folder_count++;
}

/* The three parts F's path is made of: its folder, a slash when the folder
 * has none at its end, its name. */
static void parts_of(const struct cli_files *files, const struct cli_file *f, const char *part[3])
{
    part[2] = files->names + f->name;
    if (f->folder == CLI_FILE_WHOLE) {
        part[0] = part[1] = "";
        return;
    }
    part[0] = files->folders[f->folder];
    part[1] = part[0][0] && part[0][strlen(part[0]) - 1] == '/' ? "" : "/";
}

/* Orders two files by their paths, as strcmp() would the paths written out. */
static int compare(const void *a, const void *b, void *list)
{
    const char *pa[3], *pb[3];
    parts_of(list, a, pa);
    parts_of(list, b, pb);
    size_t ia = 0, ib = 0;
    const char *ca = pa[0], *cb = pb[0];
    for (;;) {
        while (!*ca && ia < 2)
            ca = pa[++ia];
        while (!*cb && ib < 2)
            cb = pb[++ib];
        if (*ca != *cb || !*ca)
            return (unsigned char)*ca - (unsigned char)*cb;
        ca++;
        cb++;
    }
}

const char *cli_files_path(const struct cli_files *files, size_t i, char *buf, size_t size)
{
    const char *part[3];
    parts_of(files, &files->file[i], part);
    int n = snprintf(buf, size, "%s%s%s", part[0], part[1], part[2]);
    return n >= 0 && (size_t)n < size ? buf : NULL;
}

static bool is_markdown(const char *name)
{
    size_t n = strlen(name);
    return (n > 3 && strcmp(name + n - 3, ".md") == 0) ||
           (n > 9 && strcmp(name + n - 9, ".markdown") == 0);
}

/* Adds the Markdown files under DIR; false after printing an error for a
 * folder or an entry that cannot be read. */
static bool walk(struct cli_files *files, const char *dir, int depth)
{
    if (depth > 64) {
        cli_error("'%s' is nested more than 64 folders deep", dir);
        return false;
    }
    DIR *d = opendir(dir);
    if (!d) {
        cli_error("cannot read folder '%s': %s", dir, strerror(errno));
        return false;
    }
    bool ok = true;
    size_t first = files->count;
    uint32_t folder = CLI_FILE_WHOLE;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ., .., .git and other hidden entries */
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(n);
        if (!path)
            break;
        snprintf(path, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
        struct stat st;
        /* Relative to the open folder: a path too long to name whole is
         * still looked at, and refused below with a message. */
        if (fstatat(dirfd(d), e->d_name, &st, 0) != 0) {
            if (is_markdown(e->d_name)) {
                cli_error("cannot read '%s': %s", path, strerror(errno));
                ok = false;
            }
        } else if (S_ISDIR(st.st_mode)) {
            if (strcmp(e->d_name, "node_modules") != 0)
                ok &= walk(files, path, depth + 1);
        } else if (is_markdown(e->d_name) && strlen(path) >= PATH_MAX) {
            /* Found, but no call can open it by this name. */
            cli_error("cannot read '%s': %s", path, strerror(ENAMETOOLONG));
            ok = false;
        } else if (is_markdown(e->d_name)) {
            /* The folder is kept once, at its first Markdown file. */
            if (folder == CLI_FILE_WHOLE)
                folder = keep_folder(files, dir);
            if (folder == CLI_FILE_WHOLE)
                add(files, CLI_FILE_WHOLE, path);
            else
                add(files, folder, e->d_name);
        }
        free(path);
    }
    closedir(d);
    if (files->count > first)
        qsort_r(files->file + first, files->count - first, sizeof *files->file, compare, files);
    return ok;
}

bool cli_files_collect(struct cli_files *files, char **paths, int count)
{
    bool ok = true;
    for (int i = 0; i < count; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") == 0) {
            add(files, CLI_FILE_WHOLE, "-");
        } else if (stat(paths[i], &st) != 0) {
            cli_error("'%s': %s", paths[i], strerror(errno));
            ok = false;
        } else if (S_ISDIR(st.st_mode)) {
            size_t before = files->count;
            ok &= walk(files, paths[i], 0);
            if (files->count == before && ok) {
                cli_error("no Markdown files (*.md) under '%s'", paths[i]);
                ok = false;
            }
        } else {
            add(files, CLI_FILE_WHOLE, paths[i]);
        }
    }
    return ok;
}

void cli_files_free(struct cli_files *files)
{
    for (size_t i = 0; i < files->folder_count; i++)
        free(files->folders[i]);
    free(files->folders);
    free(files->file);
    free(files->names);
    memset(files, 0, sizeof *files);
}
