/* rules_context.c: the context rules: can a reader from another team follow
 * the document (acronyms explained, the architecture drawn)?
 *
 * Acronyms are read from the flattened prose of each block; the source line
 * is consulted only to tell a code span (`MAX_POOL_SIZE`) from prose, since
 * flattening keeps a code span's text but not its backticks. */
#include "../util/swar.h"
#include "rules.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* context/undefined-acronym: an acronym outside the allowed lists that is
 * never expanded ("write-ahead log (WAL)", "WAL (write-ahead log)", "WAL
 * stands for …") nor defined in a glossary. One finding per acronym, at its
 * first use in prose. */

/* Capitalised words that are emphasis or keywords, not acronyms. */
static const char *const not_acronyms[] = {
    /* English words written in capitals for emphasis */
    "AM",
    "PM",
    "NOT",
    "ALL",
    "AND",
    "OR",
    "NO",
    "YES",
    "THE",
    "IS",
    "TO",
    "IN",
    "ON",
    "AT",
    "BY",
    "WE",
    "DO",
    "OF",
    "IF",
    "AS",
    "BE",
    "SO",
    "MY",
    "ME",
    "FOR",
    "ANY",
    "NEW",
    "NOW",
    "ONLY",
    "NEVER",
    "MUST",
    "NEED",
    "DONE",
    "STOP",
    "DOWN",
    "UP",
    "OFF",
    "OUT",
    "FIX",
    "BUG",
    "HELP",
    "SET",
    "NOTE",
    "VERY",
    "BUT",
    "WAS",
    "ARE",
    "WILL",
    "CAN",
    "DID",
    "HAS",
    "HAD",
    "ALSO",
    "THIS",
    "THAT",
    "WITH",
    "WHAT",
    "WHY",
    "HOW",
    "WHEN",
    "OPEN",
    "CLOSED",
    "LIVE",
    "IMPACT",
    "ACTION",
    "ONE",
    "TWO",
    /* markers left in text */
    "TODO",
    "TBD",
    "FIXME",
    "XXX",
    "WIP",
    /* literals and log levels */
    "EOF",
    "NULL",
    "TRUE",
    "FALSE",
    "NAN",
    "WARN",
    "INFO",
    "ERROR",
    "DEBUG",
    "FATAL",
    "TRACE",
    /* HTTP methods */
    "GET",
    "PUT",
    "POST",
    "HEAD",
    "PATCH",
    "DELETE",
    /* SQL keywords */
    "UPDATE",
    "SELECT",
    "WHERE",
    "FROM",
    "INSERT",
    "INTO",
    "VALUES",
    "TABLE",
    "JOIN",
    "UNIQUE",
    "PRIMARY",
    "KEY",
    "INDEX",
    "DROP",
    "CREATE",
    "ALTER",
    "GRANT",
    "COMMIT",
    "BEGIN",
    "VACUUM",
    "ATTACH",
};

/* Zone abbreviations: a time's zone, not jargon. */
static const char *const zones[] = {
    "UTC",  "GMT",  "PST",  "PDT",  "PT",   "EST",  "EDT", "ET",   "CST",  "CDT",
    "CT",   "MST",  "MDT",  "MT",   "AKST", "AKDT", "HST", "CET",  "CEST", "EET",
    "EEST", "WET",  "WEST", "BST",  "IST",  "JST",  "KST", "SGT",  "HKT",  "AEST",
    "AEDT", "ACST", "AWST", "NZST", "NZDT", "MSK",  "BRT", "SAST",
};

/* Is WORD[0..N) one of LIST[0..COUNT)? The first letter rules out most
 * entries before their length is known: every capitalised word of the
 * prose comes here. */
static bool in_list(const char *const *list, size_t count, const char *word, size_t n)
{
    for (size_t i = 0; i < count; i++)
        if (list[i][0] == word[0] && strncmp(list[i], word, n) == 0 && list[i][n] == '\0')
            return true;
    return false;
}
#define IN_LIST(list, word, n) in_list(list, sizeof list / sizeof list[0], word, n)

/* Two capital letters at least, and not a Roman numeral ("III"). */
static bool looks_like_acronym(const char *w, size_t n)
{
    size_t letters = 0, roman = 0;
    for (size_t i = 0; i < n; i++) {
        letters += isupper((unsigned char)w[i]) != 0;
        roman += w[i] == 'I' || w[i] == 'V' || w[i] == 'X';
    }
    return letters >= 2 && roman < n;
}

struct acronym {
    char word[8];
    size_t len;
    bool used; /* a use in prose was seen */
    struct dbf_pos first;
    bool explained; /* expanded, defined, or used as a unit after a number */
};

#define ACRONYM_SLOTS 1024

/* A slot holds an acronym only when its bit in TAKEN is set: a document
 * fills a few dozen slots, and clearing the bits alone costs far less than
 * clearing every slot. */
struct acronym_table {
    uint64_t taken[ACRONYM_SLOTS / 64];
    struct acronym slot[ACRONYM_SLOTS];
    size_t count;
};

static bool slot_taken(const struct acronym_table *t, size_t i)
{
    return t->taken[i / 64] >> (i % 64) & 1;
}

/* The entry of W, added when ADD and new; NULL when absent (or the table is
 * full). */
static struct acronym *lookup(struct acronym_table *t, const char *w, size_t n, bool add)
{
    unsigned h = 5381;
    for (size_t i = 0; i < n; i++)
        h = h * 33u + (unsigned char)w[i];
    for (size_t probe = 0; probe < ACRONYM_SLOTS; probe++) {
        size_t i = (h + probe) % ACRONYM_SLOTS;
        struct acronym *a = &t->slot[i];
        if (!slot_taken(t, i)) {
            if (!add || t->count + 1 >= ACRONYM_SLOTS)
                return NULL;
            *a = (struct acronym){.len = n};
            memcpy(a->word, w, n);
            t->taken[i / 64] |= (uint64_t)1 << (i % 64);
            t->count++;
            return a;
        }
        if (a->len == n && memcmp(a->word, w, n) == 0)
            return a;
    }
    return NULL;
}

/* Where the long form of ACR starts at the end of PHRASE, or -1: every
 * letter of the acronym, last to first, is found in the phrase in order, the
 * first one at the start of a word (the algorithm of Schwartz and Hearst,
 * 2003). "Ledger Reconciliation Service" is a long form of LRS,
 * "write-ahead log" of WAL. */
static long long_form_start(const char *acr, size_t n, const char *phrase, size_t len)
{
    long l = (long)len - 1;
    for (long k = (long)n - 1; k >= 0; k--) {
        int c = tolower((unsigned char)acr[k]);
        if (!isalnum(c))
            continue;
        while (l >= 0 && (tolower((unsigned char)phrase[l]) != c ||
                          (k == 0 && l > 0 && isalnum((unsigned char)phrase[l - 1]))))
            l--;
        if (l < 0)
            return -1;
        l--;
    }
    return l + 1;
}

static size_t count_words(const char *s, size_t len)
{
    size_t words = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        bool c = isalnum((unsigned char)s[i]) != 0;
        words += c && !in;
        in = c;
    }
    return words;
}

