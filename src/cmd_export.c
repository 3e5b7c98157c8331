/* cmd_export.c: `debrief export`: the database's post mortems to a folder. */
#include "cli.h"

int cmd_export(int argc, char **argv)
{
    (void)argc, (void)argv;
    cli_error("'export' is not available in this build");
    return EXIT_USAGE;
}
