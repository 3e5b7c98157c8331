/* cmd_patterns.c: `debrief patterns`, the failures that recur across post mortems. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: debrief patterns [options] PATH...\n"
    "\n"
    "Classifies the causes, why chains and action items of the post mortems\n"
    "under PATH (files, or folders searched for *.md) into categories of\n"
    "failure, counts them by period and names the ones that recur; flags fixes\n"
    "promised twice and open action items past the deadline rule; follows time\n"
    "to detect and to mitigate, severities, completion and review scores.\n"
    "\n"
    "  -f, --format FORMAT   text (default) or json\n"
    "      --html FILE       also write an HTML report with charts to FILE\n"
    "                        ('-' for standard output, instead of FORMAT)\n"
    "  -p, --period UNIT     quarter (default) or month\n"
    "      --since DATE      leave out post mortems before DATE (YYYY-MM-DD)\n"
    "      --today DATE      take DATE as today for the age of open items\n"
    "      --config FILE     use FILE instead of the nearest .debrief.yml\n"
    "      --color WHEN      auto (default), always or never; NO_COLOR is honoured\n"
    "  -h, --help            show this help\n"
    "\n"
    "The taxonomy, the recurrence rule (3 post mortems in a period, or 2\n"
    "periods running) and the similarity of repeated items are set under\n"
    "'patterns:' in .debrief.yml; see docs/configuration.md.\n"
    "\n"
    "Exit status: 0 done, 2 usage error or a file that could not be read\n"
    "or is not a post mortem (named on standard error; the others are still\n"
    "counted). An empty file is named on standard error but is no error.\n";

struct patterns_args {
    const char *format, *html, *config_path, *colour;
    struct dbf_pattern_options options;
    bool has_today;
};

static int parse_args(int argc, char **argv, struct patterns_args *a)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'}, {"html", required_argument, NULL, 'H'},
        {"period", required_argument, NULL, 'p'}, {"since", required_argument, NULL, 's'},
        {"today", required_argument, NULL, 't'},  {"config", required_argument, NULL, 'C'},
        {"color", required_argument, NULL, 'o'},  {"colour", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:p:h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
                cli_error("unknown format '%s'; use text or json", optarg);
                return EXIT_USAGE;
            }
            a->format = optarg;
            break;
        case 'H':
            a->html = optarg;
            break;
        case 'p':
            if (strcmp(optarg, "quarter") == 0)
                a->options.unit = DBF_PERIOD_QUARTER;
            else if (strcmp(optarg, "month") == 0)
                a->options.unit = DBF_PERIOD_MONTH;
            else {
                cli_error("--period takes month or quarter, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 's':
        case 't': {
            struct dbf_date *d = c == 's' ? &a->options.since : &a->options.today;
            if (!cli_parse_date(optarg, d)) {
                cli_error("--%s takes a date as YYYY-MM-DD, not '%s'", c == 's' ? "since" : "today",
                          optarg);
                return EXIT_USAGE;
            }
            a->has_today = a->has_today || c == 't';
            break;
        }
        case 'C':
            a->config_path = optarg;
            break;
        case 'o':
            if (!cli_option_colour(optarg))
                return EXIT_USAGE;
            a->colour = optarg;
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
    return -1;
}

/* The configuration: --config, else the nearest .debrief.yml to the first
 * path, else the defaults. NULL after printing why when it cannot be read. */
static struct dbf_config *load_config(const struct patterns_args *a, const char *first_path)
{
    return cli_load_config(a->config_path, first_path, a->has_today ? &a->options.today : NULL);
}

static bool is_blank(const struct dbf_doc *doc)
{
    for (size_t i = 0; i < doc->source_len; i++)
        if (!strchr(" \t\r\n", doc->source[i]))
            return false;
    return true;
}