/* Is PHRASE, from its start, a long form of ACR (and not the acronym itself
 * again, as in "SLOs: slo-report.csv")? */
static bool opens_with_long_form(const char *acr, size_t n, const char *phrase, size_t len)
{
    while (len && !isalnum((unsigned char)*phrase)) {
        phrase++;
        len--;
    }
    if (len < n + 3 || count_words(phrase, len) < 2 || strncasecmp(phrase, acr, n) == 0)
        return false;
    size_t first_word = strcspn(phrase, " -\n");
    for (size_t end = len; end > first_word; end--) {
        long at = long_form_start(acr, n, phrase, end);
        if (at >= 0 && (size_t)at < first_word)
            return true;
    }
    return false;
}

/* The phrase of up to MAX words that ends at TEXT[END) (exclusive), in *START. */
static size_t phrase_before(const char *text, size_t end, size_t max_words, size_t *start)
{
    size_t i = end, words = 0;
    while (i > 0 && text[i - 1] == ' ')
        i--;
    size_t stop = i;
    while (i > 0 && words < max_words) {
        size_t j = i;
        while (j > 0 && text[j - 1] != ' ' && text[j - 1] != '\n' && text[j - 1] != '(' &&
               text[j - 1] != ',' && text[j - 1] != ';' && text[j - 1] != ':')
            j--;
        if (j == i)
            break;
        words++;
        i = j;
        if (i == 0 || (text[i - 1] != ' '))
            break;
        i--;
    }
    while (i < stop && text[i] == ' ')
        i++;
    *start = i;
    return stop - i;
}

