/* test_store.c: the store's behaviour, on a real SQLite file in a
 * temporary folder or, when DEBRIEF_TEST_STORE_URL names a PostgreSQL
 * server (postgres://…, a user who may create databases), on a fresh
 * database of that server for every test: migrations, post mortems and
 * their revisions, the conflict rule, restricted visibility everywhere,
 * search, filters, orders and totals, workflow and approvals, owners,
 * action items and their marks, throttling, the clock, secrets and
 * passwords, attachments and their versions. Checks of SQLite's own files and triggers run on
 * SQLite only. */
#include "debrief/store.h"
#include "harness.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char folder[256];
static char db_path[300];
static char url[1024];

/* The PostgreSQL server of the run, or NULL for SQLite; the database made
 * for the current test. */
static const char *server_url;
static char database[64];

static bool sqlite_only(void)
{
    return server_url == NULL;
}

/* SERVER with its database name replaced by NAME, into OUT. */
static void url_with_database(const char *server, const char *name, char *out, size_t size)
{
    const char *host = strstr(server, "://");
    host = host ? host + 3 : server;
    const char *path = strchr(host, '/');
    const char *query = strchr(host, '?');
    if (path && query && query < path)
        path = NULL;
    size_t keep = path    ? (size_t)(path - server)
                  : query ? (size_t)(query - server)
                          : strlen(server);
    snprintf(out, size, "%.*s/%s%s", (int)keep, server, name, query ? query : "");
}

/* Runs SQL as one command on the server's own database. */
static void on_server(const char *sql)
{
    PGconn *conn = PQconnectdb(server_url);
    if (PQstatus(conn) != CONNECTION_OK)
        print_message("cannot reach %s: %s\n", server_url, PQerrorMessage(conn));
    assert_int_equal(PQstatus(conn), CONNECTION_OK);
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        print_message("%s: %s\n", sql, PQerrorMessage(conn));
    assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    PQfinish(conn);
}

static int make_database(void **state)
{
    (void)state;
    server_url = getenv("DEBRIEF_TEST_STORE_URL");
    if (server_url && !*server_url)
        server_url = NULL;
    if (server_url) {
        static int made;
        char sql[128];
        snprintf(database, sizeof database, "t_%ld_%d", (long)getpid(), ++made);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", database);
        on_server(sql);
        url_with_database(server_url, database, url, sizeof url);
        return 0;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(folder, sizeof folder, "%s/debrief-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(folder))
        return -1;
    snprintf(db_path, sizeof db_path, "%s/test.db", folder);
    snprintf(url, sizeof url, "sqlite:%s", db_path);
    return 0;
}

static int drop_database(void **state)
{
    (void)state;
    if (server_url) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", database);
        on_server(sql);
        return 0;
    }
    static const char *const files[] = {"test.db", "test.db-wal", "test.db-shm"};
    char path[400];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", folder, files[i]);
        unlink(path);
    }
    rmdir(folder);
    return 0;
}

static struct dbf_store *open_store(void)
{
    char err[512] = "";
    struct dbf_store *store = dbf_store_open(url, err, sizeof err);
    if (!store)
        print_message("open failed: %s\n", err);
    assert_non_null(store);
    return store;
}

#define assert_ok(store, call)                                                                     \
    do {                                                                                           \
        enum dbf_store_status st_ = (call);                                                        \
        if (st_ != DBF_STORE_OK)                                                                   \
            print_message("%s: %s\n", dbf_store_status_name(st_), dbf_store_message(store));       \
        assert_int_equal(st_, DBF_STORE_OK);                                                       \
    } while (0)

/* The people of every test: an admin, an author in payments, a member of
 * search (named on restricted post mortems), and an outsider in no team. */
struct people {
    int64_t admin, author, named, outsider;
    int64_t payments, search;
};

static struct people add_people(struct dbf_store *s)
{
    struct people p;
    assert_ok(s, dbf_store_user_add(s, "ada", "admin-pass", DBF_ROLE_ADMIN, &p.admin));
    assert_ok(s, dbf_store_user_add(s, "ben", "author-pass", DBF_ROLE_AUTHOR, &p.author));
    assert_ok(s, dbf_store_user_add(s, "cy", "named-pass", DBF_ROLE_VIEWER, &p.named));
    assert_ok(s, dbf_store_user_add(s, "dee", "outsider-pass", DBF_ROLE_REVIEWER, &p.outsider));
    assert_ok(s, dbf_store_team_add(s, "payments", &p.payments));
    assert_ok(s, dbf_store_team_add(s, "search", &p.search));
    assert_ok(s, dbf_store_member_add(s, p.payments, p.author));
    assert_ok(s, dbf_store_member_add(s, p.search, p.named));
    return p;
}

static void create(struct dbf_store *s, const char *slug, int64_t team,
                   enum dbf_visibility visibility, const char *title, const char *severity,
                   const char *markdown, int64_t author)
{
    struct dbf_pm_content c = {.markdown = markdown, .title = title, .severity = severity};
    assert_ok(s, dbf_store_pm_create(s, slug, team, visibility, &c, author, NULL));
}

/* The one number QUERY answers on the SQLite file (SQLite-only checks). */
static size_t count_rows(const char *query)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, query, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    size_t n = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void test_urls(void **state)
{
    (void)state;
    char err[256] = "";
    /* A server that is not there: nothing listens on port 1. */
    assert_null(dbf_store_open("postgres://127.0.0.1:1/debrief", err, sizeof err));
    assert_true(*err);
    assert_null(dbf_store_open("mysql://x", err, sizeof err));
    assert_non_null(strstr(err, "'mysql://x' is not a database URL"));
    assert_null(dbf_store_open("sqlite:", err, sizeof err));
    assert_non_null(strstr(err, "needs a file name"));
    assert_null(dbf_store_open("sqlite:/nonexistent-folder/x/y.db", err, sizeof err));
    assert_non_null(strstr(err, "cannot open '/nonexistent-folder/x/y.db'"));
}

static void test_migrations_idempotent(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    int version = -1;
    assert_ok(s, dbf_store_schema_version(s, &version));
    assert_int_equal(version, dbf_store_schema_latest());
    assert_true(version >= 7);
    dbf_store_close(s);
    s = open_store();
    assert_ok(s, dbf_store_schema_version(s, &version));
    assert_int_equal(version, dbf_store_schema_latest());
    dbf_store_close(s);
    if (!sqlite_only())
        return;
    size_t applied = count_rows("SELECT count(*) FROM schema_migrations");
    assert_int_equal(applied, (size_t)dbf_store_schema_latest());

    s = open_store();
    assert_ok(s, dbf_store_schema_version(s, &version));
    assert_int_equal(version, dbf_store_schema_latest());
    dbf_store_close(s);
    assert_int_equal(count_rows("SELECT count(*) FROM schema_migrations"), applied);
    assert_int_equal(count_rows("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = "
                                "'wal'"),
                     1);
    assert_int_equal(count_rows("SELECT count(*) FROM sqlite_master WHERE name IN"
                                " ('postmortems_started', 'postmortem_tags_tag',"
                                " 'postmortem_actions_due', 'login_failures_key')"),
                     4);
}

static void test_users_and_passwords(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    struct dbf_user u;
    assert_ok(s, dbf_store_login(s, "ben", "author-pass", &u));
    assert_int_equal(u.id, p.author);
    assert_string_equal(u.name, "ben");
    assert_int_equal(u.role, DBF_ROLE_AUTHOR);

    assert_int_equal(dbf_store_login(s, "ben", "author-pas", &u), DBF_STORE_NOT_FOUND);
    assert_string_equal(dbf_store_message(s), "wrong user name or password");
    assert_int_equal(u.id, 0);
    assert_int_equal(dbf_store_login(s, "nobody", "author-pass", &u), DBF_STORE_NOT_FOUND);
    assert_string_equal(dbf_store_message(s), "wrong user name or password");

    assert_int_equal(dbf_store_user_add(s, "ben", "x", DBF_ROLE_VIEWER, NULL), DBF_STORE_CONFLICT);
    assert_string_equal(dbf_store_message(s), "the user 'ben' already exists");
    assert_int_equal(dbf_store_user_add(s, "bad name", "x", DBF_ROLE_VIEWER, NULL),
                     DBF_STORE_INVALID);
    assert_int_equal(dbf_store_user_add(s, "eve", "", DBF_ROLE_VIEWER, NULL), DBF_STORE_INVALID);

    assert_ok(s, dbf_store_user_set_password(s, p.author, "new-pass"));
    assert_int_equal(dbf_store_login(s, "ben", "author-pass", &u), DBF_STORE_NOT_FOUND);
    assert_ok(s, dbf_store_login(s, "ben", "new-pass", &u));

    struct dbf_team *teams;
    size_t n;
    assert_ok(s, dbf_store_user_teams(s, p.author, &teams, &n));
    assert_int_equal(n, 1);
    assert_string_equal(teams[0].name, "payments");
    free(teams);
    dbf_store_close(s);
    if (!sqlite_only())
        return;

    /* Only Argon2id hashes are stored, never the password. */
    assert_int_equal(count_rows("SELECT count(*) FROM users WHERE password_hash LIKE "
                                "'$argon2id$%'"),
                     4);
    assert_int_equal(count_rows("SELECT count(*) FROM users WHERE instr(password_hash, 'pass')"),
                     0);
}

/* Neither secret appears anywhere in the SQLite file or its log. */
static void assert_secrets_not_stored(const char *token, const char *session)
{
    FILE *f = fopen(db_path, "rb");
    assert_non_null(f);
    char *bytes = malloc(1 << 22);
    assert_non_null(bytes);
    size_t n = fread(bytes, 1, 1 << 22, f);
    fclose(f);
    char wal[320];
    snprintf(wal, sizeof wal, "%s-wal", db_path);
    if ((f = fopen(wal, "rb"))) {
        n += fread(bytes + n, 1, (1 << 22) - n, f);
        fclose(f);
    }
    assert_null(memmem(bytes, n, token + 4, 32));
    assert_null(memmem(bytes, n, session + 4, 32));
    free(bytes);
    assert_int_equal(count_rows("SELECT count(*) FROM api_tokens WHERE length(token_hash) = 32"),
                     1);
}

/* A new password ends the sessions made with the old one; tokens stay. */
static void test_password_change_ends_sessions(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    char session[DBF_STORE_SECRET_LEN + 1], other[DBF_STORE_SECRET_LEN + 1];
    char token[DBF_STORE_SECRET_LEN + 1];
    assert_ok(s, dbf_store_session_new(s, p.author, 3600, session));
    assert_ok(s, dbf_store_session_new(s, p.admin, 3600, other));
    assert_ok(s, dbf_store_token_new(s, p.author, "ci", token, NULL));
    struct dbf_user u;
    assert_ok(s, dbf_store_session_check(s, session, &u));
    assert_ok(s, dbf_store_user_set_password(s, p.author, "a-new-password"));
    assert_int_equal(dbf_store_session_check(s, session, &u), DBF_STORE_NOT_FOUND);
    assert_ok(s, dbf_store_session_check(s, other, &u)); /* someone else's stays */
    assert_ok(s, dbf_store_token_check(s, token, &u));
    assert_ok(s, dbf_store_session_new(s, p.author, 3600, session));
    assert_ok(s, dbf_store_user_set_role(s, p.author, DBF_ROLE_REVIEWER));
    assert_ok(s, dbf_store_session_check(s, session, &u)); /* a role change is not a password */
    dbf_store_close(s);
}

