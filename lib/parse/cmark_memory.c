/* cmark_memory.c: a bump allocator per thread for cmark-gfm's parse trees. */
#include "cmark_memory.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN ((size_t)256 * 1024)
/* Chunks holding more than this in all (after a very large document) are
 * given back rather than kept for the next parse. */
#define KEEP_MOST ((size_t)4 * 1024 * 1024)
/* Each allocation's size is kept in the 16 bytes before it, which keeps
 * what follows aligned for any type. */
#define HEADER ((size_t)16)

struct chunk {
    struct chunk *next;
    size_t size, used;
    max_align_t data[];
};

/* The chunks, kept from parse to parse and filled in order: freeing and
 * allocating them again for each document costs page faults, which the
 * threads of a process take in turn. */
struct scratch {
    struct chunk *first;
    struct chunk *current; /* allocations come from here; those after it are free */
    size_t held;           /* the bytes of all chunks */
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
    free_chunks(s->first);
    free(s);
}

static void key_make(void)
{
    pthread_key_create(&key, scratch_free);
}

/* Empties S, keeping its chunks unless they hold too much. */
static void empty(struct scratch *s)
{
    if (s->held > KEEP_MOST) {
        free_chunks(s->first);
        s->first = NULL;
        s->held = 0;
    }
    s->current = s->first;
    if (s->current)
        s->current->used = 0;
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

/* A chunk with room for NEED bytes, the current one from now on: the
 * next kept one that has it, or a new one after the current. */
static struct chunk *chunk_with_room(struct scratch *s, size_t need)
{
    struct chunk *c = s->current;
    while (c && c->next && c->size - c->used < need) {
        c = c->next;
        c->used = 0;
    }
    if (c && c->size - c->used >= need) {
        s->current = c;
        return c;
    }
    size_t cap = c && c->size * 2 > CHUNK_MIN ? c->size * 2 : CHUNK_MIN;
    if (cap < need)
        cap = need;
    struct chunk *made = malloc(sizeof *made + cap);
    if (!made)
        abort();
    made->size = cap;
    made->used = 0;
    made->next = NULL;
    if (c)
        c->next = made;
    else
        s->first = made;
    s->held += cap;
    s->current = made;
    return made;
}

/* SIZE bytes (not cleared) from the thread's scratch. Inline: cmark-gfm
 * asks for a few hundred thousand pieces per megabyte of text. */
static inline void *take(size_t size)
{
    struct scratch *s = thread_scratch;
    size = rounded(size);
    struct chunk *c = s->current;
    if (!c || c->size - c->used < HEADER + size)
        c = chunk_with_room(s, HEADER + size);
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
    struct chunk *c = thread_scratch->current;
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
    struct chunk *c = thread_scratch->current;
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
