/* cmd_timeline_import.c: `debrief timeline import`. */
#include "cli.h"

#include <string.h>

static const char usage_text[] = "usage: debrief timeline import EXPORT\n\nTurns a chat export into timeline entries.\n\n  -h, --help   show this help\n";

int cmd_timeline_import(int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1])) {
        fputs(usage_text, stdout);
        return 0;
    }
    cli_error("'timeline import' is not available yet");
    return EXIT_USAGE;
}