static void test_tokens_and_sessions(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    char token[DBF_STORE_SECRET_LEN + 1];
    int64_t id;
    assert_ok(s, dbf_store_token_new(s, p.author, "laptop", token, &id));
    assert_int_equal(strlen(token), DBF_STORE_SECRET_LEN);
    struct dbf_user u;
    assert_ok(s, dbf_store_token_check(s, token, &u));
    assert_int_equal(u.id, p.author);

    char wrong[DBF_STORE_SECRET_LEN + 1];
    memcpy(wrong, token, sizeof wrong);
    wrong[10] = wrong[10] == 'a' ? 'b' : 'a';
    assert_int_equal(dbf_store_token_check(s, wrong, &u), DBF_STORE_NOT_FOUND);
    assert_int_equal(dbf_store_token_check(s, "", &u), DBF_STORE_NOT_FOUND);

    char session[DBF_STORE_SECRET_LEN + 1];
    assert_ok(s, dbf_store_session_new(s, p.named, 3600, session));
    assert_ok(s, dbf_store_session_check(s, session, &u));
    assert_int_equal(u.id, p.named);
    dbf_store_close(s);

    if (sqlite_only())
        assert_secrets_not_stored(token, session);

    s = open_store();
    assert_int_equal(dbf_store_token_revoke(s, p.named, id), DBF_STORE_NOT_FOUND);
    assert_ok(s, dbf_store_token_revoke(s, p.author, id));
    assert_int_equal(dbf_store_token_check(s, token, &u), DBF_STORE_NOT_FOUND);
    assert_int_equal(dbf_store_token_revoke(s, p.author, id), DBF_STORE_NOT_FOUND);
    struct dbf_token *tokens;
    size_t count;
    assert_ok(s, dbf_store_token_list(s, p.author, &tokens, &count));
    assert_int_equal(count, 1);
    assert_int_equal(tokens[0].id, id);
    assert_string_equal(tokens[0].label, "laptop");
    assert_true(tokens[0].revoked > 0);
    free(tokens);
    assert_ok(s, dbf_store_session_end(s, session));
    assert_int_equal(dbf_store_session_check(s, session, &u), DBF_STORE_NOT_FOUND);
    dbf_store_close(s);
}

static void test_create_get_list(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    create(s, "2026-03-db-outage", p.payments, DBF_VISIBILITY_PUBLIC, "Database outage", "SEV1",
           "# Database outage\n\nThe primary ran out of disk.\n", p.author);
    create(s, "2026-04-cdn", p.search, DBF_VISIBILITY_PUBLIC, "CDN errors", "SEV3",
           "# CDN errors\n", p.named);

    struct dbf_postmortem pm;
    assert_ok(s, dbf_store_pm_get(s, p.outsider, "2026-03-db-outage", &pm));
    assert_string_equal(pm.title, "Database outage");
    assert_string_equal(pm.severity, "SEV1");
    assert_string_equal(pm.owner_team_name, "payments");
    assert_int_equal(pm.status, DBF_PM_DRAFT);
    assert_int_equal(pm.revision, 1);
    dbf_postmortem_release(&pm);
    assert_int_equal(dbf_store_pm_get(s, p.admin, "no-such", &pm), DBF_STORE_NOT_FOUND);

    assert_int_equal(dbf_store_pm_create(s, "2026-04-cdn", p.search, DBF_VISIBILITY_PUBLIC,
                                         &(struct dbf_pm_content){.markdown = "x", .title = "x"},
                                         p.author, NULL),
                     DBF_STORE_CONFLICT);
    assert_int_equal(dbf_store_pm_create(s, "orphan", 999, DBF_VISIBILITY_PUBLIC,
                                         &(struct dbf_pm_content){.markdown = "x", .title = "x"},
                                         p.author, NULL),
                     DBF_STORE_INVALID);
    assert_int_equal(dbf_store_pm_create(s, "../etc", p.search, DBF_VISIBILITY_PUBLIC,
                                         &(struct dbf_pm_content){.markdown = "x", .title = "x"},
                                         p.author, NULL),
                     DBF_STORE_INVALID);

    struct dbf_postmortem_list list;
    assert_ok(s, dbf_store_pm_list(s, p.outsider, NULL, &list));
    assert_int_equal(list.count, 2);
    dbf_postmortem_list_release(&list);

    assert_ok(s,
              dbf_store_pm_list(s, p.outsider, &(struct dbf_pm_filter){.severity = "sev1"}, &list));
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].slug, "2026-03-db-outage");
    dbf_postmortem_list_release(&list);

    assert_ok(s,
              dbf_store_pm_list(s, p.outsider, &(struct dbf_pm_filter){.team = p.search}, &list));
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].slug, "2026-04-cdn");
    dbf_postmortem_list_release(&list);

    assert_ok(s, dbf_store_transition(s, "2026-04-cdn", DBF_PM_REVIEW, p.named, NULL));
    assert_ok(s, dbf_store_pm_list(s, 0, &(struct dbf_pm_filter){.status = "review"}, &list));
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].slug, "2026-04-cdn");
    dbf_postmortem_list_release(&list);
    assert_int_equal(dbf_store_pm_list(s, 0, &(struct dbf_pm_filter){.status = "done"}, &list),
                     DBF_STORE_INVALID);
    dbf_store_close(s);
}

static const char *const texts[] = {
    "# Outage\n\nFirst draft.\n",
    "# Outage\n\nSecond: caf\xc3\xa9, tabs\tand trailing spaces   \n",
    "# Outage\r\n\r\nThird, with CRLF line ends and no final newline",
    "# Outage\n\nFourth \xe2\x80\x94 with \"quotes\" and 'apostrophes'.\n\n\n",
};

static void test_revisions_never_lost(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    create(s, "outage", p.payments, DBF_VISIBILITY_PUBLIC, "Outage", NULL, texts[0], p.author);
    for (int i = 1; i < 4; i++) {
        int number = 0;
        assert_ok(s, dbf_store_revision_save(
                         s, "outage", i,
                         &(struct dbf_pm_content){.markdown = texts[i], .title = "Outage"},
                         p.author, &number));
        assert_int_equal(number, i + 1);
    }
    dbf_store_close(s);

    s = open_store();
    for (int i = 0; i < 4; i++) {
        struct dbf_revision r;
        assert_ok(s, dbf_store_revision_get(s, p.outsider, "outage", i + 1, &r));
        assert_int_equal(r.number, i + 1);
        assert_int_equal(r.length, strlen(texts[i]));
        assert_memory_equal(r.markdown, texts[i], r.length);
        assert_string_equal(r.author_name, "ben");
        dbf_revision_release(&r);
    }
    struct dbf_revision r;
    assert_ok(s, dbf_store_revision_get(s, p.outsider, "outage", 0, &r));
    assert_int_equal(r.number, 4);
    assert_string_equal(r.markdown, texts[3]);
    dbf_revision_release(&r);
    assert_int_equal(dbf_store_revision_get(s, p.outsider, "outage", 5, &r), DBF_STORE_NOT_FOUND);

    struct dbf_revision *history;
    size_t n;
    assert_ok(s, dbf_store_history(s, p.outsider, "outage", &history, &n));
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(history[i].number, (int)i + 1);
        assert_int_equal(history[i].length, strlen(texts[i]));
        assert_null(history[i].markdown);
    }
    free(history);
    dbf_store_close(s);

    if (!sqlite_only())
        return;
    /* The database itself refuses to change or delete a revision. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE revisions SET markdown = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM revisions", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_conflict_rule(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    create(s, "outage", p.payments, DBF_VISIBILITY_PUBLIC, "Outage", NULL, texts[0], p.author);

    int won = 0, lost = 0;
    assert_ok(s,
              dbf_store_revision_save(
                  s, "outage", 1, &(struct dbf_pm_content){.markdown = texts[1], .title = "Outage"},
                  p.author, &won));
    assert_int_equal(won, 2);
    assert_int_equal(
        dbf_store_revision_save(s, "outage", 1,
                                &(struct dbf_pm_content){.markdown = texts[2], .title = "Outage"},
                                p.admin, &lost),
        DBF_STORE_CONFLICT);
    assert_int_equal(lost, 2);
    assert_string_equal(dbf_store_message(s), "'outage' changed: this edit is based on "
                                              "revision 1 but the newest is 2");

    /* The winner's text is there as it was written; the loser, shown both,
     * saves again on the newest and nothing is lost. */
    struct dbf_revision r;
    assert_ok(s, dbf_store_revision_get(s, p.admin, "outage", 2, &r));
    assert_string_equal(r.markdown, texts[1]);
    dbf_revision_release(&r);
    assert_ok(s, dbf_store_revision_save(
                     s, "outage", lost,
                     &(struct dbf_pm_content){.markdown = texts[2], .title = "Outage"}, p.admin,
                     &won));
    assert_int_equal(won, 3);
    assert_ok(s, dbf_store_revision_get(s, p.admin, "outage", 1, &r));
    assert_string_equal(r.markdown, texts[0]);
    dbf_revision_release(&r);
    assert_ok(s, dbf_store_revision_get(s, p.admin, "outage", 3, &r));
    assert_string_equal(r.markdown, texts[2]);
    assert_string_equal(r.author_name, "ada");
    dbf_revision_release(&r);
    dbf_store_close(s);
}

struct writer {
    const char *slug;
    int64_t author;
    const char *text;
    enum dbf_store_status status;
    int number;
};

static void *write_on_base_1(void *arg)
{
    struct writer *w = arg;
    char err[256];
    struct dbf_store *s = dbf_store_open(url, err, sizeof err);
    if (!s) {
        w->status = DBF_STORE_UNAVAILABLE;
        return NULL;
    }
    w->status = dbf_store_revision_save(
        s, w->slug, 1, &(struct dbf_pm_content){.markdown = w->text, .title = "Race"}, w->author,
        &w->number);
    dbf_store_close(s);
    return NULL;
}

/* Two connections, as two server processes would have, save on the same
 * base at the same moment, several times over. */
static void test_conflict_between_connections(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    for (int round = 0; round < 8; round++) {
        char slug[32];
        snprintf(slug, sizeof slug, "race-%d", round);
        create(s, slug, p.payments, DBF_VISIBILITY_PUBLIC, "Race", NULL, texts[0], p.author);
        struct writer a = {slug, p.author, texts[1], DBF_STORE_INTERNAL, 0};
        struct writer b = {slug, p.admin, texts[2], DBF_STORE_INTERNAL, 0};
        pthread_t ta, tb;
        assert_int_equal(pthread_create(&ta, NULL, write_on_base_1, &a), 0);
        assert_int_equal(pthread_create(&tb, NULL, write_on_base_1, &b), 0);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        struct writer *winner = a.status == DBF_STORE_OK ? &a : &b;
        struct writer *loser = winner == &a ? &b : &a;
        assert_int_equal(winner->status, DBF_STORE_OK);
        assert_int_equal(winner->number, 2);
        assert_int_equal(loser->status, DBF_STORE_CONFLICT);
        assert_int_equal(loser->number, 2);
        struct dbf_revision r;
        assert_ok(s, dbf_store_revision_get(s, p.admin, slug, 0, &r));
        assert_int_equal(r.number, 2);
        assert_string_equal(r.markdown, winner->text);
        dbf_revision_release(&r);
    }
    dbf_store_close(s);
}

