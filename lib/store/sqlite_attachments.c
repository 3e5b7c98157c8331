/* sqlite_attachments.c: the files a post mortem's Markdown names (images,
 * metric files) in SQLite, each upload of new bytes a new version.
 *
 * Versions are only ever appended. An upload runs in one IMMEDIATE
 * transaction: a second upload of the same name waits for the first to
 * commit, then sees its version, so the two get distinct numbers, or one
 * version when their bytes are the same. An attachment that does not
 * exist and one on a post mortem the viewer may not see answer the same
 * NOT_FOUND. */
#include "sqlite_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_SUCH_ATTACHMENT "no such attachment"

/* Reads the ATTACHMENT_COLUMNS (sqlite_statements.c); false when out of
 * memory. */
static bool read_attachment(sqlite3_stmt *st, struct dbf_attachment *out)
{
    out->name = dbf__sq_column_dup(st, 0);
    out->version = sqlite3_column_int(st, 1);
    out->revision = sqlite3_column_int(st, 2);
    out->size = sqlite3_column_int64(st, 3);
    dbf__sq_column_copy(st, 4, out->sha256, sizeof out->sha256);
    out->author = sqlite3_column_int64(st, 5);
    dbf__sq_column_copy(st, 6, out->author_name, sizeof out->author_name);
    out->created = sqlite3_column_int64(st, 7);
    return out->name != NULL;
}

static bool read_attachment_row(sqlite3_stmt *st, void *item)
{
    return read_attachment(st, item);
}

/* Version VERSION (0 for the newest) of NAME of post mortem ID into OUT;
 * *FOUND says whether there is one. */
static enum dbf_store_status find_version(struct dbf_store *store, int64_t id, const char *name,
                                          int version, struct dbf_attachment *out, bool *found)
{
    memset(out, 0, sizeof *out);
    *found = false;
    sqlite3_stmt *st = dbf__sq_stmt(store, S_ATT_NEWEST);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    dbf__sq_bind_text(st, 2, name);
    sqlite3_bind_int(st, 3, version);
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW) {
        *found = true;
        if (!read_attachment(st, out))
            status = dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    } else if (rc != SQLITE_DONE) {
        status = dbf__sq_fail(store, rc);
    }
    sqlite3_reset(st);
    return status;
}

static enum dbf_store_status insert_version(struct dbf_store *store, int64_t id, const char *name,
                                            int version, int revision, const void *data, size_t len,
                                            const char *sha256, int64_t author)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_ATT_INSERT);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    dbf__sq_bind_text(st, 2, name);
    sqlite3_bind_int(st, 3, version);
    sqlite3_bind_int(st, 4, revision);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)len);
    dbf__sq_bind_text(st, 6, sha256);
    dbf__sq_bind_id(st, 7, author);
    sqlite3_bind_int64(st, 8, dbf_store_now(store));
    /* DATA is never NULL (store.c), so an empty file is an empty blob. */
    int rc = sqlite3_bind_blob64(st, 9, data, (sqlite3_uint64)len, SQLITE_STATIC);
    if (rc != SQLITE_OK)
        return dbf__sq_fail(store, rc);
    return dbf__sq_run(store, st);
}

