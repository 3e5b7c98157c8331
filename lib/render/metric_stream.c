/* metric_stream.c: a large CSV metrics file drawn without holding it.
 *
 * The file is read a piece at a time into one buffer, each piece cut where
 * a line ends, and its rows go through the CSV reader a few thousand
 * points at a time (or are swept by metric_sweep.c) straight into each
 * series' reduction to the page's frame: the memory used is the same
 * whatever the file's size, and nothing is read twice. A line end within
 * quotes would cut a record in two, but a record with one cannot be a
 * data row that reads (no time or number holds a line end), and a header
 * with one is cut only when it is longer than a piece: such a cut ends the
 * stream (the quotes are not closed) and the whole-file reader reads the
 * file, so pieces are cut without a look for quotes. The frame needs the file's time span before its rows are
 * read; dbf__metric_stream_span() guesses it from the first and last rows,
 * and the caller compares the guess with the span the stream finds. What
 * the stream does not take in its stride (rows out of time order, an error
 * of any kind, a file that changes while it is read) is left to the
 * whole-file reader, which says what is wrong as it always has. */
#include "metrics.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Points a series holds between two hand-overs to its reduction. */
#define CHUNK_POINTS 4096
/* The bytes read at each end of a file to guess its span. */
#define SPAN_PROBE (64 * 1024)

static const char bom[3] = {'\xef', '\xbb', '\xbf'};

/* Reads up to LEN bytes at OFFSET; how many (fewer only at the end of the
 * file), or -1. */
