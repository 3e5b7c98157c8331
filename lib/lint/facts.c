/* facts.c: what several rules need to know about a document, worked out once.
 *
 * Whether customers were hit comes from the front matter when it says so;
 * otherwise from the summary, impact and title (people unable to do
 * something, errors they saw, an outage of what they use) or from people
 * unable to do something anywhere outside the plans, unless the text or an
 * impact table ("Customers impacted | None") says no one was affected.
 * Dates come from the front matter first, then from the timeline. */
#include "rules.h"

#include <string.h>
#include <strings.h>

/* The people a service is for, as post mortems name them. */
#define SERVED                                                                                     \
    "users?|customers?|clients?|partners|tenants|subscribers|members|visitors|people|"             \
    "everyone|anyone|merchants|buyers|shoppers|players|readers|students|developers|"               \
    "contributors|maintainers|participants|operators|downstream|viewers|listeners|"                \
    "watchers|riders|drivers|guests|passengers|patients|sellers|account holders|households"

/* People served who were hurt (unable to do something, seeing errors,
 * delayed, logged out), what they asked of the service (their transactions,
 * orders, logins) failing, or the service itself down for them. */
static struct dbf__re people_hit = DBF_RE(
    "\\b(" SERVED ")\\b[^.\\n]{0,80}?\\b(unable|could not|couldn't|can ?not|can't|"
    "were not able|did not (?:receive|get)|didn't (?:receive|get)|failed|failing|errors?|"
    "affected|impacted|lost|experienced|saw|received|blocked|disrupted|delayed|logged out|"
    "timeouts?|slow(ness)?|degraded|down|outages?|"
    "not (?:starting|working|loading|responding|launching|accessible|available)|unusable|"
    "forbidden|stuck|getting (?:an? )?['\"]?[45]\\d\\d)\\b|"
    "\\b(requests|api calls|searches|transactions|orders|payments|purchases|checkouts?|logins|"
    "sign-?ins|deliveries|notifications)\\b[^.\\n]{0,40}?\\b(?:were|was|are|is|being|got)\\s+(?:"
    "\\w+\\s+)?"
    "(failed|failing|rejected|dropped|disrupted|delayed|lost)\\b|"
    "\\b(outages?|downtime|unavailab\\w+|inaccessible|went down|was down|were down|"
    "(?:site|service|website) (?:is|was) (?:hard |completely )?down|"
    "service disruption|degraded service|service (?:was|is) degraded|denial of service|"
    "data ?loss|lost data)\\b");
/* People unable to do something, wherever the document says it: strict
 * enough to read beyond the summary. */
static struct dbf__re people_unable =
    DBF_RE("\\b(" SERVED ")\\b[^.\\n]{0,40}?\\b(could not|couldn't|cannot|can't|were unable|"
           "was unable|unable to|were not able|was not able)\\b");

/* Statements that nobody outside was hit: "no customer impact", "Customers
 * Impacted: None", "only internal users were affected", a near miss. "No
 * data was lost" is not one: people can be locked out with their data safe. */
static struct dbf__re nobody_hit =
    DBF_RE("\\bno (users?|customers?|customer|user|one)\\b[^.\\n]{0,30}\\b(were|was)?\\s*"
           "(affected|impacted|lost|exposed|at risk)\\b|\\bno (customer|user|end-user|external)[- ]"
           "(facing )?(impact|data loss)\\b|\\bnot (customer|user)[- ]facing\\b|\\bwithout (any )?"
           "(customer|user) impact\\b|\\bnear[- ]miss\\b|"
           "\\b(customers?|users?|clients?)\\s+(impacted|affected)\\W{0,6}(none|0|zero|no)\\b|"
           "\\bonly internal "
           "(teams?|users?|services?|systems?|tooling)\\b[^.\\n]{0,20}\\b(impacted|affected)\\b");

