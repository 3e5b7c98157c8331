/* test_render.c: unit tests of the report page (dbf_render_html). */
#include "harness.h"

#include "debrief/render.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The page and notes of the last render(); freed by the next call. */
static struct dbf_buf page, notes;

static const char *render_with(const char *markdown, const struct dbf_render_options *options)
{
    dbf_buf_release(&page);
    dbf_buf_release(&notes);
    dbf_buf_init(&page, 0);
    dbf_buf_init(&notes, 0);
    char err[256];
    struct dbf_doc *doc = dbf_doc_parse("test.md", markdown, strlen(markdown), err, sizeof err);
    if (!doc) {
        fprintf(stderr, "parse failed: %s\n", err);
        fail();
    }
    assert_true(dbf_render_html(doc, options, &page, &notes));
    dbf_doc_free(doc);
    return page.data;
}

static const char *render(const char *markdown)
{
    return render_with(markdown, NULL);
}

/* How often NEEDLE occurs in HAYSTACK, ignoring case. */
static size_t count_of(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = haystack; (p = strcasestr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

#define assert_contains(hay, needle)                                                               \
    do {                                                                                           \
        if (!strstr(hay, needle))                                                                  \
            fprintf(stderr, "missing: %s\n", needle);                                              \
        assert_non_null(strstr(hay, needle));                                                      \
    } while (0)

#define assert_lacks(hay, needle)                                                                  \
    do {                                                                                           \
        if (strcasestr(hay, needle))                                                               \
            fprintf(stderr, "found: %s\n...%.200s\n", needle, strcasestr(hay, needle));            \
        assert_null(strcasestr(hay, needle));                                                      \
    } while (0)

/* A page is self-contained and runs nothing: one <style>, no script, no
 * external resource, and the policy that forbids both. */
static void assert_inert(const char *html)
{
    assert_int_equal(count_of(html, "<script"), 0);
    assert_int_equal(count_of(html, "<link"), 0);
    assert_int_equal(count_of(html, "<iframe"), 0);
    assert_int_equal(count_of(html, "<object"), 0);
    assert_int_equal(count_of(html, "<embed"), 0);
    assert_int_equal(count_of(html, "<style"), 1);
    assert_int_equal(count_of(html, "href=\"javascript:"), 0);
    assert_int_equal(count_of(html, "src=\"http"), 0);
    assert_int_equal(count_of(html, "src=\"//"), 0);
    assert_contains(html, "Content-Security-Policy\" content=\"default-src 'none'; "
                          "style-src 'unsafe-inline'; img-src data:; script-src 'none'");
    /* Every src is a data URI. */
    for (const char *p = html; (p = strstr(p, " src=\"")) != NULL; p += 6)
        assert_int_equal(strncmp(p + 6, "data:", 5), 0);
}

static void test_page_frame(void **state)
{
    (void)state;
    const char *html = render("---\ntitle: Checkout down for 12 minutes\nseverity: SEV-2\n"
                              "status: review\nvisibility: internal\nservices: [checkout, cart]\n"
                              "---\n\n# Checkout down for 12 minutes\n\n## Summary\n\nText.\n");
    assert_int_equal(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">", 31), 0);
    assert_contains(html, "<title>Checkout down for 12 minutes</title>");
    assert_contains(html, "<h1>Checkout down for 12 minutes</h1>");
    /* The H1 of the body is the page's title, shown once. */
    assert_int_equal(count_of(html, "<h1"), 1);
    assert_contains(html, "<li class=\"badge sev-2\">SEV-2</li>");
    assert_contains(html, "<li class=\"badge status-review\">review</li>");
    assert_contains(html, "<li class=\"badge vis-internal\">internal</li>");
    assert_contains(html, "<dt>Services</dt><dd>checkout, cart</dd>");
    assert_contains(html, "@media print");
    assert_contains(html, "<h2><span class=\"anchor\" id=\"summary\"></span>Summary</h2>");
    assert_inert(html);
}

static void test_durations_in_header(void **state)
{
    (void)state;
    const char *html =
        render("---\ntimezone: UTC\nincident:\n  impact_start: 2026-03-10T14:04:00Z\n"
               "  detected: 2026-03-10T14:15:00Z\n"
               "  resolved: 2026-03-10T14:45:00Z\n---\n# T\n\n## Timeline\n\n"
               "- 14:04 errors start [customer]\n- 14:15 page [detected]\n"
               "- 14:45 recovered [resolved]\n");
    assert_contains(html, "<dt>Customer impact</dt><dd>41 min</dd>");
    assert_contains(html, "<dt>Time to detect</dt><dd>11 min</dd>");
    assert_contains(html, "<span><b>Detected</b> 14:15</span>");
    assert_lacks(html, "No durations could be derived");
    assert_contains(render("# T\n\nNo timeline.\n"), "No durations could be derived");
}

static const char restricted_doc[] =
    "---\n"
    "title: Search stale for 52 minutes\n"
    "severity: SEV-3\n"
    "owner_team: team-falcon-owners\n"
    "authors:\n"
    "  - Zelda Quaranta\n"
    "  - Yusuf Okonkwo-Marsh\n"
    "reviewer: Ximena Vantablack\n"
    "reviewer_team: team-heron-reviewers\n"
    "restricted:\n"
    "  customer: Globex Secret Account\n"
    "  ticket: SEC-99123\n"
    "services: [search]\n"
    "---\n"
    "# Search stale for 52 minutes\n"
    "\n"
    "## Summary\n"
    "\n"
    "The index was rebuilt from a stale snapshot.\n"
    "\n"
    "<!-- restricted -->\n"
    "The snapshot bucket was s3://project-nightjar-private and the key leaked.\n"
    "\n"
    "- a list item naming Wilhelmina Restricto\n"
    "<!-- /restricted -->\n"
    "\n"
    "The fix shipped at 10:40. Contact <!-- restricted -->Quentin Inline<!-- /restricted --> "
    "for details.\n"
    "\n"
    "## Lessons\n"
    "\n"
    "1. Snapshots need a freshness check.\n";

static const char *const secrets[] = {
    "team-falcon-owners",
    "Zelda Quaranta",
    "Yusuf Okonkwo-Marsh",
    "Ximena Vantablack",
    "team-heron-reviewers",
    "Globex Secret Account",
    "SEC-99123",
    "project-nightjar-private",
    "Wilhelmina Restricto",
    "Quentin Inline",
    NULL,
};

static void test_redaction_removes_every_restricted_string(void **state)
{
    (void)state;
    const struct dbf_review *review = lint_md(restricted_doc);
    /* Unredacted, they are all there: the test can fail. */
    struct dbf_render_options plain = {.findings = review};
    const char *html = render_with(restricted_doc, &plain);
    assert_non_null(strstr(html, "Zelda Quaranta"));
    assert_non_null(strstr(html, "project-nightjar-private"));
    assert_null(strstr(html, "Redacted version"));

    struct dbf_render_options options = {.redacted = true, .findings = review};
    html = render_with(restricted_doc, &options);
    for (size_t i = 0; secrets[i]; i++)
        assert_lacks(html, secrets[i]);
    assert_contains(html, "Redacted version");
    assert_contains(html, "<title>Search stale for 52 minutes (redacted)</title>");
    assert_contains(html, "The index was rebuilt from a stale snapshot.");
    assert_contains(html, "The fix shipped at 10:40. Contact");
    assert_contains(html, "Snapshots need a freshness check.");
    assert_contains(html, "SEV-3");
    assert_contains(html, "<dt>Services</dt><dd>search</dd>");
    assert_inert(html);
    lint_done();
}

static void test_redacted_markdown_keeps_line_numbers(void **state)
{
    (void)state;
    char err[256];
    struct dbf_doc *doc =
        dbf_doc_parse("r.md", restricted_doc, strlen(restricted_doc), err, sizeof err);
    assert_non_null(doc);
    struct dbf_buf md;
    dbf_buf_init(&md, 0);
    assert_true(dbf_render_redact_markdown(doc, &md, NULL));
    for (size_t i = 0; secrets[i]; i++)
        assert_lacks(md.data, secrets[i]);
    size_t lines = 0;
    for (size_t i = 0; i < md.len; i++)
        lines += md.data[i] == '\n';
    assert_int_equal(lines, (size_t)doc->line_count);
    /* The lesson is still on its own line. */
    struct dbf_doc *red = dbf_doc_parse("r.md", md.data, md.len, err, sizeof err);
    assert_non_null(red);
    assert_int_equal(red->lesson_count, 1);
    assert_int_equal(red->lessons[0].pos.line, doc->lessons[0].pos.line);
    assert_null(red->meta.reviewer.text);
    assert_int_equal(red->meta.authors.count, 0);
    assert_string_equal(red->meta.severity.text, "SEV-3");
    dbf_doc_free(red);
    dbf_buf_release(&md);
    dbf_doc_free(doc);
}

static void test_unclosed_restricted_block_hides_the_rest(void **state)
{
    (void)state;
    struct dbf_render_options options = {.redacted = true};
    const char *html = render_with("# T\n\nPublic part.\n\n<!-- restricted -->\n\nSecret "
                                   "Orchid plan.\n\n## More\n\nStill secret.\n",
                                   &options);
    assert_contains(html, "Public part.");
    assert_lacks(html, "Orchid");
    assert_lacks(html, "Still secret");
    assert_contains(notes.data, "5: the restricted block opened here is not closed");
}

static void test_restricted_keys(void **state)
{
    (void)state;
    assert_true(dbf_render_key_is_restricted("authors"));
    assert_true(dbf_render_key_is_restricted("Reviewer"));
    assert_true(dbf_render_key_is_restricted("owner_team"));
    assert_true(dbf_render_key_is_restricted("restricted"));
    assert_false(dbf_render_key_is_restricted("title"));
    assert_false(dbf_render_key_is_restricted("services"));
}

static void test_script_injection_is_inert(void **state)
{
    (void)state;
    const char *html = render(
        "---\ntitle: \"<script>alert('title')</script> Outage\"\nservices: ['<img src=x "
        "onerror=alert(1)>']\nseverity: '\"><script>alert(2)</script>'\n---\n"
        "# <script>alert('h1')</script>\n\n"
        "## Heading <img src=x onerror=alert(3)>\n\n"
        "<script>alert('block')</script>\n\n"
        "<div onclick=\"alert(4)\">div</div>\n\n"
        "Inline <script>alert(5)</script> and <b onclick=alert(6)>bold</b> and "
        "<svg onload=alert(7)></svg> and <iframe src=\"https://evil.example/\"></iframe>.\n\n"
        "[click](javascript:alert(8)) [data](data:text/html,<script>alert(9)</script>) "
        "<javascript:alert(10)> [vb](VBScript:msgbox)\n\n"
        "![img](javascript:alert(11)) ![remote](https://evil.example/pixel.png)\n\n"
        "| a | b |\n|---|---|\n| <script>alert(12)</script> | <img src=x onerror=alert(13)> |\n"
        "| [x](javascript:alert(14)) | <style>body{display:none}</style> |\n\n"
        "<style>body{display:none}</style>\n\n"
        "<a href=\"javascript:alert(15)\">a</a>\n");
    assert_inert(html);
    assert_lacks(html, "<img src=x");
    assert_lacks(html, "<b onclick");
    assert_lacks(html, "<svg onload");
    assert_lacks(html, "<div onclick");
    assert_lacks(html, "<a href=\"javascript");
    assert_lacks(html, "href=\"data:text");
    assert_lacks(html, "href=\"vbscript");
    /* What the author wrote is still visible, as text. */
    assert_contains(html, "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Outage");
    assert_contains(html, "&lt;b onclick=alert(6)&gt;bold");
    /* A remote image is a link, not a request. */
    assert_contains(html, "<a class=\"remote-image\" href=\"https://evil.example/pixel.png\">");
}

static void test_allowed_html_is_kept_bare(void **state)
{
    (void)state;
    const char *html = render("# T\n\n| a | b |\n|---|---|\n| one<br>two | H<sub>2</sub>O |\n\n"
                              "x<sup class=\"evil\">2</sup> <!-- a note to authors --> "
                              "&copy; &bogus &amp;\n\n<details>\n<summary>A &amp; B &bogus "
                              "&#x2014;</summary>\n</details>\n");
    assert_contains(html, "<td>one<br>two</td>");
    assert_contains(html, "<td>H<sub>2</sub>O</td>");
    /* A tag with attributes is text, not markup (a stray closing tag is harmless). */
    assert_contains(html, "x&lt;sup class=&quot;evil&quot;&gt;2</sup>");
    assert_lacks(html, "a note to authors");
    assert_contains(html, "\xc2\xa9 &amp;bogus &amp;");
    assert_contains(html,
                    "<details>\n<summary>A &amp; B &amp;bogus &#x2014;</summary>\n</details>");
}

static void test_lessons_and_actions_link_both_ways(void **state)
{
    (void)state;
    const char *html =
        render("# T\n\n## Lessons learned\n\n1. Canaries must run in every region.\n"
               "2. Timeouts need a fallback.\n3. A lesson nobody acts on.\n\n"
               "## Action items\n\n| # | Action | Owner | Due | Priority | Lesson |\n"
               "|---|---|---|---|---|---|\n"
               "| 1 | Add a canary per region | @ana | 2026-04-01 | P1 | #1 |\n"
               "| 2 | Authorise small baskets on timeout | @bo | 2026-04-02 | P2 | #1, #2 |\n"
               "| 3 | Fix the thing | @cy | 2026-04-03 | P2 | #9 |\n");
    assert_contains(html, "<span class=\"anchor\" id=\"lesson-1\"></span>Canaries");
    assert_contains(html, "<span class=\"anchor\" id=\"lesson-2\"></span>Timeouts");
    assert_contains(html, "<td><span class=\"anchor\" id=\"action-1\"></span>1</td>");
    assert_contains(html, "<td><span class=\"anchor\" id=\"action-3\"></span>3</td>");
    /* Lesson to actions. */
    assert_contains(html, "<span class=\"xref-label\">Addressed by</span> "
                          "<a href=\"#action-1\">action 1</a>, <a href=\"#action-2\">action 2</a>");
    assert_contains(html, "A lesson nobody acts on.\n<div class=\"xref\"><span "
                          "class=\"xref-missing\">No action item addresses this lesson.");
    /* Action to lessons, in the lesson column. */
    assert_contains(html, "<td><span class=\"xref-links\"><a href=\"#lesson-1\">lesson 1</a>, "
                          "<a href=\"#lesson-2\">lesson 2</a></span></td>");
    assert_contains(html, "lesson 9 <span class=\"xref-missing\">(no such lesson)</span>");
}

static void test_list_actions_link_to_lessons(void **state)
{
    (void)state;
    const char *html = render("# T\n\n## Lessons\n\n1. Alerts must watch latency.\n\n"
                              "## Action items\n\n1. Add a latency alert (owner: @ana, due: "
                              "2026-04-01, priority: P1, lesson: #1)\n");
    assert_contains(html, "id=\"action-1\"");
    assert_contains(html, "<span class=\"xref-label\">Addresses</span> <a href=\"#lesson-1\">"
                          "lesson 1</a>");
    assert_contains(html, "<a href=\"#action-1\">action 1</a>");
}

static void test_why_tree_has_numbers_and_branches(void **state)
{
    (void)state;
    const char *html =
        render("# T\n\n## Root cause\n\n1. Why were payments declined? -> Scoring was slow.\n"
               "2. Why was scoring slow? -> The cache was too small.\n"
               "3. Why was the cache small? -> It was sized for the old model.\n\n"
               "### Contributing factors\n\n"
               "1.1 Why did a slow score decline a payment? -> The router fails closed.\n\n"
               "1.2 Why did the canary pass? -> It checks errors only.\n\n## Lessons\n\n1. x\n");
    assert_contains(html, "<figure class=\"why-tree\">");
    assert_contains(html, "<span class=\"why-number\">1</span><div class=\"why-text\"><span "
                          "class=\"why-question\">Why were payments declined?</span> <span "
                          "class=\"why-answer\">Scoring was slow.</span>");
    /* Why 2 is nested under why 1; the branch hangs from why 1 too, after
     * the main chain, and its number is not repeated in its question. */
    const char *one = strstr(html, ">1</span>");
    const char *two = strstr(html, ">2</span>");
    const char *three = strstr(html, ">3</span>");
    const char *branch = strstr(html, "<li class=\"why branch\">");
    assert_non_null(one);
    assert_non_null(two);
    assert_non_null(three);
    assert_non_null(branch);
    assert_true(one < two && two < three && three < branch);
    assert_contains(branch, ">1.1</span><div class=\"why-text\"><span class=\"why-question\">Why "
                            "did a slow score decline a payment?</span>");
    assert_contains(branch, ">1.2</span>");
    /* The tree is in the root cause section, before the lessons. */
    assert_true(strstr(html, "why-tree") < strstr(html, "id=\"lessons\""));
    /* Nesting: as many <ul> opened as closed. */
    assert_int_equal(count_of(html, "<ul"), count_of(html, "</ul>"));
}

static void test_dot_graph_is_drawn(void **state)
{
    (void)state;
    const char *html = render("# T\n\n```dot\ndigraph g { checkout -> payments [label=\"pay\"]; }\n"
                              "```\n");
    assert_contains(html, "<figure class=\"diagram\">\n<svg role=\"img\" aria-label=\"Diagram\"");
    assert_contains(html, ">checkout</text>");
    assert_lacks(html, "<?xml");
    assert_lacks(html, "<!DOCTYPE svg");
    assert_lacks(html, "<!-- Generated");
    assert_int_equal(notes.len, 0);
}

static void test_broken_dot_graph_shows_its_error(void **state)
{
    (void)state;
    const char *html = render("# T\n\nBefore.\n\n```dot\ndigraph g { a -> ; <b>x</b> }\n```\n\n"
                              "After.\n");
    assert_contains(html, "This diagram could not be drawn: ");
    assert_contains(html, "<pre><code class=\"language-dot\">digraph g { a -&gt; ; &lt;b&gt;x"
                          "&lt;/b&gt; }\n</code></pre>");
    assert_contains(html, "After.");
    assert_contains(notes.data, "5: the dot graph is not drawn: ");
    assert_lacks(html, "<svg role=\"img\" aria-label=\"Diagram\"");
}

static void test_dot_graph_cannot_read_files_or_link(void **state)
{
    (void)state;
    const char *html = render("# T\n\n```dot\ndigraph { a [image=\"/etc/passwd\"]; }\n```\n\n"
                              "```dot\ndigraph { a [URL=\"javascript:alert(1)\"]; }\n```\n\n"
                              "```dot\ndigraph { a [label=<<IMG SRC=\"/etc/hostname\"/>>]; }\n"
                              "```\n");
    assert_int_equal(count_of(html, "could not be drawn"), 3);
    assert_contains(html, "the attribute &#39;image&#39; is not allowed");
    assert_contains(html, "the attribute &#39;URL&#39; is not allowed");
    assert_lacks(html, "xlink:href");
    assert_inert(html);
}

/* A folder with a post mortem in docs/ and images in and around it. */
static char folder[256];

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void make_folder(void)
{
    snprintf(folder, sizeof folder, "/tmp/debrief-render-XXXXXX");
    assert_non_null(mkdtemp(folder));
    char path[512];
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                        0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    snprintf(path, sizeof path, "%s/docs", folder);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/docs/img", folder);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/docs/img/graph one.png", folder);
    write_file(path, png, sizeof png);
    snprintf(path, sizeof path, "%s/docs/img/notes.txt", folder);
    write_file(path, "plain text", 10);
    snprintf(path, sizeof path, "%s/outside.png", folder);
    write_file(path, png, sizeof png);
    char target[512];
    snprintf(target, sizeof target, "%s/outside.png", folder);
    snprintf(path, sizeof path, "%s/docs/img/link.png", folder);
    assert_int_equal(symlink(target, path), 0);
}