/* Four connections at once ask for the first admin: one gets it. */
struct first_admin {
    const char *name;
    enum dbf_store_status status;
};

static void *add_first_admin(void *arg)
{
    struct first_admin *f = arg;
    struct dbf_store *s = open_store();
    f->status = dbf_store_user_add_first(s, f->name, "first-pass", NULL);
    dbf_store_close(s);
    return NULL;
}

static void test_first_admin_once(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct first_admin racers[4] = {{"ana", DBF_STORE_INTERNAL},
                                    {"bo", DBF_STORE_INTERNAL},
                                    {"cy", DBF_STORE_INTERNAL},
                                    {"di", DBF_STORE_INTERNAL}};
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, add_first_admin, &racers[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    int won = 0;
    for (int i = 0; i < 4; i++) {
        if (racers[i].status == DBF_STORE_OK)
            won++;
        else
            assert_int_equal(racers[i].status, DBF_STORE_CONFLICT);
    }
    assert_int_equal(won, 1);
    struct dbf_user *users;
    size_t n;
    assert_ok(s, dbf_store_user_list(s, &users, &n));
    assert_int_equal(n, 1);
    assert_int_equal(users[0].role, DBF_ROLE_ADMIN);
    free(users);
    assert_int_equal(dbf_store_user_add_first(s, "late", "first-pass", NULL), DBF_STORE_CONFLICT);
    dbf_store_close(s);
}

static void assert_sees(struct dbf_store *s, int64_t viewer, bool sees)
{
    struct dbf_postmortem pm;
    assert_int_equal(dbf_store_pm_get(s, viewer, "secret", &pm),
                     sees ? DBF_STORE_OK : DBF_STORE_NOT_FOUND);
    dbf_postmortem_release(&pm);

    struct dbf_postmortem_list list;
    assert_ok(s, dbf_store_pm_list(s, viewer, NULL, &list));
    assert_int_equal(list.count, sees ? 2 : 1);
    for (size_t i = 0; i < list.count; i++)
        if (!sees)
            assert_string_equal(list.items[i].slug, "open");
    dbf_postmortem_list_release(&list);

    assert_ok(s, dbf_store_pm_list(s, viewer, &(struct dbf_pm_filter){.query = "hsm"}, &list));
    assert_int_equal(list.count, sees ? 1 : 0);
    dbf_postmortem_list_release(&list);

    struct dbf_revision r;
    assert_int_equal(dbf_store_revision_get(s, viewer, "secret", 1, &r),
                     sees ? DBF_STORE_OK : DBF_STORE_NOT_FOUND);
    dbf_revision_release(&r);
    struct dbf_revision *history;
    size_t n;
    assert_int_equal(dbf_store_history(s, viewer, "secret", &history, &n),
                     sees ? DBF_STORE_OK : DBF_STORE_NOT_FOUND);
    free(history);
    struct dbf_comment *comments;
    assert_int_equal(dbf_store_comments(s, viewer, "secret", &comments, &n),
                     sees ? DBF_STORE_OK : DBF_STORE_NOT_FOUND);
    dbf_comments_free(comments, n);
    assert_int_equal(dbf_store_comment_add(s, "secret", viewer, "hello", NULL),
                     sees ? DBF_STORE_OK : DBF_STORE_NOT_FOUND);
    int number;
    assert_int_equal(dbf_store_revision_save(
                         s, "secret", 99, &(struct dbf_pm_content){.markdown = "x", .title = "x"},
                         viewer, &number),
                     sees ? DBF_STORE_CONFLICT : DBF_STORE_NOT_FOUND);
}

static void test_restricted_visibility(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    create(s, "open", p.payments, DBF_VISIBILITY_PUBLIC, "Open", NULL, "# Open\n", p.author);
    create(s, "secret", p.payments, DBF_VISIBILITY_RESTRICTED, "Key leak", "SEV1",
           "# Key leak\n\nThe HSM audit found an exported key.\n", p.author);

    assert_sees(s, p.outsider, false);
    assert_sees(s, 0, false);
    assert_sees(s, p.named, false);
    assert_sees(s, p.author, true); /* the owner team */
    assert_sees(s, p.admin, true);

    /* Named as a team: its member now sees it; the outsider still does not. */
    assert_ok(s, dbf_store_pm_grant(s, "secret", 0, p.search));
    assert_ok(s, dbf_store_pm_grant(s, "secret", 0, p.search));
    assert_int_equal(dbf_store_pm_grant(s, "no-such", 0, p.search), DBF_STORE_NOT_FOUND);
    assert_int_equal(dbf_store_pm_grant(s, "secret", p.named, p.search), DBF_STORE_INVALID);
    assert_sees(s, p.named, true);
    assert_sees(s, p.outsider, false);

    /* Named as a person. */
    assert_ok(s, dbf_store_pm_grant(s, "secret", p.outsider, 0));
    assert_sees(s, p.outsider, true);
    struct dbf_grant *grants;
    size_t n;
    assert_ok(s, dbf_store_pm_grants(s, p.admin, "secret", &grants, &n));
    assert_int_equal(n, 2);
    free(grants);
    dbf_store_close(s);
}

static void test_search_newest_only(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    create(s, "queue", p.payments, DBF_VISIBILITY_PUBLIC, "Queue backlog", NULL,
           "# Queue backlog\n\nKafka consumers stalled after the rebalance.\n", p.author);
    create(s, "dns", p.search, DBF_VISIBILITY_PUBLIC, "DNS", NULL,
           "# DNS\n\nResolvers timed out; consumers retried.\n", p.named);

    struct dbf_postmortem_list list;
    assert_ok(s, dbf_store_pm_list(s, 0, &(struct dbf_pm_filter){.query = "kafka"}, &list));
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].slug, "queue");
    dbf_postmortem_list_release(&list);

    int number;
    assert_ok(s, dbf_store_revision_save(
                     s, "queue", 1,
                     &(struct dbf_pm_content){
                         .markdown =
                             "# Queue backlog\n\nRabbitMQ consumers stalled after the rebalance.\n",
                         .title = "Queue backlog"},
                     p.author, &number));
    assert_ok(s, dbf_store_pm_list(s, 0, &(struct dbf_pm_filter){.query = "kafka"}, &list));
    assert_int_equal(list.count, 0);
    dbf_postmortem_list_release(&list);
    assert_ok(s, dbf_store_pm_list(s, 0, &(struct dbf_pm_filter){.query = "rabbitmq"}, &list));
    assert_int_equal(list.count, 1);
    dbf_postmortem_list_release(&list);

    /* All words must match; stemming finds "stall" in "stalled". */
    assert_ok(s, dbf_store_pm_list(s, 0, &(struct dbf_pm_filter){.query = "consumers"}, &list));
    assert_int_equal(list.count, 2);
    dbf_postmortem_list_release(&list);
    assert_ok(s,
              dbf_store_pm_list(s, 0, &(struct dbf_pm_filter){.query = "consumers stall"}, &list));
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].slug, "queue");
    dbf_postmortem_list_release(&list);

    /* FTS5 syntax typed by a person is taken as words, never an error. */
    static const char *const odd[] = {"\"unbalanced", "AND OR NOT", "a*b (c", "NEAR(x y)", "-"};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        assert_ok(s, dbf_store_pm_list(s, 0, &(struct dbf_pm_filter){.query = odd[i]}, &list));
        dbf_postmortem_list_release(&list);
    }
    dbf_store_close(s);
}

static void test_workflow_and_history(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    create(s, "wf", p.payments, DBF_VISIBILITY_PUBLIC, "Workflow", NULL, "# Workflow\n", p.author);
    assert_int_equal(dbf_store_transition(s, "wf", DBF_PM_PUBLISHED, p.admin, NULL),
                     DBF_STORE_INVALID);
    assert_string_equal(dbf_store_message(s), "'wf' cannot go from draft to published");
    assert_ok(s, dbf_store_transition(s, "wf", DBF_PM_REVIEW, p.author, NULL));
    assert_ok(s, dbf_store_transition(s, "wf", DBF_PM_PUBLISHED, p.outsider, "approved"));
    assert_int_equal(dbf_store_transition(s, "wf", DBF_PM_DRAFT, p.author, ""), DBF_STORE_INVALID);
    assert_ok(s, dbf_store_transition(s, "wf", DBF_PM_DRAFT, p.author, "new facts"));

    struct dbf_state_change *changes;
    size_t n;
    assert_ok(s, dbf_store_state_changes(s, p.outsider, "wf", &changes, &n));
    assert_int_equal(n, 3);
    assert_int_equal(changes[1].from, DBF_PM_REVIEW);
    assert_int_equal(changes[1].to, DBF_PM_PUBLISHED);
    assert_string_equal(changes[1].actor_name, "dee");
    assert_string_equal(changes[2].reason, "new facts");
    dbf_state_changes_free(changes, n);

    assert_ok(s, dbf_store_pm_reassign(s, "wf", p.search, p.admin, "moved to search"));
    struct dbf_postmortem pm;
    assert_ok(s, dbf_store_pm_get(s, 0, "wf", &pm));
    assert_string_equal(pm.owner_team_name, "search");
    assert_int_equal(pm.status, DBF_PM_DRAFT);
    dbf_postmortem_release(&pm);

    int64_t id;
    assert_ok(s, dbf_store_comment_add(s, "wf", p.outsider, "Who paged whom?", &id));
    assert_ok(s, dbf_store_comment_add(s, "wf", p.author, "The on-call lead.", NULL));
    assert_int_equal(dbf_store_comment_add(s, "wf", p.author, "", NULL), DBF_STORE_INVALID);
    struct dbf_comment *comments;
    assert_ok(s, dbf_store_comments(s, 0, "wf", &comments, &n));
    assert_int_equal(n, 2);
    assert_int_equal(comments[0].id, id);
    assert_string_equal(comments[0].body, "Who paged whom?");
    assert_string_equal(comments[1].author_name, "ben");
    dbf_comments_free(comments, n);

    struct dbf_audit_entry *entries;
    assert_ok(s, dbf_store_audit_list(s, 4, &entries, &n));
    assert_int_equal(n, 4);
    assert_string_equal(entries[0].action, "comment.add");
    assert_string_equal(entries[0].actor_name, "ben");
    assert_string_equal(entries[1].action, "comment.add");
    assert_int_equal(entries[1].actor, p.outsider);
    assert_string_equal(entries[2].action, "postmortem.reassign");
    assert_string_equal(entries[2].target, "wf");
    assert_int_equal(entries[2].actor, p.admin);
    assert_string_equal(entries[2].actor_name, "ada");
    assert_string_equal(entries[3].action, "postmortem.reopen");
    assert_string_equal(entries[3].detail, "published -> draft: new facts");
    dbf_audit_free(entries, n);

    struct dbf_ownership_change *owners;
    assert_ok(s, dbf_store_ownership_changes(s, p.outsider, "wf", &owners, &n));
    assert_int_equal(n, 2);
    assert_int_equal(owners[0].from_team, 0);
    assert_string_equal(owners[0].from_name, "");
    assert_string_equal(owners[0].to_name, "payments");
    assert_string_equal(owners[0].actor_name, "ben");
    assert_int_equal(owners[1].from_team, p.payments);
    assert_int_equal(owners[1].to_team, p.search);
    assert_string_equal(owners[1].from_name, "payments");
    assert_string_equal(owners[1].to_name, "search");
    assert_string_equal(owners[1].actor_name, "ada");
    assert_string_equal(owners[1].reason, "moved to search");
    dbf_ownership_changes_free(owners, n);
    dbf_store_close(s);
}

