/* mrkdwn.c: a chat message's text as one line of safe Markdown.
 *
 * Slack writes "mrkdwn": <@U123> mentions, <#C1|chan> channels, <url|label>
 * links, <!here> broadcasts, *bold*, ~strike~, and escapes &, < and > as
 * entities, so a raw '<' always opens one of those forms. Mattermost writes
 * Markdown with @name mentions. Either way the result is one line (a list
 * item of the timeline), people appear as their roles, and nothing in it can
 * be read as raw HTML. */
#include "chat.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Writes one line: runs of white space become one space, none at the ends. */
struct line {
    struct dbf_buf *out;
    size_t start;
    bool space;
};

static void put(struct line *l, const char *s, size_t n)
{
    if (!n)
        return;
    if (l->space && l->out->len > l->start)
        dbf_buf_addc(l->out, ' ');
    l->space = false;
    dbf_buf_add(l->out, s, n);
}

static void puts_(struct line *l, const char *s)
{
    put(l, s, strlen(s));
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A character of message text. '<' that could open an HTML tag and '&' that
 * could open an entity are escaped, so the text reads as written. */
static void put_char(struct line *l, const char *s, size_t i, size_t len)
{
    char c = s[i];
    if (is_space(c)) {
        l->space = true;
        return;
    }
    if (c == '<' && i + 1 < len && (isalpha((unsigned char)s[i + 1]) || strchr("/!?", s[i + 1]))) {
        put(l, "&lt;", 4);
        return;
    }
    if (c == '&') {
        size_t j = i + 1;
        while (j < len && j - i < 32 && (isalnum((unsigned char)s[j]) || s[j] == '#'))
            j++;
        if (j > i + 1 && j < len && s[j] == ';') {
            put(l, "&amp;", 5);
            return;
        }
    }
    put(l, &c, 1);
}

/* Slack's three escapes decoded: the length of the entity at S[I], and the
 * character in *C; 0 when there is none. */
static size_t slack_entity(const char *s, size_t i, size_t len, char *c)
{
    static const struct {
        const char *name;
        char c;
    } entities[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}};
    for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++) {
        size_t n = strlen(entities[k].name);
        if (i + n <= len && memcmp(s + i, entities[k].name, n) == 0) {
            *c = entities[k].c;
            return n;
        }
    }
    return 0;
}

/* S[FROM..TO) with Slack's escapes decoded, each character made safe. */
static void put_slack_text(struct line *l, const char *s, size_t from, size_t to, bool in_label)
{
    struct dbf_buf decoded;
    dbf_buf_init(&decoded, 0);
    for (size_t i = from; i < to;) {
        char c;
        size_t e = slack_entity(s, i, to, &c);
        dbf_buf_addc(&decoded, e ? c : s[i]);
        i += e ? e : 1;
    }
    for (size_t i = 0; i < decoded.len; i++) {
        if (in_label && (decoded.data[i] == '[' || decoded.data[i] == ']')) {
            char esc[2] = {'\\', decoded.data[i]};
            put(l, esc, 2);
        } else {
            put_char(l, decoded.data, i, decoded.len);
        }
    }
    dbf_buf_release(&decoded);
}

/* A code span or block from OPEN to CLOSE (exclusive), as one inline span. */
static void put_code(struct line *l, const char *s, size_t from, size_t to, bool slack)
{
    while (from < to && is_space(s[from]))
        from++;
    while (to > from && is_space(s[to - 1]))
        to--;
    if (from == to)
        return;
    bool tick = memchr(s + from, '`', to - from) != NULL;
    put(l, tick ? "`` " : "`", tick ? 3 : 1);
    for (size_t i = from; i < to;) {
        char c = s[i];
        size_t e = slack ? slack_entity(s, i, to, &c) : 0;
        if (is_space(c) && !e) {
            if (l->out->data[l->out->len - 1] != ' ')
                dbf_buf_addc(l->out, ' ');
        } else {
            dbf_buf_addc(l->out, c);
        }
        i += e ? e : 1;
    }
    dbf_buf_adds(l->out, tick ? " ``" : "`");
}

