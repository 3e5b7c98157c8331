/* request.c: what a request carries: path and query parameters, cookies,
 * headers and JSON bodies, checked. */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* Is BYTES well-formed UTF-8 without a NUL (no overlong forms, no
 * surrogates, nothing above U+10FFFF)? */
static bool utf8_text(const char *bytes, size_t len)
{
    const unsigned char *s = (const unsigned char *)bytes;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return false;
        }
        if (len - i <= n)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k <= n; k++) {
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return false;
        }
        i += n + 1;
    }
    return true;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* TEXT percent-decoded ('+' is a space when PLUS_SPACE) into REQ's pool,
 * NUL-terminated; NULL when an escape is malformed or the result is not
 * UTF-8 text without a NUL. */
static const char *decode(h2o_req_t *req, const char *text, size_t len, bool plus_space)
{
    char *out = h2o_mem_alloc_pool(&req->pool, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '%') {
            if (len - i < 3)
                return NULL;
            int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0)
                return NULL;
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_space) {
            out[n++] = ' ';
        } else {
            out[n++] = c;
        }
    }
    out[n] = '\0';
    return utf8_text(out, n) ? out : NULL;
}

const char *request_param(h2o_req_t *req, const struct route_params *params, const char *name)
{
    for (size_t i = 0; i < params->count; i++) {
        if (strcmp(params->items[i].name, name) == 0)
            return decode(req, params->items[i].value.base, params->items[i].value.len, false);
    }
    return NULL;
}

/* The value of NAME in the application/x-www-form-urlencoded TEXT, decoded
 * into REQ's pool; NULL when absent or undecodable. The first one wins. */
static const char *form_value(h2o_req_t *req, const char *text, size_t len, const char *name)
{
    size_t name_len = strlen(name);
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *pair_end = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(pair_end - p));
        const char *key_end = eq ? eq : pair_end;
        const char *key = decode(req, p, (size_t)(key_end - p), true);
        if (key && strlen(key) == name_len && memcmp(key, name, name_len) == 0) {
            if (!eq)
                return "";
            return decode(req, eq + 1, (size_t)(pair_end - eq - 1), true);
        }
        p = pair_end + 1;
    }
    return NULL;
}

const char *request_query(h2o_req_t *req, const char *name)
{
    if (req->query_at == SIZE_MAX || req->query_at >= req->path.len)
        return NULL;
    const char *query = req->path.base + req->query_at + 1;
    size_t len = req->path.len - req->query_at - 1;
    return form_value(req, query, len, name);
}

bool request_check_query(h2o_req_t *req)
{
    if (req->query_at == SIZE_MAX || req->query_at >= req->path.len)
        return true;
    const char *p = req->path.base + req->query_at + 1, *end = req->path.base + req->path.len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *pair_end = amp ? amp : end;
        if (!decode(req, p, (size_t)(pair_end - p), true)) {
            respond_error(req, 400, "bad_request",
                          "the query string holds a malformed escape, bad UTF-8 or a NUL");
            return false;
        }
        p = pair_end + 1;
    }
    return true;
}

bool request_query_int(h2o_req_t *req, const char *name, long min, long max, long fallback,
                       long *out)
{
    *out = fallback;
    const char *text = request_query(req, name);
    if (!text)
        return true;
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno || n < min || n > max ||
        !(text[0] == '-' || (text[0] >= '0' && text[0] <= '9'))) {
        char message[160];
        snprintf(message, sizeof message,
                 "query parameter '%s' takes a whole number from %ld to %ld", name, min, max);
        respond_error(req, 400, "bad_request", message);
        return false;
    }
    *out = n;
    return true;
}

const char *request_cookie(h2o_req_t *req, const char *name)
{
    size_t name_len = strlen(name);
    for (ssize_t i = -1; (i = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, i)) != -1;) {
        h2o_iovec_t v = req->headers.entries[i].value;
        const char *p = v.base, *end = v.base + v.len;
        while (p < end) {
            while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
                p++;
            const char *semi = memchr(p, ';', (size_t)(end - p));
            const char *pair_end = semi ? semi : end;
            const char *eq = memchr(p, '=', (size_t)(pair_end - p));
            if (eq && (size_t)(eq - p) == name_len && memcmp(p, name, name_len) == 0) {
                const char *value = eq + 1;
                size_t value_len = (size_t)(pair_end - value);
                while (value_len > 0 &&
                       (value[value_len - 1] == ' ' || value[value_len - 1] == '\t'))
                    value_len--;
                if (value_len >= 2 && value[0] == '"' && value[value_len - 1] == '"') {
                    value++;
                    value_len -= 2;
                }
                if (memchr(value, '\0', value_len))
                    return NULL;
                return h2o_strdup(&req->pool, value, value_len).base;
            }
            p = pair_end;
        }
    }
    return NULL;
}

const char *request_header(h2o_req_t *req, const char *name)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, strlen(name), -1);
    if (i < 0)
        return NULL;
    h2o_iovec_t v = req->headers.entries[i].value;
    if (memchr(v.base, '\0', v.len))
        return NULL;
    return h2o_strdup(&req->pool, v.base, v.len).base;
}

