/* parse_floor.c: the least a linter of post mortems pays that parses them
 * with the libraries debrief parses them with.
 *
 *   parse-floor FILE...
 *
 * For each file: read it whole, parse its front matter (a "---" line to the
 * next "---" or "..." line) with libyaml to its last event, parse the rest
 * with cmark-gfm (the options and extensions debrief's parse uses, cmark-gfm's
 * own arena for memory, reset after each file) and walk the tree once,
 * reading each node's text. Nothing is kept and nothing reviewed, so
 * bench/run can set what lint spends beyond the parse against what the
 * parse costs at least. Exit status: 0, or 2 when a file cannot be read. */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* FILE's bytes, NUL-terminated, their count in *LEN; NULL with errno set
 * when it cannot be read. The caller frees. */
static char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    for (size_t got; s && (got = fread(s + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (n + 1 == cap) {
            char *more = realloc(s, cap *= 2);
            if (!more) {
                free(s);
                s = NULL;
                break;
            }
            s = more;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (!s || failed) {
        free(s);
        errno = failed ? EIO : ENOMEM;
        return NULL;
    }
    s[n] = '\0';
    *len = n;
    return s;
}

/* Is the line at S (up to its newline) exactly MARK, a CR allowed before
 * the newline? */
static int line_is(const char *s, const char *end, const char *mark)
{
    size_t n = strlen(mark);
    if ((size_t)(end - s) < n || memcmp(s, mark, n) != 0)
        return 0;
    s += n;
    if (s < end && *s == '\r')
        s++;
    return s == end || *s == '\n';
}

/* Where the body starts: past the front matter's closing line when S opens
 * with one, else 0. The front matter's text goes to libyaml; *EVENTS counts
 * what it reads. */
static size_t parse_front_matter(const char *s, size_t len, unsigned long *events)
{
    const char *end = s + len;
    if (!line_is(s, end, "---"))
        return 0;
    const char *start = memchr(s, '\n', len);
    if (!start)
        return 0;
    start++;
    for (const char *line = start; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *next = nl ? nl + 1 : end;
        if (line_is(line, end, "---") || line_is(line, end, "...")) {
            yaml_parser_t parser;
            if (yaml_parser_initialize(&parser)) {
                yaml_parser_set_input_string(&parser, (const unsigned char *)start,
                                             (size_t)(line - start));
                yaml_event_t event;
                while (yaml_parser_parse(&parser, &event)) {
                    int done = event.type == YAML_STREAM_END_EVENT;
                    yaml_event_delete(&event);
                    ++*events;
                    if (done)
                        break;
                }
                yaml_parser_delete(&parser);
            }
            return (size_t)(next - s);
        }
        line = next;
    }
    return 0;
}

/* Parses BODY as debrief does and walks the tree once; the count of nodes
 * and of text bytes read goes to *NODES and *BYTES. */
static void parse_body(const char *body, size_t len, cmark_mem *mem, unsigned long *nodes,
                       unsigned long *bytes)
{
    cmark_parser *parser =
        cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES, mem);
    static const char *const extensions[] = {"table", "tasklist", "strikethrough"};
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, body, len);
    cmark_node *root = cmark_parser_finish(parser);
    cmark_iter *iter = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        const char *text = cmark_node_get_literal(cmark_iter_get_node(iter));
        ++*nodes;
        if (text)
            *bytes += strlen(text);
    }
    cmark_iter_free(iter);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs("usage: parse-floor FILE...\n\n"
              "Parses each post mortem as debrief does (front matter with libyaml, the body\n"
              "with cmark-gfm) and walks it once, reviewing nothing: bench/run's measure of\n"
              "the least a linter built on those libraries pays. Exit status: 0, or 2 when\n"
              "a file cannot be read.\n",
              argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    cmark_gfm_core_extensions_ensure_registered();
    cmark_mem *mem = cmark_get_arena_mem_allocator();
    unsigned long events = 0, nodes = 0, bytes = 0;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        size_t len = 0;
        char *source = read_whole(argv[i], &len);
        if (!source) {
            fprintf(stderr, "parse-floor: cannot read '%s': %s\n", argv[i], strerror(errno));
            status = 2;
            continue;
        }
        size_t body = parse_front_matter(source, len, &events);
        parse_body(source + body, len - body, mem, &nodes, &bytes);
        cmark_arena_reset();
        free(source);
    }
    printf("%d files: %lu front matter events, %lu nodes, %lu bytes of text\n", argc - 1, events,
           nodes, bytes);
    return status;
}