/* A code fence or span at S[I]: its end (after the closing ticks), the
 * content in [*FROM, *TO); 0 when the ticks are not closed. */
static size_t code_at(const char *s, size_t i, size_t len, size_t *from, size_t *to)
{
    size_t ticks = 0;
    while (i + ticks < len && s[i + ticks] == '`')
        ticks++;
    if (ticks != 1 && ticks != 3)
        return 0;
    for (size_t j = i + ticks; j + ticks <= len; j++) {
        if (s[j] == '\n' && ticks == 1)
            return 0;
        if (memcmp(s + j, ticks == 3 ? "```" : "`", ticks) == 0) {
            *from = i + ticks;
            *to = j;
            return j + ticks;
        }
    }
    return 0;
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* Slack's *bold* and ~strike~: the closing mark of the run opened at S[I],
 * or 0. A mark opens at a word's start and closes at a word's end on the
 * same line. */
static size_t emphasis_close(const char *s, size_t i, size_t len)
{
    char mark = s[i];
    if ((i > 0 && word_char(s[i - 1])) || i + 1 >= len || is_space(s[i + 1]) || s[i + 1] == mark)
        return 0;
    for (size_t j = i + 2; j < len && !strchr("\n`<", s[j]); j++)
        if (s[j] == mark && !is_space(s[j - 1]) && (j + 1 == len || !word_char(s[j + 1])))
            return j;
    return 0;
}

static void slack_angle(struct line *l, const char *s, size_t from, size_t to,
                        const struct dbf__roles *roles, const struct dbf__chat_log *log)
{
    const char *bar = memchr(s + from, '|', to - from);
    size_t head_end = bar ? (size_t)(bar - s) : to;
    size_t label = bar ? head_end + 1 : to;
    char id[128];
    size_t idn = head_end - from - 1 < sizeof id - 1 ? head_end - from - 1 : sizeof id - 1;
    if (s[from] == '@') {
        memcpy(id, s + from + 1, idn);
        id[idn] = '\0';
        puts_(l, dbf__roles_phrase(roles, log, id));
    } else if (s[from] == '#') {
        put(l, "#", 1);
        if (label < to) {
            l->space = false;
            put_slack_text(l, s, label, to, false);
            return;
        }
        memcpy(id, s + from + 1, idn);
        id[idn] = '\0';
        for (size_t i = 0; log && i < log->channel_count; i++)
            if (strcmp(log->channel_ids[i], id) == 0) {
                dbf_buf_adds(l->out, log->channel_names[i]);
                return;
            }
        dbf_buf_adds(l->out, id);
    } else if (s[from] == '!') {
        if (label < to) {
            put_slack_text(l, s, label, to, false);
            return;
        }
        size_t n = from + 1;
        while (n < head_end && s[n] != '^')
            n++;
        put(l, "@", 1);
        put_slack_text(l, s, from + 1, n, false);
    } else {
        size_t url_len = head_end - from;
        bool mailto = url_len > 7 && strncasecmp(s + from, "mailto:", 7) == 0;
        if (label < to) {
            if (mailto) {
                put_slack_text(l, s, label, to, false);
                return;
            }
            bool wrap = memchr(s + from, ' ', url_len) || memchr(s + from, ')', url_len) ||
                        memchr(s + from, '(', url_len);
            put(l, "[", 1);
            put_slack_text(l, s, label, to, true);
            dbf_buf_adds(l->out, wrap ? "](<" : "](");
            put_slack_text(l, s, from, head_end, false);
            dbf_buf_adds(l->out, wrap ? ">)" : ")");
        } else if (mailto) {
            put_slack_text(l, s, from + 7, head_end, false);
        } else if (memchr(s + from, ':', url_len) && !memchr(s + from, ' ', url_len)) {
            put(l, "<", 1);
            put_slack_text(l, s, from, head_end, false);
            dbf_buf_addc(l->out, '>');
        } else {
            put_slack_text(l, s, from, head_end, false);
        }
    }
}

static void slack_text(struct line *l, const char *s, size_t len, const struct dbf__roles *roles,
                       const struct dbf__chat_log *log)
{
    size_t close_at[2] = {0, 0}; /* pending closing marks of *bold* and ~strike~ */
    for (size_t i = 0; i < len;) {
        char c = s[i];
        size_t from, to, end;
        if (c == '`' && (end = code_at(s, i, len, &from, &to))) {
            put_code(l, s, from, to, true);
            i = end;
        } else if (c == '<') {
            const char *gt = memchr(s + i, '>', len - i);
            if (gt && gt > s + i + 1) {
                slack_angle(l, s, i + 1, (size_t)(gt - s), roles, log);
                i = (size_t)(gt - s) + 1;
            } else {
                put(l, "&lt;", 4);
                i++;
            }
        } else if (c == '*' || c == '~') {
            int k = c == '*' ? 0 : 1;
            if (close_at[k] == i && i) {
                put(l, k ? "~~" : "**", 2);
                close_at[k] = 0;
            } else if (!close_at[k] && (close_at[k] = emphasis_close(s, i, len))) {
                put(l, k ? "~~" : "**", 2);
            } else {
                put(l, &c, 1);
            }
            i++;
        } else {
            size_t j = i + 1;
            while (j < len && !strchr("`<*~", s[j]))
                j++;
            put_slack_text(l, s, i, j, false);
            i = j;
        }
    }
}

/* Mattermost's @name: the mention's length at S[I] (without trailing
 * periods), or 0. */
static size_t mention_at(const char *s, size_t i, size_t len)
{
    if (s[i] != '@' || (i > 0 && (word_char(s[i - 1]) || s[i - 1] == '.')))
        return 0;
    size_t j = i + 1;
    while (j < len && (isalnum((unsigned char)s[j]) || strchr("._-", s[j])))
        j++;
    while (j > i + 1 && s[j - 1] == '.')
        j--;
    return j > i + 1 ? j - i : 0;
}

static bool autolink_at(const char *s, size_t i, size_t len)
{
    size_t j = i + 1;
    while (j < len && (isalnum((unsigned char)s[j]) || strchr("+.-", s[j])))
        j++;
    if (j == i + 1 || j >= len || s[j] != ':')
        return false;
    while (j < len && s[j] != '>' && !is_space(s[j]) && s[j] != '<')
        j++;
    return j < len && s[j] == '>';
}

static void mattermost_text(struct line *l, const char *s, size_t len,
                            const struct dbf__roles *roles, const struct dbf__chat_log *log)
{
    for (size_t i = 0; i < len;) {
        size_t from, to, end, n;
        if (s[i] == '`' && (end = code_at(s, i, len, &from, &to))) {
            /* A fence's info string ("```sql") is not part of the code. */
            if (to - from > 0 && end - from == to - from + 3 && s[i + 1] == '`') {
                size_t k = from;
                while (k < to && !is_space(s[k]))
                    k++;
                if (k < to && s[k] == '\n')
                    from = k;
            }
            put_code(l, s, from, to, false);
            i = end;
        } else if ((n = mention_at(s, i, len))) {
            char name[128];
            size_t nn = n - 1 < sizeof name - 1 ? n - 1 : sizeof name - 1;
            memcpy(name, s + i + 1, nn);
            name[nn] = '\0';
            const char *phrase = dbf__roles_phrase(roles, log, name);
            bool known = log && dbf__chat_log_find(log, name);
            if (known || strcmp(phrase, "a responder") != 0)
                puts_(l, phrase);
            else
                put(l, s + i, n);
            i += n;
        } else if (s[i] == '<' && autolink_at(s, i, len)) {
            const char *gt = memchr(s + i, '>', len - i);
            put(l, s + i, (size_t)(gt - s) + 1 - i);
            i = (size_t)(gt - s) + 1;
        } else {
            put_char(l, s, i, len);
            i++;
        }
    }
}

void dbf__chat_text(struct dbf_buf *out, const char *text, enum dbf__chat_markup markup,
                    const struct dbf__roles *roles, const struct dbf__chat_log *log)
{
    struct line l = {out, out->len, false};
    if (!text)
        return;
    if (markup == DBF_MARKUP_SLACK)
        slack_text(&l, text, strlen(text), roles, log);
    else
        mattermost_text(&l, text, strlen(text), roles, log);
}