/* ---- Indexed fields, filters, orders, totals ---- */

static const struct dbf_pm_action outage_actions[] = {
    {1, "Add a disk alert", "@ben", "2026-05-01", "P1", "open", NULL},
    {2, "Write the runbook", "Cy (SRE)", NULL, "P2", "done", "https://tickets.example/2"},
    {3, "Review quotas", "@BEN", "2026-04-01", NULL, NULL, NULL},
};

static void test_postmortem_fields(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    struct dbf_pm_content c = {.markdown = "# Disk\n",
                               .title = "Disk full",
                               .severity = "SEV2",
                               .service = "checkout",
                               .tags = "storage, capacity",
                               .started = "2026-03-14",
                               .actions = outage_actions,
                               .action_count = 3};
    assert_ok(
        s, dbf_store_pm_create(s, "disk", p.payments, DBF_VISIBILITY_PUBLIC, &c, p.author, NULL));
    struct dbf_postmortem pm;
    assert_ok(s, dbf_store_pm_get(s, p.outsider, "disk", &pm));
    assert_string_equal(pm.service, "checkout");
    assert_string_equal(pm.tags, "storage, capacity");
    assert_string_equal(pm.started, "2026-03-14");
    assert_int_equal(pm.status_changed, pm.created);
    dbf_postmortem_release(&pm);

    /* A save replaces what the document says; no tags is "". */
    int number;
    struct dbf_pm_content c2 = {.markdown = "# Disk\n\nMore.\n", .title = "Disk full again"};
    assert_ok(s, dbf_store_revision_save(s, "disk", 1, &c2, p.author, &number));
    assert_ok(s, dbf_store_pm_get(s, p.outsider, "disk", &pm));
    assert_string_equal(pm.title, "Disk full again");
    assert_string_equal(pm.service, "");
    assert_string_equal(pm.tags, "");
    assert_string_equal(pm.started, "");
    assert_string_equal(pm.severity, "");
    dbf_postmortem_release(&pm);
    struct dbf_tracked_action *items;
    size_t n;
    assert_ok(
        s, dbf_store_actions(s, p.admin, &(struct dbf_tracked_filter){.slug = "disk"}, &items, &n));
    assert_int_equal(n, 0);
    dbf_tracked_actions_free(items, n);

    /* Bad fields are refused with a reason, and nothing is written. */
    struct dbf_pm_content bad = c;
    bad.started = "14/03/2026";
    assert_int_equal(dbf_store_revision_save(s, "disk", 2, &bad, p.author, &number),
                     DBF_STORE_INVALID);
    assert_non_null(strstr(dbf_store_message(s), "14/03/2026"));
    bad = c;
    bad.actions = (const struct dbf_pm_action[]){{.number = 2, .description = "x"},
                                                 {.number = 1, .description = "y"}};
    bad.action_count = 2;
    assert_int_equal(dbf_store_revision_save(s, "disk", 2, &bad, p.author, &number),
                     DBF_STORE_INVALID);
    bad.actions = (const struct dbf_pm_action[]){{.number = 1, .status = "finished"}};
    bad.action_count = 1;
    assert_int_equal(dbf_store_revision_save(s, "disk", 2, &bad, p.author, &number),
                     DBF_STORE_INVALID);
    bad.actions = (const struct dbf_pm_action[]){{.number = 1, .due = "soon"}};
    assert_int_equal(dbf_store_revision_save(s, "disk", 2, &bad, p.author, &number),
                     DBF_STORE_INVALID);
    assert_ok(s, dbf_store_pm_get(s, 0, "disk", &pm));
    assert_int_equal(pm.revision, 2);
    dbf_postmortem_release(&pm);
    dbf_store_close(s);
}

/* Post mortems a to e, made a minute apart on the store's clock. */
static void add_catalogue(struct dbf_store *s, const struct people *p)
{
    static const struct {
        const char *slug, *title, *severity, *service, *tags, *started;
    } rows[] = {
        {"a", "Checkout errors", "SEV2", "checkout", "payments,latency", "2026-01-10"},
        {"b", "api timeouts", "SEV1", "API", "Latency", "2026-03-02"},
        {"c", "Billing drift", "", "billing", "", ""},
        {"d", "DNS outage", "SEV3", "checkout", "dns, Network", "2026-02-20"},
        {"e", "Emails late", "SEV1", "mail", "", "2025-12-31"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        dbf_store_set_clock_offset(s, (int64_t)i * 60);
        struct dbf_pm_content c = {.markdown = "# Text\n\nA post mortem.\n",
                                   .title = rows[i].title,
                                   .severity = rows[i].severity,
                                   .service = rows[i].service,
                                   .tags = rows[i].tags,
                                   .started = rows[i].started};
        assert_ok(s, dbf_store_pm_create(s, rows[i].slug, i == 3 ? p->search : p->payments,
                                         DBF_VISIBILITY_PUBLIC, &c, p->author, NULL));
    }
    dbf_store_set_clock_offset(s, 0);
}

/* The slugs of LIST, one letter each, as a string. */
static const char *slugs(const struct dbf_postmortem_list *list)
{
    static char out[64];
    size_t n = 0;
    for (size_t i = 0; i < list->count && n + 1 < sizeof out; i++)
        out[n++] = list->items[i].slug[0];
    out[n] = '\0';
    return out;
}

static void assert_list(struct dbf_store *s, int64_t viewer, const struct dbf_pm_filter *filter,
                        const char *expected, size_t total)
{
    struct dbf_postmortem_list list;
    assert_ok(s, dbf_store_pm_list(s, viewer, filter, &list));
    assert_string_equal(slugs(&list), expected);
    assert_int_equal(list.total, total);
    dbf_postmortem_list_release(&list);
}

static void test_list_filters_and_totals(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    add_catalogue(s, &p);

    assert_list(s, 0, NULL, "edcba", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.service = "CHECKOUT"}, "da", 2);
    assert_list(s, 0, &(struct dbf_pm_filter){.tag = "latency"}, "ba", 2);
    assert_list(s, 0, &(struct dbf_pm_filter){.tag = "network"}, "d", 1);
    assert_list(s, 0, &(struct dbf_pm_filter){.tag = "lat"}, "", 0);
    assert_list(s, 0, &(struct dbf_pm_filter){.since = "2026-01-10"}, "dba", 3);
    assert_list(s, 0, &(struct dbf_pm_filter){.until = "2026-02-20"}, "eda", 3);
    assert_list(s, 0, &(struct dbf_pm_filter){.since = "2026-01-01", .until = "2026-02-28"}, "da",
                2);
    assert_list(s, 0, &(struct dbf_pm_filter){.severity = "sev1", .service = "api"}, "b", 1);
    assert_list(s, 0, &(struct dbf_pm_filter){.team = p.search, .tag = "dns"}, "d", 1);

    /* The total ignores the page; DBF_PM_LIST_ALL has no limit. */
    assert_list(s, 0, &(struct dbf_pm_filter){.limit = 2}, "ed", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.limit = 2, .offset = 2}, "cb", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.limit = 2, .offset = 9}, "", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.limit = DBF_PM_LIST_ALL, .offset = 1}, "dcba", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.service = "checkout", .limit = 1}, "d", 2);
    assert_list(s, 0, &(struct dbf_pm_filter){.query = "post mortem", .limit = 1, .sort = "title"},
                "b", 5);

    struct dbf_postmortem_list list;
    assert_int_equal(dbf_store_pm_list(s, 0, &(struct dbf_pm_filter){.sort = "size"}, &list),
                     DBF_STORE_INVALID);
    assert_non_null(strstr(dbf_store_message(s), "size"));
    assert_int_equal(dbf_store_pm_list(s, 0, &(struct dbf_pm_filter){.sort = "--title"}, &list),
                     DBF_STORE_INVALID);
    assert_int_equal(dbf_store_pm_list(s, 0, &(struct dbf_pm_filter){.since = "March"}, &list),
                     DBF_STORE_INVALID);
    assert_int_equal(list.count, 0);
    dbf_store_close(s);
}

static void test_list_orders(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    add_catalogue(s, &p);
    /* A later save moves "b" to the top of the newest changes. */
    dbf_store_set_clock_offset(s, 3600);
    int number;
    assert_ok(s, dbf_store_revision_save(s, "b", 1,
                                         &(struct dbf_pm_content){.markdown = "# api\n",
                                                                  .title = "api timeouts",
                                                                  .severity = "SEV1",
                                                                  .service = "API",
                                                                  .tags = "Latency",
                                                                  .started = "2026-03-02"},
                                         p.author, &number));

    assert_list(s, 0, NULL, "bedca", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "updated"}, "bedca", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "-updated"}, "acdeb", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "created"}, "edcba", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "-created"}, "abcde", 5);
    /* Unknown dates and severities come last both ways. */
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "started"}, "bdaec", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "-started"}, "eadbc", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "severity"}, "ebadc", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "-severity"}, "dabec", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "title"}, "bcade", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "-title"}, "edacb", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "title", .limit = 2, .offset = 1}, "ca", 5);
    assert_list(s, 0, &(struct dbf_pm_filter){.sort = "-started", .service = "checkout"}, "ad", 2);
    dbf_store_close(s);
}

/* ---- Restricted post mortems everywhere ---- */

/* Everything VIEWER may read of restricted "secret" (and public "open"):
 * all or nothing. */
static void assert_reads(struct dbf_store *s, int64_t viewer, bool sees)
{
    enum dbf_store_status want = sees ? DBF_STORE_OK : DBF_STORE_NOT_FOUND;
    assert_int_equal(dbf_store_pm_visible(s, viewer, "secret"), want);
    assert_ok(s, dbf_store_pm_visible(s, viewer, "open"));
    size_t n;
    struct dbf_grant *grants;
    assert_int_equal(dbf_store_pm_grants(s, viewer, "secret", &grants, &n), want);
    free(grants);
    struct dbf_approval *approvals;
    assert_int_equal(dbf_store_approvals(s, viewer, "secret", &approvals, &n), want);
    dbf_approvals_free(approvals, n);
    struct dbf_ownership_change *owners;
    assert_int_equal(dbf_store_ownership_changes(s, viewer, "secret", &owners, &n), want);
    dbf_ownership_changes_free(owners, n);
    struct dbf_state_change *changes;
    assert_int_equal(dbf_store_state_changes(s, viewer, "secret", &changes, &n), want);
    dbf_state_changes_free(changes, n);

    struct dbf_tracked_action *items;
    assert_ok(s, dbf_store_actions(s, viewer, NULL, &items, &n));
    assert_int_equal(n, sees ? 4 : 1);
    for (size_t i = 0; i < n; i++)
        if (!sees)
            assert_string_equal(items[i].slug, "open");
    dbf_tracked_actions_free(items, n);
    assert_ok(s, dbf_store_actions(s, viewer, &(struct dbf_tracked_filter){.slug = "secret"},
                                   &items, &n));
    assert_int_equal(n, sees ? 3 : 0);
    dbf_tracked_actions_free(items, n);
    assert_ok(
        s, dbf_store_actions(s, viewer, &(struct dbf_tracked_filter){.owner = "@ben"}, &items, &n));
    assert_int_equal(n, sees ? 3 : 1); /* "@BEN" too; one is of "open" */
    dbf_tracked_actions_free(items, n);

    assert_list(s, viewer, NULL, sees ? "so" : "o", sees ? 2 : 1);
    assert_list(s, viewer, &(struct dbf_pm_filter){.limit = 1}, sees ? "s" : "o", sees ? 2 : 1);
    assert_list(s, viewer, &(struct dbf_pm_filter){.tag = "security"}, sees ? "s" : "",
                sees ? 1 : 0);
    assert_list(s, viewer, &(struct dbf_pm_filter){.query = "hsm", .sort = "title"},
                sees ? "s" : "", sees ? 1 : 0);

    /* Writes answer as for a missing post mortem too. */
    assert_int_equal(dbf_store_action_mark(s, "secret", 1, "done", NULL, viewer),
                     sees ? DBF_STORE_OK : DBF_STORE_NOT_FOUND);
    if (viewer)
        assert_int_equal(dbf_store_approve(s, "secret", viewer, NULL),
                         sees ? DBF_STORE_INVALID : DBF_STORE_NOT_FOUND);
}

