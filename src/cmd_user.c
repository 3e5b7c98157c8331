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

/* The options every subcommand may be given; each checks the ones it takes. */
struct user_options {
    const char *db;
    const char *role;
    const char *label;
    const char *teams[USER_MAX_TEAMS];
    size_t team_count;
    char **args; /* the operands after the subcommand */
    int arg_count;
};

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
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_option_error(c, argv, usage_text);
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

/* A subcommand: its operands and the options it takes besides --db. */
struct user_subcommand {
    const char *name;
    int operands;
    const char *operand_names; /* for "needs …" */
    bool role, teams, label;
    int (*run)(struct dbf_store *store, const struct user_options *o);
};

/* Refuses the options SUB does not take and a wrong number of operands. */
static bool check(const struct user_options *o, const struct user_subcommand *sub)
{
    const char *extra = (!sub->role && o->role)              ? "--role"
                        : (!sub->teams && o->team_count > 0) ? "--team"
                        : (!sub->label && o->label)          ? "--label"
                                                             : NULL;
    if (extra) {
        cli_error("'user %s' does not take %s", sub->name, extra);
        return false;
    }
    if (o->arg_count < sub->operands) {
        cli_error("'user %s' needs %s", sub->name, sub->operand_names);
        fputs(usage_text, stderr);
        return false;
    }
    if (o->arg_count > sub->operands) {
        if (sub->operands == 0)
            cli_error("'user %s' takes no arguments, not '%s'", sub->name, o->args[0]);
        else
            cli_error("'user %s' takes %s, not also '%s'", sub->name, sub->operand_names,
                      o->args[sub->operands]);
        return false;
    }
    enum dbf_role role;
    return !o->role || parse_role(o->role, &role);
}

static int user_add(struct dbf_store *store, const struct user_options *o)
{
    const char *name = o->args[0];
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

static int user_passwd(struct dbf_store *store, const struct user_options *o)
{
    struct dbf_user user;
    if (!cli_user_find(store, o->args[0], &user))
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

static int user_role(struct dbf_store *store, const struct user_options *o)
{
    enum dbf_role role;
    if (!dbf_role_parse(o->args[1], &role)) {
        cli_error("a role is viewer, author, reviewer or admin, not '%s'", o->args[1]);
        return EXIT_USAGE;
    }
    struct dbf_user user;
    if (!cli_user_find(store, o->args[0], &user))
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

static int user_token(struct dbf_store *store, const struct user_options *o)
{
    struct dbf_user user;
    if (!cli_user_find(store, o->args[0], &user))
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

static int user_list(struct dbf_store *store, const struct user_options *o)
{
    (void)o;
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

static const struct user_subcommand subcommands[] = {
    {"add", 1, "a NAME", true, true, false, user_add},
    {"passwd", 1, "a NAME", false, false, false, user_passwd},
    {"role", 2, "a NAME and a ROLE", false, false, false, user_role},
    {"token", 1, "a NAME", false, false, true, user_token},
    {"list", 0, "", false, false, false, user_list},
};

int cmd_user(int argc, char **argv)
{
    /* Options may come before the subcommand too: it is the first operand. */
    struct user_options o;
    int status = parse(argc, argv, &o);
    if (status >= 0)
        return status;
    if (o.arg_count == 0) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const struct user_subcommand *sub = NULL;
    for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++) {
        if (strcmp(o.args[0], subcommands[i].name) == 0)
            sub = &subcommands[i];
    }
    if (!sub) {
        cli_error("'%s' is not a 'user' subcommand: add, passwd, role, token or list", o.args[0]);
        return EXIT_USAGE;
    }
    o.args++;
    o.arg_count--;
    if (!check(&o, sub))
        return EXIT_USAGE;
    struct dbf_store *store = cli_store_open(o.db);
    if (!store)
        return EXIT_USAGE;
    status = sub->run(store, &o);
    dbf_store_close(store);
    return status;
}
