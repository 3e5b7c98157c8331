/* store.h: where the team server keeps post mortems, revisions and people.
 *
 * One interface over several backends, chosen by the connection string given
 * to dbf_store_open(): "sqlite:PATH" (a file, created when missing) and, next,
 * "postgres://…". A store is one connection: use it from one thread at a
 * time, and open one per thread or per worker.
 *
 * Every operation returns an enum dbf_store_status; on failure the store's
 * message (dbf_store_message()) says why in words fit for a person. The
 * library never prints. Arguments are borrowed. Strings inside results that
 * are pointers (titles, Markdown, bodies) belong to the result and are freed
 * with the matching _release/_free function; fixed-size fields need nothing.
 *
 * Visibility is enforced here, not by callers: every read of a post mortem
 * takes the id of the user asking (VIEWER, 0 for nobody). A restricted post
 * mortem exists only for admins, for the members of its owner team and for
 * the users and teams named on it; for anyone else it answers
 * DBF_STORE_NOT_FOUND and never appears in lists or search results. */
#ifndef DEBRIEF_STORE_H
#define DEBRIEF_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dbf_store_status {
    DBF_STORE_OK = 0,
    DBF_STORE_NOT_FOUND,   /* no such thing, or not visible to the viewer */
    DBF_STORE_CONFLICT,    /* a stale base revision, a name already taken */
    DBF_STORE_INVALID,     /* the input breaks a rule (empty name, bad move) */
    DBF_STORE_UNAVAILABLE, /* the database cannot be reached or is busy */
    DBF_STORE_INTERNAL,    /* a bug or a damaged database */
};

/* "ok", "not found", … for logs and messages. */
const char *dbf_store_status_name(enum dbf_store_status status);

#define DBF_STORE_NAME_MAX 64   /* user and team names, in bytes */
#define DBF_STORE_SLUG_MAX 128  /* post mortem ids */
#define DBF_STORE_SECRET_LEN 68 /* a token or session id: "dbf_" and 64 hex digits */

enum dbf_role { DBF_ROLE_VIEWER, DBF_ROLE_AUTHOR, DBF_ROLE_REVIEWER, DBF_ROLE_ADMIN };
enum dbf_visibility { DBF_VISIBILITY_PUBLIC, DBF_VISIBILITY_RESTRICTED };
enum dbf_pm_status { DBF_PM_DRAFT, DBF_PM_REVIEW, DBF_PM_PUBLISHED };

/* Names as stored and shown ("viewer", "restricted", "review"), and back:
 * the parsers return false for an unknown name and leave OUT alone. */
const char *dbf_role_name(enum dbf_role role);
bool dbf_role_parse(const char *name, enum dbf_role *out);
const char *dbf_visibility_name(enum dbf_visibility visibility);
bool dbf_visibility_parse(const char *name, enum dbf_visibility *out);
const char *dbf_pm_status_name(enum dbf_pm_status status);
bool dbf_pm_status_parse(const char *name, enum dbf_pm_status *out);

struct dbf_store;

/* Opens the store named by URL and brings its schema up to date (each
 * migration not yet applied runs in its own transaction). Returns NULL and
 * fills ERR (when not NULL) when the URL is not understood or the database
 * cannot be opened or migrated. */
struct dbf_store *dbf_store_open(const char *url, char *err, size_t errlen);
void dbf_store_close(struct dbf_store *store);

/* Why the last failed operation failed; "" when none has. Valid until the
 * next operation on STORE. */
const char *dbf_store_message(const struct dbf_store *store);

/* The newest schema version this library knows, and the one STORE is at. */
int dbf_store_schema_latest(void);
enum dbf_store_status dbf_store_schema_version(struct dbf_store *store, int *version);

/* ---- Users, teams, memberships ---- */

struct dbf_user {
    int64_t id;
    char name[DBF_STORE_NAME_MAX + 1];
    enum dbf_role role;
    int64_t created; /* seconds since the epoch */
};

struct dbf_team {
    int64_t id;
    char name[DBF_STORE_NAME_MAX + 1];
    int64_t created;
};

/* Adds a user with PASSWORD hashed with Argon2id. Names are 1 to 64 bytes of
 * letters, digits, '.', '_' and '-'; CONFLICT when taken. ID may be NULL. */
enum dbf_store_status dbf_store_user_add(struct dbf_store *store, const char *name,
                                         const char *password, enum dbf_role role, int64_t *id);
enum dbf_store_status dbf_store_user_get(struct dbf_store *store, const char *name,
                                         struct dbf_user *out);
enum dbf_store_status dbf_store_user_by_id(struct dbf_store *store, int64_t id,
                                           struct dbf_user *out);
enum dbf_store_status dbf_store_user_set_password(struct dbf_store *store, int64_t user,
                                                  const char *password);
enum dbf_store_status dbf_store_user_set_role(struct dbf_store *store, int64_t user,
                                              enum dbf_role role);
