/* re_split.c: cutting a pattern into alternatives that can be searched
 * apart. */
#include "re_split.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MOST_CUTS 256 /* top-level cuts a stretch may have before it is not cut at all */

/* Does the construct at P make the pattern unsafe to cut? P points at a
 * '(' or a '\'; DEPTH is the groups P stands in. */
static bool reaches_across(const char *p, int depth)
{
    if (p[0] == '\\')
        return (p[1] >= '1' && p[1] <= '9') || p[1] == 'g' || p[1] == 'k' || p[1] == 'Q';
    if (p[1] == '*')
        return true; /* (*VERB) and (*atomic:...) alike */
    if (p[1] != '?')
        return false;
    const char *q = p + 2;
    if (*q && strchr("(|R&PC#+0123456789", *q))
        return true;
    if (*q == '-' && q[1] >= '0' && q[1] <= '9')
        return true;
    /* (?i) and the like reach the alternatives after them. */
    while (*q && strchr("imnsxJU^-", *q))
        q++;
    return *q == ')' && depth == 0;
}

/* Does the '(' at P open a capturing group? */
static bool captures(const char *p)
{
    if (p[1] != '?')
        return p[1] != '*';
    return (p[2] == '<' && p[3] != '=' && p[3] != '!') || p[2] == '\'' ||
           (p[2] == 'P' && p[3] == '<');
}

/* The end of the class opening at P (its ']'), or NULL. */
static const char *class_end(const char *p)
{
    p++;
    if (*p == '^')
        p++;
    if (*p == ']')
        p++;
    for (; *p && *p != ']'; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '[' && p[1] == ':') {
            const char *end = strstr(p + 2, ":]");
            if (end)
                p = end + 1;
        }
    }
    return *p ? p : NULL;
}

/* What a stretch of pattern holds. */
struct reading {
    size_t cuts[MOST_CUTS]; /* where its '|' stand at depth 0 */
    size_t cut_count;
    unsigned groups;   /* capturing groups */
    bool quantified;   /* a quantifier at depth 0 */
    bool nested_group; /* a '(' at depth 0 that is not a lookaround */
    size_t first_group; /* where the first such '(' stands */
    bool ok;
};

/* Reads S[0..LEN), a balanced stretch. */
static struct reading read_stretch(const char *s, size_t len)
{
    struct reading r = {.ok = true};
    int depth = 0;
    for (size_t i = 0; i < len && r.ok; i++) {
        const char *p = s + i;
        if ((*p == '\\' || *p == '(') && reaches_across(p, depth))
            r.ok = false;
        else if (*p == '\\') {
            i++;
        } else if (*p == '[') {
            const char *end = class_end(p);
            if (!end || (size_t)(end - s) >= len)
                r.ok = false;
            else
                i = (size_t)(end - s);
        } else if (*p == '(') {
            bool lookaround = p[1] == '?' && (p[2] == '=' || p[2] == '!' ||
                                              (p[2] == '<' && (p[3] == '=' || p[3] == '!')));
            if (depth == 0 && !lookaround && !r.nested_group) {
                r.nested_group = true;
                r.first_group = i;
            }
            r.groups += captures(p);
            depth++;
        } else if (*p == ')') {
            if (--depth < 0)
                r.ok = false;
        } else if (depth == 0 && (*p == '*' || *p == '+' || *p == '?' || *p == '{')) {
            r.quantified = true;
        } else if (*p == '|' && depth == 0) {
            if (r.cut_count == MOST_CUTS)
                r.ok = false;
            else
                r.cuts[r.cut_count++] = i;
        }
    }
    if (depth != 0)
        r.ok = false;
    return r;
}

/* The ')' closing the group opening at S[AT], or 0. */
static size_t group_end(const char *s, size_t at)
{
    int depth = 0;
    for (size_t i = at; s[i]; i++) {
        if (s[i] == '\\') {
            if (s[i + 1])
                i++;
        } else if (s[i] == '[') {
            const char *end = class_end(s + i);
            if (!end)
                return 0;
            i = (size_t)(end - s);
        } else if (s[i] == '(') {
            depth++;
        } else if (s[i] == ')' && --depth == 0) {
            return i;
        }
    }
    return 0;
}

void dbf__re_parts_free(struct dbf__re_part *parts, size_t count)
{
    if (!parts)
        return;
    for (size_t i = 0; i < count; i++)
        free(parts[i].pattern);
    free(parts);
}

/* PART's pattern: HEAD, then S[FROM..TO), then TAIL. */
static bool join(struct dbf__re_part *part, const char *head, size_t head_len, const char *s,
                 size_t from, size_t to, const char *tail)
{
    size_t tail_len = strlen(tail), n = head_len + (to - from) + tail_len;
    part->pattern = malloc(n + 1);
    if (!part->pattern)
        return false;
    memcpy(part->pattern, head, head_len);
    memcpy(part->pattern + head_len, s + from, to - from);
    memcpy(part->pattern + head_len + (to - from), tail, tail_len + 1);
    return true;
}

