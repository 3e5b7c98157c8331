/* clock.c: hand-written scanners for the time forms of DESIGN.md §1.
 *
 * Each scanner works on a bounded byte range and backs out (returns 0) when
 * the text is not of its form, so callers can try them in any order. */
#include "clock.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const month_names[] = {"january",   "february", "march",    "april",
                                          "may",       "june",     "july",     "august",
                                          "september", "october",  "november", "december"};
static const char *const weekday_names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                            "friday", "saturday", "sunday"};

struct zone_abbrev {
    const char *name;
    int offset; /* minutes east of UTC */
};

static const struct zone_abbrev zones[] = {
    {"UTC", 0},     {"GMT", 0},    {"Z", 0},      {"WET", 0},    {"BST", 60},   {"IST", 330},
    {"CET", 60},    {"CEST", 120}, {"EET", 120},  {"EEST", 180}, {"MSK", 180},  {"PST", -480},
    {"PDT", -420},  {"PT", -480},  {"MST", -420}, {"MDT", -360}, {"MT", -420},  {"CST", -360},
    {"CDT", -300},  {"CT", -360},  {"EST", -300}, {"EDT", -240}, {"ET", -300},  {"AKST", -540},
    {"AKDT", -480}, {"HST", -600}, {"JST", 540},  {"KST", 540},  {"SGT", 480},  {"HKT", 480},
    {"AEST", 600},  {"AEDT", 660}, {"ACST", 570}, {"AWST", 480}, {"NZST", 720}, {"NZDT", 780},
    {"BRT", -180},  {"ART", -180}, {"WIB", 420},  {"ICT", 420},  {"PHT", 480},  {"SAST", 120},
    {"CAT", 120},   {"EAT", 180},  {"WAT", 60},
};

static bool is_word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static size_t scan_digits(const char *s, size_t len, size_t max, int *value)
{
    size_t i = 0;
    int v = 0;
    while (i < len && i < max && isdigit((unsigned char)s[i])) {
        v = v * 10 + (s[i] - '0');
        i++;
    }
    *value = v;
    return i;
}

static size_t skip_spaces(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

static int match_name(const char *s, size_t len, const char *const *names, size_t count,
                      size_t *used)
{
    size_t n = 0;
    while (n < len && isalpha((unsigned char)s[n]))
        n++;
    if (n < 3)
        return -1;
    int first = tolower((unsigned char)s[0]);
    for (size_t k = 0; k < count; k++) {
        if (first != names[k][0]) /* the names are lower-case */
            continue;
        size_t full = strlen(names[k]);
        if ((n == full || (n == 3) || (n == 4 && k == 8 /* "sept" */)) && n <= full &&
            strncasecmp(s, names[k], n) == 0) {
            *used = n;
            return (int)k;
        }
    }
    return -1;
}

int64_t dbf__days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Howard Hinnant's civil_from_days. */
struct dbf_date dbf__civil_from_days(int64_t days)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2));
    return (struct dbf_date){y, m, d};
}

bool dbf__date_valid(struct dbf_date d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d.year < 1900 || d.year > 2200 || d.month < 1 || d.month > 12 || d.day < 1)
        return false;
    if (d.day > days[d.month - 1])
        return false;
    bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    return !(d.month == 2 && d.day == 29 && !leap);
}

int64_t dbf__date_diff(struct dbf_date a, struct dbf_date b)
{
    return dbf__days_from_civil(b.year, b.month, b.day) -
           dbf__days_from_civil(a.year, a.month, a.day);
}

