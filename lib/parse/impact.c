/* impact.c: figures (numbers with units) in the prose, with their section.
 *
 * A figure is a count of affected things, a percentage, an amount of money,
 * or a duration. Version numbers, dates, times and bare numbers are not. */
#include "../util/re.h"
#include "clock.h"
#include "parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Number words that size an impact as well as digits do ("two students",
 * "a single cask", "nine hours"). */
#define NUMBER_WORD                                                                                \
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"            \
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"                 \
    "a hundred|hundreds|a dozen|dozens|a single|single"

/* Money; a number (digits, a range "10-30", or a number word) with a
 * percent sign or a unit noun, an adjective allowed between ("600 running
 * pods"); or a compact duration ("1h50m", "~17d"). The units are people,
 * units of work, pieces of infrastructure, data, money (a currency's name or
 * its upper-case code or ticker: "2.7M USD", "40 ETH") and time. Years
 * ("March 3 2026 some users") and HTTP statuses ("403 Forbidden") are not
 * figures. */
static struct dbf__re figure = DBF_RE(
    "(?<![\\w.:/"
    "-])(?:(?:[$€£]\\s?\\d+(?:,\\d{3})*(?:\\.\\d+)?(?:\\s?(?:k|m|bn|million|billion|thousand))?)"
    "|(?:~|about |around |approximately |over |nearly |almost |more than |less than |up to )?"
    "(?![1-5]\\d\\d\\s+(?:errors?|responses?|status|forbidden|not "
    "found))(?!(?:19|20)\\d\\d\\b(?![,.]?\\d))"
    "(\\d+(?:,\\d{3})*(?:\\.\\d+)?(?:\\s?[-–]\\s?\\d+(?:,\\d{3})*(?:\\.\\d+)?)?\\+?|(?:" NUMBER_WORD
    ")(?=\\s))\\s?(?:(%|percent\\b|per cent\\b)|"
    "(?:(?:k|m|million|thousand|hundred|billion)\\s+)?(?:(?:of\\s+)?(?:the\\s+|our\\s+|all\\s+|"
    "their\\s+)?(?:(?!(?:some|many|several|few|most|all|any|no|of|the)\\b)[a-z-]+\\s+)?)??"
    "(users?|customers?|people|persons|students|accounts|requests?|queries|calls|transactions?|"
    "orders?|payments?|jobs|builds?|pipelines?|messages?|e-?mails?|events|pages?|sites?|"
    "repositor(?:y|ies)|repos?|projects?|packages?|downloads?|nodes?|pods?|servers?|instances?|"
    "clusters?|services?|sessions?|errors?|failures?|tickets?|records?|rows?|files?|"
    "bytes|[kmgtpe]i?b|tokens?|teams?|organi[sz]ations?|orgs?|tenants?|merchants?|apps?|"
    "applications?|devices?|dollars?|euros?|pounds?|coins?|blocks?|deployments?|"
    "workloads?|containers?|machines?|vms?|databases?|domains?|endpoints?|"
    "participants?|visitors?|subscribers?|members?|partners?|websites?|hosts?|secrets?|"
    "credentials?|keys?|versions?|releases?|prs?|pull requests?|searches|notifications?|"
    "(?-i:[A-Z]{3,5})|"
    "ms|milliseconds?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\\b)"
    "|(\\d{1,3}h(?:\\s?\\d{1,2}m)?|\\d{1,4}\\s?(?:min|m|d)|\\d{1,2}\\s?h)\\b)");

static const struct {
    const char *word;
    double value;
} number_words[] = {
    {"one", 1},        {"two", 2},        {"three", 3},     {"four", 4},      {"five", 5},
    {"six", 6},        {"seven", 7},      {"eight", 8},     {"nine", 9},      {"ten", 10},
    {"eleven", 11},    {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15},
    {"sixteen", 16},   {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20},
    {"thirty", 30},    {"forty", 40},     {"fifty", 50},    {"sixty", 60},    {"a hundred", 100},
    {"hundreds", 100}, {"a dozen", 12},   {"dozens", 24},   {"a single", 1},  {"single", 1},
};

/* The value of the number at S: digits (commas dropped) or a number word. */
static double number_value(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++) {
        size_t n = strlen(number_words[i].word);
        if (n <= len && strncasecmp(s, number_words[i].word, n) == 0)
            return number_words[i].value;
    }
    char digits[32];
    size_t n = 0;
    for (size_t i = 0; i < len && n < sizeof digits - 1; i++) {
        if ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')
            digits[n++] = s[i];
        else if (s[i] != ',')
            break;
    }
    digits[n] = '\0';
    return strtod(digits, NULL);
}

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
            size_t num_at = m.group_start[1] != SIZE_MAX   ? m.group_start[1]
                            : m.group_start[4] != SIZE_MAX ? m.group_start[4]
                                                           : m.start;
            while (num_at < m.end && !(b->text[num_at] >= '0' && b->text[num_at] <= '9') &&
                   m.group_start[1] == SIZE_MAX)
                num_at++;
            const char *num = b->text + num_at;
            f->value = number_value(num, m.end - num_at);
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
            } else if (m.group_start[4] != SIZE_MAX) {
                size_t used;
                int64_t secs = dbf__duration_scan(num, m.end - num_at, &used);
                f->unit = secs >= 0 ? "duration" : "days";
                f->is_duration = true;
                f->seconds = secs >= 0 ? secs : (int64_t)(f->value * 86400);
            } else {
                f->unit = "money";
            }
        }
    }
    doc->internal->figure_cap = cap;
}
