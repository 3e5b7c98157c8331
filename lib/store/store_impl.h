/* store_impl.h: what a storage backend provides, and what store.c gives it.
 *
 * A backend fills a struct dbf__store_methods (as SQLite's VFS fills
 * pMethods). store.c checks names, hashes passwords and secrets and
 * dispatches; a backend receives only checked input and hashes, and reports
 * failures with dbf__store_fail(). */
#ifndef DEBRIEF_STORE_IMPL_H
#define DEBRIEF_STORE_IMPL_H

#include "debrief/store.h"

#include <stdarg.h>

#define DBF__SECRET_HASH_LEN 32 /* crypto_generichash of a token or session id */

struct dbf__store_methods {
    void (*close)(struct dbf_store *store);
    enum dbf_store_status (*schema_version)(struct dbf_store *store, int *version);

    enum dbf_store_status (*user_add)(struct dbf_store *store, const char *name,
                                      const char *password_hash, enum dbf_role role, int64_t *id);
    /* user_add, only while there is no user (CONFLICT otherwise), as one
     * step across connections; the role is admin. */
    enum dbf_store_status (*user_add_first)(struct dbf_store *store, const char *name,
                                            const char *password_hash, int64_t *id);
    /* By NAME when not NULL, else by ID; HASH (may be NULL) receives the
     * stored password hash, of size HASHLEN. */
    enum dbf_store_status (*user_find)(struct dbf_store *store, const char *name, int64_t id,
                                       struct dbf_user *out, char *hash, size_t hashlen);
    enum dbf_store_status (*user_set_password)(struct dbf_store *store, int64_t user,
                                               const char *password_hash);
    enum dbf_store_status (*user_set_role)(struct dbf_store *store, int64_t user,
                                           enum dbf_role role);
    enum dbf_store_status (*user_list)(struct dbf_store *store, struct dbf_user **out,
                                       size_t *count);
    enum dbf_store_status (*team_add)(struct dbf_store *store, const char *name, int64_t *id);
    enum dbf_store_status (*team_get)(struct dbf_store *store, const char *name,
                                      struct dbf_team *out);
    /* All teams, or those of USER when USER is not 0. */
    enum dbf_store_status (*team_list)(struct dbf_store *store, int64_t user, struct dbf_team **out,
                                       size_t *count);
    enum dbf_store_status (*member_set)(struct dbf_store *store, int64_t team, int64_t user,
                                        bool member);

    enum dbf_store_status (*token_add)(struct dbf_store *store, int64_t user, const char *label,
                                       const unsigned char hash[DBF__SECRET_HASH_LEN], int64_t *id);
    enum dbf_store_status (*token_find)(struct dbf_store *store,
                                        const unsigned char hash[DBF__SECRET_HASH_LEN],
                                        struct dbf_user *out);
    enum dbf_store_status (*token_list)(struct dbf_store *store, int64_t user,
                                        struct dbf_token **out, size_t *count);
    enum dbf_store_status (*token_revoke)(struct dbf_store *store, int64_t user, int64_t id);
    enum dbf_store_status (*session_add)(struct dbf_store *store, int64_t user, int64_t expires,
                                         const unsigned char hash[DBF__SECRET_HASH_LEN]);
    enum dbf_store_status (*session_find)(struct dbf_store *store,
                                          const unsigned char hash[DBF__SECRET_HASH_LEN],
                                          int64_t now, struct dbf_user *out);
    enum dbf_store_status (*session_end)(struct dbf_store *store,
                                         const unsigned char hash[DBF__SECRET_HASH_LEN]);

