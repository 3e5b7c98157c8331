/* zone.c: time zones from the system's TZif files, abbreviations and offsets.
 *
 * A TZif file (RFC 8536) lists the UTC instants at which a zone's offset
 * changes, each with the local time type in force from then on, and ends
 * (from version 2) with a POSIX TZ rule for instants after the last listed
 * change. Version 1 data is skipped when 64-bit data follows. Every count is
 * checked against the file's size before anything is read. */
#include "zone.h"

#include "../parse/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_ZONE_FILE (512 * 1024) /* real files are under 10 KiB */
#define DAY 86400

struct local_type {
    int32_t offset; /* seconds east of UTC */
    bool dst;
    char abbrev[12];
};

/* A day of the year in a POSIX TZ rule: Jn (1-365, February 29 never
 * counted), n (0-365), or Mm.w.d (day d of week w of month m, w 5 = last). */
struct rule_day {
    char form; /* 'J', 'n' or 'M' */
    int n, month, week, weekday;
    int32_t time; /* seconds after local midnight; may be negative or past a day */
};

struct posix_rule {
    struct local_type std, dst;
    bool has_dst;
    struct rule_day start, end;
};

struct dbf__zone {
    char name[128];
    bool fixed;
    int32_t fixed_offset;
    char fixed_abbrev[12];
    size_t transition_count;
    int64_t *transitions; /* ascending UTC seconds */
    uint8_t *transition_type;
    size_t type_count;
    struct local_type *types;
    bool has_rule;
    struct posix_rule rule;
};

/* Names that follow daylight saving time rather than one offset. */
static const struct {
    const char *name;
    const char *iana;
} generic_names[] = {
    {"PT", "America/Los_Angeles"},
    {"Pacific", "America/Los_Angeles"},
    {"Pacific Time", "America/Los_Angeles"},
    {"US/Pacific", "America/Los_Angeles"},
    {"MT", "America/Denver"},
    {"Mountain", "America/Denver"},
    {"Mountain Time", "America/Denver"},
    {"US/Mountain", "America/Denver"},
    {"CT", "America/Chicago"},
    {"Central", "America/Chicago"},
    {"Central Time", "America/Chicago"},
    {"US/Central", "America/Chicago"},
    {"ET", "America/New_York"},
    {"Eastern", "America/New_York"},
    {"Eastern Time", "America/New_York"},
    {"US/Eastern", "America/New_York"},
    {"US/Alaska", "America/Anchorage"},
    {"US/Hawaii", "Pacific/Honolulu"},
    {"US/Arizona", "America/Phoenix"},
};

static void unknown_zone(char *err, size_t errlen, const char *name)
{
    if (err && errlen)
        snprintf(err, errlen, "unknown time zone '%s'", name);
}

static void copy_text(char *out, size_t size, const char *s, size_t len)
{
    if (len >= size)
        len = size - 1;
    memcpy(out, s, len);
    out[len] = '\0';
}

static void format_offset(char *out, size_t size, int32_t seconds, bool colon)
{
    char sign = seconds < 0 ? '-' : '+';
    int32_t a = seconds < 0 ? -seconds : seconds;
    snprintf(out, size, colon ? "%c%02d:%02d" : "%c%02d%02d", sign, (int)(a / 3600),
             (int)(a / 60 % 60));
}

struct dbf__zone *dbf__zone_fixed(int seconds, const char *name)
{
    struct dbf__zone *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->fixed = true;
    z->fixed_offset = seconds;
    if (name)
        copy_text(z->name, sizeof z->name, name, strlen(name));
    else if (seconds == 0)
        copy_text(z->name, sizeof z->name, "UTC", 3);
    else
        format_offset(z->name, sizeof z->name, seconds, true);
    if (name && isalpha((unsigned char)name[0]) && strlen(name) < sizeof z->fixed_abbrev &&
        !strchr(name, '+') && !strchr(name, '-'))
        copy_text(z->fixed_abbrev, sizeof z->fixed_abbrev, name, strlen(name));
    else if (seconds == 0)
        copy_text(z->fixed_abbrev, sizeof z->fixed_abbrev, "UTC", 3);
    else
        format_offset(z->fixed_abbrev, sizeof z->fixed_abbrev, seconds, false);
    return z;
}

