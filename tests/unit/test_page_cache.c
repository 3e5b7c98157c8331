/* test_page_cache.c: the server's page cache (src/serve/page_cache.c) as
 * plain C: hits and misses, replacement, the byte budget and its LRU
 * order, values too large to keep, and a cache that is off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "serve/page_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int dropped; /* values freed by the cache */

static void drop(void *value)
{
    dropped++;
    free(value);
}

static char *value_of(const char *text)
{
    size_t n = strlen(text) + 1;
    char *v = malloc(n);
    assert_non_null(v);
    memcpy(v, text, n);
    return v;
}

static void test_get_after_put(void **state)
{
    (void)state;
    dropped = 0;
    struct page_cache *cache = page_cache_new(1 << 20);
    assert_non_null(cache);
    assert_null(page_cache_get(cache, "a"));
    assert_true(page_cache_put(cache, "a", value_of("one"), 3, drop));
    assert_true(page_cache_put(cache, "b", value_of("two"), 3, drop));
    assert_string_equal(page_cache_get(cache, "a"), "one");
    assert_string_equal(page_cache_get(cache, "b"), "two");
    assert_null(page_cache_get(cache, "c"));
    assert_int_equal(page_cache_count(cache), 2);
    assert_true(page_cache_bytes(cache) >= 6);
    page_cache_free(cache);
    assert_int_equal(dropped, 2);
}

static void test_put_replaces(void **state)
{
    (void)state;
    dropped = 0;
    struct page_cache *cache = page_cache_new(1 << 20);
    assert_true(page_cache_put(cache, "k", value_of("old"), 100, drop));
    size_t before = page_cache_bytes(cache);
    assert_true(page_cache_put(cache, "k", value_of("new"), 100, drop));
    assert_int_equal(dropped, 1);
    assert_string_equal(page_cache_get(cache, "k"), "new");
    assert_int_equal(page_cache_count(cache), 1);
    assert_int_equal(page_cache_bytes(cache), before);
    page_cache_free(cache);
    assert_int_equal(dropped, 2);
}

static void test_budget_evicts_least_recently_used(void **state)
{
    (void)state;
    dropped = 0;
    /* Room for three entries of 1000 bytes (plus their small overheads),
     * not four. */
    struct page_cache *cache = page_cache_new(3500);
    assert_true(page_cache_put(cache, "1", value_of("one"), 1000, drop));
    assert_true(page_cache_put(cache, "2", value_of("two"), 1000, drop));
    assert_true(page_cache_put(cache, "3", value_of("three"), 1000, drop));
    assert_non_null(page_cache_get(cache, "1")); /* now 2 is the oldest */
    assert_true(page_cache_put(cache, "4", value_of("four"), 1000, drop));
    assert_int_equal(dropped, 1);
    assert_null(page_cache_get(cache, "2"));
    assert_non_null(page_cache_get(cache, "1"));
    assert_non_null(page_cache_get(cache, "3"));
    assert_non_null(page_cache_get(cache, "4"));
    assert_true(page_cache_bytes(cache) <= 3500);
    page_cache_free(cache);
    assert_int_equal(dropped, 4);
}

static void test_too_large_is_dropped(void **state)
{
    (void)state;
    dropped = 0;
    struct page_cache *cache = page_cache_new(1000);
    assert_true(page_cache_put(cache, "small", value_of("s"), 10, drop));
    assert_false(page_cache_put(cache, "big", value_of("b"), 1000, drop));
    assert_int_equal(dropped, 1);
    assert_null(page_cache_get(cache, "big"));
    assert_non_null(page_cache_get(cache, "small"));
    page_cache_free(cache);
    assert_int_equal(dropped, 2);
}

static void test_off(void **state)
{
    (void)state;
    dropped = 0;
    struct page_cache *cache = page_cache_new(0);
    assert_null(cache);
    assert_false(page_cache_put(cache, "k", value_of("v"), 1, drop));
    assert_int_equal(dropped, 1);
    assert_null(page_cache_get(cache, "k"));
    assert_int_equal(page_cache_count(cache), 0);
    assert_int_equal(page_cache_bytes(cache), 0);
    page_cache_free(cache);
}

static void test_many_entries(void **state)
{
    (void)state;
    dropped = 0;
    /* Enough to grow the table several times, and a budget that keeps the
     * newest 2000 of 5000 only. */
    struct page_cache *cache = page_cache_new(2000 * 200);
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "page/%d", i);
        size_t overhead = 200 - strlen(key) - 1 - 64; /* about 200 a piece with the entry */
        assert_true(page_cache_put(cache, key, value_of(key), overhead, drop));
    }
    assert_true(page_cache_bytes(cache) <= 2000 * 200);
    size_t kept = page_cache_count(cache);
    assert_true(kept > 1000 && kept <= 2000);
    assert_int_equal(dropped, 5000 - (int)kept);
    snprintf(key, sizeof key, "page/%d", 4999);
    assert_string_equal(page_cache_get(cache, key), key);
    assert_null(page_cache_get(cache, "page/0"));
    page_cache_free(cache);
    assert_int_equal(dropped, 5000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_after_put),
        cmocka_unit_test(test_put_replaces),
        cmocka_unit_test(test_budget_evicts_least_recently_used),
        cmocka_unit_test(test_too_large_is_dropped),
        cmocka_unit_test(test_off),
        cmocka_unit_test(test_many_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
