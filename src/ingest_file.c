/* ingest_file.c: a post mortem file read whole and handed to dbf_ingest(),
 * keeping its exact bytes for the store; and the files it names, read from
 * its folder.
 *
 * A named file is read only through its real path, after checking that
 * path lies inside the real path of the post mortem's folder, so neither
 * ".." nor a symbolic link can lead a read elsewhere; the last step opens
 * it without following a link planted since. */
#include "cli.h"
#include "debrief/buf.h"
#include "debrief/render.h"
#include "store_cli.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool cli_pm_file_read(const char *path, struct cli_pm_file *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        fclose(f);
        return false;
    }
    struct dbf_buf buf;
    dbf_buf_init(&buf, DBF_MAX_INPUT);
    bool read_ok = dbf_buf_add_stream(&buf, f);
    int saved = errno;
    fclose(f);
    if (!read_ok) {
        if (buf.failed)
            snprintf(err, errlen, "%s: larger than %zu MiB, the limit for a post mortem", path,
                     DBF_MAX_INPUT >> 20);
        else
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(saved));
        dbf_buf_release(&buf);
        return false;
    }
    out->text = dbf_buf_detach(&buf, &out->len);
    char why[512];
    if (!dbf_ingest(path, out->text, out->len, &out->ingest, why, sizeof why)) {
        snprintf(err, errlen, "%s:%s", path, why);
        return false;
    }
    return true;
}

void cli_pm_file_release(struct cli_pm_file *file)
{
    dbf_ingest_release(&file->ingest);
    free(file->text);
    memset(file, 0, sizeof *file);
}

/* ---- The files a post mortem names ---- */

static const char outside_why[] =
    "it is not inside the post mortem's folder: only files in that folder or below are kept, "
    "named without '..'";

