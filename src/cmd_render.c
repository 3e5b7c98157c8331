/* cmd_render.c: `debrief render`, a post mortem as one self-contained HTML page. */
#include "cli.h"

#include "debrief/render.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: debrief render [options] FILE\n"
    "\n"
    "Renders a post mortem as one self-contained HTML page: the header with\n"
    "the durations, the timeline and metric graphs, images and dot diagrams\n"
    "embedded, the whys as a tree, lessons and action items linked both ways.\n"
    "The page makes no network request when opened. FILE '-' reads standard\n"
    "input (images and metrics then come from the current folder).\n"
    "\n"
    "  -o, --output FILE     write the page to FILE (default: standard output)\n"
    "      --findings        append the review, as 'debrief lint' makes it\n"
    "      --redacted        leave out restricted front matter (authors,\n"
    "                        reviewer, owner_team, restricted: ...) and\n"
    "                        <!-- restricted --> ... <!-- /restricted --> text\n"
    "      --today DATE      take DATE (YYYY-MM-DD) as today for the review\n"
    "      --config FILE     use FILE instead of the nearest .debrief.yml\n"
    "  -h, --help            show this help\n"
    "\n"
    "Problems with what the document points at (a missing metrics file, an\n"
    "image outside its folder, a broken graph) are shown on the page and\n"
    "listed on standard error; they do not fail the render.\n"
    "Exit status: 0 rendered, 2 usage or input error.\n";

struct render_run {
    const char *input, *output, *config_path;
    bool findings, redacted, has_today;
    struct dbf_date today;
};

static struct dbf_doc *load(const char *path)
{
    char err[512];
    struct dbf_doc *doc = cli_load_doc(path, err, sizeof err);
    if (!doc) {
        int line = 0, column = 0;
        const char *text = err;
        if (sscanf(err, "%d:%d: ", &line, &column) == 2 && strstr(err, ": "))
            text = strstr(err, ": ") + 2;
        if (line > 0)
            cli_error("%s:%d:%d: %s", path, line, column, text);
        else
            cli_error("%s: %s", path, text);
    }
    return doc;
}

/* The review for --findings, with the configuration `debrief lint` would
 * use; NULL after printing an error. */
static struct dbf_review *review(const struct render_run *run, const struct dbf_doc *doc)
{
    struct dbf_config *config =
        cli_load_config(run->config_path, run->input, run->has_today ? &run->today : NULL);
    if (!config)
        return NULL;
    struct dbf_review *r = dbf_lint(doc, config);
    if (!r)
        cli_error("out of memory");
    dbf_config_free(config);
    return r;
}

/* Prints the page's notes ("LINE: message" lines) as "debrief: FILE:LINE:
 * message", or "debrief: FILE: message" when the line is unknown. */
static void print_notes(const char *path, const char *notes)
{
    for (const char *p = notes; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *end;
        long line = strtol(p, &end, 10);
        if (end != p && line > 0)
            fprintf(stderr, "debrief: %s:%.*s\n", path, (int)n, p);
        else
            fprintf(stderr, "debrief: %s%.*s\n", path, (int)(n - (size_t)(end - p)), end);
        p += n + (nl != NULL);
    }
}

static int write_page(const char *output, const struct dbf_buf *page)
{
    FILE *f = output ? fopen(output, "wb") : stdout;
    if (!f) {
        cli_error("cannot write '%s': %s", output, strerror(errno));
        return EXIT_USAGE;
    }
    bool ok = fwrite(page->data, 1, page->len, f) == page->len;
    ok = (output ? fclose(f) == 0 : fflush(f) == 0) && ok;
    if (!ok) {
        cli_error("cannot write '%s': %s", output ? output : "standard output", strerror(errno));
        return EXIT_USAGE;
    }
    return 0;
}

static int render(const struct render_run *run)
{
    struct dbf_doc *doc = load(run->input);
    if (!doc)
        return EXIT_USAGE;
    struct dbf_review *findings = NULL;
    if (run->findings && !(findings = review(run, doc))) {
        dbf_doc_free(doc);
        return EXIT_USAGE;
    }
    char *copy = strcmp(run->input, "-") == 0 ? NULL : strdup(run->input);
    struct dbf_render_options options = {
        .base_dir = copy ? dirname(copy) : ".",
        .redacted = run->redacted,
        .findings = findings,
    };
    struct dbf_buf page, notes;
    dbf_buf_init(&page, 0);
    dbf_buf_init(&notes, 1 << 20);
    bool ok = dbf_render_html(doc, &options, &page, &notes);
    int status = EXIT_USAGE;
    if (!ok)
        cli_error("%s: the page could not be made (out of memory or too large)", run->input);
    else
        status = write_page(run->output, &page);
    print_notes(run->input, notes.data);
    dbf_buf_release(&page);
    dbf_buf_release(&notes);
    free(copy);
    dbf_review_free(findings);
    dbf_doc_free(doc);
    return status;
}

int cmd_render(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"findings", no_argument, NULL, 'f'},
        {"redacted", no_argument, NULL, 'r'},
        {"today", required_argument, NULL, 't'},
        {"config", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct render_run run = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
        switch (c) {
        case 'o':
            run.output = optarg;
            break;
        case 'f':
            run.findings = true;
            break;
        case 'r':
            run.redacted = true;
            break;
        case 't':
            if (!cli_option_date("--today", optarg, &run.today))
                return EXIT_USAGE;
            run.has_today = true;
            break;
        case 'C':
            run.config_path = optarg;
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
    if (argc - optind > 1) {
        cli_error("render takes one file, not %d; run it once per file", argc - optind);
        return EXIT_USAGE;
    }
    run.input = argv[optind];
    return render(&run);
}
