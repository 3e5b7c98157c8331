/* cmd_triage.c: `debrief triage`. */
#include "cli.h"

int cmd_triage(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'triage' is not written yet");
    return EXIT_USAGE;
}