static void remove_folder(void)
{
    static const char *const files[] = {"docs/img/graph one.png",
                                        "docs/img/notes.txt",
                                        "docs/img/link.png",
                                        "outside.png",
                                        "docs/img",
                                        "docs",
                                        ""};
    char path[512];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", folder, files[i]);
        remove(path);
    }
}

static void test_images_only_from_the_documents_folder(void **state)
{
    (void)state;
    make_folder();
    char base[300], md[1200];
    snprintf(base, sizeof base, "%s/docs", folder);
    snprintf(md, sizeof md,
             "# T\n\n![the graph](img/graph%%20one.png)\n\n![up](../outside.png)\n\n"
             "![absolute](%s/outside.png)\n\n![link](img/link.png)\n\n![passwd](/etc/passwd)\n\n"
             "![text](img/notes.txt)\n\n![missing](img/nothing.png)\n\n"
             "| a |\n|---|\n| ![in a cell](img/graph%%20one.png) |\n",
             folder);
    struct dbf_render_options options = {.base_dir = base};
    const char *html = render_with(md, &options);
    assert_int_equal(count_of(html, "<img src=\"data:image/png;base64,iVBORw0KGgo"), 2);
    assert_contains(html, "alt=\"the graph\">");
    assert_contains(html, "<td><img src=\"data:image/png;base64,");
    assert_int_equal(count_of(html, "is outside the document&#39;s folder"), 4);
    assert_contains(html, "Image &#39;img/notes.txt&#39; (text) is not shown: it is not a PNG");
    assert_contains(html, "Image &#39;img/nothing.png&#39; (missing) is not shown: no such file");
    assert_contains(notes.data, "5: image '../outside.png' is not shown: it is outside the "
                                "document's folder");
    assert_contains(notes.data, "11: image '/etc/passwd' is not shown");
    assert_lacks(html, "root:");
    assert_inert(html);
    remove_folder();
}

