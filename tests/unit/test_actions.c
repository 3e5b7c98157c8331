/* test_actions.c: unit tests of the action item list, its filters, order and writers. */
#include "harness.h"

#include "debrief/actions.h"
#include "followup/followup.h"

#include <stdlib.h>
#include <string.h>

static const struct dbf_date today = {2026, 11, 26};

/* Post mortems with items of every kind: overdue by 57, 42 and 6 days,
 * done, due soon, due later, and without a deadline. */
static const char alpha[] = "---\n"
                            "id: alpha\n"
                            "---\n"
                            "# Checkout failed for 38% of shoppers\n"
                            "\n"
                            "## Action items\n"
                            "\n"
                            "| # | Action | Owner | Due | Priority | Status |\n"
                            "|---|---|---|---|---|---|\n"
                            "| 1 | Page on queue depth | @alice | 2026-10-15 | P1 | open |\n"
                            "| 2 | Load-test the queue | Bob Stone | 2026-12-05 | high | open |\n"
                            "| 3 | Cap client retries | @carol | 2026-10-01 | P0 | done |\n"
                            "| 4 | Write the capacity runbook | @alice | | low | open |\n";

static const char beta[] = "# DNS lookups failed for 25 minutes\n"
                           "\n"
                           "## Action items\n"
                           "\n"
                           "1. Pin the resolver config (owner: Dana Reyes, due: 2026-11-20, "
                           "priority: medium)\n"
                           "2. Renew certificates automatically (owner: @zoe, due: 2026-09-30, "
                           "priority: critical)\n"
                           "3. Draw the resolver failover (owner: @alice, due: 2027-01-15, "
                           "priority: P3)\n";

static struct dbf_action_list *list_of(const char *const *texts, const char *const *paths, size_t n)
{
    struct dbf_action_list *list = dbf_action_list_new(today);
    assert_non_null(list);
    for (size_t i = 0; i < n; i++) {
        char err[256];
        struct dbf_doc *doc = dbf_doc_parse(paths[i], texts[i], strlen(texts[i]), err, sizeof err);
        assert_non_null(doc);
        assert_true(dbf_action_list_add(list, doc));
        dbf_doc_free(doc);
    }
    return list;
}

static struct dbf_action_list *both(void)
{
    static const char *const texts[] = {alpha, beta};
    static const char *const paths[] = {"pm/alpha.md", "pm/2026-10-dns.md"};
    return list_of(texts, paths, 2);
}

/* "alpha#1" for the Ith item. */
static const char *name_at(const struct dbf_action_list *list, size_t i)
{
    static char name[64];
    const struct dbf_action_item *a = dbf_action_list_at(list, i);
    snprintf(name, sizeof name, "%s#%d", a->postmortem, a->number);
    return name;
}

static void test_items_copied_with_their_origin(void **state)
{
    (void)state;
    struct dbf_action_list *list = both();
    assert_int_equal(dbf_action_list_count(list), 7);
    const struct dbf_action_item *a = dbf_action_list_at(list, 0);
    assert_string_equal(a->postmortem, "alpha");
    assert_string_equal(a->path, "pm/alpha.md");
    assert_string_equal(a->description, "Page on queue depth");
    assert_string_equal(a->owner, "@alice");
    assert_int_equal(a->line, 10);
    /* No id in the front matter: the file name is the id. */
    const struct dbf_action_item *b = dbf_action_list_at(list, 4);
    assert_string_equal(b->postmortem, "2026-10-dns");
    /* The inline fields are read, then dropped from the description. */
    assert_string_equal(b->description, "Pin the resolver config");
    assert_string_equal(b->owner, "Dana Reyes");
    dbf_action_list_free(list);
}

static void test_blank_template_rows_are_no_items(void **state)
{
    (void)state;
    static const char *const texts[] = {"## Action items\n\n"
                                        "| Action | Who | Due date |\n"
                                        "|---|---|---|\n"
                                        "| | | |\n"
                                        "| Add an alert | @a | |\n"
                                        "| | | |\n"};
    static const char *const paths[] = {"template.md"};
    struct dbf_action_list *list = list_of(texts, paths, 1);
    assert_int_equal(dbf_action_list_count(list), 1);
    assert_string_equal(dbf_action_list_at(list, 0)->description, "Add an alert");
    dbf_action_list_free(list);
}