/* Is the use of the acronym at TEXT[AT, AT+N), whose match ends at END, an
 * expansion or a definition? */
static bool expands_here(const struct dbf_block *b, size_t at, size_t n, size_t end)
{
    const char *t = b->text;
    const char *acr = t + at;
    /* "Full Name (ABC)": the long form ends right before the '('. */
    if (at >= 2 && t[at - 1] == '(') {
        size_t start;
        size_t len = phrase_before(t, at - 1, n + 5 < 2 * n ? n + 5 : 2 * n, &start);
        long from = long_form_start(acr, n, t + start, len);
        if (from >= 0 &&
            (count_words(t + start + from, len - (size_t)from) >= 2 || len - (size_t)from >= n + 3))
            return true;
    }
    /* "ABC (Full Name)", "ABC: full name", "ABC - full name", "ABC, or full name,". */
    size_t p = end;
    while (p < b->len && t[p] == ' ')
        p++;
    if (p < b->len && (t[p] == '(' || t[p] == ':' || t[p] == '-' || t[p] == ',')) {
        char close = t[p] == '(' ? ')' : '\0';
        size_t q = p + 1, stop = q;
        while (stop < b->len && t[stop] != '\n' &&
               (close ? t[stop] != close : t[stop] != '.' && t[stop] != ',' && t[stop] != ';'))
            stop++;
        if (!close && q + 4 < stop && strncmp(t + q, " or ", 4) == 0)
            q += 4;
        if (opens_with_long_form(acr, n, t + q, stop - q))
            return true;
    }
    static struct dbf__re stands_for = DBF_RE("^\\W{0,3}(stands for|short for|is short for|means|"
                                              "is an? (abbreviation|acronym) for)\\b");
    if (dbf__re_search(&stands_for, t + end, b->len - end, 0, NULL))
        return true;
    /* A definition list or glossary-style item: "- **WAL**: write-ahead log". */
    return b->lead && strlen(b->lead) == n && memcmp(b->lead, acr, n) == 0 && end < b->len;
}

/* An amount before it ("4.1m ABC", "2,500 XYZ", "12000 TKN"): a currency,
 * a token or a unit, not jargon. A small count ("3 LB nodes") is not an
 * amount. */
static bool after_amount(const char *t, size_t at)
{
    size_t i = at;
    while (i > 0 && t[i - 1] == ' ')
        i--;
    if (i == at)
        return false;
    bool magnitude = i > 0 && strchr("kmbKMB", t[i - 1]) != NULL;
    if (magnitude)
        i--;
    if (i == 0 || !isdigit((unsigned char)t[i - 1]))
        return false;
    size_t end = i, digits = 0;
    bool separator = false;
    while (i > 0 && (isdigit((unsigned char)t[i - 1]) || t[i - 1] == ',' || t[i - 1] == '.')) {
        digits += isdigit((unsigned char)t[i - 1]) != 0;
        separator |= !isdigit((unsigned char)t[i - 1]);
        i--;
    }
    if (!digits || (i > 0 && isalpha((unsigned char)t[i - 1])))
        return false;
    return end > i && (magnitude || separator || digits >= 4);
}

/* A block written in capitals throughout ("WHAT WE CHANGED AND WHY") shouts; its
 * words are not acronyms. */
static bool shouts(const struct dbf_block *b)
{
    size_t words = 0;
    bool in = false;
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)b->text[i];
        if (islower(c))
            return false;
        bool letter = isalpha(c) != 0;
        words += letter && !in;
        in = letter;
    }
    return words >= 3;
}

/* Is the word at [AT, AT + N) part of a phrase in capitals ("OUTAGE BEGINS",
 * "INCIDENT ENDS")? Two or more capitals-only words in a row, one of them
 * five letters or longer, are emphasis; a pair of short acronyms ("AWS
 * EKS") is not. */
