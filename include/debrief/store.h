/* store.h: where the team server keeps post mortems, revisions and people.
 *
 * One interface over several backends, chosen by the connection string given
 * to dbf_store_open(): "sqlite:PATH" (a file, created when missing) and
 * "postgres://…" or "postgresql://…" (a libpq connection URI). A store is one connection: use it
 * from one thread at a time, and open one per thread or per worker.
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

/* After a bulk write (an import of many post mortems): does at once the
 * upkeep the database would otherwise do in the background minutes later,
 * so that it serves at full speed as soon as this returns. PostgreSQL:
 * VACUUM (ANALYZE) of every table autovacuum would now take up by its own
 * thresholds (fresh planner statistics, the visibility map, the search
 * index's pending entries merged); none after a small write into a large
 * database. Left to autovacuum, each table it analyzes is a commit, which
 * changes the generation and so empties the caches of every server on the
 * database, again and again while it catches up. SQLite: nothing to do
 * (its statistics change only when ANALYZE runs, which the store never
 * does). Other connections may read and write meanwhile; not inside a
 * transaction. 1-4 s after 10,000 post mortems. */
enum dbf_store_status dbf_store_optimize(struct dbf_store *store);

/* Why the last failed operation failed; "" when none has. Valid until the
 * next operation on STORE. */
const char *dbf_store_message(const struct dbf_store *store);

/* A read scope, such as one request of a server: between the two calls
 * the frequent reads (who a session or token is, a user and their teams, a
 * post mortem as a viewer sees it, its revisions, history, attachments,
 * comments and approvals, lists and searches) may be answered from memory
 * kept by STORE. Every answer is what the database gave for the same
 * question, viewer included, while nothing had been committed since, by
 * this or any other connection or server: the database's generation is
 * checked once when a scope's first read needs it and again after any
 * other operation on STORE. Outside a scope every read goes to the
 * database. Scopes do not nest. */
void dbf_store_read_begin(struct dbf_store *store);
void dbf_store_read_end(struct dbf_store *store);

/* The database's generation as text in OUT (SIZE bytes; 256 is enough): a
 * text that differs whenever anything was committed since it was last
 * read, by this or any other connection or server. Equal texts mean the
 * database holds the same data, so an answer computed from it is still
 * the answer. Inside a read scope, the same generation the scope's reads
 * are checked against. */
enum dbf_store_status dbf_store_generation(struct dbf_store *store, char *out, size_t size);

/* Reading the generation without waiting, for a server whose event loop
 * must not stop for a round trip to the database: one read, sent once,
 * may serve every request that arrived before it was sent (everything
 * they must see was committed by then).
 *
 * dbf_store_generation_remote(): whether STORE's backend reads its
 * generation over a network round trip (PostgreSQL) and offers the calls
 * below; false when it reads it locally (SQLite): use
 * dbf_store_read_begin() alone then.
 *
 * dbf_store_generation_socket(): the socket whose readability tells that
 * the answer of a read in flight has come, and in *CONNECTION a number
 * that changes whenever the store replaces its connection (the socket may
 * then be another one under the same number). Valid after an OK from
 * dbf_store_generation_send() until the read is done; -1 when there is no
 * connection.
 *
 * dbf_store_generation_send(): starts a read, on a connection of its own
 * (opened at the first read), so STORE's other operations may be used
 * while it is in flight. One read at a time: another send before
 * dbf_store_generation_receive() says it is done fails as INTERNAL.
 * UNAVAILABLE when the database cannot be reached: nothing is in flight
 * then, and the next send tries to connect again.
 *
 * dbf_store_generation_receive(): collects what has arrived, without
 * waiting. *DONE false: not all yet, call again when the socket is
 * readable. *DONE true: the read is over; OK with the generation in OUT
 * (SIZE bytes; 256 is enough), or another status with the store's message
 * saying why. After a lost connection the next operation resets it, as
 * after any failed operation.
 *
 * dbf_store_read_begin_known(): dbf_store_read_begin() with GENERATION,
 * read by a read sent after everything the scope must see was committed,
 * taken as the scope's first check; the scope checks again after any
 * other operation, as any scope does. */
