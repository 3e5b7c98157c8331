/* sqlite_postmortems.c: post mortems and their revisions in SQLite.
 *
 * Revisions are only ever appended. With each one, in the same
 * transaction, the post mortem's indexed fields, its tags, its search text
 * and its action items are replaced by the new revision's. */
#include "sqlite_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool dbf__sq_read_pm(sqlite3_stmt *st, struct dbf_postmortem *out, int *round)
{
    out->id = sqlite3_column_int64(st, 0);
    dbf__sq_column_copy(st, 1, out->slug, sizeof out->slug);
    out->title = dbf__sq_column_dup(st, 2);
    dbf__sq_column_copy(st, 3, out->severity, sizeof out->severity);
    out->owner_team = sqlite3_column_int64(st, 4);
    dbf__sq_column_copy(st, 5, out->owner_team_name, sizeof out->owner_team_name);
    dbf_visibility_parse((const char *)sqlite3_column_text(st, 6), &out->visibility);
    dbf_pm_status_parse((const char *)sqlite3_column_text(st, 7), &out->status);
    out->revision = sqlite3_column_int(st, 8);
    out->created = sqlite3_column_int64(st, 9);
    out->updated = sqlite3_column_int64(st, 10);
    dbf__sq_column_copy(st, 11, out->service, sizeof out->service);
    out->tags = dbf__sq_column_dup(st, 12);
    dbf__sq_column_copy(st, 13, out->started, sizeof out->started);
    out->status_changed = sqlite3_column_int64(st, 14);
    if (round)
        *round = sqlite3_column_int(st, 15);
    return out->title && out->tags;
}

enum dbf_store_status dbf__sq_find_pm(struct dbf_store *store, int64_t viewer, const char *slug,
                                      struct dbf_postmortem *out, int *round)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_PM_GET);
    if (!st)
        return DBF_STORE_INTERNAL;
    dbf__sq_bind_named(st, ":slug", slug);
    dbf__sq_bind_viewer(st, viewer);
    int rc = sqlite3_step(st);
    enum dbf_store_status status = DBF_STORE_OK;
    if (rc == SQLITE_ROW) {
        if (!dbf__sq_read_pm(st, out, round)) {
            dbf_postmortem_release(out);
            status = dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
        }
    } else if (rc == SQLITE_DONE) {
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no post mortem '%.128s'", slug);
    } else {
        status = dbf__sq_fail(store, rc);
    }
    sqlite3_reset(st);
    return status;
}

/* Tags are kept one a row, without the spaces around them, for the tag
 * filter; the comma-separated text stays on the post mortem as given. */
enum dbf_store_status dbf__sq_replace_tags(struct dbf_store *store, int64_t id, const char *tags)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_TAGS_DELETE);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    enum dbf_store_status status = dbf__sq_run(store, st);
    for (const char *p = tags ? tags : ""; status == DBF_STORE_OK && *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *last = end;
        while (last > p && (last[-1] == ' ' || last[-1] == '\t'))
            last--;
        if (last > p) {
            if (!(st = dbf__sq_stmt(store, S_TAG_INSERT)))
                return DBF_STORE_INTERNAL;
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_text(st, 2, p, (int)(last - p), SQLITE_STATIC);
            status = dbf__sq_run(store, st);
        }
        p = *end ? end + 1 : end;
    }
    return status;
}

static enum dbf_store_status index_text(struct dbf_store *store, int64_t id,
                                        const struct dbf_pm_content *content)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_FTS_DELETE);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    enum dbf_store_status status = dbf__sq_run(store, st);
    if (status != DBF_STORE_OK)
        return status;
    if (!(st = dbf__sq_stmt(store, S_FTS_INSERT)))
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    dbf__sq_bind_text(st, 2, content->title);
    dbf__sq_bind_text(st, 3, content->markdown);
    return dbf__sq_run(store, st);
}

/* Appends revision NUMBER and replaces what is read from the newest one. */
static enum dbf_store_status add_revision(struct dbf_store *store, int64_t id, int number,
                                          const struct dbf_pm_content *content, int64_t author,
                                          int64_t when)
{
    sqlite3_stmt *st = dbf__sq_stmt(store, S_REV_INSERT);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, number);
    dbf__sq_bind_text(st, 3, content->markdown);
    dbf__sq_bind_id(st, 4, author);
    sqlite3_bind_int64(st, 5, when);
    enum dbf_store_status status = dbf__sq_run(store, st);
    if (status == DBF_STORE_OK)
        status = index_text(store, id, content);
    if (status == DBF_STORE_OK)
        status = dbf__sq_replace_tags(store, id, content->tags);
    if (status == DBF_STORE_OK)
        status = dbf__sq_replace_actions(store, id, content);
    return status;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

