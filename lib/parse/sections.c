/* sections.c: the alias table that maps headings to section kinds.
 *
 * A heading is normalised (lower case, letters and digits only, single
 * spaces, leading numbering, parenthesised notes and the article "the"
 * dropped) and matched
 * against phrases. Rows are tried in order; a heading may name several kinds
 * ("Root cause and resolution"); the first row that matches gives its kind.
 * A question matches only a whole phrase, so that FAQ entries stay text. */
#include "parse.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static const char *const kind_names[DBF_SECTION_KIND_COUNT] = {
    [DBF_SECTION_OTHER] = "other",
    [DBF_SECTION_SUMMARY] = "summary",
    [DBF_SECTION_TIMELINE] = "timeline",
    [DBF_SECTION_METRICS] = "metrics",
    [DBF_SECTION_CONTEXT] = "context",
    [DBF_SECTION_GLOSSARY] = "glossary",
    [DBF_SECTION_IMPACT] = "impact",
    [DBF_SECTION_ROOT_CAUSE] = "root-cause",
    [DBF_SECTION_RESPONSE] = "response",
    [DBF_SECTION_POST_INCIDENT] = "post-incident",
    [DBF_SECTION_LESSONS] = "lessons",
    [DBF_SECTION_ACTIONS] = "actions",
    [DBF_SECTION_COMMUNICATION] = "communication",
};

const char *dbf_section_kind_name(enum dbf_section_kind kind)
{
    return kind >= 0 && kind < DBF_SECTION_KIND_COUNT ? kind_names[kind] : "other";
}

enum dbf_section_kind dbf_section_kind_from_name(const char *name)
{
    for (int k = 0; k < DBF_SECTION_KIND_COUNT; k++)
        if (strcmp(kind_names[k], name) == 0)
            return (enum dbf_section_kind)k;
    return DBF_SECTION_OTHER;
}

enum match { EXACT, WORDS };

struct alias {
    const char *phrase;
    enum dbf_section_kind kind;
    enum match match; /* EXACT: the whole heading; WORDS: the phrase as whole words */
};