static void test_days_overdue(void **state)
{
    (void)state;
    struct dbf_action_list *list = both();
    long expected[] = {42, 0, 0 /* done */, 0 /* no deadline */, 6, 57, 0};
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(dbf_action_list_at(list, i)->days_overdue, expected[i]);
    struct dbf_action_summary s = dbf_action_list_summary(list);
    assert_int_equal(s.total, 7);
    assert_int_equal(s.open, 6);
    assert_int_equal(s.done, 1);
    assert_int_equal(s.overdue, 3);
    assert_true(s.completion_rate > 0.142 && s.completion_rate < 0.143);
    dbf_action_list_free(list);

    /* Due today is not overdue; due yesterday is one day overdue. */
    static const char *const edge[] = {"## Action items\n\n"
                                       "1. Due today (owner: @a, due: 2026-11-26)\n"
                                       "2. Due yesterday (owner: @a, due: 2026-11-25)\n"};
    static const char *const path[] = {"edge.md"};
    list = list_of(edge, path, 1);
    assert_int_equal(dbf_action_list_at(list, 0)->days_overdue, 0);
    assert_int_equal(dbf_action_list_at(list, 1)->days_overdue, 1);
    dbf_action_list_free(list);
}

static void test_follow_up_order(void **state)
{
    (void)state;
    struct dbf_action_list *list = both();
    dbf_action_list_sort(list);
    /* Most overdue first; then by deadline with the done item in its place;
     * no deadline last. */
    static const char *const order[] = {"2026-10-dns#2", "alpha#1", "2026-10-dns#1",
                                        "alpha#3",       "alpha#2", "2026-10-dns#3",
                                        "alpha#4"};
    assert_int_equal(dbf_action_list_count(list), 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(name_at(list, i), order[i]);
    dbf_action_list_free(list);
}

static void test_ties_by_post_mortem_then_number(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "## Action items\n\n| # | Action | Owner | Due |\n|---|---|---|---|\n"
        "| 2 | Second | @a | 2027-01-01 |\n| 1 | First | @a | 2027-01-01 |\n",
        "## Action items\n\n1. Other (owner: @a, due: 2027-01-01)\n",
    };
    static const char *const paths[] = {"b.md", "a.md"};
    struct dbf_action_list *list = list_of(texts, paths, 2);
    dbf_action_list_sort(list);
    assert_string_equal(name_at(list, 0), "a#1");
    assert_string_equal(name_at(list, 1), "b#1");
    assert_string_equal(name_at(list, 2), "b#2");
    dbf_action_list_free(list);
}

static size_t kept(const struct dbf_action_filter *filter)
{
    struct dbf_action_list *list = both();
    dbf_action_list_filter(list, filter);
    size_t n = dbf_action_list_count(list);
    dbf_action_list_free(list);
    return n;
}

static void test_filters(void **state)
{
    (void)state;
    assert_int_equal(kept(&(struct dbf_action_filter){0}), 7);
    assert_int_equal(kept(&(struct dbf_action_filter){.status = DBF_STATUS_OPEN}), 6);
    assert_int_equal(kept(&(struct dbf_action_filter){.status = DBF_STATUS_DONE}), 1);
    assert_int_equal(kept(&(struct dbf_action_filter){.overdue = true}), 3);
    assert_int_equal(kept(&(struct dbf_action_filter){.owner = "ALICE"}), 3);
    assert_int_equal(kept(&(struct dbf_action_filter){.owner = "@bob"}), 1);
    assert_int_equal(kept(&(struct dbf_action_filter){.owner = "nobody"}), 0);
    /* Open and due by 2026-12-10: the three overdue and the load test. */
    assert_int_equal(kept(&(struct dbf_action_filter){.due_within = 14}), 4);
    assert_int_equal(kept(&(struct dbf_action_filter){.due_within = 60}), 5);
    assert_int_equal(kept(&(struct dbf_action_filter){.priorities = 1u << DBF_PRIORITY_P1}), 2);
    assert_int_equal(kept(&(struct dbf_action_filter){.priorities = (1u << DBF_PRIORITY_P0) |
                                                                    (1u << DBF_PRIORITY_P1)}),
                     4);
    assert_int_equal(kept(&(struct dbf_action_filter){.owner = "alice", .overdue = true}), 1);
}

