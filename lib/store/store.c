/* store.c: the storage interface: opening by URL, checking input, hashing
 * secrets, and dispatching to the backend's methods. */
#include "store_impl.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const status_names[] = {"ok",      "not found",   "conflict",
                                           "invalid", "unavailable", "internal"};
static const char *const role_names[] = {"viewer", "author", "reviewer", "admin"};
static const char *const visibility_names[] = {"public", "restricted"};
static const char *const pm_status_names[] = {"draft", "review", "published"};

const char *dbf_store_status_name(enum dbf_store_status status)
{
    if ((unsigned)status < sizeof status_names / sizeof *status_names)
        return status_names[status];
    return "unknown";
}

static bool parse_name(const char *const *names, size_t n, const char *name, int *out)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0) {
            *out = (int)i;
            return true;
        }
    return false;
}

#define NAMES(table) table, sizeof table / sizeof *table

const char *dbf_role_name(enum dbf_role role)
{
    return (unsigned)role <= DBF_ROLE_ADMIN ? role_names[role] : "viewer";
}

bool dbf_role_parse(const char *name, enum dbf_role *out)
{
    int i;
    if (!parse_name(NAMES(role_names), name, &i))
        return false;
    *out = (enum dbf_role)i;
    return true;
}

const char *dbf_visibility_name(enum dbf_visibility visibility)
{
    return visibility == DBF_VISIBILITY_RESTRICTED ? "restricted" : "public";
}

bool dbf_visibility_parse(const char *name, enum dbf_visibility *out)
{
    int i;
    if (!parse_name(NAMES(visibility_names), name, &i))
        return false;
    *out = (enum dbf_visibility)i;
    return true;
}

const char *dbf_pm_status_name(enum dbf_pm_status status)
{
    return (unsigned)status <= DBF_PM_PUBLISHED ? pm_status_names[status] : "draft";
}

bool dbf_pm_status_parse(const char *name, enum dbf_pm_status *out)
{
    int i;
    if (!parse_name(NAMES(pm_status_names), name, &i))
        return false;
    *out = (enum dbf_pm_status)i;
    return true;
}

enum dbf_store_status dbf__store_fail(struct dbf_store *store, enum dbf_store_status status,
                                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(store->message, sizeof store->message, fmt, ap);
    va_end(ap);
    return status;
}

bool dbf__store_move_allowed(enum dbf_pm_status from, enum dbf_pm_status to)
{
    switch (from) {
    case DBF_PM_DRAFT:
        return to == DBF_PM_REVIEW;
    case DBF_PM_REVIEW:
        return to == DBF_PM_DRAFT || to == DBF_PM_PUBLISHED;
    case DBF_PM_PUBLISHED:
        return to == DBF_PM_DRAFT;
    }
    return false;
}

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

struct dbf_store *dbf_store_open(const char *url, char *err, size_t errlen)
{
    if (!url || !*url) {
        set_err(err, errlen, "no database given");
        return NULL;
    }
    if (!dbf__crypto_init()) {
        set_err(err, errlen, "cannot initialise libsodium");
        return NULL;
    }
    if (strncmp(url, "sqlite:", 7) == 0) {
        if (!url[7]) {
            set_err(err, errlen, "'sqlite:' needs a file name, as in 'sqlite:debrief.db'");
            return NULL;
        }
        return dbf__sqlite_open(url + 7, err, errlen);
    }
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
        return dbf__postgres_open(url, err, errlen);
    }
    if (err && errlen)
        snprintf(err, errlen, "'%s' is not a database URL; use 'sqlite:FILE' or 'postgres://…'",
                 url);
    return NULL;
}

void dbf_store_close(struct dbf_store *store)
{
    if (store) {
        dbf__store_cache_free(store);
        store->methods->close(store);
    }
}

const char *dbf_store_message(const struct dbf_store *store)
{
    return store->message;
}

int dbf_store_schema_latest(void)
{
    return dbf__sqlite_migrations[dbf__sqlite_migration_count - 1].version;
}

const char *dbf_store_version(void)
{
    static char version[16];
    snprintf(version, sizeof version, "%d", dbf_store_schema_latest());
    return version;
}

/* Every operation starts by clearing the message. Any but the cached
 * reads may write: the read scope's generation must be read again
 * (store_reads.c). */
static struct dbf_store *begin(struct dbf_store *store)
{
    store->message[0] = '\0';
    store->generation_fresh = false;
    return store;
}

/* The start of a read that store_reads.c may answer from memory. */
static struct dbf_store *begin_read(struct dbf_store *store)
{
    store->message[0] = '\0';
    return store;
}

