/* export_dir.c: ID.md files and the files post mortems name written
 * inside one folder, and only there.
 *
 * Every file and folder is opened relative to the folder's descriptor, one
 * name at a time, with O_NOFOLLOW, and ids and file names are checked to be
 * plain names and paths of plain names, so neither a strange name nor a
 * symbolic link planted in the folder can make a write land outside it.
 * Names starting with '.' or ending in ".md" are refused, so a file from
 * the server is never a ".git/config" or a post mortem, and a file the
 * folder holds already is replaced only when it is an older version of
 * the same file. */
#include "export_dir.h"
#include "cli.h"
#include "debrief/buf.h"
#include "debrief/ingest.h"
#include "debrief/render.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* What a name of the folder holds, against the bytes to be written. */
enum existing { EXISTING_NONE, EXISTING_SAME, EXISTING_OTHER, EXISTING_BLOCKED };

/* Compares LEAF in the folder open as FOLDER with the LEN bytes of TEXT,
 * reading it once; when it holds other bytes and SHA256 is not NULL, puts
 * their hash there in hex (65 bytes). BLOCKED, after printing why, for
 * something that must not be replaced or cannot be read. SHOWN is LEAF's
 * path for messages. */
static enum existing look_at(int folder, const char *shown, const char *leaf, const char *text,
                             size_t len, char *sha256)
{
    int fd = openat(folder, leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return EXISTING_NONE;
        cli_error("not writing '%s': %s", shown,
                  errno == ELOOP ? "it is a symbolic link" : strerror(errno));
        return EXISTING_BLOCKED;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        cli_error("not writing '%s': it is not a regular file", shown);
        close(fd);
        return EXISTING_BLOCKED;
    }
    bool same = (size_t)st.st_size == len;
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init(&hash);
    unsigned char chunk[1 << 16];
    size_t at = 0;
    while (same || sha256) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cli_error("not writing '%s': cannot read what is there: %s", shown, strerror(errno));
            close(fd);
            return EXISTING_BLOCKED;
        }
        if (n == 0)
            break;
        same = same && at + (size_t)n <= len && memcmp(text + at, chunk, (size_t)n) == 0;
        at += (size_t)n;
        if (sha256)
            crypto_hash_sha256_update(&hash, chunk, (size_t)n);
    }
    close(fd);
    if (same && at == len)
        return EXISTING_SAME;
    if (sha256) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&hash, digest);
        sodium_bin2hex(sha256, 65, digest, sizeof digest);
    }
    return EXISTING_OTHER;
}

/* May FILE replace the file at SHOWN, whose bytes hash to SHA256? */
static bool may_replace(const struct export_file *file, const char *shown, const char *sha256)
{
    enum export_found found = file->versions_hold(file->context, sha256);
    if (found == EXPORT_FOUND_STRANGER)
        cli_error("'%s' exists and is not a version of file '%s' of '%s': not replaced", shown,
                  file->name, file->owner);
    return found == EXPORT_FOUND_VERSION;
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

/* Writes TEXT to LEAF in the folder open as FOLDER through the temporary
 * file TEMP beside it; SHOWN is LEAF's path for messages. With FILE, other
 * bytes at LEAF are replaced only when they are a version of FILE. */
static enum export_result write_in(int folder, const char *shown, const char *leaf,
                                   const char *temp, const char *text, size_t len,
                                   const struct export_file *file)
{
    char sha256[65];
    enum existing existing = look_at(folder, shown, leaf, text, len, file ? sha256 : NULL);
    if (existing == EXISTING_SAME)
        return EXPORT_UNCHANGED;
    if (existing == EXISTING_BLOCKED)
        return EXPORT_FAILED;
    if (existing == EXISTING_OTHER && file && !may_replace(file, shown, sha256))
        return EXPORT_FAILED;
    int fd = openat(folder, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) {
        cli_error("cannot write '%s': %s", shown, strerror(errno));
        return EXPORT_FAILED;
    }
    bool ok = write_all(fd, text, len) && fsync(fd) == 0;
    int saved = errno;
    ok = close(fd) == 0 && ok;
    if (ok && renameat(folder, temp, folder, leaf) == 0)
        return EXPORT_WRITTEN;
    if (ok)
        saved = errno;
    unlinkat(folder, temp, 0);
    cli_error("cannot write '%s': %s", shown, strerror(saved));
    return EXPORT_FAILED;
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
    snprintf(temp, sizeof temp, ".%s.tmp-%ld", name, (long)getpid());
    char shown[sizeof dir->path + sizeof name + 1];
    snprintf(shown, sizeof shown, "%s/%s", dir->path, name);
    return write_in(dir->fd, shown, name, temp, text, len, NULL);
}

/* Does NAME end in ".md", in any case, as the file of a post mortem? */
static bool names_markdown(const char *name)
{
    size_t n = strlen(name);
    return n >= 3 && strcasecmp(name + n - 3, ".md") == 0;
}

bool export_dir_file_name_ok(const char *name)
{
    if (!name || names_markdown(name))
        return false;
    for (const char *part = name; part; part = strchr(part, '/') ? strchr(part, '/') + 1 : NULL)
        if (*part == '.')
            return false;
    struct dbf_buf clean;
    dbf_buf_init(&clean, 0);
    bool ok = dbf_render_file_name(name, &clean) && !clean.failed && strcmp(clean.data, name) == 0;
    dbf_buf_release(&clean);
    return ok;
}

enum export_result export_dir_write_file(struct export_dir *dir, const struct export_file *file)
{
    const char *name = file->name;
    char shown[sizeof dir->path + DBF_RENDER_FILE_NAME_MAX + 2];
    snprintf(shown, sizeof shown, "%s/%s", dir->path, name);
    if (!export_dir_file_name_ok(name)) {
        cli_error("not writing '%.300s': the name is not a path of plain names inside the folder, "
                  "or a part starts with '.', or it ends in '.md'",
                  shown);
        return EXPORT_FAILED;
    }
    int folder = dir->fd;
    const char *leaf = name;
    enum export_result result = EXPORT_FAILED;
    for (const char *slash; (slash = strchr(leaf, '/')); leaf = slash + 1) {
        char part[DBF_RENDER_FILE_NAME_MAX + 1];
        snprintf(part, sizeof part, "%.*s", (int)(slash - leaf), leaf);
        if (mkdirat(folder, part, 0777) != 0 && errno != EEXIST) {
            cli_error("not writing '%s': cannot make folder '%.*s': %s", shown, (int)(slash - name),
                      name, strerror(errno));
            goto done;
        }
        int inner = openat(folder, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (inner < 0) {
            cli_error("not writing '%s': '%.*s' is %s", shown, (int)(slash - name), name,
                      errno == ELOOP || errno == ENOTDIR ? "a symbolic link or not a folder"
                                                         : strerror(errno));
            goto done;
        }
        if (folder != dir->fd)
            close(folder);
        folder = inner;
    }
    char temp[64];
    snprintf(temp, sizeof temp, ".debrief-export.tmp-%ld", (long)getpid());
    result = write_in(folder, shown, leaf, temp, file->data, file->len, file);
done:
    if (folder != dir->fd)
        close(folder);
    return result;
}
