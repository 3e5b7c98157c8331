/* cmd_patterns.c: `debrief patterns`. */
#include "cli.h"

static const char usage_text[] = "usage: debrief patterns DIR...\n\nWorks across post mortems.\n\n  -h, --help   show this help\n";

int cmd_patterns(int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1])) {
        fputs(usage_text, stdout);
        return 0;
    }
    cli_error("'patterns' is not available yet");
    return EXIT_USAGE;
}
