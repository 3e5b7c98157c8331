/* cmd_new.c: `debrief new`, a new post mortem from the template. */
#include "cli.h"
#include "template.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char usage_text[] =
    "usage: debrief new [options]\n"
    "\n"
    "Writes a complete post mortem template: front matter with every key and\n"
    "every section with a hint on what belongs there. 'debrief lint' then\n"
    "shows what is still missing.\n"
    "\n"
    "  -o, --output FILE     write to FILE instead of standard output\n"
    "      --title TEXT      the problem customers had, e.g. 'Card payments\n"
    "                        declined for 22% of EU shoppers for 41 minutes'\n"
    "      --id ID           the post mortem's id (default: DATE-slug-of-title)\n"
    "      --date DATE       the incident's date, YYYY-MM-DD (default: today, UTC)\n"
    "      --severity SEV    SEV-1 (worst) to SEV-4; also sev1, P1, S1\n"
    "      --visibility V    public, internal (default) or restricted\n"
    "      --force           overwrite FILE if it exists\n"
    "  -h, --help            show this help\n";

/* SEV-2, sev2, Sev 2, P2, S2 → 2; 0 for anything else. */
static int parse_severity(const char *s)
{
    static const char *const prefixes[] = {"sev-", "sev ", "sev", "p", "s"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncasecmp(s, prefixes[i], n) == 0 && s[n] >= '1' && s[n] <= '4' && !s[n + 1])
            return s[n] - '0';
    }
    return 0;
}

static bool has_control_character(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static bool is_slug(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

static struct dbf_date today_utc(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return (struct dbf_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

/* Writes TEXT to PATH, or to standard output when PATH is NULL; "wx" makes
 * the refusal to overwrite atomic. */
static int write_out(const char *path, bool force, const struct dbf_buf *text)
{
    if (!path) {
        fwrite(text->data, 1, text->len, stdout);
        return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
    }
    FILE *f = fopen(path, force ? "w" : "wx");
    if (!f && errno == EEXIST) {
        cli_error("'%s' already exists; use --force to overwrite it", path);
        return EXIT_USAGE;
    }
    if (!f) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        return EXIT_USAGE;
    }
    bool ok = fwrite(text->data, 1, text->len, f) == text->len;
    if (fclose(f) != 0 || !ok) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        return EXIT_USAGE;
    }
    fprintf(stderr, "wrote %s; fill it in, then run 'debrief lint %s'\n", path, path);
    return 0;
}

int cmd_new(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"title", required_argument, NULL, 'T'},
        {"id", required_argument, NULL, 'i'},
        {"date", required_argument, NULL, 'd'},
        {"severity", required_argument, NULL, 's'},
        {"visibility", required_argument, NULL, 'v'},
        {"force", no_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct template_fields fields = {.today = today_utc(), .visibility = "internal"};
    fields.date = fields.today;
    const char *output = NULL;
    bool force = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'T':
            if (!*optarg || has_control_character(optarg)) {
                cli_error("--title takes one line of text");
                return EXIT_USAGE;
            }
            fields.title = optarg;
            break;
        case 'i':
            if (!is_slug(optarg)) {
                cli_error("--id takes letters, digits, '-', '_' and '.', not '%s'", optarg);
                return EXIT_USAGE;
            }
            fields.id = optarg;
            break;
        case 'd':
            if (!cli_option_date("--date", optarg, &fields.date))
                return EXIT_USAGE;
            break;
        case 's':
            fields.severity = parse_severity(optarg);
            if (!fields.severity) {
                cli_error("--severity takes SEV-1 to SEV-4, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'v':
            if (strcmp(optarg, "public") && strcmp(optarg, "internal") &&
                strcmp(optarg, "restricted")) {
                cli_error("--visibility takes public, internal or restricted, not '%s'", optarg);
                return EXIT_USAGE;
            }
            fields.visibility = optarg;
            break;
        case 'F':
            force = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_option_error(c, argv, usage_text);
        }
    }
    if (optind < argc) {
        cli_error("unexpected argument '%s'; the file goes after -o\n\n%s", argv[optind],
                  usage_text);
        return EXIT_USAGE;
    }
    if (output && strcmp(output, "-") == 0)
        output = NULL;
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    template_write(&text, &fields);
    int status = EXIT_USAGE;
    if (text.failed)
        cli_error("out of memory");
    else
        status = write_out(output, force, &text);
    dbf_buf_release(&text);
    return status;
}