/* Local group I of a part is group OF(I) of the whole. */
static void map_groups(struct dbf__re_part *part, unsigned (*of)(unsigned, const unsigned *),
                       const unsigned *ctx)
{
    for (unsigned i = 1; i < 10; i++) {
        unsigned whole = i <= part->groups ? of(i, ctx) : 0;
        part->group_of[i] = (unsigned char)(whole < 10 ? whole : 0);
    }
}

/* Top-level parts: ctx = {groups before the part}. */
static unsigned after_base(unsigned i, const unsigned *ctx)
{
    return ctx[0] + i;
}

/* Parts of a group: ctx = {group captures (0/1), groups of the earlier
 * alternatives, groups of this one, groups of all alternatives}. */
static unsigned in_group(unsigned i, const unsigned *ctx)
{
    unsigned own = ctx[0], before = ctx[1], mine = ctx[2], all = ctx[3];
    if (own && i == 1)
        return 1;
    if (i <= own + mine)
        return i + before;
    return i - mine + all;
}

/* The cut that ends part I of COUNT parts made of ALTS alternatives (the
 * earlier parts take one more when they do not divide evenly): its index
 * among the cuts, or the number of cuts for the last part. */
static size_t part_end(size_t i, size_t count, size_t alts)
{
    size_t per = alts / count, extra = alts % count;
    return (i + 1) * per + (i + 1 < extra ? i + 1 : extra) - 1;
}

static size_t split_top(const char *pattern, const struct reading *r, size_t most,
                        struct dbf__re_part **parts)
{
    size_t alts = r->cut_count + 1, count = alts < most ? alts : most;
    struct dbf__re_part *out = calloc(count, sizeof *out);
    if (!out)
        return 0;
    size_t from = 0;
    unsigned before = 0;
    for (size_t i = 0; i < count; i++) {
        size_t last = part_end(i, count, alts);
        size_t to = last < r->cut_count ? r->cuts[last] : strlen(pattern);
        struct reading own = read_stretch(pattern + from, to - from);
        if (!join(&out[i], "", 0, pattern, from, to, "")) {
            dbf__re_parts_free(out, i);
            return 0;
        }
        out[i].groups = own.groups;
        map_groups(&out[i], after_base, &before);
        before += own.groups;
        from = to + 1;
    }
    *parts = out;
    return count;
}

static size_t split_group(const char *pattern, const struct reading *whole, size_t most,
                          struct dbf__re_part **parts)
{
    size_t open = whole->first_group, close = group_end(pattern, open);
    struct reading head = read_stretch(pattern, open);
    bool quantified = pattern[close + 1] && strchr("*+?{", pattern[close + 1]);
    if (!close || !head.ok || head.quantified || head.groups || quantified ||
        strstr(pattern, "\\R") || strstr(pattern, "\\X"))
        return 0;
    bool own = pattern[open + 1] != '?';
    if (!own && strncmp(pattern + open, "(?:", 3) != 0)
        return 0;
    size_t inner = open + (own ? 1 : 3);
    struct reading body = read_stretch(pattern + inner, close - inner);
    if (!body.ok || body.cut_count == 0)
        return 0;
    const char *tail = pattern + close;
    size_t alts = body.cut_count + 1, count = alts < most ? alts : most;
    struct dbf__re_part *out = calloc(count, sizeof *out);
    if (!out)
        return 0;
    unsigned before = 0, all = body.groups, tail_groups = whole->groups - own - body.groups;
    size_t from = inner;
    for (size_t i = 0; i < count; i++) {
        size_t last = part_end(i, count, alts);
        size_t to = last < body.cut_count ? inner + body.cuts[last] : close;
        struct reading alt = read_stretch(pattern + from, to - from);
        if (!join(&out[i], pattern, inner, pattern, from, to, tail)) {
            dbf__re_parts_free(out, i);
            return 0;
        }
        out[i].groups = own + alt.groups + tail_groups;
        unsigned ctx[4] = {own, before, alt.groups, all};
        map_groups(&out[i], in_group, ctx);
        before += alt.groups;
        from = to + 1;
    }
    *parts = out;
    return count;
}

/* Cuts each of the COUNT parts at TOP into the alternatives of its group,
 * where it has that shape; the parts' groups are mapped through their
 * part's. */
