/* clock.h: times, dates and zones as post mortems write them.
 *
 * Scanners take a byte range and return how many bytes they understood (0
 * for none); they never read past LEN. */
#ifndef DBF_CLOCK_H
#define DBF_CLOCK_H

#include "debrief/doc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Which of two numbers comes first in a date such as 05-03-2026 that reads
 * both ways. DEFAULT: month first with '/', day first with '.' and '-'. */
enum dbf__date_order { DBF_ORDER_DEFAULT, DBF_MONTH_FIRST, DBF_DAY_FIRST };

/* A date at S: 2026-03-14, 2026/03/14, 14 March 2026, March 14th, 2026,
 * Mar 14 (year 0), 3/14/2026, with an optional leading weekday. */
size_t dbf__date_scan(const char *s, size_t len, struct dbf_date *out);
/* As dbf__date_scan, with ORDER for numeric dates (23-03-2026, 03-23-2026). */
size_t dbf__date_scan_order(const char *s, size_t len, struct dbf_date *out,
                            enum dbf__date_order order);

/* A zone at S: Z, UTC, GMT, an abbreviation (PST, CEST, …), UTC+2, +02:00,
 * or an IANA name (Europe/Paris). Sets OUT's zone fields; the zone text is
 * kept in a static table or, for IANA names and offsets, must be copied by
 * the caller from S[0..return). */
size_t dbf__zone_scan(const char *s, size_t len, struct dbf_time *out);

/* A point in time at S: an optional date (or "MM-DD" before a clock), then a
 * clock time (HH:MM[:SS], H:MM am/pm, "10:45a", HHMM when a dated year came
 * first, ISO 8601 with T), an optional range whose start is kept ("13:30-13:45",
 * "between 2:00 and 2:30 PM"), an optional zone ("UTC", "(PST)", "Eastern"),
 * then, when no date came first, an optional date ("11:35 AM PST Monday Mar
 * 2nd"). When REQUIRE_CLOCK, a date alone is not enough. Leading '`', '*',
 * '_', '[', '~', '{' and spaces are skipped and counted. */
size_t dbf__time_scan(const char *s, size_t len, struct dbf_time *out, bool require_clock);
/* As dbf__time_scan, with ORDER for numeric dates. */
size_t dbf__time_scan_order(const char *s, size_t len, struct dbf_time *out, bool require_clock,
                            enum dbf__date_order order);

/* "%4d-%2d-%2d" and "%2d:%2d" at S as sscanf() reads them (white space
 * skipped before each number, a sign counted in its width): OUT unchecked
 * (dbf__date_valid()); the bytes read, or 0. For the front matter's dates
 * and times, read a few times a document: sscanf() costs some 2,000
 * instructions a call. */
size_t dbf__ymd_scan(const char *s, size_t len, struct dbf_date *out);
size_t dbf__hm_scan(const char *s, size_t len, int *hours, int *minutes);

/* Days since 1970-01-01 for a proleptic Gregorian date. */
int64_t dbf__days_from_civil(int year, int month, int day);

/* The proleptic Gregorian date of day DAYS since 1970-01-01. */
struct dbf_date dbf__civil_from_days(int64_t days);

/* Is D a real calendar date? */
bool dbf__date_valid(struct dbf_date d);

/* Signed difference B - A in days; both must be valid. */
int64_t dbf__date_diff(struct dbf_date a, struct dbf_date b);

/* A duration written in prose at S ("47 minutes", "2h 15m", "1.5 hours",
 * "three hours"): seconds, or -1. */
int64_t dbf__duration_scan(const char *s, size_t len, size_t *used);

/* How many bytes at the start of S[0..LEN) spell WORD (lower case ASCII)
 * as PCRE2's caseless matching reads it: either case, and U+017F (long s)
 * for 's' and U+212A (Kelvin) for 'k'; 0 when they do not. */
size_t dbf__spells(const char *s, size_t len, const char *word);

/* The longest cardinal written as a word ("one" to "twenty", "thirty",
 * "forty", "forty-five", "fifty", "sixty", "ninety") spelled at the start of
 * S[0..LEN) as dbf__spells() reads it: its length in bytes and *VALUE, or 0
 * ("sixteen", not "six"; the caller says what may follow it). */
size_t dbf__number_word(const char *s, size_t len, int *value);

#endif
