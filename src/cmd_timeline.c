/* cmd_timeline.c: `debrief timeline`, the derived figures of an incident. */
#include "cli.h"
#include "debrief/json.h"
#include "debrief/timeline.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
    "usage: debrief timeline [options] FILE\n"
    "   or: debrief timeline import [options] EXPORT\n"
    "\n"
    "Derives an incident's milestones (trigger, impact start, detection,\n"
    "escalation, diagnosis, mitigation start, recovery), the durations between\n"
    "them and the gaps in its timeline, in the document's time zone. FILE '-'\n"
    "reads standard input. 'debrief timeline import --help' tells how to turn\n"
    "a chat export into timeline entries.\n"
    "\n"
    "  -f, --format FORMAT   text (default) or json\n"
    "      --gap MINUTES     list gaps between entries longer than MINUTES\n"
    "                        (default: timeline/gap's minutes in .debrief.yml, else 15)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 done, 2 usage or input error.\n";

static const char *const milestone_labels[DBF_MILESTONE_COUNT] = {
    "trigger",   "impact start",       "detected",  "escalated",
    "diagnosed", "mitigation started", "recovered",
};

static const char *const duration_labels[DBF_DURATION_COUNT] = {
    "time to detect",   "time to engage",  "time to diagnose",
    "time to mitigate", "impact duration", "total duration",
};

/* "2026-03-10 14:02 UTC", seconds only when there are some; no date when
 * the document gives none. */
static const char *local_text(const struct dbf_timeline_analysis *a, int64_t at, char *out,
                              size_t size)
{
    char iso[64], abbrev[32];
    dbf_timeline_format(a, at, iso, sizeof iso);
    dbf_timeline_abbrev(a, at, abbrev, sizeof abbrev);
    const char *clock = a->dated ? iso + 11 : iso;
    bool seconds = clock[6] != '0' || clock[7] != '0';
    int clock_len = seconds ? 8 : 5;
    if (a->dated)
        snprintf(out, size, "%.10s %.*s %s", iso, clock_len, clock, abbrev);
    else
        snprintf(out, size, "%.*s %s", clock_len, clock, abbrev);
    return out;
}

static void print_text(const char *path, const struct dbf_timeline_analysis *a)
{
    char when[96], span[64];
    printf("%s: times in %s%s\n\nMilestones\n", path, a->zone,
           a->dated ? "" : " (no date given: times of day)");
    for (int m = 0; m < DBF_MILESTONE_COUNT; m++) {
        const struct dbf_moment *mo = &a->milestone[m];
        if (!mo->known) {
            printf("  %-20s %-26s\n", milestone_labels[m], "unknown");
            continue;
        }
        local_text(a, mo->at, when, sizeof when);
        if (mo->source == DBF_SOURCE_ASSUMED)
            printf("  %-20s %-26s assumed: the %s (nothing says when it began)\n",
                   milestone_labels[m], when, milestone_labels[mo->stands_for]);
        else if (mo->source == DBF_SOURCE_FRONT_MATTER)
            printf("  %-20s %-26s front matter, line %d\n", milestone_labels[m], when, mo->line);
        else
            printf("  %-20s %-26s line %d\n", milestone_labels[m], when, mo->line);
    }
    printf("\nDurations\n");
    for (int d = 0; d < DBF_DURATION_COUNT; d++) {
        enum dbf_milestone from = dbf_duration_end(d, 0), to = dbf_duration_end(d, 1);
        char ends[64];
        snprintf(ends, sizeof ends, "%s → %s", milestone_labels[from], milestone_labels[to]);
        if (a->has_duration[d]) {
            printf("  %-20s %-14s %s\n", duration_labels[d],
                   dbf_duration_format(a->duration[d], span, sizeof span), ends);
        } else if (!a->milestone[from].known || !a->milestone[to].known) {
            printf("  %-20s %-14s %s: no %s time\n", duration_labels[d], "unknown", ends,
                   milestone_labels[a->milestone[from].known ? to : from]);
        } else {
            printf("  %-20s %-14s %s: %s comes before %s\n", duration_labels[d], "unknown", ends,
                   milestone_labels[to], milestone_labels[from]);
        }
    }
    printf("\nGaps longer than %s\n", dbf_duration_format(a->gap_threshold, span, sizeof span));
    if (a->entry_count < 2)
        printf("  none: %s\n", a->entry_count ? "one timed entry" : "no timed entries");
    else if (!a->gap_count)
        printf("  none\n");
    for (size_t i = 0; i < a->gap_count; i++) {
        const struct dbf_gap *g = &a->gaps[i];
        char to[96];
        local_text(a, g->from, when, sizeof when);
        local_text(a, g->to, to, sizeof to);
        printf("  %s → %s  %-14s line %d\n", when, to,
               dbf_duration_format(g->seconds, span, sizeof span), g->line);
    }
}