static size_t split_parts_again(struct dbf__re_part *top, size_t count, size_t most,
                                struct dbf__re_part **parts)
{
    struct dbf__re_part *sub[MOST_CUTS + 1];
    size_t sub_count[MOST_CUTS + 1], total = 0;
    for (size_t i = 0; i < count; i++) {
        struct reading r = read_stretch(top[i].pattern, strlen(top[i].pattern));
        sub[i] = NULL;
        sub_count[i] = r.ok && r.cut_count == 0 && r.nested_group
                           ? split_group(top[i].pattern, &r, most, &sub[i])
                           : 0;
        total += sub_count[i] ? sub_count[i] : 1;
    }
    struct dbf__re_part *out = calloc(total, sizeof *out);
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (!sub_count[i]) {
            if (out)
                out[n++] = top[i];
            else
                free(top[i].pattern);
            continue;
        }
        for (size_t k = 0; k < sub_count[i]; k++) {
            struct dbf__re_part *part = &sub[i][k];
            for (unsigned g = 1; g < 10; g++)
                part->group_of[g] = part->group_of[g] ? top[i].group_of[part->group_of[g]] : 0;
            if (out)
                out[n++] = *part;
            else
                free(part->pattern);
        }
        free(sub[i]);
        free(top[i].pattern);
    }
    free(top);
    *parts = out;
    return out ? n : 0;
}

size_t dbf__re_split(const char *pattern, size_t most, struct dbf__re_part **parts)
{
    *parts = NULL;
    struct reading r = read_stretch(pattern, strlen(pattern));
    if (!r.ok || most < 2)
        return 0;
    if (r.cut_count > 0) {
        struct dbf__re_part *top;
        size_t count = split_top(pattern, &r, most, &top);
        return count ? split_parts_again(top, count, most, parts) : 0;
    }
    if (r.nested_group)
        return split_group(pattern, &r, most, parts);
    return 0;
}

/* Does the alternative at P start with an unquantified \b? An alternative
 * starts at a token (read_stretch() reads escapes whole), so a "\b" there
 * is the assertion, not an escaped backslash before a b. */
static bool starts_with_boundary(const char *p)
{
    return p[0] == '\\' && p[1] == 'b' && !(p[2] && strchr("*+?{", p[2]));
}

/* Where alternative K of a stretch of LEN bytes that R read starts, and
 * where it ends. */
static size_t alt_start(const struct reading *r, size_t k)
{
    return k == 0 ? 0 : r->cuts[k - 1] + 1;
}

static size_t alt_end(const struct reading *r, size_t k, size_t len)
{
    return k < r->cut_count ? r->cuts[k] : len;
}

/* Appends S[FROM..TO) to OUT at *N. */
static void put(char *out, size_t *n, const char *s, size_t from, size_t to)
{
    memcpy(out + *n, s + from, to - from);
    *n += to - from;
}

char *dbf__re_shared_boundary(const char *pattern)
{
    size_t len = strlen(pattern);
    struct reading r = read_stretch(pattern, len);
    if (!r.ok || r.cut_count == 0)
        return NULL;
    size_t alts = r.cut_count + 1;
    char *out = malloc(len + alts + 8); /* a run of M grows by 6 - 2M */
    if (!out)
        return NULL;
    size_t n = 0;
    bool shared = false;
    for (size_t i = 0; i < alts;) {
        size_t run = i;
        while (run < alts && starts_with_boundary(pattern + alt_start(&r, run)))
            run++;
        if (run - i >= 2) {
            put(out, &n, "\\b(?:", 0, 5);
            for (size_t k = i; k < run; k++) {
                put(out, &n, pattern, alt_start(&r, k) + 2, alt_end(&r, k, len));
                if (k + 1 < run)
                    out[n++] = '|';
            }
            out[n++] = ')';
            shared = true;
            i = run;
        } else {
            put(out, &n, pattern, alt_start(&r, i), alt_end(&r, i, len));
            i++;
        }
        if (i < alts)
            out[n++] = '|';
    }
    out[n] = '\0';
    if (!shared) {
        free(out);
        return NULL;
    }
    return out;
}

bool dbf__re_unanchored(const char *pattern, struct dbf__re_part *part)
{
    size_t len = strlen(pattern);
    struct reading r = read_stretch(pattern, len);
    if (!r.ok || r.cut_count == 0)
        return false;
    size_t alts = r.cut_count + 1, kept = 0;
    for (size_t k = 0; k < alts; k++)
        kept += pattern[alt_start(&r, k)] != '^';
    if (kept == 0 || kept == alts)
        return false;
    char *out = malloc(len + 1);
    if (!out)
        return false;
    struct dbf__re_part made = {.pattern = out};
    size_t n = 0;
    unsigned before = 0;
    bool first = true;
    for (size_t k = 0; k < alts; k++) {
        size_t from = alt_start(&r, k), to = alt_end(&r, k, len);
        unsigned groups = read_stretch(pattern + from, to - from).groups;
        if (pattern[from] != '^') {
            if (!first)
                out[n++] = '|';
            first = false;
            put(out, &n, pattern, from, to);
            for (unsigned g = 1; g <= groups; g++)
                if (made.groups + g < 10)
                    made.group_of[made.groups + g] =
                        (unsigned char)(before + g < 10 ? before + g : 0);
            made.groups += groups;
        }
        before += groups;
    }
    out[n] = '\0';
    *part = made;
    return true;
}