static ssize_t read_at(int fd, char *buf, size_t len, size_t offset)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, buf + got, len - got, (off_t)(offset + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* Does the file at FD hold JSON (Prometheus): is the first byte after the
 * BOM at OFFSET and any blanks a '{'? Then it is not CSV: the whole-file
 * reader tells them apart so. */
static bool holds_json(int fd, size_t size, size_t offset)
{
    char block[4096];
    while (offset < size) {
        size_t want = size - offset < sizeof block ? size - offset : sizeof block;
        if (read_at(fd, block, want, offset) != (ssize_t)want)
            return false;
        for (size_t i = 0; i < want; i++)
            if (block[i] != ' ' && block[i] != '\t' && block[i] != '\r' && block[i] != '\n')
                return block[i] == '{';
        offset += want;
    }
    return false;
}

/* Where the first (FIRST) or last whole record in TEXT[0, LEN) ends: just
 * past a line end that lies outside quotes (TEXT starts outside them), or
 * 0 when there is none. */
static size_t record_end(const char *text, size_t len, bool first)
{
    if (!first && !memchr(text, '"', len)) {
        const char *nl = memrchr(text, '\n', len);
        return nl ? (size_t)(nl - text) + 1 : 0;
    }
    size_t end = 0;
    bool quoted = false;
    for (size_t i = 0; i < len && !(first && end); i++) {
        if (text[i] == '"')
            quoted = !quoted;
        else if (text[i] == '\n' && !quoted)
            end = i + 1;
    }
    return end;
}

/* The span of the CSV text TEXT[0, LEN) read whole; false when it does not
 * read. TEXT[LEN] is written and put back: the readers want a NUL there. */
static bool span_of(char *text, size_t len, int64_t *first, int64_t *last)
{
    struct dbf__metric_data data = {0};
    char err[256], after = text[len];
    text[len] = '\0';
    bool ok = dbf__metrics_parse_csv(text, len, &data, err, sizeof err) &&
              dbf__metric_data_finish(&data) && data.first <= data.last;
    text[len] = after;
    if (ok) {
        *first = data.first;
        *last = data.last;
    }
    dbf__metric_data_release(&data);
    return ok;
}

bool dbf__metric_stream_span(int fd, size_t size, int64_t *first, int64_t *last)
{
    size_t n = size < SPAN_PROBE ? size : SPAN_PROBE;
    char *head = malloc(n + 1), *tail = malloc(2 * n + 1);
    ssize_t got = head && tail ? read_at(fd, head, n, 0) : -1;
    bool ok = got == (ssize_t)n;
    size_t skip = ok && n >= 3 && memcmp(head, bom, 3) == 0 ? 3 : 0, i = skip;
    while (ok && i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    ok = ok && i < n && !holds_json(fd, size, skip);
    /* The head's whole records, and the header with the tail's whole lines
     * after it. */
    size_t cut = ok ? record_end(head + skip, n - skip, false) : 0;
    int64_t unused;
    ok = ok && cut && span_of(head + skip, cut, first, &unused);
    size_t header_len = ok ? record_end(head + i, n - i, true) : 0;
    size_t header = header_len ? i + header_len - skip : 0;
    ok = header && read_at(fd, tail + header, n, size - n) == (ssize_t)n;
    const char *from = ok ? memchr(tail + header, '\n', n) : NULL;
    if (from) {
        size_t lines = n - (size_t)(from + 1 - (tail + header));
        memcpy(tail, head + skip, header);
        memmove(tail + header, from + 1, lines);
        ok = lines && span_of(tail, header + lines, &unused, last);
    } else {
        ok = false;
    }
    free(head);
    free(tail);
    return ok && *first <= *last;
}

/* The stream's state between hand-overs of points. */
struct stream {
    const struct dbf__chart_frame *frame;
    struct dbf__metric_graph *graph;
    int64_t *latest;  /* per series: its last time so far */
    bool *has_latest; /* per series: any point so far */
    int64_t first, last;
    bool any, failed;
    struct dbf__row_layout layout; /* of the rows swept */
    bool layout_set;
};

/* The graph, named after OUT's series, and the order of each series. */
static bool start_graph(struct stream *st, const struct dbf__metric_data *out)
{
    size_t count = out->series_count ? out->series_count : 1;
    st->latest = calloc(count, sizeof *st->latest);
    st->has_latest = calloc(count, sizeof *st->has_latest);
    return st->latest && st->has_latest && dbf__metric_graph_start(st->graph, out, st->frame);
}

/* Takes the points the CSV reader holds: checks their order, notes the
 * span and hands them to the reductions. */
static bool take_points(void *context, struct dbf__metric_data *out)
{
    struct stream *st = context;
    if (!st->graph->series && !start_graph(st, out)) {
        st->failed = true;
        return false;
    }
    for (size_t k = 0; k < out->series_count; k++) {
        const struct dbf__series *s = &out->series[k];
        if (!s->count)
            continue;
        bool checked = k > 0 && s->t == out->series[0].t; /* shared: series 0's times */
        bool after = !st->has_latest[k] || s->t[0] >= st->latest[k];
        if (!checked && !(after && dbf__times_in_order(s->t, s->count))) {
            st->failed = true;
            return false;
        }
        if (!st->any || s->t[0] < st->first)
            st->first = s->t[0];
        if (!st->any || s->t[s->count - 1] > st->last)
            st->last = s->t[s->count - 1];
        st->any = true;
        st->latest[k] = s->t[s->count - 1];
        st->has_latest[k] = true;
        if (k < st->graph->reduced)
            dbf__reduction_feed(&st->graph->series[k].reduction, s->t, s->v, s->count);
    }
    return true;
}

/* Takes the rows at P of one layout straight into the reductions (see
 * dbf__csv_take_rows). */
static size_t sweep_rows(void *context, struct dbf__metric_data *out, char sep, const char *p,
                         const char *end, const char **stop)
{
    struct stream *st = context;
    *stop = p;
    if (!st->graph->series && !start_graph(st, out)) {
        st->failed = true;
        return 0;
    }
    if (!st->layout_set)
        dbf__row_layout_init(&st->layout, sep, out->series_count);
    st->layout_set = true;
    int64_t first = 0, latest = st->has_latest[0] ? st->latest[0] : INT64_MIN;
    size_t n = dbf__metric_sweep(&st->layout, st->graph, p, end, &first, &latest, stop);
    if (!n)
        return 0;
    if (!st->any || first < st->first)
        st->first = first;
    if (!st->any || latest > st->last)
        st->last = latest;
    st->any = true;
    for (size_t k = 0; k < out->series_count; k++) {
        st->latest[k] = latest;
        st->has_latest[k] = true;
    }
    return n;
}

/* Reads the file's records from OFFSET a piece at a time into R. */
static bool read_pieces(int fd, size_t size, size_t offset, size_t piece, struct dbf__csv_reader *r)
{
    size_t cap = piece > 64 ? piece : 64, kept = 0;
    char *buf = malloc(cap + 1);
    bool ok = buf != NULL;
    while (ok) {
        size_t want = cap - kept < size - offset ? cap - kept : size - offset;
        ssize_t n = read_at(fd, buf + kept, want, offset);
        if (n != (ssize_t)want) {
            ok = false; /* shorter than it was: it changed */
            break;
        }
        offset += want;
        size_t filled = kept + want;
        bool end = offset == size;
        const char *nl = end ? NULL : memrchr(buf, '\n', filled);
        size_t cut = end ? filled : nl ? (size_t)(nl - buf) + 1 : 0;
        if (!end && !cut) {
            /* A record longer than the buffer: a larger one. */
            char *grown = cap < SIZE_MAX / 2 ? realloc(buf, cap * 2 + 1) : NULL;
            ok = grown != NULL;
            buf = grown ? grown : buf;
            cap *= 2;
            kept = filled;
            continue;
        }
        /* The readers' contract: a NUL after the text. */
        char after = buf[cut];
        buf[cut] = '\0';
        ok = dbf__csv_read(r, buf, cut);
        buf[cut] = after;
        kept = filled - cut;
        memmove(buf, buf + cut, kept);
        if (end)
            break;
    }
    free(buf);
    return ok;
}

bool dbf__metric_stream(int fd, size_t size, size_t piece, const struct dbf__chart_frame *frame,
                        struct dbf__metric_graph *graph, int64_t *first, int64_t *last)
{
    memset(graph, 0, sizeof *graph);
    struct dbf__metric_data data = {0};
    struct stream st = {.frame = frame, .graph = graph};
    char err[256], start[3];
    struct stat before, after;
    bool same = fstat(fd, &before) == 0 && (uint64_t)before.st_size == size;
    size_t offset = read_at(fd, start, 3, 0) == 3 && memcmp(start, bom, 3) == 0 ? 3 : 0;
    struct dbf__csv_reader *r =
        dbf__csv_begin(&data, CHUNK_POINTS, take_points, &st, err, sizeof err);
    if (r)
        dbf__csv_take_rows(r, sweep_rows);
    bool ok = r && !holds_json(fd, size, offset) && read_pieces(fd, size, offset, piece, r);
    ok = r && dbf__csv_end(r) && ok && !st.failed && st.any;
    /* A file that changed while it was read (grown, rewritten) is read whole. */
    ok = ok && same && fstat(fd, &after) == 0 && after.st_size == before.st_size &&
         after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
         after.st_mtim.tv_nsec == before.st_mtim.tv_nsec;
    dbf__metric_data_release(&data);
    free(st.latest);
    free(st.has_latest);
    if (!ok) {
        dbf__metric_graph_release(graph);
        return false;
    }
    for (size_t i = 0; i < graph->reduced; i++)
        dbf__reduction_finish(&graph->series[i].reduction);
    *first = st.first;
    *last = st.last;
    return true;
}
