/* cmd_new.c: `debrief new`. */
#include "cli.h"

int cmd_new(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'new' is not written yet");
    return EXIT_USAGE;
}