static const struct alias aliases[] = {
    /* Exact names first: short words that mean something else inside longer headings. */
    {"summary", DBF_SECTION_SUMMARY, EXACT},
    {"overview", DBF_SECTION_SUMMARY, EXACT},
    {"tl dr", DBF_SECTION_SUMMARY, EXACT},
    {"tldr", DBF_SECTION_SUMMARY, EXACT},
    {"abstract", DBF_SECTION_SUMMARY, EXACT},
    {"description", DBF_SECTION_SUMMARY, EXACT},
    {"incident description", DBF_SECTION_SUMMARY, EXACT},
    {"what happened", DBF_SECTION_SUMMARY, EXACT},
    {"events", DBF_SECTION_TIMELINE, EXACT},
    {"key events", DBF_SECTION_TIMELINE, EXACT},
    {"cause", DBF_SECTION_ROOT_CAUSE, EXACT},
    {"causes", DBF_SECTION_ROOT_CAUSE, EXACT},
    {"trigger", DBF_SECTION_ROOT_CAUSE, EXACT},
    {"vulnerability", DBF_SECTION_ROOT_CAUSE, EXACT},
    {"conclusion", DBF_SECTION_ROOT_CAUSE, EXACT},
    {"conclusions", DBF_SECTION_ROOT_CAUSE, EXACT},
    {"analysis", DBF_SECTION_ROOT_CAUSE, EXACT},
    {"technical analysis", DBF_SECTION_ROOT_CAUSE, EXACT},
    {"details", DBF_SECTION_ROOT_CAUSE, EXACT},
    {"technical details", DBF_SECTION_ROOT_CAUSE, EXACT},
    {"incident details", DBF_SECTION_ROOT_CAUSE, EXACT},
    {"actions", DBF_SECTION_ACTIONS, EXACT},
    {"resolution", DBF_SECTION_RESPONSE, EXACT},
    {"recovery", DBF_SECTION_RESPONSE, EXACT},
    {"mitigation", DBF_SECTION_RESPONSE, EXACT},
    {"detection", DBF_SECTION_RESPONSE, EXACT},
    {"diagnosis", DBF_SECTION_RESPONSE, EXACT},
    {"escalation", DBF_SECTION_RESPONSE, EXACT},
    {"handling", DBF_SECTION_RESPONSE, EXACT},
    {"fix", DBF_SECTION_RESPONSE, EXACT},
    {"remediation", DBF_SECTION_RESPONSE, EXACT},
    {"background", DBF_SECTION_CONTEXT, EXACT},
    {"context", DBF_SECTION_CONTEXT, EXACT},
    {"introduction", DBF_SECTION_CONTEXT, EXACT},
    {"investigation", DBF_SECTION_POST_INCIDENT, EXACT},
    {"data", DBF_SECTION_METRICS, EXACT},
    {"graphs", DBF_SECTION_METRICS, EXACT},

    /* Phrases anywhere in the heading, most specific first. */
    {"lessons", DBF_SECTION_LESSONS, WORDS},
    {"lesson learned", DBF_SECTION_LESSONS, WORDS},
    {"learnings", DBF_SECTION_LESSONS, WORDS},
    {"takeaways", DBF_SECTION_LESSONS, WORDS},
    {"key takeaways", DBF_SECTION_LESSONS, WORDS},
    {"what went well", DBF_SECTION_LESSONS, WORDS},
    {"what went wrong", DBF_SECTION_LESSONS, WORDS},
    {"what went poorly", DBF_SECTION_LESSONS, WORDS},
    {"what went right", DBF_SECTION_LESSONS, WORDS},
    {"what didn t go well", DBF_SECTION_LESSONS, WORDS},
    {"what could have gone better", DBF_SECTION_LESSONS, WORDS},
    {"where we got lucky", DBF_SECTION_LESSONS, WORDS},
    {"things that went well", DBF_SECTION_LESSONS, WORDS},
    {"what we learned", DBF_SECTION_LESSONS, WORDS},
    {"reflections", DBF_SECTION_LESSONS, WORDS},
    {"retrospective", DBF_SECTION_LESSONS, WORDS},
    {"action items", DBF_SECTION_ACTIONS, WORDS},
    {"action item", DBF_SECTION_ACTIONS, WORDS},
    {"actions planned", DBF_SECTION_ACTIONS, WORDS},
    {"action taken", DBF_SECTION_ACTIONS, WORDS},
    {"actions taken", DBF_SECTION_ACTIONS, WORDS},
    {"action plan", DBF_SECTION_ACTIONS, WORDS},
    {"review actions", DBF_SECTION_ACTIONS, WORDS},
    {"follow up", DBF_SECTION_ACTIONS, WORDS},
    {"follow ups", DBF_SECTION_ACTIONS, WORDS},
    {"followups", DBF_SECTION_ACTIONS, WORDS},
    {"followup", DBF_SECTION_ACTIONS, WORDS},
    {"corrective", DBF_SECTION_ACTIONS, WORDS},
    {"preventative", DBF_SECTION_ACTIONS, WORDS},
    {"preventive", DBF_SECTION_ACTIONS, WORDS},
    {"next steps", DBF_SECTION_ACTIONS, WORDS},
    {"what we re doing about it", DBF_SECTION_ACTIONS, WORDS},
    {"what we are doing", DBF_SECTION_ACTIONS, WORDS},
    {"what s next", DBF_SECTION_ACTIONS, WORDS},
    {"future work", DBF_SECTION_ACTIONS, WORDS},
    {"future actions", DBF_SECTION_ACTIONS, WORDS},
    {"future improvements", DBF_SECTION_ACTIONS, WORDS},
    {"improvements", DBF_SECTION_ACTIONS, WORDS},
    {"remediation items", DBF_SECTION_ACTIONS, WORDS},
    {"remediations", DBF_SECTION_ACTIONS, WORDS},
    {"recommendations", DBF_SECTION_ACTIONS, WORDS},
    {"todo", DBF_SECTION_ACTIONS, WORDS},
    {"to do", DBF_SECTION_ACTIONS, WORDS},
    {"timeline", DBF_SECTION_TIMELINE, WORDS},
    {"timelines", DBF_SECTION_TIMELINE, WORDS},
    {"chronology", DBF_SECTION_TIMELINE, WORDS},
    {"sequence of events", DBF_SECTION_TIMELINE, WORDS},
    {"timeline of events", DBF_SECTION_TIMELINE, WORDS},
    {"time line", DBF_SECTION_TIMELINE, WORDS},
    {"root cause", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"root causes", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"rootcause", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"contributing factors", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"contributing factor", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"five whys", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"5 whys", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"whys", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"how did this happen", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"why did this happen", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"why did it happen", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"why it happened", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"why this was possible", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"why it was possible", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"how this was possible", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"what made this possible", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"why this happened", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"how it happened", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"causes", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"cause analysis", DBF_SECTION_ROOT_CAUSE, WORDS},
    /* What went wrong, described: "Details of the issue", "Bug details". */
    {"description of vulnerability", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"details of issue", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"details of incident", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"details of outage", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"details of exploit", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"details of attack", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"details of bug", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"vulnerability details", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"exploit details", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"bug details", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"trigger", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"triggers", DBF_SECTION_ROOT_CAUSE, WORDS},
    {"impact", DBF_SECTION_IMPACT, WORDS},
    {"impacts", DBF_SECTION_IMPACT, WORDS},
    {"impacted", DBF_SECTION_IMPACT, WORDS},
    {"what was impacted", DBF_SECTION_IMPACT, WORDS},
    {"affected", DBF_SECTION_IMPACT, WORDS},
    {"blast radius", DBF_SECTION_IMPACT, WORDS},
    {"summary", DBF_SECTION_SUMMARY, WORDS},
    {"overview", DBF_SECTION_SUMMARY, WORDS},
    {"tl dr", DBF_SECTION_SUMMARY, WORDS},
    {"glossary", DBF_SECTION_GLOSSARY, WORDS},
    {"terminology", DBF_SECTION_GLOSSARY, WORDS},
    {"definitions", DBF_SECTION_GLOSSARY, WORDS},
    {"terms", DBF_SECTION_GLOSSARY, WORDS},
    {"metrics", DBF_SECTION_METRICS, WORDS},
    {"graphs", DBF_SECTION_METRICS, WORDS},
    {"dashboards", DBF_SECTION_METRICS, WORDS},
    {"charts", DBF_SECTION_METRICS, WORDS},
    {"communication", DBF_SECTION_COMMUNICATION, WORDS},
    {"communications", DBF_SECTION_COMMUNICATION, WORDS},
    {"customer communication", DBF_SECTION_COMMUNICATION, WORDS},
    {"status page", DBF_SECTION_COMMUNICATION, WORDS},
    {"messaging", DBF_SECTION_COMMUNICATION, WORDS},
    {"incident response", DBF_SECTION_RESPONSE, WORDS},
    {"response", DBF_SECTION_RESPONSE, WORDS},
    {"detection", DBF_SECTION_RESPONSE, WORDS},
    {"diagnosis", DBF_SECTION_RESPONSE, WORDS},
    {"mitigation", DBF_SECTION_RESPONSE, WORDS},
    {"mitigations", DBF_SECTION_RESPONSE, WORDS},
    {"resolution", DBF_SECTION_RESPONSE, WORDS},
    {"recovery", DBF_SECTION_RESPONSE, WORDS},
    {"escalation", DBF_SECTION_RESPONSE, WORDS},
    {"post incident", DBF_SECTION_POST_INCIDENT, WORDS},
    {"postincident", DBF_SECTION_POST_INCIDENT, WORDS},
    {"investigation", DBF_SECTION_POST_INCIDENT, WORDS},
    {"after action", DBF_SECTION_POST_INCIDENT, WORDS},
    {"service context", DBF_SECTION_CONTEXT, WORDS},
    {"architecture", DBF_SECTION_CONTEXT, WORDS},
    {"lead up", DBF_SECTION_CONTEXT, WORDS},
    {"leadup", DBF_SECTION_CONTEXT, WORDS},
    {"background", DBF_SECTION_CONTEXT, WORDS},
    {"system overview", DBF_SECTION_CONTEXT, WORDS},
    {"context", DBF_SECTION_CONTEXT, WORDS},
};

