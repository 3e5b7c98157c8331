/* metrics.c: request counters and latency histograms, served at /metrics in
 * the Prometheus text format. Every event loop thread records into the one
 * set, under its lock. */
#include "serve.h"

#include "debrief/buf.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const double bucket_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                       0.1,    0.25,  0.5,    1,     2.5,  5,     10};
#define BUCKETS (sizeof bucket_bounds / sizeof bucket_bounds[0])

/* Labels are the route's pattern (from the route table, so a fixed set),
 * the method reduced to the standard ones and the status. */
struct counter {
    const char *route;
    const char *method;
    int status;
    unsigned long long count;
};

struct histogram {
    const char *route;
    unsigned long long buckets[BUCKETS]; /* not cumulative; summed on output */
    unsigned long long count;
    double sum;
};

struct metrics {
    pthread_mutex_t lock;
    struct counter *counters;
    size_t counter_count, counter_cap;
    struct histogram *histograms;
    size_t histogram_count, histogram_cap;
    long connections;
    unsigned long long connections_total;
    unsigned long long db_errors;
};

struct metrics *metrics_new(void)
{
    struct metrics *m = calloc(1, sizeof(struct metrics));
    if (m && pthread_mutex_init(&m->lock, NULL) != 0) {
        free(m);
        return NULL;
    }
    return m;
}

void metrics_free(struct metrics *metrics)
{
    if (!metrics)
        return;
    pthread_mutex_destroy(&metrics->lock);
    free(metrics->counters);
    free(metrics->histograms);
    free(metrics);
}

static const char *method_label(h2o_iovec_t method)
{
    static const char *const known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (method.len == strlen(known[i]) && memcmp(method.base, known[i], method.len) == 0)
            return known[i];
    }
    return "OTHER";
}

static struct counter *counter_for(struct metrics *m, const char *route, const char *method,
                                   int status)
{
    for (size_t i = 0; i < m->counter_count; i++) {
        struct counter *c = &m->counters[i];
        if (c->status == status && strcmp(c->route, route) == 0 && strcmp(c->method, method) == 0)
            return c;
    }
    if (m->counter_count == m->counter_cap) {
        size_t cap = m->counter_cap ? m->counter_cap * 2 : 16;
        struct counter *grown = realloc(m->counters, cap * sizeof *grown);
        if (!grown)
            return NULL;
        m->counters = grown;
        m->counter_cap = cap;
    }
    struct counter *c = &m->counters[m->counter_count++];
    *c = (struct counter){.route = route, .method = method, .status = status};
    return c;
}

static struct histogram *histogram_for(struct metrics *m, const char *route)
{
    for (size_t i = 0; i < m->histogram_count; i++) {
        if (strcmp(m->histograms[i].route, route) == 0)
            return &m->histograms[i];
    }
    if (m->histogram_count == m->histogram_cap) {
        size_t cap = m->histogram_cap ? m->histogram_cap * 2 : 8;
        struct histogram *grown = realloc(m->histograms, cap * sizeof *grown);
        if (!grown)
            return NULL;
        m->histograms = grown;
        m->histogram_cap = cap;
    }
    struct histogram *h = &m->histograms[m->histogram_count++];
    *h = (struct histogram){.route = route};
    return h;
}

void metrics_observe(struct metrics *m, const char *route, h2o_iovec_t method, int status,
                     double seconds)
{
    size_t b = 0;
    while (b < BUCKETS && seconds > bucket_bounds[b])
        b++;
    pthread_mutex_lock(&m->lock);
    struct counter *c = counter_for(m, route, method_label(method), status);
    if (c)
        c->count++;
    struct histogram *h = histogram_for(m, route);
    if (h) {
        if (b < BUCKETS)
            h->buckets[b]++;
        h->count++;
        h->sum += seconds;
    }
    pthread_mutex_unlock(&m->lock);
}

void metrics_connections(struct metrics *m, int delta)
{
    pthread_mutex_lock(&m->lock);
    m->connections += delta;
    if (delta > 0)
        m->connections_total += (unsigned long long)delta;
    pthread_mutex_unlock(&m->lock);
}

void metrics_db_error(struct metrics *m)
{
    pthread_mutex_lock(&m->lock);
    m->db_errors++;
    pthread_mutex_unlock(&m->lock);
}

/* Called with the lock held. */
static void render(const struct serve_app *app, struct dbf_buf *out)
{
    const struct metrics *m = app->metrics;
    dbf_buf_adds(
        out,
        "# HELP debrief_http_requests_total HTTP requests answered, by route, method and status.\n"
        "# TYPE debrief_http_requests_total counter\n");
    for (size_t i = 0; i < m->counter_count; i++) {
        const struct counter *c = &m->counters[i];
        dbf_buf_addf(out,
                     "debrief_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
                     c->route, c->method, c->status, c->count);
    }
    dbf_buf_adds(
        out,
        "# HELP debrief_http_request_duration_seconds Time from the first byte of a request to the "
        "last byte of its answer, by route.\n"
        "# TYPE debrief_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < m->histogram_count; i++) {
        const struct histogram *h = &m->histograms[i];
        unsigned long long cumulative = 0;
        for (size_t b = 0; b < BUCKETS; b++) {
            cumulative += h->buckets[b];
            dbf_buf_addf(
                out, "debrief_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                h->route, bucket_bounds[b], cumulative);
        }
        dbf_buf_addf(
            out, "debrief_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
            h->route, h->count);
        dbf_buf_addf(out, "debrief_http_request_duration_seconds_sum{route=\"%s\"} %.9g\n",
                     h->route, h->sum);
        dbf_buf_addf(out, "debrief_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                     h->route, h->count);
    }
    dbf_buf_addf(
        out,
        "# HELP debrief_http_connections Open client connections.\n"
        "# TYPE debrief_http_connections gauge\n"
        "debrief_http_connections %ld\n"
        "# HELP debrief_http_connections_total Client connections accepted.\n"
        "# TYPE debrief_http_connections_total counter\n"
        "debrief_http_connections_total %llu\n"
        "# HELP debrief_start_time_seconds When the server started, in seconds since the epoch.\n"
        "# TYPE debrief_start_time_seconds gauge\n"
        "debrief_start_time_seconds %lld\n"
        "# HELP debrief_db_errors_total Database failures (unavailable or internal).\n"
        "# TYPE debrief_db_errors_total counter\n"
        "debrief_db_errors_total %llu\n",
        m->connections, m->connections_total, (long long)app->started, m->db_errors);
}

int metrics_handle(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    pthread_mutex_lock(&app->metrics->lock);
    render(app, &out);
    pthread_mutex_unlock(&app->metrics->lock);
    if (out.failed) {
        dbf_buf_release(&out);
        respond_error(req, 500, "internal", "out of memory");
        return 0;
    }
    respond_text(req, 200, "text/plain; version=0.0.4; charset=utf-8", out.data, out.len);
    dbf_buf_release(&out);
    return 0;
}
