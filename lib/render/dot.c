/* dot.c: fenced `dot` blocks drawn by Graphviz's library as inline SVG.
 *
 * Graphviz keeps global state (its context, its error handler), so every
 * call runs under one mutex and shares one context for the process. A graph
 * may not make Graphviz read files (images, shape files) or carry links,
 * and a graph too large to lay out quickly is refused: a post mortem is
 * input from anyone. A broken graph shows Graphviz's message and the source
 * as code; it never fails the page. */
#include "parts.h"

#include <ctype.h>
#include <gvc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_SOURCE ((size_t)64 << 10)
#define MAX_NODES 400
#define MAX_EDGES 1600

static pthread_mutex_t graphviz_lock = PTHREAD_MUTEX_INITIALIZER;
static GVC_t *context;
static struct dbf_buf *errors; /* where Graphviz's messages go while the lock is held */

static int collect_error(char *message)
{
    if (errors && errors->len < 1024)
        dbf_buf_adds(errors, message);
    return 0;
}

/* Attributes that make Graphviz read files or draw links. */
static char *const forbidden[] = {"image",     "shapefile", "imagepath", "fontpath", "URL",
                                  "href",      "labelURL",  "headURL",   "tailURL",  "edgeURL",
                                  "labelhref", "headhref",  "tailhref",  "edgehref", NULL};

static const char *refusal(Agraph_t *g, const char *source)
{
    static const int kinds[] = {AGRAPH, AGNODE, AGEDGE};
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; forbidden[i]; i++)
            if (agattr(g, kinds[k], forbidden[i], NULL))
                return forbidden[i];
    for (const char *p = source; (p = strchr(p, '<')) != NULL; p++)
        if (strncasecmp(p + 1, "img", 3) == 0)
            return "IMG";
    return NULL;
}

static void use_sans_serif(Agraph_t *g)
{
    static const int kinds[] = {AGRAPH, AGNODE, AGEDGE};
    for (size_t k = 0; k < 3; k++)
        if (!agattr(g, kinds[k], "fontname", NULL))
            agattr(g, kinds[k], "fontname", "Helvetica");
}

/* Appends the <svg> element of Graphviz's output: no XML prolog, doctype or
 * comments, no <a> elements, and a role and label for screen readers. */
static void add_svg(struct dbf_buf *out, const char *svg, size_t len)
{
    const char *end = svg + len;
    const char *p = strstr(svg, "<svg");
    if (!p)
        return;
    dbf_buf_adds(out, "<svg role=\"img\" aria-label=\"Diagram\"");
    p += 4;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) {
            dbf_buf_add(out, p, (size_t)(end - p));
            break;
        }
        dbf_buf_add(out, p, (size_t)(lt - p));
        const char *close = NULL;
        if (strncmp(lt, "<!--", 4) == 0) {
            close = strstr(lt + 4, "-->");
            p = close ? close + 3 : end;
            continue;
        }
        if ((strncmp(lt, "<a", 2) == 0 && (isspace((unsigned char)lt[2]) || lt[2] == '>')) ||
            strncmp(lt, "</a>", 4) == 0) {
            close = memchr(lt, '>', (size_t)(end - lt));
            p = close ? close + 1 : end;
            continue;
        }
        dbf_buf_addc(out, '<');
        p = lt + 1;
    }
}

static void show_error(struct dbf__page *page, struct dbf_buf *out, const char *source,
                       const char *message, int line)
{
    dbf__notes_add(page, line, "the dot graph is not drawn: %s", message);
    dbf_buf_adds(out, "<figure class=\"diagram diagram-error\">\n");
    struct dbf_buf text;
    dbf_buf_init(&text, 0);
    dbf_buf_addf(&text, "This diagram could not be drawn: %s", message);
    dbf__note_html(out, false, text.data);
    dbf_buf_release(&text);
    dbf_buf_adds(out, "<pre><code class=\"language-dot\">");
    dbf_buf_add_html(out, source);
    dbf_buf_adds(out, "</code></pre>\n</figure>\n");
}

/* Graphviz's message on one line, without its "Error: " and trailing space. */
static void tidy_message(struct dbf_buf *msg)
{
    char *s = msg->data;
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    char *start = s;
    while (*start == ' ')
        start++;
    if (strncasecmp(start, "Error: ", 7) == 0)
        start += 7;
    size_t n = strlen(start);
    while (n && start[n - 1] == ' ')
        n--;
    memmove(s, start, n);
    s[n] = '\0';
    msg->len = n;
}

static int count_edges(Agraph_t *g)
{
    int edges = 0;
    for (Agnode_t *n = agfstnode(g); n && edges <= MAX_EDGES; n = agnxtnode(g, n))
        edges += agdegree(g, n, 0, 1);
    return edges;
}

void dbf__dot_html(struct dbf__page *page, struct dbf_buf *out, const char *source, int line)
{
    if (strlen(source) > MAX_SOURCE) {
        show_error(page, out, source, "the graph is larger than 64 KiB", line);
        return;
    }
    struct dbf_buf msg, svg;
    dbf_buf_init(&msg, 4096);
    dbf_buf_init(&svg, 0);
    const char *problem = NULL;
    char problem_text[160];

    pthread_mutex_lock(&graphviz_lock);
    errors = &msg;
    agusererrf previous = agseterrf(collect_error);
    agerrlevel_t previous_level = agseterr(AGERR);
    if (!context)
        context = gvContext();
    Agraph_t *g = context ? agmemread(source) : NULL;
    if (!context) {
        problem = "Graphviz could not start";
    } else if (!g) {
        tidy_message(&msg);
        problem = msg.len ? msg.data : "it is not a graph in the dot language";
    } else if ((problem = refusal(g, source)) != NULL) {
        snprintf(problem_text, sizeof problem_text,
                 "the attribute '%s' is not allowed in a report (it reads files or adds links)",
                 problem);
        problem = problem_text;
    } else if (agnnodes(g) > MAX_NODES || count_edges(g) > MAX_EDGES) {
        snprintf(problem_text, sizeof problem_text,
                 "the graph has more than %d nodes or %d edges; split it", MAX_NODES, MAX_EDGES);
        problem = problem_text;
    } else {
        use_sans_serif(g);
        char *data = NULL;
        unsigned int len = 0;
        if (gvLayout(context, g, "dot") != 0) {
            tidy_message(&msg);
            problem = msg.len ? msg.data : "Graphviz could not lay it out";
        } else {
            if (gvRenderData(context, g, "svg", &data, &len) == 0 && data)
                add_svg(&svg, data, len);
            else
                problem = "Graphviz could not draw it";
            gvFreeRenderData(data);
            gvFreeLayout(context, g);
        }
    }
    if (g)
        agclose(g);
    agseterr(previous_level);
    agseterrf(previous);
    errors = NULL;
    if (problem && problem != problem_text)
        snprintf(problem_text, sizeof problem_text, "%s", problem);
    pthread_mutex_unlock(&graphviz_lock);

    if (problem || svg.failed || !svg.len)
        show_error(page, out, source, problem ? problem_text : "Graphviz could not draw it", line);
    else {
        dbf_buf_adds(out, "<figure class=\"diagram\">\n");
        dbf_buf_add(out, svg.data, svg.len);
        dbf_buf_adds(out, "</figure>\n");
    }
    dbf_buf_release(&svg);
    dbf_buf_release(&msg);
}
