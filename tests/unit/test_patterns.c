/* test_patterns.c: the classifier on real sentences, dates and periods, the
 * recurrence rule, repeated action items and the `patterns:` configuration. */
#include "harness.h"
#include "patterns/repeats.h"
#include "patterns/taxonomy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A sentence, where it is written and the one category it must put a post
 * mortem in ("" for none: a near miss). */
struct sentence {
    const char *text;
    enum dbf_text_role role;
    const char *category;
};

static const struct sentence sentences[] = {
    /* monitoring gap */
    {"No alert fired when the consumer lag on the billing queue passed an hour.", DBF_TEXT_CAUSE,
     "monitoring-gap"},
    {"The health check did not detect the deadlocked workers because it only probes the port.",
     DBF_TEXT_CAUSE, "monitoring-gap"},
    {"We found out from a customer tweet, forty minutes in.", DBF_TEXT_CAUSE, "monitoring-gap"},
    {"The certificate expiry went unnoticed for weeks.", DBF_TEXT_CAUSE, "monitoring-gap"},
    {"Add an alert on replication lag above 30 seconds", DBF_TEXT_ACTION, "monitoring-gap"},
    {"Alerting paged the on-call engineer within two minutes, as expected.", DBF_TEXT_CAUSE, ""},
    {"The dashboard showed the error rate climbing from 14:05.", DBF_TEXT_CAUSE, ""},
    /* test gap */
    {"The new date parser had no tests for leap days.", DBF_TEXT_CAUSE, "test-gap"},
    {"Our integration tests did not cover a partial response from the ledger.", DBF_TEXT_CAUSE,
     "test-gap"},
    {"The retry path was never tested.", DBF_TEXT_CAUSE, "test-gap"},
    {"Write regression tests for empty carts", DBF_TEXT_ACTION, "test-gap"},
    {"The test suite caught the same bug in the previous release.", DBF_TEXT_CAUSE, ""},
    {"Create pingdom alerts for test", DBF_TEXT_ACTION, "monitoring-gap"},
    /* staging drift */
    {"The migration worked in staging, where the table holds 3,000 rows instead of 40 million.",
     DBF_TEXT_CAUSE, "staging-drift"},
    {"Staging does not have the regional load balancer that production uses.", DBF_TEXT_CAUSE,
     "staging-drift"},
    {"The race only happens in production under real concurrency.", DBF_TEXT_CAUSE,
     "staging-drift"},
    {"Load production-like data into the staging database every week", DBF_TEXT_ACTION,
     "staging-drift"},
    {"Staging and production run the same version of the router.", DBF_TEXT_CAUSE, ""},
    /* manual error */
    {"An engineer accidentally ran the cleanup against the production cluster.", DBF_TEXT_CAUSE,
     "manual-error"},
    {"A typo in the hostname sent writes to the old primary.", DBF_TEXT_CAUSE, "manual-error"},
    {"Renewal relied on someone remembering to run the script every 90 days.", DBF_TEXT_CAUSE,
     "manual-error"},
    {"Automate the certificate renewal", DBF_TEXT_ACTION, "manual-error"},
    {"This was not a human error: the tool chose the target itself.", DBF_TEXT_CAUSE, ""},
    /* deployment */
    {"Release 2.14 introduced a regression in session handling.", DBF_TEXT_CAUSE, "deployment"},
    {"The new build was rolled out to every region at once.", DBF_TEXT_CAUSE, "deployment"},
    {"Errors began minutes after the checkout-api deployment.", DBF_TEXT_CAUSE, "deployment"},
    {"Add a canary stage to the search deploy pipeline", DBF_TEXT_ACTION, "deployment"},
    {"There were no recent deployments to the service.", DBF_TEXT_CAUSE, ""},
    {"The canary caught the bad build and halted the rollout.", DBF_TEXT_CAUSE, ""},
    /* dependency */
    {"Our upstream geocoding provider had an outage for two hours.", DBF_TEXT_CAUSE,
     "dependency"},
    {"A breaking change in a third-party library changed how dates are serialised.",
     DBF_TEXT_CAUSE, "dependency"},
    {"We ruled out a dependency outage early on.", DBF_TEXT_CAUSE, ""},
    {"Disable SMS fallback for two-factor sign-in", DBF_TEXT_ACTION, ""},
    /* capacity */
    {"The connection pool was exhausted at 200 connections.", DBF_TEXT_CAUSE, "capacity"},
    {"The brokers ran out of disk space.", DBF_TEXT_CAUSE, "capacity"},
    {"Repeated OOM kills took the workers down one by one.", DBF_TEXT_CAUSE, "capacity"},
    {"Raise the connection limit of the pool to 400", DBF_TEXT_ACTION, "capacity"},
    {"The cluster had plenty of headroom throughout.", DBF_TEXT_CAUSE, ""},
    /* configuration change */
    {"A configuration change lowered the request timeout from 30 to 3 seconds.", DBF_TEXT_CAUSE,
     "config-change"},
    {"A misconfigured firewall rule blocked the cache port.", DBF_TEXT_CAUSE, "config-change"},
    {"Validate the routing config in CI before merging", DBF_TEXT_ACTION, "config-change"},
    {"There was no configuration change in the week before.", DBF_TEXT_CAUSE, ""},
    /* rollback failure */
    {"The rollback failed because the migration had already dropped the column.",
     DBF_TEXT_CAUSE, "rollback-failure"},
    {"We were unable to roll back since the old image was gone from the registry.",
     DBF_TEXT_CAUSE, "rollback-failure"},
    {"Test the rollback of the schema migration every release", DBF_TEXT_ACTION,
     "rollback-failure"},
    {"Rolling back the release restored service within four minutes.", DBF_TEXT_CAUSE, ""},
    /* change during peak traffic */
    {"The index migration was started during the evening peak.", DBF_TEXT_CAUSE,
     "peak-traffic"},
    {"During peak traffic an engineer restarted the cluster to apply a patch.", DBF_TEXT_CAUSE,
     "peak-traffic"},
    {"Add a change freeze for the holiday season", DBF_TEXT_ACTION, "peak-traffic"},
    {"Traffic peaked at 4,000 requests per second at 14:00.", DBF_TEXT_CAUSE, ""},
};