/* Removes the word "the" from a normalised heading: an article does not
 * change what a heading names ("The fix", "Details of the issue"). */
static void drop_article(char *s)
{
    char *out = s;
    const char *p = s;
    while (*p) {
        bool word_start = p == s || p[-1] == ' ';
        if (word_start && strncmp(p, "the", 3) == 0 && (p[3] == ' ' || p[3] == '\0') &&
            (p != s || p[3] == ' ')) {
            p += p[3] == ' ' ? 4 : 3;
            continue;
        }
        *out++ = *p++;
    }
    while (out > s && out[-1] == ' ')
        out--;
    *out = '\0';
}

/* Lower-cases HEADING into OUT keeping letters and digits, one space between
 * words; drops a leading "1." / "IV." numbering and parenthesised notes. */
static void normalise(const char *heading, char *out, size_t size)
{
    size_t n = 0;
    int paren = 0;
    const char *p = heading;
    while (*p == ' ' || *p == '#' || *p == '*')
        p++;
    /* Leading section numbers: "1.", "2)", "1.2", "IV." */
    const char *q = p;
    while (isdigit((unsigned char)*q) || *q == '.')
        q++;
    if (q > p && (*q == ' ' || *q == ')'))
        p = q + (*q == ')');
    else {
        q = p;
        while (*q == 'I' || *q == 'V' || *q == 'X')
            q++;
        if (q > p && q[0] == '.' && q[1] == ' ')
            p = q + 1;
    }
    bool space = true;
    for (; *p && n + 1 < size; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '(' || c == '[') {
            paren++;
            continue;
        }
        if ((c == ')' || c == ']') && paren) {
            paren--;
            continue;
        }
        if (paren)
            continue;
        bool digit = c >= '0' && c <= '9', letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        if (digit || letter) { /* ASCII, as isalnum() and tolower() in the C locale */
            out[n++] = (char)(letter ? c | 0x20 : c);
            space = false;
        } else if (c == '&') {
            if (!space)
                out[n++] = ' ';
            if (n + 4 < size) {
                memcpy(out + n, "and ", 4);
                n += 4;
            }
            space = true;
        } else if (c == 0xE2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x99) {
            /* ’ as an apostrophe */
            p += 2;
            if (!space)
                out[n++] = ' ';
            space = true;
        } else if (!space) {
            out[n++] = ' ';
            space = true;
        }
    }
    while (n && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    drop_article(out);
}

