/* template.c: the text of a new post mortem.
 *
 * The hints sit in HTML comments right under each heading; they state the
 * standard the review applies (DESIGN.md §2) so that an author who follows
 * them meets it. Keep the sections in the order of the reference example,
 * examples/excellent.md. */
#include "template.h"

#include <ctype.h>
#include <string.h>

#define SLUG_MAX 60

static const char *const severity_names[] = {"", "SEV-1", "SEV-2", "SEV-3", "SEV-4"};

void template_slug(struct dbf_buf *out, const char *title)
{
    size_t start = out->len, last_word_end = out->len;
    bool gap = false;
    for (const unsigned char *p = (const unsigned char *)(title ? title : ""); *p; p++) {
        if (*p < 0x80 && isalnum(*p)) {
            if (gap && out->len > start) {
                last_word_end = out->len;
                dbf_buf_addc(out, '-');
            }
            gap = false;
            dbf_buf_addc(out, (char)tolower(*p));
        } else if (*p == '\'' || *p >= 0x80) {
            continue; /* "customer's" → "customers"; accents dropped */
        } else {
            gap = true;
        }
        if (out->len - start > SLUG_MAX) {
            out->len = last_word_end > start ? last_word_end : start + SLUG_MAX;
            out->data[out->len] = '\0';
            break;
        }
    }
    if (out->len == start)
        dbf_buf_adds(out, "incident");
}

/* A YAML double-quoted scalar; the caller has refused control characters. */
static void add_yaml_string(struct dbf_buf *out, const char *s)
{
    dbf_buf_addc(out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            dbf_buf_addc(out, '\\');
        dbf_buf_addc(out, *s);
    }
    dbf_buf_addc(out, '"');
}