void dbf__zone_free(struct dbf__zone *zone)
{
    if (!zone)
        return;
    free(zone->transitions);
    free(zone->transition_type);
    free(zone->types);
    free(zone);
}

const char *dbf__zone_name(const struct dbf__zone *zone)
{
    return zone->name;
}

bool dbf__zone_is_fixed(const struct dbf__zone *zone)
{
    return zone->fixed;
}

/* ---- POSIX TZ rules ("EST5EDT,M3.2.0,M11.1.0", "<+0330>-3:30") ---- */

static const char *rule_name(const char *p, char *out, size_t size)
{
    const char *start, *end;
    if (*p == '<') {
        start = ++p;
        while (*p && *p != '>')
            p++;
        if (*p != '>')
            return NULL;
        end = p++;
    } else {
        start = p;
        while (isalpha((unsigned char)*p))
            p++;
        end = p;
    }
    if (end - start < 3)
        return NULL;
    copy_text(out, size, start, (size_t)(end - start));
    return p;
}

/* [+-]hh[:mm[:ss]], hours up to 167 (RFC 8536's extension for rule times). */
static const char *rule_clock(const char *p, int32_t *seconds)
{
    int sign = 1;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*p))
        return NULL;
    long parts[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        char *end;
        parts[i] = strtol(p, &end, 10);
        if (end == p || end - p > 3)
            return NULL;
        p = end;
        if (*p != ':' || i == 2)
            break;
        p++;
    }
    if (parts[0] > 167 || parts[1] > 59 || parts[2] > 59)
        return NULL;
    *seconds = (int32_t)(sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]));
    return p;
}

static const char *rule_date(const char *p, struct rule_day *day)
{
    char *end;
    day->time = 2 * 3600;
    if (*p == 'M') {
        day->form = 'M';
        day->month = (int)strtol(p + 1, &end, 10);
        if (*end != '.')
            return NULL;
        day->week = (int)strtol(end + 1, &end, 10);
        if (*end != '.')
            return NULL;
        day->weekday = (int)strtol(end + 1, &end, 10);
        if (day->month < 1 || day->month > 12 || day->week < 1 || day->week > 5 ||
            day->weekday < 0 || day->weekday > 6)
            return NULL;
    } else {
        day->form = *p == 'J' ? 'J' : 'n';
        const char *digits = *p == 'J' ? p + 1 : p;
        if (!isdigit((unsigned char)*digits))
            return NULL;
        day->n = (int)strtol(digits, &end, 10);
        if (day->n > 365 || (day->form == 'J' && day->n < 1))
            return NULL;
    }
    p = end;
    if (*p == '/') {
        p = rule_clock(p + 1, &day->time);
        if (!p)
            return NULL;
    }
    return p;
}

static bool rule_parse(const char *text, struct posix_rule *rule)
{
    memset(rule, 0, sizeof *rule);
    int32_t west;
    const char *p = rule_name(text, rule->std.abbrev, sizeof rule->std.abbrev);
    if (!p || !(p = rule_clock(p, &west)))
        return false;
    rule->std.offset = -west;
    if (!*p)
        return true;
    p = rule_name(p, rule->dst.abbrev, sizeof rule->dst.abbrev);
    if (!p)
        return false;
    rule->has_dst = true;
    rule->dst.dst = true;
    rule->dst.offset = rule->std.offset + 3600;
    if (*p && *p != ',') {
        if (!(p = rule_clock(p, &west)))
            return false;
        rule->dst.offset = -west;
    }
    if (*p == '\0') {
        /* No dates: POSIX leaves them to the system; the US rule is the usual one. */
        rule->start = (struct rule_day){'M', 0, 3, 2, 0, 2 * 3600};
        rule->end = (struct rule_day){'M', 0, 11, 1, 0, 2 * 3600};
        return true;
    }
    if (*p != ',')
        return false;
    if (!(p = rule_date(p + 1, &rule->start)) || *p != ',')
        return false;
    if (!(p = rule_date(p + 1, &rule->end)))
        return false;
    return *p == '\0';
}

