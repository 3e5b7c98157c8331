/* priority.c: priorities as written, normalised to P0..P4.
 *
 * Trackers disagree on names; the table follows Jira's five levels
 * (Highest … Lowest) with the words post mortems use for them. */
#include "followup.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *word;
    enum dbf_priority priority;
} words[] = {
    {"critical", DBF_PRIORITY_P0},     {"urgent", DBF_PRIORITY_P0},
    {"blocker", DBF_PRIORITY_P0},      {"highest", DBF_PRIORITY_P0},
    {"immediate", DBF_PRIORITY_P0},    {"emergency", DBF_PRIORITY_P0},
    {"high", DBF_PRIORITY_P1},         {"major", DBF_PRIORITY_P1},
    {"important", DBF_PRIORITY_P1},    {"medium", DBF_PRIORITY_P2},
    {"med", DBF_PRIORITY_P2},          {"normal", DBF_PRIORITY_P2},
    {"moderate", DBF_PRIORITY_P2},     {"mid", DBF_PRIORITY_P2},
    {"low", DBF_PRIORITY_P3},          {"lowest", DBF_PRIORITY_P4},
    {"trivial", DBF_PRIORITY_P4},      {"minor", DBF_PRIORITY_P4},
    {"backlog", DBF_PRIORITY_P4},      {"someday", DBF_PRIORITY_P4},
    {"nice to have", DBF_PRIORITY_P4}, {"nice-to-have", DBF_PRIORITY_P4},
};

/* Words that may stand around the priority: "High priority", "Priority: P1". */
static const char *const filler[] = {"priority", "prio", "pri", "level"};

static bool is_filler(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof filler / sizeof filler[0]; i++)
        if (strlen(filler[i]) == n && strncasecmp(w, filler[i], n) == 0)
            return true;
    return false;
}

/* "P1", "p-1", "1": the level, or -1. */
static int level_of(const char *w, size_t n)
{
    if (n && (*w == 'P' || *w == 'p')) {
        w++;
        n--;
        if (n && *w == '-') {
            w++;
            n--;
        }
    }
    return n == 1 && *w >= '0' && *w <= '4' ? *w - '0' : -1;
}

enum dbf_priority dbf_priority_parse(const char *text)
{
    if (!text)
        return DBF_PRIORITY_NONE;
    char norm[64];
    size_t len = 0;
    for (const char *p = text; *p && len < sizeof norm - 1; p++) {
        unsigned char c = (unsigned char)*p;
        /* Brackets, emphasis and separators around the value are not part of it. */
        norm[len++] = (char)(isalnum(c) || c == '-' ? tolower(c) : ' ');
    }
    norm[len] = '\0';
    char *s = norm;
    while (*s == ' ')
        s++;
    while (len && norm[len - 1] == ' ')
        norm[--len] = '\0';
    /* Multi-word names first, as a whole. */
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strchr(words[i].word, ' ') && strcmp(s, words[i].word) == 0)
            return words[i].priority;
    /* The first value wins ("P1 (high)"); a word before it that is no value
     * ("not urgent") makes the whole no priority, except "very". */
    bool very = false;
    for (char *w = s; *w;) {
        size_t n = strcspn(w, " ");
        if (n == 4 && strncmp(w, "very", 4) == 0) {
            very = true;
        } else if (!is_filler(w, n)) {
            enum dbf_priority p = DBF_PRIORITY_NONE;
            int level = level_of(w, n);
            if (level >= 0)
                p = (enum dbf_priority)(DBF_PRIORITY_P0 + level);
            for (size_t i = 0; p == DBF_PRIORITY_NONE && i < sizeof words / sizeof words[0]; i++)
                if (strlen(words[i].word) == n && strncmp(w, words[i].word, n) == 0)
                    p = words[i].priority;
            if (very && p == DBF_PRIORITY_P1)
                p = DBF_PRIORITY_P0;
            else if (very && p == DBF_PRIORITY_P3)
                p = DBF_PRIORITY_P4;
            return p;
        }
        w += n;
        while (*w == ' ')
            w++;
    }
    return DBF_PRIORITY_NONE;
}

const char *dbf_priority_name(enum dbf_priority priority)
{
    static const char *const names[] = {NULL, "P0", "P1", "P2", "P3", "P4"};
    return priority >= DBF_PRIORITY_NONE && priority <= DBF_PRIORITY_P4 ? names[priority] : NULL;
}
