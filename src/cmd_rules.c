/* cmd_rules.c: `debrief rules`, the catalogue of the review. */
#include "cli.h"
#include "rule_docs.h"

#include <jansson.h>
#include <string.h>

static const char usage_text[] =
    "usage: debrief rules [--format text|json] [RULE-ID]\n"
    "\n"
    "Lists every rule of the review with its default severity, or prints\n"
    "the page of one rule: what it catches, why it matters, how to fix it\n"
    "and an example.\n"
    "\n"
    "  -f, --format FORMAT   text (default) or json\n"
    "  -h, --help            show this help\n";

int cmd_rules(int argc, char **argv)
{
    bool json = false;
    const char *id = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(usage_text, stdout);
            return 0;
        } else if ((strcmp(argv[i], "--format") == 0 || strcmp(argv[i], "-f") == 0) &&
                   i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "json") == 0)
                json = true;
            else if (strcmp(f, "text") != 0) {
                cli_error("unknown format '%s'; use text or json", f);
                return EXIT_USAGE;
            }
        } else if (strncmp(argv[i], "--format=", 9) == 0) {
            const char *f = argv[i] + 9;
            json = strcmp(f, "json") == 0;
            if (!json && strcmp(f, "text") != 0) {
                cli_error("unknown format '%s'; use text or json", f);
                return EXIT_USAGE;
            }
        } else if (argv[i][0] == '-') {
            cli_error("unknown option '%s'\n\n%s", argv[i], usage_text);
            return EXIT_USAGE;
        } else if (!id) {
            id = argv[i];
        } else {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
    }
    if (id && !dbf_rule_find(id)) {
        cli_error("no rule '%s'; 'debrief rules' lists them", id);
        return EXIT_USAGE;
    }
    if (json) {
        json_t *list = json_array();
        for (size_t i = 0; i < dbf_rule_count(); i++) {
            const struct dbf_rule_info *r = dbf_rule_at(i);
            if (id && strcmp(id, r->id) != 0)
                continue;
            json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "id", r->id, "severity",
                                                  dbf_severity_name(r->severity), "section",
                                                  dbf_section_kind_name(r->section), "summary",
                                                  r->summary));
        }
        json_t *doc = json_pack("{s:o}", "rules", list);
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(doc);
        return 0;
    }
    if (id) {
        const struct dbf_rule_info *r = dbf_rule_find(id);
        const char *page = rule_doc_find(id);
        if (page) {
            fputs(page, stdout);
            return 0;
        }
        printf("%s (%s by default)\n\n%s.\n", r->id, dbf_severity_name(r->severity), r->summary);
        return 0;
    }
    for (size_t i = 0; i < dbf_rule_count(); i++) {
        const struct dbf_rule_info *r = dbf_rule_at(i);
        printf("%-34s %-8s %s\n", r->id, dbf_severity_name(r->severity), r->summary);
    }
    return 0;
}
