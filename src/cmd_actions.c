/* cmd_actions.c: `debrief actions`, the action items of many post mortems. */
#include "cli.h"
#include "debrief/actions.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: debrief actions [options] PATH...\n"
    "\n"
    "Lists the action items of post mortems (files, or folders searched for\n"
    "*.md; '-' reads standard input): overdue first, then by deadline.\n"
    "\n"
    "  -f, --format FORMAT     table (default), json, csv or ics\n"
    "      --owner NAME        only items owned by NAME or @handle (any case)\n"
    "      --status STATUS     only open or done items\n"
    "      --overdue           only open items past their deadline\n"
    "      --due-within N      only open items due within N days (14d, 2w, 30d),\n"
    "                          overdue ones included\n"
    "      --priority P        only items of priority P (P0-P4, or critical, high,\n"
    "                          medium, low, lowest); a comma-separated list works\n"
    "      --today DATE        take DATE (YYYY-MM-DD) as today (default: today, UTC)\n"
    "      --fail-on-overdue   exit 1 when an item listed is overdue\n"
    "      --color WHEN        auto (default), always or never; NO_COLOR is honoured\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 done, 1 overdue items with --fail-on-overdue, 2 usage error\n"
    "or a file that could not be read (the others are still listed).\n";

enum format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV, FORMAT_ICS };

static bool parse_format(const char *text, enum format *out)
{
    static const char *const names[] = {"table", "json", "csv", "ics"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (enum format)i;
            return true;
        }
    }
    return false;
}

/* "P1", "high,critical": the bits of the priorities named, or 0 when one is
 * not a priority. */
static unsigned parse_priorities(const char *text)
{
    unsigned bits = 0;
    char *copy = strdup(text);
    if (!copy)
        return 0;
    char *save = NULL;
    for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        enum dbf_priority priority = dbf_priority_parse(p);
        if (priority == DBF_PRIORITY_NONE) {
            bits = 0;
            break;
        }
        bits |= 1u << priority;
    }
    free(copy);
    return bits;
}

/* Prints why PATH could not be read, in the compiler's form. */
static void report_unreadable(const char *path, const char *err)
{
    int line = 0, column = 0;
    const char *text = err;
    if (sscanf(err, "%d:%d: ", &line, &column) == 2) {
        text = strstr(err, ": ");
        text = text ? text + 2 : err;
    }
    if (line > 0)
        cli_error("%s:%d:%d: %s", path, line, column, text);
    else
        cli_error("%s: %s", path, text);
}

static bool is_blank(const struct dbf_doc *doc)
{
    for (size_t i = 0; i < doc->source_len; i++)
        if (!strchr(" \t\r\n", doc->source[i]))
            return false;
    return true;
}

static struct dbf_date utc_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return (struct dbf_date){0, 0, 0};
    return (struct dbf_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

/* The columns the table may use: the terminal's, else $COLUMNS, else no limit. */
static int output_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *columns = getenv("COLUMNS");
    if (columns && *columns) {
        char *end;
        long n = strtol(columns, &end, 10);
        if (!*end && n > 0 && n < 10000)
            return (int)n;
    }
    return 0;
}

int cmd_actions(int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"owner", required_argument, NULL, 'O'},
        {"status", required_argument, NULL, 's'},
        {"overdue", no_argument, NULL, 'v'},
        {"due-within", required_argument, NULL, 'w'},
        {"priority", required_argument, NULL, 'p'},
        {"today", required_argument, NULL, 't'},
        {"fail-on-overdue", no_argument, NULL, 'F'},
        {"color", required_argument, NULL, 'o'},
        {"colour", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    enum format format = FORMAT_TABLE;
    struct dbf_action_filter filter = {0};
    struct dbf_date today = {0, 0, 0};
    bool has_today = false, fail_on_overdue = false;
    const char *colour = "auto";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!parse_format(optarg, &format)) {
                cli_error("unknown format '%s'; use table, json, csv or ics", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'O':
            if (!*optarg || strspn(optarg, "@ ") == strlen(optarg)) {
                cli_error("--owner takes a name or @handle, not '%s'", optarg);
                return EXIT_USAGE;
            }
            filter.owner = optarg;
            break;
        case 's':
            if (strcasecmp(optarg, "open") == 0)
                filter.status = DBF_STATUS_OPEN;
            else if (strcasecmp(optarg, "done") == 0)
                filter.status = DBF_STATUS_DONE;
            else {
                cli_error("--status takes open or done, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'v':
            filter.overdue = true;
            break;
        case 'w':
            if (!dbf_action_parse_window(optarg, &filter.due_within)) {
                cli_error("--due-within takes days or weeks such as 14d, 2w or 30d, not '%s'",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        case 'p':
            filter.priorities = parse_priorities(optarg);
            if (!filter.priorities) {
                cli_error("--priority takes P0 to P4 or critical, high, medium, low, lowest, "
                          "not '%s'",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        case 't':
            if (!cli_option_date("--today", optarg, &today))
                return EXIT_USAGE;
            has_today = true;
            break;
        case 'F':
            fail_on_overdue = true;
            break;
        case 'o':
            if (!cli_option_colour(optarg))
                return EXIT_USAGE;
            colour = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_option_error(c, argv, usage_text);
        }
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (!has_today)
        today = utc_today();

    struct cli_files files = {0};
    bool input_error = !cli_files_collect(&files, argv + optind, argc - optind);
    struct dbf_action_list *list = dbf_action_list_new(today);
    if (!list) {
        cli_error("out of memory");
        cli_files_free(&files);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < files.count; i++) {
        char err[512], buf[PATH_MAX];
        const char *path = cli_files_path(&files, i, buf, sizeof buf);
        struct dbf_doc *doc = path ? cli_load_doc(path, err, sizeof err) : NULL;
        if (!doc) {
            report_unreadable(path ? path : "-", path ? err : "0:0: the path is too long");
            input_error = true;
            continue;
        }
        if (is_blank(doc))
            cli_error("%s: empty file; no action items", path);
        if (!dbf_action_list_add(list, doc)) {
            report_unreadable(path, "out of memory");
            input_error = true;
        }
        dbf_doc_free(doc);
    }
    dbf_action_list_filter(list, &filter);
    dbf_action_list_sort(list);

    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    switch (format) {
    case FORMAT_TABLE:
        dbf_actions_write_table(list, output_width(), cli_use_colour(colour, stdout), &out);
        break;
    case FORMAT_JSON:
        dbf_actions_write_json(list, &out);
        break;
    case FORMAT_CSV:
        dbf_actions_write_csv(list, &out);
        break;
    case FORMAT_ICS: {
        /* With --today the output is the same on every run, for tests and diffs. */
        int64_t stamp = (int64_t)time(NULL);
        if (has_today) {
            struct tm tm = {
                .tm_year = today.year - 1900, .tm_mon = today.month - 1, .tm_mday = today.day};
            stamp = (int64_t)timegm(&tm);
        }
        dbf_actions_write_ics(list, stamp, &out);
        break;
    }
    }
    int status = 0;
    if (out.failed) {
        cli_error("out of memory");
        status = EXIT_USAGE;
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        cli_error("cannot write the output");
        status = EXIT_USAGE;
    } else if (input_error) {
        status = EXIT_USAGE;
    } else if (fail_on_overdue && dbf_action_list_summary(list).overdue > 0) {
        status = EXIT_FINDINGS;
    }
    dbf_buf_release(&out);
    dbf_action_list_free(list);
    cli_files_free(&files);
    return status;
}