static bool is_leap(int64_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Days since the epoch of the rule day DAY in YEAR. */
static int64_t rule_day_in(const struct rule_day *day, int year)
{
    int64_t jan1 = dbf__days_from_civil(year, 1, 1);
    if (day->form == 'J')
        return jan1 + day->n - 1 + (is_leap(year) && day->n >= 60);
    if (day->form == 'n')
        return jan1 + day->n;
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t first = dbf__days_from_civil(year, day->month, 1);
    int first_weekday = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    int64_t d = first + (day->weekday - first_weekday + 7) % 7 + (int64_t)(day->week - 1) * 7;
    int length = month_days[day->month - 1] + (day->month == 2 && is_leap(year));
    while (d >= first + length)
        d -= 7;
    return d;
}

static int year_of(int64_t at)
{
    int64_t days = at >= 0 ? at / DAY : (at - DAY + 1) / DAY;
    int year = (int)(1970 + days / 366);
    while (dbf__days_from_civil(year + 1, 1, 1) <= days)
        year++;
    while (dbf__days_from_civil(year, 1, 1) > days)
        year--;
    return year;
}

static const struct local_type *rule_type_at(const struct posix_rule *rule, int64_t at)
{
    if (!rule->has_dst)
        return &rule->std;
    int year = year_of(at + rule->std.offset);
    /* Start is written in standard time, end in daylight saving time. */
    int64_t start = rule_day_in(&rule->start, year) * DAY + rule->start.time - rule->std.offset;
    int64_t end = rule_day_in(&rule->end, year) * DAY + rule->end.time - rule->dst.offset;
    if (start < end) /* northern hemisphere: summer inside the year */
        return at >= start && at < end ? &rule->dst : &rule->std;
    return at >= end && at < start ? &rule->std : &rule->dst;
}

/* ---- TZif files ---- */

struct reader {
    const unsigned char *p, *end;
};

static bool take(struct reader *r, size_t n, const unsigned char **out)
{
    if ((size_t)(r->end - r->p) < n)
        return false;
    *out = r->p;
    r->p += n;
    return true;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_header {
    char version;
    uint32_t isut, isstd, leap, time, type, chars;
};

static bool read_header(struct reader *r, struct tzif_header *h)
{
    const unsigned char *p;
    if (!take(r, 44, &p) || memcmp(p, "TZif", 4) != 0)
        return false;
    h->version = (char)p[4];
    h->isut = be32(p + 20);
    h->isstd = be32(p + 24);
    h->leap = be32(p + 28);
    h->time = be32(p + 32);
    h->type = be32(p + 36);
    h->chars = be32(p + 40);
    return h->type >= 1 && h->type <= 256 && h->chars >= 1 && h->time <= 100000 &&
           h->leap <= 100000 && (h->isut == 0 || h->isut == h->type) &&
           (h->isstd == 0 || h->isstd == h->type);
}

static size_t block_size(const struct tzif_header *h, size_t time_size)
{
    return (size_t)h->time * time_size + h->time + (size_t)h->type * 6 + h->chars +
           (size_t)h->leap * (time_size + 4) + h->isstd + h->isut;
}

static bool read_block(struct reader *r, const struct tzif_header *h, size_t time_size,
                       struct dbf__zone *z)
{
    const unsigned char *times, *indices, *infos, *chars, *rest;
    if (!take(r, (size_t)h->time * time_size, &times) || !take(r, h->time, &indices) ||
        !take(r, (size_t)h->type * 6, &infos) || !take(r, h->chars, &chars) ||
        !take(r, (size_t)h->leap * (time_size + 4) + h->isstd + h->isut, &rest))
        return false;
    z->transition_count = h->time;
    z->type_count = h->type;
    z->transitions = malloc((h->time ? h->time : 1) * sizeof *z->transitions);
    z->transition_type = malloc(h->time ? h->time : 1);
    z->types = calloc(h->type, sizeof *z->types);
    if (!z->transitions || !z->transition_type || !z->types)
        return false;
    for (size_t i = 0; i < h->time; i++) {
        z->transitions[i] =
            time_size == 8 ? be64(times + i * 8) : (int64_t)(int32_t)be32(times + i * 4);
        if (i && z->transitions[i] <= z->transitions[i - 1])
            return false;
        if (indices[i] >= h->type)
            return false;
        z->transition_type[i] = indices[i];
    }
    for (size_t i = 0; i < h->type; i++) {
        const unsigned char *info = infos + i * 6;
        int32_t offset = (int32_t)be32(info);
        if (offset < -25 * 3600 || offset > 26 * 3600 || info[4] > 1 || info[5] >= h->chars)
            return false;
        z->types[i].offset = offset;
        z->types[i].dst = info[4];
        const char *a = (const char *)chars + info[5];
        size_t n = strnlen(a, h->chars - info[5]);
        copy_text(z->types[i].abbrev, sizeof z->types[i].abbrev, a, n);
    }
    return true;
}

static bool parse_tzif(const unsigned char *data, size_t len, struct dbf__zone *z)
{
    struct reader r = {data, data + len};
    struct tzif_header h;
    if (!read_header(&r, &h))
        return false;
    if (h.version == 0) {
        return read_block(&r, &h, 4, z);
    }
    const unsigned char *skip;
    if (!take(&r, block_size(&h, 4), &skip) || !read_header(&r, &h) || !read_block(&r, &h, 8, z))
        return false;
    /* The footer: "\n" rule "\n"; an empty rule means none. */
    const unsigned char *nl;
    if (!take(&r, 1, &nl) || *nl != '\n')
        return true;
    const unsigned char *start = r.p;
    const unsigned char *end = memchr(start, '\n', (size_t)(r.end - start));
    if (!end || end == start || end - start > 120)
        return true;
    char text[128];
    copy_text(text, sizeof text, (const char *)start, (size_t)(end - start));
    z->has_rule = rule_parse(text, &z->rule);
    return true;
}

static bool safe_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 100 || name[0] == '/' || name[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!isalnum(c) && c != '/' && c != '_' && c != '-' && c != '+')
            return false;
        if (c == '/' && (name[i + 1] == '/' || name[i + 1] == '\0'))
            return false;
    }
    return true;
}

