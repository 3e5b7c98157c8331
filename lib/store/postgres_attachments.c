/* postgres_attachments.c: the files a post mortem's Markdown names (images,
 * metric files) in PostgreSQL, each upload of new bytes a new version.
 *
 * Versions are only ever appended. An upload locks the post mortem's row
 * (SELECT … FOR UPDATE) before it reads the name's newest version, so a
 * second upload of the same name, from this server or another, waits for
 * the first to commit and then sees its version: the two get distinct
 * numbers, or one version when their bytes are the same. The bytes travel
 * as binary both ways (a parameter and a result in binary format), never
 * escaped as text. An attachment that does not exist and one on a post
 * mortem the viewer may not see answer the same NOT_FOUND. */
#include "postgres_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_SUCH_ATTACHMENT "no such attachment"

/* The columns read_attachment() reads, from attachments a joined with its
 * author u; the bytes are not among them. */
#define COLUMNS                                                                                    \
    "SELECT a.name, a.version, a.revision, a.size, a.sha256, coalesce(a.author_id, 0),"            \
    " coalesce(u.name, ''), a.created FROM attachments a LEFT JOIN users u ON u.id = a.author_id"

/* Version $3 of a name, or its newest when $3 is 0. */
static const struct pg_statement version_one = {
    "att_version", COLUMNS " WHERE a.postmortem_id = $1 AND a.name = $2"
                           " AND ($3 = 0 OR a.version = $3) ORDER BY a.version DESC LIMIT 1"};
static const struct pg_statement version_insert = {
    "att_insert", "INSERT INTO attachments (postmortem_id, name, version, revision, size, sha256,"
                  " author_id, created, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
/* Names compare byte by byte, whatever the server's locale. */
static const struct pg_statement newest_all = {
    "att_list", COLUMNS " WHERE a.postmortem_id = $1 AND a.version = (SELECT max(b.version)"
                        " FROM attachments b WHERE b.postmortem_id = $1 AND b.name = a.name)"
                        " ORDER BY a.name COLLATE \"C\""};
static const struct pg_statement version_all = {
    "att_history", COLUMNS " WHERE a.postmortem_id = $1 AND a.name = $2 ORDER BY a.version"};
/* Run with binary results: the one column is the bytes themselves. */
static const struct pg_statement content_one = {
    "att_content", "SELECT content FROM attachments"
                   " WHERE postmortem_id = $1 AND name = $2 AND version = $3"};

static bool read_attachment(const PGresult *r, int row, struct dbf_attachment *out)
{
    out->name = dbf__pg_dup(r, row, 0);
    out->version = (int)dbf__pg_int(r, row, 1);
    out->revision = (int)dbf__pg_int(r, row, 2);
    out->size = dbf__pg_int(r, row, 3);
    dbf__pg_copy(r, row, 4, out->sha256, sizeof out->sha256);
    out->author = dbf__pg_int(r, row, 5);
    dbf__pg_copy(r, row, 6, out->author_name, sizeof out->author_name);
    out->created = dbf__pg_int(r, row, 7);
    return out->name != NULL;
}

static bool read_attachment_row(const PGresult *r, int row, void *item)
{
    return read_attachment(r, row, item);
}

/* Version VERSION (0 for the newest) of NAME of post mortem ID into OUT;
 * *FOUND says whether there is one. */
static enum dbf_store_status find_version(struct dbf_store *store, int64_t id, const char *name,
                                          int version, struct dbf_attachment *out, bool *found)
{
    memset(out, 0, sizeof *out);
    *found = false;
    struct pg_params p = {0};
    dbf__pg_param_int(&p, id);
    dbf__pg_param_text(&p, name);
    dbf__pg_param_int(&p, version);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &version_one, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    if (PQntuples(r) == 1) {
        *found = true;
        if (!read_attachment(r, 0, out)) {
            dbf_attachment_release(out);
            status = dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
        }
    }
    PQclear(r);
    return status;
}

static enum dbf_store_status insert_version(struct dbf_store *store, int64_t id, const char *name,
                                            int version, int revision, const void *data, size_t len,
                                            const char *sha256, int64_t author)
{
    struct pg_params p = {0};
    dbf__pg_param_int(&p, id);
    dbf__pg_param_text(&p, name);
    dbf__pg_param_int(&p, version);
    dbf__pg_param_int(&p, revision);
    dbf__pg_param_int(&p, (int64_t)len);
    dbf__pg_param_text(&p, sha256);
    dbf__pg_param_id(&p, author);
    dbf__pg_param_int(&p, dbf_store_now(store));
    dbf__pg_param_bytes(&p, data, len);
    return dbf__pg_run(store, &version_insert, &p, NULL);
}

enum dbf_store_status dbf__pg_attachment_put(struct dbf_store *store, const char *slug,
                                             const char *name, const void *data, size_t len,
                                             const char sha256[65], int64_t author,
                                             struct dbf_attachment *out)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__pg_find_pm(store, author, slug, true, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    dbf_postmortem_release(&pm);
    bool found;
    status = find_version(store, pm.id, name, 0, out, &found);
    if (status != DBF_STORE_OK ||
        (found && out->size == (int64_t)len && strcmp(out->sha256, sha256) == 0))
        return dbf__pg_tx_end(store, status);
    int version = found ? out->version + 1 : 1;
    dbf_attachment_release(out);
    status = insert_version(store, pm.id, name, version, pm.revision, data, len, sha256, author);
    if (status == DBF_STORE_OK) {
        char target[DBF_STORE_SLUG_MAX + 300], detail[64];
        snprintf(target, sizeof target, "%s/%s", slug, name);
        snprintf(detail, sizeof detail, "version %d, %zu bytes", version, len);
        status = dbf__pg_audit(store, author, "attachment.add", target, detail);
    }
    if (status == DBF_STORE_OK)
        status = find_version(store, pm.id, name, version, out, &found);
    if (status == DBF_STORE_OK && !found)
        status = dbf__store_fail(store, DBF_STORE_INTERNAL, "the new attachment was not kept");
    if (status != DBF_STORE_OK)
        dbf_attachment_release(out);
    return dbf__pg_tx_end(store, status);
}

enum dbf_store_status dbf__pg_attachments(struct dbf_store *store, int64_t viewer, const char *slug,
                                          struct dbf_attachment **out, size_t *count)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = dbf__pg_find_pm(store, viewer, slug, false, &pm, NULL);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    struct pg_params p = {0};
    dbf__pg_param_int(&p, pm.id);
    PGresult *r;
    status = dbf__pg_run(store, &newest_all, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    void *items;
    status = dbf__pg_collect(store, r, sizeof **out, read_attachment_row, &items, count);
    *out = items;
    return status;
}

/* The post mortem SLUG as VIEWER may see it, NOT_FOUND as for a missing
 * attachment otherwise. */
static enum dbf_store_status attachment_pm(struct dbf_store *store, int64_t viewer,
                                           const char *slug, int64_t *id)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = dbf__pg_find_pm(store, viewer, slug, false, &pm, NULL);
    if (status == DBF_STORE_NOT_FOUND)
        return dbf__store_fail(store, status, NO_SUCH_ATTACHMENT);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    *id = pm.id;
    return DBF_STORE_OK;
}

