/* test_import.c: unit tests of the chat import: both export formats, roles,
 * filters, message text cleanup, zones and the merge into a timeline. */
#include "harness.h"

#include "debrief/import.h"
#include "import/chat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A scratch folder for export files, removed after each test. */
static char scratch[64];

static int make_scratch(void **state)
{
    (void)state;
    snprintf(scratch, sizeof scratch, "/tmp/debrief-import-XXXXXX");
    return mkdtemp(scratch) ? 0 : -1;
}

static int remove_scratch(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    return system(cmd) == 0 ? 0 : -1;
}

/* The path of NAME in the scratch folder; the last few stay valid. */
static const char *in_scratch(const char *name)
{
    static char paths[8][256];
    static size_t next;
    char *path = paths[next++ % 8];
    snprintf(path, 256, "%s/%s", scratch, name);
    return path;
}

/* Writes TEXT to NAME under the scratch folder (creating one level of
 * folder) and returns its path. */
static const char *put(const char *name, const char *text)
{
    char path[256];
    const char *slash = strchr(name, '/');
    if (slash) {
        snprintf(path, sizeof path, "%s/%.*s", scratch, (int)(slash - name), name);
        mkdir(path, 0777);
    }
    FILE *f = fopen(in_scratch(name), "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return in_scratch(name);
}

/* 2026-03-10 23:03:00 UTC and friends. */
#define T_2303 "1773183780"
#define T_2305 "1773183930"
#define T_2312 "1773184320"
#define T_0005 "1773187500"

static const char users_json[] =
    "[{\"id\": \"U01\", \"name\": \"alice\", \"real_name\": \"Alice Ng\",\n"
    "  \"profile\": {\"display_name\": \"alice.ng\", \"real_name\": \"Alice Ng\"}},\n"
    " {\"id\": \"U02\", \"name\": \"bob\", \"profile\": {\"display_name\": \"Bob\"}},\n"
    " {\"id\": \"U09\", \"name\": \"pager\", \"is_bot\": true}]\n";

static void write_slack_channel(void)
{
    put("users.json", users_json);
    put("channels.json", "[{\"id\": \"C1\", \"name\": \"inc\"}]\n");
    put("inc/2026-03-10.json",
        "[\n"
        " {\"type\": \"message\", \"subtype\": \"channel_join\", \"user\": \"U01\", \"ts\": "
        "\"1773183700.000100\", \"text\": \"<@U01> has joined the channel\"},\n"
        " {\"type\": \"message\", \"subtype\": \"bot_message\", \"bot_id\": \"B1\", \"ts\": "
        "\"1773183710.000100\", \"text\": \"alert fired\"},\n"
        " {\"type\": \"message\", \"user\": \"U09\", \"ts\": \"1773183720.000100\", \"text\": "
        "\"pager user\"},\n"
        " {\"type\": \"message\", \"user\": \"U02\", \"ts\": \"" T_2305 ".000200\", \"text\": "
        "\"I'm IC\", \"thread_ts\": \"" T_2305 ".000200\", \"reply_count\": 2},\n"
        " {\"type\": \"message\", \"user\": \"U01\", \"ts\": \"" T_2303 ".000100\", \"text\": "
        "\"p99 &amp; errors up\", \"pinned_to\": [\"C1\"], \"edited\": {\"user\": \"U01\", "
        "\"ts\": \"1773183800.000000\"}},\n"
        " {\"type\": \"message\", \"user\": \"U01\", \"ts\": \"" T_2312 ".000100\", \"text\": "
        "\"pool at max\", \"thread_ts\": \"" T_2305 ".000200\", \"parent_user_id\": \"U02\", "
        "\"reactions\": [{\"name\": \"eyes\", \"users\": [\"U02\"], \"count\": 1}]}\n"
        "]\n");
    put("inc/2026-03-11.json",
        "[{\"type\": \"message\", \"user\": \"U03\", \"ts\": \"" T_0005 ".000300\", \"text\": "
        "\"back to normal\", \"thread_ts\": \"" T_2305 ".000200\", \"user_profile\": {\"name\": "
        "\"carol\", \"real_name\": \"Carol Diaz\"}},\n"
        " {\"type\": \"message\", \"subtype\": \"channel_leave\", \"user\": \"U03\", \"ts\": "
        "\"1773187600.000100\", \"text\": \"left\"}]\n");
    put("roles.yml", "alice: on-call engineer\nU02: the incident commander\ncarol: an SRE\n");
}

static struct dbf_chat_import *load(const char *path, const struct dbf_import_options *o)
{
    char err[512] = "";
    struct dbf_chat_import *import = dbf_chat_import_load(path, o, err, sizeof err);
    if (!import)
        print_message("load failed: %s\n", err);
    assert_non_null(import);
    return import;
}

/* The message of a failed load. */
static const char *load_error(const char *path, const struct dbf_import_options *o)
{
    static char err[512];
    err[0] = '\0';
    struct dbf_chat_import *import = dbf_chat_import_load(path, o, err, sizeof err);
    assert_null(import);
    return err;
}

static void test_slack_channel_folder(void **state)
{
    (void)state;
    write_slack_channel();
    struct dbf_import_options o = {.roles_path = in_scratch("roles.yml")};
    struct dbf_chat_import *im = load(in_scratch("inc"), &o);
    assert_string_equal(im->format, "slack");
    assert_string_equal(im->channel, "inc");
    assert_int_equal(im->count, 4);
    /* Time order across the two days; the reply written before its parent's
     * file order still sorts by time. */
    assert_int_equal(im->entries[0].at, 1773183780);
    assert_string_equal(im->entries[0].who, "the on-call engineer");
    assert_string_equal(im->entries[0].text, "p99 & errors up");
    assert_true(im->entries[0].pinned);
    assert_true(im->entries[0].edited);
    assert_string_equal(im->entries[1].who, "the incident commander");
    assert_false(im->entries[1].reply);
    assert_string_equal(im->entries[2].text, "pool at max");
    assert_true(im->entries[2].reply);
    /* Known only from user_profile, mapped by name. */
    assert_int_equal(im->entries[3].at, 1773187500);
    assert_string_equal(im->entries[3].who, "an SRE");
    assert_true(im->entries[3].reply);
    assert_int_equal(im->counts.read, 8);
    assert_int_equal(im->counts.bots, 2);
    assert_int_equal(im->counts.system, 2);
    dbf_chat_import_free(im);
}

static void test_slack_root_needs_channel(void **state)
{
    (void)state;
    write_slack_channel();
    const char *err = load_error(scratch, NULL);
    assert_non_null(strstr(err, "--channel"));
    assert_non_null(strstr(err, "inc"));
    struct dbf_import_options o = {.channel = "inc"};
    struct dbf_chat_import *im = load(scratch, &o);
    assert_int_equal(im->count, 4);
    assert_string_equal(im->entries[0].who, "a responder");
    dbf_chat_import_free(im);
    o.channel = "C1"; /* the id from channels.json */
    im = load(scratch, &o);
    assert_int_equal(im->count, 4);
    dbf_chat_import_free(im);
    o.channel = "nope";
    err = load_error(scratch, &o);
    assert_non_null(strstr(err, "no channel 'nope'"));
}

static void test_slack_edits_and_deletes_from_api_exports(void **state)
{
    (void)state;
    put("api/2026-03-10.json",
        "[{\"type\": \"message\", \"user\": \"U1\", \"ts\": \"1773183780.000100\", \"text\": "
        "\"rollback done\"},\n"
        " {\"type\": \"message\", \"user\": \"U1\", \"ts\": \"1773183790.000100\", \"text\": "
        "\"oops wrong channel\"},\n"
        " {\"type\": \"message\", \"subtype\": \"message_changed\", \"ts\": \"1773183800.000100\", "
        "\"message\": {\"type\": \"message\", \"user\": \"U1\", \"ts\": \"1773183780.000100\", "
        "\"text\": \"rollback of 4812 done\", \"edited\": {\"user\": \"U1\", \"ts\": "
        "\"1773183800.000100\"}}},\n"
        " {\"type\": \"message\", \"subtype\": \"message_deleted\", \"ts\": \"1773183810.000100\", "
        "\"deleted_ts\": \"1773183790.000100\"}]\n");
    struct dbf_chat_import *im = load(in_scratch("api"), NULL);
    assert_int_equal(im->count, 1);
    assert_string_equal(im->entries[0].text, "rollback of 4812 done");
    assert_true(im->entries[0].edited);
    assert_int_equal(im->counts.deleted, 1);
    dbf_chat_import_free(im);
}

static void test_slack_files(void **state)
{
    (void)state;
    put("f/2026-03-10.json",
        "[{\"type\": \"message\", \"user\": \"U1\", \"ts\": \"1773183780.000100\", \"text\": \"\", "
        "\"files\": [{\"id\": \"F1\", \"name\": \"p99_[eu].png\", \"title\": \"p99\"}]},\n"
        " {\"type\": \"message\", \"user\": \"U1\", \"ts\": \"1773183790.000100\", \"text\": "
        "\"see graph\", \"files\": [{\"id\": \"F2\", \"name\": \"a.png\"}, {\"id\": \"F3\", "
        "\"mode\": \"tombstone\"}, {\"id\": \"F4\", \"title\": \"notes\"}]}]\n");
    struct dbf_chat_import *im = load(in_scratch("f"), NULL);
    assert_int_equal(im->count, 2);
    assert_string_equal(im->entries[0].text, "shared p99\\_\\[eu\\].png");
    assert_string_equal(im->entries[1].text, "see graph (attached: a.png, notes)");
    dbf_chat_import_free(im);
}

static void test_slack_bad_input_names_file_and_line(void **state)
{
    (void)state;
    const char *day = put("bad/2026-03-10.json", "[\n  {\"ts\": \"1773183780.000100\",\n"
                                                 "   \"text\": \"a\" \"b\"}\n]\n");
    char want[300];
    const char *err = load_error(in_scratch("bad"), NULL);
    snprintf(want, sizeof want, "%s:3: not valid JSON", day);
    assert_non_null(strstr(err, want));

    day = put("bad/2026-03-10.json", "[\n  {\"ts\": \"1773183780.000100\", \"text\": \"a\"},\n"
                                     "  {\"text\": \"b\",\n   \"ts\": 1773183790}\n]\n");
    err = load_error(in_scratch("bad"), NULL);
    snprintf(want, sizeof want, "%s:3: 'ts' must be a string", day);
    assert_string_equal(err, want);

    day = put("bad/2026-03-10.json", "{\"messages\": []}\n");
    err = load_error(in_scratch("bad"), NULL);
    snprintf(want, sizeof want, "%s:1: expected a list of messages", day);
    assert_string_equal(err, want);

    day = put("bad/2026-03-10.json", "[{\"ts\": \"yesterday\"}]");
    err = load_error(in_scratch("bad"), NULL);
    assert_non_null(strstr(err, ":1: 'ts' must be epoch seconds"));

    put("bad/2026-03-10.json", "[{\"ts\": \"1773183780.000100\", \"reactions\": {\"a\": 1}}]");
    err = load_error(in_scratch("bad"), NULL);
    assert_non_null(strstr(err, "'reactions' must be a list"));

    put("empty/notes.txt", "nothing\n");
    err = load_error(in_scratch("empty"), NULL);
    assert_non_null(strstr(err, "no daily files"));
    err = load_error(in_scratch("missing"), NULL);
    assert_non_null(strstr(err, "cannot read"));
}

static const char mattermost_jsonl[] =
    "{\"type\":\"version\",\"version\":1}\n"
    "{\"type\":\"team\",\"team\":{\"name\":\"acme\",\"display_name\":\"Acme\",\"type\":\"O\"}}\n"
    "{\"type\":\"channel\",\"channel\":{\"team\":\"acme\",\"name\":\"inc\",\"display_name\":"
    "\"Inc\","
    "\"type\":\"O\"}}\n"
    "{\"type\":\"channel\",\"channel\":{\"team\":\"acme\",\"name\":\"town-square\","
    "\"display_name\":\"Town\",\"type\":\"O\"}}\n"
    "{\"type\":\"user\",\"user\":{\"username\":\"dana\",\"first_name\":\"Dana\",\"last_name\":"
    "\"Kim\",\"nickname\":\"\"}}\n"
    "{\"type\":\"user\",\"user\":{\"username\":\"eve\",\"first_name\":\"Eve\",\"last_name\":"
    "\"Moreau\",\"nickname\":\"evie\"}}\n"
    "{\"type\":\"bot\",\"bot\":{\"username\":\"opsgenie\",\"display_name\":\"Opsgenie\"}}\n"
    "{\"type\":\"post\",\"post\":{\"team\":\"acme\",\"channel\":\"inc\",\"user\":\"dana\","
    "\"type\":\"system_join_channel\",\"message\":\"dana joined\",\"create_at\":1783028400000}}\n"
    "{\"type\":\"post\",\"post\":{\"team\":\"acme\",\"channel\":\"inc\",\"user\":\"opsgenie\","
    "\"message\":\"alert\",\"create_at\":1783028472000}}\n"
    "{\"type\":\"post\",\"post\":{\"team\":\"acme\",\"channel\":\"inc\",\"user\":\"eve\","
    "\"message\":\"hook\",\"props\":{\"from_webhook\":\"true\"},\"create_at\":1783028473000}}\n"
    "{\"type\":\"post\",\"post\":{\"team\":\"acme\",\"channel\":\"inc\",\"user\":\"dana\","
    "\"message\":\"Paged, looking\",\"create_at\":1783028585000,\"is_pinned\":true,"
    "\"replies\":[{\"user\":\"eve\",\"message\":\"@dana it is the cron\",\"create_at\":"
    "1783038000000,\"edit_at\":1783038060000,\"reactions\":[{\"user\":\"dana\",\"emoji_name\":"
    "\"pushpin\",\"create_at\":1783038100000}]}]}}\n"
    "{\"type\":\"post\",\"post\":{\"team\":\"acme\",\"channel\":\"inc\",\"user\":\"eve\","
    "\"message\":\"paused\",\"create_at\":1783030545000,\"attachments\":[{\"path\":"
    "\"data/x/graph.png\"}]}}\n"
    "{\"type\":\"post\",\"post\":{\"team\":\"acme\",\"channel\":\"town-square\",\"user\":\"dana\","
    "\"message\":\"coffee\",\"create_at\":1782982800000}}\n"
    "{\"type\":\"direct_post\",\"direct_post\":{\"channel_members\":[\"dana\",\"eve\"],\"user\":"
    "\"dana\",\"message\":\"dm\",\"create_at\":1783039260000}}\n";

static void test_mattermost_posts_and_replies(void **state)
{
    (void)state;
    const char *path = put("export.jsonl", mattermost_jsonl);
    put("roles.yml", "dana: incident commander\nEve Moreau: search engineer\n");
    struct dbf_import_options o = {.roles_path = in_scratch("roles.yml"), .channel = "inc"};
    struct dbf_chat_import *im = load(path, &o);
    assert_string_equal(im->format, "mattermost");
    assert_string_equal(im->channel, "inc");
    assert_int_equal(im->count, 3);
    assert_int_equal(im->entries[0].at, 1783028585);
    assert_string_equal(im->entries[0].who, "the incident commander");
    assert_true(im->entries[0].pinned);
    assert_string_equal(im->entries[1].text, "paused (attached: graph.png)");
    /* The reply comes after the later post: time order, not thread order. */
    assert_int_equal(im->entries[2].at, 1783038000);
    assert_true(im->entries[2].reply);
    assert_true(im->entries[2].edited);
    assert_string_equal(im->entries[2].who, "the search engineer");
    assert_string_equal(im->entries[2].text, "the incident commander it is the cron");
    assert_int_equal(im->counts.bots, 2);
    assert_int_equal(im->counts.system, 1);
    dbf_chat_import_free(im);

    o.channel = "acme/inc";
    im = load(path, &o);
    assert_int_equal(im->count, 3);
    dbf_chat_import_free(im);
}

static void test_mattermost_channel_choice(void **state)
{
    (void)state;
    const char *path = put("export.jsonl", mattermost_jsonl);
    const char *err = load_error(path, NULL);
    assert_non_null(strstr(err, "several channels"));
    assert_non_null(strstr(err, "inc, town-square"));
    struct dbf_import_options o = {.channel = "random"};
    err = load_error(path, &o);
    assert_non_null(strstr(err, "no channel 'random'"));
    o.channel = "town-square";
    struct dbf_chat_import *im = load(path, &o);
    assert_int_equal(im->count, 1);
    assert_string_equal(im->entries[0].text, "coffee");
    dbf_chat_import_free(im);
}

static void test_mattermost_bad_input_names_line(void **state)
{
    (void)state;
    char want[300];
    const char *path = put("bad.jsonl", "{\"type\":\"version\",\"version\":1}\n\n"
                                        "{\"type\":\"post\",\"post\":{\"channel\":\"inc\"\n");
    const char *err = load_error(path, NULL);
    snprintf(want, sizeof want, "%s:3: not valid JSON", path);
    assert_non_null(strstr(err, want));

    path = put("bad.jsonl", "{\"type\":\"version\",\"version\":1}\n"
                            "{\"type\":\"post\",\"post\":{\"channel\":\"inc\",\"user\":\"a\","
                            "\"message\":\"x\",\"create_at\":\"2026-07-02\"}}\n");
    err = load_error(path, NULL);
    snprintf(want, sizeof want,
             "%s:2: post 'create_at' must be a number of milliseconds since 1970", path);
    assert_string_equal(err, want);

    path = put("bad.jsonl", "{\"type\":\"version\",\"version\":1}\n"
                            "{\"type\":\"post\",\"post\":{\"channel\":\"inc\",\"user\":\"a\","
                            "\"message\":[\"x\"],\"create_at\":1}}\n");
    err = load_error(path, NULL);
    assert_non_null(strstr(err, ":2: post 'message' must be a string"));

    path = put("bad.jsonl", "{\"type\":\"post\",\"post\":{}}\n");
    err = load_error(path, NULL);
    assert_non_null(strstr(err, ":1: not a Mattermost bulk export"));

    path = put("bad.jsonl", "hello\n");
    err = load_error(path, NULL);
    assert_non_null(strstr(err, ":1: not a chat export"));
}

static void test_roles_map(void **state)
{
    (void)state;
    struct dbf__roles roles;
    char err[256];
    dbf__roles_init(&roles);
    const char *path = put("r.yml", "# who is who\nAlice: on-call engineer\n\"@bob\": An SRE\n"
                                    "U07: The incident commander\n");
    assert_true(dbf__roles_load(&roles, path, err, sizeof err));
    struct dbf__chat_log log = {0};
    dbf__arena_init(&log.arena);
    struct dbf__chat_person *p = dbf__chat_log_person(&log);
    p->id = "U07";
    p = dbf__chat_log_person(&log);
    p->id = "U08";
    p->names[1] = "ALICE";
    assert_string_equal(dbf__roles_phrase(&roles, &log, "alice"), "the on-call engineer");
    assert_string_equal(dbf__roles_phrase(&roles, &log, "U08"), "the on-call engineer");
    assert_string_equal(dbf__roles_phrase(&roles, &log, "bob"), "An SRE");
    assert_string_equal(dbf__roles_phrase(&roles, &log, "u07"), "The incident commander");
    assert_string_equal(dbf__roles_phrase(&roles, &log, "mallory"), "a responder");
    assert_string_equal(dbf__roles_phrase(&roles, &log, NULL), "a responder");
    free(log.people);
    dbf__arena_release(&log.arena);
    dbf__roles_release(&roles);

    dbf__roles_init(&roles);
    path = put("r.yml", "alice: on-call\nbob:\n  - sre\n");
    assert_false(dbf__roles_load(&roles, path, err, sizeof err));
    char want[300];
    snprintf(want, sizeof want, "%s:3: the role of 'bob' is a list; write it as text", path);
    assert_string_equal(err, want);
    dbf__roles_release(&roles);

    dbf__roles_init(&roles);
    path = put("r.yml", "- alice\n");
    assert_false(dbf__roles_load(&roles, path, err, sizeof err));
    assert_non_null(strstr(err, ":1: expected a map of people to roles"));
    dbf__roles_release(&roles);

    dbf__roles_init(&roles);
    path = put("r.yml", "alice: on-call\nbob: [sre\n");
    assert_false(dbf__roles_load(&roles, path, err, sizeof err));
    assert_non_null(strstr(err, "r.yml:2: the role of 'bob' is a list"));
    dbf__roles_release(&roles);

    dbf__roles_init(&roles);
    path = put("r.yml", "alice: on-call\nbob: \"sre\n");
    assert_false(dbf__roles_load(&roles, path, err, sizeof err));
    assert_non_null(strstr(err, "r.yml:3: "));
    dbf__roles_release(&roles);

    dbf__roles_init(&roles);
    path = put("r.yml", "");
    assert_true(dbf__roles_load(&roles, path, err, sizeof err));
    assert_int_equal(roles.count, 0);
    dbf__roles_release(&roles);
}

/* The cleaned text of a Slack message, with U1 mapped to a role. */
static const char *slack_clean(const char *text)
{
    static char out[512];
    struct dbf__roles roles;
    char err[256];
    dbf__roles_init(&roles);
    assert_true(dbf__roles_load(&roles, put("r.yml", "U1: on-call engineer\n"), err, sizeof err));
    struct dbf__chat_log log = {0};
    dbf__arena_init(&log.arena);
    const char *ids[] = {"C9"}, *names[] = {"incidents"};
    log.channel_ids = ids;
    log.channel_names = names;
    log.channel_count = 1;
    struct dbf_buf buf;
    dbf_buf_init(&buf, 0);
    dbf__chat_text(&buf, text, DBF_MARKUP_SLACK, &roles, &log);
    snprintf(out, sizeof out, "%s", buf.data);
    dbf_buf_release(&buf);
    dbf__arena_release(&log.arena);
    dbf__roles_release(&roles);
    return out;
}

static const char *mattermost_clean(const char *text)
{
    static char out[512];
    struct dbf__roles roles;
    char err[256];
    dbf__roles_init(&roles);
    assert_true(
        dbf__roles_load(&roles, put("r.yml", "dana: incident commander\n"), err, sizeof err));
    struct dbf__chat_log log = {0};
    dbf__arena_init(&log.arena);
    dbf__chat_log_person(&log)->id = "eve";
    struct dbf_buf buf;
    dbf_buf_init(&buf, 0);
    dbf__chat_text(&buf, text, DBF_MARKUP_MATTERMOST, &roles, &log);
    snprintf(out, sizeof out, "%s", buf.data);
    dbf_buf_release(&buf);
    free(log.people);
    dbf__arena_release(&log.arena);
    dbf__roles_release(&roles);
    return out;
}

static void test_slack_mrkdwn_cleanup(void **state)
{
    (void)state;
    assert_string_equal(slack_clean("<@U1> and <@U2|bob> look"),
                        "the on-call engineer and a responder look");
    assert_string_equal(slack_clean("in <#C9> and <#C7|war-room>"), "in #incidents and #war-room");
    assert_string_equal(
        slack_clean("<!here> <!channel> <!subteam^S1|@sre> <!date^1773183780^{time}|23:03>"),
        "@here @channel @sre 23:03");
    assert_string_equal(slack_clean("see <https://x.example/a?b=1&amp;c=2|the [graph]>"),
                        "see [the \\[graph\\]](https://x.example/a?b=1&c=2)");
    assert_string_equal(slack_clean("at <https://status.example.com>"),
                        "at <https://status.example.com>");
    assert_string_equal(slack_clean("mail <mailto:ops@example.com|ops@example.com>"),
                        "mail ops@example.com");
    assert_string_equal(slack_clean("R&amp;D said 2 &lt; 3 &amp;&amp; 4 &gt; 1"),
                        "R&D said 2 < 3 && 4 > 1");
    /* Nothing the Markdown renderer could take for HTML or an entity. */
    assert_string_equal(slack_clean("&lt;script&gt;x&lt;/script&gt; &amp;copy;"),
                        "&lt;script>x&lt;/script> &amp;copy;");
    assert_string_equal(slack_clean("*bold* and ~gone~ but 2*3*4 and _it_"),
                        "**bold** and ~~gone~~ but 2*3*4 and _it_");
    assert_string_equal(slack_clean("line one\n\nline   two\t "), "line one line two");
    assert_string_equal(slack_clean("run ```kubectl rollout undo\ndeploy/api``` now"),
                        "run `kubectl rollout undo deploy/api` now");
    assert_string_equal(slack_clean("`a &lt;b&gt;` *x*"), "`a <b>` **x**");
    assert_string_equal(slack_clean("broken < bracket"), "broken &lt; bracket");
}

static void test_mattermost_text_cleanup(void **state)
{
    (void)state;
    assert_string_equal(mattermost_clean("@dana and @eve. ping @here, mail a@dana.io"),
                        "the incident commander and a responder. ping @here, mail a@dana.io");
    assert_string_equal(mattermost_clean("@unknown-group take a look"),
                        "@unknown-group take a look");
    assert_string_equal(mattermost_clean("see <https://example.com/x> <b>bold</b>"),
                        "see <https://example.com/x> &lt;b>bold&lt;/b>");
    assert_string_equal(mattermost_clean("done:\n```sql\nselect 1;\n```\n- a\n- b"),
                        "done: `select 1;` - a - b");
    assert_string_equal(mattermost_clean("`@dana` stays"), "`@dana` stays");
}

static void test_keep_emoji(void **state)
{
    (void)state;
    put("k/2026-03-10.json",
        "[{\"user\": \"U1\", \"ts\": \"1773183780.000100\", \"text\": \"pinned\", \"pinned_to\": "
        "[\"C1\"]},\n"
        " {\"user\": \"U1\", \"ts\": \"1773183790.000100\", \"text\": \"marked\", \"reactions\": "
        "[{\"name\": \"pushpin\", \"count\": 1}]},\n"
        " {\"user\": \"U1\", \"ts\": \"1773183791.000100\", \"text\": \"toned\", \"reactions\": "
        "[{\"name\": \"pushpin::skin-tone-3\", \"count\": 1}]},\n"
        " {\"user\": \"U1\", \"ts\": \"1773183792.000100\", \"text\": \"other\", \"reactions\": "
        "[{\"name\": \"pushpins\", \"count\": 1}, {\"name\": \"eyes\", \"count\": 1}]},\n"
        " {\"user\": \"U1\", \"ts\": \"1773183800.000100\", \"text\": \"plain\"}]\n");
    struct dbf_import_options o = {0};
    struct dbf_chat_import *im = load(in_scratch("k"), &o);
    assert_int_equal(im->count, 5);
    dbf_chat_import_free(im);
    o.keep_emoji = ":pushpin:";
    im = load(in_scratch("k"), &o);
    assert_int_equal(im->count, 3);
    assert_string_equal(im->entries[0].text, "pinned");
    assert_string_equal(im->entries[1].text, "marked");
    assert_string_equal(im->entries[2].text, "toned");
    assert_int_equal(im->counts.not_kept, 2);
    dbf_chat_import_free(im);
}

static void test_time_range(void **state)
{
    (void)state;
    write_slack_channel();
    char err[256];
    struct dbf_import_options o = {0};
    assert_true(dbf_chat_time_parse("2026-03-10T23:05", NULL, false, &o.since, err, sizeof err));
    assert_int_equal(o.since, 1773183900);
    assert_true(dbf_chat_time_parse("2026-03-10", NULL, true, &o.until, err, sizeof err));
    assert_int_equal(o.until, 1773187199);
    struct dbf_chat_import *im = load(in_scratch("inc"), &o);
    assert_int_equal(im->count, 2);
    assert_int_equal(im->entries[0].at, 1773183930);
    assert_int_equal(im->entries[1].at, 1773184320);
    assert_int_equal(im->counts.out_of_range, 2);
    dbf_chat_import_free(im);

    int64_t t;
    assert_true(dbf_chat_time_parse("2026-03-10 14:00:30+01:00", NULL, false, &t, err, sizeof err));
    assert_int_equal(t, 1773147630);
    assert_true(
        dbf_chat_time_parse("2026-07-02 14:40", "America/Los_Angeles", false, &t, err, sizeof err));
    assert_int_equal(t, 1783028400);
    assert_true(
        dbf_chat_time_parse("2026-07-02", "America/Los_Angeles", false, &t, err, sizeof err));
    assert_int_equal(t, 1782975600);
    assert_false(dbf_chat_time_parse("yesterday", NULL, false, &t, err, sizeof err));
    assert_non_null(strstr(err, "'yesterday' is not a date or time"));
    assert_false(dbf_chat_time_parse("2026-02-30", NULL, false, &t, err, sizeof err));
}

static const char *stamp(const char *zone_spec, int64_t at)
{
    static char out[64];
    char err[256];
    struct dbf__chat_zone *z = dbf__chat_zone_new(zone_spec, err, sizeof err);
    if (!z)
        print_message("%s\n", err);
    assert_non_null(z);
    struct dbf_buf buf;
    dbf_buf_init(&buf, 0);
    dbf__chat_zone_stamp(z, at, &buf);
    snprintf(out, sizeof out, "%s", buf.data);
    dbf_buf_release(&buf);
    dbf__chat_zone_free(z);
    return out;
}

static void test_zones(void **state)
{
    (void)state;
    assert_string_equal(stamp(NULL, 1773183780), "2026-03-10 23:03 UTC");
    assert_string_equal(stamp("Z", 1773183780), "2026-03-10 23:03 UTC");
    assert_string_equal(stamp("+05:30", 1773183780), "2026-03-11 04:33 +05:30");
    assert_string_equal(stamp("PST", 1783028400), "2026-07-02 13:40 PST");
    /* IANA names follow daylight saving time from the zone files. */
    assert_string_equal(stamp("America/Los_Angeles", 1783028400), "2026-07-02 14:40 PDT");
    assert_string_equal(stamp("America/Los_Angeles", 1773183780), "2026-03-10 16:03 PDT");
    assert_string_equal(stamp("America/Los_Angeles", 1772900000), "2026-03-07 08:13 PST");
    assert_string_equal(stamp("Europe/Paris", 1773183780), "2026-03-11 00:03 CET");
    assert_string_equal(stamp("Asia/Kathmandu", 1773183780), "2026-03-11 04:48 +05:45");
    /* Past the zone file's table, the POSIX rule of its footer: 2040-07-01 12:00 UTC. */
    assert_string_equal(stamp("America/New_York", 2224756800), "2040-07-01 08:00 EDT");
    assert_string_equal(stamp("America/New_York", 2240611200), "2040-12-31 19:00 EST");
    /* Midnight rollover backwards across a date. */
    assert_string_equal(stamp("-08:00", 1773187500), "2026-03-10 16:05 -08:00");

    char err[256];
    assert_null(dbf__chat_zone_new("Mars/Olympus_Mons", err, sizeof err));
    assert_non_null(strstr(err, "unknown zone 'Mars/Olympus_Mons'"));
    assert_null(dbf__chat_zone_new("../../etc/passwd", err, sizeof err));
    struct dbf_import_options o = {.zone = "Nowhere/City"};
    write_slack_channel();
    const char *e = load_error(in_scratch("inc"), &o);
    assert_non_null(strstr(e, "unknown zone"));
}

static void test_markdown_output(void **state)
{
    (void)state;
    write_slack_channel();
    struct dbf_import_options o = {.roles_path = in_scratch("roles.yml"), .zone = "Europe/Paris"};
    struct dbf_chat_import *im = load(in_scratch("inc"), &o);
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    dbf_chat_import_markdown(im, &o, &out);
    assert_string_equal(
        out.data, "- 2026-03-11 00:03 CET \xE2\x80\x94 the on-call engineer: p99 & errors up\n"
                  "- 2026-03-11 00:05 CET \xE2\x80\x94 the incident commander: I'm IC\n"
                  "- 2026-03-11 00:12 CET \xE2\x80\x94 the on-call engineer: pool at max\n"
                  "- 2026-03-11 01:05 CET \xE2\x80\x94 an SRE: back to normal\n");
    dbf_buf_release(&out);
    dbf_chat_import_free(im);
}

/* The document merged with the Slack channel's entries (UTC unless the
 * document says otherwise); NULL with ERR when the merge refuses. */
static char *merged(const char *markdown, char *err, size_t errlen)
{
    write_slack_channel();
    struct dbf_import_options o = {.roles_path = in_scratch("roles.yml")};
    struct dbf_chat_import *im = load(in_scratch("inc"), &o);
    struct dbf_doc *doc = dbf_doc_parse("pm.md", markdown, strlen(markdown), err, errlen);
    assert_non_null(doc);
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    bool ok = dbf_chat_import_merge(im, doc, markdown, strlen(markdown), &o, &out, err, errlen);
    dbf_doc_free(doc);
    dbf_chat_import_free(im);
    if (!ok) {
        dbf_buf_release(&out);
        return NULL;
    }
    return dbf_buf_detach(&out, NULL);
}

static void test_merge_list_in_time_order(void **state)
{
    (void)state;
    char err[256];
    char *out = merged("# Outage\n\n## Timeline\n\nAll times UTC.\n\n"
                       "- 2026-03-10 22:58 deploy 4812 [trigger]\n"
                       "- 2026-03-10 23:04 customers report errors\n"
                       "- 2026-03-11 00:01 recovered [resolved]\n"
                       "  details on a second line\n\n"
                       "## Impact\n\nNone.\n",
                       err, sizeof err);
    assert_non_null(out);
    assert_string_equal(
        out, "# Outage\n\n## Timeline\n\nAll times UTC.\n\n"
             "- 2026-03-10 22:58 deploy 4812 [trigger]\n"
             "- 2026-03-10 23:03 UTC \xE2\x80\x94 the on-call engineer: p99 & errors up\n"
             "- 2026-03-10 23:04 customers report errors\n"
             "- 2026-03-10 23:05 UTC \xE2\x80\x94 the incident commander: I'm IC\n"
             "- 2026-03-10 23:12 UTC \xE2\x80\x94 the on-call engineer: pool at max\n"
             "- 2026-03-11 00:01 recovered [resolved]\n"
             "  details on a second line\n"
             "- 2026-03-11 00:05 UTC \xE2\x80\x94 an SRE: back to normal\n\n"
             "## Impact\n\nNone.\n");
    /* Merging again adds nothing. */
    char *again = merged(out, err, sizeof err);
    assert_string_equal(again, out);
    free(again);
    free(out);
}

static void test_merge_keeps_zone_and_form(void **state)
{
    (void)state;
    char err[256];
    /* Undated times in the document's zone: 15:04 PDT is 22:04 UTC. */
    char *out =
        merged("---\ntimezone: America/Los_Angeles\nincident:\n  trigger: 2026-03-10T15:00\n---\n"
               "# Outage\n\n## Timeline\n\n"
               "| Time | Event |\n|---|---|\n| 15:04 | alert fired |\n| 16:10 | paged |\n"
               "| 17:30 | recovered |\n\n## Impact\n\nNone.\n",
               err, sizeof err);
    assert_non_null(out);
    assert_string_equal(
        out, "---\ntimezone: America/Los_Angeles\nincident:\n  trigger: 2026-03-10T15:00\n---\n"
             "# Outage\n\n## Timeline\n\n"
             "| Time | Event |\n|---|---|\n| 15:04 | alert fired |\n"
             "| 2026-03-10 16:03 PDT | the on-call engineer: p99 & errors up |\n"
             "| 2026-03-10 16:05 PDT | the incident commander: I'm IC |\n"
             "| 16:10 | paged |\n"
             "| 2026-03-10 16:12 PDT | the on-call engineer: pool at max |\n"
             "| 2026-03-10 17:05 PDT | an SRE: back to normal |\n"
             "| 17:30 | recovered |\n\n## Impact\n\nNone.\n");
    free(out);
}

static void test_merge_into_empty_timeline(void **state)
{
    (void)state;
    char err[256];
    char *out =
        merged("# Outage\n\n## Timeline\n\nTo be written.\n## Impact\n\nNone.\n", err, sizeof err);
    assert_non_null(out);
    assert_string_equal(
        out, "# Outage\n\n## Timeline\n\nTo be written.\n\n"
             "- 2026-03-10 23:03 UTC \xE2\x80\x94 the on-call engineer: p99 & errors up\n"
             "- 2026-03-10 23:05 UTC \xE2\x80\x94 the incident commander: I'm IC\n"
             "- 2026-03-10 23:12 UTC \xE2\x80\x94 the on-call engineer: pool at max\n"
             "- 2026-03-11 00:05 UTC \xE2\x80\x94 an SRE: back to normal\n\n"
             "## Impact\n\nNone.\n");
    free(out);
}

static void test_merge_headings_and_crlf(void **state)
{
    (void)state;
    char err[256];
    char *out =
        merged("# Outage\r\n\r\n## Timeline\r\n\r\n### 2026-03-10 23:04 UTC\r\n\r\n"
               "Customers report errors.\r\n\r\n### 2026-03-11 00:30 UTC\r\n\r\nAll clear.\r\n",
               err, sizeof err);
    assert_non_null(out);
    assert_string_equal(
        out, "# Outage\r\n\r\n## Timeline\r\n\r\n"
             "### 2026-03-10 23:03 UTC\r\n\r\nthe on-call engineer: p99 & errors up\r\n\r\n"
             "### 2026-03-10 23:04 UTC\r\n\r\nCustomers report errors.\r\n"
             "\r\n### 2026-03-10 23:05 UTC\r\n\r\nthe incident commander: I'm IC\r\n"
             "\r\n### 2026-03-10 23:12 UTC\r\n\r\nthe on-call engineer: pool at max\r\n"
             "\r\n### 2026-03-11 00:05 UTC\r\n\r\nan SRE: back to normal\r\n"
             "\r\n### 2026-03-11 00:30 UTC\r\n\r\nAll clear.\r\n");
    free(out);
}

static void test_merge_refuses_without_timeline(void **state)
{
    (void)state;
    char err[256];
    assert_null(merged("# Outage\n\n## Summary\n\nSomething broke.\n", err, sizeof err));
    assert_string_equal(err,
                        "pm.md: no timeline section to merge into; add a '## Timeline' heading");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_slack_channel_folder, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_slack_root_needs_channel, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_slack_edits_and_deletes_from_api_exports, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_slack_files, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_slack_bad_input_names_file_and_line, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_mattermost_posts_and_replies, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_mattermost_channel_choice, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_mattermost_bad_input_names_line, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_roles_map, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_slack_mrkdwn_cleanup, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_mattermost_text_cleanup, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_keep_emoji, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_time_range, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_zones, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_markdown_output, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_merge_list_in_time_order, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_merge_keeps_zone_and_form, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_merge_into_empty_timeline, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_merge_headings_and_crlf, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_merge_refuses_without_timeline, make_scratch,
                                        remove_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
