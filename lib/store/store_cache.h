/* store_cache.h: the answers of the store's frequent reads, kept while the
 * database has not changed (store.c uses it inside a read scope,
 * dbf_store_read_begin()).
 *
 * Contract:
 * - Every entry belongs to one generation: a text the backend derives from
 *   the database's state (SQLite's data_version and this connection's change
 *   count; PostgreSQL's current snapshot), which differs whenever anything
 *   was committed since. dbf__cache_generation() with another text empties
 *   the cache, so an entry is never served across a change.
 * - Keys name the operation and every argument, the asker included: an
 *   entry is what the backend answered for exactly that question.
 * - Values are arrays of fixed-size items whose only pointers are the
 *   NUL-terminated strings at the offsets of their shape; the cache keeps
 *   deep copies and hands out deep copies.
 * - The cache holds at most its budget in bytes; a put that would pass it
 *   empties the cache first. One thread: no locking. */
#ifndef DEBRIEF_STORE_CACHE_H
#define DEBRIEF_STORE_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#define DBF__CACHE_MAX_STRINGS 3

/* What an item is: its size and where its string pointers are. */
struct dbf__cache_shape {
    size_t size;
    size_t string_count;
    size_t strings[DBF__CACHE_MAX_STRINGS];
};

struct dbf__cache;

/* A cache of at most BUDGET bytes; NULL when memory runs out (every
 * function below takes NULL as an empty cache that keeps nothing). */
struct dbf__cache *dbf__cache_new(size_t budget);
void dbf__cache_free(struct dbf__cache *cache);

/* Makes GENERATION the current one, emptying the cache when it differs. */
void dbf__cache_generation(struct dbf__cache *cache, const char *generation);

/* A copy of the COUNT items under KEY in *ITEMS (free each with
 * dbf__cache_items_free()) and the number stored with them in *EXTRA; false
 * when absent or out of memory. A KEY holding zero items answers true with
 * *ITEMS NULL. */
bool dbf__cache_get(struct dbf__cache *cache, const char *key, const struct dbf__cache_shape *shape,
                    void **items, size_t *count, size_t *extra);

/* Keeps a copy of the COUNT ITEMS and EXTRA under KEY. */
void dbf__cache_put(struct dbf__cache *cache, const char *key, const struct dbf__cache_shape *shape,
                    const void *items, size_t count, size_t extra);

/* Frees the strings of the COUNT ITEMS and the array. */
void dbf__cache_items_free(const struct dbf__cache_shape *shape, void *items, size_t count);

/* Entries held. */
size_t dbf__cache_count(const struct dbf__cache *cache);

#endif
