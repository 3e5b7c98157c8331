/* log.c: the structured log, one JSON object per line on standard error. */
#include "serve.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

/* A JSON string of the client-supplied BYTES: invalid UTF-8 becomes '?'
 * so that a hostile path never breaks the line. */
static json_t *client_string(const char *bytes, size_t len)
{
    json_t *s = json_stringn(bytes, len);
    if (s)
        return s;
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    for (size_t i = 0; i < len; i++)
        copy[i] = (unsigned char)bytes[i] < 0x80 && bytes[i] != '\0' ? bytes[i] : '?';
    s = json_stringn(copy, len);
    free(copy);
    return s;
}

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

static json_t *peer_of(const h2o_req_t *req)
{
    struct sockaddr_storage ss;
    socklen_t len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    char host[INET6_ADDRSTRLEN] = "";
    if (len > 0 && ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
    else if (len > 0 && ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
    return json_string(host);
}

/* The line names the request but holds none of its credentials: no
 * Authorization or Cookie header, no body. */
void log_access(const h2o_req_t *req, const char *route, double seconds)
{
    json_t *line = json_object();
    if (!line)
        return;
    json_object_set_new(line, "time", timestamp());
    json_object_set_new(line, "event", json_string("request"));
    json_object_set_new(line, "remote", peer_of(req));
    json_object_set_new(line, "method", client_string(req->method.base, req->method.len));
    json_object_set_new(line, "path", client_string(req->path.base, req->path.len));
    json_object_set_new(line, "route", json_string(route));
    json_object_set_new(line, "status", json_integer(req->res.status));
    json_object_set_new(line, "bytes", json_integer((json_int_t)req->bytes_sent));
    json_object_set_new(line, "duration_ms", json_real((double)(long long)(seconds * 1e6) / 1e3));
    ssize_t ua = h2o_find_header(&req->headers, H2O_TOKEN_USER_AGENT, -1);
    if (ua >= 0)
        json_object_set_new(
            line, "user_agent",
            client_string(req->headers.entries[ua].value.base, req->headers.entries[ua].value.len));
    emit(line);
}