static void test_owner_matching(void **state)
{
    (void)state;
    assert_true(dbf_action_owner_matches("@alice", "alice"));
    assert_true(dbf_action_owner_matches("@alice", "@Alice"));
    assert_true(dbf_action_owner_matches("Alice Smith", "alice"));
    assert_true(dbf_action_owner_matches("Alice Smith", "alice smith"));
    assert_true(dbf_action_owner_matches("Jane Doe (@jdoe)", "@jdoe"));
    assert_true(dbf_action_owner_matches("@jane.doe", "jane.doe"));
    assert_true(dbf_action_owner_matches("@alice, @bob", "bob"));
    assert_false(dbf_action_owner_matches("@janet", "jane"));
    assert_false(dbf_action_owner_matches("@jane.doe", "jane"));
    assert_false(dbf_action_owner_matches("Bob", "alice"));
    assert_false(dbf_action_owner_matches(NULL, "alice"));
    assert_false(dbf_action_owner_matches("@alice", "@"));
}

static void test_priority_normalised(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum dbf_priority priority;
    } cases[] = {
        {"P0", DBF_PRIORITY_P0},           {"p1", DBF_PRIORITY_P1},
        {"P-2", DBF_PRIORITY_P2},          {"3", DBF_PRIORITY_P3},
        {"P4", DBF_PRIORITY_P4},           {"critical", DBF_PRIORITY_P0},
        {"Urgent", DBF_PRIORITY_P0},       {"Highest", DBF_PRIORITY_P0},
        {"High", DBF_PRIORITY_P1},         {"High priority", DBF_PRIORITY_P1},
        {"**high**", DBF_PRIORITY_P1},     {"priority: medium", DBF_PRIORITY_P2},
        {"Normal", DBF_PRIORITY_P2},       {"low", DBF_PRIORITY_P3},
        {"Lowest", DBF_PRIORITY_P4},       {"nice to have", DBF_PRIORITY_P4},
        {"very high", DBF_PRIORITY_P0},    {"P1 (high)", DBF_PRIORITY_P1},
        {"not urgent", DBF_PRIORITY_NONE}, {"whenever", DBF_PRIORITY_NONE},
        {"P5", DBF_PRIORITY_NONE},         {"", DBF_PRIORITY_NONE},
        {NULL, DBF_PRIORITY_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (dbf_priority_parse(cases[i].text) != cases[i].priority)
            fail_msg("'%s' read as P%d", cases[i].text ? cases[i].text : "(null)",
                     (int)dbf_priority_parse(cases[i].text) - 1);
    }
    assert_string_equal(dbf_priority_name(DBF_PRIORITY_P3), "P3");
    assert_null(dbf_priority_name(DBF_PRIORITY_NONE));
}

static void test_windows(void **state)
{
    (void)state;
    int days = 0;
    assert_true(dbf_action_parse_window("14d", &days));
    assert_int_equal(days, 14);
    assert_true(dbf_action_parse_window("2w", &days));
    assert_int_equal(days, 14);
    assert_true(dbf_action_parse_window("30d", &days));
    assert_int_equal(days, 30);
    assert_true(dbf_action_parse_window("10", &days));
    assert_int_equal(days, 10);
    assert_false(dbf_action_parse_window("0d", &days));
    assert_false(dbf_action_parse_window("-3d", &days));
    assert_false(dbf_action_parse_window("2x", &days));
    assert_false(dbf_action_parse_window("d", &days));
    assert_false(dbf_action_parse_window("99999w", &days));
}

