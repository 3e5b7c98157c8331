/* postgres_impl.h: what the PostgreSQL backend's files share: the store,
 * its connection with prepared statements, parameters, results and
 * transactions.
 *
 * A statement is a static struct pg_statement in the file that uses it;
 * dbf__pg_run() prepares it (PQprepare) the first time a connection runs
 * it and keeps it for the connection's life. Parameters go as text with their
 * lengths, or as binary for bytes, never spliced into SQL. A lost connection
 * answers UNAVAILABLE; the next operation resets it (PQreset) and prepares
 * the statements again, so the store recovers when the database returns.
 * Outside a transaction, a statement that finds its connection lost is run
 * once more on a reset one, so an idle connection outlives a restart of the
 * database without a failed request. */
#ifndef DEBRIEF_POSTGRES_IMPL_H
#define DEBRIEF_POSTGRES_IMPL_H

#include "store_impl.h"

#include <libpq-fe.h>

struct pg_statement {
    const char *name; /* unique among the backend's statements */
    const char *sql;
};

struct pg_store {
    struct dbf_store base; /* first, so a struct dbf_store * is one of these */
    PGconn *conn;
    const struct pg_statement **prepared; /* those prepared on this connection */
    size_t prepared_count, prepared_alloc;
    bool in_transaction;
    char *url; /* to open the generation connection */
    /* postgres_async.c: the connection of the generation reads sent without
     * waiting (opened at the first), whether the read's statement is
     * prepared on it, a read in flight and its first result, and how many
     * times it was opened or reset (each may give it another socket). */
    PGconn *generation_conn;
    bool generation_prepared;
    bool reading_generation;
    PGresult *generation_result;
    uint64_t connection_number;
};

static inline struct pg_store *dbf__pg(struct dbf_store *store)
{
    return (struct pg_store *)store;
}

#define PG_MAX_PARAMS 16

/* A statement's parameters, filled in order ($1, $2, …). */
struct pg_params {
    int count;
    const char *values[PG_MAX_PARAMS];
    int lengths[PG_MAX_PARAMS];
    int formats[PG_MAX_PARAMS];
    char numbers[PG_MAX_PARAMS][24];
};

void dbf__pg_param_text(struct pg_params *p, const char *text); /* NULL is SQL NULL */
void dbf__pg_param_int(struct pg_params *p, int64_t value);
void dbf__pg_param_id(struct pg_params *p, int64_t id); /* 0 is SQL NULL */
void dbf__pg_param_bytes(struct pg_params *p, const void *bytes, size_t length);

/* Runs STATEMENT with PARAMS (may be NULL). On OK, *RESULT (when RESULT is
 * not NULL) holds the rows, to PQclear(); otherwise the store's message says
 * why and nothing is held. */
enum dbf_store_status dbf__pg_run(struct dbf_store *store, const struct pg_statement *statement,
                                  const struct pg_params *params, PGresult **result);

/* dbf__pg_run() with every column of the result in binary: bytea as its
 * bytes, not escaped (statements that read only bytes). */
enum dbf_store_status dbf__pg_run_binary(struct dbf_store *store,
                                         const struct pg_statement *statement,
                                         const struct pg_params *params, PGresult **result);

/* Runs STATEMENT and answers the number of rows it changed in *CHANGED. */
enum dbf_store_status dbf__pg_run_changes(struct dbf_store *store,
                                          const struct pg_statement *statement,
                                          const struct pg_params *params, long *changed);

/* Runs SQL without parameters and without preparing it (BEGIN, migrations). */
enum dbf_store_status dbf__pg_exec(struct dbf_store *store, const char *sql);

/* Starts a transaction; dbf__pg_tx_end() commits when STATUS is OK and
 * rolls back otherwise, keeping the failure's message, and returns STATUS
 * or the commit's failure. */
enum dbf_store_status dbf__pg_tx_begin(struct dbf_store *store);
enum dbf_store_status dbf__pg_tx_end(struct dbf_store *store, enum dbf_store_status status);

/* The current snapshot as text ("xmin:xmax:in-progress"): equal texts
 * see the same committed transactions (store_impl.h's generation). */