enum dbf_store_status dbf_store_schema_version(struct dbf_store *store, int *version)
{
    return begin(store)->methods->schema_version(store, version);
}

static bool word_ok(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return false;
    /* "." and ".." name folders in paths and URLs, never a thing. */
    return strspn(s, ".") != n;
}

static enum dbf_store_status bad_name(struct dbf_store *store, const char *what, const char *name,
                                      size_t max)
{
    if (!name || !*name)
        return dbf__store_fail(store, DBF_STORE_INVALID, "a %s needs a name", what);
    return dbf__store_fail(store, DBF_STORE_INVALID,
                           "'%.80s' is not a %s name: use up to %zu letters, digits, '.', '_' "
                           "or '-'",
                           name, what, max);
}

static enum dbf_store_status hash_password(struct dbf_store *store, const char *password,
                                           char hash[crypto_pwhash_STRBYTES])
{
    if (!password || !*password)
        return dbf__store_fail(store, DBF_STORE_INVALID, "the password is empty");
    if (!dbf__password_hash(password, hash, crypto_pwhash_STRBYTES))
        return dbf__store_fail(store, DBF_STORE_INTERNAL,
                               "cannot hash the password (out of memory)");
    return DBF_STORE_OK;
}

enum dbf_store_status dbf_store_user_add(struct dbf_store *store, const char *name,
                                         const char *password, enum dbf_role role, int64_t *id)
{
    char hash[crypto_pwhash_STRBYTES];
    begin(store);
    if (!word_ok(name, DBF_STORE_NAME_MAX))
        return bad_name(store, "user", name, DBF_STORE_NAME_MAX);
    enum dbf_store_status st = hash_password(store, password, hash);
    if (st != DBF_STORE_OK)
        return st;
    return store->methods->user_add(store, name, hash, role, id);
}

enum dbf_store_status dbf_store_user_add_first(struct dbf_store *store, const char *name,
                                               const char *password, int64_t *id)
{
    char hash[crypto_pwhash_STRBYTES];
    begin(store);
    if (!word_ok(name, DBF_STORE_NAME_MAX))
        return bad_name(store, "user", name, DBF_STORE_NAME_MAX);
    enum dbf_store_status st = hash_password(store, password, hash);
    if (st != DBF_STORE_OK)
        return st;
    return store->methods->user_add_first(store, name, hash, id);
}

enum dbf_store_status dbf_store_user_get(struct dbf_store *store, const char *name,
                                         struct dbf_user *out)
{
    if (!name)
        return dbf__store_fail(begin(store), DBF_STORE_INVALID, "no user name given");
    return begin(store)->methods->user_find(store, name, 0, out, NULL, 0);
}

enum dbf_store_status dbf_store_user_by_id(struct dbf_store *store, int64_t id,
                                           struct dbf_user *out)
{
    return dbf__read_user_by_id(begin_read(store), id, out);
}

enum dbf_store_status dbf_store_user_set_password(struct dbf_store *store, int64_t user,
                                                  const char *password)
{
    char hash[crypto_pwhash_STRBYTES];
    enum dbf_store_status st = hash_password(begin(store), password, hash);
    if (st != DBF_STORE_OK)
        return st;
    return store->methods->user_set_password(store, user, hash);
}

enum dbf_store_status dbf_store_user_set_role(struct dbf_store *store, int64_t user,
                                              enum dbf_role role)
{
    if ((unsigned)role > DBF_ROLE_ADMIN)
        return dbf__store_fail(begin(store), DBF_STORE_INVALID, "unknown role");
    return begin(store)->methods->user_set_role(store, user, role);
}

enum dbf_store_status dbf_store_user_list(struct dbf_store *store, struct dbf_user **out,
                                          size_t *count)
{
    return begin(store)->methods->user_list(store, out, count);
}

enum dbf_store_status dbf_store_login(struct dbf_store *store, const char *name,
                                      const char *password, struct dbf_user *out)
{
    char hash[crypto_pwhash_STRBYTES + 1];
    begin(store);
    if (!name || !password)
        return dbf__store_fail(store, DBF_STORE_INVALID, "a login needs a name and a password");
    enum dbf_store_status st = store->methods->user_find(store, name, 0, out, hash, sizeof hash);
    if (st == DBF_STORE_NOT_FOUND) {
        dbf__password_waste(password);
        return dbf__store_fail(store, DBF_STORE_NOT_FOUND, "wrong user name or password");
    }
    if (st != DBF_STORE_OK)
        return st;
    if (!dbf__password_verify(hash, password)) {
        memset(out, 0, sizeof *out);
        return dbf__store_fail(store, DBF_STORE_NOT_FOUND, "wrong user name or password");
    }
    return DBF_STORE_OK;
}

