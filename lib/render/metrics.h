/* metrics.h: the pieces the metric file readers share (see charts.h for the
 * formats they read). */
#ifndef DBF_METRICS_H
#define DBF_METRICS_H

#include "charts.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dbf__cell { DBF__CELL_VALUE, DBF__CELL_BLANK, DBF__CELL_BAD };

/* The number in the LEN bytes at S (spaces around it allowed, a trailing
 * '%' ignored), read the same whatever the locale. BLANK for an empty cell,
 * NaN, null or an infinity: a point that is not there. */
enum dbf__cell dbf__metric_number(const char *s, size_t len, double *out);

/* The time in the LEN bytes at S as UTC seconds (fractions dropped): ISO
 * 8601 dates and times with Z, an offset or none (UTC), or epoch seconds,
 * milliseconds, microseconds or nanoseconds. */
bool dbf__metric_time(const char *s, size_t len, int64_t *out);

/* The fast paths for the common forms in metric files. Each reads the text
 * at P (not past END) and returns where it stopped, or NULL when the text
 * there is not a form it takes; the caller then finds where the field ends
 * and reads it with the general parser above. Whenever a fast path stops
 * exactly at the end of a field, its result is bit for bit what the general
 * parser gives for that field.
 *
 * Numbers: [+-]digits[.digits] (or [+-].digits) with at most 15 significant
 * digits and at most 22 places after the point; no spaces, exponent or '%'. */
const char *dbf__metric_number_fast(const char *p, const char *end, double *out);

/* The last date read by dbf__metric_time_fast(), so that the rows of one day
 * do not check and convert the same date again. Zeroed before the first. */
struct dbf__day_cache {
    char date[10];
    int64_t days;
    bool valid;
};

/* Times: YYYY-MM-DD (or YYYY/MM/DD), optionally followed by T, t or a space
 * and HH:MM[:SS[.fraction]], then Z, z, +HH, +HHMM, +HH:MM or nothing; or
 * epoch digits (seconds or finer, by their count) with an optional
 * fraction. No spaces, no sign before epoch digits. */
const char *dbf__metric_time_fast(const char *p, const char *end, struct dbf__day_cache *cache,
                                  int64_t *out);

/* Rows in bulk: CSV rows of a time column then VALUES number columns, each
 * a plain field that the fast paths above take, separated by SEP and ended
 * by "\n" or "\r\n". The reader keeps what the last rows were like, and
 * reads a row like them with a few word compares: the time when only its
 * seconds differ, each number when its digits, point and end are where
 * they were. Set up by dbf__row_reader_init(). */
#define DBF__ROW_VALUES_MAX 16

/* The shape of a column's last short number (where its digits, point and
 * end are), which the next one most often has too. */
struct dbf__number_shape {
    uint64_t digits;            /* the high bit of each byte that must be a digit */
    uint64_t fixed_mask, fixed; /* the bytes that must be as they were: point, end */
    uint64_t low, high;         /* the digits before the point, and after it less one byte */
    unsigned shift;             /* 8 bits per digit fewer than 8 */
    unsigned next;              /* where the next field starts */
    double scale;               /* 10 to the number of places */
};

struct dbf__row_reader {
    char sep;
    size_t values; /* 0: rows are not read in bulk */
    struct dbf__day_cache day;
    struct dbf__number_shape shapes[DBF__ROW_VALUES_MAX];
    /* The last time read in full, with its separator: a time with the same
     * bytes (under MASK_WORD, which leaves out the seconds) is MINUTE plus
     * its seconds. */
    uint64_t time_word[4], mask_word[4];
    size_t time_len;
    int64_t minute;
    bool minute_known;
};

/* Sets up R for rows of VALUES numbers after the time, separated by SEP
 * (more than DBF__ROW_VALUES_MAX: no rows read in bulk). */
void dbf__row_reader_init(struct dbf__row_reader *r, char sep, size_t values);

/* Reads up to ROOM rows from P (not past END) into T[i] and V[k][i], the
 * time and value K of the I-th row read, each bit for bit what the general
 * parsers give; returns how many, with *STOP at the start of the first row
 * not read (a row of any other shape, or one of the last few bytes before
 * END, is left for the caller to read its own way). */
size_t dbf__metric_rows_fast(struct dbf__row_reader *r, const char *p, const char *end, int64_t *t,
                             double *const *v, size_t room, const char **stop);

/* Adds an empty series named by the LEN bytes at NAME; NULL when memory
 * runs out. */