/* "14 March 2026", "14th of March, 2026", "March 14th, 2026", "Mar 14". */
static size_t scan_written_date(const char *s, size_t len, struct dbf_date *out)
{
    size_t i = 0, used = 0;
    int day = 0, year = 0, month;
    size_t n = scan_digits(s, len, 2, &day);
    if (n) {
        i = n;
        if (i + 2 <= len && (strncasecmp(s + i, "st", 2) == 0 || strncasecmp(s + i, "nd", 2) == 0 ||
                             strncasecmp(s + i, "rd", 2) == 0 || strncasecmp(s + i, "th", 2) == 0))
            i += 2;
        else if (i < len && s[i] == '.')
            i++; /* "21. March" */
        i = skip_spaces(s, len, i);
        if (i + 3 <= len && strncasecmp(s + i, "of ", 3) == 0)
            i += 3;
        month = match_name(s + i, len - i, month_names, 12, &used);
        if (month < 0)
            return 0;
        i += used;
        if (i < len && s[i] == '.')
            i++;
    } else {
        month = match_name(s, len, month_names, 12, &used);
        if (month < 0)
            return 0;
        i = used;
        if (i < len && s[i] == '.')
            i++;
        i = skip_spaces(s, len, i);
        n = scan_digits(s + i, len - i, 2, &day);
        if (!n)
            return 0;
        i += n;
        if (i < len && isdigit((unsigned char)s[i]))
            return 0;
        if (i + 2 <= len && (strncasecmp(s + i, "st", 2) == 0 || strncasecmp(s + i, "nd", 2) == 0 ||
                             strncasecmp(s + i, "rd", 2) == 0 || strncasecmp(s + i, "th", 2) == 0))
            i += 2;
    }
    if (day < 1 || day > 31)
        return 0;
    size_t before_year = i;
    if (i < len && s[i] == ',')
        i++;
    i = skip_spaces(s, len, i);
    n = scan_digits(s + i, len - i, 4, &year);
    if (n == 4 && (i + n >= len || !isdigit((unsigned char)s[i + n])) && year >= 1900) {
        i += n;
    } else {
        year = 0;
        i = before_year;
    }
    out->year = year;
    out->month = month + 1;
    out->day = day;
    return i;
}

/* D/M/YYYY or M/D/YYYY with SEP '/', '.' or '-': ORDER picks when both read as dates. */
static bool numeric_order_date(int a, int b, int year, char sep, enum dbf__date_order order,
                               struct dbf_date *out)
{
    struct dbf_date month_first = {year, a, b}, day_first = {year, b, a};
    bool mf = dbf__date_valid(month_first), df = dbf__date_valid(day_first);
    if (!mf && !df)
        return false;
    bool prefer_day = order == DBF_DAY_FIRST || (order == DBF_ORDER_DEFAULT && sep != '/');
    if (mf && df)
        *out = prefer_day ? day_first : month_first;
    else
        *out = mf ? month_first : day_first;
    return true;
}

size_t dbf__date_scan_order(const char *s, size_t len, struct dbf_date *out,
                            enum dbf__date_order order)
{
    size_t i = 0, used;
    struct dbf_date d = {0};
    if (match_name(s, len, weekday_names, 7, &used) >= 0) {
        i = used;
        if (i < len && s[i] == ',')
            i++;
        i = skip_spaces(s, len, i);
    }
    int a, b, c;
    size_t n = scan_digits(s + i, len - i, 4, &a);
    if (n == 4 && i + n < len && (s[i + n] == '-' || s[i + n] == '/' || s[i + n] == '.')) {
        char sep = s[i + n];
        size_t j = i + n + 1;
        size_t m = scan_digits(s + j, len - j, 2, &b);
        if (m && j + m < len && s[j + m] == sep) {
            size_t k = j + m + 1;
            size_t dd = scan_digits(s + k, len - k, 2, &c);
            if (dd && (k + dd >= len || !isdigit((unsigned char)s[k + dd]))) {
                d = (struct dbf_date){a, b, c};
                if (!dbf__date_valid(d))
                    return 0;
                *out = d;
                return k + dd;
            }
        }
        return 0;
    }
    if (n >= 1 && n <= 2 && i + n < len &&
        (s[i + n] == '/' || s[i + n] == '.' || s[i + n] == '-')) {
        /* 3/14/2026 (US order), 14.03.2026 (European order), 23-03-2026 or 03-23-2026. */
        char sep = s[i + n];
        size_t j = i + n + 1;
        size_t m = scan_digits(s + j, len - j, 2, &b);
        if (m && j + m < len && s[j + m] == sep) {
            size_t k = j + m + 1;
            size_t y = scan_digits(s + k, len - k, 4, &c);
            if (y == 4 && (k + y >= len || !isdigit((unsigned char)s[k + y]))) {
                if (!numeric_order_date(a, b, c, sep, order, &d))
                    return 0;
                *out = d;
                return k + y;
            }
        }
    }
    n = scan_written_date(s + i, len - i, &d);
    if (!n)
        return 0;
    if (d.year && !dbf__date_valid(d))
        return 0;
    *out = d;
    return i + n;
}

