/* cmd_timeline_import.c: `debrief timeline import`, chat exports into timeline entries. */
#include "cli.h"
#include "debrief/import.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: debrief timeline import [options] EXPORT\n"
    "\n"
    "Turns a chat export into timeline entries, so that a timeline starts from\n"
    "the record rather than from memory. EXPORT is a Slack channel folder (of\n"
    "YYYY-MM-DD.json files), a Slack export root with --channel, or a\n"
    "Mattermost bulk export (.jsonl). Bots, joins, leaves and other system\n"
    "messages are dropped; thread replies take their place in time order; an\n"
    "edited message shows its edited text. Entries are printed as Markdown:\n"
    "\n"
    "  - 2026-03-10 14:02 UTC \xE2\x80\x94 the on-call engineer: message\n"
    "\n"
    "      --roles MAP.yml     map people to roles (alice: on-call engineer; keys\n"
    "                          are user names or ids); others are \"a responder\"\n"
    "      --zone ZONE         write times in ZONE: IANA name, abbreviation or\n"
    "                          offset (default: the merged file's zone, else UTC)\n"
    "      --keep-emoji NAME   keep only pinned messages and those with the\n"
    "                          reaction NAME (default: keep every message)\n"
    "      --since TIME        leave out messages before TIME (2026-03-10 or\n"
    "                          2026-03-10T14:00, in the zone unless it names one)\n"
    "      --until TIME        leave out messages after TIME (a date: its end)\n"
    "      --channel NAME      the channel to read from a Slack export root or a\n"
    "                          Mattermost export (NAME or TEAM/NAME)\n"
    "      --merge FILE        merge the entries into FILE's timeline section in\n"
    "                          time order and write the whole document\n"
    "  -o, --output OUT        write to OUT instead of standard output\n"
    "  -v, --verbose           say on standard error what was read and left out\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 done, 2 usage or input error (a broken export names its\n"
    "file and line; a FILE without a timeline section is refused).\n";

struct import_run {
    const char *since_text, *until_text, *merge_path, *output;
    bool verbose;
    struct dbf_import_options options;
};

/* Writes DATA to PATH through a temporary file beside it, so that a failed
 * write never leaves PATH half written (PATH may be the merged file). */
static bool write_file(const char *path, const char *data, size_t len)
{
    struct dbf_buf tmp;
    dbf_buf_init(&tmp, 0);
    dbf_buf_addf(&tmp, "%s.debrief-XXXXXX", path);
    if (tmp.failed) {
        cli_error("out of memory");
        return false;
    }
    int fd = mkstemp(tmp.data);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f)
        ok = fclose(f) == 0 && ok;
    else if (fd >= 0)
        close(fd);
    if (ok && rename(tmp.data, path) != 0)
        ok = false;
    if (!ok) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        if (fd >= 0)
            unlink(tmp.data);
    }
    dbf_buf_release(&tmp);
    return ok;
}