/* Adds every file to REPORT; returns false when any could not be read. */
static bool add_files(struct dbf_pattern_report *report, const struct cli_files *files)
{
    bool ok = true;
    for (size_t i = 0; i < files->count; i++) {
        char buf[PATH_MAX];
        const char *path = cli_files_path(files, i, buf, sizeof buf);
        if (!path) {
            cli_error("a path is longer than %d bytes", PATH_MAX);
            ok = false;
            continue;
        }
        char err[512];
        struct dbf_doc *doc = strcmp(path, "-") == 0 ? NULL : dbf_doc_load(path, err, sizeof err);
        if (strcmp(path, "-") == 0) {
            cli_error("'-': patterns reads files and folders, not standard input");
            ok = false;
            continue;
        }
        if (!doc) {
            int line = 0, column = 0;
            const char *text = err;
            if (sscanf(err, "%d:%d: ", &line, &column) == 2 && strstr(err, ": "))
                text = strstr(err, ": ") + 2;
            if (line > 0)
                cli_error("%s:%d:%d: %s; left out", path, line, column, text);
            else
                cli_error("%s: %s; left out", path, text);
            ok = false;
            continue;
        }
        if (is_blank(doc)) {
            cli_error("%s: empty file; left out", path); /* a note, as in 'actions': no error */
        } else if (!dbf_pattern_report_add(report, doc)) {
            cli_error("%s: out of memory", path);
            ok = false;
        }
        dbf_doc_free(doc);
    }
    return ok;
}

static bool write_file(const char *path, const struct dbf_buf *buf)
{
    if (strcmp(path, "-") == 0)
        return fwrite(buf->data, 1, buf->len, stdout) == buf->len;
    FILE *f = fopen(path, "wb");
    if (!f) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(buf->data, 1, buf->len, f) == buf->len;
    if (fclose(f) != 0 || !ok) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* Names the post mortems that could not be dated, so that a missing count
 * is never a mystery. */
static void note_undated(const struct dbf_pattern_result *res)
{
    for (size_t i = 0; i < res->doc_count; i++)
        if (res->docs[i].date_source == DBF_DATE_NONE)
            cli_error("%s: no date (front matter incident times, a dated timeline entry, "
                      "'created' or a date in the file name); not counted in any period",
                      res->docs[i].path);
}

int cmd_patterns(int argc, char **argv)
{
    struct patterns_args a = {.colour = "auto"};
    int status = parse_args(argc, argv, &a);
    if (status >= 0)
        return status;
    struct cli_files files = {0};
    bool input_ok = cli_files_collect(&files, argv + optind, argc - optind);
    struct dbf_config *config = load_config(&a, argv[optind]);
    if (!config) {
        cli_files_free(&files);
        return EXIT_USAGE;
    }
    a.options.config = config;
    char err[512];
    struct dbf_pattern_report *report = dbf_pattern_report_new(&a.options, err, sizeof err);
    if (!report) {
        cli_error("'patterns' in the configuration: %s", err);
        dbf_config_free(config);
        cli_files_free(&files);
        return EXIT_USAGE;
    }
    input_ok = add_files(report, &files) && input_ok;
    const struct dbf_pattern_result *res = dbf_pattern_report_finish(report);
    bool written = res != NULL;
    if (!res)
        cli_error("out of memory");
    else
        note_undated(res);
    if (res && a.html) {
        struct dbf_buf page;
        dbf_buf_init(&page, 0);
        written = dbf_pattern_report_html(res, &page) && write_file(a.html, &page);
        dbf_buf_release(&page);
    }
    if (res && written && (!a.html || (a.format && strcmp(a.html, "-") != 0))) {
        if (a.format && strcmp(a.format, "json") == 0)
            written = dbf_pattern_report_json_write(res, stdout);
        else
            written = dbf_pattern_report_text_write(res, cli_use_colour(a.colour, stdout), stdout);
    }
    dbf_pattern_report_free(report);
    dbf_config_free(config);
    cli_files_free(&files);
    return input_ok && written ? 0 : EXIT_USAGE;
}