/* The bytes of version VERSION of NAME of post mortem ID, into a new
 * buffer with a NUL after them. Versions never change, so these are the
 * bytes the version's description was read with. */
static enum dbf_store_status read_content(struct dbf_store *store, int64_t id, const char *name,
                                          int version, unsigned char **data, size_t *len)
{
    struct pg_params p = {0};
    dbf__pg_param_int(&p, id);
    dbf__pg_param_text(&p, name);
    dbf__pg_param_int(&p, version);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run_binary(store, &content_one, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return dbf__store_fail(store, DBF_STORE_NOT_FOUND, NO_SUCH_ATTACHMENT);
    }
    size_t n = (size_t)PQgetlength(r, 0, 0);
    unsigned char *copy = malloc(n + 1);
    if (copy) {
        if (n)
            memcpy(copy, PQgetvalue(r, 0, 0), n);
        copy[n] = '\0';
        *data = copy;
        *len = n;
    }
    PQclear(r);
    return copy ? DBF_STORE_OK : dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
}

enum dbf_store_status dbf__pg_attachment_get(struct dbf_store *store, int64_t viewer,
                                             const char *slug, const char *name, int version,
                                             unsigned char **data, size_t *len,
                                             struct dbf_attachment *meta)
{
    int64_t id = 0;
    enum dbf_store_status status = attachment_pm(store, viewer, slug, &id);
    if (status != DBF_STORE_OK)
        return status;
    bool found;
    status = find_version(store, id, name, version, meta, &found);
    if (status == DBF_STORE_OK && !found)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, NO_SUCH_ATTACHMENT);
    if (status == DBF_STORE_OK)
        status = read_content(store, id, name, meta->version, data, len);
    if (status != DBF_STORE_OK)
        dbf_attachment_release(meta);
    return status;
}

enum dbf_store_status dbf__pg_attachment_history(struct dbf_store *store, int64_t viewer,
                                                 const char *slug, const char *name,
                                                 struct dbf_attachment **out, size_t *count)
{
    int64_t id = 0;
    enum dbf_store_status status = attachment_pm(store, viewer, slug, &id);
    if (status != DBF_STORE_OK)
        return status;
    struct pg_params p = {0};
    dbf__pg_param_int(&p, id);
    dbf__pg_param_text(&p, name);
    PGresult *r;
    status = dbf__pg_run(store, &version_all, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    void *items;
    status = dbf__pg_collect(store, r, sizeof **out, read_attachment_row, &items, count);
    *out = items;
    if (status == DBF_STORE_OK && *count == 0)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, NO_SUCH_ATTACHMENT);
    return status;
}