/* The words of a normalised heading: where each starts. */
struct words {
    unsigned char at[128];
    size_t count;
};

/* Does PHRASE (LEN bytes) stand in TEXT as whole words, starting at one of
 * its WORDS? */
static bool has_words(const char *text, const struct words *words, const char *phrase, size_t len)
{
    for (size_t k = 0; k < words->count; k++) {
        const char *p = text + words->at[k];
        size_t j = 0;
        while (j < len && p[j] == phrase[j]) /* TEXT's NUL differs from any byte of PHRASE */
            j++;
        if (j == len && (p[len] == '\0' || p[len] == ' '))
            return true;
    }
    return false;
}

/* The index of the bit word_start_bit() gives C. */
static unsigned word_start_index(unsigned char c)
{
    return c >= 'a' && c <= 'z' ? (unsigned)(c - 'a') : c >= '0' && c <= '9' ? 26 : 27;
}

/* A bit for the first byte of a word: its letter, or 26 for a digit, 27 for
 * anything else. */
static unsigned word_start_bit(unsigned char c)
{
    return 1u << word_start_index(c);
}

/* The word_start_bit() of every word of the normalised TEXT, and where its
 * words start: a phrase whose first byte's bit is missing cannot be among
 * its words. */
static unsigned word_starts(const char *text, struct words *words)
{
    unsigned bits = 0;
    words->count = 0;
    for (const char *p = text; *p; p++)
        if (p == text || p[-1] == ' ') {
            bits |= word_start_bit((unsigned char)*p);
            if (words->count < sizeof words->at)
                words->at[words->count++] = (unsigned char)(p - text);
        }
    return bits;
}

#define ALIAS_COUNT (sizeof aliases / sizeof aliases[0])
#define ALIAS_WORDS ((ALIAS_COUNT + 63) / 64)

#define FIRST_WORD_SLOTS 512

/* The WORDS rows whose phrase opens with one word. */
struct first_word {
    const char *word; /* NULL: a free slot */
    size_t len;
    uint64_t rows[ALIAS_WORDS];
};

/* The rows of the alias table, one bit per row: by the word_start_index()
 * of their phrase's first byte, and the WORDS rows by their phrase's first
 * word as well. The rows a heading can match are a few of these sets
 * together, visited in the table's order. */
static struct {
    uint64_t exact[28][ALIAS_WORDS]; /* EXACT rows */
    uint64_t words[28][ALIAS_WORDS]; /* WORDS rows */
    size_t phrase_len[ALIAS_COUNT];
    struct first_word first_words[FIRST_WORD_SLOTS]; /* open addressing by word_hash() */
} rows_by_start;
static pthread_once_t rows_once = PTHREAD_ONCE_INIT;

static size_t word_hash(const char *word, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)word[i]) * 16777619u;
    return h % FIRST_WORD_SLOTS;
}

/* The slot of WORD in first_words: its own, or the free one it would take. */
static struct first_word *first_word_slot(const char *word, size_t len)
{
    size_t at = word_hash(word, len);
    struct first_word *slot = &rows_by_start.first_words[at];
    while (slot->word && !(slot->len == len && memcmp(slot->word, word, len) == 0)) {
        at = (at + 1) % FIRST_WORD_SLOTS;
        slot = &rows_by_start.first_words[at];
    }
    return slot;
}