/* Is the request's Content-Type MEDIA (with any parameters)? */
static bool content_type_is(h2o_req_t *req, const char *media)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (i < 0)
        return false;
    h2o_iovec_t v = req->headers.entries[i].value;
    size_t n = strlen(media);
    if (v.len < n || strncasecmp(v.base, media, n) != 0)
        return false;
    if (v.len == n)
        return true;
    const char *rest = v.base + n;
    size_t rest_len = v.len - n;
    while (rest_len > 0 && (*rest == ' ' || *rest == '\t')) {
        rest++;
        rest_len--;
    }
    return rest_len == 0 || *rest == ';';
}

const char *request_form(h2o_req_t *req, const char *name)
{
    if (!content_type_is(req, "application/x-www-form-urlencoded") || !req->entity.base)
        return NULL;
    return form_value(req, req->entity.base, req->entity.len, name);
}

json_t *request_json(h2o_req_t *req, const char *const *fields)
{
    if (!content_type_is(req, "application/json")) {
        respond_error(req, 415, "unsupported_media_type",
                      "the body must be JSON, sent with Content-Type: application/json");
        return NULL;
    }
    json_error_t err;
    json_t *body = json_loadb(req->entity.base ? req->entity.base : "", req->entity.len,
                              JSON_REJECT_DUPLICATES, &err);
    if (!body) {
        char message[256];
        snprintf(message, sizeof message, "the body is not valid JSON: %s (at byte %d)", err.text,
                 err.position);
        respond_error(req, 400, "bad_request", message);
        return NULL;
    }
    if (!json_is_object(body)) {
        json_decref(body);
        respond_error(req, 400, "bad_request", "the body must be a JSON object");
        return NULL;
    }
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value)
    {
        bool known = false;
        for (size_t i = 0; fields && fields[i]; i++) {
            if (strcmp(fields[i], key) == 0) {
                known = true;
                break;
            }
        }
        if (!known) {
            char message[160];
            snprintf(message, sizeof message, "unknown member '%.64s'", key);
            json_decref(body);
            respond_error(req, 400, "bad_request", message);
            return NULL;
        }
    }
    return body;
}

/* Answers 400 saying what member NAME should be. */
static void bad_member(h2o_req_t *req, const char *name, const char *should)
{
    char message[192];
    snprintf(message, sizeof message, "'%s' %s", name, should);
    respond_error(req, 400, "bad_request", message);
}

bool request_string(h2o_req_t *req, json_t *body, const char *name, bool required, size_t max,
                    const char **out)
{
    *out = NULL;
    json_t *value = json_object_get(body, name);
    if (!value || json_is_null(value)) {
        if (required) {
            bad_member(req, name, "is required");
            return false;
        }
        return true;
    }
    if (!json_is_string(value)) {
        bad_member(req, name, "must be a string");
        return false;
    }
    size_t len = json_string_length(value);
    const char *text = json_string_value(value);
    if (memchr(text, '\0', len)) {
        bad_member(req, name, "must not hold a NUL character");
        return false;
    }
    if (len > max) {
        char should[96];
        snprintf(should, sizeof should, "is longer than %zu bytes", max);
        bad_member(req, name, should);
        return false;
    }
    *out = text;
    return true;
}

bool request_int(h2o_req_t *req, json_t *body, const char *name, bool required, long min, long max,
                 long fallback, long *out)
{
    *out = fallback;
    json_t *value = json_object_get(body, name);
    if (!value || json_is_null(value)) {
        if (required) {
            bad_member(req, name, "is required");
            return false;
        }
        return true;
    }
    json_int_t n = json_is_integer(value) ? json_integer_value(value) : 0;
    if (!json_is_integer(value) || n < min || n > max) {
        char should[128];
        snprintf(should, sizeof should, "must be a whole number from %ld to %ld", min, max);
        bad_member(req, name, should);
        return false;
    }
    *out = (long)n;
    return true;
}

bool request_bool(h2o_req_t *req, json_t *body, const char *name, bool fallback, bool *out)
{
    *out = fallback;
    json_t *value = json_object_get(body, name);
    if (!value || json_is_null(value))
        return true;
    if (!json_is_boolean(value)) {
        bad_member(req, name, "must be true or false");
        return false;
    }
    *out = json_is_true(value);
    return true;
}

const char *request_peer(h2o_req_t *req)
{
    struct sockaddr_storage ss;
    socklen_t len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    char host[INET6_ADDRSTRLEN] = "";
    if (len > 0 && ss.ss_family == AF_INET) {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
    } else if (len > 0 && ss.ss_family == AF_INET6) {
        const struct in6_addr *a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
        /* An IPv4 client of a dual-stack socket is shown as IPv4. */
        if (IN6_IS_ADDR_V4MAPPED(a))
            inet_ntop(AF_INET, &a->s6_addr[12], host, sizeof host);
        else
            inet_ntop(AF_INET6, a, host, sizeof host);
    }
    return h2o_strdup(&req->pool, host, strlen(host)).base;
}