static void test_missing_metrics_file_is_a_note(void **state)
{
    (void)state;
    const char *html = render("---\nmetrics:\n  - file: metrics/nowhere.csv\n    title: Errors\n"
                              "---\n# T\n\n## Metrics\n\nThe graph.\n\n## Impact\n\nx\n");
    assert_contains(html, "<p class=\"note\" role=\"note\">Metrics file &#39;metrics/nowhere.csv"
                          "&#39; is not drawn: no such file</p>");
    assert_contains(notes.data, "3: Metrics file 'metrics/nowhere.csv' is not drawn: no such file");
    /* In the metrics section, before the next one. */
    const char *note = strstr(html, "nowhere.csv");
    assert_true(strstr(html, "id=\"metrics\"") < note && note < strstr(html, "id=\"impact\""));
}

/* A file source holding two files, recording what was asked of it. */
static char *asked[8];
static size_t asked_count;

static unsigned char *memory_read(void *context, const char *name, size_t max, size_t *len,
                                  char *why, size_t whylen)
{
    (void)context;
    if (asked_count < 8)
        asked[asked_count++] = strdup(name);
    static const unsigned char png[] = "\x89PNG\r\n\x1a\n0000";
    static const char csv[] = "time,errors\n2026-03-10T14:00:00Z,1\n2026-03-10T14:05:00Z,9\n";
    const void *data = strcmp(name, "img/graph.png") == 0        ? (const void *)png
                       : strcmp(name, "metrics/errors.csv") == 0 ? (const void *)csv
                                                                 : NULL;
    size_t size = data == png ? sizeof png - 1 : data ? sizeof csv - 1 : 0;
    if (!data || size > max) {
        snprintf(why, whylen, "%s", data ? "too large" : "no such file");
        return NULL;
    }
    unsigned char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    *len = size;
    return copy;
}

