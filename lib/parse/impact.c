/* impact.c: figures (numbers with units) in the prose, with their section.
 *
 * A figure is a count of affected things, a percentage, an amount of money,
 * or a duration. Version numbers, dates, times and bare numbers are not. */
#include "../util/re.h"
#include "clock.h"
#include "parse.h"

#include <stdlib.h>
#include <string.h>

static struct dbf__re figure = DBF_RE(
    "(?<![\\w.:/-])(?:(?:[$€£]\\s?\\d[\\d,]*(?:\\.\\d+)?(?:\\s?(?:k|m|bn|million|billion|thousand))?)"
    "|(?:~|about |around |approximately |over |nearly |almost |more than |less than |up to )?"
    "(\\d[\\d,]*(?:\\.\\d+)?)\\s?(?:(%|percent\\b|per cent\\b)|(?:(?:k|m|million|thousand|hundred|"
    "billion)\\s+)?(?:(?:of\\s+)?(?:the\\s+|our\\s+|all\\s+|their\\s+)?(?:[a-z-]+\\s+)?)??"
    "(users?|customers?|people|persons|students|accounts|requests?|queries|calls|transactions?|"
    "orders?|payments?|jobs|builds?|pipelines?|messages?|e-?mails?|events|pages?|sites?|"
    "repositor(?:y|ies)|repos?|projects?|packages?|downloads?|nodes?|pods?|servers?|instances?|"
    "clusters?|services?|hubs?|sessions?|errors?|failures?|tickets?|records?|rows?|files?|"
    "bytes|[kmgt]b|tokens?|teams?|organi[sz]ations?|orgs?|tenants?|merchants?|apps?|"
    "applications?|devices?|eth|btc|usd|eur|dollars?|coins?|blocks?|validators?|"
    "deployments?|workloads?|containers?|machines?|vms?|databases?|domains?|endpoints?|"
    "notebooks?|servers?|participants?|learners?|visitors?|subscribers?|members?|"
    "websites?|hosts?|secrets?|credentials?|keys?|versions?|releases?|"
    "ms|milliseconds?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\\b))");

void dbf__impact_extract(struct dbf_doc *doc)
{
    struct dbf__arena *arena = dbf__doc_arena(doc);
    size_t cap = 0;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type == DBF_BLOCK_CODE || b->type == DBF_BLOCK_HTML)
            continue;
        struct dbf__match m;
        size_t from = 0;
        while (from < b->len && dbf__re_search(&figure, b->text, b->len, from, &m)) {
            from = m.end > from ? m.end : from + 1;
            struct dbf_impact_figure *f = DBF_PUSH(doc->figures, doc->figure_count, cap);
            f->pos = (struct dbf_pos){dbf_doc_block_line(b, m.start), b->pos.column};
            f->section = dbf_doc_block_kind(doc, b);
            f->text = dbf__arena_strndup(arena, b->text + m.start, m.end - m.start);
            const char *num = b->text + (m.group_start[1] != SIZE_MAX ? m.group_start[1] : m.start);
            while (*num && (*num < '0' || *num > '9'))
                num++;
            char digits[32];
            size_t n = 0;
            for (const char *p = num; *p && n < sizeof digits - 1 && ((*p >= '0' && *p <= '9') || *p == ',' || *p == '.'); p++)
                if (*p != ',')
                    digits[n++] = *p;
            digits[n] = '\0';
            f->value = strtod(digits, NULL);
            if (m.group_start[2] != SIZE_MAX) {
                f->unit = "%";
            } else if (m.group_start[3] != SIZE_MAX) {
                f->unit = dbf__arena_strndup(arena, b->text + m.group_start[3],
                                             m.group_end[3] - m.group_start[3]);
                size_t used;
                int64_t secs = dbf__duration_scan(num, (size_t)(b->text + m.end - num), &used);
                if (secs >= 0) {
                    f->is_duration = true;
                    f->seconds = secs;
                }
            } else {
                f->unit = "money";
            }
        }
    }
    doc->internal->figure_cap = cap;
}