/* The bytes of the file at PATH, or NULL after printing why not. */
static char *read_document(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_error("cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    struct dbf_buf buf;
    dbf_buf_init(&buf, DBF_MAX_INPUT);
    dbf_buf_add_stream(&buf, f);
    bool bad = ferror(f);
    fclose(f);
    if (bad || buf.failed) {
        cli_error(bad ? "cannot read '%s'" : "'%s' is too large for a post mortem", path);
        dbf_buf_release(&buf);
        return NULL;
    }
    return dbf_buf_detach(&buf, len);
}

static void summary(const struct dbf_chat_import *import, const struct import_run *run)
{
    const struct dbf_chat_counts *c = &import->counts;
    fprintf(stderr,
            "debrief: read %zu messages from '%s' (%s): %zu entries; left out %zu from bots, "
            "%zu system messages, %zu deleted or empty",
            c->read, import->channel ? import->channel : "?", import->format, import->count,
            c->bots, c->system, c->deleted);
    if (run->since_text || run->until_text)
        fprintf(stderr, ", %zu outside the time range", c->out_of_range);
    if (run->options.keep_emoji)
        fprintf(stderr, ", %zu neither pinned nor with :%s:", c->not_kept, run->options.keep_emoji);
    fputc('\n', stderr);
}

static int import_run(struct import_run *run, const char *export_path)
{
    char err[1024];
    struct dbf_doc *doc = NULL;
    char *source = NULL;
    size_t source_len = 0;
    if (run->merge_path) {
        if (!(source = read_document(run->merge_path, &source_len)))
            return EXIT_USAGE;
        doc = dbf_doc_parse(run->merge_path, source, source_len, err, sizeof err);
        if (!doc) {
            cli_error("%s:%s", run->merge_path, err);
            free(source);
            return EXIT_USAGE;
        }
        if (!dbf_doc_section(doc, DBF_SECTION_TIMELINE)) {
            cli_error("'%s' has no timeline section to merge into; add a '## Timeline' heading",
                      run->merge_path);
            dbf_doc_free(doc);
            free(source);
            return EXIT_USAGE;
        }
        if (!run->options.zone)
            run->options.zone = doc->timeline_zone;
    }
    int status = EXIT_USAGE;
    struct dbf_chat_import *import = NULL;
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    if (run->since_text && !dbf_chat_time_parse(run->since_text, run->options.zone, false,
                                                &run->options.since, err, sizeof err)) {
        cli_error("--since: %s", err);
        goto done;
    }
    if (run->until_text && !dbf_chat_time_parse(run->until_text, run->options.zone, true,
                                                &run->options.until, err, sizeof err)) {
        cli_error("--until: %s", err);
        goto done;
    }
    if (run->since_text && run->until_text && run->options.since > run->options.until) {
        cli_error("--since '%s' is after --until '%s'", run->since_text, run->until_text);
        goto done;
    }
    import = dbf_chat_import_load(export_path, &run->options, err, sizeof err);
    if (!import) {
        cli_error("%s", err);
        goto done;
    }
    if (run->verbose)
        summary(import, run);
    else if (!import->count)
        cli_error("no messages kept from '%s' (%zu read); -v tells why", export_path,
                  import->counts.read);
    if (doc) {
        if (!dbf_chat_import_merge(import, doc, source, source_len, &run->options, &out, err,
                                   sizeof err)) {
            cli_error("%s", err);
            goto done;
        }
    } else {
        dbf_chat_import_markdown(import, &run->options, &out);
    }
    if (out.failed) {
        cli_error("out of memory");
        goto done;
    }
    if (run->output) {
        if (!write_file(run->output, out.data, out.len))
            goto done;
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        cli_error("cannot write the output: %s", strerror(errno));
        goto done;
    }
    status = 0;
done:
    dbf_buf_release(&out);
    dbf_chat_import_free(import);
    dbf_doc_free(doc);
    free(source);
    return status;
}

int cmd_timeline_import(int argc, char **argv)
{
    static const struct option options[] = {
        {"roles", required_argument, NULL, 'r'},
        {"zone", required_argument, NULL, 'z'},
        {"keep-emoji", required_argument, NULL, 'k'},
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {"channel", required_argument, NULL, 'c'},
        {"merge", required_argument, NULL, 'm'},
        {"output", required_argument, NULL, 'o'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct import_run run = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:vh", options, NULL)) != -1) {
        switch (c) {
        case 'r':
            run.options.roles_path = optarg;
            break;
        case 'z':
            run.options.zone = optarg;
            break;
        case 'k':
            if (!*optarg || strspn(optarg, ":") == strlen(optarg)) {
                cli_error("--keep-emoji takes a reaction name such as 'pushpin'");
                return EXIT_USAGE;
            }
            run.options.keep_emoji = optarg;
            break;
        case 's':
            run.since_text = optarg;
            break;
        case 'u':
            run.until_text = optarg;
            break;
        case 'c':
            run.options.channel = optarg;
            break;
        case 'm':
            run.merge_path = optarg;
            break;
        case 'o':
            run.output = optarg;
            break;
        case 'v':
            run.verbose = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        case ':':
            cli_error("option '%s' needs a value", argv[optind - 1]);
            return EXIT_USAGE;
        default:
            cli_error("unknown option '%s'; see 'debrief timeline import --help'",
                      argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        cli_error(argc == optind ? "no export given; see 'debrief timeline import --help'"
                                 : "one export at a time; see 'debrief timeline import --help'");
        return EXIT_USAGE;
    }
    return import_run(&run, argv[optind]);
}
