/* page_cache.h: a memory-bounded cache of work that does not depend on who
 * asks (a post mortem's rendered report and its review), kept by the event
 * loop's thread between requests.
 *
 * Contract:
 * - An entry is a value owned by the cache under a key string. The key must
 *   name everything the value was computed from: the cache never checks
 *   freshness, so a changed input must make a different key (the old entry
 *   then ages out).
 * - The cache holds at most its byte budget: the sum of the costs its
 *   callers charge for the entries (plus the keys). Putting an entry evicts
 *   the least recently used ones until it fits; a value costing more than
 *   the budget is not kept.
 * - The cache knows nothing of access: a caller consults it only after the
 *   store has said the asker may see what the key names.
 * - One thread: no locking. A value returned by page_cache_get() is valid
 *   until the next page_cache_put() or page_cache_free(). */
#ifndef DEBRIEF_SERVE_PAGE_CACHE_H
#define DEBRIEF_SERVE_PAGE_CACHE_H

#include <stdbool.h>
#include <stddef.h>

struct page_cache;

/* Frees a value the cache owned. */
typedef void page_cache_drop_fn(void *value);

/* A cache holding at most BUDGET bytes; NULL when BUDGET is 0 (caching off)
 * or memory runs out. Every function below takes a NULL cache as an empty
 * one that keeps nothing. */
struct page_cache *page_cache_new(size_t budget);
/* Frees CACHE and drops every value. */
void page_cache_free(struct page_cache *cache);

/* The value under KEY, now the most recently used, or NULL. */
void *page_cache_get(struct page_cache *cache, const char *key);

/* Keeps VALUE under KEY at COST bytes, dropping what KEY held before and
 * evicting the least recently used entries to fit. The cache takes VALUE in
 * every case: when it cannot keep it (caching off, too large, out of
 * memory), DROP frees it at once and the answer is false. */
bool page_cache_put(struct page_cache *cache, const char *key, void *value, size_t cost,
                    page_cache_drop_fn *drop);

/* Entries held and the bytes they are charged. */
size_t page_cache_count(const struct page_cache *cache);
size_t page_cache_bytes(const struct page_cache *cache);

#endif
