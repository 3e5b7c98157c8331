/* report.c: text, JSON, SARIF 2.1.0 and GitHub annotations for lint results. */
#include "report.h"

#include "debrief/json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct report {
    enum report_format format;
    FILE *out;
    bool colour, checklist;
    json_t *files;   /* json */
    json_t *results; /* sarif */
    json_t *notes;   /* sarif: input errors */
    size_t errors, warnings, infos, file_count;
};

bool report_format_parse(const char *name, enum report_format *out)
{
    static const struct {
        const char *name;
        enum report_format format;
    } names[] = {{"text", REPORT_TEXT},
                 {"json", REPORT_JSON},
                 {"sarif", REPORT_SARIF},
                 {"github", REPORT_GITHUB}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].format;
            return true;
        }
    }
    return false;
}

struct report *report_open(enum report_format format, FILE *out, bool colour, bool checklist)
{
    struct report *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->format = format;
    r->out = out;
    r->colour = colour;
    r->checklist = checklist;
    r->files = json_array();
    r->results = json_array();
    r->notes = json_array();
    return r;
}

static const char *colour_of(enum dbf_severity s)
{
    return s == DBF_ERROR ? "\033[1;31m" : s == DBF_WARNING ? "\033[1;33m" : "\033[1;36m";
}

static const char *answer_name(int answer)
{
    return answer == DBF_ANSWER_YES ? "yes" : answer == DBF_ANSWER_PARTLY ? "partly" : "no";
}

/* Writes N in decimal to OUT, which the caller holds locked. */
static void put_int(FILE *out, int n)
{
    char digits[12];
    size_t i = sizeof digits;
    unsigned v = n < 0 ? 0u - (unsigned)n : (unsigned)n;
    do
        digits[--i] = (char)('0' + v % 10);
    while (v /= 10);
    if (n < 0)
        digits[--i] = '-';
    fwrite_unlocked(digits + i, 1, sizeof digits - i, out);
}

/* A finding's line, "PATH:LINE:COLUMN: SEVERITY: MESSAGE [RULE]", written
 * piece by piece: fprintf's reading of a 12-argument format was more than
 * half of what writing the text report cost (1.1% of lint's instructions). */
static void text_finding(const struct report *r, const char *path, const struct dbf_finding *f)
{
    const char *bold = r->colour ? "\033[1m" : "", *reset = r->colour ? "\033[0m" : "";
    FILE *out = r->out;
    flockfile(out);
    fputs_unlocked(bold, out);
    fputs_unlocked(path, out);
    putc_unlocked(':', out);
    put_int(out, f->pos.line);
    putc_unlocked(':', out);
    put_int(out, f->pos.column);
    putc_unlocked(':', out);
    fputs_unlocked(reset, out);
    putc_unlocked(' ', out);
    fputs_unlocked(r->colour ? colour_of(f->severity) : "", out);
    fputs_unlocked(dbf_severity_name(f->severity), out);
    putc_unlocked(':', out);
    fputs_unlocked(reset, out);
    putc_unlocked(' ', out);
    fputs_unlocked(f->message, out);
    putc_unlocked(' ', out);
    fputs_unlocked(r->colour ? "\033[2m" : "", out);
    putc_unlocked('[', out);
    fputs_unlocked(f->rule, out);
    putc_unlocked(']', out);
    fputs_unlocked(reset, out);
    putc_unlocked('\n', out);
    funlockfile(out);
}

static void text_file(struct report *r, const char *path, const struct dbf_review *review)
{
    const char *bold = r->colour ? "\033[1m" : "", *reset = r->colour ? "\033[0m" : "";
    size_t counts[4] = {0};
    for (size_t i = 0; i < review->finding_count; i++) {
        counts[review->findings[i].severity]++;
        text_finding(r, path, &review->findings[i]);
    }
    fprintf(r->out, "%s%s:%s score %d/100", bold, path, reset, review->score);
    if (review->finding_count)
        fprintf(r->out, " (%zu error%s, %zu warning%s, %zu info)", counts[DBF_ERROR],
                counts[DBF_ERROR] == 1 ? "" : "s", counts[DBF_WARNING],
                counts[DBF_WARNING] == 1 ? "" : "s", counts[DBF_INFO]);
    else
        fputs(" (no findings)", r->out);
    fputc('\n', r->out);
    if (!r->checklist)
        return;
    fprintf(r->out, "%sreviewer's checklist:%s\n", bold, reset);
    for (int q = 0; q < DBF_QUESTION_COUNT; q++) {
        const struct dbf_checklist_answer *a = &review->checklist[q];
        fprintf(r->out, "  %-6s %s\n", answer_name(a->answer), a->question);
        for (size_t k = 0; k < a->finding_count; k++) {
            const struct dbf_finding *f = &review->findings[a->findings[k]];
            if (f->severity >= DBF_WARNING)
                fprintf(r->out, "         line %d: %s [%s]\n", f->pos.line, f->message, f->rule);
        }
    }
}

static void json_file(struct report *r, const char *path, const struct dbf_review *review)
{
    json_array_append_new(r->files, dbf_review_json(review, path, r->checklist));
}

static const char *sarif_level(enum dbf_severity s)
{
    return s == DBF_ERROR ? "error" : s == DBF_WARNING ? "warning" : "note";
}

static size_t rule_index(const char *id)
{
    const struct dbf_rule_info *info = dbf_rule_find(id);
    return info ? (size_t)(info - dbf_rule_at(0)) : 0;
}

static json_t *location(const char *path, int line, int column)
{
    return json_pack("{s:{s:{s:s}, s:{s:i, s:i}}}", "physicalLocation", "artifactLocation", "uri",
                     path, "region", "startLine", line > 0 ? line : 1, "startColumn",
                     column > 0 ? column : 1);
}