static void test_files_from_a_file_source(void **state)
{
    (void)state;
    asked_count = 0;
    struct dbf_render_files files = {.read = memory_read};
    struct dbf_render_options options = {.files = &files, .base_dir = "/"};
    const char *html =
        render_with("---\nmetrics:\n  - file: ./metrics//errors.csv\n    title: Errors\n"
                    "  - file: metrics/gone.csv\n---\n# T\n\n## Metrics\n\n![g](img/graph.png)\n\n"
                    "![up](../etc/passwd) ![abs](/etc/passwd) ![q](img/graph.png?v=2#top)\n",
                    &options);
    assert_int_equal(count_of(html, "<img src=\"data:image/png;base64,"), 2);
    assert_contains(html, "<svg");
    assert_contains(html, "Metrics file &#39;metrics/gone.csv&#39; is not drawn: no such file");
    assert_int_equal(count_of(html, "named without &#39;..&#39;"), 2);
    assert_lacks(html, "root:");
    /* Only normalised names reach the source; nothing outside was asked for. */
    for (size_t i = 0; i < asked_count; i++) {
        assert_null(strstr(asked[i], ".."));
        assert_true(asked[i][0] != '/' && asked[i][0] != '.');
        free(asked[i]);
    }
    assert_int_equal(asked_count, 4);
}