enum dbf_store_status dbf_store_team_add(struct dbf_store *store, const char *name, int64_t *id)
{
    if (!word_ok(name, DBF_STORE_NAME_MAX))
        return bad_name(begin(store), "team", name, DBF_STORE_NAME_MAX);
    return begin(store)->methods->team_add(store, name, id);
}

enum dbf_store_status dbf_store_team_get(struct dbf_store *store, const char *name,
                                         struct dbf_team *out)
{
    if (!name)
        return dbf__store_fail(begin(store), DBF_STORE_INVALID, "no team name given");
    return dbf__read_team_get(begin_read(store), name, out);
}

enum dbf_store_status dbf_store_team_list(struct dbf_store *store, struct dbf_team **out,
                                          size_t *count)
{
    return begin(store)->methods->team_list(store, 0, out, count);
}

enum dbf_store_status dbf_store_user_teams(struct dbf_store *store, int64_t user,
                                           struct dbf_team **out, size_t *count)
{
    return dbf__read_user_teams(begin_read(store), user, out, count);
}

enum dbf_store_status dbf_store_member_add(struct dbf_store *store, int64_t team, int64_t user)
{
    return begin(store)->methods->member_set(store, team, user, true);
}

enum dbf_store_status dbf_store_member_remove(struct dbf_store *store, int64_t team, int64_t user)
{
    return begin(store)->methods->member_set(store, team, user, false);
}

enum dbf_store_status dbf_store_token_new(struct dbf_store *store, int64_t user, const char *label,
                                          char token[DBF_STORE_SECRET_LEN + 1], int64_t *id)
{
    unsigned char hash[DBF__SECRET_HASH_LEN];
    char secret[DBF_STORE_SECRET_LEN + 1];
    begin(store);
    if (label && strlen(label) > DBF_STORE_NAME_MAX)
        return dbf__store_fail(store, DBF_STORE_INVALID, "a token label has at most %d bytes",
                               DBF_STORE_NAME_MAX);
    dbf__secret_new(secret);
    dbf__secret_hash(secret, hash);
    enum dbf_store_status st = store->methods->token_add(store, user, label ? label : "", hash, id);
    if (st == DBF_STORE_OK)
        memcpy(token, secret, sizeof secret);
    sodium_memzero(secret, sizeof secret);
    return st;
}

/* A secret of the wrong shape cannot be one of ours: answer at once. */
static bool secret_shape_ok(const char *secret)
{
    return secret && strlen(secret) == DBF_STORE_SECRET_LEN && memcmp(secret, "dbf_", 4) == 0;
}

enum dbf_store_status dbf_store_token_check(struct dbf_store *store, const char *token,
                                            struct dbf_user *out)
{
    unsigned char hash[DBF__SECRET_HASH_LEN];
    begin_read(store);
    if (!secret_shape_ok(token))
        return dbf__store_fail(store, DBF_STORE_NOT_FOUND, "unknown or revoked token");
    dbf__secret_hash(token, hash);
    return dbf__read_token(store, hash, out);
}

enum dbf_store_status dbf_store_token_list(struct dbf_store *store, int64_t user,
                                           struct dbf_token **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    return begin(store)->methods->token_list(store, user, out, count);
}

enum dbf_store_status dbf_store_token_revoke(struct dbf_store *store, int64_t user, int64_t id)
{
    return begin(store)->methods->token_revoke(store, user, id);
}

enum dbf_store_status dbf_store_session_new(struct dbf_store *store, int64_t user, int64_t ttl,
                                            char session[DBF_STORE_SECRET_LEN + 1])
{
    unsigned char hash[DBF__SECRET_HASH_LEN];
    char secret[DBF_STORE_SECRET_LEN + 1];
    begin(store);
    if (ttl <= 0)
        return dbf__store_fail(store, DBF_STORE_INVALID, "a session must last a positive time");
    dbf__secret_new(secret);
    dbf__secret_hash(secret, hash);
    enum dbf_store_status st =
        store->methods->session_add(store, user, dbf_store_now(store) + ttl, hash);
    if (st == DBF_STORE_OK)
        memcpy(session, secret, sizeof secret);
    sodium_memzero(secret, sizeof secret);
    return st;
}

enum dbf_store_status dbf_store_session_check(struct dbf_store *store, const char *session,
                                              struct dbf_user *out)
{
    unsigned char hash[DBF__SECRET_HASH_LEN];
    begin_read(store);
    if (!secret_shape_ok(session))
        return dbf__store_fail(store, DBF_STORE_NOT_FOUND, "unknown or expired session");
    dbf__secret_hash(session, hash);
    return dbf__read_session(store, hash, dbf_store_now(store), out);
}