static bool any_match(const struct dbf_doc *doc, struct dbf__re *re, bool summary_only)
{
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b))
            continue;
        enum dbf_section_kind k = dbf_doc_block_kind(doc, b);
        if (k == DBF_SECTION_ACTIONS || k == DBF_SECTION_LESSONS)
            continue;
        bool front = k == DBF_SECTION_SUMMARY || k == DBF_SECTION_IMPACT || (b->section < 0) ||
                     (k == DBF_SECTION_OTHER && i < 12);
        if (summary_only && !front)
            continue;
        if (dbf__re_search(re, b->text, b->len, 0, NULL))
            return true;
    }
    return false;
}

static struct dbf__re impacted_column =
    DBF_RE("^\\W*(customers?|users?|clients?|people)\\s+(impacted|affected)\\W*$");
static struct dbf__re none_value = DBF_RE("^\\W*(none|no|0|zero|n/a)\\W*$");

/* An impact table whose "Customers impacted" column says none. */
static bool table_says_nobody(const struct dbf_doc *doc)
{
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *h = &doc->blocks[i];
        if (h->type != DBF_BLOCK_TABLE_CELL || h->table_row != 0 ||
            !dbf__re_search(&impacted_column, h->text, h->len, 0, NULL))
            continue;
        for (size_t j = i + 1; j < doc->block_count; j++) {
            const struct dbf_block *c = &doc->blocks[j];
            if (c->type != DBF_BLOCK_TABLE_CELL || c->table != h->table)
                break;
            if (c->table_row == 1 && c->table_column == h->table_column)
                return dbf__re_search(&none_value, c->text, c->len, 0, NULL);
        }
    }
    return false;
}

static struct dbf_date first_date(const struct dbf_doc *doc, bool last)
{
    struct dbf_date d = {0};
    for (size_t i = 0; i < doc->timeline_count; i++) {
        const struct dbf_timeline_entry *e = &doc->timeline[i];
        if (e->time_ok && e->time.date.year >= 1990) {
            d = e->time.date;
            if (!last)
                break;
        }
    }
    return d;
}

void dbf__facts_compute(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    const struct dbf_meta *m = &doc->meta;
    struct dbf__facts *f = &lint->facts;

    f->impact_table_says_none = table_says_nobody(doc);
    if (m->customer_facing != DBF_UNSET) {
        f->customer_facing = m->customer_facing == DBF_TRUE;
        f->customer_facing_known = true;
    } else {
        bool hit = any_match(doc, &people_hit, true) || any_match(doc, &people_unable, false) ||
                   (doc->title && dbf__re_test(&people_hit, doc->title));
        f->customer_facing =
            hit && !f->impact_table_says_none && !any_match(doc, &nobody_hit, true);
    }
    f->security = m->security == DBF_TRUE;
    for (size_t i = 0; i < m->tags.count; i++)
        if (strcasecmp(m->tags.items[i], "security") == 0)
            f->security = true;

    const struct dbf_meta_value *starts[] = {&m->trigger, &m->impact_start, &m->detected};
    for (size_t i = 0; i < 3 && !f->incident_date.year; i++)
        f->incident_date = dbf__date_of(starts[i]->text);
    if (!f->incident_date.year)
        f->incident_date = first_date(doc, false);
    const struct dbf_meta_value *ends[] = {&m->resolved, &m->mitigated};
    for (size_t i = 0; i < 2 && !f->incident_end_date.year; i++)
        f->incident_end_date = dbf__date_of(ends[i]->text);
    if (!f->incident_end_date.year)
        f->incident_end_date = first_date(doc, true);
    if (!f->incident_end_date.year)
        f->incident_end_date = f->incident_date;
    f->document_date = dbf__date_of(m->created.text);
    if (!f->document_date.year)
        f->document_date = f->incident_end_date;
    for (size_t i = 0; i < doc->timeline_count; i++)
        if (doc->timeline[i].time_ok && doc->timeline[i].time.has_clock)
            f->has_timeline_times = true;
    f->analysis_deep = dbf__analysis_deep(lint, &f->analysis_levels);
}
