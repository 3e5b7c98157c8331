/* description.c: an action item's description as one clean line.
 *
 * A list item carries its fields inline ("Pin the config (owner: Dana,
 * due: 2026-11-20)"); the parser has read them already, so the line keeps
 * only what is to be done: no number or check box in front, no field runs,
 * no owner in brackets at the end. */
#include "followup.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const field_keys[] = {
    "owner",    "owners",   "assignee", "assigned to", "dri",      "due",
    "due date", "deadline", "eta",      "priority",    "prio",     "lesson",
    "lessons",  "status",   "link",     "ticket",      "tracking",
};

/* Does a "key:" field start at P (after spaces and emphasis)? */
static bool field_at(const char *p)
{
    while (*p == ' ' || *p == '*' || *p == '_')
        p++;
    for (size_t i = 0; i < sizeof field_keys / sizeof field_keys[0]; i++) {
        size_t n = strlen(field_keys[i]);
        if (strncasecmp(p, field_keys[i], n) != 0)
            continue;
        const char *q = p + n;
        while (*q == ' ' || *q == '*' || *q == '_')
            q++;
        if (*q == ':' || *q == '=')
            return true;
    }
    return false;
}

/* Drops the bytes [FROM, TO) of S (LEN bytes, NUL-terminated). */
static void cut(char *s, size_t *len, size_t from, size_t to)
{
    memmove(s + from, s + to, *len - to + 1);
    *len -= to - from;
}

static void trim_end(char *s, size_t *len)
{
    while (*len && (isspace((unsigned char)s[*len - 1]) || strchr(",;:-|", s[*len - 1])))
        s[--*len] = '\0';
    /* A dash used as a separator: " —" or " –". */
    while (*len >= 4 && (strcmp(s + *len - 3, "—") == 0 || strcmp(s + *len - 3, "–") == 0)) {
        *len -= 3;
        s[*len] = '\0';
        while (*len && isspace((unsigned char)s[*len - 1]))
            s[--*len] = '\0';
    }
}

/* The owner in brackets at the end, "(@alice)" or "(Jane Doe)". */
static bool is_owner_note(const char *inside, size_t n, const char *owner)
{
    if (!owner)
        return false;
    while (*owner == '@')
        owner++;
    while (n && *inside == '@') {
        inside++;
        n--;
    }
    return n == strlen(owner) && strncasecmp(inside, owner, n) == 0;
}

void dbf__action_clean_description(char *s, const char *owner)
{
    size_t len = strlen(s);
    size_t lead = 0;
    /* A check box, then a number: "[x] 2. ", "#3 ", "2) ". */
    if (len >= 4 && s[0] == '[' && s[2] == ']' && strchr(" xX", s[1]) && s[3] == ' ')
        lead = 4;
    size_t p = lead + (s[lead] == '#');
    size_t d = p;
    while (d < len && d - p < 3 && isdigit((unsigned char)s[d]))
        d++;
    if (d > p && strchr(".):", s[d]) && s[d] && s[d + 1] == ' ')
        lead = d + 2;
    else if (d > p && p > lead && s[d] == ' ')
        lead = d + 1;
    cut(s, &len, 0, lead);

    /* Bracketed field runs anywhere, and the owner in brackets at the end. */
    size_t i = 0;
    while (i < len) {
        char close = s[i] == '(' ? ')' : s[i] == '[' ? ']' : '\0';
        char *end = close ? strchr(s + i + 1, close) : NULL;
        if (!end) {
            i++;
            continue;
        }
        size_t j = (size_t)(end - s) + 1;
        bool at_end = s[j] == '\0' || (s[j] == '.' && s[j + 1] == '\0');
        if (field_at(s + i + 1) || (at_end && is_owner_note(s + i + 1, j - i - 2, owner))) {
            while (i && s[i - 1] == ' ')
                i--;
            cut(s, &len, i, j);
        } else {
            i = j;
        }
    }
    /* A run of fields after the text: "Pin it; owner: Dana, due: …". */
    for (size_t k = 1; k < len; k++) {
        bool boundary =
            strchr(",;|", s[k - 1]) || s[k - 1] == ' ' ||
            (k >= 3 && (memcmp(s + k - 3, "—", 3) == 0 || memcmp(s + k - 3, "–", 3) == 0));
        if (boundary && !isspace((unsigned char)s[k]) && field_at(s + k)) {
            size_t keep = k;
            while (keep && (s[keep - 1] == ' ' || s[keep - 1] == '('))
                keep--;
            if (keep) {
                s[keep] = '\0';
                len = keep;
            }
            break;
        }
    }
    trim_end(s, &len);
}
