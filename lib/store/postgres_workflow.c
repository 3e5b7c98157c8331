/* postgres_workflow.c: the life of a post mortem in PostgreSQL: workflow
 * moves, approvals, owners, comments, and the audit log they write.
 *
 * Each move into review starts a new review round; an approval belongs to
 * the round it was given in, so leaving review and coming back starts
 * again with none. Writes lock the post mortem's row first, so two servers
 * moving one post mortem take turns and the second sees the first's move. */
#include "postgres_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct pg_statement status_set = {
    "pm_set_status", "UPDATE postmortems SET status = $1, updated = $2, status_changed = $2,"
                     " review_round = review_round + $3 WHERE id = $4"};
static const struct pg_statement state_insert = {
    "state_insert", "INSERT INTO state_changes (postmortem_id, from_status, to_status,"
                    " actor_id, reason, created) VALUES ($1, $2, $3, $4, $5, $6)"};
static const struct pg_statement state_list = {
    "state_list", "SELECT c.from_status, c.to_status, coalesce(c.actor_id, 0),"
                  " coalesce(u.name, ''), c.reason, c.created FROM state_changes c"
                  " LEFT JOIN users u ON u.id = c.actor_id"
                  " WHERE c.postmortem_id = $1 ORDER BY c.id"};
static const struct pg_statement owner_set = {
    "pm_set_owner", "UPDATE postmortems SET owner_team_id = $1, updated = $2 WHERE id = $3"};
static const struct pg_statement owner_insert = {
    "owner_insert", "INSERT INTO ownership_changes (postmortem_id, from_team_id, to_team_id,"
                    " actor_id, reason, created) VALUES ($1, $2, $3, $4, $5, $6)"};
/* The first owner first, whenever it was recorded. */
static const struct pg_statement owner_list = {
    "owner_list", "SELECT coalesce(o.from_team_id, 0), o.to_team_id, coalesce(f.name, ''),"
                  " coalesce(t.name, ''), coalesce(o.actor_id, 0), coalesce(u.name, ''),"
                  " o.reason, o.created FROM ownership_changes o"
                  " LEFT JOIN teams f ON f.id = o.from_team_id"
                  " LEFT JOIN teams t ON t.id = o.to_team_id"
                  " LEFT JOIN users u ON u.id = o.actor_id"
                  " WHERE o.postmortem_id = $1"
                  " ORDER BY o.from_team_id IS NOT NULL, o.created, o.id"};
/* A reviewer approves once a round; approving again replaces it. */
static const struct pg_statement approval_upsert = {
    "approve", "INSERT INTO approvals (postmortem_id, review_round, reviewer_id, revision,"
               " note, created) VALUES ($1, $2, $3, $4, $5, $6)"
               " ON CONFLICT (postmortem_id, review_round, reviewer_id) DO UPDATE"
               " SET revision = EXCLUDED.revision, note = EXCLUDED.note,"
               " created = EXCLUDED.created"};
static const struct pg_statement approval_list = {
    "approvals", "SELECT a.reviewer_id, coalesce(u.name, ''), a.revision, a.note, a.created"
                 " FROM approvals a LEFT JOIN users u ON u.id = a.reviewer_id"
                 " WHERE a.postmortem_id = $1 AND a.review_round = $2"
                 " ORDER BY a.created, a.id"};
static const struct pg_statement comment_insert = {
    "comment_add", "INSERT INTO comments (postmortem_id, author_id, body, created)"
                   " VALUES ($1, $2, $3, $4) RETURNING id"};
static const struct pg_statement comment_list = {
    "comments", "SELECT c.id, coalesce(c.author_id, 0), coalesce(u.name, ''), c.body, c.created"
                " FROM comments c LEFT JOIN users u ON u.id = c.author_id"
                " WHERE c.postmortem_id = $1 ORDER BY c.id"};
static const struct pg_statement audit_insert = {
    "audit", "INSERT INTO audit_log (actor_id, action, target, detail, created)"
             " VALUES ($1, $2, $3, $4, $5)"};