static void test_restricted_everywhere(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    struct dbf_pm_content open = {
        .markdown = "# Open\n", .title = "Open", .actions = outage_actions, .action_count = 1};
    assert_ok(s, dbf_store_pm_create(s, "open", p.payments, DBF_VISIBILITY_PUBLIC, &open, p.author,
                                     NULL));
    dbf_store_set_clock_offset(s, 60);
    struct dbf_pm_content secret = {.markdown = "# Key leak\n\nThe HSM exported a key.\n",
                                    .title = "Key leak",
                                    .tags = "security",
                                    .actions = outage_actions,
                                    .action_count = 3};
    assert_ok(s, dbf_store_pm_create(s, "secret", p.payments, DBF_VISIBILITY_RESTRICTED, &secret,
                                     p.author, NULL));

    assert_reads(s, 0, false);
    assert_reads(s, p.outsider, false);
    assert_reads(s, p.named, false);
    assert_reads(s, p.author, true);
    assert_reads(s, p.admin, true);

    assert_ok(s, dbf_store_pm_grant(s, "secret", 0, p.search));
    assert_ok(s, dbf_store_pm_grant(s, "secret", p.outsider, 0));
    assert_reads(s, p.named, true);
    assert_reads(s, p.outsider, true);

    /* Users first, then teams, each by name. */
    struct dbf_grant *grants;
    size_t n;
    assert_ok(s, dbf_store_pm_grant(s, "secret", p.admin, 0));
    assert_ok(s, dbf_store_pm_grants(s, p.author, "secret", &grants, &n));
    assert_int_equal(n, 3);
    assert_int_equal(grants[0].user, p.admin);
    assert_string_equal(grants[0].name, "ada");
    assert_int_equal(grants[1].user, p.outsider);
    assert_int_equal(grants[1].team, 0);
    assert_string_equal(grants[1].name, "dee");
    assert_int_equal(grants[2].team, p.search);
    assert_int_equal(grants[2].user, 0);
    assert_string_equal(grants[2].name, "search");
    free(grants);

    /* Revoking takes it back; revoking again is not an error. */
    assert_ok(s, dbf_store_pm_revoke(s, "secret", 0, p.search));
    assert_ok(s, dbf_store_pm_revoke(s, "secret", 0, p.search));
    assert_ok(s, dbf_store_pm_revoke(s, "secret", p.outsider, 0));
    assert_int_equal(dbf_store_pm_revoke(s, "no-such", p.outsider, 0), DBF_STORE_NOT_FOUND);
    assert_int_equal(dbf_store_pm_revoke(s, "secret", p.outsider, p.search), DBF_STORE_INVALID);
    assert_reads(s, p.named, false);
    assert_reads(s, p.outsider, false);
    assert_reads(s, p.admin, true);
    dbf_store_close(s);
}

static void test_visibility_change(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    create(s, "open", p.payments, DBF_VISIBILITY_PUBLIC, "Open", NULL, "# Open\n", p.author);
    create(s, "secret", p.payments, DBF_VISIBILITY_PUBLIC, "Key leak", NULL, "# Key leak\n\nHSM\n",
           p.author);
    assert_ok(s, dbf_store_pm_visible(s, p.outsider, "secret"));
    assert_ok(s, dbf_store_pm_set_visibility(s, "secret", DBF_VISIBILITY_RESTRICTED, p.admin,
                                             "a key leaked"));
    struct dbf_audit_entry *entries;
    size_t n;
    assert_ok(s, dbf_store_audit_list(s, 1, &entries, &n));
    assert_int_equal(n, 1);
    assert_string_equal(entries[0].action, "postmortem.visibility");
    assert_string_equal(entries[0].target, "secret");
    assert_string_equal(entries[0].detail, "public -> restricted: a key leaked");
    assert_string_equal(entries[0].actor_name, "ada");
    dbf_audit_free(entries, n);

    assert_sees(s, p.outsider, false);
    assert_sees(s, p.author, true);
    struct dbf_postmortem pm;
    assert_ok(s, dbf_store_pm_get(s, p.admin, "secret", &pm));
    assert_int_equal(pm.visibility, DBF_VISIBILITY_RESTRICTED);
    dbf_postmortem_release(&pm);

    /* Someone who cannot see it cannot change it either. */
    assert_int_equal(
        dbf_store_pm_set_visibility(s, "secret", DBF_VISIBILITY_PUBLIC, p.outsider, NULL),
        DBF_STORE_NOT_FOUND);
    assert_int_equal(
        dbf_store_pm_set_visibility(s, "no-such", DBF_VISIBILITY_PUBLIC, p.admin, NULL),
        DBF_STORE_NOT_FOUND);
    assert_ok(s, dbf_store_pm_set_visibility(s, "secret", DBF_VISIBILITY_PUBLIC, p.author, NULL));
    assert_ok(s, dbf_store_pm_visible(s, p.outsider, "secret"));
    dbf_store_close(s);
}

/* ---- Reviews ---- */

static void test_approvals(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    create(s, "wf", p.payments, DBF_VISIBILITY_PUBLIC, "Workflow", NULL, "# Workflow\n", p.author);
    assert_int_equal(dbf_store_approve(s, "wf", p.outsider, "fine"), DBF_STORE_INVALID);
    assert_non_null(strstr(dbf_store_message(s), "not in review"));
    assert_int_equal(dbf_store_approve(s, "no-such", p.outsider, NULL), DBF_STORE_NOT_FOUND);

    assert_ok(s, dbf_store_transition(s, "wf", DBF_PM_REVIEW, p.author, NULL));
    struct dbf_postmortem pm;
    assert_ok(s, dbf_store_pm_get(s, 0, "wf", &pm));
    assert_int_equal(pm.status, DBF_PM_REVIEW);
    int64_t entered = pm.status_changed;
    dbf_postmortem_release(&pm);
    assert_ok(s, dbf_store_approve(s, "wf", p.outsider, "fine"));
    int number;
    assert_ok(s, dbf_store_revision_save(
                     s, "wf", 1, &(struct dbf_pm_content){.markdown = "# W\n", .title = "W"},
                     p.author, &number));
    assert_ok(s, dbf_store_approve(s, "wf", p.admin, NULL));

    struct dbf_approval *approvals;
    size_t n;
    assert_ok(s, dbf_store_approvals(s, 0, "wf", &approvals, &n));
    assert_int_equal(n, 2);
    assert_string_equal(approvals[0].reviewer_name, "dee");
    assert_int_equal(approvals[0].revision, 1);
    assert_string_equal(approvals[0].note, "fine");
    assert_true(approvals[0].created >= entered);
    assert_int_equal(approvals[1].reviewer, p.admin);
    assert_int_equal(approvals[1].revision, 2);
    assert_string_equal(approvals[1].note, "");
    dbf_approvals_free(approvals, n);

    /* Approving again replaces one's approval with the newest revision. */
    assert_ok(s, dbf_store_approve(s, "wf", p.outsider, "still fine"));
    assert_ok(s, dbf_store_approvals(s, 0, "wf", &approvals, &n));
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        if (approvals[i].reviewer == p.outsider) {
            assert_int_equal(approvals[i].revision, 2);
            assert_string_equal(approvals[i].note, "still fine");
        }
    dbf_approvals_free(approvals, n);

    /* Back to draft and into review again: the approvals start over. */
    dbf_store_set_clock_offset(s, 7200);
    assert_ok(s, dbf_store_transition(s, "wf", DBF_PM_DRAFT, p.author, "more work"));
    assert_int_equal(dbf_store_approve(s, "wf", p.outsider, NULL), DBF_STORE_INVALID);
    assert_ok(s, dbf_store_transition(s, "wf", DBF_PM_REVIEW, p.author, NULL));
    assert_ok(s, dbf_store_pm_get(s, 0, "wf", &pm));
    assert_true(pm.status_changed >= entered + 7200);
    dbf_postmortem_release(&pm);
    assert_ok(s, dbf_store_approvals(s, 0, "wf", &approvals, &n));
    assert_int_equal(n, 0);
    dbf_approvals_free(approvals, n);
    assert_ok(s, dbf_store_approve(s, "wf", p.outsider, "round two"));
    assert_ok(s, dbf_store_approvals(s, 0, "wf", &approvals, &n));
    assert_int_equal(n, 1);
    assert_string_equal(approvals[0].note, "round two");
    dbf_approvals_free(approvals, n);

    /* Published keeps the approvals that published it; no new ones. */
    assert_ok(s, dbf_store_transition(s, "wf", DBF_PM_PUBLISHED, p.outsider, NULL));
    assert_int_equal(dbf_store_approve(s, "wf", p.admin, NULL), DBF_STORE_INVALID);
    assert_ok(s, dbf_store_approvals(s, 0, "wf", &approvals, &n));
    assert_int_equal(n, 1);
    dbf_approvals_free(approvals, n);

    struct dbf_audit_entry *entries;
    assert_ok(s, dbf_store_audit_list(s, 2, &entries, &n));
    assert_string_equal(entries[1].action, "postmortem.approve");
    assert_string_equal(entries[1].actor_name, "dee");
    assert_string_equal(entries[1].detail, "revision 2");
    dbf_audit_free(entries, n);
    dbf_store_close(s);
}

/* ---- Action items ---- */

static const struct dbf_tracked_action *item(const struct dbf_tracked_action *items, size_t n,
                                             const char *slug, int number)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].slug, slug) == 0 && items[i].number == number)
            return &items[i];
    fail_msg("no action item %d of %s", number, slug);
    abort(); /* fail_msg does not return; this tells the compiler so */
}

/* The effective status of item NUMBER of SLUG. */
static const char *status_of(struct dbf_store *s, const char *slug, int number)
{
    static char status[17];
    struct dbf_tracked_action *items;
    size_t n;
    assert_ok(s, dbf_store_actions(s, 0, &(struct dbf_tracked_filter){.slug = slug}, &items, &n));
    snprintf(status, sizeof status, "%s", item(items, n, slug, number)->status);
    dbf_tracked_actions_free(items, n);
    return status;
}

