/* test_store.c: the store on a real SQLite file in a temporary folder:
 * migrations, post mortems and their revisions, the conflict rule,
 * restricted visibility, search, workflow, secrets and passwords. */
#include "debrief/store.h"
#include "harness.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char folder[256];
static char db_path[300];
static char url[320];

static int make_folder(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(folder, sizeof folder, "%s/debrief-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(folder))
        return -1;
    snprintf(db_path, sizeof db_path, "%s/test.db", folder);
    snprintf(url, sizeof url, "sqlite:%s", db_path);
    return 0;
}

static int remove_folder(void **state)
{
    (void)state;
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
    assert_null(dbf_store_open("postgres://db.example/debrief", err, sizeof err));
    assert_non_null(strstr(err, "not yet supported"));
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
    assert_true(version >= 3);
    dbf_store_close(s);
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

    /* Only Argon2id hashes are stored, never the password. */
    assert_int_equal(count_rows("SELECT count(*) FROM users WHERE password_hash LIKE "
                                "'$argon2id$%'"),
                     4);
    assert_int_equal(count_rows("SELECT count(*) FROM users WHERE instr(password_hash, 'pass')"),
                     0);
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

    /* Neither secret appears anywhere in the database file. */
    FILE *f = fopen(db_path, "rb");
    assert_non_null(f);
    char *bytes = malloc(1 << 22);
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
    dbf_store_close(s);
    assert_int_equal(count_rows("SELECT count(*) FROM postmortem_access"), 2);
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
    assert_ok(s, dbf_store_audit_list(s, 3, &entries, &n));
    assert_int_equal(n, 3);
    assert_string_equal(entries[0].action, "postmortem.reassign");
    assert_string_equal(entries[0].target, "wf");
    assert_int_equal(entries[0].actor, p.admin);
    assert_string_equal(entries[1].action, "postmortem.reopen");
    assert_string_equal(entries[1].detail, "published -> draft: new facts");
    dbf_audit_free(entries, n);
    dbf_store_close(s);
    assert_int_equal(count_rows("SELECT count(*) FROM ownership_changes WHERE reason = 'moved to "
                                "search'"),
                     1);
}

#define STORE_TEST(fn) cmocka_unit_test_setup_teardown(fn, make_folder, remove_folder)

int main(void)
{
    const struct CMUnitTest tests[] = {
        STORE_TEST(test_urls),
        STORE_TEST(test_migrations_idempotent),
        STORE_TEST(test_users_and_passwords),
        STORE_TEST(test_tokens_and_sessions),
        STORE_TEST(test_create_get_list),
        STORE_TEST(test_revisions_never_lost),
        STORE_TEST(test_conflict_rule),
        STORE_TEST(test_conflict_between_connections),
        STORE_TEST(test_restricted_visibility),
        STORE_TEST(test_search_newest_only),
        STORE_TEST(test_workflow_and_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
