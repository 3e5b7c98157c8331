/* diff.c: line differences between two revisions.
 *
 * Lines are compared by a 64-bit hash first, then by their bytes. The
 * search keeps, for each edit count d, the furthest-reaching x of every
 * diagonal k in -d..d (Myers 1986); those rows are kept to walk the path
 * back. Rows take (D+1)^2 ints in all and count as work, so the work bound
 * also bounds the memory (4 bytes a unit of work). */
#include "diff.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct line_ref {
    const char *text;
    size_t len;   /* without the newline */
    bool newline; /* ended by '\n' */
    uint64_t hash;
};

struct lines {
    struct line_ref *items;
    size_t count;
};

static uint64_t hash_bytes(const char *p, size_t n, bool newline)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return newline ? h ^ 0x9e3779b97f4a7c15ull : h;
}

static bool split_lines(const char *text, size_t len, struct lines *out)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += text[i] == '\n';
    if (len > 0 && text[len - 1] != '\n')
        count++;
    out->count = 0;
    out->items = calloc(count ? count : 1, sizeof *out->items);
    if (!out->items)
        return false;
    size_t start = 0;
    while (start < len) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t n = nl ? (size_t)(nl - (text + start)) : len - start;
        struct line_ref *l = &out->items[out->count++];
        l->text = text + start;
        l->len = n;
        l->newline = nl != NULL;
        l->hash = hash_bytes(l->text, n, l->newline);
        start += n + (nl ? 1 : 0);
    }
    return true;
}

static bool same_line(const struct line_ref *a, const struct line_ref *b)
{
    return a->hash == b->hash && a->len == b->len && a->newline == b->newline &&
           memcmp(a->text, b->text, a->len) == 0;
}

/* The lines of the result, appended in order. */
struct emitter {
    struct diff *diff;
    const struct lines *a, *b;
};

static void emit(struct emitter *e, char op, size_t ai, size_t bi)
{
    struct diff_line *l = &e->diff->lines[e->diff->count++];
    l->op = op;
    l->old_no = op == '+' ? 0 : ai + 1;
    l->new_no = op == '-' ? 0 : bi + 1;
    const struct line_ref *r = op == '+' ? &e->b->items[bi] : &e->a->items[ai];
    l->text = r->text;
    l->len = r->len;
}

/* The edit path of A[a0..a1) against B[b0..b1) as ops: '=' '-' '+', in
 * order, written to OPS (room for (a1-a0)+(b1-b0) entries); returns their
 * count, or 0 with *TOO_BIG when the work bound was reached, or 0 with
 * *NO_MEMORY. */
static size_t myers(const struct lines *a, size_t a0, size_t a1, const struct lines *b, size_t b0,
                    size_t b1, size_t max_work, char *ops, bool *too_big, bool *no_memory)
{
    long n = (long)(a1 - a0), m = (long)(b1 - b0);
    long max_d = n + m;
    size_t work = 0;
    if (max_d > INT_MAX / 2) {
        *too_big = true;
        return 0;
    }
    int *v = calloc((size_t)(2 * max_d + 3), sizeof *v);
    int **rows = calloc((size_t)max_d + 1, sizeof *rows);
    if (!v || !rows) {
        free(v);
        free(rows);
        *no_memory = true;
        return 0;
    }
    long off = max_d + 1;
    long found = -1;
    for (long d = 0; d <= max_d && found < 0; d++) {
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
                                                                              : v[off + k - 1] + 1;
            long y = x - k;
            while (x < n && y < m &&
                   same_line(&a->items[a0 + (size_t)x], &b->items[b0 + (size_t)y])) {
                x++;
                y++;
                work++;
            }
            v[off + k] = (int)x;
            work++;
            if (x >= n && y >= m)
                found = d;
        }
        rows[d] = malloc((size_t)(2 * d + 1) * sizeof **rows);
        if (!rows[d]) {
            *no_memory = true;
            break;
        }
        memcpy(rows[d], v + off - d, (size_t)(2 * d + 1) * sizeof **rows);
        work += (size_t)(2 * d + 1);
        if (found < 0 && work > max_work) {
            *too_big = true;
            break;
        }
    }
    size_t count = 0;
    if (found >= 0 && !*no_memory) {
        /* Walk back from (n, m), writing the ops from the end. */
        size_t at = (size_t)(n + m);
        long x = n, y = m;
        for (long d = found; d > 0; d--) {
            const int *prev = rows[d - 1] + (d - 1); /* prev[k] for k in -(d-1)..d-1 */
            long k = x - y;
            long pk = (k == -d || (k != d && prev[k - 1] < prev[k + 1])) ? k + 1 : k - 1;
            long px = prev[pk], py = px - pk;
            long sx = pk == k + 1 ? px : px + 1; /* where the snake of this step starts */
            while (x > sx) {
                ops[--at] = '=';
                x--;
                y--;
            }
            ops[--at] = pk == k + 1 ? '+' : '-';
            x = px;
            y = py;
        }
        while (x > 0) {
            ops[--at] = '=';
            x--;
        }
        count = (size_t)(n + m) - at;
        memmove(ops, ops + at, count);
    }
    for (long d = 0; d <= max_d && rows[d]; d++)
        free(rows[d]);
    free(rows);
    free(v);
    return count;
}