static void save_actions(struct dbf_store *s, const char *slug, int64_t author,
                         const struct dbf_pm_action *actions, size_t count)
{
    struct dbf_revision r;
    assert_ok(s, dbf_store_revision_get(s, 0, slug, 0, &r));
    dbf_revision_release(&r);
    int number;
    assert_ok(s, dbf_store_revision_save(s, slug, r.number,
                                         &(struct dbf_pm_content){.markdown = "# Actions\n",
                                                                  .title = "Actions",
                                                                  .actions = actions,
                                                                  .action_count = count},
                                         author, &number));
}

static void test_action_marks(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    assert_ok(s, dbf_store_pm_create(s, "disk", p.payments, DBF_VISIBILITY_PUBLIC,
                                     &(struct dbf_pm_content){.markdown = "# Disk\n",
                                                              .title = "Disk full",
                                                              .actions = outage_actions,
                                                              .action_count = 3},
                                     p.author, NULL));
    assert_string_equal(status_of(s, "disk", 1), "open");
    assert_string_equal(status_of(s, "disk", 2), "done");
    assert_string_equal(status_of(s, "disk", 3), "open"); /* the document says none */

    /* The server's mark wins over the document, with who, when and a link. */
    dbf_store_set_clock_offset(s, 90);
    assert_ok(s,
              dbf_store_action_mark(s, "disk", 1, "in-progress", "https://t.example/1", p.author));
    struct dbf_tracked_action *items;
    size_t n;
    assert_ok(s, dbf_store_actions(s, 0, &(struct dbf_tracked_filter){.slug = "disk"}, &items, &n));
    const struct dbf_tracked_action *a = item(items, n, "disk", 1);
    assert_string_equal(a->status, "in-progress");
    assert_string_equal(a->link, "https://t.example/1");
    assert_string_equal(a->marked_by, "ben");
    assert_true(a->marked >= dbf_store_now(s) - 5 && a->marked <= dbf_store_now(s));
    assert_string_equal(a->title, "Disk full");
    assert_string_equal(a->description, "Add a disk alert");
    assert_string_equal(a->owner, "@ben");
    assert_string_equal(a->priority, "P1");
    assert_int_equal(a->owner_team, p.payments);
    a = item(items, n, "disk", 2);
    assert_int_equal(a->marked, 0);
    assert_string_equal(a->marked_by, "");
    assert_string_equal(a->link, "https://tickets.example/2");
    dbf_tracked_actions_free(items, n);

    /* A revision that keeps the item's own status keeps the mark ... */
    save_actions(s, "disk", p.author, outage_actions, 3);
    assert_string_equal(status_of(s, "disk", 1), "in-progress");
    /* ... one that changes it wins, and the mark is gone for good. */
    struct dbf_pm_action changed[3];
    memcpy(changed, outage_actions, sizeof changed);
    changed[0].status = "done";
    save_actions(s, "disk", p.author, changed, 3);
    assert_string_equal(status_of(s, "disk", 1), "done");
    save_actions(s, "disk", p.author, outage_actions, 3);
    assert_string_equal(status_of(s, "disk", 1), "open");

    /* Marks on a dropped item go with it. */
    assert_ok(s, dbf_store_action_mark(s, "disk", 3, "wont-do", NULL, p.admin));
    assert_string_equal(status_of(s, "disk", 3), "wont-do");
    save_actions(s, "disk", p.author, outage_actions, 2);
    save_actions(s, "disk", p.author, outage_actions, 3);
    assert_string_equal(status_of(s, "disk", 3), "open");

    assert_int_equal(dbf_store_action_mark(s, "disk", 4, "done", NULL, p.author),
                     DBF_STORE_NOT_FOUND);
    assert_int_equal(dbf_store_action_mark(s, "disk", 0, "done", NULL, p.author),
                     DBF_STORE_NOT_FOUND);
    assert_int_equal(dbf_store_action_mark(s, "no-such", 1, "done", NULL, p.author),
                     DBF_STORE_NOT_FOUND);
    assert_int_equal(dbf_store_action_mark(s, "disk", 1, "finished", NULL, p.author),
                     DBF_STORE_INVALID);
    assert_int_equal(dbf_store_action_mark(s, "disk", 1, NULL, NULL, p.author), DBF_STORE_INVALID);

    struct dbf_audit_entry *entries;
    assert_ok(s, dbf_store_audit_list(s, 10, &entries, &n));
    bool found = false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(entries[i].action, "action.mark") == 0 && entries[i].actor == p.admin) {
            assert_string_equal(entries[i].detail, "#3 open -> wont-do");
            assert_string_equal(entries[i].target, "disk");
            found = true;
        }
    assert_true(found);
    dbf_audit_free(entries, n);
    dbf_store_close(s);
    if (sqlite_only())
        assert_int_equal(count_rows("SELECT count(*) FROM action_mark_history WHERE"
                                    " old_status = 'open' AND new_status = 'in-progress'"
                                    " AND link = 'https://t.example/1'"),
                         1);
}

static void test_action_board(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    static const struct dbf_pm_action other[] = {
        {1, "Rotate keys", "@ben", "2026-04-01", "P1", "open", NULL},
        {2, "Fix dashboards", "@cy", "2026-03-01", "P3", "in-progress", NULL},
    };
    assert_ok(s, dbf_store_pm_create(s, "disk", p.payments, DBF_VISIBILITY_PUBLIC,
                                     &(struct dbf_pm_content){.markdown = "# Disk\n",
                                                              .title = "Disk full",
                                                              .actions = outage_actions,
                                                              .action_count = 3},
                                     p.author, NULL));
    assert_ok(s, dbf_store_pm_create(s, "cdn", p.search, DBF_VISIBILITY_PUBLIC,
                                     &(struct dbf_pm_content){.markdown = "# CDN\n",
                                                              .title = "CDN",
                                                              .actions = other,
                                                              .action_count = 2},
                                     p.named, NULL));
    struct dbf_tracked_action *items;
    size_t n;
    /* By due date, none last, then post mortem and number. */
    assert_ok(s, dbf_store_actions(s, p.outsider, NULL, &items, &n));
    assert_int_equal(n, 5);
    static const struct {
        const char *slug;
        int number;
    } order[] = {{"cdn", 2}, {"cdn", 1}, {"disk", 3}, {"disk", 1}, {"disk", 2}};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(items[i].slug, order[i].slug);
        assert_int_equal(items[i].number, order[i].number);
    }
    assert_string_equal(items[4].due, "");
    dbf_tracked_actions_free(items, n);

    assert_ok(s,
              dbf_store_actions(s, 0, &(struct dbf_tracked_filter){.owner = "@Ben"}, &items, &n));
    assert_int_equal(n, 3);
    dbf_tracked_actions_free(items, n);
    assert_ok(s,
              dbf_store_actions(s, 0, &(struct dbf_tracked_filter){.team = p.search}, &items, &n));
    assert_int_equal(n, 2);
    dbf_tracked_actions_free(items, n);
    assert_ok(s, dbf_store_action_mark(s, "cdn", 1, "wont-do", NULL, p.named));
    assert_ok(s,
              dbf_store_actions(s, 0, &(struct dbf_tracked_filter){.open_only = true}, &items, &n));
    assert_int_equal(n, 3); /* cdn 2 in progress, disk 3 and 1 open */
    for (size_t i = 0; i < n; i++)
        assert_true(strcmp(items[i].status, "done") != 0 &&
                    strcmp(items[i].status, "wont-do") != 0);
    dbf_tracked_actions_free(items, n);
    assert_ok(s, dbf_store_actions(s, 0,
                                   &(struct dbf_tracked_filter){
                                       .open_only = true, .owner = "@ben", .slug = "disk"},
                                   &items, &n));
    assert_int_equal(n, 2);
    dbf_tracked_actions_free(items, n);
    dbf_store_close(s);
}

/* ---- People, throttling, the clock ---- */

static void test_team_members(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    assert_ok(s, dbf_store_member_add(s, p.payments, p.admin));
    assert_ok(s, dbf_store_member_add(s, p.payments, p.admin));
    struct dbf_user *users;
    size_t n;
    assert_ok(s, dbf_store_team_members(s, p.payments, &users, &n));
    assert_int_equal(n, 2);
    assert_string_equal(users[0].name, "ada");
    assert_int_equal(users[0].role, DBF_ROLE_ADMIN);
    assert_string_equal(users[1].name, "ben");
    free(users);
    int64_t empty;
    assert_ok(s, dbf_store_team_add(s, "empty", &empty));
    assert_ok(s, dbf_store_team_members(s, empty, &users, &n));
    assert_int_equal(n, 0);
    free(users);
    assert_int_equal(dbf_store_team_members(s, 9999, &users, &n), DBF_STORE_NOT_FOUND);
    assert_ok(s, dbf_store_member_remove(s, p.payments, p.author));
    assert_ok(s, dbf_store_team_members(s, p.payments, &users, &n));
    assert_int_equal(n, 1);
    free(users);
    dbf_store_close(s);
}

static void test_login_throttling(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    int64_t start = dbf_store_now(s);
    int count = -1;
    assert_ok(s, dbf_store_login_failures(s, "user:ben", 0, &count));
    assert_int_equal(count, 0);
    for (int i = 0; i < 3; i++)
        assert_ok(s, dbf_store_login_failure(s, "user:ben"));
    assert_ok(s, dbf_store_login_failure(s, "addr:192.0.2.1"));
    /* Twenty minutes on, two more. */
    dbf_store_set_clock_offset(s, 1200);
    assert_ok(s, dbf_store_login_failure(s, "user:ben"));
    assert_ok(s, dbf_store_login_failure(s, "user:ben"));

    assert_ok(s, dbf_store_login_failures(s, "user:ben", start, &count));
    assert_int_equal(count, 5);
    assert_ok(s, dbf_store_login_failures(s, "user:ben", dbf_store_now(s) - 900, &count));
    assert_int_equal(count, 2);
    assert_ok(s, dbf_store_login_failures(s, "addr:192.0.2.1", start, &count));
    assert_int_equal(count, 1);
    assert_ok(s, dbf_store_login_failures(s, "user:BEN", start, &count));
    assert_int_equal(count, 0);

    assert_ok(s, dbf_store_login_forget(s, "user:ben"));
    assert_ok(s, dbf_store_login_failures(s, "user:ben", start, &count));
    assert_int_equal(count, 0);
    assert_ok(s, dbf_store_login_failures(s, "addr:192.0.2.1", start, &count));
    assert_int_equal(count, 1);
    assert_ok(s, dbf_store_login_forget(s, "user:nobody"));
    assert_int_equal(dbf_store_login_failure(s, ""), DBF_STORE_INVALID);
    assert_int_equal(dbf_store_login_failures(s, NULL, 0, &count), DBF_STORE_INVALID);
    dbf_store_close(s);
}