bool dbf_store_generation_remote(const struct dbf_store *store);
int dbf_store_generation_socket(struct dbf_store *store, uint64_t *connection);
enum dbf_store_status dbf_store_generation_send(struct dbf_store *store);
enum dbf_store_status dbf_store_generation_receive(struct dbf_store *store, char *out, size_t size,
                                                   bool *done);
void dbf_store_read_begin_known(struct dbf_store *store, const char *generation);

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
/* Adds the first user, an admin, only while the store has no user at all:
 * CONFLICT when it has one. The check and the insert are one step, also
 * across servers sharing the database, so a first-run setup cannot make two
 * admins. ID may be NULL. */
enum dbf_store_status dbf_store_user_add_first(struct dbf_store *store, const char *name,
                                               const char *password, int64_t *id);
enum dbf_store_status dbf_store_user_get(struct dbf_store *store, const char *name,
                                         struct dbf_user *out);
enum dbf_store_status dbf_store_user_by_id(struct dbf_store *store, int64_t id,
                                           struct dbf_user *out);
/* Sets USER's password and ends every session of USER (a stolen cookie
 * dies with the old password); API tokens stay. */
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
enum dbf_store_status dbf_store_member_remove(struct dbf_store *store, int64_t team, int64_t user);
/* The teams USER belongs to, by name; *OUT is the caller's to free(). */
enum dbf_store_status dbf_store_user_teams(struct dbf_store *store, int64_t user,
                                           struct dbf_team **out, size_t *count);

/* ---- API tokens and sessions ---- */

/* Makes a new API token for USER, writes it (NUL-terminated) to TOKEN and
 * keeps only its hash. The token cannot be read back later. LABEL (up to 64
 * bytes, may be NULL) says where it is used. ID may be NULL. */
