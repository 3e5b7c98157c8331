/* cmd_user.c: `debrief user`: the team server's accounts, in its database:
 * add, set a password or a role, make an API token, list. */
#include "cli.h"
#include "store_cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: debrief user <add|passwd|role|token|list> [ARGS] [--db URL]\n"
    "\n"
    "Manages the accounts of the team server, working on its database directly.\n"
    "\n"
    "  debrief user add NAME [--role ROLE] [--team TEAM]...\n"
    "                        add a user; the password comes from standard input\n"
    "                        when it is not a terminal, else it is asked twice\n"
    "  debrief user passwd NAME\n"
    "                        set a new password, read the same way\n"
    "  debrief user role NAME ROLE\n"
    "                        change a user's role\n"
    "  debrief user token NAME [--label TEXT]\n"
    "                        print a new API token for NAME (only its hash is kept)\n"
    "  debrief user list     list the users with their roles and teams\n"
    "\n"
    "  -r, --role ROLE       viewer (the default), author, reviewer or admin\n"
    "  -t, --team TEAM       make the new user a member of TEAM, which must exist\n"
    "                        (repeat for several teams)\n"
    "      --label TEXT      what the token is for, up to 64 bytes\n"
    "      --db URL          database (default $DEBRIEF_DB, else sqlite:debrief.db;\n"
    "                        postgres://... for PostgreSQL)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 done, 2 a usage error or a change the database refuses.\n";

#define USER_MAX_TEAMS 32

/* The options every subcommand may be given; its row says which it takes. */
struct user_options {
    const char *db;
    const char *role;
    const char *label;
    const char *teams[USER_MAX_TEAMS];
    size_t team_count;
    char **args; /* the subcommand and its operands */
    int arg_count;
};

/* The bit of each option in a subcommand's row, in the order they are
 * refused. */
enum { TAKES_ROLE = 1u << 0, TAKES_TEAM = 1u << 1, TAKES_LABEL = 1u << 2 };
static const char *const option_names[] = {"--role", "--team", "--label"};

/* Parses the options of ARGV (ARGV[0] the command's name); returns -1 to go
 * on, else the exit status. */
static int parse(int argc, char **argv, struct user_options *o)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},   {"role", required_argument, NULL, 'r'},
        {"team", required_argument, NULL, 't'}, {"label", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":r:t:h", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->db = optarg;
            break;
        case 'r':
            o->role = optarg;
            break;
        case 't':
            if (o->team_count == USER_MAX_TEAMS) {
                cli_error("at most %d --team options", USER_MAX_TEAMS);
                return EXIT_USAGE;
            }
            o->teams[o->team_count++] = optarg;
            break;
        case 'l':
            o->label = optarg;
            break;
        default:
            return cli_option_help_or_error(c, argv, usage_text);
        }
    }
    o->args = argv + optind;
    o->arg_count = argc - optind;
    return -1;
}

static bool parse_role(const char *text, enum dbf_role *out)
{
    if (dbf_role_parse(text, out))
        return true;
    cli_error("--role takes viewer, author, reviewer or admin, not '%s'", text);
    return false;
}

/* The value of --role, when given, before the database is opened. */
static bool check_role(const void *options)
{
    const struct user_options *o = options;
    enum dbf_role role;
    return !o->role || parse_role(o->role, &role);
}

static int user_add(const struct cli_db_call *call)
{
    const struct user_options *o = call->options;
    struct dbf_store *store = call->store;
    const char *name = call->operands[0];
    enum dbf_role role = DBF_ROLE_VIEWER;
    if (o->role && !parse_role(o->role, &role))
        return EXIT_USAGE;
    struct dbf_team teams[USER_MAX_TEAMS];
    for (size_t i = 0; i < o->team_count; i++) {
        if (!cli_team_find(store, o->teams[i], &teams[i]))
            return EXIT_USAGE;
    }
    struct dbf_user existing;
    if (dbf_store_user_get(store, name, &existing) == DBF_STORE_OK) {
        cli_error("user '%s' already exists", name);
        return EXIT_USAGE;
    }
    char *password = cli_password_read(name);
    if (!password)
        return EXIT_USAGE;
    int64_t id = 0;
    enum dbf_store_status st = dbf_store_user_add(store, name, password, role, &id);
    cli_password_free(password);
    if (st == DBF_STORE_CONFLICT) {
        cli_error("user '%s' already exists", name);
        return EXIT_USAGE;
    }
    if (st != DBF_STORE_OK) {
        cli_store_error(store, st, "cannot add user '%s'", name);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < o->team_count; i++) {
        st = dbf_store_member_add(store, teams[i].id, id);
        if (st != DBF_STORE_OK) {
            cli_store_error(store, st, "user '%s' was added, but not to team '%s'", name,
                            teams[i].name);
            return EXIT_USAGE;
        }
    }
    printf("added user '%s' (%s)", name, dbf_role_name(role));
    for (size_t i = 0; i < o->team_count; i++)
        printf("%s'%s'", i == 0 ? " to team " : ", ", teams[i].name);
    putchar('\n');
    return 0;
}

