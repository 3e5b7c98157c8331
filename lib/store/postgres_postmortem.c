/* postgres_postmortem.c: post mortems and their revisions in PostgreSQL:
 * creating, reading, saving under the conflict rule, and the copies a
 * revision refreshes (search document, tags, action items).
 *
 * The conflict rule across servers: a save locks the post mortem's row
 * (SELECT … FOR UPDATE) before it reads the newest revision, so a second
 * writer on the same base waits for the first to commit, then reads the
 * first one's revision and answers CONFLICT. */
#include "postgres_impl.h"

#include <stdio.h>
#include <string.h>

static const struct pg_statement pm_by_slug = {
    "pm_get", "SELECT " PG_PM_COLUMNS " FROM postmortems p JOIN teams t ON t.id = p.owner_team_id"
              " WHERE p.slug = $2 AND " PG_VISIBLE};
static const struct pg_statement pm_by_slug_locked = {
    "pm_get_locked",
    "SELECT " PG_PM_COLUMNS " FROM postmortems p JOIN teams t ON t.id = p.owner_team_id"
    " WHERE p.slug = $2 AND " PG_VISIBLE " FOR UPDATE OF p"};
static const struct pg_statement pm_insert = {
    "pm_insert", "INSERT INTO postmortems (slug, title, severity, service, tags, started,"
                 " owner_team_id, visibility, status, revision, created, updated, status_changed)"
                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', 1, $9, $9, $9) RETURNING id"};
static const struct pg_statement pm_new_revision = {
    "pm_set_revision", "UPDATE postmortems SET revision = $1, title = $2, severity = $3,"
                       " service = $4, tags = $5, started = $6, updated = $7"
                       " WHERE id = $8 AND revision = $9"};
static const struct pg_statement first_owner = {
    "pm_first_owner", "INSERT INTO ownership_changes (postmortem_id, from_team_id, to_team_id,"
                      " actor_id, reason, created) VALUES ($1, NULL, $2, $3, '', $4)"};
static const struct pg_statement revision_insert = {
    "rev_insert", "INSERT INTO revisions (postmortem_id, number, markdown, author_id, created)"
                  " VALUES ($1, $2, $3, $4, $5)"};
static const struct pg_statement revision_one = {
    "rev_get", "SELECT r.number, coalesce(r.author_id, 0), coalesce(u.name, ''), r.created,"
               " r.markdown FROM revisions r LEFT JOIN users u ON u.id = r.author_id"
               " WHERE r.postmortem_id = $1 AND r.number = $2"};
static const struct pg_statement revision_all = {
    "history", "SELECT r.number, coalesce(r.author_id, 0), coalesce(u.name, ''), r.created,"
               " octet_length(r.markdown) FROM revisions r LEFT JOIN users u ON u.id = r.author_id"
               " WHERE r.postmortem_id = $1 ORDER BY r.number"};
/* A tsvector holds at most 1 MB: the search document takes the title's
 * first 4 Ki characters and the text's first 256 Ki, which stay under it
 * whatever the words (about 3 bytes a character at worst), so a huge
 * document (a log dump of unique ids) is saved whole, and searchable in its
 * first 256 Ki characters, rather than refused. The lead, what search
 * ranks by, is the title and the text's opening (postgres_schema.c). */
static const struct pg_statement search_index = {
    "search_index", "INSERT INTO postmortem_search (postmortem_id, document, lead)"
                    " VALUES ($1, setweight(to_tsvector('debrief_search', left($2, 4096)), 'A')"
                    "          || setweight(to_tsvector('debrief_search', left($3, 262144)), 'B'),"
                    "         search_lead($2, $3))"
                    " ON CONFLICT (postmortem_id) DO UPDATE"
                    " SET document = EXCLUDED.document, lead = EXCLUDED.lead"};
static const struct pg_statement tags_clear = {
    "tags_clear", "DELETE FROM postmortem_tags WHERE postmortem_id = $1"};
static const struct pg_statement tags_insert = {
    "tags_insert", "INSERT INTO postmortem_tags (postmortem_id, tag)"
                   " SELECT DISTINCT $1::bigint, lower(btrim(x, E' \\t'))"
                   " FROM unnest(string_to_array($2, ',')) AS x WHERE btrim(x, E' \\t') <> ''"};

bool dbf__pg_read_pm(const PGresult *r, int row, struct dbf_postmortem *out, int *round)
{
    out->id = dbf__pg_int(r, row, 0);
    dbf__pg_copy(r, row, 1, out->slug, sizeof out->slug);
    out->title = dbf__pg_dup(r, row, 2);
    dbf__pg_copy(r, row, 3, out->severity, sizeof out->severity);
    out->owner_team = dbf__pg_int(r, row, 4);
    dbf__pg_copy(r, row, 5, out->owner_team_name, sizeof out->owner_team_name);
    dbf_visibility_parse(PQgetvalue(r, row, 6), &out->visibility);
    dbf_pm_status_parse(PQgetvalue(r, row, 7), &out->status);
    out->revision = (int)dbf__pg_int(r, row, 8);
    out->created = dbf__pg_int(r, row, 9);
    out->updated = dbf__pg_int(r, row, 10);
    dbf__pg_copy(r, row, 11, out->service, sizeof out->service);
    out->tags = dbf__pg_dup(r, row, 12);
    dbf__pg_copy(r, row, 13, out->started, sizeof out->started);
    out->status_changed = dbf__pg_int(r, row, 14);
    if (round)
        *round = (int)dbf__pg_int(r, row, 15);
    return out->title && out->tags;
}

enum dbf_store_status dbf__pg_find_pm(struct dbf_store *store, int64_t viewer, const char *slug,
                                      bool for_update, struct dbf_postmortem *out, int *round)
{
    memset(out, 0, sizeof *out);
    struct pg_params p = {0};
    dbf__pg_param_int(&p, viewer);
    dbf__pg_param_text(&p, slug);
    PGresult *r;
    enum dbf_store_status status =
        dbf__pg_run(store, for_update ? &pm_by_slug_locked : &pm_by_slug, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    if (PQntuples(r) != 1)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no post mortem '%.128s'", slug);
    else if (!dbf__pg_read_pm(r, 0, out, round))
        status = dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    PQclear(r);
    if (status != DBF_STORE_OK)
        dbf_postmortem_release(out);
    return status;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* Writes revision NUMBER of post mortem ID and refreshes what the newest
 * revision decides: the search document, the tags and the action items. */
static enum dbf_store_status add_revision(struct dbf_store *store, int64_t id, int number,
                                          const struct dbf_pm_content *content, int64_t author,
                                          int64_t when)
{
    struct pg_params p = {0};
    dbf__pg_param_int(&p, id);
    dbf__pg_param_int(&p, number);
    dbf__pg_param_text(&p, content->markdown);
    dbf__pg_param_id(&p, author);
    dbf__pg_param_int(&p, when);
    enum dbf_store_status status = dbf__pg_run(store, &revision_insert, &p, NULL);
    if (status == DBF_STORE_OK) {
        p = (struct pg_params){0};
        dbf__pg_param_int(&p, id);
        dbf__pg_param_text(&p, content->title);
        dbf__pg_param_text(&p, content->markdown);
        status = dbf__pg_run(store, &search_index, &p, NULL);
    }
    if (status == DBF_STORE_OK) {
        p = (struct pg_params){0};
        dbf__pg_param_int(&p, id);
        status = dbf__pg_run(store, &tags_clear, &p, NULL);
    }
    if (status == DBF_STORE_OK && content->tags && *content->tags) {
        dbf__pg_param_text(&p, content->tags);
        status = dbf__pg_run(store, &tags_insert, &p, NULL);
    }
    if (status == DBF_STORE_OK)
        status = dbf__pg_actions_replace(store, id, content);
    return status;
}

enum dbf_store_status dbf__pg_pm_create(struct dbf_store *store, const char *slug, int64_t team,
                                        enum dbf_visibility visibility,
                                        const struct dbf_pm_content *content, int64_t author,
                                        int64_t *id)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    int64_t when = dbf_store_now(store);
    struct pg_params p = {0};
    dbf__pg_param_text(&p, slug);
    dbf__pg_param_text(&p, content->title);
    dbf__pg_param_text(&p, or_empty(content->severity));
    dbf__pg_param_text(&p, or_empty(content->service));
    dbf__pg_param_text(&p, or_empty(content->tags));
    dbf__pg_param_text(&p, or_empty(content->started));
    dbf__pg_param_int(&p, team);
    dbf__pg_param_text(&p, dbf_visibility_name(visibility));
    dbf__pg_param_int(&p, when);
    PGresult *r;
    int64_t new_id = 0;
    status = dbf__pg_run(store, &pm_insert, &p, &r);
    if (status == DBF_STORE_OK) {
        new_id = dbf__pg_int(r, 0, 0);
        PQclear(r);
    } else if (status == DBF_STORE_CONFLICT) {
        dbf__store_fail(store, status, "the post mortem '%s' already exists", slug);
    } else if (status == DBF_STORE_INVALID) {
        dbf__store_fail(store, status, "no team %lld to own '%s'", (long long)team, slug);
    }
    if (status == DBF_STORE_OK)
        status = add_revision(store, new_id, 1, content, author, when);
    if (status == DBF_STORE_OK) {
        p = (struct pg_params){0};
        dbf__pg_param_int(&p, new_id);
        dbf__pg_param_int(&p, team);
        dbf__pg_param_id(&p, author);
        dbf__pg_param_int(&p, when);
        status = dbf__pg_run(store, &first_owner, &p, NULL);
    }
    if (status == DBF_STORE_OK)
        status = dbf__pg_audit(store, author, "postmortem.create", slug,
                               dbf_visibility_name(visibility));
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return dbf__pg_tx_end(store, status);
}

enum dbf_store_status dbf__pg_pm_get(struct dbf_store *store, int64_t viewer, const char *slug,
                                     struct dbf_postmortem *out)
{
    return dbf__pg_find_pm(store, viewer, slug, false, out, NULL);
}

static bool read_revision(const PGresult *r, int row, struct dbf_revision *out, bool markdown)
{
    out->number = (int)dbf__pg_int(r, row, 0);
    out->author = dbf__pg_int(r, row, 1);
    dbf__pg_copy(r, row, 2, out->author_name, sizeof out->author_name);
    out->created = dbf__pg_int(r, row, 3);
    if (!markdown) {
        out->length = (size_t)dbf__pg_int(r, row, 4);
        return true;
    }
    out->markdown = dbf__pg_dup(r, row, 4);
    out->length = (size_t)PQgetlength(r, row, 4);
    return out->markdown != NULL;
}

static bool read_history_row(const PGresult *r, int row, void *item)
{
    return read_revision(r, row, item, false);
}

enum dbf_store_status dbf__pg_revision_get(struct dbf_store *store, int64_t viewer,
                                           const char *slug, int number, struct dbf_revision *out)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = dbf__pg_find_pm(store, viewer, slug, false, &pm, NULL);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    struct pg_params p = {0};
    dbf__pg_param_int(&p, pm.id);
    dbf__pg_param_int(&p, number ? number : pm.revision);
    PGresult *r;
    status = dbf__pg_run(store, &revision_one, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    if (PQntuples(r) != 1)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND,
                                 "'%.128s' has no revision %d (the newest is %d)", slug, number,
                                 pm.revision);
    else if (!read_revision(r, 0, out, true))
        status = dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
    PQclear(r);
    return status;
}

enum dbf_store_status dbf__pg_revision_save(struct dbf_store *store, const char *slug, int base,
                                            const struct dbf_pm_content *content, int64_t author,
                                            int *number)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__pg_find_pm(store, author, slug, true, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    dbf_postmortem_release(&pm);
    if (base != pm.revision) {
        *number = pm.revision;
        return dbf__pg_tx_end(store,
                              dbf__store_fail(store, DBF_STORE_CONFLICT,
                                              "'%s' changed: this edit is based on revision %d "
                                              "but the newest is %d",
                                              slug, base, pm.revision));
    }
    int64_t when = dbf_store_now(store);
    int next = pm.revision + 1;
    status = add_revision(store, pm.id, next, content, author, when);
    if (status == DBF_STORE_OK) {
        struct pg_params p = {0};
        dbf__pg_param_int(&p, next);
        dbf__pg_param_text(&p, content->title);
        dbf__pg_param_text(&p, or_empty(content->severity));
        dbf__pg_param_text(&p, or_empty(content->service));
        dbf__pg_param_text(&p, or_empty(content->tags));
        dbf__pg_param_text(&p, or_empty(content->started));
        dbf__pg_param_int(&p, when);
        dbf__pg_param_int(&p, pm.id);
        dbf__pg_param_int(&p, pm.revision);
        long changed = 0;
        status = dbf__pg_run_changes(store, &pm_new_revision, &p, &changed);
        if (status == DBF_STORE_OK && changed != 1)
            status = dbf__store_fail(store, DBF_STORE_CONFLICT,
                                     "'%s' changed while this edit was saved", slug);
    }
    if (status == DBF_STORE_OK) {
        char detail[32];
        snprintf(detail, sizeof detail, "revision %d", next);
        status = dbf__pg_audit(store, author, "postmortem.save", slug, detail);
    }
    if (status == DBF_STORE_OK)
        *number = next;
    return dbf__pg_tx_end(store, status);
}

enum dbf_store_status dbf__pg_history(struct dbf_store *store, int64_t viewer, const char *slug,
                                      struct dbf_revision **out, size_t *count)
{
    struct dbf_postmortem pm;
    enum dbf_store_status status = dbf__pg_find_pm(store, viewer, slug, false, &pm, NULL);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    struct pg_params p = {0};
    dbf__pg_param_int(&p, pm.id);
    PGresult *r;
    status = dbf__pg_run(store, &revision_all, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    void *items;
    status = dbf__pg_collect(store, r, sizeof **out, read_history_row, &items, count);
    *out = items;
    return status;
}