/* All users by name; *OUT is the caller's to free(). */
enum dbf_store_status dbf_store_user_list(struct dbf_store *store, struct dbf_user **out,
                                          size_t *count);

/* Checks NAME and PASSWORD. An unknown name and a wrong password both answer
 * NOT_FOUND, and take about as long, so a login cannot probe for names. */
enum dbf_store_status dbf_store_login(struct dbf_store *store, const char *name,
                                      const char *password, struct dbf_user *out);

enum dbf_store_status dbf_store_team_add(struct dbf_store *store, const char *name, int64_t *id);
enum dbf_store_status dbf_store_team_get(struct dbf_store *store, const char *name,
                                         struct dbf_team *out);
enum dbf_store_status dbf_store_team_list(struct dbf_store *store, struct dbf_team **out,
                                          size_t *count);
/* Adding a member twice is not an error. */
enum dbf_store_status dbf_store_member_add(struct dbf_store *store, int64_t team, int64_t user);
enum dbf_store_status dbf_store_member_remove(struct dbf_store *store, int64_t team,
                                              int64_t user);
/* The teams USER belongs to, by name; *OUT is the caller's to free(). */
enum dbf_store_status dbf_store_user_teams(struct dbf_store *store, int64_t user,
                                           struct dbf_team **out, size_t *count);

/* ---- API tokens and sessions ---- */

/* Makes a new API token for USER, writes it (NUL-terminated) to TOKEN and
 * keeps only its hash. The token cannot be read back later. LABEL (up to 64
 * bytes, may be NULL) says where it is used. ID may be NULL. */
enum dbf_store_status dbf_store_token_new(struct dbf_store *store, int64_t user,
                                          const char *label,
                                          char token[DBF_STORE_SECRET_LEN + 1], int64_t *id);
/* The user TOKEN belongs to; NOT_FOUND for an unknown or revoked token. */
enum dbf_store_status dbf_store_token_check(struct dbf_store *store, const char *token,
                                            struct dbf_user *out);
struct dbf_token {
    int64_t id;
    char label[DBF_STORE_NAME_MAX + 1];
    int64_t created;
    int64_t revoked; /* when, or 0 for a live token */
};

/* The tokens of USER, newest first, without any secret; *OUT is the
 * caller's to free(). */
enum dbf_store_status dbf_store_token_list(struct dbf_store *store, int64_t user,
                                           struct dbf_token **out, size_t *count);
/* Revokes token ID of USER (a user revokes only their own). */
enum dbf_store_status dbf_store_token_revoke(struct dbf_store *store, int64_t user, int64_t id);

/* Starts a session of USER lasting TTL seconds; writes its id to SESSION. */
enum dbf_store_status dbf_store_session_new(struct dbf_store *store, int64_t user,
                                            int64_t ttl, char session[DBF_STORE_SECRET_LEN + 1]);
/* The user of a live session; NOT_FOUND when unknown or expired. */
enum dbf_store_status dbf_store_session_check(struct dbf_store *store, const char *session,
                                              struct dbf_user *out);
enum dbf_store_status dbf_store_session_end(struct dbf_store *store, const char *session);

/* ---- Post mortems and revisions ---- */

struct dbf_postmortem {
    int64_t id;
    char slug[DBF_STORE_SLUG_MAX + 1];
    char *title;
    char severity[17]; /* as written in the document ("SEV1"), or "" */
    int64_t owner_team;
    char owner_team_name[DBF_STORE_NAME_MAX + 1];
    enum dbf_visibility visibility;
    enum dbf_pm_status status;
    int revision; /* the newest */
    int64_t created, updated;
};

void dbf_postmortem_release(struct dbf_postmortem *pm);

struct dbf_postmortem_list {
    struct dbf_postmortem *items;
    size_t count;
};

void dbf_postmortem_list_release(struct dbf_postmortem_list *list);

/* What a new post mortem or a new revision says. TITLE and SEVERITY are
 * what the caller read from MARKDOWN; the store does not parse it. */
struct dbf_pm_content {
    const char *markdown;
    const char *title;
    const char *severity; /* NULL or "" for none */
};

/* Creates post mortem SLUG (1 to 128 bytes of letters, digits, '.', '_',
 * '-') owned by TEAM, in draft, with CONTENT as revision 1 written by
 * AUTHOR. CONFLICT when SLUG is taken. ID may be NULL. */
enum dbf_store_status dbf_store_pm_create(struct dbf_store *store, const char *slug,
                                          int64_t team, enum dbf_visibility visibility,
                                          const struct dbf_pm_content *content, int64_t author,
                                          int64_t *id);

enum dbf_store_status dbf_store_pm_get(struct dbf_store *store, int64_t viewer,
                                       const char *slug, struct dbf_postmortem *out);

/* Names a user (TEAM 0) or a team (USER 0) on restricted post mortem SLUG,
 * which lets them see it. */
