/* main.c: the `debrief` command: dispatches to a subcommand, git style.
 *
 * The team server's commands run in a program of their own, debrief-team
 * (team_main.c), which links what only they need: SQLite, libpq, libsodium,
 * h2o and curl. The review and the other commands on files then start
 * without loading those libraries and the dozens they pull in, a third of
 * what starting `debrief lint` on one file cost. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv); /* NULL: a team command, run by debrief-team */
    const char *summary;
};

static const struct command commands[] = {
    {"lint", cmd_lint, "review post mortems and report findings"},
    {"new", cmd_new, "write a new post mortem from the template"},
    {"triage", cmd_triage, "decide whether an incident needs a post mortem"},
    {"rules", cmd_rules, "list the review's rules, or explain one"},
    {"timeline", cmd_timeline, "derive an incident's durations; import chat into a timeline"},
    {"render", cmd_render, "render a post mortem as one self-contained HTML page"},
    {"actions", cmd_actions, "list action items across post mortems, overdue first"},
    {"patterns", cmd_patterns, "find the failures that recur across post mortems"},
    {"serve", NULL, "run the team server: web app and JSON API"},
    {"user", NULL, "add a user to the team server, set a password, make a token"},
    {"team", NULL, "add a team to the team server"},
    {"import", NULL, "load a folder of post mortems into the team server's database"},
    {"push", NULL, "send a post mortem to a running team server"},
    {"export", NULL, "write the team server's post mortems to a folder"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: debrief [--version] [--help] <command> [<args>]\n\n"
                 "debrief turns incidents into learning: it reviews post mortems as a\n"
                 "demanding reviewer from another team would.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "   %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "   %-8s %s\n", "help", "show the help of a command");
    fprintf(out,
            "\n'debrief <command> --help' tells more about a command; the manual is debrief(1).\n");
}

static const struct command *find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* Where debrief-team is: beside this program (a build tree, or an install
 * that put both in one folder), else where `meson install` puts it. */
static bool team_program(char *path, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *slash = n > 0 ? memrchr(self, '/', (size_t)n) : NULL;
    if (slash) {
        *slash = '\0';
        if ((size_t)snprintf(path, size, "%s/debrief-team", self) < size && access(path, X_OK) == 0)
            return true;
    }
    return (size_t)snprintf(path, size, "%s/debrief-team", DEBRIEF_LIBEXECDIR) < size &&
           access(path, X_OK) == 0;
}

/* Runs team command ARGV[0] with its arguments in debrief-team, which
 * takes this process over; returns only when it cannot. */
static int run_team(int argc, char **argv)
{
    char path[PATH_MAX];
    if (!team_program(path, sizeof path)) {
        cli_error("'%s' is run by debrief-team, which is neither beside this program nor in %s; "
                  "build or install debrief whole",
                  argv[0], DEBRIEF_LIBEXECDIR);
        return EXIT_USAGE;
    }
    char **team_argv = calloc((size_t)argc + 2, sizeof *team_argv);
    if (!team_argv) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    team_argv[0] = "debrief-team";
    memcpy(team_argv + 1, argv, (size_t)argc * sizeof *argv);
    execv(path, team_argv);
    cli_error("cannot run %s: %s", path, strerror(errno));
    free(team_argv);
    return EXIT_USAGE;
}

static int run(const struct command *c, int argc, char **argv)
{
    return c->run ? c->run(argc, argv) : run_team(argc, argv);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (cli_is_help(name)) {
        usage(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("debrief %s\n", DEBRIEF_VERSION);
        return 0;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return 0;
        }
        const struct command *c = find(argv[2]);
        if (!c) {
            cli_error("'%s' is not a debrief command; see 'debrief --help'", argv[2]);
            return EXIT_USAGE;
        }
        char *help_argv[] = {argv[2], "--help", NULL};
        return run(c, 2, help_argv);
    }
    const struct command *c = find(name);
    if (!c) {
        cli_error("'%s' is not a debrief command; see 'debrief --help'", name);
        return EXIT_USAGE;
    }
    return run(c, argc - 1, argv + 1);
}
