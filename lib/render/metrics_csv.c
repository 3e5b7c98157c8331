/* metrics_csv.c: metric series from CSV: a time column and value columns.
 *
 * Rows of the commonest shape (the time first, then short plain numbers)
 * are read many at a time by metric_rows.c, straight into the series'
 * arrays. Another row of plain fields (no quotes, no spaces, the common
 * number and time forms) is read in one pass by the fast paths of
 * metric_fast.c, straight into the series. Any other row is read again
 * from its start as a record (read_record), whose fields the general
 * parsers take: quoted fields, blank lines and every error go that way, so
 * they behave as they always have. While every row has every value, the
 * series share one array of times (metric_data.c). Records are read
 * straight from the input; only quoted fields with "" inside are copied
 * (into the scratch buffer), so a file of a million rows costs one pass and
 * no allocation per row. The reader keeps its place between pieces of a
 * file (struct dbf__csv_reader), and with a capacity hands the points on a
 * few thousand at a time instead of keeping them (metric_stream.c). */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct field {
    const char *s;
    size_t n;
    size_t off; /* where it starts in scratch, when unescaped there */
    bool unescaped;
};

struct csv {
    const char *p, *end;
    char sep;
    int line; /* the line the cursor is on */
    struct field *fields;
    size_t count, alloc;
    struct dbf_buf scratch;
    char *err;
    size_t errlen;
};