size_t dbf__date_scan(const char *s, size_t len, struct dbf_date *out)
{
    return dbf__date_scan_order(s, len, out, DBF_ORDER_DEFAULT);
}

size_t dbf__zone_scan(const char *s, size_t len, struct dbf_time *out)
{
    size_t i = 0;
    bool paren = false;
    if (i < len && s[i] == '(') {
        paren = true;
        i++;
    }
    size_t start = i;
    int sign = 0, hours = 0, minutes = 0;
    size_t n = 0;
    while (start + n < len && isalpha((unsigned char)s[start + n]))
        n++;
    if (n && start + n < len && s[start + n] == '/') {
        /* An IANA name: Area/Location[/Sub], letters, '_' and '-'. */
        size_t j = start + n;
        while (j < len &&
               (isalpha((unsigned char)s[j]) || s[j] == '/' || s[j] == '_' || s[j] == '-'))
            j++;
        if (s[j - 1] == '/' || !isupper((unsigned char)s[start]))
            return 0;
        out->has_zone = true;
        out->zone_is_fixed = false;
        out->zone = NULL;
        i = j;
    } else if (n) {
        if (start + n < len && is_word_char(s[start + n]) && s[start + n] != '+' &&
            s[start + n] != '-')
            return 0;
        const struct zone_abbrev *found = NULL;
        for (size_t k = 0; k < sizeof zones / sizeof zones[0]; k++) {
            if (zones[k].name[0] == s[start] && strlen(zones[k].name) == n &&
                strncmp(s + start, zones[k].name, n) == 0) {
                found = &zones[k];
                break;
            }
        }
        if (!found && n == 1 && (s[start] == 'z'))
            found = &zones[2];
        if (!found)
            return 0;
        out->has_zone = true;
        out->zone_is_fixed = true;
        out->utc_offset = found->offset;
        out->zone = found->name;
        i = start + n;
        if (found->offset == 0 && n == 3 && i < len && (s[i] == '+' || s[i] == '-')) {
            sign = s[i] == '+' ? 1 : -1;
            size_t h = scan_digits(s + i + 1, len - i - 1, 2, &hours);
            size_t j = i + 1 + h;
            if (h && j + 2 < len && s[j] == ':' && isdigit((unsigned char)s[j + 1]))
                j += 1 + scan_digits(s + j + 1, len - j - 1, 2, &minutes);
            /* As for a bare offset: past 14:59 ("UTC-87") it is not one. */
            if (h && hours <= 14 && minutes <= 59) {
                i = j;
                out->utc_offset = sign * (hours * 60 + minutes);
                out->zone = NULL;
            }
        }
    } else if (start < len && (s[start] == '+' || s[start] == '-')) {
        sign = s[start] == '+' ? 1 : -1;
        size_t h = scan_digits(s + start + 1, len - start - 1, 2, &hours);
        if (h != 2)
            return 0;
        i = start + 1 + h;
        if (i < len && s[i] == ':')
            i++;
        size_t mm = scan_digits(s + i, len - i, 2, &minutes);
        if (mm != 2)
            return 0;
        i += mm;
        if (hours > 14 || minutes > 59)
            return 0;
        out->has_zone = true;
        out->zone_is_fixed = true;
        out->utc_offset = sign * (hours * 60 + minutes);
        out->zone = NULL;
    } else {
        return 0;
    }
    if (paren) {
        if (i < len && s[i] == ')')
            i++;
        else
            return 0;
    }
    return i;
}

static bool at_word_end(const char *s, size_t len, size_t k)
{
    return k >= len || !is_word_char(s[k]);
}

/* "am", "a.m.", "PM" at S[J..]: 1 for am, 2 for pm, 0 for none; *END past it. */
static int scan_meridiem(const char *s, size_t len, size_t j, size_t *end)
{
    if (j >= len)
        return 0;
    char c = (char)tolower((unsigned char)s[j]);
    if (c != 'a' && c != 'p')
        return 0;
    size_t k = j + 1;
    if (k < len && s[k] == '.')
        k++;
    if (k < len && tolower((unsigned char)s[k]) == 'm') {
        k++;
        if (k < len && s[k] == '.')
            k++;
    } else if (k != j + 1) {
        return 0;
    }
    if (!at_word_end(s, len, k))
        return 0;
    *end = k;
    return c == 'a' ? 1 : 2;
}

