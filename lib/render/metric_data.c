/* metric_data.c: reading a metrics file into series, whatever its format.
 *
 * Series may share their times: when every row of a CSV file has a value in
 * every column, the other series' t is the first series' t (one array of
 * times for the file, not one per column). Only the first series' t is
 * then ever grown, sorted or freed; a series whose t is the first one's
 * owns none. */
#include "../util/huge_pages.h"
#include "metrics.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dbf__series *dbf__metric_data_add_series(struct dbf__metric_data *data, const char *name,
                                                size_t len)
{
    struct dbf__series *grown =
        realloc(data->series, (data->series_count + 1) * sizeof *data->series);
    if (!grown)
        return NULL;
    data->series = grown;
    struct dbf__series *s = &grown[data->series_count];
    memset(s, 0, sizeof *s);
    s->name = strndup(name, len);
    if (!s->name)
        return NULL;
    data->series_count++;
    return s;
}

/* BYTES of room for points, in place of P's (NULL: none yet; the points
 * there are kept). A first array of several megabytes starts on a huge
 * page, in huge pages where the kernel has them: a million points fill
 * 8 MB, which would otherwise be thousands of page faults, and an array
 * that does not start on one leaves up to two of them in small pages. Only
 * a hint; nothing changes when the system says no. */
static void *room(void *p, size_t bytes)
{
    return p || bytes < 2 * DBF__HUGE_PAGE ? realloc(p, bytes) : dbf__huge_alloc(bytes);
}

bool dbf__series_reserve(struct dbf__series *s, size_t n)
{
    if (n <= s->alloc)
        return true;
    if (n > SIZE_MAX / sizeof *s->t)
        return false;
    int64_t *nt = room(s->t, n * sizeof *nt);
    if (!nt)
        return false;
    s->t = nt;
    double *nv = room(s->v, n * sizeof *nv);
    if (!nv)
        return false;
    s->v = nv;
    s->alloc = n;
    return true;
}

/* Gives back the room a reader reserved but did not fill (a guess from the
 * file's size may be well above the points it held). Shared times keep
 * their room: moving them would leave the other series pointing at the old
 * place, and room never written takes no memory. */
static void trim_room(struct dbf__series *s, bool shared)
{
    if (!s->count || s->alloc - s->count <= s->count / 8)
        return;
    if (!shared) {
        int64_t *nt = realloc(s->t, s->count * sizeof *nt);
        if (!nt)
            return;
        s->t = nt;
    }
    s->alloc = s->count;
    double *nv = realloc(s->v, s->count * sizeof *nv);
    if (nv)
        s->v = nv;
}

/* Does series I of DATA use the first series' times, or lend them? */
static bool times_shared(const struct dbf__metric_data *data, size_t i)
{
    const int64_t *first = data->series[0].t;
    if (!first)
        return false;
    if (i)
        return data->series[i].t == first;
    for (size_t k = 1; k < data->series_count; k++)
        if (data->series[k].t == first)
            return true;
    return false;
}

bool dbf__metric_data_share_times(struct dbf__metric_data *data, size_t rows)
{
    if (data->series_count < 2 || data->series[0].count ||
        !dbf__series_reserve(&data->series[0], rows))
        return false;
    for (size_t k = 1; k < data->series_count; k++) {
        struct dbf__series *s = &data->series[k];
        double *nv = s->count ? NULL : room(s->v, rows * sizeof *nv);
        if (!nv) {
            for (size_t j = 1; j < k; j++) {
                data->series[j].t = NULL;
                data->series[j].alloc = 0;
            }
            return false;
        }
        s->v = nv;
        s->alloc = rows;
    }
    for (size_t k = 1; k < data->series_count; k++)
        data->series[k].t = data->series[0].t;
    return true;
}

bool dbf__metric_data_push_shared(struct dbf__metric_data *data, int64_t t, const double *v)
{
    struct dbf__series *first = &data->series[0];
    size_t at = first->count;
    if (at == first->alloc) {
        size_t n = first->alloc ? first->alloc * 2 : 256;
        bool grown = dbf__series_reserve(first, n);
        /* The times may have moved, grown or not: point the others at them
         * before anything else can fail. */
        for (size_t k = 1; k < data->series_count; k++)
            data->series[k].t = first->t;
        if (!grown)
            return false;
        for (size_t k = 1; k < data->series_count; k++) {
            struct dbf__series *s = &data->series[k];
            double *nv = room(s->v, n * sizeof *nv);
            if (!nv)
                return false;
            s->v = nv;
            s->alloc = n;
        }
    }
    first->t[at] = t;
    for (size_t k = 0; k < data->series_count; k++) {
        data->series[k].v[at] = v[k];
        data->series[k].count = at + 1;
    }
    return true;
}

