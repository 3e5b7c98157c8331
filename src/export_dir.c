/* export_dir.c: ID.md files written inside one folder, and only there.
 *
 * Every file is opened relative to the folder's descriptor with
 * O_NOFOLLOW, and ids are checked to be plain names, so neither a strange
 * id nor a symbolic link planted in the folder can make a write land
 * outside it. */
#include "export_dir.h"
#include "cli.h"
#include "debrief/ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool export_dir_open(struct export_dir *dir, const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    snprintf(dir->path, sizeof dir->path, "%.*s", (int)n, path);
    dir->fd = -1;
    if (!*path) {
        cli_error("the folder to export to is empty");
        return false;
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        cli_error("cannot make folder '%s': %s", path, strerror(errno));
        return false;
    }
    dir->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir->fd < 0) {
        cli_error("cannot open folder '%s': %s", path,
                  errno == ENOTDIR ? "it is not a folder" : strerror(errno));
        return false;
    }
    return true;
}

void export_dir_close(struct export_dir *dir)
{
    if (dir->fd >= 0)
        close(dir->fd);
    dir->fd = -1;
}

/* Does NAME in DIR hold exactly TEXT? Sets *BLOCKED, after printing why,
 * when NAME is something that must not be replaced. */
static bool holds(struct export_dir *dir, const char *name, const char *text, size_t len,
                  bool *blocked)
{
    *blocked = false;
    int fd = openat(dir->fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return false;
        *blocked = true;
        cli_error("not writing '%s/%s': %s", dir->path, name,
                  errno == ELOOP ? "it is a symbolic link" : strerror(errno));
        return false;
    }
    struct stat st;
    bool same = false;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *blocked = true;
        cli_error("not writing '%s/%s': it is not a regular file", dir->path, name);
    } else if ((size_t)st.st_size == len) {
        char *old = malloc(len + 1);
        size_t got = 0;
        while (old && got < len) {
            ssize_t n = read(fd, old + got, len - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        same = old && got == len && memcmp(old, text, len) == 0;
        free(old);
    }
    close(fd);
    return same;
}

static bool write_all(int fd, const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        text += n;
        len -= (size_t)n;
    }
    return true;
}

enum export_result export_dir_write(struct export_dir *dir, const char *id, const char *text,
                                    size_t len)
{
    if (!dbf_ingest_slug_valid(id) || id[0] == '.') {
        cli_error("not writing post mortem '%.130s': its id is not a plain file name", id);
        return EXPORT_FAILED;
    }
    char name[DBF_STORE_SLUG_MAX + 8], temp[DBF_STORE_SLUG_MAX + 40];
    snprintf(name, sizeof name, "%s.md", id);
    bool blocked;
    if (holds(dir, name, text, len, &blocked))
        return EXPORT_UNCHANGED;
    if (blocked)
        return EXPORT_FAILED;
    snprintf(temp, sizeof temp, ".%s.tmp-%ld", name, (long)getpid());
    int fd = openat(dir->fd, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) {
        cli_error("cannot write '%s/%s': %s", dir->path, temp, strerror(errno));
        return EXPORT_FAILED;
    }
    bool ok = write_all(fd, text, len) && fsync(fd) == 0;
    int saved = errno;
    ok = close(fd) == 0 && ok;
    if (ok && renameat(dir->fd, temp, dir->fd, name) == 0)
        return EXPORT_WRITTEN;
    if (ok)
        saved = errno;
    unlinkat(dir->fd, temp, 0);
    cli_error("cannot write '%s/%s': %s", dir->path, name, strerror(saved));
    return EXPORT_FAILED;
}
