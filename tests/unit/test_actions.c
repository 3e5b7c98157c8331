/* test_actions.c: unit tests of actions. */
#include "harness.h"

static void test_placeholder(void **state)
{
    (void)state;
    lint_md("# A\n");
    assert_non_null(last_doc());
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placeholder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
