/* sqlite_statements.c: the SQL of every statement the SQLite backend keeps
 * prepared, by enum statement (sqlite_db.h). The lists of post mortems,
 * whose ORDER BY varies, are put together in sqlite_list.c. */
#include "sqlite_db.h"

/* The item columns dbf__sq_actions() reads: the server's mark wins over the
 * document's status while it stands; an item without a status is open. */
#define ACTION_STATUS "coalesce(k.status, nullif(a.status, ''), 'open')"

/* The columns of an attachment version that sqlite_attachments.c reads,
 * from attachments a joined with its author u; the bytes are not among
 * them. */
#define ATTACHMENT_COLUMNS                                                                         \
    "a.name, a.version, a.revision, a.size, a.sha256, coalesce(a.author_id, 0),"                   \
    " coalesce(u.name, ''), a.created"
#define ATTACHMENT_FROM "attachments a LEFT JOIN users u ON u.id = a.author_id"

const char *const dbf__sqlite_sql[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_VERSION] = "SELECT coalesce(max(version), 0) FROM schema_migrations",
    [S_DATA_VERSION] = "PRAGMA data_version",

    [S_USER_ADD] = "INSERT INTO users (name, password_hash, role, created) VALUES (?, ?, ?, ?)",
    [S_USER_ANY] = "SELECT 1 FROM users LIMIT 1",
    [S_USER_BY_NAME] = "SELECT id, name, role, created, password_hash FROM users WHERE name = ?",
    [S_USER_BY_ID] = "SELECT id, name, role, created, password_hash FROM users WHERE id = ?",
    [S_USER_SET_PASSWORD] = "UPDATE users SET password_hash = ? WHERE id = ?",
    [S_USER_SET_ROLE] = "UPDATE users SET role = ? WHERE id = ?",
    [S_USER_LIST] = "SELECT id, name, role, created FROM users ORDER BY name",
    [S_TEAM_ADD] = "INSERT INTO teams (name, created) VALUES (?, ?)",
    [S_TEAM_GET] = "SELECT id, name, created FROM teams WHERE name = ?",
    [S_TEAM_BY_ID] = "SELECT id, name, created FROM teams WHERE id = ?",
    [S_TEAM_LIST] = "SELECT id, name, created FROM teams ORDER BY name",
    [S_TEAM_LIST_USER] = "SELECT t.id, t.name, t.created FROM teams t"
                         " JOIN memberships m ON m.team_id = t.id WHERE m.user_id = ?"
                         " ORDER BY t.name",
    [S_TEAM_MEMBERS] = "SELECT u.id, u.name, u.role, u.created FROM users u"
                       " JOIN memberships m ON m.user_id = u.id WHERE m.team_id = ?"
                       " ORDER BY u.name",
    [S_MEMBER_ADD] = "INSERT OR IGNORE INTO memberships (team_id, user_id) VALUES (?, ?)",
    [S_MEMBER_REMOVE] = "DELETE FROM memberships WHERE team_id = ? AND user_id = ?",

    [S_TOKEN_ADD] = "INSERT INTO api_tokens (user_id, label, token_hash, created)"
                    " VALUES (?, ?, ?, ?)",
    [S_TOKEN_FIND] = "SELECT u.id, u.name, u.role, u.created, t.token_hash FROM api_tokens t"
                     " JOIN users u ON u.id = t.user_id"
                     " WHERE t.token_hash = ? AND t.revoked IS NULL",
    [S_TOKEN_LIST] = "SELECT id, label, created, coalesce(revoked, 0) FROM api_tokens"
                     " WHERE user_id = ? ORDER BY id DESC",
    [S_TOKEN_REVOKE] = "UPDATE api_tokens SET revoked = ?"
                       " WHERE id = ? AND user_id = ? AND revoked IS NULL",
    [S_SESSION_PURGE] = "DELETE FROM sessions WHERE expires <= ?",
    [S_SESSION_ADD] =
        "INSERT INTO sessions (id_hash, user_id, created, expires) VALUES (?, ?, ?, ?)",
    [S_SESSION_FIND] = "SELECT u.id, u.name, u.role, u.created, s.id_hash FROM sessions s"
                       " JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires > ?",
    [S_SESSION_END] = "DELETE FROM sessions WHERE id_hash = ? RETURNING user_id",
    [S_LOGIN_FAILURE] = "INSERT INTO login_failures (key, created) VALUES (?, ?)",
    [S_LOGIN_FAILURES] = "SELECT count(*) FROM login_failures WHERE key = ? AND created >= ?",
    [S_LOGIN_FORGET] = "DELETE FROM login_failures WHERE key = ?",

    [S_PM_INSERT] = "INSERT INTO postmortems (slug, title, severity, owner_team_id, visibility,"
                    " status, revision, created, updated, service, tags, started, status_changed)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, 'draft', 1, ?6, ?6, ?7, ?8, ?9, ?6)",
    [S_PM_GET] =
        "SELECT " SQ_PM_COLUMNS " FROM " SQ_LIST_FROM " WHERE p.slug = :slug AND " SQ_VISIBLE,
    [S_PM_SET_REVISION] = "UPDATE postmortems SET revision = ?, title = ?, severity = ?,"
                          " service = ?, tags = ?, started = ?, updated = ?"
                          " WHERE id = ? AND revision = ?",
    [S_PM_SET_STATUS] = "UPDATE postmortems SET status = ?1, updated = ?2, status_changed = ?2,"
                        " review_round = review_round + ?3 WHERE id = ?4",
    [S_PM_SET_OWNER] = "UPDATE postmortems SET owner_team_id = ?, updated = ? WHERE id = ?",
    [S_PM_SET_VISIBILITY] = "UPDATE postmortems SET visibility = ?, updated = ? WHERE id = ?",
    [S_PM_EXISTS] = "SELECT id FROM postmortems WHERE slug = ?",
    [S_TAGS_DELETE] = "DELETE FROM postmortem_tags WHERE postmortem_id = ?",
    [S_TAG_INSERT] = "INSERT OR IGNORE INTO postmortem_tags (postmortem_id, tag) VALUES (?, ?)",
    [S_GRANT] = "INSERT OR IGNORE INTO postmortem_access (postmortem_id, user_id, team_id)"
                " VALUES (?, ?, ?)",
    [S_REVOKE] = "DELETE FROM postmortem_access WHERE postmortem_id = ?"
                 " AND (user_id = ? OR team_id = ?)",
    [S_GRANTS] = "SELECT coalesce(a.user_id, 0), coalesce(a.team_id, 0),"
                 " coalesce(u.name, t.name, '') FROM postmortem_access a"
                 " LEFT JOIN users u ON u.id = a.user_id LEFT JOIN teams t ON t.id = a.team_id"
                 " WHERE a.postmortem_id = ? ORDER BY a.user_id IS NULL, 3",
    [S_COUNT_LIST] = "SELECT count(*) FROM " SQ_LIST_FROM " WHERE " SQ_VISIBLE SQ_LIST_FILTERS,
    [S_COUNT_SEARCH] =
        "SELECT count(*) FROM " SQ_SEARCH_FROM " WHERE " SQ_SEARCH_MATCH SQ_VISIBLE SQ_LIST_FILTERS,

    [S_REV_INSERT] = "INSERT INTO revisions (postmortem_id, number, markdown, author_id, created)"
                     " VALUES (?, ?, ?, ?, ?)",
    [S_REV_GET] = "SELECT r.number, r.author_id, coalesce(u.name, ''), r.created, r.markdown"
                  " FROM revisions r LEFT JOIN users u ON u.id = r.author_id"
                  " WHERE r.postmortem_id = ? AND r.number = ?",
    [S_HISTORY] = "SELECT r.number, r.author_id, coalesce(u.name, ''), r.created,"
                  " length(CAST(r.markdown AS BLOB))"
                  " FROM revisions r LEFT JOIN users u ON u.id = r.author_id"
                  " WHERE r.postmortem_id = ? ORDER BY r.number",
    [S_FTS_DELETE] = "DELETE FROM postmortem_search WHERE rowid = ?",
    [S_FTS_INSERT] = "INSERT INTO postmortem_search (rowid, title, body) VALUES (?, ?, ?)",

    [S_STATE_INSERT] = "INSERT INTO state_changes (postmortem_id, from_status, to_status,"
                       " actor_id, reason, created) VALUES (?, ?, ?, ?, ?, ?)",
    [S_STATE_LIST] = "SELECT c.from_status, c.to_status, c.actor_id, coalesce(u.name, ''),"
                     " c.reason, c.created FROM state_changes c"
                     " LEFT JOIN users u ON u.id = c.actor_id"
                     " WHERE c.postmortem_id = ? ORDER BY c.id",
    [S_OWNER_INSERT] = "INSERT INTO ownership_changes (postmortem_id, from_team_id, to_team_id,"
                       " actor_id, reason, created) VALUES (?, ?, ?, ?, ?, ?)",
    /* The first owner first, whenever it was recorded. */
    [S_OWNER_LIST] = "SELECT coalesce(o.from_team_id, 0), o.to_team_id, coalesce(f.name, ''),"
                     " coalesce(t.name, ''), coalesce(o.actor_id, 0), coalesce(u.name, ''),"
                     " o.reason, o.created FROM ownership_changes o"
                     " LEFT JOIN teams f ON f.id = o.from_team_id"
                     " LEFT JOIN teams t ON t.id = o.to_team_id"
                     " LEFT JOIN users u ON u.id = o.actor_id"
                     " WHERE o.postmortem_id = ?"
                     " ORDER BY o.from_team_id IS NOT NULL, o.created, o.id",
    /* A reviewer approves once a round; approving again replaces it. */
    [S_APPROVE] = "INSERT INTO approvals (postmortem_id, review_round, reviewer_id, revision,"
                  " note, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                  " ON CONFLICT (postmortem_id, review_round, reviewer_id) DO UPDATE"
                  " SET revision = ?4, note = ?5, created = ?6",
    [S_APPROVALS] = "SELECT a.reviewer_id, coalesce(u.name, ''), a.revision, a.note, a.created"
                    " FROM approvals a LEFT JOIN users u ON u.id = a.reviewer_id"
                    " WHERE a.postmortem_id = ? AND a.review_round = ?"
                    " ORDER BY a.created, a.id",
    [S_COMMENT_ADD] = "INSERT INTO comments (postmortem_id, author_id, body, created)"
                      " VALUES (?, ?, ?, ?)",
    [S_COMMENTS] = "SELECT c.id, c.author_id, coalesce(u.name, ''), c.body, c.created"
                   " FROM comments c LEFT JOIN users u ON u.id = c.author_id"
                   " WHERE c.postmortem_id = ? ORDER BY c.id",
    [S_AUDIT] = "INSERT INTO audit_log (actor_id, action, target, detail, created)"
                " VALUES (?, ?, ?, ?, ?)",
    [S_AUDIT_LIST] = "SELECT l.id, coalesce(l.actor_id, 0), coalesce(u.name, ''), l.action,"
                     " l.target, l.detail, l.created FROM audit_log l"
                     " LEFT JOIN users u ON u.id = l.actor_id ORDER BY l.id DESC LIMIT ?",

    [S_ACTIONS_DELETE] = "DELETE FROM postmortem_actions WHERE postmortem_id = ?",
    [S_ACTION_INSERT] = "INSERT INTO postmortem_actions (postmortem_id, number, description,"
                        " owner, due, priority, status, link) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    /* A mark stands until the document's own status for the item changes. */
    [S_MARK_SUPERSEDE] = "DELETE FROM action_marks WHERE postmortem_id = ?1 AND number = ?2"
                         " AND EXISTS (SELECT 1 FROM postmortem_actions a"
                         " WHERE a.postmortem_id = ?1 AND a.number = ?2 AND a.status <> ?3)",
    [S_MARKS_ORPHANED] = "DELETE FROM action_marks WHERE postmortem_id = ?1 AND number NOT IN"
                         " (SELECT number FROM postmortem_actions WHERE postmortem_id = ?1)",
    [S_ACTION_GET] = "SELECT " ACTION_STATUS " FROM postmortem_actions a"
                     " LEFT JOIN action_marks k ON k.postmortem_id = a.postmortem_id"
                     " AND k.number = a.number WHERE a.postmortem_id = ? AND a.number = ?",
    [S_MARK_SET] = "INSERT INTO action_marks (postmortem_id, number, status, link, actor_id,"
                   " created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                   " ON CONFLICT (postmortem_id, number) DO UPDATE"
                   " SET status = ?3, link = ?4, actor_id = ?5, created = ?6",
    [S_MARK_HISTORY] = "INSERT INTO action_mark_history (postmortem_id, number, old_status,"
                       " new_status, link, actor_id, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [S_ACTIONS] = "SELECT p.slug, p.title, p.owner_team_id, a.number, a.description, a.owner,"
                  " a.due, a.priority, " ACTION_STATUS ","
                  " CASE WHEN k.link <> '' THEN k.link ELSE a.link END,"
                  " coalesce(k.created, 0), coalesce(u.name, '')"
                  " FROM postmortem_actions a JOIN postmortems p ON p.id = a.postmortem_id"
                  " LEFT JOIN action_marks k ON k.postmortem_id = a.postmortem_id"
                  " AND k.number = a.number LEFT JOIN users u ON u.id = k.actor_id"
                  " WHERE " SQ_VISIBLE " AND (:slug IS NULL OR p.slug = :slug)"
                  " AND (:owner IS NULL OR a.owner = :owner COLLATE NOCASE)"
                  " AND (:team = 0 OR p.owner_team_id = :team)"
                  " AND (:open_only = 0 OR " ACTION_STATUS " NOT IN ('done', 'wont-do'))"
                  " ORDER BY a.due = '', a.due, p.slug, a.number",

    /* Version ?3 of a name, or its newest when ?3 is 0. */
    [S_ATT_NEWEST] = "SELECT " ATTACHMENT_COLUMNS " FROM " ATTACHMENT_FROM
                     " WHERE a.postmortem_id = ?1 AND a.name = ?2 AND (?3 = 0 OR a.version = ?3)"
                     " ORDER BY a.version DESC LIMIT 1",
    [S_ATT_INSERT] = "INSERT INTO attachments (postmortem_id, name, version, revision, size,"
                     " sha256, author_id, created, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    /* Names compare byte by byte (BINARY). */
    [S_ATT_LIST] = "SELECT " ATTACHMENT_COLUMNS " FROM " ATTACHMENT_FROM
                   " WHERE a.postmortem_id = ?1 AND a.version = (SELECT max(b.version)"
                   " FROM attachments b WHERE b.postmortem_id = ?1 AND b.name = a.name)"
                   " ORDER BY a.name",
    [S_ATT_GET] = "SELECT " ATTACHMENT_COLUMNS ", a.content FROM " ATTACHMENT_FROM
                  " WHERE a.postmortem_id = ?1 AND a.name = ?2 AND (?3 = 0 OR a.version = ?3)"
                  " ORDER BY a.version DESC LIMIT 1",
    [S_ATT_HISTORY] = "SELECT " ATTACHMENT_COLUMNS " FROM " ATTACHMENT_FROM
                      " WHERE a.postmortem_id = ? AND a.name = ? ORDER BY a.version",
};
