/* arena.h: a bump allocator that owns every node and string of one document.
 *
 * Memory handed out lives until dbf__arena_release(); nothing is freed one by
 * one. Allocation never fails from the caller's view: on exhaustion the arena
 * aborts, as the C library's allocator would leave nothing sensible to do. */
#ifndef DBF_ARENA_H
#define DBF_ARENA_H

#include <stddef.h>

struct dbf__arena_block;

struct dbf__arena {
    struct dbf__arena_block *head;
    unsigned long long serial; /* unique among the process's arenas; 0: none given */
    size_t first_block;        /* the size of its first block; 0: the default (16 KiB) */
};

void dbf__arena_init(struct dbf__arena *arena);
/* An arena whose first block holds FIRST bytes (later ones double): for
 * many small arenas kept at once. */
void dbf__arena_init_sized(struct dbf__arena *arena, size_t first);

/* The bytes ARENA holds from the allocator, handed out or not. */
size_t dbf__arena_held(const struct dbf__arena *arena);
void dbf__arena_release(struct dbf__arena *arena);

/* Calls FN(CTX, START, LEN) for each block of memory ARENA holds, with the
 * LEN bytes of it handed out so far. */
void dbf__arena_each(const struct dbf__arena *arena,
                     void (*fn)(void *ctx, const void *start, size_t len), void *ctx);

/* Zeroed memory of SIZE bytes, aligned for any type. */
void *dbf__arena_alloc(struct dbf__arena *arena, size_t size);

/* A NUL-terminated copy of the LEN bytes at S. */
char *dbf__arena_strndup(struct dbf__arena *arena, const char *s, size_t len);
char *dbf__arena_strdup(struct dbf__arena *arena, const char *s);

/* printf into the arena. */
char *dbf__arena_printf(struct dbf__arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
