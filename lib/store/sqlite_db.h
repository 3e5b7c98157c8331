/* sqlite_db.h: what the files of the SQLite backend share: the connection,
 * its cache of prepared statements, the helpers that run them, and each
 * file's methods for the table in sqlite.c.
 *
 * Every statement is prepared once per connection, on first use, from the
 * dbf__sqlite_sql[] table (sqlite_statements.c) and kept
 * (SQLITE_PREPARE_PERSISTENT); dbf__sq_stmt() hands it back reset and
 * unbound. Writes run in one IMMEDIATE transaction with their audit entry.
 * Every time written or compared comes from dbf_store_now(). */
#ifndef DEBRIEF_SQLITE_DB_H
#define DEBRIEF_SQLITE_DB_H

#include "store_impl.h"

#include <sqlite3.h>

/* Visible to :viewer: public, or the viewer is an admin, a member of the
 * owner team, or named on it (as a user or through a team). */
#define SQ_VISIBLE                                                                                 \
    "(p.visibility = 'public'"                                                                     \
    " OR EXISTS (SELECT 1 FROM users v WHERE v.id = :viewer AND v.role = 'admin')"                 \
    " OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = :viewer"                            \
    "            AND m.team_id = p.owner_team_id)"                                                 \
    " OR EXISTS (SELECT 1 FROM postmortem_access a WHERE a.postmortem_id = p.id"                   \
    "            AND (a.user_id = :viewer OR a.team_id IN"                                         \
    "                 (SELECT team_id FROM memberships WHERE user_id = :viewer))))"

/* The columns dbf__sq_read_pm() reads, from postmortems p joined with its
 * owner team t. */
#define SQ_PM_COLUMNS                                                                              \
    "p.id, p.slug, p.title, p.severity, p.owner_team_id, t.name, p.visibility, p.status,"          \
    " p.revision, p.created, p.updated, p.service, p.tags, p.started, p.status_changed,"           \
    " p.review_round"

/* The filters of a post mortem list, on p. */
#define SQ_LIST_FILTERS                                                                            \
    " AND (:status IS NULL OR p.status = :status)"                                                 \
    " AND (:severity IS NULL OR p.severity = :severity COLLATE NOCASE)"                            \
    " AND (:service IS NULL OR p.service = :service COLLATE NOCASE)"                               \
    " AND (:tag IS NULL OR EXISTS (SELECT 1 FROM postmortem_tags g"                                \
    "      WHERE g.postmortem_id = p.id AND g.tag = :tag))"                                        \
    " AND (:since IS NULL OR (p.started <> '' AND p.started >= :since))"                           \
    " AND (:until IS NULL OR (p.started <> '' AND p.started <= :until))"                           \
    " AND (:team = 0 OR p.owner_team_id = :team)"

/* The rows a list reads from: every post mortem, or those matching :match. */
#define SQ_LIST_FROM "postmortems p JOIN teams t ON t.id = p.owner_team_id"
#define SQ_SEARCH_FROM                                                                             \
    "postmortem_search s JOIN postmortems p ON p.id = s.rowid"                                     \
    " JOIN teams t ON t.id = p.owner_team_id"
#define SQ_SEARCH_MATCH "postmortem_search MATCH :match AND "

enum statement {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_VERSION,
    S_DATA_VERSION,
    S_USER_ADD,
    S_USER_ANY,
    S_USER_BY_NAME,
    S_USER_BY_ID,
    S_USER_SET_PASSWORD,
    S_USER_SET_ROLE,
    S_USER_LIST,
    S_TEAM_ADD,
    S_TEAM_GET,
    S_TEAM_BY_ID,
    S_TEAM_LIST,
    S_TEAM_LIST_USER,
    S_TEAM_MEMBERS,
    S_MEMBER_ADD,
    S_MEMBER_REMOVE,
    S_TOKEN_ADD,
    S_TOKEN_FIND,
    S_TOKEN_LIST,
    S_TOKEN_REVOKE,
    S_SESSION_PURGE,
    S_SESSION_ADD,
    S_SESSION_FIND,
    S_SESSION_END,
    S_LOGIN_FAILURE,
    S_LOGIN_FAILURES,
    S_LOGIN_FORGET,
    S_PM_INSERT,
    S_PM_GET,
    S_PM_SET_REVISION,
    S_PM_SET_STATUS,
    S_PM_SET_OWNER,
    S_PM_SET_VISIBILITY,
    S_PM_EXISTS,
    S_TAGS_DELETE,
    S_TAG_INSERT,
    S_GRANT,
    S_REVOKE,
    S_GRANTS,
    S_COUNT_LIST,
    S_COUNT_SEARCH,
    S_REV_INSERT,
    S_REV_GET,
    S_HISTORY,
    S_FTS_DELETE,
    S_FTS_INSERT,
    S_STATE_INSERT,
    S_STATE_LIST,
    S_OWNER_INSERT,
    S_OWNER_LIST,
    S_APPROVE,
    S_APPROVALS,
    S_COMMENT_ADD,
    S_COMMENTS,
    S_AUDIT,
    S_AUDIT_LIST,
    S_ACTIONS_DELETE,
    S_ACTION_INSERT,
    S_MARK_SUPERSEDE,
    S_MARKS_ORPHANED,
    S_ACTION_GET,
    S_MARK_SET,
    S_MARK_HISTORY,
    S_ACTIONS,
    S_ATT_NEWEST,
    S_ATT_INSERT,
    S_ATT_LIST,
    S_ATT_GET,
    S_ATT_HISTORY,
    S_COUNT
};