static struct dbf_taxonomy *builtin(void)
{
    char err[256];
    struct dbf_taxonomy *t = dbf_taxonomy_new(NULL, err, sizeof err);
    assert_non_null(t);
    return t;
}

static void test_patterns_compile(void **state)
{
    (void)state;
    char err[512];
    bool ok = dbf__taxonomy_check(err, sizeof err);
    if (!ok)
        fprintf(stderr, "%s\n", err);
    assert_true(ok);
    assert_true(dbf__classify_check(err, sizeof err));
    assert_true(dbf__repeats_check(err, sizeof err));
}

static void test_builtin_categories(void **state)
{
    (void)state;
    static const char *const ids[] = {"monitoring-gap", "test-gap", "staging-drift",
                                      "manual-error", "deployment", "dependency", "capacity",
                                      "config-change", "rollback-failure", "peak-traffic"};
    struct dbf_taxonomy *t = builtin();
    assert_int_equal(dbf_taxonomy_count(t), 10);
    for (size_t i = 0; i < 10; i++) {
        assert_int_equal(dbf_taxonomy_find(t, ids[i]), (int)i);
        assert_true(strlen(dbf_taxonomy_at(t, i)->meaning) > 40);
    }
    assert_non_null(strstr(dbf_taxonomy_at(t, 0)->meaning, "framework for deciding what to monitor"));
    assert_non_null(strstr(dbf_taxonomy_at(t, 3)->meaning, "human perfection"));
    dbf_taxonomy_free(t);
}