enum dbf_store_status dbf__sq_attachment_put(struct dbf_store *store, const char *slug,
                                             const char *name, const void *data, size_t len,
                                             const char sha256[65], int64_t author,
                                             struct dbf_attachment *out)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__sq_find_pm(store, author, slug, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__sq_tx_end(store, status);
    dbf_postmortem_release(&pm);
    bool found;
    status = find_version(store, pm.id, name, 0, out, &found);
    if (status != DBF_STORE_OK ||
        (found && out->size == (int64_t)len && strcmp(out->sha256, sha256) == 0)) {
        if (status != DBF_STORE_OK)
            dbf_attachment_release(out);
        return dbf__sq_tx_end(store, status);
    }
    int version = found ? out->version + 1 : 1;
    dbf_attachment_release(out);
    status = insert_version(store, pm.id, name, version, pm.revision, data, len, sha256, author);
    if (status == DBF_STORE_OK) {
        char target[DBF_STORE_SLUG_MAX + 300], detail[64];
        snprintf(target, sizeof target, "%s/%s", slug, name);
        snprintf(detail, sizeof detail, "version %d, %zu bytes", version, len);
        status = dbf__sq_audit(store, author, "attachment.add", target, detail);
    }
    if (status == DBF_STORE_OK)
        status = find_version(store, pm.id, name, version, out, &found);
    if (status == DBF_STORE_OK && !found)
        status = dbf__store_fail(store, DBF_STORE_INTERNAL, "the new attachment was not kept");
    if (status != DBF_STORE_OK)
        dbf_attachment_release(out);
    return dbf__sq_tx_end(store, status);
}

enum dbf_store_status dbf__sq_attachments(struct dbf_store *store, int64_t viewer, const char *slug,
                                          struct dbf_attachment **out, size_t *count)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = dbf__sq_find_pm(store, viewer, slug, &pm, NULL);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_ATT_LIST);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, pm.id);
    void *items;
    status = dbf__sq_collect(store, st, sizeof **out, read_attachment_row, &items, count);
    *out = items;
    return status;
}

/* The post mortem SLUG as VIEWER may see it, NOT_FOUND as for a missing
 * attachment otherwise. */
static enum dbf_store_status attachment_pm(struct dbf_store *store, int64_t viewer,
                                           const char *slug, int64_t *id)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = dbf__sq_find_pm(store, viewer, slug, &pm, NULL);
    if (status == DBF_STORE_NOT_FOUND)
        return dbf__store_fail(store, status, NO_SUCH_ATTACHMENT);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    *id = pm.id;
    return DBF_STORE_OK;
}

/* The bytes of column COL into a new buffer with a NUL after them. */
static bool read_bytes(sqlite3_stmt *st, int col, unsigned char **data, size_t *len)
{
    const void *blob = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    unsigned char *copy = malloc(n + 1);
    if (!copy)
        return false;
    if (n)
        memcpy(copy, blob, n);
    copy[n] = '\0';
    *data = copy;
    *len = n;
    return true;
}

enum dbf_store_status dbf__sq_attachment_get(struct dbf_store *store, int64_t viewer,
                                             const char *slug, const char *name, int version,
                                             unsigned char **data, size_t *len,
                                             struct dbf_attachment *meta)
{
    int64_t id = 0;
    enum dbf_store_status status = attachment_pm(store, viewer, slug, &id);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = dbf__sq_stmt(store, S_ATT_GET);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    dbf__sq_bind_text(st, 2, name);
    sqlite3_bind_int(st, 3, version);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (!read_attachment(st, meta) || !read_bytes(st, 8, data, len)) {
            dbf_attachment_release(meta);
            status = dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
        }
    } else if (rc == SQLITE_DONE) {
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, NO_SUCH_ATTACHMENT);
    } else {
        status = dbf__sq_fail(store, rc);
    }
    sqlite3_reset(st);
    return status;
}

enum dbf_store_status dbf__sq_attachment_history(struct dbf_store *store, int64_t viewer,
                                                 const char *slug, const char *name,
                                                 struct dbf_attachment **out, size_t *count)
{
    int64_t id = 0;
    enum dbf_store_status status = attachment_pm(store, viewer, slug, &id);
    if (status != DBF_STORE_OK)
        return status;
    sqlite3_stmt *st = dbf__sq_stmt(store, S_ATT_HISTORY);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    dbf__sq_bind_text(st, 2, name);
    void *items;
    status = dbf__sq_collect(store, st, sizeof **out, read_attachment_row, &items, count);
    *out = items;
    if (status == DBF_STORE_OK && *count == 0)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, NO_SUCH_ATTACHMENT);
    return status;
}
