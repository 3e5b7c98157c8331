/* charts_html.c: the page's charts: its metric files read, the one frame
 * they share with the timeline, and the graphs drawn on it.
 *
 * A small metrics file is read whole. A large one on disk is read in
 * pieces straight into its graph (metric_stream.c), which needs the frame
 * first: the frame is made with the file's span as its first and last rows
 * tell, and made again when the stream finds another (rows out of time
 * order, a file that changed), the files streamed then read again for it.
 * A file the stream cannot take is read whole, so a page is drawn the same
 * either way. */
#include "charts.h"
#include "metrics.h"
#include "parts.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHART_WIDTH 880
/* The bytes of a large metrics file read at a time: a piece small enough
 * to stay in the cache between its copy and its parse. */
#define STREAM_PIECE ((size_t)1 << 18)
/* The large files kept open at once to be read in pieces; any more are read
 * whole, one at a time, as before. */
#define STREAM_FILES_MAX 64

/* One metrics file of the page. */
struct metric_file {
    const struct dbf_metric_ref *ref;
    struct dbf__metric_data data;   /* when LOADED: read whole */
    struct dbf__metric_graph graph; /* when STREAMED: reduced as it was read */
    bool loaded, streamed;
    int fd;              /* a large file to read in pieces; -1: none */
    size_t size;         /* its size */
    int64_t first, last; /* its span: guessed, then as streamed */
    char *problem;       /* why it is not drawn */
};

/* Reads F whole: LOADED, or the problem noted. */
static void load_whole(const struct dbf__page *page, struct metric_file *f)
{
    const struct dbf_metric_ref *ref = f->ref;
    char why[256] = "", err[256] = "";
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    size_t len = 0;
    char *file =
        ref->file && *ref->file
            ? (char *)dbf__file_read(page, ref->file, DBF__MAX_METRICS_FILE, &len, why, sizeof why)
            : NULL;
    if (!ref->file || !*ref->file)
        dbf_buf_adds(&text, "A metrics entry names no file");
    else if (!file)
        dbf_buf_addf(&text, "Metrics file '%s' is not drawn: %s", ref->file, why);
    else if (!dbf__metric_data_parse(file, len, &f->data, err, sizeof err))
        dbf_buf_addf(&text, "Metrics file '%s' is not drawn: %s", ref->file,
                     *err ? err : "its data could not be read");
    else
        f->loaded = true;
    free(file);
    if (!f->loaded)
        f->problem = dbf_buf_detach(&text, NULL);
    dbf_buf_release(&text);
}

/* Opens F for reading in pieces when it is a large file on disk whose
 * span its ends tell. */
static bool open_large(const struct dbf__page *page, struct metric_file *f, size_t *open)
{
    char why[256];
    if (!f->ref->file || !*f->ref->file || *open >= STREAM_FILES_MAX)
        return false;
    int fd = dbf__file_open(page, f->ref->file, DBF__MAX_METRICS_FILE, &f->size, why, sizeof why);
    if (fd >= 0 && f->size >= DBF__STREAM_FROM &&
        dbf__metric_stream_span(fd, f->size, &f->first, &f->last)) {
        f->fd = fd;
        ++*open;
        return true;
    }
    if (fd >= 0)
        close(fd);
    return false;
}

/* Leaves reading F in pieces: it is read whole. */
static void give_up_stream(const struct dbf__page *page, struct metric_file *f)
{
    dbf__metric_graph_release(&f->graph);
    f->streamed = false;
    close(f->fd);
    f->fd = -1;
    load_whole(page, f);
}

static struct dbf__chart_frame frame_of(const struct dbf__page *page,
                                        const struct metric_file *files, size_t count,
                                        struct dbf__metric_data *spans)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (files[i].loaded)
            spans[n++] = files[i].data;
        else if (files[i].fd >= 0)
            spans[n++] = (struct dbf__metric_data){.first = files[i].first, .last = files[i].last};
    return dbf__chart_frame_for(page->timeline, spans, n, CHART_WIDTH);
}

static bool same_frame(const struct dbf__chart_frame *a, const struct dbf__chart_frame *b)
{
    return a->start == b->start && a->end == b->end;
}

/* Streams the large files not streamed yet into FRAME; true when a span
 * turned out other than the frame was made with. */
static bool stream_files(const struct dbf__page *page, struct metric_file *files, size_t count,
                         const struct dbf__chart_frame *frame)
{
    bool changed = false;
    for (size_t i = 0; i < count; i++) {
        struct metric_file *f = &files[i];
        if (f->fd < 0 || f->streamed)
            continue;
        int64_t first, last;
        if (!dbf__metric_stream(f->fd, f->size, STREAM_PIECE, frame, &f->graph, &first, &last)) {
            give_up_stream(page, f);
            changed = true;
            continue;
        }
        f->streamed = true;
        changed |= first != f->first || last != f->last;
        f->first = first;
        f->last = last;
    }
    return changed;
}

