/* files.c: the Markdown files named on the command line, folders walked. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void add(struct cli_files *files, const char *path)
{
    if (files->count == files->cap) {
        size_t n = files->cap ? files->cap * 2 : 64;
        char **grown = realloc(files->paths, n * sizeof *grown);
        if (!grown)
            return;
        files->paths = grown;
        files->cap = n;
    }
    char *copy = strdup(path);
    if (copy)
        files->paths[files->count++] = copy;
}

static int compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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
        if (stat(path, &st) != 0) {
            if (is_markdown(e->d_name)) {
                cli_error("cannot read '%s': %s", path, strerror(errno));
                ok = false;
            }
        } else if (S_ISDIR(st.st_mode)) {
            if (strcmp(e->d_name, "node_modules") != 0)
                ok &= walk(files, path, depth + 1);
        } else if (is_markdown(e->d_name)) {
            add(files, path);
        }
        free(path);
    }
    closedir(d);
    if (files->count > first)
        qsort(files->paths + first, files->count - first, sizeof *files->paths, compare);
    return ok;
}

bool cli_files_collect(struct cli_files *files, char **paths, int count)
{
    bool ok = true;
    for (int i = 0; i < count; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") == 0) {
            add(files, "-");
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
            add(files, paths[i]);
        }
    }
    return ok;
}

void cli_files_free(struct cli_files *files)
{
    for (size_t i = 0; i < files->count; i++)
        free(files->paths[i]);
    free(files->paths);
    files->paths = NULL;
    files->count = files->cap = 0;
}