enum dbf_store_status dbf_store_session_end(struct dbf_store *store, const char *session)
{
    unsigned char hash[DBF__SECRET_HASH_LEN];
    begin(store);
    if (!secret_shape_ok(session))
        return dbf__store_fail(store, DBF_STORE_NOT_FOUND, "unknown or expired session");
    dbf__secret_hash(session, hash);
    return store->methods->session_end(store, hash);
}

void dbf_postmortem_release(struct dbf_postmortem *pm)
{
    free(pm->title);
    free(pm->tags);
    pm->title = NULL;
    pm->tags = NULL;
}

void dbf_postmortem_list_release(struct dbf_postmortem_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        dbf_postmortem_release(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
    list->total = 0;
}

void dbf_revision_release(struct dbf_revision *revision)
{
    free(revision->markdown);
    revision->markdown = NULL;
}

void dbf_state_changes_free(struct dbf_state_change *changes, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(changes[i].reason);
    free(changes);
}

void dbf_comments_free(struct dbf_comment *comments, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(comments[i].body);
    free(comments);
}

void dbf_audit_free(struct dbf_audit_entry *entries, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(entries[i].target);
        free(entries[i].detail);
    }
    free(entries);
}

/* Is TEXT a date written YYYY-MM-DD? */
static bool date_ok(const char *text)
{
    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
            return false;
    return true;
}

static const char *const action_statuses[] = {"open", "done", "in-progress", "wont-do"};

static bool action_status_ok(const char *status)
{
    int i;
    return parse_name(NAMES(action_statuses), status, &i);
}

static enum dbf_store_status check_action(struct dbf_store *store, const struct dbf_pm_action *a,
                                          int previous)
{
    if (a->number <= previous)
        return dbf__store_fail(store, DBF_STORE_INVALID,
                               "action item %d comes after %d: number them 1, 2, … in order",
                               a->number, previous);
    if (a->due && *a->due && !date_ok(a->due))
        return dbf__store_fail(store, DBF_STORE_INVALID,
                               "action item %d: the due date '%.40s' is not YYYY-MM-DD", a->number,
                               a->due);
    if (a->priority && strlen(a->priority) > 16)
        return dbf__store_fail(store, DBF_STORE_INVALID,
                               "action item %d: the priority '%.40s' is too long", a->number,
                               a->priority);
    if (a->status && *a->status && !action_status_ok(a->status))
        return dbf__store_fail(store, DBF_STORE_INVALID,
                               "action item %d: unknown status '%.40s': use open, done, "
                               "in-progress or wont-do",
                               a->number, a->status);
    return DBF_STORE_OK;
}

static enum dbf_store_status check_content(struct dbf_store *store,
                                           const struct dbf_pm_content *content)
{
    if (!content || !content->markdown || !*content->markdown)
        return dbf__store_fail(store, DBF_STORE_INVALID, "the post mortem is empty");
    if (!content->title || !*content->title)
        return dbf__store_fail(store, DBF_STORE_INVALID, "the post mortem has no title");
    if (content->severity && strlen(content->severity) > 16)
        return dbf__store_fail(store, DBF_STORE_INVALID, "the severity '%.40s' is too long",
                               content->severity);
    if (content->service && strlen(content->service) > DBF_STORE_NAME_MAX)
        return dbf__store_fail(store, DBF_STORE_INVALID, "the service '%.40s…' is too long",
                               content->service);
    if (content->started && *content->started && !date_ok(content->started))
        return dbf__store_fail(store, DBF_STORE_INVALID, "the start date '%.40s' is not YYYY-MM-DD",
                               content->started);
    if (content->action_count && !content->actions)
        return dbf__store_fail(store, DBF_STORE_INVALID, "the action items are missing");
    int previous = 0;
    for (size_t i = 0; i < content->action_count; i++) {
        enum dbf_store_status st = check_action(store, &content->actions[i], previous);
        if (st != DBF_STORE_OK)
            return st;
        previous = content->actions[i].number;
    }
    return DBF_STORE_OK;
}

enum dbf_store_status dbf_store_pm_create(struct dbf_store *store, const char *slug, int64_t team,
                                          enum dbf_visibility visibility,
                                          const struct dbf_pm_content *content, int64_t author,
                                          int64_t *id)
{
    begin(store);
    if (!word_ok(slug, DBF_STORE_SLUG_MAX))
        return bad_name(store, "post mortem", slug, DBF_STORE_SLUG_MAX);
    if ((unsigned)visibility > DBF_VISIBILITY_RESTRICTED)
        return dbf__store_fail(store, DBF_STORE_INVALID, "unknown visibility");
    enum dbf_store_status st = check_content(store, content);
    if (st != DBF_STORE_OK)
        return st;
    return store->methods->pm_create(store, slug, team, visibility, content, author, id);
}

