/* options.c: the option checks every command shares. */
#include "cli.h"

#include <getopt.h>
#include <string.h>

bool cli_option_date(const char *option, const char *value, struct dbf_date *out)
{
    if (cli_parse_date(value, out))
        return true;
    cli_error("%s takes a date as YYYY-MM-DD, not '%s'", option, value);
    return false;
}

bool cli_option_colour(const char *value)
{
    if (strcmp(value, "auto") == 0 || strcmp(value, "always") == 0 || strcmp(value, "never") == 0)
        return true;
    cli_error("--color takes auto, always or never, not '%s'", value);
    return false;
}

int cli_option_error(int c, char **argv, const char *usage)
{
    if (c == ':')
        cli_error("option '%s' needs a value", argv[optind - 1]);
    else
        cli_error("unknown option '%s'\n\n%s", argv[optind - 1], usage);
    return EXIT_USAGE;
}

int cli_option_help_or_error(int c, char **argv, const char *usage)
{
    if (c != 'h')
        return cli_option_error(c, argv, usage);
    fputs(usage, stdout);
    return 0;
}

bool cli_option_one_folder(int argc, char **argv, const char *command, const char *needs,
                           const char *usage)
{
    if (argc - optind == 1)
        return true;
    if (optind < argc)
        cli_error("'%s' takes one folder, not also '%s'", command, argv[optind + 1]);
    else
        cli_error("'%s' needs %s", command, needs);
    fputs(usage, stderr);
    return false;
}
