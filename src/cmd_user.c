/* cmd_user.c: `debrief user`: users of the team server. */
#include "cli.h"

int cmd_user(int argc, char **argv)
{
    (void)argc, (void)argv;
    cli_error("'user' is not available in this build");
    return EXIT_USAGE;
}