enum dbf_store_status dbf_store_pm_get(struct dbf_store *store, int64_t viewer, const char *slug,
                                       struct dbf_postmortem *out)
{
    memset(out, 0, sizeof *out);
    if (!slug)
        return dbf__store_fail(begin(store), DBF_STORE_INVALID, "no post mortem id given");
    return dbf__read_pm_get(begin_read(store), viewer, slug, out);
}

enum dbf_store_status dbf_store_pm_grant(struct dbf_store *store, const char *slug, int64_t user,
                                         int64_t team)
{
    begin(store);
    if (!slug || (user == 0) == (team == 0))
        return dbf__store_fail(store, DBF_STORE_INVALID, "name either a user or a team");
    return store->methods->pm_grant(store, slug, user, team);
}

/* Turns words typed by a person into an FTS5 query that matches all of
 * them as plain words: each is quoted, so no input is an FTS5 syntax error. */
static char *match_expression(const char *query)
{
    size_t n = strlen(query);
    char *out = malloc(n * 3 + 3);
    if (!out)
        return NULL;
    size_t o = 0;
    const char *p = query;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        if (o)
            out[o++] = ' ';
        out[o++] = '"';
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            if (*p == '"')
                out[o++] = '"';
            out[o++] = *p++;
        }
        out[o++] = '"';
    }
    out[o] = '\0';
    return out;
}

static const char *const sort_names[DBF__PM_SORT_COUNT] = {"updated", "created", "started",
                                                           "severity", "title"};

bool dbf__pm_sort_parse(const char *sort, enum dbf__pm_sort *key, bool *reverse)
{
    *key = DBF__PM_SORT_UPDATED;
    *reverse = false;
    if (!sort || !*sort)
        return true;
    if (*sort == '-') {
        *reverse = true;
        sort++;
    }
    int i;
    if (!parse_name(NAMES(sort_names), sort, &i))
        return false;
    *key = (enum dbf__pm_sort)i;
    return true;
}

static enum dbf_store_status check_filter(struct dbf_store *store,
                                          const struct dbf_pm_filter *filter)
{
    enum dbf_pm_status status;
    enum dbf__pm_sort key;
    bool reverse;
    if (filter->status && *filter->status && !dbf_pm_status_parse(filter->status, &status))
        return dbf__store_fail(store, DBF_STORE_INVALID,
                               "unknown status '%.40s': use draft, review or published",
                               filter->status);
    if (!dbf__pm_sort_parse(filter->sort, &key, &reverse))
        return dbf__store_fail(store, DBF_STORE_INVALID,
                               "unknown order '%.40s': use updated, created, started, severity "
                               "or title, with '-' before it to reverse it",
                               filter->sort);
    if (filter->since && *filter->since && !date_ok(filter->since))
        return dbf__store_fail(store, DBF_STORE_INVALID, "'%.40s' is not a date (YYYY-MM-DD)",
                               filter->since);
    if (filter->until && *filter->until && !date_ok(filter->until))
        return dbf__store_fail(store, DBF_STORE_INVALID, "'%.40s' is not a date (YYYY-MM-DD)",
                               filter->until);
    return DBF_STORE_OK;
}

enum dbf_store_status dbf_store_pm_list(struct dbf_store *store, int64_t viewer,
                                        const struct dbf_pm_filter *filter,
                                        struct dbf_postmortem_list *out)
{
    static const struct dbf_pm_filter none;
    begin_read(store);
    out->items = NULL;
    out->count = 0;
    out->total = 0;
    if (!filter)
        filter = &none;
    enum dbf_store_status st = check_filter(store, filter);
    if (st != DBF_STORE_OK)
        return st;
    char *match = NULL;
    if (filter->query && *filter->query) {
        match = match_expression(filter->query);
        if (!match)
            return dbf__store_fail(store, DBF_STORE_INTERNAL, "out of memory");
        if (!*match) {
            free(match);
            match = NULL;
        }
    }
    st = dbf__read_pm_list(store, viewer, filter, match, out);
    free(match);
    return st;
}

enum dbf_store_status dbf_store_revision_get(struct dbf_store *store, int64_t viewer,
                                             const char *slug, int number, struct dbf_revision *out)
{
    memset(out, 0, sizeof *out);
    begin_read(store);
    if (!slug || number < 0)
        return dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no such revision");
    return dbf__read_revision_get(store, viewer, slug, number, out);
}