static void test_description_cleaned(void **state)
{
    (void)state;
    static const struct {
        const char *in, *owner, *out;
    } cases[] = {
        {"1. Pin the config (owner: Dana, due: 2026-11-20)", "Dana", "Pin the config"},
        {"[x] 2. Lower the timeout (owner: @erik)", "@erik", "Lower the timeout"},
        {"Add an alert (@alice)", "@alice", "Add an alert"},
        {"Add an alert — owner: @alice, due: 2026-12-01", "@alice", "Add an alert"},
        {"Add an alert; priority: high", NULL, "Add an alert"},
        {"Retry 3 times (max) before paging", NULL, "Retry 3 times (max) before paging"},
        {"Add an alert (Bob)", "@alice", "Add an alert (Bob)"},
        {"2.5 s timeouts everywhere", NULL, "2.5 s timeouts everywhere"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char s[128];
        snprintf(s, sizeof s, "%s", cases[i].in);
        dbf__action_clean_description(s, cases[i].owner);
        assert_string_equal(s, cases[i].out);
    }
}

static void test_csv_fields(void **state)
{
    (void)state;
    struct dbf_buf b;
    dbf_buf_init(&b, 0);
    dbf__csv_add_field(&b, "plain");
    dbf_buf_addc(&b, '|');
    dbf__csv_add_field(&b, "a, b");
    dbf_buf_addc(&b, '|');
    dbf__csv_add_field(&b, "say \"hi\"");
    dbf_buf_addc(&b, '|');
    dbf__csv_add_field(&b, "two\nlines");
    dbf_buf_addc(&b, '|');
    dbf__csv_add_field(&b, NULL);
    dbf_buf_addc(&b, '|');
    dbf__csv_add_field(&b, " padded");
    assert_string_equal(b.data, "plain|\"a, b\"|\"say \"\"hi\"\"\"|\"two\nlines\"||\" padded\"");
    dbf_buf_release(&b);
}

static void test_csv_rows(void **state)
{
    (void)state;
    struct dbf_action_list *list = both();
    dbf_action_list_sort(list);
    struct dbf_buf b;
    dbf_buf_init(&b, 0);
    dbf_actions_write_csv(list, &b);
    const char *second = strstr(b.data, "\r\n");
    assert_non_null(second);
    assert_memory_equal(b.data, "postmortem,number,description,owner,due,priority,", 49);
    assert_true(strncmp(second + 2,
                        "2026-10-dns,2,Renew certificates automatically,@zoe,2026-09-30,P0,,open,,"
                        "57,DNS lookups failed for 25 minutes,pm/2026-10-dns.md,6\r\n",
                        130) == 0);
    size_t rows = 0;
    for (const char *p = b.data; (p = strstr(p, "\r\n")); p += 2)
        rows++;
    assert_int_equal(rows, 8);
    dbf_buf_release(&b);
    dbf_action_list_free(list);
}

static void test_ics_text_escaped(void **state)
{
    (void)state;
    struct dbf_buf b;
    dbf_buf_init(&b, 0);
    dbf__ics_add_text(&b, "a,b;c\\d\ne\r\nf\x01g");
    assert_string_equal(b.data, "a\\,b\\;c\\\\d\\ne\\nfg");
    dbf_buf_release(&b);
}

/* Every physical line ends in CRLF and holds at most 75 octets; unfolding
 * gives back LINE; no UTF-8 sequence is split. */
static void assert_folded(const char *line)
{
    struct dbf_buf b;
    dbf_buf_init(&b, 0);
    dbf__ics_add_line(&b, line, strlen(line));
    struct dbf_buf unfolded;
    dbf_buf_init(&unfolded, 0);
    const char *p = b.data;
    bool first = true;
    while (*p) {
        const char *end = strstr(p, "\r\n");
        assert_non_null(end);
        assert_true(end - p <= 75);
        if (!first) {
            assert_int_equal(*p, ' ');
            p++;
        }
        assert_true(end == p || ((unsigned char)*p & 0xc0) != 0x80);
        dbf_buf_add(&unfolded, p, (size_t)(end - p));
        p = end + 2;
        first = false;
    }
    assert_string_equal(unfolded.data, line);
    dbf_buf_release(&unfolded);
    dbf_buf_release(&b);
}

static void test_ics_folding(void **state)
{
    (void)state;
    assert_folded("SUMMARY:short");
    char ascii[301];
    for (size_t i = 0; i < 300; i++)
        ascii[i] = (char)('a' + i % 26);
    ascii[300] = '\0';
    assert_folded(ascii);
    /* Exactly 75 octets: no fold. */
    ascii[75] = '\0';
    struct dbf_buf b;
    dbf_buf_init(&b, 0);
    dbf__ics_add_line(&b, ascii, 75);
    assert_int_equal(b.len, 77);
    dbf_buf_release(&b);
    struct dbf_buf wide;
    dbf_buf_init(&wide, 0);
    dbf_buf_adds(&wide, "SUMMARY:");
    for (int i = 0; i < 40; i++)
        dbf_buf_adds(&wide, i % 2 ? "日本" : "é—");
    assert_folded(wide.data);
    dbf_buf_release(&wide);
}

static void test_ics_calendar(void **state)
{
    (void)state;
    struct dbf_action_list *list = both();
    dbf_action_list_sort(list);
    struct dbf_buf one, two;
    dbf_buf_init(&one, 0);
    dbf_buf_init(&two, 0);
    dbf_actions_write_ics(list, 1795651200, &one); /* 2026-11-26 */
    assert_true(strncmp(one.data, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 37) == 0);
    assert_non_null(strstr(one.data, "\r\nEND:VCALENDAR\r\n"));
    assert_non_null(strstr(one.data, "DTSTAMP:20261126T000000Z\r\n"));
    assert_non_null(strstr(one.data, "SUMMARY:Renew certificates automatically\r\n"
                                     "DESCRIPTION:Post mortem: 2026-10-dns"));
    assert_non_null(strstr(one.data, "DUE;VALUE=DATE:20260930\r\nSTATUS:NEEDS-ACTION\r\n"
                                     "PRIORITY:1\r\n"));
    assert_non_null(strstr(one.data, "STATUS:COMPLETED\r\n"));
    size_t todos = 0;
    for (const char *p = one.data; (p = strstr(p, "BEGIN:VTODO\r\n")); p++)
        todos++;
    assert_int_equal(todos, 7);
    /* No bare LF anywhere. */
    for (size_t i = 0; i < one.len; i++)
        if (one.data[i] == '\n')
            assert_int_equal(one.data[i - 1], '\r');

    /* The same items in another order and on another day: the same UIDs. */
    struct dbf_action_list *again = both();
    dbf_actions_write_ics(again, 1800000000, &two);
    const char *uid = strstr(one.data, "UID:");
    assert_non_null(uid);
    char first_uid[64];
    snprintf(first_uid, sizeof first_uid, "%.*s", (int)strcspn(uid, "\r"), uid);
    assert_non_null(strstr(two.data, first_uid));

    /* One item written twice in a post mortem: two to-dos, two UIDs. */
    static const char *const twice[] = {"## Action items\n\n1. Add an alert (owner: @a)\n\n"
                                        "## Follow-up\n\n1. Add an alert (owner: @a)\n"};
    static const char *const path[] = {"twice.md"};
    struct dbf_action_list *doubled = list_of(twice, path, 1);
    assert_int_equal(dbf_action_list_count(doubled), 2);
    dbf_buf_reset(&two);
    dbf_actions_write_ics(doubled, 1800000000, &two);
    const char *u1 = strstr(two.data, "UID:"), *u2 = u1 ? strstr(u1 + 1, "UID:") : NULL;
    assert_non_null(u2);
    assert_true(strncmp(u1, u2, strcspn(u1, "\r")) != 0);
    dbf_action_list_free(doubled);
    dbf_buf_release(&one);
    dbf_buf_release(&two);
    dbf_action_list_free(again);
    dbf_action_list_free(list);
}

static void test_table_fits_width(void **state)
{
    (void)state;
    struct dbf_action_list *list = both();
    dbf_action_list_sort(list);
    struct dbf_buf b;
    dbf_buf_init(&b, 0);
    dbf_actions_write_table(list, 80, false, &b);
    char *copy = strdup(b.data);
    size_t lines = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        assert_true(dbf__text_width(line) <= 80);
        lines++;
    }
    free(copy);
    assert_int_equal(lines, 9); /* header, 7 rows, summary */
    assert_non_null(strstr(b.data, "POST MORTEM  "));
    assert_non_null(strstr(b.data, "57d"));
    assert_non_null(strstr(b.data, "Renew certificates a…\n"));
    assert_non_null(strstr(b.data, "7 action items: 6 open (3 overdue), 1 done; 14% complete\n"));
    assert_null(strstr(b.data, "\033["));
    dbf_buf_reset(&b);
    dbf_actions_write_table(list, 80, true, &b);
    assert_non_null(strstr(b.data, "\033[1;31m 57d\033[0m"));
    dbf_buf_release(&b);
    dbf_action_list_free(list);
}