static void add_date(struct dbf_buf *out, struct dbf_date d)
{
    dbf_buf_addf(out, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static const char *answer(enum template_answer a)
{
    return a == TEMPLATE_YES ? "true" : a == TEMPLATE_NO ? "false" : "";
}

static void front_matter(struct dbf_buf *out, const struct template_fields *f, const char *title)
{
    dbf_buf_adds(out, "---\ntitle: ");
    add_yaml_string(out, title);
    dbf_buf_adds(out, "\nid: ");
    if (f->id) {
        dbf_buf_adds(out, f->id);
    } else {
        add_date(out, f->date);
        dbf_buf_addc(out, '-');
        template_slug(out, f->title);
    }
    dbf_buf_adds(out, "\nstatus: draft                 # draft, review, published\n");
    dbf_buf_addf(out, "severity: %-19s # SEV-1 (worst) to SEV-4\n", severity_names[f->severity]);
    dbf_buf_addf(out, "visibility: %-17s # public, internal, restricted (security incidents)\n",
                 f->visibility);
    dbf_buf_addf(out, "owner_team: %-17s # the team that owns fixing the root cause\n",
                 f->owner_team ? f->owner_team : "");
    dbf_buf_adds(out, "authors: []\n"
                      "reviewer:                     # someone from another team than owner_team\n"
                      "reviewer_team:\n"
                      "services: []\n"
                      "regions: []\n"
                      "tags: []\n"
                      "timezone: UTC\n");
    dbf_buf_adds(out, "incident:                     # ISO 8601 times, e.g. ");
    add_date(out, f->date);
    dbf_buf_adds(out, "T14:02:00Z\n"
                      "  trigger:                    # the change or event that set it off\n"
                      "  impact_start:               # when customers were first affected\n"
                      "  detected:\n"
                      "  mitigated:\n"
                      "  resolved:\n"
                      "created: ");
    add_date(out, f->today);
    dbf_buf_adds(out, "\n"
                      "review_started:\n"
                      "published:\n");
    dbf_buf_addf(out, "customer_facing: %-12s # true or false\n", answer(f->customer_facing));
    dbf_buf_addf(out, "slo_breach: %-17s # true or false\n", answer(f->slo_breach));
    dbf_buf_addf(out, "security: %-19s # true makes the post mortem restricted\n",
                 strcmp(f->visibility, "restricted") == 0 ? "true" : "");
    dbf_buf_adds(
        out, "metrics: []                   # - {file: metrics/errors.csv, title: ..., unit: "
             "\"%\", label: ...}\n"
             "communication: []             # - {time: ..., channel: status page, summary: ...}\n"
             "---\n\n");
}

static const char body[] =
    "## Summary\n\n"
    "<!-- Five sentences a busy reader from another team can act on: what the\n"
    "service does, when it happened (start and end, with the time zone), who was\n"
    "affected and how many (a number with a unit), for how long, the cause in one\n"
    "line, how it was resolved, and what customers were told. -->\n\n"
    "## Impact\n\n"
    "<!-- Who and what was affected, in figures with units: people, requests,\n"
    "orders, money, support tickets, error budget spent; the window with its time\n"
    "zone and its duration; what was not affected. Give a number wherever you are\n"
    "tempted to write \"some\" or \"significant\". -->\n\n"
    "## Timeline\n\n"
    "<!-- One row per event, oldest first, from the trigger (the change or event\n"
    "that set it off), not from the alert. Give dates when it spans midnight, name\n"
    "roles instead of people (\"the on-call engineer\"), explain any gap over 15\n"
    "minutes, and tag milestones: [trigger] [customer] [detected] [escalated]\n"
    "[diagnosed] [mitigation] [resolved]. -->\n\n"
    "| Time (UTC) | Event |\n"
    "|---|---|\n\n"
    "## Metrics\n\n"
    "<!-- The graphs that show the impact, each with a title and axes labelled\n"
    "with units, all over the same range from before the trigger to after\n"
    "recovery: list data files under `metrics:` in the front matter or embed\n"
    "images. Dashboard links alone expire and show nothing in review. -->\n\n"
    "## Service context\n\n"
    "<!-- What the affected services do and how they depend on each other, for a\n"
    "reader from another team; a diagram (a fenced `dot` block or an image) when\n"
    "several services are involved. -->\n\n"
    "## Glossary\n\n"
    "<!-- Every acronym and internal name a reader from another team may not\n"
    "know, e.g. \"- **SLO**: service level objective, the reliability target a\n"
    "service commits to\". -->\n\n"
    "## Root cause\n\n"
    "<!-- Ask why until the answer is something the organisation can change (a\n"
    "missing check, a tool, a process), not a person's mistake: at least five\n"
    "whys, numbered, each answer the subject of the next question. -->\n\n"
    "1. Why …? -> …\n"
    "2. Why …? -> …\n"
    "3. Why …? -> …\n"
    "4. Why …? -> …\n"
    "5. Why …? -> …\n\n"
    "### Contributing factors\n\n"
    "<!-- The other causes that made it possible or worse, as numbered branches\n"
    "of whys: \"1.1 Why …? -> …\", \"1.2 Why …? -> …\". -->\n\n"
    "## Response\n\n"
    "<!-- For each phase: how long it took (from when to when), what slowed it\n"
    "down, and one concrete change with a target that would cut it. -->\n\n"
    "### Detection\n\n"
    "<!-- From impact start to the first alert or report: what would have\n"
    "detected it sooner (\"page when checkout errors exceed 2% for 2 minutes\"). -->\n\n"
    "### Diagnosis\n\n"
    "<!-- From detection to knowing the cause: the data or tool that would have\n"
    "shown it sooner. -->\n\n"
    "### Mitigation\n\n"
    "<!-- From diagnosis to recovery: the switch, rollback or runbook step that\n"
    "would have ended it sooner. -->\n\n"
    "### Blast radius\n\n"
    "<!-- Why it hit as many people as it did, and what would contain the next\n"
    "one (per-region rollout, fallbacks, limits). -->\n\n"
    "## Communication\n\n"
    "<!-- What customers and other teams were told, when and where: status page,\n"
    "support briefing, customer email, each with its time; also listed under\n"
    "`communication:` in the front matter. -->\n\n"
    "## Lessons learned\n\n"
    "<!-- Numbered lessons: what this incident taught about the system or the\n"
    "way we work, true beyond this incident (\"we need to …\" is an action item,\n"
    "not a lesson). At least one action item addresses each lesson. -->\n\n"
    "1. …\n\n"
    "## Action items\n\n"
    "<!-- One row per change, specific enough to be finished (not \"investigate\"\n"
    "or \"improve monitoring\"): one person as owner (@name), a due date within 45\n"
    "days, a priority (P1 to P3), the lesson it addresses (#1), its status (open\n"
    "or done) and, once done, a link to the change. -->\n\n"
    "| # | Action | Owner | Due | Priority | Lesson | Status | Link |\n"
    "|---|---|---|---|---|---|---|---|\n";

void template_write(struct dbf_buf *out, const struct template_fields *f)
{
    const char *title = f->title ? f->title : "TBD: what customers saw, where, for how long";
    front_matter(out, f, title);
    dbf_buf_addf(out, "# %s\n\n", title);
    dbf_buf_adds(out, "<!-- The title names the problem people had and its scope, not the cause:\n"
                      "\"Card payments declined for 22% of EU shoppers for 41 minutes\". -->\n\n");
    dbf_buf_adds(out, body);
}
