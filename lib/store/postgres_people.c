/* postgres_people.c: users, teams and memberships in PostgreSQL. */
#include "postgres_impl.h"

#include <stdio.h>
#include <string.h>

static const struct pg_statement user_insert = {
    "user_add", "INSERT INTO users (name, password_hash, role, created) VALUES ($1, $2, $3, $4)"
                " RETURNING id"};
static const struct pg_statement users_lock = {"users_lock",
                                               "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"};
static const struct pg_statement user_any = {"user_any", "SELECT 1 FROM users LIMIT 1"};
static const struct pg_statement user_by_name = {
    "user_by_name", "SELECT id, name, role, created, password_hash FROM users WHERE name = $1"};
static const struct pg_statement user_by_id = {
    "user_by_id", "SELECT id, name, role, created, password_hash FROM users WHERE id = $1"};
static const struct pg_statement user_password = {
    "user_set_password", "UPDATE users SET password_hash = $1 WHERE id = $2"};
static const struct pg_statement user_role = {"user_set_role",
                                              "UPDATE users SET role = $1 WHERE id = $2"};
static const struct pg_statement user_all = {
    "user_list", "SELECT id, name, role, created FROM users ORDER BY name COLLATE \"C\""};
static const struct pg_statement team_insert = {
    "team_add", "INSERT INTO teams (name, created) VALUES ($1, $2) RETURNING id"};
static const struct pg_statement team_by_name = {
    "team_get", "SELECT id, name, created FROM teams WHERE name = $1"};
static const struct pg_statement team_all = {
    "team_list", "SELECT id, name, created FROM teams ORDER BY name COLLATE \"C\""};
static const struct pg_statement team_of_user = {
    "team_list_user", "SELECT t.id, t.name, t.created FROM teams t"
                      " JOIN memberships m ON m.team_id = t.id WHERE m.user_id = $1"
                      " ORDER BY t.name COLLATE \"C\""};
static const struct pg_statement member_insert = {
    "member_add", "INSERT INTO memberships (team_id, user_id) VALUES ($1, $2)"
                  " ON CONFLICT DO NOTHING"};
static const struct pg_statement member_delete = {
    "member_remove", "DELETE FROM memberships WHERE team_id = $1 AND user_id = $2"};
static const struct pg_statement team_exists = {"team_exists", "SELECT 1 FROM teams WHERE id = $1"};
static const struct pg_statement members_of_team = {
    "team_members", "SELECT u.id, u.name, u.role, u.created FROM users u"
                    " JOIN memberships m ON m.user_id = u.id WHERE m.team_id = $1"
                    " ORDER BY u.name COLLATE \"C\""};

/* Reads id, name, role, created from columns 0 to 3. */
static void read_user(const PGresult *r, int row, struct dbf_user *out)
{
    out->id = dbf__pg_int(r, row, 0);
    dbf__pg_copy(r, row, 1, out->name, sizeof out->name);
    out->role = DBF_ROLE_VIEWER;
    dbf_role_parse(PQgetvalue(r, row, 2), &out->role);
    out->created = dbf__pg_int(r, row, 3);
}

static bool read_user_row(const PGresult *r, int row, void *item)
{
    read_user(r, row, item);
    return true;
}

static bool read_team_row(const PGresult *r, int row, void *item)
{
    struct dbf_team *t = item;
    t->id = dbf__pg_int(r, row, 0);
    dbf__pg_copy(r, row, 1, t->name, sizeof t->name);
    t->created = dbf__pg_int(r, row, 2);
    return true;
}

/* Runs INSERT … RETURNING id and answers the id. */
static enum dbf_store_status insert_returning(struct dbf_store *store,
                                              const struct pg_statement *statement,
                                              const struct pg_params *p, int64_t *id)
{
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, statement, p, &r);
    if (status != DBF_STORE_OK)
        return status;
    *id = PQntuples(r) ? dbf__pg_int(r, 0, 0) : 0;
    PQclear(r);
    return DBF_STORE_OK;
}

