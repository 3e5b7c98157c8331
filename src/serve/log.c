/* log.c: the structured log, one JSON object per line on standard error. */
#include "serve.h"

#include "debrief/buf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

static json_t *timestamp(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char text[40];
    size_t n = strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(text + n, sizeof text - n, ".%03ldZ", (long)(tv.tv_usec / 1000));
    return json_string(text);
}

static void emit(json_t *line)
{
    char *text =
        line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(line);
    if (!text)
        return;
    fprintf(stderr, "%s\n", text);
    free(text);
}

void log_event(const char *event, json_t *fields)
{
    json_t *line = json_object();
    if (line) {
        json_object_set_new(line, "time", timestamp());
        json_object_set_new(line, "event", json_string(event));
        if (fields)
            json_object_update(line, fields);
    }
    json_decref(fields);
    emit(line);
}

/* Is S (LEN bytes) UTF-8 without a NUL, as json_stringn would take it? */
static bool utf8_text(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                                : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (c == 0 || n == 0 || i + n > len || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4))
            return false;
        for (size_t k = 1; k < n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        if ((n == 3 && c == 0xE0 && s[i + 1] < 0xA0) || (n == 3 && c == 0xED && s[i + 1] > 0x9F) ||
            (n == 4 && c == 0xF0 && s[i + 1] < 0x90) || (n == 4 && c == 0xF4 && s[i + 1] > 0x8F))
            return false;
        i += n;
    }
    return true;
}

/* Appends "NAME":"VALUE" to OUT, VALUE escaped as jansson writes it; a
 * client's bytes that are not UTF-8 text have every byte outside ASCII
 * (and any NUL) written as '?', so a hostile path never breaks the line.
 * Runs that need no escape are copied whole. */
static void add_string(struct dbf_buf *out, const char *name, const char *value, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    bool text = utf8_text((const unsigned char *)value, len);
    dbf_buf_adds(out, ",\"");
    dbf_buf_adds(out, name);
    dbf_buf_adds(out, "\":\"");
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        bool plain = c >= 0x20 && c != '"' && c != '\\' && (text || (c < 0x80 && c != 0));
        if (plain)
            continue;
        dbf_buf_add(out, value + run, i - run);
        run = i + 1;
        if (!text && (c >= 0x80 || c == 0)) {
            dbf_buf_addc(out, '?');
        } else if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            dbf_buf_add(out, esc, 2);
        } else {
            const char *named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                              : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
            if (named) {
                dbf_buf_add(out, named, 2);
            } else {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                dbf_buf_add(out, u, 6);
            }
        }
    }
    dbf_buf_add(out, value + run, len - run);
    dbf_buf_addc(out, '"');
}

/* Appends V in decimal. */
static void add_number(struct dbf_buf *out, unsigned long long v)
{
    char digits[24];
    size_t i = sizeof digits;
    do {
        digits[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    dbf_buf_add(out, digits + i, sizeof digits - i);
}

/* The time of the line, "2026-11-26T21:19:38.123Z": the date and time are
 * formatted once a second per thread. */
static void add_time(struct dbf_buf *out)
{
    static _Thread_local time_t second = -1;
    static _Thread_local char text[32];
    struct timeval tv;
    gettimeofday(&tv, NULL);
    if (tv.tv_sec != second) {
        struct tm tm;
        gmtime_r(&tv.tv_sec, &tm);
        if (strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.", &tm) == 0)
            text[0] = '\0';
        second = tv.tv_sec;
    }
    long ms = (long)(tv.tv_usec / 1000);
    char frac[5] = {(char)('0' + ms / 100), (char)('0' + ms / 10 % 10), (char)('0' + ms % 10), 'Z',
                    '\0'};
    dbf_buf_adds(out, text);
    dbf_buf_adds(out, frac);
}

/* The line names the request but holds none of its credentials: no
 * Authorization or Cookie header, no body. Written without building a JSON
 * tree: it is the work of every request. */
void log_access(const h2o_req_t *req, const char *route, double seconds)
{
    struct dbf_buf line;
    dbf_buf_init(&line, 0);
    dbf_buf_adds(&line, "{\"time\":\"");
    add_time(&line);
    dbf_buf_adds(&line, "\",\"event\":\"request\",\"remote\":\"");
    struct sockaddr_storage ss;
    socklen_t len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    char host[INET6_ADDRSTRLEN] = "";
    if (len > 0 && ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
    else if (len > 0 && ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
    dbf_buf_adds(&line, host);
    dbf_buf_addc(&line, '"');
    add_string(&line, "method", req->method.base, req->method.len);
    add_string(&line, "path", req->path.base, req->path.len);
    add_string(&line, "route", route, strlen(route));
    dbf_buf_adds(&line, ",\"status\":");
    add_number(&line, (unsigned long long)(req->res.status < 0 ? 0 : req->res.status));
    dbf_buf_adds(&line, ",\"bytes\":");
    add_number(&line, (unsigned long long)req->bytes_sent);
    /* As jansson writes a real with 6 digits: "%.6g", and ".0" when that
     * reads as a whole number. */
    char ms[40];
    snprintf(ms, sizeof ms, "%.6g", (double)(long long)(seconds * 1e6) / 1e3);
    dbf_buf_adds(&line, ",\"duration_ms\":");
    dbf_buf_adds(&line, ms);
    if (!strpbrk(ms, ".e"))
        dbf_buf_adds(&line, ".0");
    ssize_t ua = h2o_find_header(&req->headers, H2O_TOKEN_USER_AGENT, -1);
    if (ua >= 0)
        add_string(&line, "user_agent", req->headers.entries[ua].value.base,
                   req->headers.entries[ua].value.len);
    dbf_buf_adds(&line, "}\n");
    if (!line.failed)
        fwrite(line.data, 1, line.len, stderr);
    dbf_buf_release(&line);
}
