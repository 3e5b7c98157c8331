/* metrics_prometheus.c: metric series from a Prometheus query result (the
 * JSON of /api/v1/query_range or /api/v1/query). */
#include "metrics.h"

#include "chart_math.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A label and its value, for naming a series. */
struct label {
    const char *key, *value;
};

static int label_cmp(const void *a, const void *b)
{
    return strcmp(((const struct label *)a)->key, ((const struct label *)b)->key);
}

/* Does every result carry label KEY with the same value? */
static bool label_constant(json_t *result, const char *key, const char *value)
{
    size_t i;
    json_t *r;
    json_array_foreach(result, i, r)
    {
        json_t *v = json_object_get(json_object_get(r, "metric"), key);
        if (!json_is_string(v) || strcmp(json_string_value(v), value) != 0)
            return false;
    }
    return true;
}

/* The name of result I: the labels that tell the results apart, as
 * "value" for one label and "key=value, …" for several; all labels when
 * there is one result; the metric's name when that is all there is. */
static void series_name(json_t *result, size_t index, struct dbf_buf *name)
{
    json_t *metric = json_object_get(json_array_get(result, index), "metric");
    size_t count = json_is_object(metric) ? json_object_size(metric) : 0;
    struct label *labels = count ? calloc(count, sizeof *labels) : NULL;
    size_t n = 0;
    const char *key;
    json_t *value;
    if (labels) {
        json_object_foreach(metric, key, value)
        {
            if (!json_is_string(value) || strcmp(key, "__name__") == 0)
                continue;
            if (json_array_size(result) > 1 &&
                label_constant(result, key, json_string_value(value)))
                continue;
            labels[n++] = (struct label){key, json_string_value(value)};
        }
        qsort(labels, n, sizeof *labels, label_cmp);
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            dbf_buf_adds(name, ", ");
        if (n > 1 || json_array_size(result) == 1) {
            dbf_buf_adds(name, labels[i].key);
            dbf_buf_addc(name, '=');
        }
        dbf_buf_adds(name, labels[i].value);
    }
    free(labels);
    if (!name->len) {
        json_t *metric_name = json_object_get(metric, "__name__");
        if (json_is_string(metric_name))
            dbf_buf_adds(name, json_string_value(metric_name));
        else
            dbf_buf_addf(name, "series %zu", index + 1);
    }
}

/* One [time, "value"] pair into S; false with ERR set when it is not one. */
static bool read_sample(json_t *pair, struct dbf__series *s, const char *where, char *err,
                        size_t errlen)
{
    json_t *jt = json_array_get(pair, 0), *jv = json_array_get(pair, 1);
    if (!json_is_array(pair) || json_array_size(pair) != 2 || !jt || !jv) {
        snprintf(err, errlen, "%s: expected a [time, \"value\"] pair", where);
        return false;
    }
    int64_t t;
    if (json_is_number(jt)) {
        double seconds = json_number_value(jt);
        if (!(dbf__abs(seconds) < 1e13)) {
            snprintf(err, errlen, "%s: time %g is not epoch seconds", where, seconds);
            return false;
        }
        t = (int64_t)dbf__floor(seconds);
    } else if (!json_is_string(jt) ||
               !dbf__metric_time(json_string_value(jt), json_string_length(jt), &t)) {
        snprintf(err, errlen, "%s: the time is not epoch seconds", where);
        return false;
    }
    double v;
    enum dbf__cell cell;
    if (json_is_string(jv))
        cell = dbf__metric_number(json_string_value(jv), json_string_length(jv), &v);
    else if (json_is_number(jv)) {
        v = json_number_value(jv);
        cell = DBF__CELL_VALUE;
    } else
        cell = json_is_null(jv) ? DBF__CELL_BLANK : DBF__CELL_BAD;
    if (cell == DBF__CELL_BAD) {
        snprintf(err, errlen, "%s: the value is not a number", where);
        return false;
    }
    if (cell == DBF__CELL_VALUE && !dbf__series_push(s, t, v)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    return true;
}

static bool read_result(json_t *result, const char *type, struct dbf__metric_data *out, char *err,
                        size_t errlen)
{
    bool matrix = strcmp(type, "matrix") == 0;
    size_t i;
    json_t *r;
    json_array_foreach(result, i, r)
    {
        char where[96];
        if (!json_is_object(r)) {
            snprintf(err, errlen, "data.result[%zu]: expected an object with metric and %s", i,
                     matrix ? "values" : "value");
            return false;
        }
        struct dbf_buf name;
        dbf_buf_init(&name, 4096);
        series_name(result, i, &name);
        struct dbf__series *s = dbf__metric_data_add_series(out, name.data, name.len);
        dbf_buf_release(&name);
        if (!s) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        if (!matrix) {
            snprintf(where, sizeof where, "data.result[%zu].value", i);
            if (!read_sample(json_object_get(r, "value"), s, where, err, errlen))
                return false;
            continue;
        }
        json_t *values = json_object_get(r, "values");
        if (!json_is_array(values)) {
            snprintf(err, errlen, "data.result[%zu]: no \"values\" array", i);
            return false;
        }
        size_t j;
        json_t *pair;
        json_array_foreach(values, j, pair)
        {
            snprintf(where, sizeof where, "data.result[%zu].values[%zu]", i, j);
            if (!read_sample(pair, s, where, err, errlen))
                return false;
        }
    }
    return true;
}

bool dbf__metrics_parse_prometheus(const char *text, size_t len, struct dbf__metric_data *out,
                                   char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, errlen, "%d: %s", jerr.line > 0 ? jerr.line : 1, jerr.text);
        return false;
    }
    bool ok = false;
    json_t *status = json_object_get(root, "status");
    json_t *data = json_object_get(root, "data");
    if (!data && json_object_get(root, "result"))
        data = root;
    const char *type = json_string_value(json_object_get(data, "resultType"));
    json_t *result = json_object_get(data, "result");
    if (json_is_string(status) && strcmp(json_string_value(status), "success") != 0) {
        const char *message = json_string_value(json_object_get(root, "error"));
        snprintf(err, errlen, "status: the query failed (%s)%s%s", json_string_value(status),
                 message ? ": " : "", message ? message : "");
    } else if (!json_is_object(data)) {
        snprintf(err, errlen,
                 "data: not a Prometheus query result: expected {\"status\":\"success\","
                 "\"data\":{\"resultType\":\"matrix\",\"result\":[…]}}");
    } else if (!type || (strcmp(type, "matrix") != 0 && strcmp(type, "vector") != 0)) {
        snprintf(err, errlen, "data.resultType: '%s' cannot be graphed: use a range query (matrix)",
                 type ? type : "(none)");
    } else if (!json_is_array(result)) {
        snprintf(err, errlen, "data.result: expected an array of series");
    } else if (!json_array_size(result)) {
        snprintf(err, errlen, "data.result: the query returned no series");
    } else {
        ok = read_result(result, type, out, err, errlen);
    }
    json_decref(root);
    return ok;
}