/* HH:MM[:SS[.frac]] [am|pm], "10:45a", "4pm", or HHMM when ALLOW_BARE. Sets
 * *MERIDIEM to the am/pm written (0 none, 1 am, 2 pm) and *SECONDS when
 * seconds were written. */
static size_t scan_clock(const char *s, size_t len, struct dbf_time *out, bool allow_bare,
                         int *meridiem, bool *seconds)
{
    int h, m = 0, sec = 0;
    *meridiem = 0;
    *seconds = false;
    size_t i = scan_digits(s, len, 2, &h);
    if (!i)
        return 0;
    if (i + 2 < len + 0 && (s[i] == ':' || (s[i] == '.' && i + 3 <= len)) &&
        isdigit((unsigned char)s[i + 1])) {
        bool dot = s[i] == '.';
        size_t n = scan_digits(s + i + 1, len - i - 1, 2, &m);
        if (n != 2)
            return 0;
        if (dot) {
            /* "02.30 PM" is a time; "1.5 hours" and "3.14" are not. */
            size_t end;
            if (!allow_bare && !scan_meridiem(s, len, skip_spaces(s, len, i + 3), &end))
                return 0;
        }
        i += 1 + n;
        if (!dot && i + 1 < len && s[i] == ':' && isdigit((unsigned char)s[i + 1])) {
            n = scan_digits(s + i + 1, len - i - 1, 2, &sec);
            if (n != 2)
                return 0;
            i += 1 + n;
            *seconds = true;
            if (i + 1 < len && (s[i] == '.' || s[i] == ',') && isdigit((unsigned char)s[i + 1])) {
                i++;
                while (i < len && isdigit((unsigned char)s[i]))
                    i++;
            }
        }
    } else if (allow_bare && i == 2 && i < len && isdigit((unsigned char)s[i])) {
        int mm;
        size_t n = scan_digits(s + i, len - i, 2, &mm);
        if (n != 2 || (i + n < len && isdigit((unsigned char)s[i + n])))
            return 0;
        m = mm;
        i += n;
    } else {
        size_t end;
        if (!scan_meridiem(s, len, skip_spaces(s, len, i), &end))
            return 0; /* "4pm" is the only form without minutes */
    }
    if (i < len && isdigit((unsigned char)s[i]))
        return 0;
    size_t end;
    int mer = scan_meridiem(s, len, skip_spaces(s, len, i), &end);
    if (mer && skip_spaces(s, len, i) > i && end == skip_spaces(s, len, i) + 1)
        mer = 0; /* a lone "a" or "p" only counts when attached: "12:29p" */
    if (mer) {
        if (h > 12 && h < 24) {
            /* "13:55 PM": the 24-hour clock wins */
        } else if (h > 12) {
            return 0;
        } else {
            h = h % 12 + (mer == 2 ? 12 : 0);
        }
        *meridiem = mer;
        i = end;
    }
    if (h > 24 || m > 59 || sec > 60 || (h == 24 && (m || sec)))
        return 0;
    out->has_clock = true;
    out->hour = h == 24 ? 0 : h;
    out->minute = m;
    out->second = sec;
    return i;
}

/* The separator of a range between two clock times: "-", "–", " - ", " to ",
 * " and "; the offset after it, or 0. */
static size_t range_separator(const char *s, size_t len, size_t i)
{
    size_t j = skip_spaces(s, len, i);
    if (j < len && s[j] == '-')
        j++;
    else if (j + 3 <= len && (unsigned char)s[j] == 0xE2 && (unsigned char)s[j + 1] == 0x80 &&
             ((unsigned char)s[j + 2] == 0x93 || (unsigned char)s[j + 2] == 0x94))
        j += 3;
    else if (j > i && j + 3 <= len && strncasecmp(s + j, "to ", 3) == 0)
        j += 2;
    else if (j > i && j + 4 <= len && strncasecmp(s + j, "and ", 4) == 0)
        j += 3;
    else
        return 0;
    return skip_spaces(s, len, j);
}

