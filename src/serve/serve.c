/* serve.c: `debrief serve`, the team server. */
#include "../cli.h"

static const char usage_text[] =
    "usage: debrief serve [--listen ADDR:PORT] [--db URL]\n\nServes the web app and the JSON API.\n\n"
    "  -h, --help   show this help\n";

int cmd_serve(int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1])) {
        fputs(usage_text, stdout);
        return 0;
    }
    cli_error("'serve' is not available yet");
    return EXIT_USAGE;
}