/* Inserts user NAME inside the transaction the caller began. */
static enum dbf_store_status insert_user(struct dbf_store *store, const char *name,
                                         const char *password_hash, enum dbf_role role, int64_t *id)
{
    struct pg_params p = {0};
    dbf__pg_param_text(&p, name);
    dbf__pg_param_text(&p, password_hash);
    dbf__pg_param_text(&p, dbf_role_name(role));
    dbf__pg_param_int(&p, dbf_store_now(store));
    int64_t new_id = 0;
    enum dbf_store_status status = insert_returning(store, &user_insert, &p, &new_id);
    if (status == DBF_STORE_CONFLICT)
        dbf__store_fail(store, status, "the user '%s' already exists", name);
    if (status == DBF_STORE_OK)
        status = dbf__pg_audit(store, 0, "user.add", name, dbf_role_name(role));
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return status;
}

enum dbf_store_status dbf__pg_user_add(struct dbf_store *store, const char *name,
                                       const char *password_hash, enum dbf_role role, int64_t *id)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    return dbf__pg_tx_end(store, insert_user(store, name, password_hash, role, id));
}

/* The table lock (which only itself and writers of users wait for) holds
 * from the check to the insert, so servers adding the first user at once
 * take turns and the later ones find it. */
enum dbf_store_status dbf__pg_user_add_first(struct dbf_store *store, const char *name,
                                             const char *password_hash, int64_t *id)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    PGresult *r = NULL;
    status = dbf__pg_run(store, &users_lock, NULL, NULL);
    if (status == DBF_STORE_OK)
        status = dbf__pg_run(store, &user_any, NULL, &r);
    if (status != DBF_STORE_OK)
        return dbf__pg_tx_end(store, status);
    bool taken = PQntuples(r) > 0;
    PQclear(r);
    if (taken)
        return dbf__pg_tx_end(
            store, dbf__store_fail(store, DBF_STORE_CONFLICT, "there is a user already"));
    return dbf__pg_tx_end(store, insert_user(store, name, password_hash, DBF_ROLE_ADMIN, id));
}

enum dbf_store_status dbf__pg_user_find(struct dbf_store *store, const char *name, int64_t id,
                                        struct dbf_user *out, char *hash, size_t hashlen)
{
    memset(out, 0, sizeof *out);
    struct pg_params p = {0};
    if (name)
        dbf__pg_param_text(&p, name);
    else
        dbf__pg_param_int(&p, id);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, name ? &user_by_name : &user_by_id, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    if (PQntuples(r) == 1) {
        read_user(r, 0, out);
        if (hash)
            dbf__pg_copy(r, 0, 4, hash, hashlen);
    } else {
        status = name ? dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no user '%s'", name)
                      : dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no user %lld", (long long)id);
    }
    PQclear(r);
    return status;
}

/* Runs an UPDATE of one user and answers NOT_FOUND when no row changed. */
static enum dbf_store_status update_user(struct dbf_store *store,
                                         const struct pg_statement *statement,
                                         const struct pg_params *p, int64_t user,
                                         const char *action, const char *detail)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    long changed = 0;
    status = dbf__pg_run_changes(store, statement, p, &changed);
    if (status == DBF_STORE_OK && changed == 0)
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no user %lld", (long long)user);
    if (status == DBF_STORE_OK) {
        char target[32];
        snprintf(target, sizeof target, "user:%lld", (long long)user);
        status = dbf__pg_audit(store, 0, action, target, detail);
    }
    return dbf__pg_tx_end(store, status);
}

enum dbf_store_status dbf__pg_user_set_password(struct dbf_store *store, int64_t user,
                                                const char *password_hash)
{
    struct pg_params p = {0};
    dbf__pg_param_text(&p, password_hash);
    dbf__pg_param_int(&p, user);
    return update_user(store, &user_password, &p, user, "user.password", "");
}