static void rows_by_start_make(void)
{
    for (size_t i = 0; i < ALIAS_COUNT; i++) {
        const char *phrase = aliases[i].phrase;
        unsigned b = word_start_index((unsigned char)phrase[0]);
        uint64_t *set = aliases[i].match == EXACT ? rows_by_start.exact[b] : rows_by_start.words[b];
        set[i / 64] |= (uint64_t)1 << (i % 64);
        rows_by_start.phrase_len[i] = strlen(phrase);
        if (aliases[i].match == WORDS) {
            size_t len = strcspn(phrase, " ");
            struct first_word *slot = first_word_slot(phrase, len);
            slot->word = phrase;
            slot->len = len;
            slot->rows[i / 64] |= (uint64_t)1 << (i % 64);
        }
    }
}

/* HEADING normalised into NORM (256 bytes), and whether it is a question;
 * false when it is too short or too long to name a section. A question
 * names a section only when it is the section's name ("What went wrong?");
 * otherwise it is a question of a FAQ ("Does this impact my wallet?"). */
static bool read_heading(const char *heading, char norm[256], bool *question)
{
    normalise(heading, norm, 256);
    if (!norm[0] || strlen(norm) > 80)
        return false;
    size_t end = strlen(heading);
    while (end && (heading[end - 1] == ' ' || heading[end - 1] == '*' || heading[end - 1] == ':'))
        end--;
    *question = end && heading[end - 1] == '?';
    return true;
}

/* The kinds HEADING names, as bits, and the first of them in *FIRST. */
unsigned dbf__section_kinds_of_heading(const char *heading, enum dbf_section_kind *first)
{
    char norm[256];
    bool question;
    unsigned kinds = 0;
    *first = DBF_SECTION_OTHER;
    if (!read_heading(heading, norm, &question))
        return 0;
    struct words words;
    unsigned starts = word_starts(norm, &words);
    /* The rows the tests below can let through: those that start as the
     * heading does, and the WORDS rows whose first word is one of its words
     * (a phrase found at a word's start has its first word there). */
    pthread_once(&rows_once, rows_by_start_make);
    uint64_t rows[ALIAS_WORDS];
    unsigned lead = word_start_index((unsigned char)norm[0]);
    for (size_t w = 0; w < ALIAS_WORDS; w++)
        rows[w] = rows_by_start.exact[lead][w] | (question ? rows_by_start.words[lead][w] : 0);
    for (size_t k = 0; !question && k < words.count; k++) {
        const char *word = norm + words.at[k];
        size_t len = strcspn(word, " ");
        const struct first_word *slot = first_word_slot(word, len);
        if (slot->word)
            for (size_t w = 0; w < ALIAS_WORDS; w++)
                rows[w] |= slot->rows[w];
    }
    for (size_t w = 0; w < ALIAS_WORDS; w++) {
        for (uint64_t set = rows[w]; set; set &= set - 1) {
            size_t row = w * 64 + (size_t)__builtin_ctzll(set);
            const struct alias *a = &aliases[row];
            bool whole = a->match == EXACT || question;
            if (whole ? norm[0] != a->phrase[0]
                      : !(starts & word_start_bit((unsigned char)a->phrase[0])))
                continue;
            bool hit = whole ? strcmp(norm, a->phrase) == 0
                             : has_words(norm, &words, a->phrase, rows_by_start.phrase_len[row]);
            if (!hit)
                continue;
            if (!kinds)
                *first = a->kind;
            kinds |= 1u << a->kind;
            if (a->match == EXACT)
                return kinds;
        }
    }
    return kinds;
}

unsigned dbf__section_kinds_by_scan(const char *heading, enum dbf_section_kind *first)
{
    char norm[256];
    bool question;
    unsigned kinds = 0;
    *first = DBF_SECTION_OTHER;
    if (!read_heading(heading, norm, &question))
        return 0;
    for (size_t i = 0; i < ALIAS_COUNT; i++) {
        const struct alias *a = &aliases[i];
        bool whole = a->match == EXACT || question;
        bool hit = false;
        if (whole) {
            hit = strcmp(norm, a->phrase) == 0;
        } else {
            size_t len = strlen(a->phrase);
            for (const char *p = strstr(norm, a->phrase); p && !hit; p = strstr(p + 1, a->phrase))
                hit = (p == norm || p[-1] == ' ') && (p[len] == '\0' || p[len] == ' ');
        }
        if (!hit)
            continue;
        if (!kinds)
            *first = a->kind;
        kinds |= 1u << a->kind;
        if (a->match == EXACT)
            break;
    }
    return kinds;
}

enum dbf_section_kind dbf_section_kind_of_heading(const char *heading)
{
    enum dbf_section_kind first;
    dbf__section_kinds_of_heading(heading, &first);
    return first;
}