/* US zone names written as words: "8:50 AM Eastern", "Pacific Time". */
static size_t scan_zone_word(const char *s, size_t len, struct dbf_time *out)
{
    static const char *const words[] = {"Eastern", "Central", "Mountain", "Pacific"};
    static const char *const names[] = {"US/Eastern", "US/Central", "US/Mountain", "US/Pacific"};
    for (size_t k = 0; k < 4; k++) {
        size_t n = strlen(words[k]);
        if (n <= len && strncmp(s, words[k], n) == 0 && at_word_end(s, len, n)) {
            if (n + 5 <= len && strncmp(s + n, " Time", 5) == 0 && at_word_end(s, len, n + 5))
                n += 5;
            out->has_zone = true;
            out->zone_is_fixed = false;
            out->zone = names[k];
            return n;
        }
    }
    return 0;
}

/* "11-04 16:05": a month and day without a year, only before a clock time. */
static size_t scan_short_date(const char *s, size_t len, struct dbf_date *out,
                              enum dbf__date_order order)
{
    int a, b;
    size_t n = scan_digits(s, len, 2, &a);
    if (!n || n >= len || (s[n] != '-' && s[n] != '/'))
        return 0;
    char sep = s[n];
    size_t m = scan_digits(s + n + 1, len - n - 1, 2, &b);
    size_t i = n + 1 + m;
    if (!m || i >= len || s[i] != ' ')
        return 0;
    struct dbf_date d;
    if (!numeric_order_date(a, b, 2000, sep == '/' ? '/' : (order == DBF_DAY_FIRST ? '-' : '/'),
                            order, &d))
        return 0;
    *out = (struct dbf_date){0, d.month, d.day};
    return i;
}

size_t dbf__time_scan_order(const char *s, size_t len, struct dbf_time *out, bool require_clock,
                            enum dbf__date_order order)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '`' || s[i] == '*' || s[i] == '_' || s[i] == '[' ||
                       s[i] == '~' || s[i] == '{'))
        i++;
    if (i + 8 <= len && strncasecmp(s + i, "between ", 8) == 0)
        i += 8;
    struct dbf_time t = {0};
    size_t n = dbf__date_scan_order(s + i, len - i, &t.date, order);
    bool have_date = n > 0, iso = false;
    if (have_date) {
        i += n;
        if (i < len && (s[i] == 'T' || s[i] == 't') && i + 1 < len &&
            isdigit((unsigned char)s[i + 1])) {
            i++;
            iso = true;
        } else {
            size_t j = i;
            if (j < len && s[j] == ',')
                j++;
            j = skip_spaces(s, len, j);
            if (j + 3 <= len && strncasecmp(s + j, "at ", 3) == 0)
                j += 3;
            bool dash = j < len && (s[j] == '-' || (unsigned char)s[j] == 0xE2);
            size_t r = dash && j > i ? range_separator(s, len, j) : 0;
            if (r)
                j = r; /* "09-03-2026 - 08:25", "23-03-2026 – 13:05" */
            else if (j + 2 <= len && strncmp(s + j, "@ ", 2) == 0)
                j = skip_spaces(s, len, j + 1);
            if (j + 8 <= len && strncasecmp(s + j, "between ", 8) == 0)
                j += 8;
            if (j < len && s[j] == '~')
                j++; /* "05-03-2026 ~09:12": an estimate is still a time */
            i = j;
        }
    } else {
        size_t d = scan_short_date(s + i, len - i, &t.date, order);
        if (d) {
            struct dbf_time probe = {0};
            int mer;
            bool secs;
            if (scan_clock(s + i + d + 1, len - i - d - 1, &probe, false, &mer, &secs)) {
                i += d + 1;
                have_date = true;
            } else {
                t.date = (struct dbf_date){0};
            }
        }
    }
    int meridiem;
    bool seconds;
    size_t c = scan_clock(s + i, len - i, &t, have_date && t.date.year, &meridiem, &seconds);
    if (!c) {
        if (require_clock || !have_date)
            return 0;
        while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == ',' || s[i - 1] == '-'))
            i--;
        *out = t;
        return i;
    }
    i += c;
    /* In ISO 8601 form a sign after the clock is an offset, not a range. */
    size_t r = (iso || seconds) && i < len && (s[i] == '+' || s[i] == '-')
                   ? 0
                   : range_separator(s, len, i);
    if (r) {
        struct dbf_time until = {0};
        int until_meridiem;
        bool until_seconds;
        size_t c2 = scan_clock(s + r, len - r, &until, false, &until_meridiem, &until_seconds);
        if (c2) {
            if (!meridiem && until_meridiem == 2 && t.hour < 12 && t.hour + 12 <= until.hour)
                t.hour += 12; /* "between 02:00 and 02.30 PM" */
            i = r + c2;
        }
    }
    size_t j = i;
    if (j < len && s[j] == 'Z') {
        t.has_zone = true;
        t.zone_is_fixed = true;
        t.zone = "UTC";
        i = j + 1;
    } else if (j < len && (s[j] == '+' || s[j] == '-')) {
        /* An attached offset only in ISO 8601 form: "14:02:00+01:00". */
        size_t z = (iso || seconds) ? dbf__zone_scan(s + j, len - j, &t) : 0;
        if (z)
            i = j + z;
    } else {
        j = skip_spaces(s, len, j);
        size_t z = dbf__zone_scan(s + j, len - j, &t);
        if (!z)
            z = scan_zone_word(s + j, len - j, &t);
        if (z)
            i = j + z;
    }
    if (!have_date) {
        /* A date after the time: "11:35 AM PST Monday Mar 2nd", "09:20 3rd Mar 2026". */
        size_t k = i;
        if (k < len && s[k] == ',')
            k++;
        k = skip_spaces(s, len, k);
        if (k + 3 <= len && strncasecmp(s + k, "on ", 3) == 0)
            k += 3;
        struct dbf_date d;
        size_t dn = k > i || k == len ? dbf__date_scan_order(s + k, len - k, &d, order) : 0;
        if (dn && d.month) {
            t.date = d;
            i = k + dn;
        }
    }
    *out = t;
    return i;
}

