/* cmd_lint.c: `debrief lint`, the review of post mortems. */
#include "cli.h"
#include "report.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: debrief lint [options] PATH...\n"
    "\n"
    "Reviews post mortems (files, or folders searched for *.md; '-' reads\n"
    "standard input) and reports each finding with its line and a fix.\n"
    "\n"
    "  -f, --format FORMAT   text (default), json, sarif or github\n"
    "      --fail-on LEVEL   exit 1 on findings at or above error, warning\n"
    "                        (default), info; never: only input errors fail\n"
    "      --min-score N     exit 1 when a file scores below N (0-100)\n"
    "      --checklist       answer the reviewer's five questions\n"
    "      --today DATE      take DATE (YYYY-MM-DD) as today for the date rules\n"
    "      --config FILE     use FILE instead of the nearest .debrief.yml\n"
    "      --color WHEN      auto (default), always or never; NO_COLOR is honoured\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 clean, 1 findings at or above --fail-on or a score below\n"
    "--min-score, 2 usage or input error. 'debrief rules' lists the rules.\n";

struct config_cache {
    char *path;
    struct dbf_config *config;
};

struct lint_run {
    const char *config_path; /* --config */
    struct dbf_date today;
    bool has_today;
    struct config_cache *cache;
    size_t cache_count;
    struct dbf_config *defaults;
};

static struct dbf_config *configured(struct lint_run *run, const char *path, bool *failed)
{
    char *found = run->config_path         ? strdup(run->config_path)
                  : strcmp(path, "-") == 0 ? dbf_config_discover(".")
                                           : dbf_config_discover(path);
    if (!found)
        return run->defaults;
    for (size_t i = 0; i < run->cache_count; i++) {
        if (strcmp(run->cache[i].path, found) == 0) {
            free(found);
            return run->cache[i].config;
        }
    }
    struct dbf_config *config = dbf_config_new();
    char err[512];
    if (!config || !dbf_config_load(config, found, err, sizeof err)) {
        cli_error("%s", config ? err : "out of memory");
        dbf_config_free(config);
        free(found);
        *failed = true;
        return NULL;
    }
    if (run->has_today)
        dbf_config_set_today(config, run->today);
    struct config_cache *grown = realloc(run->cache, (run->cache_count + 1) * sizeof *grown);
    if (!grown) {
        dbf_config_free(config);
        free(found);
        return run->defaults;
    }
    run->cache = grown;
    run->cache[run->cache_count++] = (struct config_cache){found, config};
    return config;
}

int cmd_lint(int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"fail-on", required_argument, NULL, 'F'},
        {"min-score", required_argument, NULL, 'm'},
        {"checklist", no_argument, NULL, 'c'},
        {"today", required_argument, NULL, 't'},
        {"config", required_argument, NULL, 'C'},
        {"color", required_argument, NULL, 'o'},
        {"colour", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    enum report_format format = REPORT_TEXT;
    enum dbf_severity fail_on = DBF_WARNING;
    bool fail_never = false, checklist = false;
    long min_score = -1;
    const char *colour = "auto";
    struct lint_run run = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!report_format_parse(optarg, &format)) {
                cli_error("unknown format '%s'; use text, json, sarif or github", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'F':
            if (strcmp(optarg, "never") == 0)
                fail_never = true;
            else if (!dbf_severity_parse(optarg, &fail_on) || fail_on == DBF_OFF) {
                cli_error("--fail-on takes error, warning, info or never, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'm': {
            char *end;
            min_score = strtol(optarg, &end, 10);
            if (*end || end == optarg || min_score < 0 || min_score > 100) {
                cli_error("--min-score takes a number from 0 to 100, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'c':
            checklist = true;
            break;
        case 't':
            if (!cli_option_date("--today", optarg, &run.today))
                return EXIT_USAGE;
            run.has_today = true;
            break;
        case 'C':
            run.config_path = optarg;
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
    struct cli_files files = {0};
    bool input_error = !cli_files_collect(&files, argv + optind, argc - optind);
    run.defaults = dbf_config_new();
    if (run.has_today)
        dbf_config_set_today(run.defaults, run.today);

    bool failed = false;
    struct report *report = report_open(format, stdout, cli_use_colour(colour, stdout), checklist);
    for (size_t i = 0; i < files.count; i++) {
        const char *path = files.paths[i];
        bool bad_config = false;
        struct dbf_config *config = configured(&run, path, &bad_config);
        if (bad_config) {
            input_error = true;
            continue;
        }
        char err[512];
        struct dbf_doc *doc = cli_load_doc(path, err, sizeof err);
        if (!doc) {
            report_input_error(report, path, err);
            input_error = true;
            continue;
        }
        struct dbf_review *review = dbf_lint(doc, config);
        if (!review) {
            report_input_error(report, path, "0:0: out of memory");
            input_error = true;
        } else {
            report_file(report, path, review);
            enum dbf_severity worst = dbf_review_worst(review);
            if ((!fail_never && worst != DBF_OFF && worst >= fail_on) ||
                (min_score >= 0 && review->score < min_score))
                failed = true;
        }
        dbf_review_free(review);
        dbf_doc_free(doc);
    }
    report_close(report);
    for (size_t i = 0; i < run.cache_count; i++) {
        free(run.cache[i].path);
        dbf_config_free(run.cache[i].config);
    }
    free(run.cache);
    dbf_config_free(run.defaults);
    cli_files_free(&files);
    return input_error ? EXIT_USAGE : failed ? EXIT_FINDINGS : 0;
}
