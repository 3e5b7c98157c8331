/* main.c: the `debrief` command: dispatches to a subcommand, git style. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
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
    {"serve", cmd_serve, "run the team server: web app and JSON API"},
    {"user", cmd_user, "add a user to the team server, set a password, make a token"},
    {"team", cmd_team, "add a team to the team server"},
    {"import", cmd_import, "load a folder of post mortems into the team server's database"},
    {"push", cmd_push, "send a post mortem to a running team server"},
    {"export", cmd_export, "write the team server's post mortems to a folder"},
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

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("debrief: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

bool cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

bool cli_parse_date(const char *text, struct dbf_date *out)
{
    int y, m, d;
    char tail;
    if (sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    *out = (struct dbf_date){y, m, d};
    return true;
}

static const struct command *find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
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
        return c->run(2, help_argv);
    }
    const struct command *c = find(name);
    if (!c) {
        cli_error("'%s' is not a debrief command; see 'debrief --help'", name);
        return EXIT_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}
