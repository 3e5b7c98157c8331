/* cmd_team.c: `debrief team`: the team server's teams and their members, in
 * its database. */
#include "cli.h"
#include "store_cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: debrief team <add|list|add-member|remove-member> [ARGS] [--db URL]\n"
    "\n"
    "Manages the teams of the team server, working on its database directly.\n"
    "\n"
    "  debrief team add NAME [--member USER]...\n"
    "                        add a team, with existing users as members\n"
    "  debrief team list     list the teams with their members\n"
    "  debrief team add-member TEAM USER...\n"
    "                        make users members of a team\n"
    "  debrief team remove-member TEAM USER...\n"
    "                        take users out of a team\n"
    "\n"
    "  -m, --member USER     a member of the new team (repeat for several)\n"
    "      --db URL          database (default $DEBRIEF_DB, else sqlite:debrief.db;\n"
    "                        postgres://... for PostgreSQL)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 done, 2 a usage error or a change the database refuses.\n";

#define TEAM_MAX_MEMBERS 256

struct team_options {
    const char *db;
    const char *members[TEAM_MAX_MEMBERS];
    size_t member_count;
    char **args; /* the subcommand and its operands */
    int arg_count;
};

/* The bit of each option in a subcommand's row. */
enum { TAKES_MEMBER = 1u << 0 };
static const char *const option_names[] = {"--member"};

/* Parses the options of ARGV (ARGV[0] the command's name); returns -1 to go
 * on, else the exit status. */
static int parse(int argc, char **argv, struct team_options *o)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"member", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":m:h", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->db = optarg;
            break;
        case 'm':
            if (o->member_count == TEAM_MAX_MEMBERS) {
                cli_error("at most %d --member options", TEAM_MAX_MEMBERS);
                return EXIT_USAGE;
            }
            o->members[o->member_count++] = optarg;
            break;
        default:
            return cli_option_help_or_error(c, argv, usage_text);
        }
    }
    o->args = argv + optind;
    o->arg_count = argc - optind;
    return -1;
}

/* Finds the COUNT users NAMES into OUT (allocated); false after printing
 * which one is missing. */
static bool find_users(struct dbf_store *store, const char *const *names, size_t count,
                       struct dbf_user **out)
{
    *out = calloc(count ? count : 1, sizeof **out);
    if (!*out) {
        cli_error("out of memory");
        return false;
    }
    for (size_t i = 0; i < count; i++) {
        if (!cli_user_find(store, names[i], &(*out)[i])) {
            free(*out);
            *out = NULL;
            return false;
        }
    }
    return true;
}

static int team_add(const struct cli_db_call *call)
{
    const struct team_options *o = call->options;
    struct dbf_store *store = call->store;
    const char *name = call->operands[0];
    struct dbf_user *users;
    if (!find_users(store, o->members, o->member_count, &users))
        return EXIT_USAGE;
    int64_t id = 0;
    enum dbf_store_status st = dbf_store_team_add(store, name, &id);
    int status = 0;
    if (st == DBF_STORE_CONFLICT) {
        cli_error("team '%s' already exists; add members with 'debrief team add-member %s USER'",
                  name, name);
        status = EXIT_USAGE;
    } else if (st != DBF_STORE_OK) {
        cli_store_error(store, st, "cannot add team '%s'", name);
        status = EXIT_USAGE;
    }
    for (size_t i = 0; status == 0 && i < o->member_count; i++) {
        st = dbf_store_member_add(store, id, users[i].id);
        if (st != DBF_STORE_OK) {
            cli_store_error(store, st, "team '%s' was added, but not its member '%s'", name,
                            users[i].name);
            status = EXIT_USAGE;
        }
    }
    if (status == 0) {
        printf("added team '%s'", name);
        for (size_t i = 0; i < o->member_count; i++)
            printf("%s'%s'", i == 0 ? " with members " : ", ", users[i].name);
        putchar('\n');
    }
    free(users);
    return status;
}

/* add-member and remove-member: TEAM then users. */
static int team_members_change(const struct cli_db_call *call, bool add)
{
    struct dbf_store *store = call->store;
    struct dbf_team team;
    if (!cli_team_find(store, call->operands[0], &team))
        return EXIT_USAGE;
    struct dbf_user *users;
    size_t count = (size_t)call->operand_count - 1;
    if (!find_users(store, (const char *const *)call->operands + 1, count, &users))
        return EXIT_USAGE;
    int status = 0;
    for (size_t i = 0; status == 0 && i < count; i++) {
        enum dbf_store_status st = add ? dbf_store_member_add(store, team.id, users[i].id)
                                       : dbf_store_member_remove(store, team.id, users[i].id);
        if (st != DBF_STORE_OK) {
            cli_store_error(store, st, "cannot %s '%s' %s team '%s'", add ? "add" : "remove",
                            users[i].name, add ? "to" : "from", team.name);
            status = EXIT_USAGE;
        } else {
            printf("%s '%s' %s team '%s'\n", add ? "added" : "removed", users[i].name,
                   add ? "to" : "from", team.name);
        }
    }
    free(users);
    return status;
}

static int team_add_member(const struct cli_db_call *call)
{
    return team_members_change(call, true);
}

static int team_remove_member(const struct cli_db_call *call)
{
    return team_members_change(call, false);
}

static int team_list(const struct cli_db_call *call)
{
    struct dbf_store *store = call->store;
    struct dbf_team *teams = NULL;
    size_t count = 0;
    enum dbf_store_status st = dbf_store_team_list(store, &teams, &count);
    if (st != DBF_STORE_OK) {
        cli_store_error(store, st, "cannot list the teams");
        return EXIT_USAGE;
    }
    size_t width = 4;
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(teams[i].name);
        width = n > width ? n : width;
    }
    printf("%-*s  %s\n", (int)width, "NAME", "MEMBERS");
    int status = 0;
    for (size_t i = 0; i < count; i++) {
        struct dbf_user *members = NULL;
        size_t n = 0;
        st = dbf_store_team_members(store, teams[i].id, &members, &n);
        if (st != DBF_STORE_OK) {
            cli_store_error(store, st, "cannot list the members of '%s'", teams[i].name);
            status = EXIT_USAGE;
            break;
        }
        printf("%-*s  ", (int)width, teams[i].name);
        for (size_t k = 0; k < n; k++)
            printf("%s%s", k ? ", " : "", members[k].name);
        puts(n ? "" : "-");
        free(members);
    }
    free(teams);
    return status;
}

static const struct cli_db_subcommand subcommands[] = {
    {"add", 1, 1, "a NAME", TAKES_MEMBER, team_add},
    {"list", 0, 0, "", 0, team_list},
    {"add-member", 2, -1, "a TEAM and at least one USER", 0, team_add_member},
    {"remove-member", 2, -1, "a TEAM and at least one USER", 0, team_remove_member},
};

static const struct cli_db_command team_command = {
    .name = "team",
    .usage = usage_text,
    .listing = "add, list, add-member or remove-member",
    .subcommands = subcommands,
    .subcommand_count = sizeof subcommands / sizeof *subcommands,
    .option_names = option_names,
};

int cmd_team(int argc, char **argv)
{
    struct team_options o;
    int status = parse(argc, argv, &o);
    if (status >= 0)
        return status;
    unsigned given = o.member_count > 0 ? TAKES_MEMBER : 0;
    return cli_db_subcommand_run(&team_command, o.args, o.arg_count, given, o.db, &o);
}
