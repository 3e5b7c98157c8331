/* cmd_timeline.c: `debrief timeline`. */
#include "cli.h"

#include <string.h>

static const char usage_text[] = "usage: debrief timeline FILE\n\nDerives the durations of an incident from its timeline.\n\n  -h, --help   show this help\n";

int cmd_timeline(int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1])) {
        fputs(usage_text, stdout);
        return 0;
    }
    cli_error("'timeline' is not available yet");
    return EXIT_USAGE;
}