static void test_sentences(void **state)
{
    (void)state;
    struct dbf_taxonomy *t = builtin();
    int wrong = 0;
    for (size_t i = 0; i < sizeof sentences / sizeof sentences[0]; i++) {
        const struct sentence *s = &sentences[i];
        struct dbf_category_evidence ev[DBF_MAX_CATEGORIES];
        uint64_t found = dbf_taxonomy_classify_text(t, s->text, strlen(s->text), s->role, ev);
        uint64_t want = 0;
        if (*s->category)
            want = (uint64_t)1 << dbf_taxonomy_find(t, s->category);
        if (found != want) {
            fprintf(stderr, "'%s': want '%s', got", s->text, s->category);
            for (size_t c = 0; c < dbf_taxonomy_count(t); c++)
                if ((found >> c) & 1)
                    fprintf(stderr, " %s ('%s')", dbf_taxonomy_at(t, c)->id, ev[c].text);
            fprintf(stderr, "\n");
            wrong++;
        }
    }
    assert_int_equal(wrong, 0);
    dbf_taxonomy_free(t);
}

/* Roles: "add an alert" is a monitoring gap as an action item, not as a cause. */
static void test_roles(void **state)
{
    (void)state;
    struct dbf_taxonomy *t = builtin();
    const char *text = "Automate the failover";
    assert_int_equal(dbf_taxonomy_classify_text(t, text, strlen(text), DBF_TEXT_CAUSE, NULL), 0);
    assert_int_not_equal(dbf_taxonomy_classify_text(t, text, strlen(text), DBF_TEXT_ACTION, NULL),
                         0);
    dbf_taxonomy_free(t);
}

/* A veto holds inside its own sentence only. */
static void test_veto_is_per_sentence(void **state)
{
    (void)state;
    struct dbf_taxonomy *t = builtin();
    const char *text = "There were no recent deployments to search. Errors began minutes after the "
                       "billing deployment.";
    uint64_t found = dbf_taxonomy_classify_text(t, text, strlen(text), DBF_TEXT_CAUSE, NULL);
    assert_int_equal(found, (uint64_t)1 << dbf_taxonomy_find(t, "deployment"));
    dbf_taxonomy_free(t);
}

static struct dbf_doc *parse(const char *path, const char *text)
{
    char err[256];
    struct dbf_doc *doc = dbf_doc_parse(path, text, strlen(text), err, sizeof err);
    if (!doc)
        fprintf(stderr, "%s\n", err);
    assert_non_null(doc);
    return doc;
}

static void test_document_sections(void **state)
{
    (void)state;
    struct dbf_taxonomy *t = builtin();
    struct dbf_doc *doc = parse("x.md", "# Search down for 20 minutes\n\n"
                                        "## Summary\n\nSearch returned errors.\n\n"
                                        "## Impact\n\nThe pool was exhausted for everyone.\n\n"
                                        "## Root cause\n\n### Contributing factors\n\n"
                                        "- A typo in the hostname sent writes to the old primary.\n\n"
                                        "## Action items\n\n"
                                        "1. Add an alert on pool saturation (owner: @ana, due: "
                                        "2026-03-01)\n");
    struct dbf_category_evidence ev[DBF_MAX_CATEGORIES];
    uint64_t found = dbf_taxonomy_classify(t, doc, ev);
    int manual = dbf_taxonomy_find(t, "manual-error"), monitor = dbf_taxonomy_find(t, "monitoring-gap");
    /* The impact section is not a cause: "exhausted" there says nothing. */
    assert_int_equal(found, ((uint64_t)1 << manual) | ((uint64_t)1 << monitor));
    assert_int_equal(ev[manual].line, 15);
    assert_string_equal(ev[manual].text, "typo");
    assert_int_equal(ev[monitor].line, 19);
    dbf_doc_free(doc);
    dbf_taxonomy_free(t);
}