enum dbf_store_status dbf_store_revision_save(struct dbf_store *store, const char *slug, int base,
                                              const struct dbf_pm_content *content, int64_t author,
                                              int *number)
{
    begin(store);
    if (!slug)
        return dbf__store_fail(store, DBF_STORE_INVALID, "no post mortem id given");
    if (base < 1)
        return dbf__store_fail(store, DBF_STORE_INVALID,
                               "a save needs the revision it was based on");
    enum dbf_store_status st = check_content(store, content);
    if (st != DBF_STORE_OK)
        return st;
    return store->methods->revision_save(store, slug, base, content, author, number);
}

enum dbf_store_status dbf_store_history(struct dbf_store *store, int64_t viewer, const char *slug,
                                        struct dbf_revision **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    return dbf__read_history(begin_read(store), viewer, slug ? slug : "", out, count);
}

enum dbf_store_status dbf_store_transition(struct dbf_store *store, const char *slug,
                                           enum dbf_pm_status to, int64_t actor, const char *reason)
{
    begin(store);
    if (!slug || (unsigned)to > DBF_PM_PUBLISHED)
        return dbf__store_fail(store, DBF_STORE_INVALID, "unknown workflow state");
    return store->methods->transition(store, slug, to, actor, reason ? reason : "");
}

enum dbf_store_status dbf_store_state_changes(struct dbf_store *store, int64_t viewer,
                                              const char *slug, struct dbf_state_change **out,
                                              size_t *count)
{
    *out = NULL;
    *count = 0;
    return begin(store)->methods->state_changes(store, viewer, slug ? slug : "", out, count);
}

enum dbf_store_status dbf_store_pm_reassign(struct dbf_store *store, const char *slug, int64_t team,
                                            int64_t actor, const char *reason)
{
    if (!slug)
        return dbf__store_fail(begin(store), DBF_STORE_INVALID, "no post mortem id given");
    return begin(store)->methods->pm_reassign(store, slug, team, actor, reason ? reason : "");
}

enum dbf_store_status dbf_store_comment_add(struct dbf_store *store, const char *slug,
                                            int64_t author, const char *body, int64_t *id)
{
    begin(store);
    if (!slug)
        return dbf__store_fail(store, DBF_STORE_INVALID, "no post mortem id given");
    if (!body || !*body)
        return dbf__store_fail(store, DBF_STORE_INVALID, "the comment is empty");
    return store->methods->comment_add(store, slug, author, body, id);
}

enum dbf_store_status dbf_store_comments(struct dbf_store *store, int64_t viewer, const char *slug,
                                         struct dbf_comment **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    return dbf__read_comments(begin_read(store), viewer, slug ? slug : "", out, count);
}

void dbf_attachment_release(struct dbf_attachment *attachment)
{
    if (!attachment)
        return;
    free(attachment->name);
    attachment->name = NULL;
}

void dbf_attachments_free(struct dbf_attachment *attachments, size_t count)
{
    for (size_t i = 0; attachments && i < count; i++)
        dbf_attachment_release(&attachments[i]);
    free(attachments);
}

/* Is NAME a file name as dbf_render_file_name() makes them, and not one an
 * export would write over a post mortem (".md")? */
static bool attachment_name_ok(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (!len || len > 255 || name[0] == '/' || name[len - 1] == '/')
        return false;
    if (len >= 3 && strcasecmp(name + len - 3, ".md") == 0)
        return false;
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (!n || p[0] == '.')
            return false;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')
                return false;
        p += n;
        if (*p == '/')
            p++;
    }
    return true;
}

static enum dbf_store_status attachment_args(struct dbf_store *store, const char *slug,
                                             const char *name)
{
    if (!slug || !*slug)
        return dbf__store_fail(store, DBF_STORE_INVALID, "no post mortem id given");
    if (!attachment_name_ok(name))
        return dbf__store_fail(store, DBF_STORE_INVALID,
                               "an attachment's name is a path inside the document's folder "
                               "('metrics/p99.csv'): not empty, not absolute, no part starting "
                               "with '.', no backslash or control character, not ending in "
                               ".md, at most 255 bytes");
    return DBF_STORE_OK;
}