enum dbf_store_status dbf_store_pm_grant(struct dbf_store *store, const char *slug,
                                         int64_t user, int64_t team);

/* Filters for dbf_store_pm_list(); a NULL or 0 field does not filter. */
struct dbf_pm_filter {
    const char *query;    /* words, all of which the newest revision must hold */
    const char *status;   /* "draft", "review", "published" */
    const char *severity; /* compared without case */
    int64_t team;         /* owner team */
    size_t limit;         /* 0 for 100 */
    size_t offset;
};

/* The post mortems VIEWER may see that match FILTER: by search rank when
 * there is a query, else newest change first. */
enum dbf_store_status dbf_store_pm_list(struct dbf_store *store, int64_t viewer,
                                        const struct dbf_pm_filter *filter,
                                        struct dbf_postmortem_list *out);

struct dbf_revision {
    int number;
    int64_t author;
    char author_name[DBF_STORE_NAME_MAX + 1];
    int64_t created;
    char *markdown; /* NULL in a history list */
    size_t length;
};

void dbf_revision_release(struct dbf_revision *revision);

/* Revision NUMBER of SLUG (0 for the newest), byte for byte as saved. */
enum dbf_store_status dbf_store_revision_get(struct dbf_store *store, int64_t viewer,
                                             const char *slug, int number,
                                             struct dbf_revision *out);

/* Appends CONTENT as a new revision of SLUG written by AUTHOR, if BASE is
 * the newest revision; *NUMBER is then the new one. When BASE is stale,
 * nothing is written, the answer is CONFLICT and *NUMBER is the newest, so
 * the caller can show both. AUTHOR must be able to see SLUG. */
enum dbf_store_status dbf_store_revision_save(struct dbf_store *store, const char *slug,
                                              int base, const struct dbf_pm_content *content,
                                              int64_t author, int *number);

/* Every revision of SLUG, oldest first, without their Markdown; *OUT is the
 * caller's to free(). */
enum dbf_store_status dbf_store_history(struct dbf_store *store, int64_t viewer,
                                        const char *slug, struct dbf_revision **out,
                                        size_t *count);

/* ---- Workflow, ownership, comments, audit ---- */

/* Moves SLUG to TO on behalf of ACTOR, recording REASON (may be NULL). The
 * moves are draft → review, review → draft, review → published and
 * published → draft (a reopen, which needs a reason); any other is INVALID.
 * Who may make a move (a reviewer from another team, time in review) is the
 * caller's policy. */
enum dbf_store_status dbf_store_transition(struct dbf_store *store, const char *slug,
                                           enum dbf_pm_status to, int64_t actor,
                                           const char *reason);

struct dbf_state_change {
    enum dbf_pm_status from, to;
    int64_t actor;
    char actor_name[DBF_STORE_NAME_MAX + 1];
    char *reason; /* "" when none was given */
    int64_t created;
};

/* The workflow moves of SLUG, oldest first; free with
 * dbf_state_changes_free(). */
enum dbf_store_status dbf_store_state_changes(struct dbf_store *store, int64_t viewer,
                                              const char *slug, struct dbf_state_change **out,
                                              size_t *count);
void dbf_state_changes_free(struct dbf_state_change *changes, size_t count);

/* Gives SLUG to TEAM, recording the old owner, ACTOR and REASON. */
enum dbf_store_status dbf_store_pm_reassign(struct dbf_store *store, const char *slug,
                                            int64_t team, int64_t actor, const char *reason);

struct dbf_comment {
    int64_t id;
    int64_t author;
    char author_name[DBF_STORE_NAME_MAX + 1];
    char *body;
    int64_t created;
};

enum dbf_store_status dbf_store_comment_add(struct dbf_store *store, const char *slug,
                                            int64_t author, const char *body, int64_t *id);
/* Oldest first; free with dbf_comments_free(). */
enum dbf_store_status dbf_store_comments(struct dbf_store *store, int64_t viewer,
                                         const char *slug, struct dbf_comment **out,
                                         size_t *count);
void dbf_comments_free(struct dbf_comment *comments, size_t count);

/* Records that ACTOR (0 for the system) did ACTION ("user.add") to TARGET.
 * The store records its own writes already; this is for the caller's. */
enum dbf_store_status dbf_store_audit(struct dbf_store *store, int64_t actor, const char *action,
                                      const char *target, const char *detail);

struct dbf_audit_entry {
    int64_t id;
    int64_t actor;
    char action[33];
    char *target;
    char *detail;
    int64_t created;
};

/* The newest LIMIT entries, newest first; free with dbf_audit_free(). */
enum dbf_store_status dbf_store_audit_list(struct dbf_store *store, size_t limit,
                                           struct dbf_audit_entry **out, size_t *count);
void dbf_audit_free(struct dbf_audit_entry *entries, size_t count);

/* The schema version the library writes, as text. */
const char *dbf_store_version(void);

#endif