extern const char *const dbf__sqlite_sql[S_COUNT];

/* The orders of a post mortem list (dbf__pm_sort), each both ways, plus
 * the search rank; prepared on first use like the statements above. */
#define SQ_LIST_ORDERS (2 * DBF__PM_SORT_COUNT + 1)

struct sqlite_store {
    struct dbf_store base; /* first, so a struct dbf_store * is one of these */
    sqlite3 *db;
    sqlite3_stmt *cache[S_COUNT];
    sqlite3_stmt *lists[2][SQ_LIST_ORDERS]; /* [search?][order] */
};

static inline struct sqlite_store *dbf__sq(struct dbf_store *store)
{
    return (struct sqlite_store *)store;
}

/* Maps a SQLite result code to a status and sets the message. */
enum dbf_store_status dbf__sq_fail(struct dbf_store *store, int rc);
/* Statement ID, prepared on first use, reset and unbound. NULL when it
 * cannot be prepared (the message is set). */
sqlite3_stmt *dbf__sq_stmt(struct dbf_store *store, enum statement id);
/* The statement kept in *SLOT, prepared from SQL on first use. */
sqlite3_stmt *dbf__sq_cached(struct dbf_store *store, sqlite3_stmt **slot, const char *sql);

/* Binds TEXT (NULL binds NULL) to parameter I, or to the named one. */
void dbf__sq_bind_text(sqlite3_stmt *st, int i, const char *text);
void dbf__sq_bind_named(sqlite3_stmt *st, const char *name, const char *text);
void dbf__sq_bind_named_int(sqlite3_stmt *st, const char *name, int64_t value);
/* Binds a user or team id, 0 (nobody) as NULL. */
void dbf__sq_bind_id(sqlite3_stmt *st, int i, int64_t id);
/* Binds :viewer, which the SQ_VISIBLE condition uses. */
void dbf__sq_bind_viewer(sqlite3_stmt *st, int64_t viewer);

/* Runs a statement that returns no rows (or whose rows are not needed)
 * and resets it; INTERNAL when ST is NULL (its message is already set). */
enum dbf_store_status dbf__sq_run(struct dbf_store *store, sqlite3_stmt *st);
/* Rows changed by the last statement. */
int dbf__sq_changes(struct dbf_store *store);
enum dbf_store_status dbf__sq_tx_begin(struct dbf_store *store);
/* Commits when STATUS is OK, else rolls back; returns STATUS or the
 * commit's failure. */
enum dbf_store_status dbf__sq_tx_end(struct dbf_store *store, enum dbf_store_status status);

/* A malloc'd copy of a text column ("" for NULL); NULL when out of memory. */
char *dbf__sq_column_dup(sqlite3_stmt *st, int col);
void dbf__sq_column_copy(sqlite3_stmt *st, int col, char *out, size_t size);

/* Collects the rows of ST into a growing array of SIZE-byte items filled by
 * READ, which returns false when out of memory. */
enum dbf_store_status dbf__sq_collect(struct dbf_store *store, sqlite3_stmt *st, size_t size,
                                      bool (*read)(sqlite3_stmt *, void *), void **out,
                                      size_t *count);

/* Writes an audit entry of ACTOR (0 for the system) at the store's time. */
enum dbf_store_status dbf__sq_audit(struct dbf_store *store, int64_t actor, const char *action,
                                    const char *target, const char *detail);