static const struct pg_statement audit_newest = {
    "audit_list", "SELECT l.id, coalesce(l.actor_id, 0), coalesce(u.name, ''), l.action,"
                  " l.target, l.detail, l.created FROM audit_log l"
                  " LEFT JOIN users u ON u.id = l.actor_id ORDER BY l.id DESC LIMIT $1"};

enum dbf_store_status dbf__pg_audit(struct dbf_store *store, int64_t actor, const char *action,
                                    const char *target, const char *detail)
{
    struct pg_params p = {0};
    dbf__pg_param_id(&p, actor);
    dbf__pg_param_text(&p, action);
    dbf__pg_param_text(&p, target);
    dbf__pg_param_text(&p, detail);
    dbf__pg_param_int(&p, dbf_store_now(store));
    return dbf__pg_run(store, &audit_insert, &p, NULL);
}

enum dbf_store_status dbf__pg_transition(struct dbf_store *store, const char *slug,
                                         enum dbf_pm_status to, int64_t actor, const char *reason)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__pg_find_pm(store, actor, slug, true, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    dbf_postmortem_release(&pm);
    if (!dbf__store_move_allowed(pm.status, to))
        return dbf__pg_tx_end(
            store, dbf__store_fail(store, DBF_STORE_INVALID, "'%s' cannot go from %s to %s", slug,
                                   dbf_pm_status_name(pm.status), dbf_pm_status_name(to)));
    if (pm.status == DBF_PM_PUBLISHED && !*reason)
        return dbf__pg_tx_end(store, dbf__store_fail(store, DBF_STORE_INVALID,
                                                     "reopening '%s' needs a reason", slug));
    int64_t when = dbf_store_now(store);
    struct pg_params p = {0};
    dbf__pg_param_text(&p, dbf_pm_status_name(to));
    dbf__pg_param_int(&p, when);
    dbf__pg_param_int(&p, to == DBF_PM_REVIEW);
    dbf__pg_param_int(&p, pm.id);
    status = dbf__pg_run(store, &status_set, &p, NULL);
    if (status == DBF_STORE_OK) {
        p = (struct pg_params){0};
        dbf__pg_param_int(&p, pm.id);
        dbf__pg_param_text(&p, dbf_pm_status_name(pm.status));
        dbf__pg_param_text(&p, dbf_pm_status_name(to));
        dbf__pg_param_id(&p, actor);
        dbf__pg_param_text(&p, reason);
        dbf__pg_param_int(&p, when);
        status = dbf__pg_run(store, &state_insert, &p, NULL);
    }
    if (status == DBF_STORE_OK) {
        char detail[600];
        snprintf(detail, sizeof detail, "%s -> %s%s%.500s", dbf_pm_status_name(pm.status),
                 dbf_pm_status_name(to), *reason ? ": " : "", reason);
        status = dbf__pg_audit(
            store, actor, pm.status == DBF_PM_PUBLISHED ? "postmortem.reopen" : "postmortem.move",
            slug, detail);
    }
    return dbf__pg_tx_end(store, status);
}

/* Runs the list STATEMENT over the rows of post mortem SLUG, when VIEWER
 * may see it. BY_ROUND binds its review round second. */