static bool load_file(const char *name, struct dbf__zone *z)
{
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    char path[512];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    struct stat st;
    bool ok = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
              st.st_size <= MAX_ZONE_FILE;
    unsigned char *data = ok ? malloc((size_t)st.st_size) : NULL;
    ok = data && fread(data, 1, (size_t)st.st_size, f) == (size_t)st.st_size &&
         parse_tzif(data, (size_t)st.st_size, z);
    fclose(f);
    free(data);
    return ok;
}

static struct dbf__zone *open_iana(const char *name)
{
    if (!safe_name(name))
        return NULL;
    struct dbf__zone *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    copy_text(z->name, sizeof z->name, name, strlen(name));
    if (!load_file(name, z)) {
        dbf__zone_free(z);
        return NULL;
    }
    return z;
}

struct dbf__zone *dbf__zone_open(const char *spec, char *err, size_t errlen)
{
    if (!spec) {
        unknown_zone(err, errlen, "");
        return NULL;
    }
    const char *s = spec;
    size_t len = strlen(s);
    while (len && (*s == ' ' || *s == '(')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == ')'))
        len--;
    char name[128];
    if (len == 0 || len >= sizeof name) {
        unknown_zone(err, errlen, spec);
        return NULL;
    }
    copy_text(name, sizeof name, s, len);
    for (size_t i = 0; i < sizeof generic_names / sizeof generic_names[0]; i++)
        if (strcasecmp(name, generic_names[i].name) == 0) {
            struct dbf__zone *z = open_iana(generic_names[i].iana);
            if (z) {
                copy_text(z->name, sizeof z->name, generic_names[i].iana,
                          strlen(generic_names[i].iana));
                return z;
            }
        }
    if (strcasecmp(name, "UTC") == 0 || strcasecmp(name, "GMT") == 0 ||
        strcasecmp(name, "Z") == 0 || strcasecmp(name, "Etc/UTC") == 0 ||
        strcasecmp(name, "Zulu") == 0)
        return dbf__zone_fixed(0, "UTC");
    struct dbf_time t = {0};
    if (dbf__zone_scan(name, len, &t) == len && t.has_zone && t.zone_is_fixed) {
        /* An abbreviation keeps its name; an offset is shown as +HH:MM. */
        bool abbrev = t.zone && strcmp(t.zone, name) == 0;
        return dbf__zone_fixed(t.utc_offset * 60, abbrev ? name : NULL);
    }
    struct dbf__zone *z = open_iana(name);
    if (!z)
        unknown_zone(err, errlen, name);
    return z;
}