static void test_json(void **state)
{
    (void)state;
    struct dbf_action_list *list = both();
    dbf_action_list_sort(list);
    struct dbf_buf b;
    dbf_buf_init(&b, 0);
    dbf_actions_write_json(list, &b);
    assert_non_null(strstr(
        b.data, "{\"postmortem\":\"2026-10-dns\",\"number\":2,\"description\":\"Renew certificates "
                "automatically\",\"owner\":\"@zoe\",\"due\":\"2026-09-30\",\"priority\":\"P0\","
                "\"priority_text\":\"critical\",\"lessons\":[],\"status\":\"open\",\"link\":null,"
                "\"days_overdue\":57,"));
    assert_non_null(strstr(b.data, "\"due\":null"));
    assert_non_null(strstr(b.data, "\"summary\":{\"total\":7,\"open\":6,\"done\":1,\"overdue\":3,"
                                   "\"completion_rate\":0.1429,\"today\":\"2026-11-26\"}"));
    dbf_buf_release(&b);
    dbf_action_list_free(list);
}

/* Marks alpha's item 1 done with a link written over two lines, and
 * reopens its item 3, as a tracker would. */
static void track(void *ctx, struct dbf_action_item *item)
{
    (void)ctx;
    if (strcmp(item->postmortem, "alpha") != 0)
        return;
    if (item->order == 1) {
        item->done = true;
        item->link = "https://tracker.example/T-1\n  (closed)";
    } else if (item->order == 3) {
        item->done = false;
    }
}

