/* test_yaml_tree.c: YAML read from libyaml's events into a tree: the
 * shape and marks of the document libyaml's loader gives, its errors for
 * anchors, only the first document read. */
#include "harness.h"
#include "util/arena.h"
#include "util/yaml_tree.h"

#include <string.h>

static struct dbf__arena arena;

static struct dbf__yaml_node *read_ok(const char *text)
{
    struct dbf__yaml_node *root = (struct dbf__yaml_node *)&arena; /* any non-NULL */
    struct dbf__yaml_error err;
    if (!dbf__yaml_read(&arena, text, strlen(text), &root, &err))
        fail_msg("'%s': %zu:%zu: %s", text, err.line, err.column, err.problem);
    return root;
}

static struct dbf__yaml_error read_fails(const char *text)
{
    struct dbf__yaml_node *root = NULL;
    struct dbf__yaml_error err = {0, 0, NULL};
    assert_false(dbf__yaml_read(&arena, text, strlen(text), &root, &err));
    assert_null(root);
    assert_non_null(err.problem);
    return err;
}

static void test_collections_in_order_with_their_marks(void **state)
{
    (void)state;
    struct dbf__yaml_node *root = read_ok("a: 1\nb: [x, y]\nc:\n  - z\n  - {k: v}\n");
    assert_int_equal(root->kind, DBF__YAML_MAPPING);
    assert_int_equal(root->count, 6);
    assert_string_equal(root->items[0]->text, "a");
    assert_string_equal(root->items[1]->text, "1");
    const struct dbf__yaml_node *b = dbf__yaml_get(root, "b");
    assert_int_equal(b->kind, DBF__YAML_SEQUENCE);
    assert_int_equal(b->count, 2);
    assert_string_equal(b->items[0]->text, "x");
    assert_string_equal(b->items[1]->text, "y");
    assert_int_equal(b->line, 1);
    assert_int_equal(b->column, 3);
    const struct dbf__yaml_node *c = dbf__yaml_get(root, "C"); /* keys without case */
    assert_int_equal(c->count, 2);
    assert_string_equal(c->items[0]->text, "z");
    assert_int_equal(c->items[0]->line, 3);
    assert_int_equal(c->items[0]->column, 4);
    assert_string_equal(dbf__yaml_get(c->items[1], "k")->text, "v");
    assert_null(dbf__yaml_get(root, "d"));
    assert_null(dbf__yaml_get(b, "x")); /* not a mapping */
}

static void test_scalars_keep_their_style_and_length(void **state)
{
    (void)state;
    struct dbf__yaml_node *root = read_ok("a: ''\nb:\nc: \"x\\0y\"\nd: |\n  one\n  two\n");
    const struct dbf__yaml_node *a = dbf__yaml_get(root, "a"), *b = dbf__yaml_get(root, "b");
    assert_false(a->plain);
    assert_int_equal(a->len, 0);
    assert_true(b->plain);
    assert_string_equal(b->text, "");
    assert_int_equal(dbf__yaml_get(root, "c")->len, 3);
    assert_string_equal(dbf__yaml_get(root, "d")->text, "one\ntwo\n");
}

static void test_an_alias_is_its_anchored_node(void **state)
{
    (void)state;
    struct dbf__yaml_node *root = read_ok("t: &x hi\nu: *x\nl: &s [a, b]\nm: *s\n");
    assert_ptr_equal(root->items[1], root->items[3]);
    assert_ptr_equal(root->items[5], root->items[7]);
    assert_int_equal(root->items[7]->count, 2);
    /* An alias inside its own anchor's collection: a cycle, as the loader's. */
    root = read_ok("&self [a, *self]\n");
    assert_ptr_equal(root->items[1], root);
}

static void test_anchor_errors(void **state)
{
    (void)state;
    struct dbf__yaml_error err = read_fails("a: &x 1\nb: &x 2\n");
    assert_string_equal(err.problem, "found duplicate anchor");
    assert_int_equal(err.line, 1);
    err = read_fails("a: 1\nb: *nope\n");
    assert_string_equal(err.problem, "found undefined alias");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 3);
}

static void test_syntax_errors_are_libyamls(void **state)
{
    (void)state;
    struct dbf__yaml_error err = read_fails("a: [1, 2\n");
    assert_int_equal(err.line, 1);
    err = read_fails("a: b\n c: d\n");
    assert_int_equal(err.line, 1);
}

static void test_only_the_first_document(void **state)
{
    (void)state;
    assert_null(read_ok(""));
    assert_null(read_ok("# a comment only\n"));
    struct dbf__yaml_node *root = read_ok("a: 1\n---\nb: [broken\n");
    assert_int_equal(root->count, 2);
    assert_string_equal(root->items[0]->text, "a");
    root = read_ok("just text\n...\n");
    assert_int_equal(root->kind, DBF__YAML_SCALAR);
    assert_string_equal(root->text, "just text");
}

static int setup(void **state)
{
    (void)state;
    dbf__arena_init(&arena);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dbf__arena_release(&arena);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_collections_in_order_with_their_marks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_scalars_keep_their_style_and_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_alias_is_its_anchored_node, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchor_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_errors_are_libyamls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_the_first_document, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