struct dbf__series *dbf__metric_data_add_series(struct dbf__metric_data *data, const char *name,
                                                size_t len);

/* Makes room for N points in all; false when memory runs out. */
bool dbf__series_reserve(struct dbf__series *s, size_t n);

/* Appends a point; false when memory runs out. */
static inline bool dbf__series_push(struct dbf__series *s, int64_t t, double v)
{
    if (s->count == s->alloc && !dbf__series_reserve(s, s->alloc ? s->alloc * 2 : 256))
        return false;
    s->t[s->count] = t;
    s->v[s->count] = v;
    s->count++;
    return true;
}

/* Shared times (for readers whose rows have a value in every column): the
 * first series keeps the times, every other series' t points to them.
 * dbf__metric_data_finish() and dbf__metric_data_release() know it. */

/* Makes DATA's series (two or more, all empty) share their times, with room
 * for ROWS points; false when they do not (memory), nothing shared then. */
bool dbf__metric_data_share_times(struct dbf__metric_data *data, size_t rows);

/* Appends a point at time T to every series of DATA, whose times are shared:
 * V[K] to series K. False when memory runs out. */
bool dbf__metric_data_push_shared(struct dbf__metric_data *data, int64_t t, const double *v);

/* Gives every series its own times again, so that points can be pushed to
 * each alone (dbf__series_push). False when memory runs out. */
bool dbf__metric_data_unshare(struct dbf__metric_data *data);

/* Are the N times at T in order (none before the one ahead of it)? */
bool dbf__times_in_order(const int64_t *t, size_t n);

/* Sorts each series by time when it is not in order and sets the span. */
bool dbf__metric_data_finish(struct dbf__metric_data *data);

bool dbf__metrics_parse_csv(const char *text, size_t len, struct dbf__metric_data *out, char *err,
                            size_t errlen);

/* CSV read a piece at a time, for a file too large to hold (metric_stream.c).
 *
 * Each piece ends where a record does (the last at the file's end). With a
 * CAPACITY, the series hold at most that many points: when they are full,
 * and once more at the end, FLUSH is called with OUT, whose series then
 * hold the points read since the last call (in file order, times shared
 * or not as dbf__metrics_parse_csv() leaves them), and the points are
 * dropped after it. FLUSH returns false to stop the reading. Without a
 * FLUSH every point is kept and the text must come in one piece.
 * dbf__metric_data_finish() is the caller's. Messages go to ERR as from
 * dbf__metrics_parse_csv(). */
typedef bool (*dbf__csv_flush_fn)(void *context, struct dbf__metric_data *out);
struct dbf__csv_reader;

/* NULL when memory runs out. */
struct dbf__csv_reader *dbf__csv_begin(struct dbf__metric_data *out, size_t capacity,
                                       dbf__csv_flush_fn flush, void *context, char *err,
                                       size_t errlen);
/* Reads the records of TEXT[0, LEN); false once reading has failed. */
bool dbf__csv_read(struct dbf__csv_reader *r, const char *text, size_t len);
/* Ends the reading and frees R: true when the file was read whole and held
 * points. */
bool dbf__csv_end(struct dbf__csv_reader *r);
bool dbf__metrics_parse_prometheus(const char *text, size_t len, struct dbf__metric_data *out,
                                   char *err, size_t errlen);

/* Files at least this large are read in pieces when they can be. */
#define DBF__STREAM_FROM ((size_t)1 << 20)

/* The time span of the CSV metrics file open as FD (SIZE bytes) as its
 * first and last rows tell: a guess, for the frame (the rows between may
 * say otherwise). False when those rows do not tell (the file is JSON, or
 * they cannot be read apart from the rest). */
bool dbf__metric_stream_span(int fd, size_t size, int64_t *first, int64_t *last);

/* Reads the CSV metrics file open as FD (SIZE bytes) in pieces of about
 * PIECE bytes, reducing its series to FRAME into GRAPH (released by the
 * caller), and sets *FIRST and *LAST to the file's time span. The graph is
 * the one dbf__metric_graph_of() makes of the file read whole. False, with
 * GRAPH empty, when the file must be read whole instead: its rows are out
 * of time order, it does not read (the whole-file reader says why), or it
 * changed while it was read. */
bool dbf__metric_stream(int fd, size_t size, size_t piece, const struct dbf__chart_frame *frame,
                        struct dbf__metric_graph *graph, int64_t *first, int64_t *last);

#endif
