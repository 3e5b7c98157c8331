/* team_main.c: debrief-team, the program that runs the team server's
 * commands for `debrief` (main.c): `debrief serve ...` runs `debrief-team
 * serve ...`. Its messages and usage speak of `debrief <command>`, which is
 * how people run them. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"serve", cmd_serve},   {"user", cmd_user}, {"team", cmd_team},
    {"import", cmd_import}, {"push", cmd_push}, {"export", cmd_export},
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

int main(int argc, char **argv)
{
    for (size_t i = 0; argc >= 2 && i < COMMAND_COUNT; i++)
        if (strcmp(commands[i].name, argv[1]) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fputs("debrief: debrief-team runs the team commands of debrief (", stderr);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", commands[i].name);
    fputs("); run them as 'debrief <command>'\n", stderr);
    return EXIT_USAGE;
}
