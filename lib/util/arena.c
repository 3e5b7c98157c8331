/* arena.c: bump allocation in blocks that grow with demand. */
#include "arena.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MIN 16384

struct dbf__arena_block {
    struct dbf__arena_block *next;
    size_t used, size;
    max_align_t data[];
};

static atomic_ullong serials;

void dbf__arena_init(struct dbf__arena *arena)
{
    dbf__arena_init_sized(arena, 0);
}

void dbf__arena_init_sized(struct dbf__arena *arena, size_t first)
{
    arena->head = NULL;
    arena->serial = atomic_fetch_add(&serials, 1) + 1;
    arena->first_block = first;
}

size_t dbf__arena_held(const struct dbf__arena *arena)
{
    size_t bytes = 0;
    for (const struct dbf__arena_block *b = arena->head; b; b = b->next)
        bytes += sizeof *b + b->size;
    return bytes;
}

void dbf__arena_release(struct dbf__arena *arena)
{
    struct dbf__arena_block *b = arena->head;
    while (b) {
        struct dbf__arena_block *next = b->next;
        free(b);
        b = next;
    }
    arena->head = NULL;
}

void dbf__arena_each(const struct dbf__arena *arena,
                     void (*fn)(void *ctx, const void *start, size_t len), void *ctx)
{
    for (const struct dbf__arena_block *b = arena->head; b; b = b->next)
        fn(ctx, b->data, b->used);
}

/* SIZE rounded up to a multiple of the alignment of any type. */
static size_t rounded(size_t size)
{
    const size_t align = _Alignof(max_align_t);
    return (size + align - 1) & ~(align - 1);
}

/* SIZE bytes (a multiple of rounded()'s), aligned for any type, not
 * cleared. */
static void *take(struct dbf__arena *arena, size_t size)
{
    struct dbf__arena_block *b = arena->head;
    if (!b || b->size - b->used < size) {
        size_t least = arena->first_block ? arena->first_block : BLOCK_MIN;
        size_t cap = size > least ? size : least;
        if (b && b->size * 2 > cap && b->size < (SIZE_MAX / 4))
            cap = b->size * 2 > size ? b->size * 2 : size;
        b = malloc(sizeof(*b) + cap);
        if (!b)
            abort();
        b->used = 0;
        b->size = cap;
        b->next = arena->head;
        arena->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

void *dbf__arena_alloc(struct dbf__arena *arena, size_t size)
{
    size = rounded(size);
    return memset(take(arena, size), 0, size);
}

/* The copy is not cleared first: only the bytes after its end are. */
char *dbf__arena_strndup(struct dbf__arena *arena, const char *s, size_t len)
{
    size_t size = rounded(len + 1);
    char *p = take(arena, size);
    memcpy(p, s, len);
    memset(p + len, 0, size - len);
    return p;
}

char *dbf__arena_strdup(struct dbf__arena *arena, const char *s)
{
    return dbf__arena_strndup(arena, s, strlen(s));
}

char *dbf__arena_printf(struct dbf__arena *arena, const char *fmt, ...)
{
    /* Most messages fit the first try; longer ones are formatted again. */
    char first[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(first, sizeof first, fmt, ap);
    va_end(ap);
    if (n < 0)
        return dbf__arena_strdup(arena, "");
    if ((size_t)n < sizeof first)
        return dbf__arena_strndup(arena, first, (size_t)n);
    char *p = dbf__arena_alloc(arena, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