/* Reads the page's metric files and makes the frame they are drawn on. */
static struct dbf__chart_frame read_files(const struct dbf__page *page, struct metric_file *files,
                                          size_t count, struct dbf__metric_data *spans)
{
    size_t open = 0;
    for (size_t i = 0; i < count; i++)
        if (!open_large(page, &files[i], &open))
            load_whole(page, &files[i]);
    struct dbf__chart_frame frame = frame_of(page, files, count, spans);
    /* Streamed with the guessed spans; when a guess was wrong and the frame
     * moves, streamed again with the spans found; when it moves again (the
     * file changed), read whole. */
    for (int round = 0; stream_files(page, files, count, &frame); round++) {
        struct dbf__chart_frame again = frame_of(page, files, count, spans);
        if (same_frame(&again, &frame))
            break;
        for (size_t i = 0; i < count; i++) {
            if (!files[i].streamed)
                continue;
            if (round == 0) {
                dbf__metric_graph_release(&files[i].graph);
                files[i].streamed = false;
            } else {
                give_up_stream(page, &files[i]);
            }
        }
        frame = frame_of(page, files, count, spans);
    }
    return frame;
}

static void metric_caption(struct dbf_buf *out, const struct dbf_metric_ref *ref)
{
    /* The graph carries its own title; the caption says where the data is. */
    dbf_buf_adds(out, "<figcaption>Data: <code>");
    dbf_buf_add_html(out, ref->file);
    dbf_buf_adds(out, "</code></figcaption>\n");
}

void dbf__charts_html(struct dbf__page *page, struct dbf_buf *timeline_out,
                      struct dbf_buf *metrics_out)
{
    const struct dbf_doc *doc = page->doc;
    size_t count = doc->meta.metric_count;
    struct metric_file *files = calloc(count + 1, sizeof *files);
    struct dbf__metric_data *spans = calloc(count + 1, sizeof *spans);
    if (!files || !spans || !page->timeline) {
        free(files);
        free(spans);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        files[i].ref = &doc->meta.metrics[i];
        files[i].fd = -1;
    }
    struct dbf__chart_frame frame = read_files(page, files, count, spans);
    for (size_t i = 0; i < count; i++)
        if (files[i].problem)
            dbf__notes_add(page, files[i].ref->pos.line, "%s", files[i].problem);

    size_t timed = 0;
    for (size_t i = 0; i < doc->timeline_count; i++)
        timed += doc->timeline[i].time_ok;
    struct dbf_buf svg;
    dbf_buf_init(&svg, 0);
    if (timed)
        dbf__svg_timeline(&svg, doc, &frame);
    if (svg.len) {
        dbf_buf_adds(timeline_out, "<figure class=\"chart timeline-chart\">\n");
        dbf_buf_add(timeline_out, svg.data, svg.len);
        dbf_buf_adds(timeline_out, "\n<figcaption>The timeline: entries by kind, the milestones, "
                                   "and the impact window shaded.</figcaption>\n</figure>\n");
    }
    for (size_t i = 0; i < count; i++) {
        struct metric_file *f = &files[i];
        if (!f->loaded && !f->streamed) {
            dbf__note_html(metrics_out, false,
                           f->problem ? f->problem : "A metrics file is not drawn");
            continue;
        }
        dbf_buf_reset(&svg);
        if (f->streamed)
            dbf__svg_metric_graph(&svg, &f->graph, f->ref, &frame);
        else
            dbf__svg_metric(&svg, &f->data, f->ref, &frame);
        dbf_buf_adds(metrics_out, "<figure class=\"chart metric-chart\">\n");
        if (svg.len) {
            dbf_buf_add(metrics_out, svg.data, svg.len);
            dbf_buf_addc(metrics_out, '\n');
        } else {
            dbf__note_html(metrics_out, false, "This graph could not be drawn.");
        }
        metric_caption(metrics_out, f->ref);
        dbf_buf_adds(metrics_out, "</figure>\n");
    }
    if (svg.failed)
        timeline_out->failed = true;
    dbf_buf_release(&svg);
    for (size_t i = 0; i < count; i++) {
        struct metric_file *f = &files[i];
        if (f->loaded)
            dbf__metric_data_release(&f->data);
        dbf__metric_graph_release(&f->graph);
        if (f->fd >= 0)
            close(f->fd);
        free(f->problem);
    }
    free(files);
    free(spans);
}
