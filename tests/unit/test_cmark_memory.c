/* test_cmark_memory.c: the scratch memory cmark-gfm parses documents in:
 * what it hands out, grows, moves and takes back, one user per thread, and
 * documents parsed in it as with cmark-gfm's own allocator. */
#include "harness.h"
#include "parse/cmark_memory.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

static void test_calloc_realloc_release(void **state)
{
    (void)state;
    cmark_mem *mem = dbf__cmark_memory_begin(100);
    assert_non_null(mem);
    unsigned char *a = mem->calloc(10, 7);
    for (size_t i = 0; i < 70; i++)
        assert_int_equal(a[i], 0);
    assert_int_equal((uintptr_t)a % 16, 0);
    memset(a, 'a', 70);
    /* The newest allocation grows where it is. */
    unsigned char *grown = mem->realloc(a, 500);
    assert_ptr_equal(grown, a);
    /* One below it moves, with what it held. */
    unsigned char *b = mem->calloc(1, 32);
    unsigned char *moved = mem->realloc(grown, 4000);
    assert_ptr_not_equal(moved, grown);
    for (size_t i = 0; i < 70; i++)
        assert_int_equal(moved[i], 'a');
    /* Shrinking keeps it. */
    assert_ptr_equal(mem->realloc(b, 8), b);
    /* The newest, released, is handed out again; an older one stays. */
    mem->free(moved);
    unsigned char *again = mem->calloc(1, 4000);
    assert_ptr_equal(again, moved);
    mem->free(b);
    mem->free(NULL);
    /* Larger than a chunk. */
    unsigned char *big = mem->calloc(1, 3u << 20);
    big[(3u << 20) - 1] = 1;
    unsigned char *bigger = mem->realloc(big, 5u << 20);
    assert_int_equal(bigger[(3u << 20) - 1], 1);
    dbf__cmark_memory_end();
}

static void test_one_user_per_thread(void **state)
{
    (void)state;
    assert_non_null(dbf__cmark_memory_begin(10));
    assert_null(dbf__cmark_memory_begin(10)); /* in use */
    dbf__cmark_memory_end();
    assert_non_null(dbf__cmark_memory_begin(10));
    dbf__cmark_memory_end();
    assert_null(dbf__cmark_memory_begin(DBF__CMARK_MEMORY_MOST + 1)); /* too long a text */
}

/* The HTML of TEXT parsed with MEM (NULL: cmark-gfm's own allocator). */
static char *html_of(const char *text, cmark_mem *mem)
{
    cmark_parser *parser = mem ? cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS, mem)
                               : cmark_parser_new(CMARK_OPT_SOURCEPOS);
    cmark_parser_feed(parser, text, strlen(text));
    cmark_node *root = cmark_parser_finish(parser);
    char *html = cmark_render_html(root, CMARK_OPT_SOURCEPOS, NULL);
    char *copy = strdup(html);
    (mem ? mem : cmark_get_default_mem_allocator())->free(html);
    if (!mem) {
        cmark_node_free(root);
        cmark_parser_free(parser);
    }
    return copy;
}

static void *parse_on_a_thread(void *arg)
{
    const char *text = arg;
    for (int i = 0; i < 10; i++) {
        cmark_mem *mem = dbf__cmark_memory_begin(strlen(text));
        if (!mem)
            return (void *)1;
        char *a = html_of(text, mem);
        dbf__cmark_memory_end();
        char *b = html_of(text, NULL);
        bool same = strcmp(a, b) == 0;
        free(a);
        free(b);
        if (!same)
            return (void *)1;
    }
    return NULL;
}

static void test_documents_parse_as_with_cmarks_allocator(void **state)
{
    (void)state;
    /* Long enough that buffers grow and move many times. */
    static char text[100000];
    size_t n = 0;
    while (n + 200 < sizeof text)
        n += (size_t)snprintf(
            text + n, sizeof text - n,
            "## Part %zu\n\nSome *emphasis*, `code` and [a link](https://x.example/%zu)"
            " in a paragraph that runs on.\n\n- one\n- two\n\n",
            n, n);
    pthread_t threads[3];
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, parse_on_a_thread, text), 0);
    for (size_t i = 0; i < 3; i++) {
        void *failed;
        pthread_join(threads[i], &failed);
        assert_null(failed);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calloc_realloc_release),
        cmocka_unit_test(test_one_user_per_thread),
        cmocka_unit_test(test_documents_parse_as_with_cmarks_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
