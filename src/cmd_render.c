/* cmd_render.c: `debrief render`. */
#include "cli.h"

#include <string.h>

static const char usage_text[] = "usage: debrief render FILE\n\nRenders a post mortem as one self-contained HTML page.\n\n  -h, --help   show this help\n";

int cmd_render(int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1])) {
        fputs(usage_text, stdout);
        return 0;
    }
    cli_error("'render' is not available yet");
    return EXIT_USAGE;
}