enum dbf_store_status dbf__sq_pm_create(struct dbf_store *store, const char *slug, int64_t team,
                                        enum dbf_visibility visibility,
                                        const struct dbf_pm_content *content, int64_t author,
                                        int64_t *id)
{
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    int64_t when = dbf_store_now(store);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_PM_INSERT);
    if (!st)
        return dbf__sq_tx_end(store, DBF_STORE_INTERNAL);
    dbf__sq_bind_text(st, 1, slug);
    dbf__sq_bind_text(st, 2, content->title);
    dbf__sq_bind_text(st, 3, or_empty(content->severity));
    sqlite3_bind_int64(st, 4, team);
    dbf__sq_bind_text(st, 5, dbf_visibility_name(visibility));
    sqlite3_bind_int64(st, 6, when);
    dbf__sq_bind_text(st, 7, or_empty(content->service));
    dbf__sq_bind_text(st, 8, or_empty(content->tags));
    dbf__sq_bind_text(st, 9, or_empty(content->started));
    status = dbf__sq_run(store, st);
    if (status == DBF_STORE_CONFLICT)
        dbf__store_fail(store, status, "the post mortem '%s' already exists", slug);
    else if (status == DBF_STORE_INVALID)
        dbf__store_fail(store, status, "no team %lld to own '%s'", (long long)team, slug);
    int64_t new_id = sqlite3_last_insert_rowid(dbf__sq(store)->db);
    if (status == DBF_STORE_OK)
        status = add_revision(store, new_id, 1, content, author, when);
    if (status == DBF_STORE_OK && !(st = dbf__sq_stmt(store, S_OWNER_INSERT)))
        status = DBF_STORE_INTERNAL;
    if (status == DBF_STORE_OK) {
        /* The first owner, as every later one is recorded. */
        sqlite3_bind_int64(st, 1, new_id);
        sqlite3_bind_null(st, 2);
        sqlite3_bind_int64(st, 3, team);
        dbf__sq_bind_id(st, 4, author);
        dbf__sq_bind_text(st, 5, "");
        sqlite3_bind_int64(st, 6, when);
        status = dbf__sq_run(store, st);
    }
    if (status == DBF_STORE_OK)
        status = dbf__sq_audit(store, author, "postmortem.create", slug,
                               dbf_visibility_name(visibility));
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return dbf__sq_tx_end(store, status);
}

enum dbf_store_status dbf__sq_pm_get(struct dbf_store *store, int64_t viewer, const char *slug,
                                     struct dbf_postmortem *out)
{
    return dbf__sq_find_pm(store, viewer, slug, out, NULL);
}

static bool read_revision(sqlite3_stmt *st, struct dbf_revision *out, bool markdown)
{
    out->number = sqlite3_column_int(st, 0);
    out->author = sqlite3_column_int64(st, 1);
    dbf__sq_column_copy(st, 2, out->author_name, sizeof out->author_name);
    out->created = sqlite3_column_int64(st, 3);
    if (!markdown) {
        out->length = (size_t)sqlite3_column_int64(st, 4);
        return true;
    }
    out->markdown = dbf__sq_column_dup(st, 4);
    out->length = (size_t)sqlite3_column_bytes(st, 4);
    return out->markdown != NULL;
}

static bool read_history_row(sqlite3_stmt *st, void *item)
{
    return read_revision(st, item, false);
}

enum dbf_store_status dbf__sq_revision_get(struct dbf_store *store, int64_t viewer,
                                           const char *slug, int number, struct dbf_revision *out)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = dbf__sq_find_pm(store, viewer, slug, &pm, NULL);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_REV_GET);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, pm.id);
    sqlite3_bind_int(st, 2, number ? number : pm.revision);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (!read_revision(st, out, true))
            status = dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    } else if (rc == SQLITE_DONE) {
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND,
                                 "'%.128s' has no revision %d (the newest is %d)", slug, number,
                                 pm.revision);
    } else {
        status = dbf__sq_fail(store, rc);
    }
    sqlite3_reset(st);
    return status;
}

enum dbf_store_status dbf__sq_revision_save(struct dbf_store *store, const char *slug, int base,
                                            const struct dbf_pm_content *content, int64_t author,
                                            int *number)
{
    /* The newest revision is read inside the write transaction: a second
     * writer waits for the first to commit and then sees its revision. */
    enum dbf_store_status status = dbf__sq_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__sq_find_pm(store, author, slug, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__sq_tx_end(store, status);
    dbf_postmortem_release(&pm);
    if (base != pm.revision) {
        *number = pm.revision;
        return dbf__sq_tx_end(store, dbf__store_fail(store, DBF_STORE_CONFLICT,
                                                     "'%s' changed: this edit is based on "
                                                     "revision %d but the newest is %d",
                                                     slug, base, pm.revision));
    }
    int64_t when = dbf_store_now(store);
    int next = pm.revision + 1;
    status = add_revision(store, pm.id, next, content, author, when);
    sqlite3_stmt *st = status == DBF_STORE_OK ? dbf__sq_stmt(store, S_PM_SET_REVISION) : NULL;
    if (status == DBF_STORE_OK && !st)
        status = DBF_STORE_INTERNAL;
    if (status == DBF_STORE_OK) {
        sqlite3_bind_int(st, 1, next);
        dbf__sq_bind_text(st, 2, content->title);
        dbf__sq_bind_text(st, 3, or_empty(content->severity));
        dbf__sq_bind_text(st, 4, or_empty(content->service));
        dbf__sq_bind_text(st, 5, or_empty(content->tags));
        dbf__sq_bind_text(st, 6, or_empty(content->started));
        sqlite3_bind_int64(st, 7, when);
        sqlite3_bind_int64(st, 8, pm.id);
        sqlite3_bind_int(st, 9, pm.revision);
        status = dbf__sq_run(store, st);
    }
    if (status == DBF_STORE_OK) {
        char detail[32];
        snprintf(detail, sizeof detail, "revision %d", next);
        status = dbf__sq_audit(store, author, "postmortem.save", slug, detail);
    }
    if (status == DBF_STORE_OK)
        *number = next;
    return dbf__sq_tx_end(store, status);
}

enum dbf_store_status dbf__sq_history(struct dbf_store *store, int64_t viewer, const char *slug,
                                      struct dbf_revision **out, size_t *count)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = dbf__sq_find_pm(store, viewer, slug, &pm, NULL);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    sqlite3_stmt *st = dbf__sq_stmt(store, S_HISTORY);
    if (!st)
        return DBF_STORE_INTERNAL;
    sqlite3_bind_int64(st, 1, pm.id);
    void *items;
    status = dbf__sq_collect(store, st, sizeof **out, read_history_row, &items, count);
    *out = items;
    return status;
}