enum dbf_store_status dbf_store_attachment_put(struct dbf_store *store, const char *slug,
                                               const char *name, const void *data, size_t len,
                                               int64_t author, struct dbf_attachment *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    enum dbf_store_status status = attachment_args(begin(store), slug, name);
    if (status != DBF_STORE_OK)
        return status;
    if (len > DBF_ATTACHMENT_MAX)
        return dbf__store_fail(store, DBF_STORE_INVALID, "an attachment holds at most %zu MiB",
                               DBF_ATTACHMENT_MAX >> 20);
    if (!data && len)
        return dbf__store_fail(store, DBF_STORE_INVALID, "no bytes given");
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data ? data : (const void *)"", len);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    struct dbf_attachment ignored = {0};
    status = store->methods->attachment_put(store, slug, name, data ? data : "", len, hex, author,
                                            out ? out : &ignored);
    if (!out)
        dbf_attachment_release(&ignored);
    return status;
}

enum dbf_store_status dbf_store_attachments(struct dbf_store *store, int64_t viewer,
                                            const char *slug, struct dbf_attachment **out,
                                            size_t *count)
{
    *out = NULL;
    *count = 0;
    return dbf__read_attachments(begin_read(store), viewer, slug ? slug : "", out, count);
}

enum dbf_store_status dbf_store_attachment_get(struct dbf_store *store, int64_t viewer,
                                               const char *slug, const char *name, int version,
                                               unsigned char **data, size_t *len,
                                               struct dbf_attachment *meta)
{
    *data = NULL;
    *len = 0;
    if (meta)
        memset(meta, 0, sizeof *meta);
    if (!attachment_name_ok(name) || version < 0)
        return dbf__store_fail(begin(store), DBF_STORE_NOT_FOUND, "no such attachment");
    struct dbf_attachment ignored = {0};
    enum dbf_store_status status = begin(store)->methods->attachment_get(
        store, viewer, slug ? slug : "", name, version, data, len, meta ? meta : &ignored);
    if (!meta)
        dbf_attachment_release(&ignored);
    return status;
}

enum dbf_store_status dbf_store_attachment_history(struct dbf_store *store, int64_t viewer,
                                                   const char *slug, const char *name,
                                                   struct dbf_attachment **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!attachment_name_ok(name))
        return dbf__store_fail(begin(store), DBF_STORE_NOT_FOUND, "no such attachment");
    return begin(store)->methods->attachment_history(store, viewer, slug ? slug : "", name, out,
                                                     count);
}

enum dbf_store_status dbf_store_audit(struct dbf_store *store, int64_t actor, const char *action,
                                      const char *target, const char *detail)
{
    begin(store);
    if (!action || !*action || strlen(action) > 32)
        return dbf__store_fail(store, DBF_STORE_INVALID, "an audit entry needs an action name");
    return store->methods->audit(store, actor, action, target ? target : "", detail ? detail : "");
}

enum dbf_store_status dbf_store_audit_list(struct dbf_store *store, size_t limit,
                                           struct dbf_audit_entry **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    return begin(store)->methods->audit_list(store, limit ? limit : 100, out, count);
}

/* ---- Access, reviews, owners ---- */

static enum dbf_store_status need_slug(struct dbf_store *store, const char *slug)
{
    if (!slug || !*slug)
        return dbf__store_fail(store, DBF_STORE_INVALID, "no post mortem id given");
    return DBF_STORE_OK;
}

enum dbf_store_status dbf_store_pm_revoke(struct dbf_store *store, const char *slug, int64_t user,
                                          int64_t team)
{
    begin(store);
    if (!slug || (user == 0) == (team == 0))
        return dbf__store_fail(store, DBF_STORE_INVALID, "name either a user or a team");
    return store->methods->pm_revoke(store, slug, user, team);
}

enum dbf_store_status dbf_store_pm_grants(struct dbf_store *store, int64_t viewer, const char *slug,
                                          struct dbf_grant **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    return begin(store)->methods->pm_grants(store, viewer, slug ? slug : "", out, count);
}

enum dbf_store_status dbf_store_pm_set_visibility(struct dbf_store *store, const char *slug,
                                                  enum dbf_visibility visibility, int64_t actor,
                                                  const char *reason)
{
    enum dbf_store_status st = need_slug(begin(store), slug);
    if (st != DBF_STORE_OK)
        return st;
    if ((unsigned)visibility > DBF_VISIBILITY_RESTRICTED)
        return dbf__store_fail(store, DBF_STORE_INVALID, "unknown visibility");
    return store->methods->pm_set_visibility(store, slug, visibility, actor, reason ? reason : "");
}

enum dbf_store_status dbf_store_pm_visible(struct dbf_store *store, int64_t viewer,
                                           const char *slug)
{
    struct dbf_postmortem pm;
    enum dbf_store_status st = dbf_store_pm_get(store, viewer, slug, &pm);
    if (st == DBF_STORE_OK)
        dbf_postmortem_release(&pm);
    return st;
}

