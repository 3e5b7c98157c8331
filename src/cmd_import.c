/* cmd_import.c: `debrief import`: a folder of post mortems into the database. */
#include "cli.h"

int cmd_import(int argc, char **argv)
{
    (void)argc, (void)argv;
    cli_error("'import' is not available in this build");
    return EXIT_USAGE;
}