static void test_clock_offset(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    int64_t before = (int64_t)time(NULL);
    assert_true(dbf_store_now(s) >= before && dbf_store_now(s) <= before + 5);
    dbf_store_set_clock_offset(s, 86400);
    assert_true(dbf_store_now(s) >= before + 86400 && dbf_store_now(s) <= before + 86405);

    /* What the store records is on its clock. */
    create(s, "later", p.payments, DBF_VISIBILITY_PUBLIC, "Later", NULL, "# Later\n", p.author);
    struct dbf_postmortem pm;
    assert_ok(s, dbf_store_pm_get(s, 0, "later", &pm));
    assert_true(pm.created >= before + 86400 && pm.created <= dbf_store_now(s));
    assert_int_equal(pm.updated, pm.created);
    dbf_postmortem_release(&pm);
    struct dbf_audit_entry *entries;
    size_t n;
    assert_ok(s, dbf_store_audit_list(s, 1, &entries, &n));
    assert_true(entries[0].created >= before + 86400);
    dbf_audit_free(entries, n);

    /* A session of an hour ends when the clock passes it. */
    char session[DBF_STORE_SECRET_LEN + 1];
    struct dbf_user u;
    dbf_store_set_clock_offset(s, 0);
    assert_ok(s, dbf_store_session_new(s, p.author, 3600, session));
    dbf_store_set_clock_offset(s, 3500);
    assert_ok(s, dbf_store_session_check(s, session, &u));
    dbf_store_set_clock_offset(s, 3700);
    assert_int_equal(dbf_store_session_check(s, session, &u), DBF_STORE_NOT_FOUND);
    dbf_store_set_clock_offset(s, 0);
    assert_ok(s, dbf_store_session_check(s, session, &u));

    /* Each connection has its own clock. */
    struct dbf_store *other = open_store();
    assert_true(dbf_store_now(other) <= (int64_t)time(NULL) + 1);
    dbf_store_close(other);
    dbf_store_close(s);
}

static void test_audit_actors(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    char session[DBF_STORE_SECRET_LEN + 1];
    assert_ok(s, dbf_store_session_new(s, p.named, 600, session));
    assert_ok(s, dbf_store_session_end(s, session));
    create(s, "wf", p.payments, DBF_VISIBILITY_PUBLIC, "Workflow", NULL, "# Workflow\n", p.author);
    assert_ok(s, dbf_store_audit(s, p.admin, "export.run", "all", NULL));

    struct dbf_audit_entry *entries;
    size_t n;
    assert_ok(s, dbf_store_audit_list(s, 100, &entries, &n));
    static const struct {
        const char *action, *actor;
    } want[] = {{"export.run", "ada"}, {"postmortem.create", "ben"},
                {"session.end", "cy"}, {"session.new", "cy"},
                {"member.add", ""},    {"member.add", ""},
                {"team.add", ""},      {"team.add", ""},
                {"user.add", ""}};
    assert_true(n >= sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        assert_string_equal(entries[i].action, want[i].action);
        assert_string_equal(entries[i].actor_name, want[i].actor);
    }
    assert_int_equal(entries[4].actor, 0);
    dbf_audit_free(entries, n);
    dbf_store_close(s);
}

/* ---- attachments ---- */

static const unsigned char png_bytes[] = {0x89, 0x50, 0x4e, 0x47, 0, 0xff, 0x0d, 0x0a, 0, 0xfe};
#define PNG_SHA256 "12d2fa85aaddfe3b7abcea87db6ad2ff9468a81341025c706b16e57e429d6a97"
static const char csv_text[] = "time,p99\n00:00,120\n";
#define CSV_SHA256 "9c4fa4a31a764e7b3fcf38c2bb9df9de69738b5665a1298509ce4632353d8e0e"

static void put(struct dbf_store *s, const char *slug, const char *name, const void *data,
                size_t len, int64_t author, int version, int revision)
{
    struct dbf_attachment a;
    assert_ok(s, dbf_store_attachment_put(s, slug, name, data, len, author, &a));
    assert_string_equal(a.name, name);
    assert_int_equal(a.version, version);
    assert_int_equal(a.revision, revision);
    assert_int_equal(a.size, (int64_t)len);
    assert_int_equal(strlen(a.sha256), 64);
    dbf_attachment_release(&a);
}

static void assert_attachment(struct dbf_store *s, int64_t viewer, const char *slug,
                              const char *name, int version, const void *want, size_t want_len)
{
    unsigned char *data;
    size_t len;
    struct dbf_attachment meta;
    assert_ok(s, dbf_store_attachment_get(s, viewer, slug, name, version, &data, &len, &meta));
    assert_int_equal(len, want_len);
    if (len)
        assert_memory_equal(data, want, len);
    assert_int_equal(data[len], '\0');
    assert_string_equal(meta.name, name);
    assert_int_equal(meta.size, (int64_t)len);
    if (version)
        assert_int_equal(meta.version, version);
    free(data);
    dbf_attachment_release(&meta);
}

static void test_attachments_versions(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    create(s, "outage", p.payments, DBF_VISIBILITY_PUBLIC, "Outage", NULL, texts[0], p.author);

    struct dbf_attachment a;
    assert_ok(s, dbf_store_attachment_put(s, "outage", "img/graph.png", png_bytes, sizeof png_bytes,
                                          p.author, &a));
    assert_string_equal(a.name, "img/graph.png");
    assert_int_equal(a.version, 1);
    assert_int_equal(a.revision, 1);
    assert_int_equal(a.size, sizeof png_bytes);
    assert_string_equal(a.sha256, PNG_SHA256);
    assert_int_equal(a.author, p.author);
    assert_string_equal(a.author_name, "ben");
    assert_true(a.created > 0);
    dbf_attachment_release(&a);
    assert_attachment(s, p.outsider, "outage", "img/graph.png", 0, png_bytes, sizeof png_bytes);
    assert_attachment(s, p.outsider, "outage", "img/graph.png", 1, png_bytes, sizeof png_bytes);

    /* The same bytes again add nothing, by whoever, and OUT may be NULL. */
    put(s, "outage", "img/graph.png", png_bytes, sizeof png_bytes, p.admin, 1, 1);
    assert_ok(s, dbf_store_attachment_put(s, "outage", "img/graph.png", png_bytes, sizeof png_bytes,
                                          p.author, NULL));
    struct dbf_attachment *list;
    size_t n;
    assert_ok(s, dbf_store_attachment_history(s, p.author, "outage", "img/graph.png", &list, &n));
    assert_int_equal(n, 1);
    assert_string_equal(list[0].author_name, "ben");
    dbf_attachments_free(list, n);

    /* New bytes after a new revision: version 2, made at revision 2. */
    int number = 0;
    assert_ok(s, dbf_store_revision_save(
                     s, "outage", 1, &(struct dbf_pm_content){.markdown = texts[1], .title = "O"},
                     p.author, &number));
    assert_int_equal(number, 2);
    const unsigned char changed[] = {0, 0, 0xff, 0xff, 'x'};
    put(s, "outage", "img/graph.png", changed, sizeof changed, p.admin, 2, 2);
    assert_attachment(s, 0, "outage", "img/graph.png", 0, changed, sizeof changed);
    assert_attachment(s, p.outsider, "outage", "img/graph.png", 1, png_bytes, sizeof png_bytes);
    /* Back to the first bytes: a third version, as the newest differs. */
    put(s, "outage", "img/graph.png", png_bytes, sizeof png_bytes, p.author, 3, 2);

    put(s, "outage", "metrics/p99.csv", csv_text, strlen(csv_text), p.author, 1, 2);
    put(s, "outage", "empty.txt", "", 0, p.author, 1, 2);
    assert_attachment(s, p.author, "outage", "empty.txt", 0, "", 0);
    put(s, "outage", "empty.txt", NULL, 0, p.author, 1, 2);

    /* The newest of each name, by name (byte order: 'Z' before 'e'). */
    put(s, "outage", "Zeta.txt", "z", 1, p.author, 1, 2);
    assert_ok(s, dbf_store_attachments(s, p.outsider, "outage", &list, &n));
    assert_int_equal(n, 4);
    assert_string_equal(list[0].name, "Zeta.txt");
    assert_string_equal(list[1].name, "empty.txt");
    assert_string_equal(list[2].name, "img/graph.png");
    assert_int_equal(list[2].version, 3);
    assert_int_equal(list[2].revision, 2);
    assert_string_equal(list[2].sha256, PNG_SHA256);
    assert_string_equal(list[2].author_name, "ben");
    assert_string_equal(list[3].name, "metrics/p99.csv");
    assert_string_equal(list[3].sha256, CSV_SHA256);
    assert_int_equal(list[3].size, (int64_t)strlen(csv_text));
    dbf_attachments_free(list, n);

    assert_ok(s, dbf_store_attachment_history(s, p.outsider, "outage", "img/graph.png", &list, &n));
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(list[i].version, (int)i + 1);
    assert_int_equal(list[0].revision, 1);
    assert_int_equal(list[1].revision, 2);
    assert_string_equal(list[1].author_name, "ada");
    assert_int_equal(list[1].size, sizeof changed);
    dbf_attachments_free(list, n);

    /* A post mortem without attachments lists none. */
    create(s, "bare", p.payments, DBF_VISIBILITY_PUBLIC, "Bare", NULL, texts[0], p.author);
    assert_ok(s, dbf_store_attachments(s, p.outsider, "bare", &list, &n));
    assert_int_equal(n, 0);
    assert_null(list);

    /* Unknown versions, names and post mortems: one answer. */
    unsigned char *data = (unsigned char *)"x";
    size_t len = 1;
    assert_int_equal(
        dbf_store_attachment_get(s, p.author, "outage", "img/graph.png", 4, &data, &len, &a),
        DBF_STORE_NOT_FOUND);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_null(a.name);
    assert_string_equal(dbf_store_message(s), "no such attachment");
    assert_int_equal(
        dbf_store_attachment_get(s, p.author, "outage", "nope.png", 0, &data, &len, NULL),
        DBF_STORE_NOT_FOUND);
    assert_string_equal(dbf_store_message(s), "no such attachment");
    assert_int_equal(
        dbf_store_attachment_get(s, p.author, "bare", "img/graph.png", 0, &data, &len, NULL),
        DBF_STORE_NOT_FOUND);
    assert_int_equal(
        dbf_store_attachment_get(s, p.author, "missing", "img/graph.png", 0, &data, &len, NULL),
        DBF_STORE_NOT_FOUND);
    assert_string_equal(dbf_store_message(s), "no such attachment");
    assert_int_equal(dbf_store_attachment_history(s, p.author, "outage", "nope.png", &list, &n),
                     DBF_STORE_NOT_FOUND);
    assert_int_equal(dbf_store_attachment_put(s, "missing", "a.png", "x", 1, p.author, &a),
                     DBF_STORE_NOT_FOUND);

    /* Each new version is in the audit log; a repeated upload is not. */
    struct dbf_audit_entry *entries;
    assert_ok(s, dbf_store_audit_list(s, 100, &entries, &n));
    size_t added = 0;
    for (size_t i = 0; i < n; i++)
        added += strcmp(entries[i].action, "attachment.add") == 0;
    assert_int_equal(added, 6);
    assert_string_equal(entries[1].action, "attachment.add");
    assert_string_equal(entries[1].target, "outage/Zeta.txt");
    assert_string_equal(entries[1].detail, "version 1, 1 bytes");
    assert_string_equal(entries[1].actor_name, "ben");
    dbf_audit_free(entries, n);
    dbf_store_close(s);

    /* Kept across connections. */
    s = open_store();
    assert_attachment(s, p.author, "outage", "img/graph.png", 2, changed, sizeof changed);
    dbf_store_close(s);
}

/* A restricted post mortem's attachments exist only for those who may see
 * it: for anyone else every call answers as for a missing post mortem. */