enum dbf_store_status dbf_store_approve(struct dbf_store *store, const char *slug, int64_t reviewer,
                                        const char *note)
{
    enum dbf_store_status st = need_slug(begin(store), slug);
    if (st != DBF_STORE_OK)
        return st;
    if (!reviewer)
        return dbf__store_fail(store, DBF_STORE_INVALID, "an approval needs a reviewer");
    return store->methods->approve(store, slug, reviewer, note ? note : "");
}

enum dbf_store_status dbf_store_approvals(struct dbf_store *store, int64_t viewer, const char *slug,
                                          struct dbf_approval **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    return dbf__read_approvals(begin_read(store), viewer, slug ? slug : "", out, count);
}

void dbf_approvals_free(struct dbf_approval *approvals, size_t count)
{
    for (size_t i = 0; approvals && i < count; i++)
        free(approvals[i].note);
    free(approvals);
}

enum dbf_store_status dbf_store_ownership_changes(struct dbf_store *store, int64_t viewer,
                                                  const char *slug,
                                                  struct dbf_ownership_change **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    return begin(store)->methods->ownership_changes(store, viewer, slug ? slug : "", out, count);
}

void dbf_ownership_changes_free(struct dbf_ownership_change *changes, size_t count)
{
    for (size_t i = 0; changes && i < count; i++)
        free(changes[i].reason);
    free(changes);
}

/* ---- Action items ---- */

enum dbf_store_status dbf_store_actions(struct dbf_store *store, int64_t viewer,
                                        const struct dbf_tracked_filter *filter,
                                        struct dbf_tracked_action **out, size_t *count)
{
    static const struct dbf_tracked_filter none;
    *out = NULL;
    *count = 0;
    return begin(store)->methods->actions(store, viewer, filter ? filter : &none, out, count);
}

void dbf_tracked_actions_free(struct dbf_tracked_action *items, size_t count)
{
    for (size_t i = 0; items && i < count; i++) {
        free(items[i].title);
        free(items[i].description);
        free(items[i].owner);
        free(items[i].link);
    }
    free(items);
}

enum dbf_store_status dbf_store_action_mark(struct dbf_store *store, const char *slug, int number,
                                            const char *status, const char *link, int64_t actor)
{
    enum dbf_store_status st = need_slug(begin(store), slug);
    if (st != DBF_STORE_OK)
        return st;
    if (!action_status_ok(status))
        return dbf__store_fail(store, DBF_STORE_INVALID,
                               "unknown status '%.40s': use open, done, in-progress or wont-do",
                               status ? status : "");
    if (number < 1)
        return dbf__store_fail(store, DBF_STORE_NOT_FOUND, "'%.128s' has no action item %d", slug,
                               number);
    return store->methods->action_mark(store, slug, number, status, link, actor);
}

/* ---- People, sign-in throttling, time ---- */

enum dbf_store_status dbf_store_team_members(struct dbf_store *store, int64_t team,
                                             struct dbf_user **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    return begin(store)->methods->team_members(store, team, out, count);
}

static enum dbf_store_status check_key(struct dbf_store *store, const char *key)
{
    if (!key || !*key || strlen(key) > 320)
        return dbf__store_fail(store, DBF_STORE_INVALID,
                               "a sign-in key is 1 to 320 bytes, as in 'user:alice'");
    return DBF_STORE_OK;
}

enum dbf_store_status dbf_store_login_failure(struct dbf_store *store, const char *key)
{
    enum dbf_store_status st = check_key(begin(store), key);
    if (st != DBF_STORE_OK)
        return st;
    return store->methods->login_failure(store, key);
}

enum dbf_store_status dbf_store_login_failures(struct dbf_store *store, const char *key,
                                               int64_t since, int *count)
{
    *count = 0;
    enum dbf_store_status st = check_key(begin(store), key);
    if (st != DBF_STORE_OK)
        return st;
    return store->methods->login_failures(store, key, since, count);
}

enum dbf_store_status dbf_store_login_forget(struct dbf_store *store, const char *key)
{
    enum dbf_store_status st = check_key(begin(store), key);
    if (st != DBF_STORE_OK)
        return st;
    return store->methods->login_forget(store, key);
}

enum dbf_store_status dbf_store_optimize(struct dbf_store *store)
{
    begin(store);
    return store->methods->optimize ? store->methods->optimize(store) : DBF_STORE_OK;
}

int64_t dbf_store_now(const struct dbf_store *store)
{
    return (int64_t)time(NULL) + store->clock_offset;
}

void dbf_store_set_clock_offset(struct dbf_store *store, int64_t seconds)
{
    store->clock_offset = seconds;
}
