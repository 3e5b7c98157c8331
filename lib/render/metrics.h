/* metrics.h: the pieces the metric file readers share (see charts.h for the
 * formats they read). */
#ifndef DBF_METRICS_H
#define DBF_METRICS_H

#include "charts.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* Rows of one layout (row_layout.c): rows whose bytes are those of a row
 * learnt before but for the digits of the seconds and of each value, and
 * whose values are short plain numbers (digits and a point at most, eight
 * bytes at most); such a row is checked with a few vector compares, its
 * time is the learnt minute plus its seconds, and a value compares with
 * another of its column as the big-endian integer of its bytes (KEY), so
 * that only the few values a graph keeps need reading as numbers. */
#define DBF__LAYOUT_BYTES 64
/* Bytes readable from a row's start for it to be checked. */
#define DBF__LAYOUT_SLACK 80
struct dbf__row_layout {
    /* Byte I of a row is BASE[I] + 0..RANGE[I] (a digit: '0' + 0..9; a
     * byte that must be as learnt: itself + 0; past the row: anything). */
    unsigned char base[DBF__LAYOUT_BYTES], range[DBF__LAYOUT_BYTES];
    size_t len; /* the row's bytes, its line end included */
    char sep;
    size_t values;
    unsigned char at[DBF__ROW_VALUES_MAX], width[DBF__ROW_VALUES_MAX];
    int64_t minute; /* the row's time less its seconds */
    struct dbf__day_cache day;
    bool known;
};

/* Sets up L for rows of a time (YYYY-MM-DD[T ]HH:MM:SS and more) then
 * VALUES numbers (1 to DBF__ROW_VALUES_MAX), separated by SEP; no layout
 * known yet. */
void dbf__row_layout_init(struct dbf__row_layout *l, char sep, size_t values);

/* Learns the layout of the row at P (DBF__LAYOUT_SLACK bytes readable
 * before END); false, L unknown, when it has none. */
bool dbf__row_layout_learn(struct dbf__row_layout *l, const char *p, const char *end);

/* Are the value layouts of A and B the same (a value of one compares by
 * its key with a value of the other)? */
bool dbf__row_layout_same_values(const struct dbf__row_layout *a, const struct dbf__row_layout *b);

/* The bytes of the row at P that are not as L has them: bit I for byte I. */
uint64_t dbf__row_layout_misfits(const struct dbf__row_layout *l, const char *p);

/* Takes the hour and minute of the row at P when they are all that differ
 * from L's (MISFITS, from dbf__row_layout_misfits()); false when they are
 * not, L unchanged. */
bool dbf__row_layout_step(struct dbf__row_layout *l, const char *p, uint64_t misfits);

/* The time of the row at P, which has L's layout. */
static inline int64_t dbf__row_time(const struct dbf__row_layout *l, const char *p)
{
    return l->minute + (p[17] - '0') * 10 + (p[18] - '0');
}

/* The key of the value of WIDTH bytes at P: its bytes from the highest
 * down, the bytes after it zero. */
static inline uint64_t dbf__value_key(const char *p, uint64_t mask)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w & mask;
}

/* The mask of a key of WIDTH bytes (1 to 8). */
static inline uint64_t dbf__key_mask(unsigned width)
{
    return ~(uint64_t)0 << (64 - 8 * width);
}

/* The key of value K of the row at P, which has L's layout. */
static inline uint64_t dbf__row_key(const struct dbf__row_layout *l, const char *p, size_t k)
{
    return dbf__value_key(p + l->at[k], dbf__key_mask(l->width[k]));
}

/* The number whose key is KEY in a value of WIDTH bytes, bit for bit as
 * the general parser reads its text. */
double dbf__row_key_value(uint64_t key, unsigned width);

/* Reads the rows at P (not past END) of one layout, learning it from the
 * first, and reduces them straight into GRAPH (metric_sweep.c): value K to
 * series K's reduction. GRAPH's reductions must have taken the same times
 * so far; *LATEST is the time of the last row before (INT64_MIN: none).
 * Stops at a row of another layout, or one before *LATEST (left for the
 * reader that says what is wrong), or DBF__LAYOUT_SLACK bytes before END.
 * Returns the rows taken, with *STOP where it stopped, *FIRST and *LATEST
 * the times of the first and last rows taken. */
size_t dbf__metric_sweep(struct dbf__row_layout *l, struct dbf__metric_graph *graph, const char *p,
                         const char *end, int64_t *first, int64_t *latest, const char **stop);

/* For tests: lets dbf__metric_sweep() use the AVX2 scan where the machine
 * has it (ALLOWED, the default) or not, so that both are compared with the
 * general reader. */
void dbf__metric_sweep_wide(bool allowed);

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
/* Rows the reader's owner takes straight from the text instead (with a
 * FLUSH; metric_stream.c sweeps them into its graph): while the time is
 * the first column, there are at most DBF__ROW_VALUES_MAX values and every
 * row so far has had every one, TAKE is called (with CONTEXT, the points
 * read before handed to FLUSH first) with the text from the next row to
 * END, DBF__LAYOUT_SLACK bytes at least; it returns the rows it took, each
 * with every value, and sets *STOP past them. */
typedef size_t (*dbf__csv_rows_fn)(void *context, struct dbf__metric_data *out, char sep,
                                   const char *p, const char *end, const char **stop);
void dbf__csv_take_rows(struct dbf__csv_reader *r, dbf__csv_rows_fn take);
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