static bool in_shouted_phrase(const char *text, size_t len, size_t at, size_t n)
{
    size_t start = at, end = at + n, longest = n, words = 1;
    for (;;) { /* words before */
        if (start < 2 || text[start - 1] != ' ' || !isupper((unsigned char)text[start - 2]))
            break;
        size_t w = start - 1;
        while (w > 0 && isupper((unsigned char)text[w - 1]))
            w--;
        if (w > 0 && isalnum((unsigned char)text[w - 1]))
            break;
        longest = start - 1 - w > longest ? start - 1 - w : longest;
        words++;
        start = w;
    }
    for (;;) { /* words after */
        if (end + 1 >= len || text[end] != ' ' || !isupper((unsigned char)text[end + 1]))
            break;
        size_t w = end + 1;
        while (w < len && isupper((unsigned char)text[w]))
            w++;
        if (w < len && isalnum((unsigned char)text[w]))
            break;
        longest = w - end - 1 > longest ? w - end - 1 : longest;
        words++;
        end = w;
    }
    return words >= 2 && longest >= 5;
}

static struct dbf__re acronym_token = DBF_RE_CASED(
    "(?<![\\w/.@$#&%\\\\-])([A-Z][A-Z0-9]{1,5})(?:'?s)?(?![\\w/@]|\\.[A-Za-z0-9]|-[a-z0-9])");

/* Do the eight bytes at S hold a capital? */
static bool has_capital(const char *s)
{
    return dbf__bytes_in(dbf__load8(s), 'A', 'Z') != 0;
}

/* The first byte at or after FROM where acronym_token can match: a capital
 * followed by a capital or a digit; LEN when there is none. The pattern has
 * no words for the prefilter to look for, and most blocks hold no such
 * pair: this scan answers them instead of PCRE2. Prose has a capital in a
 * few words: eight bytes without one are passed over at once. */
static size_t next_capital_pair(const char *s, size_t len, size_t from)
{
    size_t i = from;
    while (i + 1 < len) {
        if (i + 8 <= len && !has_capital(s + i)) {
            i += 8;
            continue;
        }
        if ((unsigned)(s[i] - 'A') < 26u &&
            ((unsigned)(s[i + 1] - 'A') < 26u || (unsigned)(s[i + 1] - '0') < 10u))
            return i;
        i++;
    }
    return len;
}

static void scan_block(struct dbf__lint *lint, struct acronym_table *t, const struct dbf_block *b,
                       bool glossary)
{
    struct dbf__match m;
    size_t from = 0;
    while ((from = next_capital_pair(b->text, b->len, from)) < b->len &&
           dbf__re_search(&acronym_token, b->text, b->len, from, &m)) {
        from = m.end;
        size_t at = m.group_start[1], n = m.group_end[1] - at;
        if (in_shouted_phrase(b->text, b->len, at, n))
            continue;
        const char *w = b->text + at;
        if (!looks_like_acronym(w, n) || IN_LIST(not_acronyms, w, n) || IN_LIST(zones, w, n) ||
            dbf__acronym_allowed(lint, w, n))
            continue;
        struct acronym *a = lookup(t, w, n, true);
        if (!a || a->explained)
            continue;
        if (glossary || expands_here(b, at, n, m.end) || after_amount(b->text, at)) {
            a->explained = true;
            continue;
        }
        if (a->used)
            continue;
        int line = dbf_doc_block_line(b, at);
        int col = dbf__prose_column(lint->doc, line, w, n, DBF__WHOLE_WORD);
        if (col == 0)
            continue; /* code, not prose */
        a->used = true;
        a->first = (struct dbf_pos){line, col};
    }
}

/* A capitalised word that the document also writes in lower case as a
 * plain word ("UNIQUE" and "unique", "CALL" and "call") is emphasis or a
 * keyword, not an acronym. */
static bool written_as_plain_word(struct dbf__lint *lint, const struct acronym *a)
{
    return a->len >= 3 && dbf__written_lower_case(lint, a->word, a->len);
}

