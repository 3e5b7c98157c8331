/* cmd_team.c: `debrief team`: teams of the team server. */
#include "cli.h"

int cmd_team(int argc, char **argv)
{
    (void)argc, (void)argv;
    cli_error("'team' is not available in this build");
    return EXIT_USAGE;
}