static enum dbf_store_status list_of_pm(struct dbf_store *store, int64_t viewer, const char *slug,
                                        const struct pg_statement *statement, bool by_round,
                                        size_t size, bool (*read)(const PGresult *, int, void *),
                                        void **out, size_t *count)
{
    struct dbf_postmortem pm;
    int round = 0;
    enum dbf_store_status status = dbf__pg_find_pm(store, viewer, slug, false, &pm, &round);
    if (status != DBF_STORE_OK)
        return status;
    dbf_postmortem_release(&pm);
    struct pg_params p = {0};
    dbf__pg_param_int(&p, pm.id);
    if (by_round)
        dbf__pg_param_int(&p, round);
    PGresult *r;
    status = dbf__pg_run(store, statement, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    return dbf__pg_collect(store, r, size, read, out, count);
}

static bool read_state_row(const PGresult *r, int row, void *item)
{
    struct dbf_state_change *c = item;
    dbf_pm_status_parse(PQgetvalue(r, row, 0), &c->from);
    dbf_pm_status_parse(PQgetvalue(r, row, 1), &c->to);
    c->actor = dbf__pg_int(r, row, 2);
    dbf__pg_copy(r, row, 3, c->actor_name, sizeof c->actor_name);
    c->reason = dbf__pg_dup(r, row, 4);
    c->created = dbf__pg_int(r, row, 5);
    return c->reason != NULL;
}

enum dbf_store_status dbf__pg_state_changes(struct dbf_store *store, int64_t viewer,
                                            const char *slug, struct dbf_state_change **out,
                                            size_t *count)
{
    void *items = NULL;
    enum dbf_store_status status = list_of_pm(store, viewer, slug, &state_list, false, sizeof **out,
                                              read_state_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__pg_approve(struct dbf_store *store, const char *slug, int64_t reviewer,
                                      const char *note)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    int round = 0;
    status = dbf__pg_find_pm(store, reviewer, slug, true, &pm, &round);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    dbf_postmortem_release(&pm);
    if (pm.status != DBF_PM_REVIEW)
        return dbf__pg_tx_end(store, dbf__store_fail(store, DBF_STORE_INVALID,
                                                     "'%s' is not in review but %s", slug,
                                                     dbf_pm_status_name(pm.status)));
    struct pg_params p = {0};
    dbf__pg_param_int(&p, pm.id);
    dbf__pg_param_int(&p, round);
    dbf__pg_param_int(&p, reviewer);
    dbf__pg_param_int(&p, pm.revision);
    dbf__pg_param_text(&p, note ? note : "");
    dbf__pg_param_int(&p, dbf_store_now(store));
    status = dbf__pg_run(store, &approval_upsert, &p, NULL);
    if (status == DBF_STORE_INVALID)
        dbf__store_fail(store, status, "no user %lld", (long long)reviewer);
    if (status == DBF_STORE_OK) {
        char detail[32];
        snprintf(detail, sizeof detail, "revision %d", pm.revision);
        status = dbf__pg_audit(store, reviewer, "postmortem.approve", slug, detail);
    }
    return dbf__pg_tx_end(store, status);
}

static bool read_approval_row(const PGresult *r, int row, void *item)
{
    struct dbf_approval *a = item;
    a->reviewer = dbf__pg_int(r, row, 0);
    dbf__pg_copy(r, row, 1, a->reviewer_name, sizeof a->reviewer_name);
    a->revision = (int)dbf__pg_int(r, row, 2);
    a->note = dbf__pg_dup(r, row, 3);
    a->created = dbf__pg_int(r, row, 4);
    return a->note != NULL;
}

enum dbf_store_status dbf__pg_approvals(struct dbf_store *store, int64_t viewer, const char *slug,
                                        struct dbf_approval **out, size_t *count)
{
    void *items = NULL;
    enum dbf_store_status status = list_of_pm(store, viewer, slug, &approval_list, true,
                                              sizeof **out, read_approval_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__pg_pm_reassign(struct dbf_store *store, const char *slug, int64_t team,
                                          int64_t actor, const char *reason)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__pg_find_pm(store, actor, slug, true, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    dbf_postmortem_release(&pm);
    int64_t when = dbf_store_now(store);
    struct pg_params p = {0};
    dbf__pg_param_int(&p, team);
    dbf__pg_param_int(&p, when);
    dbf__pg_param_int(&p, pm.id);
    status = dbf__pg_run(store, &owner_set, &p, NULL);
    if (status == DBF_STORE_INVALID)
        dbf__store_fail(store, status, "no team %lld", (long long)team);
    if (status == DBF_STORE_OK) {
        p = (struct pg_params){0};
        dbf__pg_param_int(&p, pm.id);
        dbf__pg_param_int(&p, pm.owner_team);
        dbf__pg_param_int(&p, team);
        dbf__pg_param_id(&p, actor);
        dbf__pg_param_text(&p, reason);
        dbf__pg_param_int(&p, when);
        status = dbf__pg_run(store, &owner_insert, &p, NULL);
    }
    if (status == DBF_STORE_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "team:%lld -> team:%lld", (long long)pm.owner_team,
                 (long long)team);
        status = dbf__pg_audit(store, actor, "postmortem.reassign", slug, detail);
    }
    return dbf__pg_tx_end(store, status);
}

static bool read_owner_row(const PGresult *r, int row, void *item)
{
    struct dbf_ownership_change *c = item;
    c->from_team = dbf__pg_int(r, row, 0);
    c->to_team = dbf__pg_int(r, row, 1);
    dbf__pg_copy(r, row, 2, c->from_name, sizeof c->from_name);
    dbf__pg_copy(r, row, 3, c->to_name, sizeof c->to_name);
    c->actor = dbf__pg_int(r, row, 4);
    dbf__pg_copy(r, row, 5, c->actor_name, sizeof c->actor_name);
    c->reason = dbf__pg_dup(r, row, 6);
    c->created = dbf__pg_int(r, row, 7);
    return c->reason != NULL;
}

enum dbf_store_status dbf__pg_ownership_changes(struct dbf_store *store, int64_t viewer,
                                                const char *slug, struct dbf_ownership_change **out,
                                                size_t *count)
{
    void *items = NULL;
    enum dbf_store_status status = list_of_pm(store, viewer, slug, &owner_list, false, sizeof **out,
                                              read_owner_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__pg_comment_add(struct dbf_store *store, const char *slug, int64_t author,
                                          const char *body, int64_t *id)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct dbf_postmortem pm;
    status = dbf__pg_find_pm(store, author, slug, false, &pm, NULL);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    dbf_postmortem_release(&pm);
    struct pg_params p = {0};
    dbf__pg_param_int(&p, pm.id);
    dbf__pg_param_id(&p, author);
    dbf__pg_param_text(&p, body);
    dbf__pg_param_int(&p, dbf_store_now(store));
    PGresult *r;
    int64_t new_id = 0;
    status = dbf__pg_run(store, &comment_insert, &p, &r);
    if (status == DBF_STORE_OK) {
        new_id = dbf__pg_int(r, 0, 0);
        PQclear(r);
        char detail[32];
        snprintf(detail, sizeof detail, "comment:%lld", (long long)new_id);
        status = dbf__pg_audit(store, author, "comment.add", slug, detail);
    }
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return dbf__pg_tx_end(store, status);
}

static bool read_comment_row(const PGresult *r, int row, void *item)
{
    struct dbf_comment *c = item;
    c->id = dbf__pg_int(r, row, 0);
    c->author = dbf__pg_int(r, row, 1);
    dbf__pg_copy(r, row, 2, c->author_name, sizeof c->author_name);
    c->body = dbf__pg_dup(r, row, 3);
    c->created = dbf__pg_int(r, row, 4);
    return c->body != NULL;
}

enum dbf_store_status dbf__pg_comments(struct dbf_store *store, int64_t viewer, const char *slug,
                                       struct dbf_comment **out, size_t *count)
{
    void *items = NULL;
    enum dbf_store_status status = list_of_pm(store, viewer, slug, &comment_list, false,
                                              sizeof **out, read_comment_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__pg_audit_add(struct dbf_store *store, int64_t actor, const char *action,
                                        const char *target, const char *detail)
{
    return dbf__pg_audit(store, actor, action, target, detail);
}

static bool read_audit_row(const PGresult *r, int row, void *item)
{
    struct dbf_audit_entry *e = item;
    e->id = dbf__pg_int(r, row, 0);
    e->actor = dbf__pg_int(r, row, 1);
    dbf__pg_copy(r, row, 2, e->actor_name, sizeof e->actor_name);
    dbf__pg_copy(r, row, 3, e->action, sizeof e->action);
    e->target = dbf__pg_dup(r, row, 4);
    e->detail = dbf__pg_dup(r, row, 5);
    e->created = dbf__pg_int(r, row, 6);
    return e->target && e->detail;
}

enum dbf_store_status dbf__pg_audit_list(struct dbf_store *store, size_t limit,
                                         struct dbf_audit_entry **out, size_t *count)
{
    struct pg_params p = {0};
    dbf__pg_param_int(&p, limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &audit_newest, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    void *items;
    status = dbf__pg_collect(store, r, sizeof **out, read_audit_row, &items, count);
    *out = items;
    return status;
}