static void test_a_page_embeds_a_bounded_number_of_images(void **state)
{
    (void)state;
    asked_count = 8; /* record nothing */
    struct dbf_render_files files = {.read = memory_read};
    struct dbf_render_options options = {.files = &files};
    struct dbf_buf md;
    dbf_buf_init(&md, 0);
    dbf_buf_adds(&md, "# T\n\n");
    for (int i = 0; i < 250; i++)
        dbf_buf_adds(&md, "![g](img/graph.png)\n");
    const char *html = render_with(md.data, &options);
    assert_int_equal(count_of(html, "<img src=\"data:image/png;base64,"), 200);
    assert_int_equal(count_of(html, "the page already embeds 200 images"), 50);
    dbf_buf_release(&md);
}

static void test_file_names(void **state)
{
    (void)state;
    static const char *const good[][2] = {
        {"a.csv", "a.csv"},
        {"./metrics//p99.csv", "metrics/p99.csv"},
        {"metrics/./p99.csv/", "metrics/p99.csv"},
        {"img/graph one.png", "img/graph one.png"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct dbf_buf out;
        dbf_buf_init(&out, 0);
        assert_true(dbf_render_file_name(good[i][0], &out));
        assert_string_equal(out.data, good[i][1]);
        dbf_buf_release(&out);
    }
    static const char *const bad[] = {
        "",   "/etc/passwd", "../x",        "a/../../x",       "a/..", "a\\b", "a\tb", ".",
        "./", "//",          ".git/config", "img/.hidden.png", ".env"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct dbf_buf out;
        dbf_buf_init(&out, 0);
        assert_false(dbf_render_file_name(bad[i], &out));
        assert_int_equal(out.len, 0);
        dbf_buf_release(&out);
    }
    char longname[DBF_RENDER_FILE_NAME_MAX + 2];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    struct dbf_buf out;
    dbf_buf_init(&out, 0);
    assert_false(dbf_render_file_name(longname, &out));
    dbf_buf_release(&out);
}

static void test_files_a_document_names(void **state)
{
    (void)state;
    static const char md[] =
        "---\nmetrics:\n  - file: metrics/a.csv\n  - file: ./metrics/a.csv\n"
        "  - file: ../up.csv\n---\n# T\n\n![x](img/x%20y.png) ![r](https://example.com/r.png)\n"
        "![d](data:image/png;base64,AAAA) ![p](//cdn/x.png) ![again](img/x%20y.png?x=1)\n\n"
        "| a |\n|---|\n| ![c](cell.gif) |\n";
    char err[256];
    struct dbf_doc *doc = dbf_doc_parse("t.md", md, strlen(md), err, sizeof err);
    assert_non_null(doc);
    char **names;
    size_t n = dbf_render_files_named(doc, &names);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "metrics/a.csv");
    assert_string_equal(names[1], "img/x y.png");
    assert_string_equal(names[2], "cell.gif");
    dbf_render_files_free(names, n);
    dbf_doc_free(doc);
}