/* Reads id, name, role, created from columns 0 to 3. */
void dbf__sq_read_user(sqlite3_stmt *st, struct dbf_user *out);
/* Reads the SQ_PM_COLUMNS; false when out of memory. ROUND (may be NULL)
 * receives the review round. */
bool dbf__sq_read_pm(sqlite3_stmt *st, struct dbf_postmortem *out, int *round);
/* Post mortem SLUG as VIEWER may see it; NOT_FOUND when it does not exist
 * or VIEWER may not see it, which callers cannot tell apart. */
enum dbf_store_status dbf__sq_find_pm(struct dbf_store *store, int64_t viewer, const char *slug,
                                      struct dbf_postmortem *out, int *round);

/* Replaces the tags and the action items of post mortem ID with CONTENT's,
 * inside the caller's transaction (sqlite_actions.c, sqlite_postmortems.c). */
enum dbf_store_status dbf__sq_replace_tags(struct dbf_store *store, int64_t id, const char *tags);
enum dbf_store_status dbf__sq_replace_actions(struct dbf_store *store, int64_t id,
                                              const struct dbf_pm_content *content);

/* sqlite_people.c */
enum dbf_store_status dbf__sq_user_add_first(struct dbf_store *store, const char *name,
                                             const char *hash, int64_t *id);
enum dbf_store_status dbf__sq_user_add(struct dbf_store *store, const char *name, const char *hash,
                                       enum dbf_role role, int64_t *id);
enum dbf_store_status dbf__sq_user_find(struct dbf_store *store, const char *name, int64_t id,
                                        struct dbf_user *out, char *hash, size_t hashlen);
enum dbf_store_status dbf__sq_user_set_password(struct dbf_store *store, int64_t user,
                                                const char *hash);
enum dbf_store_status dbf__sq_user_set_role(struct dbf_store *store, int64_t user,
                                            enum dbf_role role);
enum dbf_store_status dbf__sq_user_list(struct dbf_store *store, struct dbf_user **out,
                                        size_t *count);
enum dbf_store_status dbf__sq_team_add(struct dbf_store *store, const char *name, int64_t *id);
enum dbf_store_status dbf__sq_team_get(struct dbf_store *store, const char *name,
                                       struct dbf_team *out);
enum dbf_store_status dbf__sq_team_list(struct dbf_store *store, int64_t user,
                                        struct dbf_team **out, size_t *count);
enum dbf_store_status dbf__sq_team_members(struct dbf_store *store, int64_t team,
                                           struct dbf_user **out, size_t *count);
enum dbf_store_status dbf__sq_member_set(struct dbf_store *store, int64_t team, int64_t user,
                                         bool member);

/* sqlite_secrets.c */
enum dbf_store_status dbf__sq_token_add(struct dbf_store *store, int64_t user, const char *label,
                                        const unsigned char hash[DBF__SECRET_HASH_LEN],
                                        int64_t *id);
enum dbf_store_status dbf__sq_token_find(struct dbf_store *store,
                                         const unsigned char hash[DBF__SECRET_HASH_LEN],
                                         struct dbf_user *out);
enum dbf_store_status dbf__sq_token_list(struct dbf_store *store, int64_t user,
                                         struct dbf_token **out, size_t *count);
enum dbf_store_status dbf__sq_token_revoke(struct dbf_store *store, int64_t user, int64_t id);
enum dbf_store_status dbf__sq_session_add(struct dbf_store *store, int64_t user, int64_t expires,
                                          const unsigned char hash[DBF__SECRET_HASH_LEN]);
enum dbf_store_status dbf__sq_session_find(struct dbf_store *store,
                                           const unsigned char hash[DBF__SECRET_HASH_LEN],
                                           int64_t now, struct dbf_user *out);
enum dbf_store_status dbf__sq_session_end(struct dbf_store *store,
                                          const unsigned char hash[DBF__SECRET_HASH_LEN]);
enum dbf_store_status dbf__sq_login_failure(struct dbf_store *store, const char *key);
enum dbf_store_status dbf__sq_login_failures(struct dbf_store *store, const char *key,
                                             int64_t since, int *count);
enum dbf_store_status dbf__sq_login_forget(struct dbf_store *store, const char *key);

/* sqlite_postmortems.c */
enum dbf_store_status dbf__sq_pm_create(struct dbf_store *store, const char *slug, int64_t team,
                                        enum dbf_visibility visibility,
                                        const struct dbf_pm_content *content, int64_t author,
                                        int64_t *id);