static void test_periods(void **state)
{
    (void)state;
    char label[16];
    struct {
        struct dbf_date date;
        const char *quarter, *month;
    } cases[] = {
        {{2026, 1, 1}, "2026-Q1", "2026-01"},   {{2026, 3, 31}, "2026-Q1", "2026-03"},
        {{2026, 4, 1}, "2026-Q2", "2026-04"},   {{2026, 6, 30}, "2026-Q2", "2026-06"},
        {{2026, 9, 30}, "2026-Q3", "2026-09"},  {{2026, 10, 1}, "2026-Q4", "2026-10"},
        {{2025, 12, 31}, "2025-Q4", "2025-12"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int q = dbf_period_of(DBF_PERIOD_QUARTER, cases[i].date);
        int m = dbf_period_of(DBF_PERIOD_MONTH, cases[i].date);
        assert_string_equal(dbf_period_label(DBF_PERIOD_QUARTER, q, label, sizeof label),
                            cases[i].quarter);
        assert_string_equal(dbf_period_label(DBF_PERIOD_MONTH, m, label, sizeof label),
                            cases[i].month);
    }
    struct dbf_date dec = {2025, 12, 31}, jan = {2026, 1, 1};
    assert_int_equal(dbf_period_of(DBF_PERIOD_QUARTER, jan) - dbf_period_of(DBF_PERIOD_QUARTER, dec), 1);
    assert_int_equal(dbf_period_of(DBF_PERIOD_MONTH, jan) - dbf_period_of(DBF_PERIOD_MONTH, dec), 1);
}

static void assert_date(const char *path, const char *text, enum dbf_date_source source, int y,
                        int m, int d)
{
    struct dbf_doc *doc = parse(path, text);
    struct dbf_date date;
    enum dbf_date_source got = dbf_pattern_doc_date(doc, &date);
    if (got != source || date.year != y || date.month != m || date.day != d)
        fprintf(stderr, "%s: got %s %04d-%02d-%02d\n", path, dbf_date_source_name(got), date.year,
                date.month, date.day);
    assert_int_equal(got, source);
    assert_int_equal(date.year, y);
    assert_int_equal(date.month, m);
    assert_int_equal(date.day, d);
    dbf_doc_free(doc);
}

/* The day is the one the team lived through, in the document's zone. */
static void test_dates_and_zones(void **state)
{
    (void)state;
    /* 23:30 in New York on 31 March is 1 April in UTC: still the first quarter. */
    assert_date("a.md",
                "---\ntimezone: America/New_York\nincident:\n  impact_start: "
                "2026-03-31T23:30:00-04:00\n---\n# A\n",
                DBF_DATE_INCIDENT, 2026, 3, 31);
    /* The same instant written in UTC: the New York team's day is still 31 March ... */
    assert_date("b.md",
                "---\ntimezone: America/New_York\nincident:\n  impact_start: "
                "2026-04-01T03:30:00Z\n---\n# B\n",
                DBF_DATE_INCIDENT, 2026, 3, 31);
    /* ... and a team in UTC lived it on 1 April, in the second quarter. */
    assert_date("b2.md",
                "---\ntimezone: UTC\nincident:\n  impact_start: 2026-04-01T03:30:00Z\n---\n# B\n",
                DBF_DATE_INCIDENT, 2026, 4, 1);
    /* 00:30 in Tokyo on 1 July is 30 June in UTC. */
    assert_date("c.md",
                "---\ntimezone: Asia/Tokyo\nincident:\n  detected: 2025-07-01T00:30:00+09:00\n---\n# C\n",
                DBF_DATE_INCIDENT, 2025, 7, 1);
    /* The day the impact began, not the day of the change before it. */
    assert_date("d.md",
                "# D\n\n## Timeline\n\nAll times UTC.\n\n- 2025-11-03 23:58 Deploy starts\n"
                "- 2025-11-04 00:10 Errors begin\n",
                DBF_DATE_TIMELINE, 2025, 11, 4);
    assert_date("e.md", "---\ncreated: 2025-02-14\n---\n# E\n\n## Timeline\n\n- 10:00 Errors\n",
                DBF_DATE_CREATED, 2025, 2, 14);
    assert_date("notes/2024-12-30-cache.md", "# F\n", DBF_DATE_FILE_NAME, 2024, 12, 30);
    assert_date("notes/cache.md", "# G\n\nNo date anywhere.\n", DBF_DATE_NONE, 0, 0, 0);
}

static void test_recurrence_rule(void **state)
{
    (void)state;
    bool q[6];
    size_t none[] = {1, 0, 1, 0, 1, 0};
    assert_false(dbf_pattern_recurs(none, 6, 3, 2, q));
    size_t burst[] = {0, 0, 3, 0, 1, 0};
    assert_true(dbf_pattern_recurs(burst, 6, 3, 2, q));
    assert_true(q[2]);
    assert_false(q[4]);
    size_t running[] = {0, 1, 1, 0, 2, 0};
    assert_true(dbf_pattern_recurs(running, 6, 3, 2, q));
    assert_true(q[1] && q[2]);
    assert_false(q[4]);
    size_t two_short[] = {2, 0, 2, 0, 2, 0};
    assert_false(dbf_pattern_recurs(two_short, 6, 3, 2, q));
    /* A stricter rule: 3 periods running. */
    assert_false(dbf_pattern_recurs(running, 6, 3, 3, q));
    size_t three[] = {1, 1, 1, 0, 0, 0};
    assert_true(dbf_pattern_recurs(three, 6, 3, 3, q));
    assert_true(q[0] && q[1] && q[2] && !q[3]);
}

static void test_similarity(void **state)
{
    (void)state;
    assert_true(dbf_action_similarity("Add an alert on queue depth for the indexer",
                                      "Alerting on the indexer's queue depth") >= 0.6);
    assert_true(dbf_action_similarity("Write integration tests for the refund path",
                                      "Writing an integration test of the refund paths") >= 0.99);
    assert_true(dbf_action_similarity("Add an alert on queue depth for the indexer",
                                      "Add an alert on disk usage for the database") < 0.6);
    assert_true(dbf_action_similarity("Automate certificate renewal",
                                      "Rotate the database password") < 0.1);
    /* Too few words to tell. */
    assert_true(dbf_action_similarity("Done", "Done") == 0);
}

static void add_doc(struct dbf_pattern_report *r, const char *path, const char *text)
{
    struct dbf_doc *doc = parse(path, text);
    assert_true(dbf_pattern_report_add(r, doc));
    dbf_doc_free(doc);
}

static void test_report_repeats_and_stale(void **state)
{
    (void)state;
    struct dbf_pattern_options o = {.unit = DBF_PERIOD_QUARTER, .today = {2026, 6, 1}};
    char err[256];
    struct dbf_pattern_report *r = dbf_pattern_report_new(&o, err, sizeof err);
    assert_non_null(r);
    /* Added out of order: the report sorts by date. */
    add_doc(r, "later.md",
            "---\ncreated: 2026-05-20\n---\n# Later\n\n## Action items\n\n"
            "1. Alerting on the indexer's queue depth (owner: @bo, due: 2026-06-10)\n"
            "2. Rotate the search API keys (owner: @bo, due: 2026-06-10)\n");
    add_doc(r, "earlier.md",
            "---\ncreated: 2026-01-10\n---\n# Earlier\n\n## Action items\n\n"
            "- [ ] Add an alert on queue depth for the indexer (owner: @ana, due: 2026-02-01)\n"
            "- [x] Document the failover (owner: @ana, due: 2026-02-01)\n");
    const struct dbf_pattern_result *res = dbf_pattern_report_finish(r);
    assert_non_null(res);
    assert_int_equal(res->doc_count, 2);
    assert_string_equal(res->docs[0].path, "earlier.md");
    assert_int_equal(res->repeat_count, 1);
    assert_int_equal(res->repeats[0].doc, 1);
    assert_int_equal(res->repeats[0].earlier_doc, 0);
    assert_false(res->repeats[0].earlier_done);
    /* As written, inline fields and all. */
    assert_string_equal(res->repeats[0].earlier_action,
                        "Add an alert on queue depth for the indexer (owner: @ana, due: 2026-02-01)");
    /* Only the earlier post mortem is older than 45 days, and one item of it is open. */
    assert_int_equal(res->stale_count, 1);
    assert_int_equal(res->stale[0].doc, 0);
    assert_int_equal(res->stale[0].age_days, 142);
    assert_int_equal(res->period_count, 2);
    assert_string_equal(res->periods[0].label, "2026-Q1");
    assert_int_equal(res->actions, 4);
    assert_int_equal(res->actions_done, 1);
    dbf_pattern_report_free(r);
}

/* The JSON of a finished report. */
static char *report_json(struct dbf_pattern_report *r)
{
    const struct dbf_pattern_result *res = dbf_pattern_report_finish(r);
    assert_non_null(res);
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    assert_true(dbf_pattern_report_json(res, &out));
    dbf_buf_addc(&out, '\0');
    return out.data;
}

/* Entries made under one report (quarters) and added to another (months)
 * give that report what adding the documents would have. */
static void test_entries_kept_apart_from_a_report(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "---\ncreated: 2026-05-20\nseverity: SEV2\n---\n# Search down\n\n## Root cause\n\n"
        "No alert fired when the indexer stalled.\n\n## Action items\n\n"
        "1. Alerting on the indexer's queue depth (owner: @bo, due: 2026-06-10)\n",
        "---\ncreated: 2026-01-10\n---\n# Earlier\n\n## Action items\n\n"
        "- [ ] Add an alert on queue depth for the indexer (owner: @ana, due: 2026-02-01)\n"
        "- [x] Document the failover (owner: @ana, due: 2026-02-01)\n",
        "# Undated\n\nNothing else.\n"};
    static const char *const paths[] = {"later.md", "earlier.md", "undated.md"};
    struct dbf_pattern_options quarters = {.unit = DBF_PERIOD_QUARTER, .today = {2026, 6, 1}};
    struct dbf_pattern_options months = {.unit = DBF_PERIOD_MONTH, .today = {2026, 6, 1}};
    char err[256];
    struct dbf_pattern_report *maker = dbf_pattern_report_new(&quarters, err, sizeof err);
    struct dbf_pattern_report *direct = dbf_pattern_report_new(&months, err, sizeof err);
    struct dbf_pattern_report *from_entries = dbf_pattern_report_new(&months, err, sizeof err);
    assert_true(maker && direct && from_entries);
    struct dbf_pattern_entry *entries[3];
    for (size_t i = 0; i < 3; i++) {
        struct dbf_doc *doc = parse(paths[i], texts[i]);
        entries[i] = dbf_pattern_entry_new(maker, doc);
        assert_non_null(entries[i]);
        assert_true(dbf_pattern_entry_bytes(entries[i]) > strlen(paths[i]));
        assert_true(dbf_pattern_report_add(direct, doc));
        dbf_doc_free(doc);
    }
    /* Its categories' evidence and its action item cost more than none. */
    assert_true(dbf_pattern_entry_bytes(entries[0]) > dbf_pattern_entry_bytes(entries[2]) + 100);
    assert_int_equal(dbf_pattern_entry_date(entries[0]).month, 5);
    assert_int_equal(dbf_pattern_entry_date(entries[2]).year, 0);
    for (size_t i = 0; i < 3; i++) {
        assert_true(dbf_pattern_report_add_entry(from_entries, entries[i]));
        dbf_pattern_entry_free(entries[i]); /* the report keeps copies */
    }
    char *want = report_json(direct), *got = report_json(from_entries);
    assert_non_null(strstr(got, "\"2026-05\""));
    assert_string_equal(got, want);
    free(want);
    free(got);
    dbf_pattern_report_free(maker);
    dbf_pattern_report_free(direct);
    dbf_pattern_report_free(from_entries);
}