size_t dbf__time_scan(const char *s, size_t len, struct dbf_time *out, bool require_clock)
{
    return dbf__time_scan_order(s, len, out, require_clock, DBF_ORDER_DEFAULT);
}

/* A number of at most WIDTH characters at S[*AT..LEN), as sscanf()'s
 * "%<WIDTH>d" reads it, into *OUT, *AT moved past it; false when there is
 * none. */
static bool scan_int(const char *s, size_t len, size_t *at, int width, int *out)
{
    size_t i = *at;
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    int used = 0, sign = 1, value = 0, digits = 0;
    if (i < len && (s[i] == '+' || s[i] == '-') && width > 1) {
        sign = s[i++] == '-' ? -1 : 1;
        used++;
    }
    for (; used < width && i < len && isdigit((unsigned char)s[i]); used++, digits++)
        value = value * 10 + (s[i++] - '0');
    if (!digits)
        return false;
    *out = sign * value;
    *at = i;
    return true;
}

size_t dbf__ymd_scan(const char *s, size_t len, struct dbf_date *out)
{
    size_t at = 0;
    struct dbf_date d;
    if (!scan_int(s, len, &at, 4, &d.year) || at >= len || s[at++] != '-' ||
        !scan_int(s, len, &at, 2, &d.month) || at >= len || s[at++] != '-' ||
        !scan_int(s, len, &at, 2, &d.day))
        return 0;
    *out = d;
    return at;
}

size_t dbf__hm_scan(const char *s, size_t len, int *hours, int *minutes)
{
    size_t at = 0;
    int h, m;
    if (!scan_int(s, len, &at, 2, &h) || at >= len || s[at++] != ':' ||
        !scan_int(s, len, &at, 2, &m))
        return 0;
    *hours = h;
    *minutes = m;
    return at;
}

size_t dbf__spells(const char *s, size_t len, const char *word)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    for (; *word; word++) {
        if (i < len && (u[i] | 0x20) == (unsigned char)*word && (*word != ' ' || u[i] == ' '))
            i++;
        else if (*word == 's' && i + 1 < len && u[i] == 0xc5 && u[i + 1] == 0xbf)
            i += 2;
        else if (*word == 'k' && i + 2 < len && u[i] == 0xe2 && u[i + 1] == 0x84 &&
                 u[i + 2] == 0xaa)
            i += 3;
        else
            return 0;
    }
    return i;
}