enum dbf_store_status dbf__pg_generation(struct dbf_store *store, char *out, size_t size);

/* The statement dbf__pg_generation() runs, and the check of its result:
 * OK with the generation in OUT, or the store's message says why not. R
 * is not freed. */
extern const struct pg_statement dbf__pg_generation_statement;
enum dbf_store_status dbf__pg_generation_of(struct dbf_store *store, const PGresult *r, char *out,
                                            size_t size);

/* A new connection to URL with the backend's defaults (postgres.c);
 * NULL when out of memory, else check its PQstatus(). */
PGconn *dbf__pg_connect(const char *url);


/* postgres_async.c: the generation read without waiting (store.h). */
int dbf__pg_generation_socket(struct dbf_store *store, uint64_t *connection);
enum dbf_store_status dbf__pg_generation_send(struct dbf_store *store);
enum dbf_store_status dbf__pg_generation_receive(struct dbf_store *store, char *out, size_t size,
                                                 bool *done);

/* postgres_maintain.c: dbf_store_optimize(). */
enum dbf_store_status dbf__pg_optimize(struct dbf_store *store);

/* Reading result cells; NULL cells read as "" and 0. */
int64_t dbf__pg_int(const PGresult *r, int row, int col);
char *dbf__pg_dup(const PGresult *r, int row, int col);
void dbf__pg_copy(const PGresult *r, int row, int col, char *out, size_t size);

/* Collects the rows of R into a new array of SIZE-byte zeroed items filled by
 * READ, which answers false when out of memory. Clears R. */
enum dbf_store_status dbf__pg_collect(struct dbf_store *store, PGresult *r, size_t size,
                                      bool (*read)(const PGresult *, int, void *), void **out,
                                      size_t *count);

/* Opens the connection and brings the schema up to date
 * (postgres_migrate.c), under an advisory lock shared by every server. */
enum dbf_store_status dbf__pg_migrate(struct dbf_store *store);

/* The migrations PostgreSQL alone has (postgres_schema.c), numbered apart. */
extern const struct dbf__migration dbf__postgres_only_migrations[];
extern const size_t dbf__postgres_only_migration_count;

enum dbf_store_status dbf__pg_schema_version(struct dbf_store *store, int *version);

/* The post mortem every per-post-mortem operation starts from, as VIEWER
 * may see it: NOT_FOUND when it does not exist or VIEWER may not see it,
 * which callers cannot tell apart (postgres_postmortem.c). FOR_UPDATE locks
 * its row to the end of the transaction, so writers to one post mortem take
 * turns. ROUND (may be NULL) receives its review round. */
enum dbf_store_status dbf__pg_find_pm(struct dbf_store *store, int64_t viewer, const char *slug,
                                      bool for_update, struct dbf_postmortem *out, int *round);
/* Reads the PG_PM_COLUMNS of ROW; false when out of memory. */
bool dbf__pg_read_pm(const PGresult *r, int row, struct dbf_postmortem *out, int *round);

/* The audit log entry every write leaves. */
enum dbf_store_status dbf__pg_audit(struct dbf_store *store, int64_t actor, const char *action,
                                    const char *target, const char *detail);

/* Replaces the action items of post mortem ID with those of CONTENT
 * (postgres_actions.c). */
enum dbf_store_status dbf__pg_actions_replace(struct dbf_store *store, int64_t id,
                                              const struct dbf_pm_content *content);

/* Visible to the viewer $1, for a post mortem aliased p: public, or the
 * viewer is an admin, a member of the owner team, or named on it (as a user
 * or through a team). */
#define PG_VISIBLE                                                                                 \
    "(p.visibility = 'public'"                                                                     \
    " OR EXISTS (SELECT 1 FROM users v WHERE v.id = $1 AND v.role = 'admin')"                      \
    " OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $1"                                 \
    "            AND m.team_id = p.owner_team_id)"                                                 \
    " OR EXISTS (SELECT 1 FROM postmortem_access a WHERE a.postmortem_id = p.id"                   \
    "            AND (a.user_id = $1 OR a.team_id IN"                                              \
    "                 (SELECT team_id FROM memberships WHERE user_id = $1))))"