static void test_attachments_restricted(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_people(s);
    create(s, "secret", p.payments, DBF_VISIBILITY_RESTRICTED, "Secret", NULL, texts[0], p.author);
    put(s, "secret", "img/a.png", png_bytes, sizeof png_bytes, p.author, 1, 1);

    for (int round = 0; round < 2; round++) {
        int64_t who = round ? 0 : p.outsider;
        struct dbf_attachment a;
        assert_int_equal(dbf_store_attachment_put(s, "secret", "img/a.png", "x", 1, who, &a),
                         DBF_STORE_NOT_FOUND);
        assert_null(a.name);
        assert_int_equal(dbf_store_attachment_put(s, "secret", "img/new.png", "x", 1, who, NULL),
                         DBF_STORE_NOT_FOUND);
        unsigned char *data;
        size_t len;
        assert_int_equal(
            dbf_store_attachment_get(s, who, "secret", "img/a.png", 0, &data, &len, &a),
            DBF_STORE_NOT_FOUND);
        assert_null(data);
        assert_string_equal(dbf_store_message(s), "no such attachment");
        assert_int_equal(
            dbf_store_attachment_get(s, who, "secret", "img/a.png", 1, &data, &len, NULL),
            DBF_STORE_NOT_FOUND);
        struct dbf_attachment *list;
        size_t n;
        assert_int_equal(dbf_store_attachment_history(s, who, "secret", "img/a.png", &list, &n),
                         DBF_STORE_NOT_FOUND);
        assert_string_equal(dbf_store_message(s), "no such attachment");
        assert_int_equal(n, 0);
        assert_int_equal(dbf_store_attachments(s, who, "secret", &list, &n), DBF_STORE_NOT_FOUND);
        char hidden[512];
        snprintf(hidden, sizeof hidden, "%s", dbf_store_message(s));
        assert_int_equal(dbf_store_attachments(s, who, "no-such-pm", &list, &n),
                         DBF_STORE_NOT_FOUND);
        /* The same words as for a post mortem that does not exist, but for
         * the id asked about. */
        assert_non_null(strstr(hidden, "'secret'"));
        assert_non_null(strstr(dbf_store_message(s), "'no-such-pm'"));
    }

    /* Someone named on it may read and add; nothing the outsider sent was
     * kept. */
    assert_ok(s, dbf_store_pm_grant(s, "secret", p.named, 0));
    assert_attachment(s, p.named, "secret", "img/a.png", 0, png_bytes, sizeof png_bytes);
    put(s, "secret", "img/a.png", "y", 1, p.named, 2, 1);
    assert_attachment(s, p.admin, "secret", "img/a.png", 0, "y", 1);
    struct dbf_attachment *list;
    size_t n;
    assert_ok(s, dbf_store_attachments(s, p.author, "secret", &list, &n));
    assert_int_equal(n, 1);
    assert_int_equal(list[0].version, 2);
    dbf_attachments_free(list, n);
    dbf_store_close(s);
}

/* Only an author in payments, for tests that need no one else (each
 * password hash costs a fraction of a second). */
static struct people add_author(struct dbf_store *s)
{
    struct people p = {0};
    assert_ok(s, dbf_store_user_add(s, "ben", "author-pass", DBF_ROLE_AUTHOR, &p.author));
    assert_ok(s, dbf_store_team_add(s, "payments", &p.payments));
    assert_ok(s, dbf_store_member_add(s, p.payments, p.author));
    return p;
}

static void test_attachment_names_and_size(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_author(s);
    create(s, "outage", p.payments, DBF_VISIBILITY_PUBLIC, "Outage", NULL, texts[0], p.author);
    char long_name[300];
    memset(long_name, 'a', 256);
    long_name[256] = '\0';
    const char *const bad[] = {"../x",   "/abs",        "a//b",     "./a",    "",       "a/",
                               "a/../b", "a\\b",        "tab\tx",   "a/.",    "..",     ".env",
                               "m/.git", ".git/config", "other.md", "x/y.MD", long_name};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct dbf_attachment a;
        assert_int_equal(dbf_store_attachment_put(s, "outage", bad[i], "x", 1, p.author, &a),
                         DBF_STORE_INVALID);
        assert_null(a.name);
        assert_non_null(strstr(dbf_store_message(s), "name"));
        unsigned char *data;
        size_t len;
        assert_int_equal(
            dbf_store_attachment_get(s, p.author, "outage", bad[i], 0, &data, &len, NULL),
            DBF_STORE_NOT_FOUND);
    }
    assert_int_equal(dbf_store_attachment_put(s, "outage", NULL, "x", 1, p.author, NULL),
                     DBF_STORE_INVALID);
    /* 255 bytes and odd but fine characters are a name; hidden files and
     * Markdown are not (above). */
    long_name[255] = '\0';
    put(s, "outage", long_name, "x", 1, p.author, 1, 1);
    put(s, "outage", "dir/sub dir/caf\xc3\xa9 (1).png", "x", 1, p.author, 1, 1);
    put(s, "outage", "notes.md.csv", "x", 1, p.author, 1, 1);

    /* One byte over the limit is refused before a byte is read. */
    unsigned char *big = calloc(DBF_ATTACHMENT_MAX + 1, 1);
    assert_non_null(big);
    assert_int_equal(dbf_store_attachment_put(s, "outage", "big.bin", big, DBF_ATTACHMENT_MAX + 1,
                                              p.author, NULL),
                     DBF_STORE_INVALID);
    assert_non_null(strstr(dbf_store_message(s), "16 MiB"));
    free(big);
    assert_int_equal(dbf_store_attachment_put(s, "outage", "none.bin", NULL, 5, p.author, NULL),
                     DBF_STORE_INVALID);

    struct dbf_attachment *list;
    size_t n;
    assert_ok(s, dbf_store_attachments(s, p.author, "outage", &list, &n));
    assert_int_equal(n, 3);
    dbf_attachments_free(list, n);
    dbf_store_close(s);
}

/* Runs SQL on the store's database, as a person with a SQL shell would;
 * true when the database accepted it. */
static bool raw_sql(const char *sql)
{
    if (sqlite_only()) {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
        int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        sqlite3_close(db);
        return rc == SQLITE_OK;
    }
    PGconn *conn = PQconnectdb(url);
    assert_int_equal(PQstatus(conn), CONNECTION_OK);
    PGresult *res = PQexec(conn, sql);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    PQfinish(conn);
    return ok;
}

static void test_attachments_append_only(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_author(s);
    create(s, "outage", p.payments, DBF_VISIBILITY_PUBLIC, "Outage", NULL, texts[0], p.author);
    put(s, "outage", "metrics/p99.csv", csv_text, strlen(csv_text), p.author, 1, 1);
    dbf_store_close(s);

    assert_false(raw_sql("UPDATE attachments SET size = 1"));
    assert_false(raw_sql("UPDATE attachments SET name = 'other.csv'"));
    assert_false(raw_sql("DELETE FROM attachments"));
    if (!sqlite_only())
        assert_false(raw_sql("TRUNCATE attachments"));
    /* The refusal is the trigger's, not a failure to run SQL at all. */
    assert_true(raw_sql("CREATE TABLE probe (x INTEGER)"));

    s = open_store();
    assert_attachment(s, p.author, "outage", "metrics/p99.csv", 1, csv_text, strlen(csv_text));
    dbf_store_close(s);
}

/* Two connections upload one name at the same moment: distinct versions
 * for different bytes, one version for the same bytes. */
struct uploader {
    const char *slug, *name;
    const void *data;
    size_t len;
    int64_t author;
    enum dbf_store_status status;
    int version;
};

static void *upload(void *arg)
{
    struct uploader *u = arg;
    char err[256];
    struct dbf_store *s = dbf_store_open(url, err, sizeof err);
    if (!s) {
        u->status = DBF_STORE_UNAVAILABLE;
        return NULL;
    }
    struct dbf_attachment a;
    u->status = dbf_store_attachment_put(s, u->slug, u->name, u->data, u->len, u->author, &a);
    u->version = a.version;
    dbf_attachment_release(&a);
    dbf_store_close(s);
    return NULL;
}

static void test_attachments_between_connections(void **state)
{
    (void)state;
    struct dbf_store *s = open_store();
    struct people p = add_author(s);
    create(s, "race", p.payments, DBF_VISIBILITY_PUBLIC, "Race", NULL, texts[0], p.author);
    for (int round = 0; round < 6; round++) {
        char name[32];
        snprintf(name, sizeof name, "img/%d.png", round);
        bool same = round % 2;
        struct uploader a = {"race", name, "aaaa", 4, p.author, DBF_STORE_INTERNAL, 0};
        struct uploader b = {
            "race", name, same ? "aaaa" : "bbbbb", same ? 4 : 5, p.author, DBF_STORE_INTERNAL, 0};
        pthread_t ta, tb;
        assert_int_equal(pthread_create(&ta, NULL, upload, &a), 0);
        assert_int_equal(pthread_create(&tb, NULL, upload, &b), 0);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        assert_int_equal(a.status, DBF_STORE_OK);
        assert_int_equal(b.status, DBF_STORE_OK);
        struct dbf_attachment *list;
        size_t n;
        assert_ok(s, dbf_store_attachment_history(s, p.author, "race", name, &list, &n));
        if (same) {
            assert_int_equal(a.version, 1);
            assert_int_equal(b.version, 1);
            assert_int_equal(n, 1);
        } else {
            assert_int_equal(a.version + b.version, 3);
            assert_int_equal(n, 2);
            struct uploader *last = a.version == 2 ? &a : &b;
            assert_int_equal(list[1].size, (int64_t)last->len);
        }
        dbf_attachments_free(list, n);
    }
    dbf_store_close(s);
}

#define STORE_TEST(fn) cmocka_unit_test_setup_teardown(fn, make_database, drop_database)

int main(void)
{
    const struct CMUnitTest tests[] = {
        STORE_TEST(test_urls),
        STORE_TEST(test_migrations_idempotent),
        STORE_TEST(test_users_and_passwords),
        STORE_TEST(test_first_admin_once),
        STORE_TEST(test_tokens_and_sessions),
        STORE_TEST(test_password_change_ends_sessions),
        STORE_TEST(test_create_get_list),
        STORE_TEST(test_revisions_never_lost),
        STORE_TEST(test_conflict_rule),
        STORE_TEST(test_conflict_between_connections),
        STORE_TEST(test_restricted_visibility),
        STORE_TEST(test_search_newest_only),
        STORE_TEST(test_workflow_and_history),
        STORE_TEST(test_postmortem_fields),
        STORE_TEST(test_list_filters_and_totals),
        STORE_TEST(test_list_orders),
        STORE_TEST(test_restricted_everywhere),
        STORE_TEST(test_visibility_change),
        STORE_TEST(test_approvals),
        STORE_TEST(test_action_marks),
        STORE_TEST(test_action_board),
        STORE_TEST(test_team_members),
        STORE_TEST(test_login_throttling),
        STORE_TEST(test_clock_offset),
        STORE_TEST(test_audit_actors),
        STORE_TEST(test_attachments_versions),
        STORE_TEST(test_attachments_restricted),
        STORE_TEST(test_attachment_names_and_size),
        STORE_TEST(test_attachments_append_only),
        STORE_TEST(test_attachments_between_connections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
