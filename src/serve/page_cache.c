/* page_cache.c: the bytes-bounded LRU of page_cache.h: a hash table of
 * chained entries, each also on a list from most to least recently used. */
#include "page_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key;
    size_t hash;
    void *value;
    size_t cost; /* the caller's cost plus the key and the entry */
    page_cache_drop_fn *drop;
    struct entry *chain; /* the next in its bucket */
    struct entry *newer, *older;
};

struct page_cache {
    size_t budget, bytes, count;
    struct entry **buckets;
    size_t bucket_count; /* a power of two */
    struct entry *newest, *oldest;
};

static size_t hash_key(const char *key)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (size_t)h;
}

struct page_cache *page_cache_new(size_t budget)
{
    if (budget == 0)
        return NULL;
    struct page_cache *cache = calloc(1, sizeof *cache);
    if (!cache)
        return NULL;
    cache->budget = budget;
    cache->bucket_count = 256;
    cache->buckets = calloc(cache->bucket_count, sizeof *cache->buckets);
    if (!cache->buckets) {
        free(cache);
        return NULL;
    }
    return cache;
}

static void unlink_lru(struct page_cache *cache, struct entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        cache->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        cache->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void push_newest(struct page_cache *cache, struct entry *e)
{
    e->older = cache->newest;
    e->newer = NULL;
    if (cache->newest)
        cache->newest->newer = e;
    cache->newest = e;
    if (!cache->oldest)
        cache->oldest = e;
}

static struct entry **slot_of(struct page_cache *cache, const char *key, size_t hash)
{
    struct entry **slot = &cache->buckets[hash & (cache->bucket_count - 1)];
    while (*slot && ((*slot)->hash != hash || strcmp((*slot)->key, key) != 0))
        slot = &(*slot)->chain;
    return slot;
}

static void remove_entry(struct page_cache *cache, struct entry *e)
{
    struct entry **slot = slot_of(cache, e->key, e->hash);
    *slot = e->chain;
    unlink_lru(cache, e);
    cache->bytes -= e->cost;
    cache->count--;
    e->drop(e->value);
    free(e->key);
    free(e);
}

/* Doubles the buckets when the chains grow long; keeps them when memory
 * runs out (lookups only get slower). */
static void grow(struct page_cache *cache)
{
    if (cache->count < cache->bucket_count * 2 || cache->bucket_count > SIZE_MAX / 4)
        return;
    size_t n = cache->bucket_count * 2;
    struct entry **buckets = calloc(n, sizeof *buckets);
    if (!buckets)
        return;
    for (size_t i = 0; i < cache->bucket_count; i++) {
        struct entry *e = cache->buckets[i];
        while (e) {
            struct entry *next = e->chain;
            e->chain = buckets[e->hash & (n - 1)];
            buckets[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(cache->buckets);
    cache->buckets = buckets;
    cache->bucket_count = n;
}

void page_cache_free(struct page_cache *cache)
{
    if (!cache)
        return;
    while (cache->oldest)
        remove_entry(cache, cache->oldest);
    free(cache->buckets);
    free(cache);
}

void *page_cache_get(struct page_cache *cache, const char *key)
{
    if (!cache)
        return NULL;
    struct entry *e = *slot_of(cache, key, hash_key(key));
    if (!e)
        return NULL;
    unlink_lru(cache, e);
    push_newest(cache, e);
    return e->value;
}

bool page_cache_put(struct page_cache *cache, const char *key, void *value, size_t cost,
                    page_cache_drop_fn *drop)
{
    if (!cache) {
        drop(value);
        return false;
    }
    size_t hash = hash_key(key);
    struct entry *old = *slot_of(cache, key, hash);
    if (old)
        remove_entry(cache, old);
    size_t key_len = strlen(key);
    size_t overhead = sizeof(struct entry) + key_len + 1;
    if (cost > cache->budget || overhead > cache->budget - cost) {
        drop(value);
        return false;
    }
    struct entry *e = calloc(1, sizeof *e);
    char *copy = malloc(key_len + 1);
    if (!e || !copy) {
        free(e);
        free(copy);
        drop(value);
        return false;
    }
    memcpy(copy, key, key_len + 1);
    *e = (struct entry){
        .key = copy, .hash = hash, .value = value, .cost = cost + overhead, .drop = drop};
    while (cache->oldest && cache->bytes + e->cost > cache->budget)
        remove_entry(cache, cache->oldest);
    struct entry **slot = slot_of(cache, key, hash);
    *slot = e;
    push_newest(cache, e);
    cache->bytes += e->cost;
    cache->count++;
    grow(cache);
    return true;
}

size_t page_cache_count(const struct page_cache *cache)
{
    return cache ? cache->count : 0;
}

size_t page_cache_bytes(const struct page_cache *cache)
{
    return cache ? cache->bytes : 0;
}
