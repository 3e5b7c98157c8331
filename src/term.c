/* term.c: whether to colour the output. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool cli_use_colour(const char *mode, FILE *stream)
{
    if (mode && strcmp(mode, "always") == 0)
        return true;
    if (mode && strcmp(mode, "never") == 0)
        return false;
    const char *no = getenv("NO_COLOR");
    if (no && *no)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(stream));
}
