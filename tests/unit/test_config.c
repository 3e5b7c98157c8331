/* test_config.c: `.debrief.yml` reading and discovery, and inline
 * `<!-- debrief-disable … -->` comments, as a user of dbf_lint sees them.
 *
 * Each test writes its files under a fresh temporary folder. Two rules that
 * surely fire are watched: structure/missing-section on a bare document (at
 * its title) and language/counterfactual on the line of "should have"; each
 * test first checks that its rule does fire where it is not silenced. */
#include "harness.h"
#include "lint/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RULE "language/counterfactual"
#define MISSING "structure/missing-section"

/* A document with a title and no sections. */
static const char bare_doc[] = "# Search results stale for 52 minutes\n"
                               "\n"
                               "The search index was rebuilt from a stale snapshot.\n";

/* A document whose line 3 is a counterfactual. */
static const char counterfactual_doc[] =
    "# Search results stale for 52 minutes\n"
    "\n"
    "The on-call engineer should have paged the database team sooner.\n";

static char folder[256];

static int make_folder(void **state)
{
    (void)state;
    snprintf(folder, sizeof folder, "/tmp/debrief-test-config-XXXXXX");
    return mkdtemp(folder) ? 0 : -1;
}

static int remove_folder(void **state)
{
    (void)state;
    char command[320];
    snprintf(command, sizeof command, "rm -rf '%s'", folder);
    return system(command) == 0 ? 0 : -1;
}