enum dbf_store_status dbf__sq_pm_get(struct dbf_store *store, int64_t viewer, const char *slug,
                                     struct dbf_postmortem *out);
enum dbf_store_status dbf__sq_revision_get(struct dbf_store *store, int64_t viewer,
                                           const char *slug, int number, struct dbf_revision *out);
enum dbf_store_status dbf__sq_revision_save(struct dbf_store *store, const char *slug, int base,
                                            const struct dbf_pm_content *content, int64_t author,
                                            int *number);
enum dbf_store_status dbf__sq_history(struct dbf_store *store, int64_t viewer, const char *slug,
                                      struct dbf_revision **out, size_t *count);

/* sqlite_list.c */
enum dbf_store_status dbf__sq_pm_list(struct dbf_store *store, int64_t viewer,
                                      const struct dbf_pm_filter *filter, const char *match,
                                      struct dbf_postmortem_list *out);

/* sqlite_access.c */
enum dbf_store_status dbf__sq_pm_grant(struct dbf_store *store, const char *slug, int64_t user,
                                       int64_t team);
enum dbf_store_status dbf__sq_pm_revoke(struct dbf_store *store, const char *slug, int64_t user,
                                        int64_t team);
enum dbf_store_status dbf__sq_pm_grants(struct dbf_store *store, int64_t viewer, const char *slug,
                                        struct dbf_grant **out, size_t *count);
enum dbf_store_status dbf__sq_pm_set_visibility(struct dbf_store *store, const char *slug,
                                                enum dbf_visibility visibility, int64_t actor,
                                                const char *reason);

/* sqlite_workflow.c */
enum dbf_store_status dbf__sq_transition(struct dbf_store *store, const char *slug,
                                         enum dbf_pm_status to, int64_t actor, const char *reason);
enum dbf_store_status dbf__sq_state_changes(struct dbf_store *store, int64_t viewer,
                                            const char *slug, struct dbf_state_change **out,
                                            size_t *count);
enum dbf_store_status dbf__sq_approve(struct dbf_store *store, const char *slug, int64_t reviewer,
                                      const char *note);
enum dbf_store_status dbf__sq_approvals(struct dbf_store *store, int64_t viewer, const char *slug,
                                        struct dbf_approval **out, size_t *count);
enum dbf_store_status dbf__sq_pm_reassign(struct dbf_store *store, const char *slug, int64_t team,
                                          int64_t actor, const char *reason);
enum dbf_store_status dbf__sq_ownership_changes(struct dbf_store *store, int64_t viewer,
                                                const char *slug, struct dbf_ownership_change **out,
                                                size_t *count);
enum dbf_store_status dbf__sq_comment_add(struct dbf_store *store, const char *slug, int64_t author,
                                          const char *body, int64_t *id);
enum dbf_store_status dbf__sq_comments(struct dbf_store *store, int64_t viewer, const char *slug,
                                       struct dbf_comment **out, size_t *count);
enum dbf_store_status dbf__sq_audit_list(struct dbf_store *store, size_t limit,
                                         struct dbf_audit_entry **out, size_t *count);

/* sqlite_attachments.c */
enum dbf_store_status dbf__sq_attachment_put(struct dbf_store *store, const char *slug,
                                             const char *name, const void *data, size_t len,
                                             const char sha256[65], int64_t author,
                                             struct dbf_attachment *out);
enum dbf_store_status dbf__sq_attachments(struct dbf_store *store, int64_t viewer, const char *slug,
                                          struct dbf_attachment **out, size_t *count);
enum dbf_store_status dbf__sq_attachment_get(struct dbf_store *store, int64_t viewer,
                                             const char *slug, const char *name, int version,
                                             unsigned char **data, size_t *len,
                                             struct dbf_attachment *meta);
enum dbf_store_status dbf__sq_attachment_history(struct dbf_store *store, int64_t viewer,
                                                 const char *slug, const char *name,
                                                 struct dbf_attachment **out, size_t *count);

/* sqlite_actions.c */
enum dbf_store_status dbf__sq_actions(struct dbf_store *store, int64_t viewer,
                                      const struct dbf_tracked_filter *filter,
                                      struct dbf_tracked_action **out, size_t *count);
enum dbf_store_status dbf__sq_action_mark(struct dbf_store *store, const char *slug, int number,
                                          const char *status, const char *link, int64_t actor);

#endif