#define PG_PM_COLUMNS                                                                              \
    "p.id, p.slug, p.title, p.severity, p.owner_team_id, t.name, p.visibility, p.status,"          \
    " p.revision, p.created, p.updated, p.service, p.tags, p.started, p.status_changed,"           \
    " p.review_round"

/* The methods, by file. */
void dbf__pg_close(struct dbf_store *store);

enum dbf_store_status dbf__pg_user_add(struct dbf_store *store, const char *name,
                                       const char *password_hash, enum dbf_role role, int64_t *id);
enum dbf_store_status dbf__pg_user_add_first(struct dbf_store *store, const char *name,
                                             const char *password_hash, int64_t *id);
enum dbf_store_status dbf__pg_user_find(struct dbf_store *store, const char *name, int64_t id,
                                        struct dbf_user *out, char *hash, size_t hashlen);
enum dbf_store_status dbf__pg_user_set_password(struct dbf_store *store, int64_t user,
                                                const char *password_hash);
enum dbf_store_status dbf__pg_user_set_role(struct dbf_store *store, int64_t user,
                                            enum dbf_role role);
enum dbf_store_status dbf__pg_user_list(struct dbf_store *store, struct dbf_user **out,
                                        size_t *count);
enum dbf_store_status dbf__pg_team_add(struct dbf_store *store, const char *name, int64_t *id);
enum dbf_store_status dbf__pg_team_get(struct dbf_store *store, const char *name,
                                       struct dbf_team *out);
enum dbf_store_status dbf__pg_team_list(struct dbf_store *store, int64_t user,
                                        struct dbf_team **out, size_t *count);
enum dbf_store_status dbf__pg_member_set(struct dbf_store *store, int64_t team, int64_t user,
                                         bool member);
enum dbf_store_status dbf__pg_team_members(struct dbf_store *store, int64_t team,
                                           struct dbf_user **out, size_t *count);

enum dbf_store_status dbf__pg_token_add(struct dbf_store *store, int64_t user, const char *label,
                                        const unsigned char hash[DBF__SECRET_HASH_LEN],
                                        int64_t *id);
enum dbf_store_status dbf__pg_token_find(struct dbf_store *store,
                                         const unsigned char hash[DBF__SECRET_HASH_LEN],
                                         struct dbf_user *out);
enum dbf_store_status dbf__pg_token_list(struct dbf_store *store, int64_t user,
                                         struct dbf_token **out, size_t *count);
enum dbf_store_status dbf__pg_token_revoke(struct dbf_store *store, int64_t user, int64_t id);
enum dbf_store_status dbf__pg_session_add(struct dbf_store *store, int64_t user, int64_t expires,
                                          const unsigned char hash[DBF__SECRET_HASH_LEN]);
enum dbf_store_status dbf__pg_session_find(struct dbf_store *store,
                                           const unsigned char hash[DBF__SECRET_HASH_LEN],
                                           int64_t now, struct dbf_user *out);
enum dbf_store_status dbf__pg_session_end(struct dbf_store *store,
                                          const unsigned char hash[DBF__SECRET_HASH_LEN]);
enum dbf_store_status dbf__pg_login_failure(struct dbf_store *store, const char *key);
enum dbf_store_status dbf__pg_login_failures(struct dbf_store *store, const char *key,
                                             int64_t since, int *count);
enum dbf_store_status dbf__pg_login_forget(struct dbf_store *store, const char *key);

enum dbf_store_status dbf__pg_pm_create(struct dbf_store *store, const char *slug, int64_t team,
                                        enum dbf_visibility visibility,
                                        const struct dbf_pm_content *content, int64_t author,
                                        int64_t *id);
enum dbf_store_status dbf__pg_pm_get(struct dbf_store *store, int64_t viewer, const char *slug,
                                     struct dbf_postmortem *out);
enum dbf_store_status dbf__pg_pm_list(struct dbf_store *store, int64_t viewer,
                                      const struct dbf_pm_filter *filter, const char *match,
                                      struct dbf_postmortem_list *out);