enum dbf_store_status dbf_store_token_new(struct dbf_store *store, int64_t user, const char *label,
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
enum dbf_store_status dbf_store_session_new(struct dbf_store *store, int64_t user, int64_t ttl,
                                            char session[DBF_STORE_SECRET_LEN + 1]);
/* The user of a live session; NOT_FOUND when unknown or expired. */
enum dbf_store_status dbf_store_session_check(struct dbf_store *store, const char *session,
                                              struct dbf_user *out);
enum dbf_store_status dbf_store_session_end(struct dbf_store *store, const char *session);

/* ---- Post mortems and revisions ---- */

struct dbf_postmortem {
    int64_t id;
    char slug[DBF_STORE_SLUG_MAX + 1];
    char *title;
    char severity[17];                    /* as written in the document ("SEV1"), or "" */
    char service[DBF_STORE_NAME_MAX + 1]; /* the first service named, or "" */
    char *tags;       /* comma-separated, as given in the content; "" for none */
    char started[11]; /* the incident's date, YYYY-MM-DD, or "" */
    int64_t owner_team;
    char owner_team_name[DBF_STORE_NAME_MAX + 1];
    enum dbf_visibility visibility;
    enum dbf_pm_status status;
    int revision; /* the newest */
    int64_t created, updated;
    int64_t status_changed; /* when the status last moved (created, if never) */
};

void dbf_postmortem_release(struct dbf_postmortem *pm);

struct dbf_postmortem_list {
    struct dbf_postmortem *items;
    size_t count;
    size_t total; /* how many match the filter, ignoring limit and offset */
};

void dbf_postmortem_list_release(struct dbf_postmortem_list *list);

/* An action item as the newest revision writes it. Strings may be NULL. */
struct dbf_pm_action {
    int number; /* 1, 2, … in document order */
    const char *description;
    const char *owner;    /* as written ("@alice", "Alice (SRE)") */
    const char *due;      /* YYYY-MM-DD */
    const char *priority; /* as written ("P1") */
    const char *status;   /* "open", "done", "in-progress", "wont-do" */
    const char *link;     /* a ticket or change */
};

/* What a new post mortem or a new revision says. Everything but MARKDOWN
 * is what the caller read from MARKDOWN (see ingest.h); the store does not
 * parse it. The action items replace those of the previous revision. */
struct dbf_pm_content {
    const char *markdown;
    const char *title;
    const char *severity; /* NULL or "" for none */
    const char *service;  /* NULL or "" for none */
    const char *tags;     /* comma-separated, NULL or "" for none */
    const char *started;  /* YYYY-MM-DD, NULL or "" for unknown */
    const struct dbf_pm_action *actions;
    size_t action_count;
};

/* Creates post mortem SLUG (1 to 128 bytes of letters, digits, '.', '_',
 * '-') owned by TEAM, in draft, with CONTENT as revision 1 written by
 * AUTHOR. CONFLICT when SLUG is taken. ID may be NULL. */
enum dbf_store_status dbf_store_pm_create(struct dbf_store *store, const char *slug, int64_t team,
                                          enum dbf_visibility visibility,
                                          const struct dbf_pm_content *content, int64_t author,
                                          int64_t *id);

enum dbf_store_status dbf_store_pm_get(struct dbf_store *store, int64_t viewer, const char *slug,
                                       struct dbf_postmortem *out);

/* Names a user (TEAM 0) or a team (USER 0) on restricted post mortem SLUG,
 * which lets them see it. */
enum dbf_store_status dbf_store_pm_grant(struct dbf_store *store, const char *slug, int64_t user,
                                         int64_t team);

/* Filters for dbf_store_pm_list(); a NULL or 0 field does not filter. */
struct dbf_pm_filter {
    const char *query;    /* words, all of which the newest revision must hold */
    const char *status;   /* "draft", "review", "published" */
    const char *severity; /* compared without case */
    const char *service;  /* compared without case */
    const char *tag;      /* one of the tags, compared without case */
    const char *since;    /* started on or after, YYYY-MM-DD */
    const char *until;    /* started on or before, YYYY-MM-DD */
    int64_t team;         /* owner team */
    const char *sort;     /* "updated" (the default), "created", "started",
                             "severity", "title"; "-" before a name reverses it */
    size_t limit;         /* 0 for 100; DBF_PM_LIST_ALL for no limit */
    size_t offset;
};

#define DBF_PM_LIST_ALL SIZE_MAX

/* The post mortems VIEWER may see that match FILTER: by search rank when
 * there is a query and no sort, else by FILTER->sort. INVALID for an
 * unknown status or sort. */
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
enum dbf_store_status dbf_store_revision_save(struct dbf_store *store, const char *slug, int base,
                                              const struct dbf_pm_content *content, int64_t author,
                                              int *number);

/* Every revision of SLUG, oldest first, without their Markdown; *OUT is the
 * caller's to free(). */
enum dbf_store_status dbf_store_history(struct dbf_store *store, int64_t viewer, const char *slug,
                                        struct dbf_revision **out, size_t *count);

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
enum dbf_store_status dbf_store_pm_reassign(struct dbf_store *store, const char *slug, int64_t team,
                                            int64_t actor, const char *reason);

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
enum dbf_store_status dbf_store_comments(struct dbf_store *store, int64_t viewer, const char *slug,
                                         struct dbf_comment **out, size_t *count);
void dbf_comments_free(struct dbf_comment *comments, size_t count);

/* ---- Attachments: the files a post mortem's Markdown names ---- */

/* Images and metric files, kept by the name the document uses for them
 * ("metrics/p99.csv", as dbf_render_file_name() in render.h makes it: no
 * leading '/', no empty segment or one starting with '.', no backslash or
 * control character, at most 255 bytes; and not ending in ".md", which an
 * export would write beside the post mortems). Like revisions, nothing is ever
 * changed or removed: each upload of new bytes under a name adds a version,
 * and a name's newest version is the one a report shows. */

/* Bytes in one version: the server's limit on any request body, which h2o
 * reads whole before a handler can check who sends it. */
#define DBF_ATTACHMENT_MAX ((size_t)16 << 20)

struct dbf_attachment {
    char *name;
    int version;     /* 1 for the first upload under this name */
    int revision;    /* the post mortem's newest revision when it was uploaded */
    int64_t size;    /* bytes */
    char sha256[65]; /* of the bytes, in hex */
    int64_t author;
    char author_name[DBF_STORE_NAME_MAX + 1];
    int64_t created;
};

void dbf_attachment_release(struct dbf_attachment *attachment);
void dbf_attachments_free(struct dbf_attachment *attachments, size_t count);

/* Keeps the LEN bytes at DATA as NAME of SLUG, uploaded by AUTHOR, who must
 * be able to see SLUG. When they equal NAME's newest version, nothing is
 * added (so an import run twice adds nothing) and OUT describes that
 * version. INVALID for a bad name or more than DBF_ATTACHMENT_MAX bytes.
 * OUT may be NULL; release it with dbf_attachment_release(). */
enum dbf_store_status dbf_store_attachment_put(struct dbf_store *store, const char *slug,
                                               const char *name, const void *data, size_t len,
                                               int64_t author, struct dbf_attachment *out);

/* The newest version of each name of SLUG, by name; free with
 * dbf_attachments_free(). */
enum dbf_store_status dbf_store_attachments(struct dbf_store *store, int64_t viewer,
                                            const char *slug, struct dbf_attachment **out,
                                            size_t *count);

/* The bytes of version VERSION (0 for the newest) of NAME of SLUG, into a
 * malloc'd *DATA with a NUL after the *LEN bytes. META (may be NULL)
 * describes the version; release it with dbf_attachment_release(). */
enum dbf_store_status dbf_store_attachment_get(struct dbf_store *store, int64_t viewer,
                                               const char *slug, const char *name, int version,
                                               unsigned char **data, size_t *len,
                                               struct dbf_attachment *meta);

/* Every version of NAME of SLUG, oldest first; free with
 * dbf_attachments_free(). */
enum dbf_store_status dbf_store_attachment_history(struct dbf_store *store, int64_t viewer,
                                                   const char *slug, const char *name,
                                                   struct dbf_attachment **out, size_t *count);

/* Records that ACTOR (0 for the system) did ACTION ("user.add") to TARGET.
 * The store records its own writes already; this is for the caller's. */
enum dbf_store_status dbf_store_audit(struct dbf_store *store, int64_t actor, const char *action,
                                      const char *target, const char *detail);

struct dbf_audit_entry {
    int64_t id;
    int64_t actor; /* 0 for the system */
    char actor_name[DBF_STORE_NAME_MAX + 1];
    char action[33];
    char *target;
    char *detail;
    int64_t created;
};

/* The newest LIMIT entries, newest first; free with dbf_audit_free(). */
enum dbf_store_status dbf_store_audit_list(struct dbf_store *store, size_t limit,
                                           struct dbf_audit_entry **out, size_t *count);
void dbf_audit_free(struct dbf_audit_entry *entries, size_t count);

/* ---- Access to a restricted post mortem ---- */

/* Takes back what dbf_store_pm_grant() gave. Not an error when nothing was
 * granted. */
enum dbf_store_status dbf_store_pm_revoke(struct dbf_store *store, const char *slug, int64_t user,
                                          int64_t team);

/* A user (TEAM 0) or a team (USER 0) named on a post mortem. */
struct dbf_grant {
    int64_t user, team;
    char name[DBF_STORE_NAME_MAX + 1]; /* the user's or the team's */
};

/* The users and teams named on SLUG, users first, by name; *OUT is the
 * caller's to free(). */
enum dbf_store_status dbf_store_pm_grants(struct dbf_store *store, int64_t viewer, const char *slug,
                                          struct dbf_grant **out, size_t *count);

/* Makes SLUG public or restricted on behalf of ACTOR (recorded in the audit
 * log with REASON, which may be NULL). */
enum dbf_store_status dbf_store_pm_set_visibility(struct dbf_store *store, const char *slug,
                                                  enum dbf_visibility visibility, int64_t actor,
                                                  const char *reason);

/* May VIEWER see SLUG? OK or NOT_FOUND, as dbf_store_pm_get() would answer,
 * for routes that need only the answer. */
enum dbf_store_status dbf_store_pm_visible(struct dbf_store *store, int64_t viewer,
                                           const char *slug);

/* ---- Reviews ---- */

struct dbf_approval {
    int64_t reviewer;
    char reviewer_name[DBF_STORE_NAME_MAX + 1];
    int revision; /* the newest revision when it was given */
    char *note;   /* "" when none was given */
    int64_t created;
};

/* Records that REVIEWER approves SLUG as it is now, with NOTE (may be NULL).
 * INVALID unless SLUG is in review. Whether REVIEWER may approve (another
 * team, the reviewer role) is the caller's policy. */
enum dbf_store_status dbf_store_approve(struct dbf_store *store, const char *slug, int64_t reviewer,
                                        const char *note);

/* The approvals SLUG received since it last entered review, oldest first;
 * free with dbf_approvals_free(). */
enum dbf_store_status dbf_store_approvals(struct dbf_store *store, int64_t viewer, const char *slug,
                                          struct dbf_approval **out, size_t *count);
void dbf_approvals_free(struct dbf_approval *approvals, size_t count);

struct dbf_ownership_change {
    int64_t from_team, to_team; /* from_team 0 for the first owner */
    char from_name[DBF_STORE_NAME_MAX + 1], to_name[DBF_STORE_NAME_MAX + 1];
    int64_t actor;
    char actor_name[DBF_STORE_NAME_MAX + 1];
    char *reason;
    int64_t created;
};

/* The reassignments of SLUG, oldest first; free with
 * dbf_ownership_changes_free(). */
enum dbf_store_status dbf_store_ownership_changes(struct dbf_store *store, int64_t viewer,
                                                  const char *slug,
                                                  struct dbf_ownership_change **out, size_t *count);
void dbf_ownership_changes_free(struct dbf_ownership_change *changes, size_t count);

/* ---- Action items ---- */

/* An action item of the newest revision of a post mortem, with the status
 * the team server gave it. A status set with dbf_store_action_mark() wins
 * over the one the document writes, until the document's own status for
 * that item changes in a later revision. */
struct dbf_tracked_action {
    char slug[DBF_STORE_SLUG_MAX + 1];
    char *title; /* the post mortem's */
    int64_t owner_team;
    int number;
    char *description;
    char *owner;  /* "" when none */
    char due[11]; /* YYYY-MM-DD or "" */
    char priority[17];
    char status[17]; /* the effective status */
    char *link;      /* "" when none */
    int64_t marked;  /* when the server last set its status, or 0 */
    char marked_by[DBF_STORE_NAME_MAX + 1];
};

struct dbf_tracked_filter {
    const char *slug;  /* one post mortem */
    const char *owner; /* the owner as written, compared without case */
    bool open_only;    /* leave out done and wont-do items */
    int64_t team;      /* owner team of the post mortem */
};

/* The action items of the post mortems VIEWER may see, by due date (none
 * last), then post mortem and number; free with dbf_tracked_actions_free(). */
enum dbf_store_status dbf_store_actions(struct dbf_store *store, int64_t viewer,
                                        const struct dbf_tracked_filter *filter,
                                        struct dbf_tracked_action **out, size_t *count);
void dbf_tracked_actions_free(struct dbf_tracked_action *items, size_t count);

/* Sets action item NUMBER of SLUG to STATUS ("open", "done", "in-progress",
 * "wont-do") with LINK (may be NULL) on behalf of ACTOR, keeping the old
 * status in the item's history. NOT_FOUND for no such item. */
enum dbf_store_status dbf_store_action_mark(struct dbf_store *store, const char *slug, int number,
                                            const char *status, const char *link, int64_t actor);

/* ---- People, continued ---- */

/* The members of TEAM by name; *OUT is the caller's to free(). */
enum dbf_store_status dbf_store_team_members(struct dbf_store *store, int64_t team,
                                             struct dbf_user **out, size_t *count);

/* ---- Sign-in throttling ---- */

/* Counts a failed sign-in for KEY ("user:alice", "addr:192.0.2.1"). */
enum dbf_store_status dbf_store_login_failure(struct dbf_store *store, const char *key);
/* How many failures KEY had since SINCE (seconds since the epoch). */
enum dbf_store_status dbf_store_login_failures(struct dbf_store *store, const char *key,
                                               int64_t since, int *count);
/* Forgets the failures of KEY, after a good sign-in. */
enum dbf_store_status dbf_store_login_forget(struct dbf_store *store, const char *key);

/* ---- Time ---- */

/* The store's clock, in seconds since the epoch: the system's plus the
 * offset set for tests. Every time the store records comes from it. */
int64_t dbf_store_now(const struct dbf_store *store);
/* Moves STORE's clock by SECONDS from the system's (for tests of rules
 * that wait, such as time in review). */
void dbf_store_set_clock_offset(struct dbf_store *store, int64_t seconds);

/* The schema version the library writes, as text. */
const char *dbf_store_version(void);

#endif