static struct cli_named_file *named_add(struct cli_named_files *files, size_t *cap,
                                        const char *name, int line)
{
    if (files->count == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 8;
        struct cli_named_file *grown = realloc(files->items, grown_cap * sizeof *grown);
        if (!grown)
            return NULL;
        files->items = grown;
        *cap = grown_cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return NULL;
    struct cli_named_file *file = &files->items[files->count++];
    memset(file, 0, sizeof *file);
    file->name = copy;
    file->line = line;
    return file;
}

static struct cli_named_file *named_find(struct cli_named_files *files, const char *name,
                                         bool refused)
{
    for (size_t i = 0; i < files->count; i++)
        if (files->items[i].refused == refused && strcmp(files->items[i].name, name) == 0)
            return &files->items[i];
    return NULL;
}

/* A reference the document makes: the line of a name already listed, or a
 * refused entry when it cannot be a name. False when memory ran out. */
static bool named_note(struct cli_named_files *files, size_t *cap, const char *reference, int line)
{
    struct dbf_buf name;
    dbf_buf_init(&name, 0);
    bool ok = true;
    if (dbf_render_file_name(reference, &name) && !name.failed) {
        struct cli_named_file *file = named_find(files, name.data, false);
        if (file && !file->line)
            file->line = line;
    } else if (!named_find(files, reference, true)) {
        struct cli_named_file *file = named_add(files, cap, reference, line);
        if (file) {
            file->refused = true;
            snprintf(file->why, sizeof file->why, "%s", outside_why);
            for (char *p = file->name; *p; p++) /* it is printed as it is written */
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                    *p = '?';
        }
        ok = file != NULL;
    }
    dbf_buf_release(&name);
    return ok;
}

/* Does URL have a scheme ("https:", "data:")? One letter and a colon is a
 * drive, as the renderer sees it. */
static bool has_scheme(const char *url)
{
    if (!isalpha((unsigned char)url[0]))
        return false;
    size_t i = 1;
    while (isalnum((unsigned char)url[i]) || url[i] == '+' || url[i] == '-' || url[i] == '.')
        i++;
    return url[i] == ':' && i > 1;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* The file path an image address names: without its query and fragment,
 * percent-decoded, as the renderer reads it; NULL for an address that is
 * not a local file (remote, a data URI) or when memory ran out. */
static char *image_path(const char *url)
{
    if (!*url || strncmp(url, "//", 2) == 0 || has_scheme(url))
        return NULL;
    size_t n = strcspn(url, "?#");
    char *out = malloc(n + 1), *o = out;
    for (size_t i = 0; out && i < n; i++) {
        int hi, lo;
        if (url[i] == '%' && i + 2 < n && (hi = hex_digit(url[i + 1])) >= 0 &&
            (lo = hex_digit(url[i + 2])) >= 0 && (hi || lo)) {
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *o++ = url[i];
        }
    }
    if (out)
        *o = '\0';
    return out;
}

/* The address of the next inline image "![alt](address "title")" in the
 * LEN bytes of LINE from *AT on, malloc'd; NULL when there is none. */
static char *next_image_address(const char *line, size_t len, size_t *at)
{
    while (*at + 1 < len) {
        const char *open = memmem(line + *at, len - *at, "![", 2);
        if (!open)
            return NULL;
        size_t from = (size_t)(open - line) + 2;
        const char *close = memmem(line + from, len - from, "](", 2);
        if (!close) {
            *at = len;
            return NULL;
        }
        size_t i = (size_t)(close - line) + 2;
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        size_t start = i;
        if (i < len && line[i] == '<') {
            start = ++i;
            while (i < len && line[i] != '>')
                i++;
        } else {
            for (int depth = 0; i < len && line[i] != ' ' && line[i] != '\t'; i++) {
                if (line[i] == '(')
                    depth++;
                else if (line[i] == ')' && depth-- == 0)
                    break;
            }
        }
        *at = i;
        if (i > start)
            return strndup(line + start, i - start);
    }
    return NULL;
}

/* The images of the lines of BLOCK: their lines noted, or refused. */
static bool scan_image_block(const struct dbf_doc *doc, const struct dbf_block *block,
                             struct cli_named_files *files, size_t *cap)
{
    int last = block->pos.line + (int)block->newline_count;
    for (int l = block->pos.line; l >= 1 && l <= last; l++) {
        size_t len, at = 0;
        const char *line = dbf_doc_line(doc, l, &len);
        char *address;
        while (line && (address = next_image_address(line, len, &at))) {
            char *path = image_path(address);
            bool ok = !path || named_note(files, cap, path, l);
            free(path);
            free(address);
            if (!ok)
                return false;
        }
    }
    return true;
}

/* The real path of the folder holding the file PATH, or NULL. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *folder = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    char *real = folder ? realpath(folder, NULL) : NULL;
    free(folder);
    return real;
}

bool cli_named_files_list(const char *path, const struct dbf_doc *doc, struct cli_named_files *out)
{
    memset(out, 0, sizeof *out);
    char **names;
    size_t count = dbf_render_files_named(doc, &names), cap = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < count; i++)
        ok = named_add(out, &cap, names[i], 0) != NULL;
    dbf_render_files_free(names, count);
    for (size_t i = 0; ok && i < doc->meta.metric_count; i++) {
        const struct dbf_metric_ref *ref = &doc->meta.metrics[i];
        if (ref->file && *ref->file)
            ok = named_note(out, &cap, ref->file, ref->pos.line);
    }
    for (size_t i = 0; ok && i < doc->block_count; i++)
        if (doc->blocks[i].image && doc->blocks[i].type != DBF_BLOCK_CODE)
            ok = scan_image_block(doc, &doc->blocks[i], out, &cap);
    if (ok && out->count)
        out->folder = folder_of(path);
    if (!ok)
        cli_error("%s: out of memory", path);
    return ok;
}

void cli_named_files_release(struct cli_named_files *files)
{
    for (size_t i = 0; i < files->count; i++) {
        cli_named_file_unload(&files->items[i]);
        free(files->items[i].name);
    }
    free(files->items);
    free(files->folder);
    memset(files, 0, sizeof *files);
}

static bool refuse(struct cli_named_file *file, const char *why)
{
    file->refused = true;
    snprintf(file->why, sizeof file->why, "%s", why);
    return false;
}

bool cli_named_file_load(const struct cli_named_files *files, struct cli_named_file *file)
{
    cli_named_file_unload(file);
    if (file->refused)
        return false;
    if (!files->folder)
        return refuse(file, "the post mortem's folder cannot be read");
    char why[sizeof file->why];
    size_t len = 0;
    unsigned char *data =
        dbf_render_read_local(files->folder, file->name, DBF_ATTACHMENT_MAX, &len, why, sizeof why);
    if (!data)
        return refuse(file, why);
    file->data = data;
    file->len = len;
    return true;
}

void cli_named_file_unload(struct cli_named_file *file)
{
    free(file->data);
    file->data = NULL;
    file->len = 0;
}

void cli_named_file_warn(const char *path, const struct cli_named_file *file, const char *what)
{
    if (file->line > 0)
        cli_error("warning: %s:%d: file '%s' is not %s: %s", path, file->line, file->name, what,
                  file->why);
    else
        cli_error("warning: %s: file '%s' is not %s: %s", path, file->name, what, file->why);
}