enum dbf_store_status dbf__pg_user_set_role(struct dbf_store *store, int64_t user,
                                            enum dbf_role role)
{
    struct pg_params p = {0};
    dbf__pg_param_text(&p, dbf_role_name(role));
    dbf__pg_param_int(&p, user);
    return update_user(store, &user_role, &p, user, "user.role", dbf_role_name(role));
}

enum dbf_store_status dbf__pg_user_list(struct dbf_store *store, struct dbf_user **out,
                                        size_t *count)
{
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &user_all, NULL, &r);
    if (status != DBF_STORE_OK)
        return status;
    void *items;
    status = dbf__pg_collect(store, r, sizeof **out, read_user_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__pg_team_add(struct dbf_store *store, const char *name, int64_t *id)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct pg_params p = {0};
    dbf__pg_param_text(&p, name);
    dbf__pg_param_int(&p, dbf_store_now(store));
    int64_t new_id = 0;
    status = insert_returning(store, &team_insert, &p, &new_id);
    if (status == DBF_STORE_CONFLICT)
        dbf__store_fail(store, status, "the team '%s' already exists", name);
    if (status == DBF_STORE_OK)
        status = dbf__pg_audit(store, 0, "team.add", name, "");
    if (status == DBF_STORE_OK && id)
        *id = new_id;
    return dbf__pg_tx_end(store, status);
}

enum dbf_store_status dbf__pg_team_get(struct dbf_store *store, const char *name,
                                       struct dbf_team *out)
{
    memset(out, 0, sizeof *out);
    struct pg_params p = {0};
    dbf__pg_param_text(&p, name);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &team_by_name, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    if (PQntuples(r) == 1)
        read_team_row(r, 0, out);
    else
        status = dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no team '%s'", name);
    PQclear(r);
    return status;
}

enum dbf_store_status dbf__pg_team_list(struct dbf_store *store, int64_t user,
                                        struct dbf_team **out, size_t *count)
{
    struct pg_params p = {0};
    if (user)
        dbf__pg_param_int(&p, user);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, user ? &team_of_user : &team_all, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    void *items;
    status = dbf__pg_collect(store, r, sizeof **out, read_team_row, &items, count);
    *out = items;
    return status;
}

enum dbf_store_status dbf__pg_member_set(struct dbf_store *store, int64_t team, int64_t user,
                                         bool member)
{
    enum dbf_store_status status = dbf__pg_tx_begin(store);
    if (status != DBF_STORE_OK)
        return status;
    struct pg_params p = {0};
    dbf__pg_param_int(&p, team);
    dbf__pg_param_int(&p, user);
    long changed = 0;
    status = dbf__pg_run_changes(store, member ? &member_insert : &member_delete, &p, &changed);
    if (status == DBF_STORE_OK && changed > 0) {
        char target[48], detail[32];
        snprintf(target, sizeof target, "team:%lld", (long long)team);
        snprintf(detail, sizeof detail, "user:%lld", (long long)user);
        status = dbf__pg_audit(store, 0, member ? "member.add" : "member.remove", target, detail);
    }
    return dbf__pg_tx_end(store, status);
}

enum dbf_store_status dbf__pg_team_members(struct dbf_store *store, int64_t team,
                                           struct dbf_user **out, size_t *count)
{
    struct pg_params p = {0};
    dbf__pg_param_int(&p, team);
    PGresult *r;
    enum dbf_store_status status = dbf__pg_run(store, &team_exists, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    bool exists = PQntuples(r) > 0;
    PQclear(r);
    if (!exists)
        return dbf__store_fail(store, DBF_STORE_NOT_FOUND, "no team %lld", (long long)team);
    status = dbf__pg_run(store, &members_of_team, &p, &r);
    if (status != DBF_STORE_OK)
        return status;
    void *items;
    status = dbf__pg_collect(store, r, sizeof **out, read_user_row, &items, count);
    *out = items;
    return status;
}