bool diff_lines(const char *old, size_t old_len, const char *new_text, size_t new_len,
                size_t max_work, struct diff *out)
{
    memset(out, 0, sizeof *out);
    struct lines a = {0}, b = {0};
    if (!split_lines(old, old_len, &a) || !split_lines(new_text, new_len, &b)) {
        free(a.items);
        free(b.items);
        return false;
    }
    out->lines = calloc(a.count + b.count + 1, sizeof *out->lines);
    char *ops = malloc(a.count + b.count + 1);
    if (!out->lines || !ops) {
        free(ops);
        free(a.items);
        free(b.items);
        diff_release(out);
        return false;
    }
    size_t head = 0;
    while (head < a.count && head < b.count && same_line(&a.items[head], &b.items[head]))
        head++;
    size_t tail = 0;
    while (tail < a.count - head && tail < b.count - head &&
           same_line(&a.items[a.count - 1 - tail], &b.items[b.count - 1 - tail]))
        tail++;
    struct emitter e = {out, &a, &b};
    for (size_t i = 0; i < head; i++)
        emit(&e, ' ', i, i);
    size_t a1 = a.count - tail, b1 = b.count - tail;
    bool too_big = false, no_memory = false;
    size_t n = 0;
    if (head < a1 && head < b1)
        n = myers(&a, head, a1, &b, head, b1, max_work ? max_work : DIFF_DEFAULT_WORK, ops,
                  &too_big, &no_memory);
    if (no_memory) {
        free(ops);
        free(a.items);
        free(b.items);
        diff_release(out);
        return false;
    }
    if (n == 0) {
        /* One side is empty here, or the bound was reached. */
        n = 0;
        for (size_t i = head; i < a1; i++)
            ops[n++] = '-';
        for (size_t i = head; i < b1; i++)
            ops[n++] = '+';
        out->approximate = too_big;
    }
    size_t ai = head, bi = head;
    for (size_t i = 0; i < n; i++) {
        if (ops[i] == '=') {
            emit(&e, ' ', ai++, bi++);
        } else if (ops[i] == '-') {
            emit(&e, '-', ai++, bi);
        } else {
            emit(&e, '+', ai, bi++);
        }
    }
    for (size_t i = 0; i < tail; i++)
        emit(&e, ' ', a1 + i, b1 + i);
    free(ops);
    free(a.items);
    free(b.items);
    return true;
}

void diff_release(struct diff *diff)
{
    free(diff->lines);
    memset(diff, 0, sizeof *diff);
}

void diff_count(const struct diff *diff, size_t *added, size_t *removed)
{
    *added = *removed = 0;
    for (size_t i = 0; i < diff->count; i++) {
        if (diff->lines[i].op == '+')
            (*added)++;
        else if (diff->lines[i].op == '-')
            (*removed)++;
    }
}

/* The start and length of a hunk on one side, as "-START,LEN" writes
 * them: START is the line before the hunk when it has none on that side. */
static void hunk_range(size_t before, size_t len, size_t *start)
{
    *start = len ? before + 1 : before;
}

void diff_unified(const struct diff *diff, size_t context, const char *old_label,
                  const char *new_label, struct dbf_buf *out)
{
    size_t i = 0;
    bool header = false;
    size_t old_before = 0, new_before = 0; /* lines of each side before index i */
    while (i < diff->count) {
        if (diff->lines[i].op == ' ') {
            old_before++;
            new_before++;
            i++;
            continue;
        }
        /* A hunk: back up CONTEXT lines, then run until CONTEXT * 2 same
         * lines in a row (or the end) follow the last change. */
        size_t start = i >= context ? i - context : 0;
        size_t lead = i - start;
        size_t end = i, last_change = i;
        while (end < diff->count) {
            if (diff->lines[end].op != ' ')
                last_change = end;
            else if (end - last_change > context * 2)
                break;
            end++;
        }
        size_t stop = last_change + 1 + context;
        if (stop > diff->count)
            stop = diff->count;
        size_t old_len = 0, new_len = 0;
        for (size_t k = start; k < stop; k++) {
            old_len += diff->lines[k].op != '+';
            new_len += diff->lines[k].op != '-';
        }
        size_t os, ns;
        hunk_range(old_before - lead, old_len, &os);
        hunk_range(new_before - lead, new_len, &ns);
        if (!header) {
            dbf_buf_addf(out, "--- %s\n+++ %s\n", old_label, new_label);
            header = true;
        }
        dbf_buf_addf(out, "@@ -%zu,%zu +%zu,%zu @@\n", os, old_len, ns, new_len);
        for (size_t k = start; k < stop; k++) {
            const struct diff_line *l = &diff->lines[k];
            dbf_buf_addc(out, l->op);
            dbf_buf_add(out, l->text, l->len);
            dbf_buf_addc(out, '\n');
        }
        for (size_t k = i; k < stop; k++) {
            old_before += diff->lines[k].op != '+';
            new_before += diff->lines[k].op != '-';
        }
        i = stop;
    }
}