static void sarif_file(struct report *r, const char *path, const struct dbf_review *review)
{
    for (size_t i = 0; i < review->finding_count; i++) {
        const struct dbf_finding *f = &review->findings[i];
        json_array_append_new(r->results,
                              json_pack("{s:s, s:I, s:s, s:{s:s}, s:[o]}", "ruleId", f->rule,
                                        "ruleIndex", (json_int_t)rule_index(f->rule), "level",
                                        sarif_level(f->severity), "message", "text", f->message,
                                        "locations", location(path, f->pos.line, f->pos.column)));
    }
}

/* GitHub's workflow commands: data escapes %, CR and LF; properties also ':' and ','. */
static void github_escaped(FILE *out, const char *s, bool property)
{
    for (; *s; s++) {
        if (*s == '%')
            fputs("%25", out);
        else if (*s == '\r')
            fputs("%0D", out);
        else if (*s == '\n')
            fputs("%0A", out);
        else if (property && *s == ':')
            fputs("%3A", out);
        else if (property && *s == ',')
            fputs("%2C", out);
        else
            fputc(*s, out);
    }
}

static void github_file(struct report *r, const char *path, const struct dbf_review *review)
{
    for (size_t i = 0; i < review->finding_count; i++) {
        const struct dbf_finding *f = &review->findings[i];
        const char *cmd = f->severity == DBF_ERROR     ? "error"
                          : f->severity == DBF_WARNING ? "warning"
                                                       : "notice";
        fprintf(r->out, "::%s file=", cmd);
        github_escaped(r->out, path, true);
        fprintf(r->out, ",line=%d,col=%d,title=", f->pos.line, f->pos.column);
        github_escaped(r->out, f->rule, true);
        fputs("::", r->out);
        github_escaped(r->out, f->message, false);
        fputc('\n', r->out);
    }
}

void report_file(struct report *r, const char *path, const struct dbf_review *review)
{
    r->file_count++;
    for (size_t i = 0; i < review->finding_count; i++) {
        enum dbf_severity s = review->findings[i].severity;
        r->errors += s == DBF_ERROR;
        r->warnings += s == DBF_WARNING;
        r->infos += s == DBF_INFO;
    }
    switch (r->format) {
    case REPORT_TEXT:
        text_file(r, path, review);
        break;
    case REPORT_JSON:
        json_file(r, path, review);
        break;
    case REPORT_SARIF:
        sarif_file(r, path, review);
        break;
    case REPORT_GITHUB:
        github_file(r, path, review);
        break;
    }
}

void report_input_error(struct report *r, const char *path, const char *message)
{
    int line = 0, column = 0;
    const char *text = message;
    if (sscanf(message, "%d:%d: ", &line, &column) == 2) {
        text = strstr(message, ": ");
        text = text ? text + 2 : message;
    }
    switch (r->format) {
    case REPORT_TEXT:
    case REPORT_GITHUB:
        break;
    case REPORT_JSON:
        json_array_append_new(r->files,
                              json_pack("{s:s, s:n, s:{}, s:[], s:{s:i, s:i, s:s}}", "path", path,
                                        "score", "sections", "findings", "error", "line", line,
                                        "column", column, "message", text));
        break;
    case REPORT_SARIF:
        json_array_append_new(r->notes,
                              json_pack("{s:s, s:{s:s}, s:[o]}", "level", "error", "message",
                                        "text", text, "locations", location(path, line, column)));
        break;
    }
    if (r->format == REPORT_GITHUB) {
        fputs("::error file=", r->out);
        github_escaped(r->out, path, true);
        fprintf(r->out, ",line=%d,col=%d,title=input error::", line > 0 ? line : 1,
                column > 0 ? column : 1);
        github_escaped(r->out, text, false);
        fputc('\n', r->out);
    }
    /* The message always reaches standard error too, in the compiler's form. */
    if (line > 0)
        fprintf(stderr, "debrief: %s:%d:%d: %s\n", path, line, column, text);
    else
        fprintf(stderr, "debrief: %s: %s\n", path, text);
}

static json_t *sarif_rules(void)
{
    json_t *rules = json_array();
    for (size_t i = 0; i < dbf_rule_count(); i++) {
        const struct dbf_rule_info *info = dbf_rule_at(i);
        char uri[160];
        snprintf(uri, sizeof uri, "docs/rules/%s.md", info->id);
        json_array_append_new(rules, json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:s}", "id", info->id,
                                               "name", info->id, "shortDescription", "text",
                                               info->summary, "defaultConfiguration", "level",
                                               sarif_level(info->severity), "helpUri", uri));
    }
    return rules;
}

void report_close(struct report *r)
{
    if (!r)
        return;
    json_t *doc = NULL;
    if (r->format == REPORT_JSON) {
        doc = json_pack("{s:O}", "files", r->files);
    } else if (r->format == REPORT_SARIF) {
        json_t *invocation =
            json_pack("{s:b, s:O}", "executionSuccessful", json_array_size(r->notes) == 0,
                      "toolExecutionNotifications", r->notes);
        doc = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:[o], s:O}]}", "$schema",
                        "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs",
                        "tool", "driver", "name", "debrief", "version", DEBRIEF_VERSION, "rules",
                        sarif_rules(), "invocations", invocation, "results", r->results);
    } else if (r->format == REPORT_TEXT && r->file_count > 1) {
        fprintf(r->out, "%zu files: %zu errors, %zu warnings, %zu info\n", r->file_count, r->errors,
                r->warnings, r->infos);
    }
    if (doc) {
        json_dumpf(doc, r->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', r->out);
        json_decref(doc);
    }
    json_decref(r->files);
    json_decref(r->results);
    json_decref(r->notes);
    free(r);
}