/* Writes TEXT to FOLDER/NAME (sub-folders made as needed); returns the path. */
static const char *write_file(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    for (char *slash = strchr(path + strlen(folder) + 1, '/'); slash;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Loads TEXT as a .debrief.yml; ERR gets the message on failure. */
static struct dbf_config *load(const char *text, bool expect_ok, char *err, size_t errlen)
{
    struct dbf_config *config = dbf_config_new();
    assert_non_null(config);
    bool ok = dbf_config_load(config, write_file(".debrief.yml", text), err, errlen);
    if (ok != expect_ok)
        fprintf(stderr, "dbf_config_load: %s\n", ok ? "accepted" : err);
    assert_true(ok == expect_ok);
    return config;
}

static void assert_error(const char *yaml, int line, const char *words)
{
    char err[512] = "";
    struct dbf_config *config = load(yaml, false, err, sizeof err);
    char where[320];
    snprintf(where, sizeof where, "%s/.debrief.yml:%d: ", folder, line);
    if (strncmp(err, where, strlen(where)) != 0 || !strstr(err, words))
        fprintf(stderr, "expected '%s…%s', got '%s'\n", where, words, err);
    assert_true(strncmp(err, where, strlen(where)) == 0);
    assert_non_null(strstr(err, words));
    dbf_config_free(config);
}

/* The severity of the first finding of RULE in the last review, -1 when none. */
static int severity_found(const struct dbf_review *review, const char *rule)
{
    for (size_t i = 0; i < review->finding_count; i++)
        if (strcmp(review->findings[i].rule, rule) == 0)
            return (int)review->findings[i].severity;
    print_findings();
    return -1;
}

static int default_severity(const char *rule)
{
    const struct dbf_rule_info *info = dbf_rule_find(rule);
    return info ? (int)info->severity : -1;
}

static void test_defaults(void **state)
{
    (void)state;
    struct dbf_config *config = dbf_config_new();
    assert_int_equal(dbf_config_option(config, "timeline/gap", "minutes"), 15);
    assert_int_equal(dbf_config_option(config, "actions/deadline-too-far", "days"), 45);
    assert_int_equal(dbf_config_option(config, "timeline/gap", "hours"), -1);
    assert_int_equal(dbf_config_option(config, "no/such-rule", "minutes"), -1);
    assert_false(dbf_config_set_option(config, "timeline/gap", "hours", 3));
    assert_false(dbf_config_set_severity(config, "no/such-rule", DBF_ERROR));
    dbf_config_free(config);
}

static void test_rules_fire_without_config(void **state)
{
    (void)state;
    const struct dbf_review *review = lint_md(bare_doc);
    assert_int_equal(severity_found(review, MISSING), default_severity(MISSING));
    assert_int_equal(first_line_of(MISSING), 1);
    review = lint_md(counterfactual_doc);
    assert_int_equal(severity_found(review, RULE), default_severity(RULE));
    assert_int_equal(first_line_of(RULE), 3);
    lint_done();
}

static void test_severity_and_options(void **state)
{
    (void)state;
    char err[512];
    struct dbf_config *config = load("# team-wide settings\n"
                                     "rules:\n"
                                     "  structure/missing-section: info\n"
                                     "  actions/no-priority: off\n"
                                     "  timeline/gap: { severity: info, minutes: 30 }\n"
                                     "  actions/deadline-too-far:\n"
                                     "    days: 60\n",
                                     true, err, sizeof err);
    assert_int_equal(dbf_config_option(config, "timeline/gap", "minutes"), 30);
    assert_int_equal(dbf_config_option(config, "actions/deadline-too-far", "days"), 60);
    assert_int_equal(dbf_config_option(config, "summary/too-long", "words"), 150);
    dbf_config_set_today(config, (struct dbf_date){2026, 11, 26});

    assert_int_equal(severity_found(lint_md_with(bare_doc, config), MISSING), DBF_INFO);
    dbf_config_free(config);
    lint_done();
}

static void test_off_disables_a_rule(void **state)
{
    (void)state;
    char err[512];
    struct dbf_config *config =
        load("rules:\n  structure/missing-section: off\n", true, err, sizeof err);
    lint_md_with(bare_doc, config);
    assert_int_equal(findings_of(MISSING), 0);
    dbf_config_free(config);
    lint_done();
}

static void test_on_restores_the_default(void **state)
{
    (void)state;
    char err[512];
    struct dbf_config *config =
        load("rules:\n  structure/missing-section: off\n", true, err, sizeof err);
    assert_true(dbf_config_load(
        config, write_file("second.yml", "rules:\n  structure/missing-section: on\n"), err,
        sizeof err));
    assert_int_equal(severity_found(lint_md_with(bare_doc, config), MISSING),
                     default_severity(MISSING));
    dbf_config_free(config);
    lint_done();
}

static void test_acronyms_and_teams(void **state)
{
    (void)state;
    char err[512];
    struct dbf_config *config = load("acronyms: [WAL, PgBouncer]\n"
                                     "teams:\n  - payments\n  - storefront\n",
                                     true, err, sizeof err);
    struct dbf__lint lint = {.config = config};
    assert_true(dbf__acronym_allowed(&lint, "WAL", 3));
    assert_true(dbf__acronym_allowed(&lint, "PgBouncer", 9));
    assert_false(dbf__acronym_allowed(&lint, "WMQ", 3));
    assert_true(dbf__is_team(&lint, "payments"));
    assert_true(dbf__is_team(&lint, "Storefront"));
    assert_false(dbf__is_team(&lint, "Lena Brandt"));
    dbf_config_free(config);
}

static void test_a_single_word_list(void **state)
{
    (void)state;
    char err[512];
    struct dbf_config *config = load("acronyms: WMQ\n", true, err, sizeof err);
    struct dbf__lint lint = {.config = config};
    assert_true(dbf__acronym_allowed(&lint, "WMQ", 3));
    dbf_config_free(config);
}

static void test_empty_file_is_fine(void **state)
{
    (void)state;
    char err[512];
    dbf_config_free(load("", true, err, sizeof err));
    dbf_config_free(load("# nothing configured yet\n", true, err, sizeof err));
}

static void test_errors_name_file_and_line(void **state)
{
    (void)state;
    assert_error("rules:\n  language/counterfactual: error\n  actions/no-owners: off\n", 3,
                 "unknown rule 'actions/no-owners'");
    assert_error("rules:\n  timeline/gap: loud\n", 2,
                 "severity must be off, info, warning or error");
    assert_error("rules:\n  timeline/gap:\n    minutes: soon\n", 3, "whole number");
    assert_error("rules:\n  timeline/gap:\n    hours: 2\n", 3, "unknown option 'hours'");
    assert_error("acronyms: [WAL]\nteam: [payments]\n", 2, "unknown key 'team'");
    assert_error("acronyms:\n  name: WAL\n", 2, "'acronyms' must be a list");
    assert_error("rules:\n  - timeline/gap\n", 2, "'rules' must map rule ids");
    assert_error("- just\n- a list\n", 1, "must be a mapping");
    assert_error("rules:\n  timeline/gap: [info\n", 3, "not valid YAML");
    assert_error("rules:\n\ttimeline/gap: info\n", 2, "not valid YAML");
}

static void test_missing_file(void **state)
{
    (void)state;
    char err[512] = "";
    char path[320];
    snprintf(path, sizeof path, "%s/absent.yml", folder);
    struct dbf_config *config = dbf_config_new();
    assert_false(dbf_config_load(config, path, err, sizeof err));
    assert_non_null(strstr(err, "absent.yml"));
    assert_false(dbf_config_load(config, path, NULL, 0));
    dbf_config_free(config);
}

static void test_discovery_goes_upward(void **state)
{
    (void)state;
    char expected[512];
    write_file("team/.debrief.yml", "rules: {}\n");
    snprintf(expected, sizeof expected, "%s/team/.debrief.yml", folder);
    char real[4096];
    assert_non_null(realpath(expected, real));

    char *found = dbf_config_discover(write_file("team/2026/q1/outage.md", "# Outage\n"));
    assert_non_null(found);
    assert_string_equal(found, real);
    free(found);

    char dir[512];
    snprintf(dir, sizeof dir, "%s/team/2026", folder);
    found = dbf_config_discover(dir);
    assert_non_null(found);
    assert_string_equal(found, real);
    free(found);
}

static void test_nearest_config_wins(void **state)
{
    (void)state;
    write_file("org/.debrief.yml", "rules: {}\n");
    write_file("org/payments/.debrief.yml", "rules: {}\n");
    char *found = dbf_config_discover(write_file("org/payments/card-declines.md", "# Declines\n"));
    assert_non_null(found);
    size_t n = strlen(found), tail = strlen("/org/payments/.debrief.yml");
    assert_true(n > tail);
    assert_string_equal(found + n - tail, "/org/payments/.debrief.yml");
    free(found);
}

static void test_no_config_anywhere(void **state)
{
    (void)state;
    char *found = dbf_config_discover(write_file("lonely/outage.md", "# Outage\n"));
    /* Only a config above the temporary folder could be found. */
    if (found) {
        char real[4096];
        assert_non_null(realpath(folder, real));
        assert_true(strncmp(found, real, strlen(real)) != 0);
    }
    free(found);
    assert_null(dbf_config_discover("/no/such/folder/outage.md"));
}

static void test_disable_next_line_above_the_title(void **state)
{
    (void)state;
    assert_fires("\n# Search results stale for 52 minutes\n\nThe index was rebuilt.\n", MISSING, 2);
    assert_silent("<!-- debrief-disable-next-line structure/missing-section -->\n"
                  "# Search results stale for 52 minutes\n\nThe index was rebuilt.\n",
                  MISSING);
    assert_fires("<!-- debrief-disable-next-line structure/missing-section -->\n"
                 "\n# Search results stale for 52 minutes\n\nThe index was rebuilt.\n",
                 MISSING, 3);
    lint_done();
}

static void test_disable_above_the_body_covers_the_title(void **state)
{
    (void)state;
    assert_silent("<!-- debrief-disable structure/missing-section -->\n"
                  "# Search results stale for 52 minutes\n\nThe index was rebuilt.\n",
                  MISSING);
    /* Right after the front matter, it covers the front matter's title too. */
    static const char front[] = "---\ntitle: Checkout errors\nseverity: SEV2\n---\n"
                                "%s# Checkout errors\n\nSome text.\n";
    char text[256];
    snprintf(text, sizeof text, front, "");
    assert_fires(text, "title/missing-scope", 2);
    snprintf(text, sizeof text, front, "<!-- debrief-disable title/missing-scope -->\n");
    assert_silent(text, "title/missing-scope");
    lint_done();
}

static void test_disable_next_line(void **state)
{
    (void)state;
    assert_fires(counterfactual_doc, RULE, 3);
    assert_silent("# Search results stale for 52 minutes\n"
                  "\n"
                  "<!-- debrief-disable-next-line language/counterfactual -->\n"
                  "The on-call engineer should have paged the database team sooner.\n",
                  RULE);
    /* Only the next line: the one after it is still reviewed. */
    assert_fires("# Search results stale for 52 minutes\n"
                 "\n"
                 "<!-- debrief-disable-next-line language/counterfactual -->\n"
                 "The alert fired at 14:15 UTC.\n"
                 "The on-call engineer should have paged the database team sooner.\n",
                 RULE, 5);
    lint_done();
}

static void test_disable_names_other_rule(void **state)
{
    (void)state;
    assert_fires("# Search results stale for 52 minutes\n"
                 "\n"
                 "<!-- debrief-disable-next-line language/blame -->\n"
                 "The on-call engineer should have paged the database team sooner.\n",
                 RULE, 4);
    lint_done();
}

static void test_disable_until_enable(void **state)
{
    (void)state;
    static const char text[] = "# Search results stale for 52 minutes\n"
                               "\n"
                               "<!-- debrief-disable language/counterfactual -->\n"
                               "The on-call engineer should have paged the database team sooner.\n"
                               "<!-- debrief-enable language/counterfactual -->\n"
                               "\n"
                               "The release manager could have rolled back at 14:20 UTC.\n";
    lint_md(text);
    assert_false(fires_at(RULE, 4));
    if (!fires_at(RULE, 7))
        print_findings();
    assert_true(fires_at(RULE, 7));
    lint_done();
}

static void test_disable_everything(void **state)
{
    (void)state;
    static const char text[] = "<!-- debrief-disable -->\n"
                               "# Search results stale for 52 minutes\n"
                               "\n"
                               "The on-call engineer should have paged the database team sooner.\n";
    const struct dbf_review *review = lint_md(text);
    if (review->finding_count)
        print_findings();
    assert_int_equal(review->finding_count, 0);
    lint_done();
}

static void test_disable_two_rules_in_one_comment(void **state)
{
    (void)state;
    static const char text[] = "# Search results stale for 52 minutes\n"
                               "\n"
                               "<!-- debrief-disable language/blame, language/counterfactual -->\n"
                               "The on-call engineer should have paged the database team sooner.\n";
    assert_silent(text, RULE);
    lint_done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_rules_fire_without_config),
        cmocka_unit_test_setup_teardown(test_severity_and_options, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(test_off_disables_a_rule, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(test_on_restores_the_default, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(test_acronyms_and_teams, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(test_a_single_word_list, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(test_empty_file_is_fine, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(test_errors_name_file_and_line, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(test_missing_file, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(test_discovery_goes_upward, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(test_nearest_config_wins, make_folder, remove_folder),
        cmocka_unit_test_setup_teardown(test_no_config_anywhere, make_folder, remove_folder),
        cmocka_unit_test(test_disable_next_line_above_the_title),
        cmocka_unit_test(test_disable_above_the_body_covers_the_title),
        cmocka_unit_test(test_disable_next_line),
        cmocka_unit_test(test_disable_names_other_rule),
        cmocka_unit_test(test_disable_until_enable),
        cmocka_unit_test(test_disable_everything),
        cmocka_unit_test(test_disable_two_rules_in_one_comment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