bool dbf__metric_data_unshare(struct dbf__metric_data *data)
{
    for (size_t k = 1; k < data->series_count; k++) {
        struct dbf__series *s = &data->series[k];
        if (!times_shared(data, k))
            continue;
        size_t room = s->alloc > s->count ? s->alloc : s->count;
        int64_t *own = malloc((room ? room : 1) * sizeof *own);
        if (!own)
            return false;
        memcpy(own, s->t, s->count * sizeof *own);
        s->t = own;
        s->alloc = room;
    }
    return true;
}

struct point {
    int64_t t;
    double v;
    size_t order; /* keeps points of one time in file order: the sort is stable */
};

static int point_cmp(const void *a, const void *b)
{
    const struct point *p = a, *q = b;
    if (p->t != q->t)
        return p->t < q->t ? -1 : 1;
    return p->order < q->order ? -1 : p->order > q->order;
}

bool dbf__times_in_order(const int64_t *t, size_t n)
{
    /* No early way out: the loop without one runs several times at once. */
    bool out_of_order = false;
    for (size_t i = 1; i < n; i++)
        out_of_order |= t[i - 1] > t[i];
    return !out_of_order;
}

static bool sort_series(struct dbf__series *s)
{
    if (dbf__times_in_order(s->t, s->count))
        return true;
    struct point *points = malloc(s->count * sizeof *points);
    if (!points)
        return false;
    for (size_t k = 0; k < s->count; k++)
        points[k] = (struct point){s->t[k], s->v[k], k};
    qsort(points, s->count, sizeof *points, point_cmp);
    for (size_t k = 0; k < s->count; k++) {
        s->t[k] = points[k].t;
        s->v[k] = points[k].v;
    }
    free(points);
    return true;
}

bool dbf__metric_data_finish(struct dbf__metric_data *data)
{
    data->first = 1;
    data->last = 0;
    bool any = false;
    /* Shared times in order are checked once for all; out of order, each
     * series is sorted with its own. */
    bool shared = data->series_count && times_shared(data, 0);
    bool shared_in_order = shared && dbf__times_in_order(data->series[0].t, data->series[0].count);
    if (shared && !shared_in_order && !dbf__metric_data_unshare(data))
        return false;
    for (size_t i = 0; i < data->series_count; i++) {
        struct dbf__series *s = &data->series[i];
        bool sharing = times_shared(data, i);
        trim_room(s, sharing);
        if (!(sharing && shared_in_order) && !sort_series(s))
            return false;
        if (!s->count)
            continue;
        /* The first series with points sets the span: "no span" (first >
         * last) cannot be told from a span whose times are at or before
         * 1970 once one is set. */
        if (!any || s->t[0] < data->first)
            data->first = s->t[0];
        if (!any || s->t[s->count - 1] > data->last)
            data->last = s->t[s->count - 1];
        any = true;
    }
    return true;
}

void dbf__metric_data_release(struct dbf__metric_data *data)
{
    if (!data)
        return;
    for (size_t i = 0; i < data->series_count; i++) {
        free(data->series[i].name);
        if (!i || data->series[i].t != data->series[0].t)
            free(data->series[i].t);
        free(data->series[i].v);
    }
    free(data->series);
    memset(data, 0, sizeof *data);
    data->first = 1;
}

bool dbf__metric_data_parse(const char *text, size_t len, struct dbf__metric_data *out, char *err,
                            size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->first = 1;
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    size_t bom = i >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    bool ok = i < len && text[i] == '{'
                  ? dbf__metrics_parse_prometheus(text + bom, len - bom, out, err, errlen)
                  : dbf__metrics_parse_csv(text + bom, len - bom, out, err, errlen);
    if (ok && !dbf__metric_data_finish(out)) {
        snprintf(err, errlen, "out of memory");
        ok = false;
    }
    if (!ok)
        dbf__metric_data_release(out);
    return ok;
}