    enum dbf_store_status (*pm_create)(struct dbf_store *store, const char *slug, int64_t team,
                                       enum dbf_visibility visibility,
                                       const struct dbf_pm_content *content, int64_t author,
                                       int64_t *id);
    enum dbf_store_status (*pm_get)(struct dbf_store *store, int64_t viewer, const char *slug,
                                    struct dbf_postmortem *out);
    enum dbf_store_status (*pm_grant)(struct dbf_store *store, const char *slug, int64_t user,
                                      int64_t team);
    enum dbf_store_status (*pm_list)(struct dbf_store *store, int64_t viewer,
                                     const struct dbf_pm_filter *filter, const char *match,
                                     struct dbf_postmortem_list *out);
    enum dbf_store_status (*revision_get)(struct dbf_store *store, int64_t viewer, const char *slug,
                                          int number, struct dbf_revision *out);
    enum dbf_store_status (*revision_save)(struct dbf_store *store, const char *slug, int base,
                                           const struct dbf_pm_content *content, int64_t author,
                                           int *number);
    enum dbf_store_status (*history)(struct dbf_store *store, int64_t viewer, const char *slug,
                                     struct dbf_revision **out, size_t *count);
    enum dbf_store_status (*transition)(struct dbf_store *store, const char *slug,
                                        enum dbf_pm_status to, int64_t actor, const char *reason);
    enum dbf_store_status (*state_changes)(struct dbf_store *store, int64_t viewer,
                                           const char *slug, struct dbf_state_change **out,
                                           size_t *count);
    enum dbf_store_status (*pm_reassign)(struct dbf_store *store, const char *slug, int64_t team,
                                         int64_t actor, const char *reason);
    enum dbf_store_status (*comment_add)(struct dbf_store *store, const char *slug, int64_t author,
                                         const char *body, int64_t *id);
    enum dbf_store_status (*comments)(struct dbf_store *store, int64_t viewer, const char *slug,
                                      struct dbf_comment **out, size_t *count);
    /* SHA256 is the hex digest of the LEN bytes at DATA; NAME is checked. */
    enum dbf_store_status (*attachment_put)(struct dbf_store *store, const char *slug,
                                            const char *name, const void *data, size_t len,
                                            const char sha256[65], int64_t author,
                                            struct dbf_attachment *out);
    enum dbf_store_status (*attachments)(struct dbf_store *store, int64_t viewer, const char *slug,
                                         struct dbf_attachment **out, size_t *count);
    enum dbf_store_status (*attachment_get)(struct dbf_store *store, int64_t viewer,
                                            const char *slug, const char *name, int version,
                                            unsigned char **data, size_t *len,
                                            struct dbf_attachment *meta);
    enum dbf_store_status (*attachment_history)(struct dbf_store *store, int64_t viewer,
                                                const char *slug, const char *name,
                                                struct dbf_attachment **out, size_t *count);
    enum dbf_store_status (*audit)(struct dbf_store *store, int64_t actor, const char *action,
                                   const char *target, const char *detail);
    enum dbf_store_status (*audit_list)(struct dbf_store *store, size_t limit,
                                        struct dbf_audit_entry **out, size_t *count);

    enum dbf_store_status (*pm_revoke)(struct dbf_store *store, const char *slug, int64_t user,
                                       int64_t team);
    enum dbf_store_status (*pm_grants)(struct dbf_store *store, int64_t viewer, const char *slug,
                                       struct dbf_grant **out, size_t *count);
    enum dbf_store_status (*pm_set_visibility)(struct dbf_store *store, const char *slug,
                                               enum dbf_visibility visibility, int64_t actor,
                                               const char *reason);
    enum dbf_store_status (*approve)(struct dbf_store *store, const char *slug, int64_t reviewer,
                                     const char *note);
    enum dbf_store_status (*approvals)(struct dbf_store *store, int64_t viewer, const char *slug,
                                       struct dbf_approval **out, size_t *count);
    enum dbf_store_status (*ownership_changes)(struct dbf_store *store, int64_t viewer,
                                               const char *slug, struct dbf_ownership_change **out,
                                               size_t *count);
    enum dbf_store_status (*actions)(struct dbf_store *store, int64_t viewer,
                                     const struct dbf_tracked_filter *filter,
                                     struct dbf_tracked_action **out, size_t *count);
    enum dbf_store_status (*action_mark)(struct dbf_store *store, const char *slug, int number,
                                         const char *status, const char *link, int64_t actor);
    enum dbf_store_status (*team_members)(struct dbf_store *store, int64_t team,
                                          struct dbf_user **out, size_t *count);
    enum dbf_store_status (*login_failure)(struct dbf_store *store, const char *key);
    enum dbf_store_status (*login_failures)(struct dbf_store *store, const char *key, int64_t since,
                                            int *count);
    enum dbf_store_status (*login_forget)(struct dbf_store *store, const char *key);
    /* A text that differs whenever anything was committed to the database
     * since it was last read, by any connection (store_cache.h). */
    enum dbf_store_status (*generation)(struct dbf_store *store, char *out, size_t size);
    /* dbf_store_optimize(); NULL when the backend has nothing to do. */
    enum dbf_store_status (*optimize)(struct dbf_store *store);
    /* The generation read without waiting (store.h); NULL when the backend
     * reads it locally. */
    int (*generation_socket)(struct dbf_store *store, uint64_t *connection);
    enum dbf_store_status (*generation_send)(struct dbf_store *store);
    enum dbf_store_status (*generation_receive)(struct dbf_store *store, char *out, size_t size,
                                                bool *done);
};

/* The part every backend's store begins with. */
struct dbf_store {
    const struct dbf__store_methods *methods;
    int64_t clock_offset; /* added to the system's clock: dbf_store_now() */
    char message[512];
    /* Inside dbf_store_read_begin(): the cache of frequent reads, and
     * whether its generation was read since the scope began or this
     * connection last wrote (store.c). */
    struct dbf__cache *cache;
    bool in_read_scope;
    bool generation_fresh;
    char generation[256]; /* the last one read, when generation_fresh */
};

