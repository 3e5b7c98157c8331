/* store_cache.c: the store's answers kept per generation (store_cache.h):
 * a chained hash table emptied whole when the generation moves or the
 * budget is reached. */
#include "store_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 1024

struct entry {
    struct entry *next;
    char *key;
    const struct dbf__cache_shape *shape;
    void *items;
    size_t count, extra, cost;
};

struct dbf__cache {
    struct entry *buckets[BUCKETS];
    char *generation;
    size_t budget, bytes, count;
};

static uint32_t hash_key(const char *key)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

static char **string_at(const struct dbf__cache_shape *shape, void *items, size_t i, size_t s)
{
    return (char **)((char *)items + i * shape->size + shape->strings[s]);
}

void dbf__cache_items_free(const struct dbf__cache_shape *shape, void *items, size_t count)
{
    if (!items)
        return;
    for (size_t i = 0; i < count; i++)
        for (size_t s = 0; s < shape->string_count; s++)
            free(*string_at(shape, items, i, s));
    free(items);
}

/* A deep copy of the COUNT ITEMS, and its size in *COST; NULL (with
 * *FAILED) when memory runs out, NULL alone for no items. */
static void *copy_items(const struct dbf__cache_shape *shape, const void *items, size_t count,
                        size_t *cost, bool *failed)
{
    *failed = false;
    *cost = 0;
    if (count == 0)
        return NULL;
    char *copy = malloc(count * shape->size);
    if (!copy) {
        *failed = true;
        return NULL;
    }
    memcpy(copy, items, count * shape->size);
    *cost = count * shape->size;
    for (size_t i = 0; i < count; i++)
        for (size_t s = 0; s < shape->string_count; s++) {
            char **field = string_at(shape, copy, i, s);
            if (!*field)
                continue;
            size_t n = strlen(*field) + 1;
            char *dup = malloc(n);
            if (dup)
                memcpy(dup, *field, n);
            else
                *failed = true;
            *field = dup;
            *cost += n;
        }
    if (*failed) {
        dbf__cache_items_free(shape, copy, count);
        return NULL;
    }
    return copy;
}

struct dbf__cache *dbf__cache_new(size_t budget)
{
    struct dbf__cache *cache = calloc(1, sizeof *cache);
    if (cache)
        cache->budget = budget;
    return cache;
}

static void empty(struct dbf__cache *cache)
{
    for (size_t b = 0; b < BUCKETS; b++) {
        struct entry *e = cache->buckets[b];
        while (e) {
            struct entry *next = e->next;
            dbf__cache_items_free(e->shape, e->items, e->count);
            free(e->key);
            free(e);
            e = next;
        }
        cache->buckets[b] = NULL;
    }
    cache->bytes = 0;
    cache->count = 0;
}

void dbf__cache_free(struct dbf__cache *cache)
{
    if (!cache)
        return;
    empty(cache);
    free(cache->generation);
    free(cache);
}

void dbf__cache_generation(struct dbf__cache *cache, const char *generation)
{
    if (!cache || (cache->generation && strcmp(cache->generation, generation) == 0))
        return;
    empty(cache);
    free(cache->generation);
    size_t n = strlen(generation) + 1;
    cache->generation = malloc(n);
    if (cache->generation)
        memcpy(cache->generation, generation, n);
}

static struct entry *find(struct dbf__cache *cache, const char *key, struct entry ***link)
{
    struct entry **at = &cache->buckets[hash_key(key) % BUCKETS];
    for (; *at; at = &(*at)->next)
        if (strcmp((*at)->key, key) == 0)
            break;
    if (link)
        *link = at;
    return *at;
}

bool dbf__cache_get(struct dbf__cache *cache, const char *key, const struct dbf__cache_shape *shape,
                    void **items, size_t *count, size_t *extra)
{
    /* Without a generation nothing may be trusted. */
    if (!cache || !cache->generation)
        return false;
    struct entry *e = find(cache, key, NULL);
    if (!e || e->shape != shape)
        return false;
    size_t cost;
    bool failed;
    void *copy = copy_items(shape, e->items, e->count, &cost, &failed);
    if (failed)
        return false;
    *items = copy;
    *count = e->count;
    *extra = e->extra;
    return true;
}

void dbf__cache_put(struct dbf__cache *cache, const char *key, const struct dbf__cache_shape *shape,
                    const void *items, size_t count, size_t extra)
{
    if (!cache || !cache->generation)
        return;
    size_t cost;
    bool failed;
    void *copy = copy_items(shape, items, count, &cost, &failed);
    if (failed)
        return;
    size_t keylen = strlen(key) + 1;
    cost += sizeof(struct entry) + keylen;
    struct entry *e = calloc(1, sizeof *e);
    char *k = malloc(keylen);
    if (!e || !k || cost > cache->budget) {
        free(e);
        free(k);
        dbf__cache_items_free(shape, copy, count);
        return;
    }
    memcpy(k, key, keylen);
    struct entry **link;
    struct entry *old = find(cache, key, &link);
    if (old) {
        *link = old->next;
        cache->bytes -= old->cost;
        cache->count--;
        dbf__cache_items_free(old->shape, old->items, old->count);
        free(old->key);
        free(old);
    }
    if (cache->bytes + cost > cache->budget)
        empty(cache);
    *e = (struct entry){.key = k, .shape = shape, .items = copy, .count = count, .extra = extra,
                        .cost = cost};
    struct entry **bucket = &cache->buckets[hash_key(key) % BUCKETS];
    e->next = *bucket;
    *bucket = e;
    cache->bytes += cost;
    cache->count++;
}

size_t dbf__cache_count(const struct dbf__cache *cache)
{
    return cache ? cache->count : 0;
}
