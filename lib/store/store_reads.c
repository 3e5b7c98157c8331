/* store_reads.c: the read scope (dbf_store_read_begin()) and the frequent
 * reads it answers from memory (store_cache.h).
 *
 * Invariant: inside a scope the cache's generation is read from the backend
 * before the first cached read and again after any operation that is not
 * one of these reads (begin() in store.c marks it stale), so an answer
 * from memory is one the database gave at or after the last change this
 * connection can know of. Only successful answers are kept. */
#include "store_cache.h"
#include "store_impl.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per connection: a server runs one per event loop thread. */
#define CACHE_BUDGET (16u * 1024 * 1024)

void dbf_store_read_begin(struct dbf_store *store)
{
    if (!store->cache)
        store->cache = dbf__cache_new(CACHE_BUDGET);
    store->in_read_scope = true;
    store->generation_fresh = false;
}

void dbf_store_read_end(struct dbf_store *store)
{
    store->in_read_scope = false;
    store->generation_fresh = false;
}

void dbf_store_read_begin_known(struct dbf_store *store, const char *generation)
{
    dbf_store_read_begin(store);
    size_t n = strlen(generation);
    if (!store->cache || n >= sizeof store->generation)
        return;
    memcpy(store->generation, generation, n + 1);
    dbf__cache_generation(store->cache, store->generation);
    store->generation_fresh = true;
}

bool dbf_store_generation_remote(const struct dbf_store *store)
{
    return store->methods->generation_send != NULL;
}

int dbf_store_generation_socket(struct dbf_store *store, uint64_t *connection)
{
    *connection = 0;
    if (!store->methods->generation_socket)
        return -1;
    return store->methods->generation_socket(store, connection);
}

enum dbf_store_status dbf_store_generation_send(struct dbf_store *store)
{
    store->message[0] = '\0';
    if (!store->methods->generation_send)
        return dbf__store_fail(store, DBF_STORE_INTERNAL, "the generation is read locally");
    return store->methods->generation_send(store);
}

enum dbf_store_status dbf_store_generation_receive(struct dbf_store *store, char *out, size_t size,
                                                   bool *done)
{
    store->message[0] = '\0';
    if (!store->methods->generation_receive) {
        *done = true;
        return dbf__store_fail(store, DBF_STORE_INTERNAL, "the generation is read locally");
    }
    return store->methods->generation_receive(store, out, size, done);
}

void dbf__store_cache_free(struct dbf_store *store)
{
    dbf__cache_free(store->cache);
    store->cache = NULL;
}

/* The cache, ready for the database's current generation; NULL outside a
 * scope or when the generation cannot be read (the read then goes to the
 * database). */
static struct dbf__cache *ready(struct dbf_store *store)
{
    if (!store->in_read_scope || !store->cache)
        return NULL;
    if (!store->generation_fresh) {
        if (store->methods->generation(store, store->generation, sizeof store->generation) !=
            DBF_STORE_OK) {
            store->message[0] = '\0';
            return NULL;
        }
        dbf__cache_generation(store->cache, store->generation);
        store->generation_fresh = true;
    }
    return store->cache;
}

enum dbf_store_status dbf_store_generation(struct dbf_store *store, char *out, size_t size)
{
    store->message[0] = '\0';
    if (ready(store)) {
        if (strlen(store->generation) >= size)
            return dbf__store_fail(store, DBF_STORE_INTERNAL, "no room for the generation");
        memcpy(out, store->generation, strlen(store->generation) + 1);
        return DBF_STORE_OK;
    }
    char text[256];
    enum dbf_store_status st = store->methods->generation(store, text, sizeof text);
    if (st != DBF_STORE_OK)
        return st;
    if (strlen(text) >= size)
        return dbf__store_fail(store, DBF_STORE_INTERNAL, "no room for the generation");
    memcpy(out, text, strlen(text) + 1);
    return DBF_STORE_OK;
}

/* A key: the operation, then each argument, strings with their length so
 * no two argument lists read alike. Too long a key is no key. */
struct key {
    char text[2048];
    size_t len;
    bool overflow;
};