/* Sets STORE's message and returns STATUS. */
enum dbf_store_status dbf__store_fail(struct dbf_store *store, enum dbf_store_status status,
                                      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* store_reads.c: the frequent reads, answered from the store's cache
 * inside a read scope and by the backend otherwise; arguments as the
 * backend's methods take them. */
enum dbf_store_status dbf__read_session(struct dbf_store *store,
                                        const unsigned char hash[DBF__SECRET_HASH_LEN],
                                        int64_t now, struct dbf_user *out);
enum dbf_store_status dbf__read_token(struct dbf_store *store,
                                      const unsigned char hash[DBF__SECRET_HASH_LEN],
                                      struct dbf_user *out);
enum dbf_store_status dbf__read_user_by_id(struct dbf_store *store, int64_t id,
                                           struct dbf_user *out);
enum dbf_store_status dbf__read_team_get(struct dbf_store *store, const char *name,
                                         struct dbf_team *out);
enum dbf_store_status dbf__read_user_teams(struct dbf_store *store, int64_t user,
                                           struct dbf_team **out, size_t *count);
enum dbf_store_status dbf__read_pm_get(struct dbf_store *store, int64_t viewer, const char *slug,
                                       struct dbf_postmortem *out);
enum dbf_store_status dbf__read_pm_list(struct dbf_store *store, int64_t viewer,
                                        const struct dbf_pm_filter *filter, const char *match,
                                        struct dbf_postmortem_list *out);
enum dbf_store_status dbf__read_revision_get(struct dbf_store *store, int64_t viewer,
                                             const char *slug, int number,
                                             struct dbf_revision *out);
enum dbf_store_status dbf__read_history(struct dbf_store *store, int64_t viewer, const char *slug,
                                        struct dbf_revision **out, size_t *count);
enum dbf_store_status dbf__read_comments(struct dbf_store *store, int64_t viewer,
                                         const char *slug, struct dbf_comment **out,
                                         size_t *count);
enum dbf_store_status dbf__read_attachments(struct dbf_store *store, int64_t viewer,
                                            const char *slug, struct dbf_attachment **out,
                                            size_t *count);
enum dbf_store_status dbf__read_approvals(struct dbf_store *store, int64_t viewer,
                                          const char *slug, struct dbf_approval **out,
                                          size_t *count);
/* Frees the cache of STORE (at close). */
void dbf__store_cache_free(struct dbf_store *store);

/* Is the move FROM → TO one of the workflow's? */
bool dbf__store_move_allowed(enum dbf_pm_status from, enum dbf_pm_status to);

/* The orders of dbf_store_pm_list() (struct dbf_pm_filter.sort). Each has
 * its natural direction: newest first for the times, the most severe
 * ("SEV1") first, titles A to Z; a reversed one runs the other way. Post
 * mortems without a started date or a severity come last both ways; ties
 * go newest first, or oldest first when reversed. */
enum dbf__pm_sort {
    DBF__PM_SORT_UPDATED,
    DBF__PM_SORT_CREATED,
    DBF__PM_SORT_STARTED,
    DBF__PM_SORT_SEVERITY,
    DBF__PM_SORT_TITLE,
    DBF__PM_SORT_COUNT
};

/* Reads SORT ("title", "-updated"); NULL or "" is updated, newest first.
 * False for an unknown name. */
bool dbf__pm_sort_parse(const char *sort, enum dbf__pm_sort *key, bool *reverse);

/* The SQLite backend; PATH is the file name. */
struct dbf_store *dbf__sqlite_open(const char *path, char *err, size_t errlen);

/* The PostgreSQL backend; URL is a libpq connection URI. */
struct dbf_store *dbf__postgres_open(const char *url, char *err, size_t errlen);

/* Migrations: the schema as a list of steps, applied in order. */
struct dbf__migration {
    int version;
    const char *name;
    const char *sql;
};
extern const struct dbf__migration dbf__sqlite_migrations[];
extern const size_t dbf__sqlite_migration_count;
extern const struct dbf__migration dbf__postgres_migrations[];
extern const size_t dbf__postgres_migration_count;

/* password.c: Argon2id hashes and random secrets (libsodium). */
bool dbf__password_hash(const char *password, char *hash, size_t hashlen);
bool dbf__password_verify(const char *hash, const char *password);
/* Spends the time of one verification, for unknown names. */
void dbf__password_waste(const char *password);
/* Writes a new random secret ("dbf_" and 64 hex digits) to SECRET. */
void dbf__secret_new(char secret[DBF_STORE_SECRET_LEN + 1]);
void dbf__secret_hash(const char *secret, unsigned char hash[DBF__SECRET_HASH_LEN]);
bool dbf__crypto_init(void);

#endif