static struct field *new_field(struct csv *c)
{
    if (c->count == c->alloc) {
        size_t alloc = c->alloc ? c->alloc * 2 : 16;
        struct field *f = realloc(c->fields, alloc * sizeof *f);
        if (!f)
            return NULL;
        c->fields = f;
        c->alloc = alloc;
    }
    struct field *f = &c->fields[c->count++];
    memset(f, 0, sizeof *f);
    return f;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* A quoted field at R (just past its opening quote). */
static const char *read_quoted(struct csv *c, const char *r, struct field *f)
{
    int start_line = c->line;
    const char *seg = r;
    size_t off = c->scratch.len;
    for (;;) {
        if (r >= c->end) {
            snprintf(c->err, c->errlen, "%d: a quoted field is not closed", start_line);
            return NULL;
        }
        if (*r == '"') {
            if (r + 1 < c->end && r[1] == '"') {
                dbf_buf_add(&c->scratch, seg, (size_t)(r + 1 - seg));
                f->unescaped = true;
                r += 2;
                seg = r;
                continue;
            }
            break;
        }
        if (*r == '\n')
            c->line++;
        r++;
    }
    if (f->unescaped) {
        dbf_buf_add(&c->scratch, seg, (size_t)(r - seg));
        f->off = off;
        f->n = c->scratch.len - off;
    } else {
        f->s = seg;
        f->n = (size_t)(r - seg);
    }
    r++;
    while (r < c->end && is_space(*r) && *r != c->sep)
        r++;
    if (r < c->end && *r != c->sep && *r != '\n' && *r != '\r') {
        snprintf(c->err, c->errlen, "%d: text after the closing quote of field %zu", c->line,
                 c->count);
        return NULL;
    }
    return r;
}

/* Reads the record at the cursor: 1 when read, 0 at the end, -1 on error. */
static int read_record(struct csv *c, int *record_line)
{
    c->count = 0;
    dbf_buf_reset(&c->scratch);
    if (c->p >= c->end)
        return 0;
    *record_line = c->line;
    for (;;) {
        struct field *f = new_field(c);
        if (!f) {
            snprintf(c->err, c->errlen, "out of memory");
            return -1;
        }
        const char *r = c->p;
        while (r < c->end && is_space(*r) && *r != c->sep)
            r++;
        if (r < c->end && *r == '"') {
            r = read_quoted(c, r + 1, f);
            if (!r)
                return -1;
        } else {
            r = c->p;
            while (r < c->end && *r != c->sep && *r != '\n' && *r != '\r')
                r++;
            f->s = c->p;
            f->n = (size_t)(r - c->p);
        }
        c->p = r;
        if (c->p < c->end && *c->p == c->sep) {
            c->p++;
            continue;
        }
        if (c->p < c->end && *c->p == '\r')
            c->p++;
        if (c->p < c->end && *c->p == '\n')
            c->p++;
        c->line++;
        break;
    }
    if (c->scratch.failed) {
        snprintf(c->err, c->errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < c->count; i++)
        if (c->fields[i].unescaped)
            c->fields[i].s = c->scratch.data + c->fields[i].off;
    return 1;
}

static bool blank_field(const struct field *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (!is_space(f->s[i]))
            return false;
    return true;
}

static bool blank_record(const struct csv *c)
{
    return c->count == 1 && blank_field(&c->fields[0]);
}

/* The separator: the one of ',', ';' and tab that the first line has most
 * of outside quotes (',' when none). */
static char sniff_separator(const char *s, size_t len)
{
    size_t comma = 0, semicolon = 0, tab = 0;
    bool quoted = false;
    for (size_t i = 0; i < len && (quoted || s[i] != '\n'); i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted) {
            comma += s[i] == ',';
            semicolon += s[i] == ';';
            tab += s[i] == '\t';
        }
    }
    if (semicolon > comma && semicolon >= tab)
        return ';';
    if (tab > comma && tab > semicolon)
        return '\t';
    return ',';
}

static void trimmed(const struct field *f, const char **s, size_t *n)
{
    *s = f->s;
    *n = f->n;
    while (*n && is_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

static bool is_time_header(const struct field *f)
{
    static const char *const names[] = {"time", "timestamp", "date", "datetime", "ts"};
    const char *s;
    size_t n;
    trimmed(f, &s, &n);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && strncasecmp(s, names[i], n) == 0)
            return true;
    /* "time (UTC)", "Time_utc" */
    return n > 5 && strncasecmp(s, "time", 4) == 0 && strchr(" (_", s[4]);
}

static int shown(size_t n)
{
    return n > 40 ? 40 : (int)n;
}

struct columns {
    size_t time;    /* the time column's index */
    size_t *series; /* per column: index into out->series, or SIZE_MAX for the time column */
    size_t count;
};

static bool read_header(struct csv *c, struct dbf__metric_data *out, struct columns *cols)
{
    int line = 1, got;
    while ((got = read_record(c, &line)) == 1 && blank_record(c))
        ;
    if (got < 0)
        return false;
    if (got == 0) {
        snprintf(c->err, c->errlen, "1: empty: expected a header row such as 'time,value'");
        return false;
    }
    cols->count = c->count;
    if (c->count < 2) {
        snprintf(c->err, c->errlen,
                 "%d: one column only: expected a time column and at least one value column, "
                 "separated by commas",
                 line);
        return false;
    }
    int64_t t;
    const char *s;
    size_t n;
    trimmed(&c->fields[0], &s, &n);
    if (dbf__metric_time(s, n, &t) && n >= 8) {
        snprintf(c->err, c->errlen,
                 "%d: the first row is data, not a header: add a row naming the columns "
                 "(such as 'time,value')",
                 line);
        return false;
    }
    cols->time = 0;
    for (size_t i = 0; i < c->count; i++)
        if (is_time_header(&c->fields[i])) {
            cols->time = i;
            break;
        }
    cols->series = malloc(c->count * sizeof *cols->series);
    if (!cols->series) {
        snprintf(c->err, c->errlen, "out of memory");
        return false;
    }
    for (size_t i = 0; i < c->count; i++) {
        cols->series[i] = SIZE_MAX;
        if (i == cols->time)
            continue;
        trimmed(&c->fields[i], &s, &n);
        char name[32];
        if (!n) {
            snprintf(name, sizeof name, "column %zu", i + 1);
            s = name;
            n = strlen(name);
        }
        cols->series[i] = out->series_count;
        if (!dbf__metric_data_add_series(out, s, n)) {
            snprintf(c->err, c->errlen, "out of memory");
            return false;
        }
    }
    return true;
}

static bool read_row(struct csv *c, int line, struct dbf__metric_data *out,
                     const struct columns *cols)
{
    if (c->count < cols->count) {
        snprintf(c->err, c->errlen, "%d: %zu field%s, but the header has %zu", line, c->count,
                 c->count == 1 ? "" : "s", cols->count);
        return false;
    }
    for (size_t i = cols->count; i < c->count; i++)
        if (!blank_field(&c->fields[i])) {
            snprintf(c->err, c->errlen, "%d: %zu fields, but the header has %zu", line, c->count,
                     cols->count);
            return false;
        }
    const char *s;
    size_t n;
    trimmed(&c->fields[cols->time], &s, &n);
    int64_t t;
    if (!n) {
        snprintf(c->err, c->errlen, "%d: no time in the time column", line);
        return false;
    }
    if (!dbf__metric_time(s, n, &t)) {
        snprintf(c->err, c->errlen,
                 "%d: '%.*s' is not a time: expected ISO 8601 (2026-03-10T14:02:00Z), "
                 "'2026-03-10 14:02' (UTC) or epoch seconds",
                 line, shown(n), s);
        return false;
    }
    for (size_t i = 0; i < cols->count; i++) {
        if (cols->series[i] == SIZE_MAX)
            continue;
        double v;
        const struct field *f = &c->fields[i];
        switch (dbf__metric_number(f->s, f->n, &v)) {
        case DBF__CELL_BLANK:
            break;
        case DBF__CELL_BAD: {
            trimmed(f, &s, &n);
            snprintf(c->err, c->errlen, "%d: column '%s': '%.*s' is not a number", line,
                     out->series[cols->series[i]].name, shown(n), s);
            return false;
        }
        case DBF__CELL_VALUE:
            if (!dbf__series_push(&out->series[cols->series[i]], t, v)) {
                snprintf(c->err, c->errlen, "out of memory");
                return false;
            }
        }
    }
    return true;
}

/* A row's values as the fast path reads them, by series, before any is
 * kept. */
struct fast_row {
    double *v;
    bool *have;
    struct dbf__day_cache day;
    bool shared; /* every row so far had every value: the series share their times */
};

static bool field_end(const struct csv *c, const char *q, bool last)
{
    if (!last)
        return q < c->end && *q == c->sep;
    return q == c->end || *q == '\n' || *q == '\r';
}

/* The field at P read by the general parsers when the fast path does not
 * take it: where it ends (at a separator, or a line end when LAST), or NULL
 * when the row must be read as a record (a quoted field, a field count
 * other than the header's, a value that is not one). */
static const char *general_field(const struct csv *c, const char *p, bool last, bool time,
                                 int64_t *t, double *v, bool *have)
{
    const char *r = p;
    while (r < c->end && is_space(*r) && *r != c->sep)
        r++;
    if (r < c->end && *r == '"')
        return NULL;
    r = p;
    while (r < c->end && *r != c->sep && *r != '\n' && *r != '\r')
        r++;
    if (!field_end(c, r, last))
        return NULL;
    struct field f = {.s = p, .n = (size_t)(r - p)};
    if (time) {
        const char *s;
        size_t n;
        trimmed(&f, &s, &n);
        return n && dbf__metric_time(s, n, t) ? r : NULL;
    }
    switch (dbf__metric_number(f.s, f.n, v)) {
    case DBF__CELL_VALUE:
        *have = true;
        return r;
    case DBF__CELL_BLANK:
        *have = false;
        return r;
    default:
        return NULL;
    }
}

/* Ends the sharing of times, before a row that lacks a value. */
static bool unshare(struct csv *c, struct dbf__metric_data *out, struct fast_row *row)
{
    row->shared = false;
    if (dbf__metric_data_unshare(out))
        return true;
    snprintf(c->err, c->errlen, "out of memory");
    return false;
}

/* Reads the row at the cursor without splitting it into a record first:
 * 1 when read and its points kept, 0 when it must be read as a record (the
 * cursor is then where it was), -1 when memory runs out. */
static int read_fast_row(struct csv *c, struct dbf__metric_data *out, const struct columns *cols,
                         struct fast_row *row)
{
    const char *p = c->p;
    if (p >= c->end)
        return 0;
    int64_t t = 0;
    bool all = true;
    for (size_t i = 0; i < cols->count; i++) {
        bool last = i + 1 == cols->count, time = i == cols->time;
        size_t k = time ? 0 : cols->series[i];
        const char *q = time ? dbf__metric_time_fast(p, c->end, &row->day, &t)
                             : dbf__metric_number_fast(p, c->end, &row->v[k]);
        if (q && field_end(c, q, last)) {
            if (!time)
                row->have[k] = true;
        } else if (!(q = general_field(c, p, last, time, &t, &row->v[k], &row->have[k]))) {
            return 0;
        }
        all = all && (time || row->have[k]);
        p = last ? q : q + 1;
    }
    if (p < c->end && *p == '\r')
        p++;
    if (p < c->end && *p == '\n')
        p++;
    if (row->shared && all && !dbf__metric_data_push_shared(out, t, row->v)) {
        snprintf(c->err, c->errlen, "out of memory");
        return -1;
    }
    if (row->shared && !all && !unshare(c, out, row))
        return -1;
    for (size_t k = 0; !row->shared && k < out->series_count; k++)
        if (row->have[k] && !dbf__series_push(&out->series[k], t, row->v[k])) {
            snprintf(c->err, c->errlen, "out of memory");
            return -1;
        }
    c->p = p;
    c->line++;
    return 1;
}

/* Makes room in every series for the rows the rest of the file likely
 * holds, judged by the length of its next line, so that a big file is not
 * copied as its arrays grow (room left over is given back at the end), and
 * has the series share their times until a row lacks a value. A guess: when
 * the room cannot be had, the arrays grow as they fill. */
static void reserve_rows(const struct csv *c, struct dbf__metric_data *out, struct fast_row *row)
{
    size_t rest = (size_t)(c->end - c->p);
    const char *nl = memchr(c->p, '\n', rest);
    size_t line = nl ? (size_t)(nl - c->p) + 1 : rest;
    line = line > 4 ? line : 4;
    /* A quarter more: rows a little shorter than the first would otherwise
     * have the arrays copied to twice the room at the very end. */
    size_t rows = rest / line + rest / (4 * line) + 16;
    row->shared = dbf__metric_data_share_times(out, rows);
    for (size_t i = 0; !row->shared && i < out->series_count; i++)
        if (!dbf__series_reserve(&out->series[i], rows))
            return;
}

/* Rows read in bulk (metric_rows.c): where each series' values go. */
struct bulk {
    struct dbf__row_reader reader;
    double **v;
    int wait; /* rows to read otherwise before trying again */
};

/* Reads the rows at the cursor in bulk while they have the common shape and
 * there is room for them (their times in the first series', shared or its
 * only one); how many. */
static size_t read_bulk(struct csv *c, struct dbf__metric_data *out, struct bulk *b)
{
    size_t at = out->series[0].count, room = SIZE_MAX;
    for (size_t k = 0; k < out->series_count; k++) {
        struct dbf__series *s = &out->series[k];
        room = s->alloc - s->count < room ? s->alloc - s->count : room;
        b->v[k] = s->v + at;
    }
    const char *stop;
    size_t n =
        dbf__metric_rows_fast(&b->reader, c->p, c->end, out->series[0].t + at, b->v, room, &stop);
    for (size_t k = 0; k < out->series_count; k++)
        out->series[k].count += n;
    c->p = stop;
    c->line += (int)n;
    return n;
}

struct dbf__csv_reader {
    struct csv c;
    struct dbf__metric_data *out;
    struct columns cols;
    struct fast_row row;
    struct bulk bulk;
    size_t capacity; /* points a series holds at a time; 0: all */
    dbf__csv_flush_fn flush;
    dbf__csv_rows_fn take;
    int take_wait, take_backoff; /* rows to read otherwise before trying TAKE again */
    void *context;
    size_t rows, points; /* read so far; POINTS: those handed to FLUSH */
    int header_line;
    bool started, ok;
};

struct dbf__csv_reader *dbf__csv_begin(struct dbf__metric_data *out, size_t capacity,
                                       dbf__csv_flush_fn flush, void *context, char *err,
                                       size_t errlen)
{
    struct dbf__csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->out = out;
    r->capacity = flush ? capacity : 0;
    r->flush = flush;
    r->context = context;
    r->c = (struct csv){.line = 1, .err = err, .errlen = errlen};
    dbf_buf_init(&r->c.scratch, 0);
    r->ok = true;
    return r;
}

/* Sets up the reading of rows once the header is read. */
static bool start_rows(struct dbf__csv_reader *r)
{
    struct csv *c = &r->c;
    struct dbf__metric_data *out = r->out;
    r->row.v = calloc(out->series_count, sizeof *r->row.v);
    r->row.have = calloc(out->series_count, sizeof *r->row.have);
    r->bulk.v = calloc(out->series_count, sizeof *r->bulk.v);
    dbf__row_reader_init(&r->bulk.reader, c->sep, r->cols.time == 0 ? out->series_count : 0);
    if (!r->row.v || !r->row.have || !r->bulk.v) {
        snprintf(c->err, c->errlen, "out of memory");
        return false;
    }
    if (r->capacity) {
        r->row.shared = dbf__metric_data_share_times(out, r->capacity);
        for (size_t i = 0; !r->row.shared && i < out->series_count; i++)
            if (!dbf__series_reserve(&out->series[i], r->capacity)) {
                snprintf(c->err, c->errlen, "out of memory");
                return false;
            }
    } else {
        reserve_rows(c, out, &r->row);
    }
    r->header_line = c->line - 1;
    return true;
}

/* Hands the points read so far on, when the series hold all they may. */
static bool flush_points(struct dbf__csv_reader *r, bool always)
{
    struct dbf__metric_data *out = r->out;
    if (!r->capacity)
        return true;
    bool full = always;
    for (size_t k = 0; !full && k < out->series_count; k++)
        full = out->series[k].count >= r->capacity;
    if (!full)
        return true;
    for (size_t k = 0; k < out->series_count; k++)
        r->points += out->series[k].count;
    bool more = r->flush(r->context, out);
    for (size_t k = 0; k < out->series_count; k++)
        out->series[k].count = 0;
    return more;
}

void dbf__csv_take_rows(struct dbf__csv_reader *r, dbf__csv_rows_fn take)
{
    r->take = r->flush ? take : NULL;
    r->take_backoff = 8;
}

/* Has the owner take the rows at the cursor (see dbf__csv_take_rows), the
 * points read before handed on first; false when reading has failed. */
static bool take_rows(struct dbf__csv_reader *r)
{
    struct csv *c = &r->c;
    struct dbf__metric_data *out = r->out;
    if (out->series[0].count && !flush_points(r, true))
        return false;
    const char *stop;
    size_t n = r->take(r->context, out, c->sep, c->p, c->end, &stop);
    r->rows += n;
    r->points += n * out->series_count;
    c->line += (int)n;
    c->p = stop;
    /* Rows it does not take most often come in runs (or are all of them):
     * each try hands the points read before on. */
    r->take_backoff = n ? 16 : r->take_backoff < 4096 ? 2 * r->take_backoff : 4096;
    r->take_wait = n ? 0 : r->take_backoff;
    return true;
}

bool dbf__csv_read(struct dbf__csv_reader *r, const char *text, size_t len)
{
    struct csv *c = &r->c;
    struct dbf__metric_data *out = r->out;
    c->p = text;
    c->end = text + len;
    if (r->ok && !r->started) {
        r->started = true;
        c->sep = sniff_separator(text, len);
        r->ok = read_header(c, out, &r->cols) && start_rows(r);
    }
    int line = c->line, got = 0;
    while (r->ok) {
        if (!flush_points(r, false)) {
            r->ok = false;
            break;
        }
        bool bulk = r->bulk.reader.values && (r->row.shared || out->series_count == 1);
        if (bulk && r->take && c->end - c->p >= DBF__LAYOUT_SLACK && --r->take_wait < 0 &&
            !take_rows(r)) {
            r->ok = false;
            break;
        }
        /* Rows in bulk when TAKE does not take them (it has just: then the
         * next row alone, and TAKE again). */
        if (bulk && !(r->take && !r->take_wait) && --r->bulk.wait < 0) {
            size_t n = read_bulk(c, out, &r->bulk);
            r->rows += n;
            r->bulk.wait = n ? 0 : 16;
            if (r->capacity && out->series[0].count >= r->capacity)
                continue; /* full: handed on first */
        }
        int fast = read_fast_row(c, out, &r->cols, &r->row);
        if (fast < 0) {
            r->ok = false;
            break;
        }
        if (fast) {
            r->rows++;
            continue;
        }
        if ((got = read_record(c, &line)) != 1)
            break;
        if (blank_record(c))
            continue;
        r->ok = (!r->row.shared || unshare(c, out, &r->row)) && read_row(c, line, out, &r->cols);
        r->rows++;
    }
    if (got < 0)
        r->ok = false;
    return r->ok;
}

bool dbf__csv_end(struct dbf__csv_reader *r)
{
    struct csv *c = &r->c;
    struct dbf__metric_data *out = r->out;
    bool ok = r->ok;
    if (ok && !r->started) {
        snprintf(c->err, c->errlen, "1: empty: expected a header row such as 'time,value'");
        ok = false;
    }
    if (ok && !r->capacity)
        for (size_t i = 0; i < out->series_count; i++)
            r->points += out->series[i].count;
    if (ok && r->capacity && !flush_points(r, true))
        ok = false;
    if (ok && !r->rows) {
        snprintf(c->err, c->errlen, "%d: no data rows after the header", r->header_line);
        ok = false;
    }
    if (ok && !r->points) {
        snprintf(c->err, c->errlen, "%d: no numbers in any value column", r->header_line + 1);
        ok = false;
    }
    free(r->row.v);
    free(r->row.have);
    free(r->bulk.v);
    free(r->cols.series);
    free(c->fields);
    dbf_buf_release(&c->scratch);
    free(r);
    return ok;
}

bool dbf__metrics_parse_csv(const char *text, size_t len, struct dbf__metric_data *out, char *err,
                            size_t errlen)
{
    struct dbf__csv_reader *r = dbf__csv_begin(out, 0, NULL, NULL, err, errlen);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    dbf__csv_read(r, text, len);
    return dbf__csv_end(r);
}