static void key_add(struct key *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void key_add(struct key *k, const char *fmt, ...)
{
    if (k->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(k->text + k->len, sizeof k->text - k->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof k->text - k->len)
        k->overflow = true;
    else
        k->len += (size_t)n;
}

static void key_str(struct key *k, const char *s)
{
    if (!s)
        key_add(k, "-|");
    else
        key_add(k, "%zu:%s|", strlen(s), s);
}

static void key_hash(struct key *k, const unsigned char hash[DBF__SECRET_HASH_LEN])
{
    static const char hex[] = "0123456789abcdef";
    char text[2 * DBF__SECRET_HASH_LEN + 1];
    for (size_t i = 0; i < DBF__SECRET_HASH_LEN; i++) {
        text[2 * i] = hex[hash[i] >> 4];
        text[2 * i + 1] = hex[hash[i] & 15];
    }
    text[2 * DBF__SECRET_HASH_LEN] = '\0';
    key_add(k, "%s|", text);
}

static const struct dbf__cache_shape user_shape = {sizeof(struct dbf_user), 0, {0}};
static const struct dbf__cache_shape team_shape = {sizeof(struct dbf_team), 0, {0}};
static const struct dbf__cache_shape pm_shape = {
    sizeof(struct dbf_postmortem),
    2,
    {offsetof(struct dbf_postmortem, title), offsetof(struct dbf_postmortem, tags)}};
static const struct dbf__cache_shape revision_shape = {
    sizeof(struct dbf_revision), 1, {offsetof(struct dbf_revision, markdown)}};
static const struct dbf__cache_shape attachment_shape = {
    sizeof(struct dbf_attachment), 1, {offsetof(struct dbf_attachment, name)}};
static const struct dbf__cache_shape comment_shape = {
    sizeof(struct dbf_comment), 1, {offsetof(struct dbf_comment, body)}};
static const struct dbf__cache_shape approval_shape = {
    sizeof(struct dbf_approval), 1, {offsetof(struct dbf_approval, note)}};

/* One item under K into OUT, from memory; false when it must be read. */
static bool get_one(struct dbf__cache *cache, const struct key *k,
                    const struct dbf__cache_shape *shape, void *out)
{
    void *items = NULL;
    size_t count = 0, extra = 0;
    if (!cache || k->overflow || !dbf__cache_get(cache, k->text, shape, &items, &count, &extra))
        return false;
    if (count != 1) {
        dbf__cache_items_free(shape, items, count);
        return false;
    }
    memcpy(out, items, shape->size);
    free(items);
    return true;
}

static enum dbf_store_status keep(struct dbf__cache *cache, const struct key *k,
                                  const struct dbf__cache_shape *shape, enum dbf_store_status st,
                                  const void *items, size_t count, size_t extra)
{
    if (cache && st == DBF_STORE_OK && !k->overflow)
        dbf__cache_put(cache, k->text, shape, items, count, extra);
    return st;
}

/* COUNT items under K into *OUT, from memory; false when they must be read. */
static bool get_many(struct dbf__cache *cache, const struct key *k,
                     const struct dbf__cache_shape *shape, void **out, size_t *count,
                     size_t *extra)
{
    return cache && !k->overflow && dbf__cache_get(cache, k->text, shape, out, count, extra);
}

enum dbf_store_status dbf__read_session(struct dbf_store *store,
                                        const unsigned char hash[DBF__SECRET_HASH_LEN],
                                        int64_t now, struct dbf_user *out)
{
    struct dbf__cache *cache = ready(store);
    /* The time is part of the question: an expiry is never read late. */
    struct key k = {.len = 0};
    key_add(&k, "session|%" PRId64 "|", now);
    key_hash(&k, hash);
    if (get_one(cache, &k, &user_shape, out))
        return DBF_STORE_OK;
    enum dbf_store_status st = store->methods->session_find(store, hash, now, out);
    return keep(cache, &k, &user_shape, st, out, 1, 0);
}

enum dbf_store_status dbf__read_token(struct dbf_store *store,
                                      const unsigned char hash[DBF__SECRET_HASH_LEN],
                                      struct dbf_user *out)
{
    struct dbf__cache *cache = ready(store);
    struct key k = {.len = 0};
    key_add(&k, "token|");
    key_hash(&k, hash);
    if (get_one(cache, &k, &user_shape, out))
        return DBF_STORE_OK;
    enum dbf_store_status st = store->methods->token_find(store, hash, out);
    return keep(cache, &k, &user_shape, st, out, 1, 0);
}

enum dbf_store_status dbf__read_user_by_id(struct dbf_store *store, int64_t id,
                                           struct dbf_user *out)
{
    struct dbf__cache *cache = ready(store);
    struct key k = {.len = 0};
    key_add(&k, "user|%" PRId64 "|", id);
    if (get_one(cache, &k, &user_shape, out))
        return DBF_STORE_OK;
    enum dbf_store_status st = store->methods->user_find(store, NULL, id, out, NULL, 0);
    return keep(cache, &k, &user_shape, st, out, 1, 0);
}

enum dbf_store_status dbf__read_team_get(struct dbf_store *store, const char *name,
                                         struct dbf_team *out)
{
    struct dbf__cache *cache = ready(store);
    struct key k = {.len = 0};
    key_add(&k, "team|");
    key_str(&k, name);
    if (get_one(cache, &k, &team_shape, out))
        return DBF_STORE_OK;
    enum dbf_store_status st = store->methods->team_get(store, name, out);
    return keep(cache, &k, &team_shape, st, out, 1, 0);
}

enum dbf_store_status dbf__read_user_teams(struct dbf_store *store, int64_t user,
                                           struct dbf_team **out, size_t *count)
{
    struct dbf__cache *cache = ready(store);
    struct key k = {.len = 0};
    key_add(&k, "teams|%" PRId64 "|", user);
    size_t extra;
    if (get_many(cache, &k, &team_shape, (void **)out, count, &extra))
        return DBF_STORE_OK;
    enum dbf_store_status st = store->methods->team_list(store, user, out, count);
    return keep(cache, &k, &team_shape, st, *out, *count, 0);
}

enum dbf_store_status dbf__read_pm_get(struct dbf_store *store, int64_t viewer, const char *slug,
                                       struct dbf_postmortem *out)
{
    struct dbf__cache *cache = ready(store);
    struct key k = {.len = 0};
    key_add(&k, "pm|%" PRId64 "|", viewer);
    key_str(&k, slug);
    if (get_one(cache, &k, &pm_shape, out))
        return DBF_STORE_OK;
    enum dbf_store_status st = store->methods->pm_get(store, viewer, slug, out);
    return keep(cache, &k, &pm_shape, st, out, 1, 0);
}

enum dbf_store_status dbf__read_pm_list(struct dbf_store *store, int64_t viewer,
                                        const struct dbf_pm_filter *filter, const char *match,
                                        struct dbf_postmortem_list *out)
{
    struct dbf__cache *cache = ready(store);
    struct key k = {.len = 0};
    key_add(&k, "list|%" PRId64 "|", viewer);
    key_str(&k, match);
    key_str(&k, filter->status);
    key_str(&k, filter->severity);
    key_str(&k, filter->service);
    key_str(&k, filter->tag);
    key_str(&k, filter->since);
    key_str(&k, filter->until);
    key_str(&k, filter->sort);
    key_add(&k, "%" PRId64 "|%zu|%zu|", filter->team, filter->limit, filter->offset);
    void *items;
    if (get_many(cache, &k, &pm_shape, &items, &out->count, &out->total)) {
        out->items = items;
        return DBF_STORE_OK;
    }
    enum dbf_store_status st = store->methods->pm_list(store, viewer, filter, match, out);
    return keep(cache, &k, &pm_shape, st, out->items, out->count, out->total);
}

enum dbf_store_status dbf__read_revision_get(struct dbf_store *store, int64_t viewer,
                                             const char *slug, int number,
                                             struct dbf_revision *out)
{
    struct dbf__cache *cache = ready(store);
    struct key k = {.len = 0};
    key_add(&k, "revision|%" PRId64 "|%d|", viewer, number);
    key_str(&k, slug);
    if (get_one(cache, &k, &revision_shape, out))
        return DBF_STORE_OK;
    enum dbf_store_status st = store->methods->revision_get(store, viewer, slug, number, out);
    return keep(cache, &k, &revision_shape, st, out, 1, 0);
}

/* The reads that answer an array of one shape about one post mortem. */
#define READ_MANY(name, type, shape)                                                               \
    enum dbf_store_status dbf__read_##name(struct dbf_store *store, int64_t viewer,              \
                                           const char *slug, type **out, size_t *count)           \
    {                                                                                              \
        struct dbf__cache *cache = ready(store);                                                   \
        struct key k = {.len = 0};                                                                 \
        key_add(&k, #name "|%" PRId64 "|", viewer);                                                \
        key_str(&k, slug);                                                                         \
        size_t extra;                                                                              \
        if (get_many(cache, &k, &shape, (void **)out, count, &extra))                              \
            return DBF_STORE_OK;                                                                   \
        enum dbf_store_status st = store->methods->name(store, viewer, slug, out, count);          \
        return keep(cache, &k, &shape, st, *out, *count, 0);                                       \
    }

READ_MANY(history, struct dbf_revision, revision_shape)
READ_MANY(comments, struct dbf_comment, comment_shape)
READ_MANY(attachments, struct dbf_attachment, attachment_shape)
READ_MANY(approvals, struct dbf_approval, approval_shape)
