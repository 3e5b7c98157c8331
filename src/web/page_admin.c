/* page_admin.c: the admin's pages of users (role, password) and teams
 * (members), and everyone's page of their own API tokens.
 *
 * The rules are the API's (people.h): names fit in a URL, passwords have 8
 * to 1024 bytes, the last admin keeps the role, every admin write is
 * audited. A form refused re-shows its page with why and what was typed
 * (never a password); one done answers 303 to its page. A new token's
 * secret is shown once, in the answer to the post that made it. */
#include "web.h"

#include "../serve/people.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* What a refused form typed, to show again beside why. */
struct typed {
    const char *message; /* why the form was refused, or NULL */
    const char *name, *role, *teams, *user;
};

static const char *const roles[] = {"viewer", "author", "reviewer", "admin"};

static void role_select(struct page *page, const char *id, const char *current)
{
    html(&page->body, "<select name=\"role\" id=\"%s\">", id);
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        html(&page->body, "<option value=\"%s\"%H>%s</option>", roles[i],
             current && strcmp(current, roles[i]) == 0 ? " selected" : "", roles[i]);
    html(&page->body, "</select>");
}

static void write_message(struct page *page, const struct typed *typed)
{
    if (typed && typed->message)
        html(&page->body, "<p class=\"error\" role=\"alert\">%s</p>\n", typed->message);
}

/* ---- Users ---- */

static void write_user_row(struct page *page, const struct dbf_user *user)
{
    struct dbf_team *teams = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_user_teams(page->app->store, user->id, &teams, &count);
    html(&page->body, "<tr><td>%s</td><td>%s</td><td>", user->name, dbf_role_name(user->role));
    for (size_t i = 0; st == DBF_STORE_OK && i < count; i++)
        html(&page->body, "%s%s", i ? ", " : "", teams[i].name);
    free(teams);
    char id[32];
    snprintf(id, sizeof id, "role-%lld", (long long)user->id);
    html(&page->body, "</td><td><form method=\"post\" action=\"/admin/users/%U\">", user->name);
    html_csrf_field(page);
    html(&page->body, "<label for=\"%s\">Role</label> ", id);
    role_select(page, id, dbf_role_name(user->role));
    html(&page->body, " <label>New password <input type=\"password\" name=\"password\" "
                      "autocomplete=\"new-password\" minlength=\"8\"></label> "
                      "<button type=\"submit\">Change</button></form></td></tr>\n");
}

/* Answers the users page with STATUS, showing TYPED (may be NULL). */
static void users_page(struct page *page, int status, const struct typed *typed)
{
    struct dbf_user *users = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_user_list(page->app->store, &users, &count);
    if (st != DBF_STORE_OK) {
        page_abandon(page);
        web_store_error(page->app, page->req, st);
        return;
    }
    write_message(page, typed);
    html(&page->body, "<p><a href=\"/admin/teams\">Teams and their members</a></p>\n");
    html(&page->body, "<table class=\"users\">\n<thead><tr><th>Name</th><th>Role</th>"
                      "<th>Teams</th><th>Change</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < count; i++)
        write_user_row(page, &users[i]);
    free(users);
    html(&page->body, "</tbody>\n</table>\n<h2>Add a user</h2>\n"
                      "<form method=\"post\" action=\"/admin/users\" class=\"stacked\">");
    html_csrf_field(page);
    html(&page->body,
         "<label>Name <input type=\"text\" name=\"name\" required value=\"%s\"></label>"
         "<label>Password <input type=\"password\" name=\"password\" required minlength=\"8\" "
         "autocomplete=\"new-password\"></label><label for=\"new-role\">Role</label>",
         typed && typed->name ? typed->name : "");
    role_select(page, "new-role", typed && typed->role ? typed->role : "author");
    html(&page->body,
         "<label>Teams, separated by commas <input type=\"text\" name=\"teams\" "
         "value=\"%s\"></label><button type=\"submit\">Add the user</button></form>\n",
         typed && typed->teams ? typed->teams : "");
    page_end(page, status);
}

int web_admin_users(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_ADMIN, "Users", "admin", &page))
        return 0;
    users_page(&page, 200, NULL);
    return 0;
}

/* Looks up the comma-separated team names of TEXT into *OUT (*COUNT of
 * them, the caller frees). Returns NULL on success, else why not (MESSAGE
 * is where it is written). */
