/* cmd_push.c: `debrief push`: a post mortem to a running server. */
#include "cli.h"

int cmd_push(int argc, char **argv)
{
    (void)argc, (void)argv;
    cli_error("'push' is not available in this build");
    return EXIT_USAGE;
}