static void test_findings_appendix(void **state)
{
    (void)state;
    const char *md = "# Outage\n\nSome customers were affected.\n";
    const struct dbf_review *review = lint_md(md);
    assert_true(review->finding_count > 0);
    struct dbf_render_options options = {.findings = review};
    const char *html = render_with(md, &options);
    assert_contains(html, "<h2 id=\"review\">Review</h2>");
    char row[256];
    snprintf(row, sizeof row, "<tr><td>%d:%d</td><td class=\"sev-%s\">",
             review->findings[0].pos.line, review->findings[0].pos.column,
             dbf_severity_name(review->findings[0].severity));
    assert_contains(html, row);
    assert_contains(html, "<code>structure/missing-section</code>");
    lint_done();
    assert_lacks(render(md), "id=\"review\"");
}

static void test_heading_ids_are_unique(void **state)
{
    (void)state;
    const char *html =
        render("# T\n\n## Lessons\n\n1. One.\n\n## Notes\n\n### Notes\n\n## Review\n");
    assert_contains(html, "id=\"notes\"");
    assert_contains(html, "id=\"notes-2\"");
    /* "review" belongs to the appendix. */
    assert_contains(html, "id=\"review-2\"");
    assert_contains(html, "id=\"lesson-1\"");
}

static void test_links_to_headings_as_written(void **state)
{
    (void)state;
    const char *html =
        render("# T\n\nSee [the cause](#Root%20Cause), [refs](#References) and "
               "[nothing](#nowhere).\n\n## Root Cause\n\nx\n\n## References\n\n1. y\n");
    assert_contains(html, "<a href=\"#root-cause\">the cause</a>");
    assert_contains(html, "<a href=\"#references\">refs</a>");
    assert_contains(html, "<a href=\"#nowhere\">nothing</a>");
}