static const char *read_teams(struct serve_app *app, const char *text, struct dbf_team **out,
                              size_t *count, char *message, size_t size)
{
    *count = 0;
    *out = calloc(strlen(text) / 2 + 2, sizeof **out);
    if (!*out)
        return "Out of memory.";
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *start = p;
        p += len + (p[len] == ',');
        while (len && isspace((unsigned char)*start))
            start++, len--;
        while (len && isspace((unsigned char)start[len - 1]))
            len--;
        if (!len)
            continue;
        char name[DBF_STORE_NAME_MAX + 1];
        snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1),
                 start);
        enum dbf_store_status st = dbf_store_team_get(app->store, name, &(*out)[*count]);
        if (st == DBF_STORE_NOT_FOUND || len >= sizeof name) {
            snprintf(message, size, "There is no team '%.64s'.", name);
            return message;
        }
        if (st != DBF_STORE_OK)
            return "The database failed; try again.";
        (*count)++;
    }
    return NULL;
}

int web_admin_user_add(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_ADMIN, "Users", "admin", &page))
        return 0;
    struct typed typed = {.name = request_form(req, "name"),
                          .role = request_form(req, "role"),
                          .teams = request_form(req, "teams")};
    const char *password = request_form(req, "password");
    enum dbf_role role = DBF_ROLE_VIEWER;
    char message[160];
    if (!typed.name || !*typed.name)
        typed.message = "Give the user a name.";
    else if (strlen(typed.name) > DBF_STORE_NAME_MAX || !people_name_fits_url(typed.name))
        typed.message = "That name cannot be used.";
    else if (!password || !people_password_fits(password))
        typed.message = "A password has 8 to 1024 bytes.";
    else if (typed.role && *typed.role && !dbf_role_parse(typed.role, &role))
        typed.message = "The role is viewer, author, reviewer or admin.";
    if (typed.message) {
        users_page(&page, 400, &typed);
        return 0;
    }
    struct dbf_team *teams = NULL;
    size_t count = 0;
    typed.message =
        read_teams(app, typed.teams ? typed.teams : "", &teams, &count, message, sizeof message);
    if (typed.message) {
        free(teams);
        users_page(&page, 400, &typed);
        return 0;
    }
    int64_t id = 0;
    enum dbf_store_status st =
        people_user_add(app, &page.auth, typed.name, password, role, teams, count, &id);
    free(teams);
    if (st == DBF_STORE_CONFLICT || st == DBF_STORE_INVALID) {
        snprintf(message, sizeof message, "%s",
                 st == DBF_STORE_CONFLICT ? "That user name is taken."
                                          : dbf_store_message(app->store));
        typed.message = message;
        users_page(&page, st == DBF_STORE_CONFLICT ? 409 : 400, &typed);
        return 0;
    }
    page_end_stored(&page, st, "/admin/users");
    return 0;
}

int web_admin_user_update(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct page page;
    if (!page_begin(app, req, AUTH_ADMIN, "Users", "admin", &page))
        return 0;
    const char *name = request_param(req, params, "name");
    struct dbf_user user;
    enum dbf_store_status st =
        name ? dbf_store_user_get(app->store, name, &user) : DBF_STORE_NOT_FOUND;
    if (st != DBF_STORE_OK) {
        page_abandon(&page);
        if (st == DBF_STORE_NOT_FOUND)
            web_error(app, req, 404, "There is no such user.");
        else
            web_store_error(app, req, st);
        return 0;
    }
    const char *role_name = request_form(req, "role");
    const char *password = request_form(req, "password");
    struct typed typed = {0};
    enum dbf_role role = user.role;
    if (role_name && *role_name && !dbf_role_parse(role_name, &role))
        typed.message = "The role is viewer, author, reviewer or admin.";
    else if (password && *password && !people_password_fits(password))
        typed.message = "A password has 8 to 1024 bytes.";
    if (typed.message) {
        users_page(&page, 400, &typed);
        return 0;
    }
    st = people_set_role(app, &page.auth, &user, role);
    if (st == DBF_STORE_CONFLICT) {
        typed.message = "This is the last admin; make another first.";
        users_page(&page, 409, &typed);
        return 0;
    }
    if (st == DBF_STORE_OK && password && *password) {
        st = dbf_store_user_set_password(app->store, user.id, password);
        if (st == DBF_STORE_OK)
            people_audit(app, &page.auth, "admin.user.password", user.name, NULL);
    }
    page_end_stored(&page, st, "/admin/users");
    return 0;
}

/* ---- Teams ---- */

