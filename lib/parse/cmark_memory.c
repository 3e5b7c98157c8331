/* cmark_memory.c: a bump allocator per thread for cmark-gfm's parse trees. */
#include "cmark_memory.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN ((size_t)256 * 1024)
/* A chunk larger than this (a very large document's) is given back rather
 * than kept for the next parse. */
#define KEEP_MOST ((size_t)4 * 1024 * 1024)
/* Each allocation's size is kept in the 16 bytes before it, which keeps
 * what follows aligned for any type. */
#define HEADER ((size_t)16)

struct chunk {
    struct chunk *next; /* older chunks */
    size_t size, used;
    max_align_t data[];
};

struct scratch {
    struct chunk *head; /* allocations come from here */
    bool busy;
};

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static _Thread_local struct scratch *thread_scratch;

static void free_chunks(struct chunk *c)
{
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
}

static void scratch_free(void *arg)
{
    struct scratch *s = arg;
    free_chunks(s->head);
    free(s);
}

static void key_make(void)
{
    pthread_key_create(&key, scratch_free);
}

/* Empties S, keeping its newest chunk unless it is too large to keep. */
static void empty(struct scratch *s)
{
    if (!s->head)
        return;
    free_chunks(s->head->next);
    s->head->next = NULL;
    if (s->head->size > KEEP_MOST) {
        free(s->head);
        s->head = NULL;
        return;
    }
    s->head->used = 0;
}

static size_t rounded(size_t size)
{
    if (size > SIZE_MAX - 2 * HEADER)
        abort();
    return (size + HEADER - 1) & ~(HEADER - 1);
}

static size_t *size_of(void *p)
{
    return (size_t *)((char *)p - HEADER);
}

/* SIZE bytes (not cleared) from the thread's scratch. */
static void *take(size_t size)
{
    struct scratch *s = thread_scratch;
    size = rounded(size);
    struct chunk *c = s->head;
    if (!c || c->size - c->used < HEADER + size) {
        size_t cap = c && c->size * 2 > CHUNK_MIN ? c->size * 2 : CHUNK_MIN;
        if (cap < HEADER + size)
            cap = HEADER + size;
        c = malloc(sizeof *c + cap);
        if (!c)
            abort();
        c->next = s->head;
        c->size = cap;
        c->used = 0;
        s->head = c;
    }
    char *p = (char *)c->data + c->used + HEADER;
    c->used += HEADER + size;
    *size_of(p) = size;
    return p;
}

/* Is P the newest allocation of the newest chunk? */
static bool on_top(const struct chunk *c, void *p)
{
    return c && (char *)p + *size_of(p) == (const char *)c->data + c->used;
}

static void *scratch_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        abort();
    void *p = take(count * size);
    memset(p, 0, count * size);
    return p;
}

static void *scratch_realloc(void *p, size_t size)
{
    if (!p)
        return take(size);
    struct chunk *c = thread_scratch->head;
    size_t old = *size_of(p), want = rounded(size);
    if (on_top(c, p) && c->size - (c->used - old) >= want) {
        c->used = c->used - old + want;
        *size_of(p) = want;
        return p;
    }
    if (want <= old)
        return p;
    void *q = take(size);
    memcpy(q, p, old);
    return q;
}

static void scratch_release(void *p)
{
    struct chunk *c = thread_scratch->head;
    if (p && on_top(c, p))
        c->used -= HEADER + *size_of(p);
}

static cmark_mem scratch_mem = {scratch_calloc, scratch_realloc, scratch_release};

cmark_mem *dbf__cmark_memory_begin(size_t len)
{
    if (len > DBF__CMARK_MEMORY_MOST)
        return NULL;
    struct scratch *s = thread_scratch;
    if (!s) {
        pthread_once(&key_once, key_make);
        s = calloc(1, sizeof *s);
        if (!s)
            return NULL;
        pthread_setspecific(key, s);
        thread_scratch = s;
    }
    if (s->busy)
        return NULL;
    s->busy = true;
    empty(s);
    return &scratch_mem;
}

void dbf__cmark_memory_end(void)
{
    struct scratch *s = thread_scratch;
    if (!s)
        return;
    empty(s);
    s->busy = false;
}