void dbf__check_context_undefined_acronym(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    struct acronym_table *t = malloc(sizeof *t);
    if (!t)
        return;
    memset(t->taken, 0, sizeof t->taken);
    t->count = 0;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b) || shouts(b))
            continue;
        scan_block(lint, t, b, dbf_doc_block_kind(doc, b) == DBF_SECTION_GLOSSARY);
    }
    /* Report in document order. */
    struct acronym *found[ACRONYM_SLOTS];
    size_t count = 0;
    for (size_t w = 0; w < ACRONYM_SLOTS / 64; w++)
        for (uint64_t bits = t->taken[w]; bits; bits &= bits - 1) {
            struct acronym *a = &t->slot[w * 64 + (size_t)__builtin_ctzll(bits)];
            if (a->used && !a->explained && !written_as_plain_word(lint, a))
                found[count++] = a;
        }
    for (size_t i = 1; i < count; i++)
        for (size_t j = i; j > 0 && (found[j]->first.line < found[j - 1]->first.line ||
                                     (found[j]->first.line == found[j - 1]->first.line &&
                                      found[j]->first.column < found[j - 1]->first.column));
             j--) {
            struct acronym *swap = found[j];
            found[j] = found[j - 1];
            found[j - 1] = swap;
        }
    for (size_t i = 0; i < count; i++)
        dbf__report(lint, found[i]->first,
                    "acronym '%s' is never expanded; spell it out at its first use (e.g. "
                    "'full name (%s)') or define it in a glossary",
                    found[i]->word, found[i]->word);
    free(t);
}

/* context/no-architecture: several services are involved and nothing draws
 * them: no image, no diagram block, no architecture section. */

static struct dbf__re service_name = DBF_RE(
    "\\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-(api|svc|service|db|database|worker|server|proxy|gateway|"
    "queue|cache|router|scheduler|store|frontend|backend|web|app|cluster|broker|indexer)\\b");
static struct dbf__re diagram_info = DBF_RE("^\\s*(dot|graphviz|mermaid|plantuml|d2|ditaa)\\b");
static struct dbf__re architecture_heading = DBF_RE("\\b(architecture|diagram|topology)\\b");

/* Distinct service names ("checkout-api", "orders-db") in the context
 * section, up to LIMIT. */
static size_t services_named(const struct dbf_doc *doc, size_t limit)
{
    const char *seen[8];
    size_t lens[8], count = 0;
    for (size_t i = 0; i < doc->block_count && count < limit && count < 8; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (!dbf__is_prose(b) && b->type != DBF_BLOCK_CODE)
            continue;
        if (b->type == DBF_BLOCK_CODE || dbf_doc_block_kind(doc, b) != DBF_SECTION_CONTEXT)
            continue;
        struct dbf__match m;
        size_t from = 0;
        while (count < 8 && dbf__re_search(&service_name, b->text, b->len, from, &m)) {
            from = m.end;
            bool known = false;
            for (size_t k = 0; k < count && !known; k++)
                known = lens[k] == m.end - m.start &&
                        strncasecmp(seen[k], b->text + m.start, lens[k]) == 0;
            if (!known) {
                seen[count] = b->text + m.start;
                lens[count++] = m.end - m.start;
            }
        }
    }
    return count;
}

static bool has_picture(const struct dbf_doc *doc)
{
    for (size_t i = 0; i < doc->section_count; i++)
        if (dbf__re_test(&architecture_heading, doc->sections[i].heading))
            return true;
    for (size_t i = 0; i < doc->block_count; i++) {
        const struct dbf_block *b = &doc->blocks[i];
        if (b->type == DBF_BLOCK_CODE && b->info && dbf__re_test(&diagram_info, b->info))
            return true;
        if (b->type == DBF_BLOCK_HTML && strstr(b->text, "<img"))
            return true;
    }
    for (size_t i = 0; i < doc->block_count; i++)
        if (doc->blocks[i].image)
            return true;
    return strstr(doc->source, "<img") != NULL || strstr(doc->source, "<svg") != NULL;
}

void dbf__check_context_no_architecture(struct dbf__lint *lint)
{
    const struct dbf_doc *doc = lint->doc;
    size_t services = doc->meta.services.count;
    if (services < 2)
        services = services_named(doc, 3) >= 3 ? 3 : services;
    if (services < 2 || has_picture(doc))
        return;
    const struct dbf_section *context = dbf_doc_section(doc, DBF_SECTION_CONTEXT);
    struct dbf_pos at = context                                 ? context->pos
                        : doc->title && doc->title_pos.line > 0 ? doc->title_pos
                                                                : (struct dbf_pos){1, 1};
    dbf__report(lint, at,
                "%zu services are involved and nothing shows how they connect; add a diagram of "
                "the parts the incident touched (an image or a fenced 'dot' block) to the context",
                services);
}