static void write_team(struct page *page, const struct dbf_team *team)
{
    struct dbf_user *members = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_team_members(page->app->store, team->id, &members, &count);
    html(&page->body, "<section class=\"team\"><h2>%s</h2>\n", team->name);
    if (st != DBF_STORE_OK || !count)
        html(&page->body, "<p>No members.</p>\n");
    else
        html(&page->body, "<ul class=\"members\">\n");
    for (size_t i = 0; st == DBF_STORE_OK && i < count; i++) {
        html(&page->body,
             "<li>%s <form method=\"post\" action=\"/admin/teams/%U/members\" class=\"inline\">",
             members[i].name, team->name);
        html_csrf_field(page);
        html(&page->body,
             "<input type=\"hidden\" name=\"user\" value=\"%s\">"
             "<input type=\"hidden\" name=\"action\" value=\"remove\">"
             "<button type=\"submit\">Remove %s</button></form></li>\n",
             members[i].name, members[i].name);
    }
    if (st == DBF_STORE_OK && count)
        html(&page->body, "</ul>\n");
    free(members);
    html(&page->body, "<form method=\"post\" action=\"/admin/teams/%U/members\" class=\"inline\">",
         team->name);
    html_csrf_field(page);
    html(&page->body,
         "<input type=\"hidden\" name=\"action\" value=\"add\">"
         "<label>User <input type=\"text\" name=\"user\" required></label> "
         "<button type=\"submit\">Add to %s</button></form></section>\n",
         team->name);
}

/* Answers the teams page with STATUS, showing TYPED (may be NULL). */
static void teams_page(struct page *page, int status, const struct typed *typed)
{
    struct dbf_team *teams = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_team_list(page->app->store, &teams, &count);
    if (st != DBF_STORE_OK) {
        page_abandon(page);
        web_store_error(page->app, page->req, st);
        return;
    }
    write_message(page, typed);
    html(&page->body, "<p><a href=\"/admin/users\">Users, their roles and passwords</a></p>\n");
    if (!count)
        html(&page->body, "<p>No team yet.</p>\n");
    for (size_t i = 0; i < count; i++)
        write_team(page, &teams[i]);
    free(teams);
    html(&page->body, "<h2>Add a team</h2>\n<form method=\"post\" action=\"/admin/teams\">");
    html_csrf_field(page);
    html(&page->body,
         "<label>Name <input type=\"text\" name=\"name\" required value=\"%s\"></label> "
         "<button type=\"submit\">Add the team</button></form>\n",
         typed && typed->name ? typed->name : "");
    page_end(page, status);
}

int web_admin_teams(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_ADMIN, "Teams", "admin", &page))
        return 0;
    teams_page(&page, 200, NULL);
    return 0;
}

int web_admin_team_add(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_ADMIN, "Teams", "admin", &page))
        return 0;
    struct typed typed = {.name = request_form(req, "name")};
    if (!typed.name || !*typed.name)
        typed.message = "Give the team a name.";
    else if (strlen(typed.name) > DBF_STORE_NAME_MAX || !people_name_fits_url(typed.name))
        typed.message = "That name cannot be used.";
    if (typed.message) {
        teams_page(&page, 400, &typed);
        return 0;
    }
    enum dbf_store_status st = dbf_store_team_add(app->store, typed.name, NULL);
    if (st == DBF_STORE_CONFLICT || st == DBF_STORE_INVALID) {
        char message[160];
        snprintf(message, sizeof message, "%s",
                 st == DBF_STORE_CONFLICT ? "That team name is taken."
                                          : dbf_store_message(app->store));
        typed.message = message;
        teams_page(&page, st == DBF_STORE_CONFLICT ? 409 : 400, &typed);
        return 0;
    }
    if (st == DBF_STORE_OK)
        people_audit(app, &page.auth, "admin.team.add", typed.name, NULL);
    page_end_stored(&page, st, "/admin/teams");
    return 0;
}

int web_admin_member(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct page page;
    if (!page_begin(app, req, AUTH_ADMIN, "Teams", "admin", &page))
        return 0;
    const char *team_name = request_param(req, params, "name");
    struct dbf_team team;
    enum dbf_store_status st =
        team_name ? dbf_store_team_get(app->store, team_name, &team) : DBF_STORE_NOT_FOUND;
    if (st != DBF_STORE_OK) {
        page_abandon(&page);
        if (st == DBF_STORE_NOT_FOUND)
            web_error(app, req, 404, "There is no such team.");
        else
            web_store_error(app, req, st);
        return 0;
    }
    const char *action = request_form(req, "action");
    const char *name = request_form(req, "user");
    bool add = action && strcmp(action, "add") == 0;
    struct typed typed = {0};
    struct dbf_user user;
    char message[160];
    if (!add && !(action && strcmp(action, "remove") == 0)) {
        typed.message = "The action is add or remove.";
    } else {
        st = name && *name ? dbf_store_user_get(app->store, name, &user) : DBF_STORE_NOT_FOUND;
        if (st == DBF_STORE_NOT_FOUND) {
            snprintf(message, sizeof message, "There is no user '%.64s'.", name ? name : "");
            typed.message = message;
        }
    }
    if (typed.message) {
        teams_page(&page, 400, &typed);
        return 0;
    }
    if (st == DBF_STORE_OK)
        st = add ? dbf_store_member_add(app->store, team.id, user.id)
                 : dbf_store_member_remove(app->store, team.id, user.id);
    if (st == DBF_STORE_OK)
        people_audit(app, &page.auth, add ? "admin.member.add" : "admin.member.remove", team.name,
                     user.name);
    page_end_stored(&page, st, "/admin/teams");
    return 0;
}