static int user_passwd(const struct cli_db_call *call)
{
    struct dbf_store *store = call->store;
    struct dbf_user user;
    if (!cli_user_find(store, call->operands[0], &user))
        return EXIT_USAGE;
    char *password = cli_password_read(user.name);
    if (!password)
        return EXIT_USAGE;
    enum dbf_store_status st = dbf_store_user_set_password(store, user.id, password);
    cli_password_free(password);
    if (st != DBF_STORE_OK) {
        cli_store_error(store, st, "cannot set the password of '%s'", user.name);
        return EXIT_USAGE;
    }
    printf("set a new password for '%s'\n", user.name);
    return 0;
}

static int user_role(const struct cli_db_call *call)
{
    struct dbf_store *store = call->store;
    enum dbf_role role;
    if (!dbf_role_parse(call->operands[1], &role)) {
        cli_error("a role is viewer, author, reviewer or admin, not '%s'", call->operands[1]);
        return EXIT_USAGE;
    }
    struct dbf_user user;
    if (!cli_user_find(store, call->operands[0], &user))
        return EXIT_USAGE;
    enum dbf_store_status st = dbf_store_user_set_role(store, user.id, role);
    if (st != DBF_STORE_OK) {
        cli_store_error(store, st, "cannot change the role of '%s'", user.name);
        return EXIT_USAGE;
    }
    printf("'%s' is now %s %s\n", user.name, role == DBF_ROLE_ADMIN ? "an" : "a",
           dbf_role_name(role));
    return 0;
}

static int user_token(const struct cli_db_call *call)
{
    const struct user_options *o = call->options;
    struct dbf_store *store = call->store;
    struct dbf_user user;
    if (!cli_user_find(store, call->operands[0], &user))
        return EXIT_USAGE;
    char token[DBF_STORE_SECRET_LEN + 1];
    enum dbf_store_status st = dbf_store_token_new(
        store, user.id, o->label ? o->label : "debrief user token", token, NULL);
    if (st != DBF_STORE_OK) {
        cli_store_error(store, st, "cannot make a token for '%s'", user.name);
        return EXIT_USAGE;
    }
    /* Only the token on standard output, so that TOKEN=$(debrief user token
     * NAME) works. */
    puts(token);
    return 0;
}

/* "a, b" of the teams of USER, in BUF. */
static const char *teams_of(struct dbf_store *store, const struct dbf_user *user, char *buf,
                            size_t size)
{
    struct dbf_team *teams = NULL;
    size_t count = 0;
    snprintf(buf, size, "-");
    if (dbf_store_user_teams(store, user->id, &teams, &count) != DBF_STORE_OK)
        return buf;
    size_t n = 0;
    for (size_t i = 0; i < count && n < size; i++) {
        int k = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", teams[i].name);
        if (k < 0)
            break;
        n += (size_t)k;
    }
    free(teams);
    return buf;
}

static int user_list(const struct cli_db_call *call)
{
    struct dbf_store *store = call->store;
    struct dbf_user *users = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_user_list(store, &users, &count);
    if (st != DBF_STORE_OK) {
        cli_store_error(store, st, "cannot list the users");
        return EXIT_USAGE;
    }
    size_t width = 4;
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(users[i].name);
        width = n > width ? n : width;
    }
    printf("%-*s  %-8s  %s\n", (int)width, "NAME", "ROLE", "TEAMS");
    for (size_t i = 0; i < count; i++) {
        char teams[1024];
        printf("%-*s  %-8s  %s\n", (int)width, users[i].name, dbf_role_name(users[i].role),
               teams_of(store, &users[i], teams, sizeof teams));
    }
    free(users);
    return 0;
}

static const struct cli_db_subcommand subcommands[] = {
    {"add", 1, 1, "a NAME", TAKES_ROLE | TAKES_TEAM, user_add},
    {"passwd", 1, 1, "a NAME", 0, user_passwd},
    {"role", 2, 2, "a NAME and a ROLE", 0, user_role},
    {"token", 1, 1, "a NAME", TAKES_LABEL, user_token},
    {"list", 0, 0, "", 0, user_list},
};

static const struct cli_db_command user_command = {
    .name = "user",
    .usage = usage_text,
    .listing = "add, passwd, role, token or list",
    .subcommands = subcommands,
    .subcommand_count = sizeof subcommands / sizeof *subcommands,
    .option_names = option_names,
    .check = check_role,
};

int cmd_user(int argc, char **argv)
{
    struct user_options o;
    int status = parse(argc, argv, &o);
    if (status >= 0)
        return status;
    unsigned given = (o.role ? TAKES_ROLE : 0) | (o.team_count > 0 ? TAKES_TEAM : 0) |
                     (o.label ? TAKES_LABEL : 0);
    return cli_db_subcommand_run(&user_command, o.args, o.arg_count, given, o.db, &o);
}