/* The items kept in a list of their own (no day to judge them by) and
 * added to another later are those the document would have given, judged
 * against the other's day, with the tracker's word laid over them. */
static void test_items_added_from_a_kept_list(void **state)
{
    (void)state;
    struct dbf_action_list *direct = both();
    struct dbf_action_list *kept = dbf_action_list_new((struct dbf_date){0, 0, 0});
    static const char *const texts[] = {alpha, beta};
    static const char *const paths[] = {"pm/alpha.md", "pm/2026-10-dns.md"};
    for (size_t i = 0; i < 2; i++) {
        char err[256];
        struct dbf_doc *doc = dbf_doc_parse(paths[i], texts[i], strlen(texts[i]), err, sizeof err);
        assert_non_null(doc);
        assert_true(dbf_action_list_add(kept, doc));
        dbf_doc_free(doc);
    }
    assert_int_equal(dbf_action_list_at(kept, 0)->days_overdue, 0); /* no day: not judged */
    /* Charged what it holds: its items' room and its arena's first block. */
    assert_true(dbf_action_list_bytes(kept) >= sizeof(struct dbf_action_item) * 7 + 1024);
    struct dbf_action_list *later = dbf_action_list_new(today);
    assert_true(dbf_action_list_add_list(later, kept, NULL, NULL));
    dbf_action_list_free(kept);
    struct dbf_buf want, got;
    dbf_buf_init(&want, 0);
    dbf_buf_init(&got, 0);
    dbf_actions_write_json(direct, &want);
    dbf_actions_write_json(later, &got);
    assert_string_equal(got.data, want.data);
    dbf_buf_release(&got);

    struct dbf_action_list *tracked = dbf_action_list_new(today);
    assert_true(dbf_action_list_add_list(tracked, later, track, NULL));
    const struct dbf_action_item *first = dbf_action_list_at(tracked, 0);
    assert_true(first->done);
    assert_int_equal(first->days_overdue, 0); /* done: not overdue */
    assert_string_equal(first->link, "https://tracker.example/T-1 (closed)");
    const struct dbf_action_item *third = dbf_action_list_at(tracked, 2);
    assert_false(third->done);
    assert_int_equal(third->days_overdue, 56); /* due 2026-10-01, open again */
    assert_int_equal(dbf_action_list_at(tracked, 5)->days_overdue, 57); /* beta's untouched */
    dbf_buf_release(&want);
    dbf_action_list_free(tracked);
    dbf_action_list_free(later);
    dbf_action_list_free(direct);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items_copied_with_their_origin),
        cmocka_unit_test(test_items_added_from_a_kept_list),
        cmocka_unit_test(test_blank_template_rows_are_no_items),
        cmocka_unit_test(test_days_overdue),
        cmocka_unit_test(test_follow_up_order),
        cmocka_unit_test(test_ties_by_post_mortem_then_number),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_owner_matching),
        cmocka_unit_test(test_priority_normalised),
        cmocka_unit_test(test_windows),
        cmocka_unit_test(test_description_cleaned),
        cmocka_unit_test(test_csv_fields),
        cmocka_unit_test(test_csv_rows),
        cmocka_unit_test(test_ics_text_escaped),
        cmocka_unit_test(test_ics_folding),
        cmocka_unit_test(test_ics_calendar),
        cmocka_unit_test(test_table_fits_width),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