/* ---- Tokens ---- */

/* Answers the tokens page with STATUS; SECRET, when not NULL, is the new
 * token's, shown this once. */
static void tokens_page(struct page *page, int status, const char *secret, const char *label)
{
    struct dbf_token *tokens = NULL;
    size_t count = 0;
    enum dbf_store_status st =
        dbf_store_token_list(page->app->store, page->auth.user.id, &tokens, &count);
    if (st != DBF_STORE_OK) {
        page_abandon(page);
        web_store_error(page->app, page->req, st);
        return;
    }
    if (secret)
        html(&page->body,
             "<section class=\"secret\" role=\"status\"><h2>Your new token %s</h2>"
             "<p>Copy it now: it is shown this once and cannot be shown again.</p>"
             "<p><code class=\"token\">%s</code></p></section>\n",
             label, secret);
    if (!count)
        html(&page->body, "<p>You have no token.</p>\n");
    else
        html(&page->body, "<table class=\"tokens\">\n<thead><tr><th>Label</th><th>Made</th>"
                          "<th>Revoked</th><th><span class=\"visually-hidden\">Revoke</span></th>"
                          "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < count; i++) {
        char made[40], revoked[40];
        html(&page->body, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", tokens[i].label,
             web_time(tokens[i].created, made, sizeof made),
             web_time(tokens[i].revoked, revoked, sizeof revoked));
        if (!tokens[i].revoked) {
            html(&page->body, "<form method=\"post\" action=\"/tokens/%I/revoke\">", tokens[i].id);
            html_csrf_field(page);
            html(&page->body, "<button type=\"submit\">Revoke %s</button></form>", tokens[i].label);
        }
        html(&page->body, "</td></tr>\n");
    }
    if (count)
        html(&page->body, "</tbody>\n</table>\n");
    free(tokens);
    html(&page->body, "<h2>Make a token</h2>\n<form method=\"post\" action=\"/tokens\">");
    html_csrf_field(page);
    html(&page->body,
         "<label>Label <input type=\"text\" name=\"label\" maxlength=\"%d\">"
         "</label> <button type=\"submit\">Make a token</button></form>\n",
         DBF_STORE_NAME_MAX);
    page_end(page, status);
}

int web_tokens(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "API tokens", "tokens", &page))
        return 0;
    tokens_page(&page, 200, NULL, NULL);
    return 0;
}

int web_token_add(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "API tokens", "tokens", &page))
        return 0;
    const char *label = request_form(req, "label");
    if (!label)
        label = "";
    if (strlen(label) > DBF_STORE_NAME_MAX) {
        html(&page.body, "<p class=\"error\" role=\"alert\">A label has %d bytes at most.</p>\n",
             DBF_STORE_NAME_MAX);
        tokens_page(&page, 400, NULL, NULL);
        return 0;
    }
    char token[DBF_STORE_SECRET_LEN + 1];
    int64_t id = 0;
    enum dbf_store_status st =
        dbf_store_token_new(app->store, page.auth.user.id, label, token, &id);
    if (st != DBF_STORE_OK) {
        page_abandon(&page);
        web_store_error(app, req, st);
        return 0;
    }
    /* Shown in this answer only: a redirect would have to carry it in a URL. */
    tokens_page(&page, 201, token, label);
    memset(token, 0, sizeof token);
    return 0;
}

int web_token_revoke(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "API tokens", "tokens", &page))
        return 0;
    page_abandon(&page);
    const char *text = request_param(req, params, "id");
    char *end = NULL;
    long long id = text && isdigit((unsigned char)*text) ? strtoll(text, &end, 10) : 0;
    enum dbf_store_status st =
        id > 0 && end && !*end ? dbf_store_token_revoke(app->store, page.auth.user.id, (int64_t)id)
                               : DBF_STORE_NOT_FOUND;
    if (st == DBF_STORE_NOT_FOUND)
        web_error(app, req, 404, "You have no such live token.");
    else if (st != DBF_STORE_OK)
        web_store_error(app, req, st);
    else
        web_redirect(req, "/tokens");
    return 0;
}