static bool print_json(const struct dbf_timeline_analysis *a)
{
    json_t *root = dbf_timeline_json(a);
    if (!root)
        return false;
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(root);
    return rc == 0;
}

static struct dbf_doc *load(const char *path, bool *failed)
{
    char err[512];
    struct dbf_doc *doc;
    if (strcmp(path, "-") == 0) {
        struct dbf_buf buf;
        dbf_buf_init(&buf, DBF_MAX_INPUT);
        dbf_buf_add_stream(&buf, stdin);
        if (buf.failed) {
            dbf_buf_release(&buf);
            cli_error("-: standard input is larger than a post mortem may be (%zu MiB)",
                      DBF_MAX_INPUT >> 20);
            *failed = true;
            return NULL;
        }
        size_t len = 0;
        char *data = dbf_buf_detach(&buf, &len);
        doc = dbf_doc_parse("-", data ? data : "", len, err, sizeof err);
        free(data);
    } else {
        struct stat st;
        if (stat(path, &st) != 0) {
            cli_error("'%s': %s", path, strerror(errno));
            *failed = true;
            return NULL;
        }
        if (S_ISDIR(st.st_mode)) {
            cli_error("'%s' is a folder; 'debrief timeline' reads one file", path);
            *failed = true;
            return NULL;
        }
        doc = dbf_doc_load(path, err, sizeof err);
    }
    if (!doc) {
        int line = 0, column = 0;
        const char *text = err;
        if (sscanf(err, "%d:%d: ", &line, &column) == 2) {
            const char *colon = strstr(err, ": ");
            text = colon ? colon + 2 : err;
        }
        if (line > 0)
            cli_error("%s:%d:%d: %s", path, line, column, text);
        else
            cli_error("%s: %s", path, text);
        *failed = true;
    }
    return doc;
}

/* The gap threshold of the nearest .debrief.yml, as lint's timeline/gap uses. */
static bool configured_gap(const char *path, long *minutes)
{
    struct dbf_config *config = cli_load_config(NULL, path, NULL);
    if (!config)
        return false;
    long value = dbf_config_option(config, "timeline/gap", "minutes");
    if (value > 0)
        *minutes = value;
    dbf_config_free(config);
    return true;
}

int cmd_timeline(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "import") == 0)
        return cmd_timeline_import(argc - 1, argv + 1);
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"gap", required_argument, NULL, 'g'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false;
    long gap_minutes = -1;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "json") == 0) {
                json = true;
            } else if (strcmp(optarg, "text") == 0) {
                json = false;
            } else {
                cli_error("unknown format '%s'; use text or json", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'g': {
            char *end;
            errno = 0;
            gap_minutes = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || gap_minutes < 1 || gap_minutes > 525600) {
                cli_error("--gap takes a number of minutes from 1 to 525600, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        }
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
        cli_error("'timeline' takes one file, not %d", argc - optind);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    bool failed = false;
    if (gap_minutes < 0) {
        gap_minutes = 15;
        if (!configured_gap(path, &gap_minutes))
            return EXIT_USAGE;
    }
    struct dbf_doc *doc = load(path, &failed);
    if (!doc)
        return EXIT_USAGE;
    struct dbf_timeline_analysis *a = dbf_timeline_analyse(doc, (int64_t)gap_minutes * 60);
    if (!a) {
        dbf_doc_free(doc);
        cli_error("%s: out of memory", path);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < a->note_count; i++) {
        if (a->notes[i].line > 0)
            fprintf(stderr, "debrief: %s:%d: %s\n", path, a->notes[i].line, a->notes[i].message);
        else
            fprintf(stderr, "debrief: %s: %s\n", path, a->notes[i].message);
    }
    if (json)
        failed = !print_json(a);
    else
        print_text(path, a);
    if (fflush(stdout) != 0)
        failed = true;
    dbf_timeline_analysis_free(a);
    dbf_doc_free(doc);
    return failed ? EXIT_USAGE : 0;
}