static void test_nested_images_and_html(void **state)
{
    (void)state;
    const char *html = render("# Title <b>x</b> ![t](a.png)\n\n"
                              "![outer <b>bold</b> ![inner <i>i</i>](in.png)](out.png)\n\n"
                              "## H <br> ![x](y.png)\n\n[link ![img](z.png) <b>b</b>](#h)\n");
    assert_inert(html);
    assert_contains(html, "Image &#39;out.png&#39;");
    /* Notes come in the order of their lines, whatever order they were found in. */
    assert_contains(notes.data, "1: image 'a.png'");
    assert_true(strstr(notes.data, "1: image 'a.png'") < strstr(notes.data, "3: image 'out.png'"));
    assert_true(strstr(notes.data, "3: image 'out.png'") < strstr(notes.data, "7: image 'z.png'"));
}

static int teardown(void **state)
{
    (void)state;
    dbf_buf_release(&page);
    dbf_buf_release(&notes);
    return 0;
}

int main(void)
{
    dbf_buf_init(&page, 0);
    dbf_buf_init(&notes, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_frame),
        cmocka_unit_test(test_durations_in_header),
        cmocka_unit_test(test_redaction_removes_every_restricted_string),
        cmocka_unit_test(test_redacted_markdown_keeps_line_numbers),
        cmocka_unit_test(test_unclosed_restricted_block_hides_the_rest),
        cmocka_unit_test(test_restricted_keys),
        cmocka_unit_test(test_script_injection_is_inert),
        cmocka_unit_test(test_allowed_html_is_kept_bare),
        cmocka_unit_test(test_lessons_and_actions_link_both_ways),
        cmocka_unit_test(test_list_actions_link_to_lessons),
        cmocka_unit_test(test_why_tree_has_numbers_and_branches),
        cmocka_unit_test(test_dot_graph_is_drawn),
        cmocka_unit_test(test_broken_dot_graph_shows_its_error),
        cmocka_unit_test(test_dot_graph_cannot_read_files_or_link),
        cmocka_unit_test(test_images_only_from_the_documents_folder),
        cmocka_unit_test(test_missing_metrics_file_is_a_note),
        cmocka_unit_test(test_files_from_a_file_source),
        cmocka_unit_test(test_file_names),
        cmocka_unit_test(test_a_page_embeds_a_bounded_number_of_images),
        cmocka_unit_test(test_files_a_document_names),
        cmocka_unit_test(test_findings_appendix),
        cmocka_unit_test(test_heading_ids_are_unique),
        cmocka_unit_test(test_links_to_headings_as_written),
        cmocka_unit_test(test_nested_images_and_html),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
