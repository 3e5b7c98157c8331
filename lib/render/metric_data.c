/* metric_data.c: reading a metrics file into series, whatever its format. */
#include "metrics.h"

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

bool dbf__series_push(struct dbf__series *s, int64_t t, double v)
{
    if (s->count == s->alloc) {
        size_t alloc = s->alloc ? s->alloc * 2 : 256;
        int64_t *nt = realloc(s->t, alloc * sizeof *nt);
        if (!nt)
            return false;
        s->t = nt;
        double *nv = realloc(s->v, alloc * sizeof *nv);
        if (!nv)
            return false;
        s->v = nv;
        s->alloc = alloc;
    }
    s->t[s->count] = t;
    s->v[s->count] = v;
    s->count++;
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

static bool sort_series(struct dbf__series *s)
{
    size_t i = 1;
    while (i < s->count && s->t[i - 1] <= s->t[i])
        i++;
    if (i >= s->count)
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
    for (size_t i = 0; i < data->series_count; i++) {
        struct dbf__series *s = &data->series[i];
        if (!sort_series(s))
            return false;
        if (!s->count)
            continue;
        if (data->first > data->last || s->t[0] < data->first)
            data->first = s->t[0];
        if (data->first > data->last || s->t[s->count - 1] > data->last)
            data->last = s->t[s->count - 1];
    }
    return true;
}

void dbf__metric_data_release(struct dbf__metric_data *data)
{
    if (!data)
        return;
    for (size_t i = 0; i < data->series_count; i++) {
        free(data->series[i].name);
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