size_t dbf__number_word(const char *s, size_t len, int *value)
{
    static const struct {
        const char *word;
        int value;
    } cardinals[] = {{"one", 1},        {"two", 2},       {"three", 3},       {"four", 4},
                     {"five", 5},       {"six", 6},       {"seven", 7},       {"eight", 8},
                     {"nine", 9},       {"ten", 10},      {"eleven", 11},     {"twelve", 12},
                     {"thirteen", 13},  {"fourteen", 14}, {"fifteen", 15},    {"sixteen", 16},
                     {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},   {"twenty", 20},
                     {"thirty", 30},    {"forty", 40},    {"forty-five", 45}, {"fifty", 50},
                     {"sixty", 60},     {"ninety", 90}};
    size_t longest = 0;
    for (size_t k = 0; k < sizeof cardinals / sizeof cardinals[0]; k++) {
        size_t n = dbf__spells(s, len, cardinals[k].word);
        if (n > longest) {
            longest = n;
            *value = cardinals[k].value;
        }
    }
    return longest;
}

int64_t dbf__duration_scan(const char *s, size_t len, size_t *used)
{
    /* Besides the cardinals: "an hour", "a day", "half an hour". */
    static const struct {
        const char *word;
        int value;
    } articles[] = {{"an", 1}, {"a", 1}, {"half an", 0}};
    size_t i = 0;
    double total = 0;
    bool any = false;
    for (;;) {
        size_t start = i;
        double v = -1;
        if (i < len && isdigit((unsigned char)s[i])) {
            char tmp[32];
            size_t k = 0;
            while (i < len && k < sizeof tmp - 1 && (isdigit((unsigned char)s[i]) || s[i] == '.')) {
                tmp[k++] = s[i++];
            }
            tmp[k] = '\0';
            v = strtod(tmp, NULL);
        } else {
            /* Read as the figure patterns read it (a long s is an s). */
            int value;
            size_t w = dbf__number_word(s + i, len - i, &value);
            if (w && w < len - i && s[i + w] == ' ') {
                v = value;
                i += w;
            }
            for (size_t k = 0; v < 0 && k < sizeof articles / sizeof articles[0]; k++) {
                w = dbf__spells(s + i, len - i, articles[k].word);
                if (w && w < len - i && s[i + w] == ' ') {
                    v = articles[k].value;
                    i += w;
                }
            }
        }
        if (v < 0) {
            i = start;
            break;
        }
        size_t j = skip_spaces(s, len, i);
        if (j < len && s[j] == '-')
            j++;
        size_t w = 0;
        while (j + w < len && isalpha((unsigned char)s[j + w]))
            w++;
        double unit = 0;
        if (w == 0)
            unit = 0;
        else if ((w >= 3 && strncasecmp(s + j, "hours", w < 5 ? w : 5) == 0 && w <= 5) ||
                 (w <= 3 && (strncasecmp(s + j, "h", w) == 0 || strncasecmp(s + j, "hr", w) == 0 ||
                             strncasecmp(s + j, "hrs", w) == 0)))
            unit = 3600;
        else if ((w >= 3 && w <= 7 && strncasecmp(s + j, "minutes", w) == 0) ||
                 (w <= 4 && (strncasecmp(s + j, "m", w) == 0 || strncasecmp(s + j, "min", w) == 0 ||
                             strncasecmp(s + j, "mins", w) == 0)))
            unit = 60;
        else if ((w >= 3 && w <= 7 && strncasecmp(s + j, "seconds", w) == 0) ||
                 (w <= 4 && (strncasecmp(s + j, "s", w) == 0 || strncasecmp(s + j, "sec", w) == 0 ||
                             strncasecmp(s + j, "secs", w) == 0)))
            unit = 1;
        else if (w >= 3 && w <= 4 && strncasecmp(s + j, "days", w) == 0)
            unit = 86400;
        if (unit == 0) {
            i = start;
            break;
        }
        total += v * unit;
        any = true;
        i = j + w;
        size_t k = skip_spaces(s, len, i);
        if (k + 4 <= len && strncasecmp(s + k, "and ", 4) == 0)
            k = skip_spaces(s, len, k + 4);
        if (k < len && (isdigit((unsigned char)s[k]))) {
            i = k;
            continue;
        }
        break;
    }
    /* Beyond what seconds can hold it is not a duration anyone wrote. */
    if (!any || !(total < 9e18))
        return -1;
    if (used)
        *used = i;
    return (int64_t)(total + 0.5);
}