enum dbf_store_status dbf__pg_revision_get(struct dbf_store *store, int64_t viewer,
                                           const char *slug, int number, struct dbf_revision *out);
enum dbf_store_status dbf__pg_revision_save(struct dbf_store *store, const char *slug, int base,
                                            const struct dbf_pm_content *content, int64_t author,
                                            int *number);
enum dbf_store_status dbf__pg_history(struct dbf_store *store, int64_t viewer, const char *slug,
                                      struct dbf_revision **out, size_t *count);

enum dbf_store_status dbf__pg_pm_grant(struct dbf_store *store, const char *slug, int64_t user,
                                       int64_t team);
enum dbf_store_status dbf__pg_pm_revoke(struct dbf_store *store, const char *slug, int64_t user,
                                        int64_t team);
enum dbf_store_status dbf__pg_pm_grants(struct dbf_store *store, int64_t viewer, const char *slug,
                                        struct dbf_grant **out, size_t *count);
enum dbf_store_status dbf__pg_pm_set_visibility(struct dbf_store *store, const char *slug,
                                                enum dbf_visibility visibility, int64_t actor,
                                                const char *reason);

enum dbf_store_status dbf__pg_transition(struct dbf_store *store, const char *slug,
                                         enum dbf_pm_status to, int64_t actor, const char *reason);
enum dbf_store_status dbf__pg_state_changes(struct dbf_store *store, int64_t viewer,
                                            const char *slug, struct dbf_state_change **out,
                                            size_t *count);
enum dbf_store_status dbf__pg_pm_reassign(struct dbf_store *store, const char *slug, int64_t team,
                                          int64_t actor, const char *reason);
enum dbf_store_status dbf__pg_ownership_changes(struct dbf_store *store, int64_t viewer,
                                                const char *slug, struct dbf_ownership_change **out,
                                                size_t *count);
enum dbf_store_status dbf__pg_approve(struct dbf_store *store, const char *slug, int64_t reviewer,
                                      const char *note);
enum dbf_store_status dbf__pg_approvals(struct dbf_store *store, int64_t viewer, const char *slug,
                                        struct dbf_approval **out, size_t *count);
enum dbf_store_status dbf__pg_comment_add(struct dbf_store *store, const char *slug, int64_t author,
                                          const char *body, int64_t *id);
enum dbf_store_status dbf__pg_comments(struct dbf_store *store, int64_t viewer, const char *slug,
                                       struct dbf_comment **out, size_t *count);
enum dbf_store_status dbf__pg_audit_add(struct dbf_store *store, int64_t actor, const char *action,
                                        const char *target, const char *detail);
enum dbf_store_status dbf__pg_audit_list(struct dbf_store *store, size_t limit,
                                         struct dbf_audit_entry **out, size_t *count);

enum dbf_store_status dbf__pg_attachment_put(struct dbf_store *store, const char *slug,
                                             const char *name, const void *data, size_t len,
                                             const char sha256[65], int64_t author,
                                             struct dbf_attachment *out);
enum dbf_store_status dbf__pg_attachments(struct dbf_store *store, int64_t viewer, const char *slug,
                                          struct dbf_attachment **out, size_t *count);
enum dbf_store_status dbf__pg_attachment_get(struct dbf_store *store, int64_t viewer,
                                             const char *slug, const char *name, int version,
                                             unsigned char **data, size_t *len,
                                             struct dbf_attachment *meta);
enum dbf_store_status dbf__pg_attachment_history(struct dbf_store *store, int64_t viewer,
                                                 const char *slug, const char *name,
                                                 struct dbf_attachment **out, size_t *count);

enum dbf_store_status dbf__pg_actions(struct dbf_store *store, int64_t viewer,
                                      const struct dbf_tracked_filter *filter,
                                      struct dbf_tracked_action **out, size_t *count);
enum dbf_store_status dbf__pg_action_mark(struct dbf_store *store, const char *slug, int number,
                                          const char *status, const char *link, int64_t actor);

#endif