static char *write_config(const char *text)
{
    char *path = strdup("/tmp/debrief-patterns-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_configured_taxonomy(void **state)
{
    (void)state;
    char *path = write_config("patterns:\n  in_one_period: 2\n  categories:\n"
                              "    monitoring-gap:\n      words: [nobody looked at the graph]\n"
                              "      ignore: [synthetic]\n"
                              "    feature-flag:\n      name: Feature flag\n"
                              "      meaning: flags are flipped without a plan\n"
                              "      words: [\"flag   flip\", kill switch]\n");
    struct dbf_config *config = dbf_config_new();
    char err[256];
    assert_true(dbf_config_load(config, path, err, sizeof err));
    assert_int_equal(dbf_config_patterns(config)->in_one_period, 2);
    struct dbf_taxonomy *t = dbf_taxonomy_new(config, err, sizeof err);
    assert_non_null(t);
    assert_int_equal(dbf_taxonomy_count(t), 11);
    int flag = dbf_taxonomy_find(t, "feature-flag");
    assert_int_equal(flag, 10);
    assert_string_equal(dbf_taxonomy_at(t, 10)->name, "Feature flag");
    const char *a = "Nobody looked at the graph until noon.";
    assert_int_equal(dbf_taxonomy_classify_text(t, a, strlen(a), DBF_TEXT_CAUSE, NULL),
                     (uint64_t)1 << dbf_taxonomy_find(t, "monitoring-gap"));
    const char *b = "A flag\nflip turned the new pricing on for everyone.";
    assert_int_equal(dbf_taxonomy_classify_text(t, b, strlen(b), DBF_TEXT_CAUSE, NULL),
                     (uint64_t)1 << flag);
    /* Whole words only: "flipping" is not "flip". */
    const char *c = "The flag flipping tool was idle.";
    assert_int_equal(dbf_taxonomy_classify_text(t, c, strlen(c), DBF_TEXT_CAUSE, NULL), 0);
    /* A team's ignore phrase keeps a sentence out. */
    const char *d = "No alert fired for the synthetic probe.";
    assert_int_equal(dbf_taxonomy_classify_text(t, d, strlen(d), DBF_TEXT_CAUSE, NULL), 0);
    dbf_taxonomy_free(t);
    dbf_config_free(config);
    unlink(path);
    free(path);
}

static void test_configuration_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"patterns:\n  threshold: 3\n", ":2: unknown key 'threshold' in 'patterns'"},
        {"patterns:\n  in_one_period: 0\n", ":2: 'in_one_period' must be a whole number"},
        {"patterns:\n  repeat_similarity: 2\n", ":2: 'repeat_similarity' must be a number"},
        {"patterns:\n  categories:\n    Bad_Id:\n      words: [x]\n", ":3: category id 'Bad_Id'"},
        {"patterns:\n  categories:\n    capacity:\n      phrases: [x]\n",
         ":4: unknown key 'phrases' in category 'capacity'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = write_config(cases[i].text);
        struct dbf_config *config = dbf_config_new();
        char err[256] = "";
        const char *want = cases[i].message;
        assert_false(dbf_config_load(config, path, err, sizeof err));
        if (!strstr(err, want))
            fprintf(stderr, "got '%s'\n", err);
        assert_non_null(strstr(err, want));
        dbf_config_free(config);
        unlink(path);
        free(path);
    }
    /* A new category with no words can never match: refused when the taxonomy is made. */
    char *path = write_config("patterns:\n  categories:\n    feature-flag:\n      name: Flags\n");
    struct dbf_config *config = dbf_config_new();
    char err[256];
    assert_true(dbf_config_load(config, path, err, sizeof err));
    assert_null(dbf_taxonomy_new(config, err, sizeof err));
    assert_non_null(strstr(err, "line 3: new category 'feature-flag' needs 'words'"));
    dbf_config_free(config);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns_compile),
        cmocka_unit_test(test_builtin_categories),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_veto_is_per_sentence),
        cmocka_unit_test(test_document_sections),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_dates_and_zones),
        cmocka_unit_test(test_recurrence_rule),
        cmocka_unit_test(test_similarity),
        cmocka_unit_test(test_report_repeats_and_stale),
        cmocka_unit_test(test_entries_kept_apart_from_a_report),
        cmocka_unit_test(test_configured_taxonomy),
        cmocka_unit_test(test_configuration_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