/* ---- Queries ---- */

static const struct local_type *type_at(const struct dbf__zone *z, int64_t at)
{
    size_t n = z->transition_count;
    if (n == 0)
        return z->has_rule ? rule_type_at(&z->rule, at) : &z->types[0];
    if (at < z->transitions[0])
        return &z->types[0];
    if (at >= z->transitions[n - 1] && z->has_rule)
        return rule_type_at(&z->rule, at);
    size_t lo = 0, hi = n; /* the last transition <= at lies in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->transitions[mid] <= at)
            lo = mid;
        else
            hi = mid;
    }
    return &z->types[z->transition_type[lo]];
}

int dbf__zone_offset_at(const struct dbf__zone *zone, int64_t at)
{
    return zone->fixed ? zone->fixed_offset : type_at(zone, at)->offset;
}

const char *dbf__zone_abbrev_at(const struct dbf__zone *zone, int64_t at, char *out, size_t size)
{
    if (!size)
        return out;
    const char *a = zone->fixed ? zone->fixed_abbrev : type_at(zone, at)->abbrev;
    if (a[0] == '+' || a[0] == '-') {
        /* The data's numeric names ("-03", "+0530") read better as offsets. */
        format_offset(out, size, dbf__zone_offset_at(zone, at), true);
        return out;
    }
    copy_text(out, size, a, strlen(a));
    return out;
}

int dbf__zone_standard_offset(const struct dbf__zone *zone)
{
    if (zone->fixed)
        return zone->fixed_offset;
    if (zone->has_rule)
        return zone->rule.std.offset;
    for (size_t i = zone->transition_count; i-- > 0;) {
        const struct local_type *t = &zone->types[zone->transition_type[i]];
        if (!t->dst)
            return t->offset;
    }
    return zone->types[0].offset;
}

enum dbf__local_kind dbf__zone_local(const struct dbf__zone *zone, int64_t local, int64_t *first,
                                     int64_t *second)
{
    if (zone->fixed) {
        int64_t u = local - zone->fixed_offset;
        if (first)
            *first = u;
        if (second)
            *second = u;
        return DBF_LOCAL_UNIQUE;
    }
    /* The offsets in force within two days either side hold every offset
     * this wall-clock time could be read with: changes are further apart. */
    int candidates[5];
    size_t count = 0;
    int largest = -100000;
    for (int k = -2; k <= 2; k++) {
        int o = dbf__zone_offset_at(zone, local + (int64_t)k * DAY);
        bool seen = false;
        for (size_t i = 0; i < count; i++)
            seen |= candidates[i] == o;
        if (!seen)
            candidates[count++] = o;
        if (o > largest)
            largest = o;
    }
    int64_t found[5];
    size_t valid = 0;
    for (size_t i = 0; i < count; i++) {
        int64_t u = local - candidates[i];
        if (dbf__zone_offset_at(zone, u) == candidates[i])
            found[valid++] = u;
    }
    int64_t lo, hi;
    enum dbf__local_kind kind;
    if (valid == 0) {
        /* Skipped: the instant just before the jump carries the old offset. */
        lo = hi = local - dbf__zone_offset_at(zone, local - largest);
        kind = DBF_LOCAL_SKIPPED;
    } else {
        lo = hi = found[0];
        for (size_t i = 1; i < valid; i++) {
            if (found[i] < lo)
                lo = found[i];
            if (found[i] > hi)
                hi = found[i];
        }
        kind = lo == hi ? DBF_LOCAL_UNIQUE : DBF_LOCAL_AMBIGUOUS;
    }
    if (first)
        *first = lo;
    if (second)
        *second = hi;
    return kind;
}

int64_t dbf__zone_to_utc(const struct dbf__zone *zone, int64_t local)
{
    int64_t u;
    dbf__zone_local(zone, local, &u, NULL);
    return u;
}
