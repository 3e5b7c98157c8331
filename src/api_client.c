/* api_client.c: JSON over HTTP to a running team server, with libcurl. */
#include "api_client.h"
#include "cli.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest JSON answer read: a post mortem is at most 16 MiB, its JSON more. */
#define ANSWER_MAX ((size_t)64 << 20)

const char *api_server_setting(const char *option)
{
    const char *env = getenv("DEBRIEF_SERVER");
    return option ? option : env && *env ? env : NULL;
}

const char *api_token_setting(const char *option)
{
    const char *env = getenv("DEBRIEF_TOKEN");
    return option ? option : env && *env ? env : NULL;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool api_client_init(struct api_client *client, const char *server, const char *token)
{
    memset(client, 0, sizeof *client);
    if (!starts_with(server, "http://") && !starts_with(server, "https://")) {
        cli_error("--server takes the URL of a debrief server like http://127.0.0.1:8080, "
                  "not '%s'",
                  server);
        return false;
    }
    for (const char *p = token; *p; p++) {
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f) {
            cli_error("the token holds a space or a control character; it is the line "
                      "'debrief user token' printed");
            return false;
        }
    }
    if (!*token) {
        cli_error("the token is empty");
        return false;
    }
    static bool global_done;
    if (!global_done && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        cli_error("cannot start libcurl");
        return false;
    }
    global_done = true;
    size_t n = strlen(server);
    while (n > 0 && server[n - 1] == '/')
        n--;
    client->base = strndup(server, n);
    size_t header_len = strlen(token) + 32;
    char *authorization = malloc(header_len);
    client->curl = curl_easy_init();
    if (authorization) {
        snprintf(authorization, header_len, "Authorization: Bearer %s", token);
        client->headers = curl_slist_append(NULL, authorization);
        free(authorization);
    }
    if (client->headers)
        client->headers = curl_slist_append(client->headers, "Accept: application/json");
    if (!client->base || !client->curl || !client->headers) {
        cli_error("out of memory");
        api_client_release(client);
        return false;
    }
    return true;
}

void api_client_release(struct api_client *client)
{
    if (client->curl)
        curl_easy_cleanup(client->curl);
    curl_slist_free_all(client->headers);
    free(client->base);
    memset(client, 0, sizeof *client);
}

struct answer_bytes {
    char *data;
    size_t len, alloc, max;
    bool too_big;
};

static size_t collect(char *chunk, size_t size, size_t count, void *user)
{
    struct answer_bytes *bytes = user;
    size_t n = size * count;
    if (bytes->len + n > bytes->max) {
        bytes->too_big = true;
        return 0;
    }
    if (bytes->len + n + 1 > bytes->alloc) {
        size_t alloc = bytes->alloc ? bytes->alloc : 16384;
        while (alloc < bytes->len + n + 1)
            alloc *= 2;
        char *grown = realloc(bytes->data, alloc);
        if (!grown)
            return 0;
        bytes->data = grown;
        bytes->alloc = alloc;
    }
    memcpy(bytes->data + bytes->len, chunk, n);
    bytes->len += n;
    bytes->data[bytes->len] = '\0';
    return n;
}

/* One request: METHOD to PATH with the LEN bytes of BODY (NULL for none) as
 * TYPE; the status into *STATUS and at most MAX bytes of the answer into
 * BYTES. False after printing why when the server cannot be reached. */
static bool perform(struct api_client *client, const char *method, const char *path,
                    const char *type, const void *body, size_t len, size_t max, long *status,
                    struct answer_bytes *bytes)
{
    CURL *curl = client->curl;
    size_t url_len = strlen(client->base) + strlen(path) + 1;
    char *url = malloc(url_len);
    char content_type[96];
    snprintf(content_type, sizeof content_type, "Content-Type: %s", type ? type : "");
    struct curl_slist *headers = client->headers;
    struct curl_slist *with_type = NULL;
    if (body) {
        with_type = curl_slist_append(NULL, content_type);
        for (struct curl_slist *h = client->headers; with_type && h; h = h->next)
            with_type = curl_slist_append(with_type, h->data);
    }
    if (!url || (body && !with_type)) {
        free(url);
        curl_slist_free_all(with_type);
        cli_error("out of memory");
        return false;
    }
    if (with_type)
        headers = with_type;
    snprintf(url, url_len, "%s%s", client->base, path);
    bytes->max = max;
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "debrief/" DEBRIEF_VERSION);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, bytes);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    CURLcode code = curl_easy_perform(curl);
    if (code == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    } else if (bytes->too_big) {
        cli_error("'%s' answered more than %zu MiB", url, max >> 20);
    } else {
        cli_error("cannot reach '%s': %s", client->base, *error ? error : curl_easy_strerror(code));
    }
    curl_slist_free_all(with_type);
    free(url);
    return code == CURLE_OK;
}

/* The JSON of BYTES into OUT->body; false after printing why when it is
 * not JSON. */
static bool parse_answer(struct api_client *client, const char *method, const char *path,
                         const struct answer_bytes *bytes, struct api_answer *out)
{
    json_error_t jerr;
    if (bytes->len > 0)
        out->body = json_loadb(bytes->data, bytes->len, 0, &jerr);
    if (bytes->len > 0 && !out->body) {
        cli_error("%s %s answered %ld with something that is not JSON; is '%s' a debrief "
                  "server?",
                  method, path, out->status, client->base);
        return false;
    }
    return true;
}

bool api_client_call(struct api_client *client, const char *method, const char *path,
                     const json_t *body, struct api_answer *out)
{
    memset(out, 0, sizeof *out);
    char *payload = body ? json_dumps(body, JSON_COMPACT) : NULL;
    if (body && !payload) {
        cli_error("out of memory");
        return false;
    }
    struct answer_bytes bytes = {0};
    bool ok = perform(client, method, path, "application/json", payload,
                      payload ? strlen(payload) : 0, ANSWER_MAX, &out->status, &bytes) &&
              parse_answer(client, method, path, &bytes, out);
    free(bytes.data);
    free(payload);
    return ok;
}

bool api_client_put_bytes(struct api_client *client, const char *path, const void *data, size_t len,
                          struct api_answer *out)
{
    memset(out, 0, sizeof *out);
    struct answer_bytes bytes = {0};
    bool ok = perform(client, "PUT", path, "application/octet-stream", data ? data : "", len,
                      ANSWER_MAX, &out->status, &bytes) &&
              parse_answer(client, "PUT", path, &bytes, out);
    free(bytes.data);
    return ok;
}

bool api_client_get_bytes(struct api_client *client, const char *path, size_t max,
                          struct api_answer *out, unsigned char **data, size_t *len)
{
    memset(out, 0, sizeof *out);
    *data = NULL;
    *len = 0;
    struct answer_bytes bytes = {0};
    bool ok = perform(client, "GET", path, NULL, NULL, 0, max, &out->status, &bytes);
    if (ok && out->status == 200) {
        if (!bytes.data)
            bytes.data = calloc(1, 1);
        if (!bytes.data) {
            cli_error("out of memory");
            return false;
        }
        *data = (unsigned char *)bytes.data;
        *len = bytes.len;
        return true;
    }
    /* An error's body is JSON; anything else is reported by its status. */
    json_error_t jerr;
    if (ok && bytes.len)
        out->body = json_loadb(bytes.data, bytes.len, 0, &jerr);
    free(bytes.data);
    return ok;
}

char *api_path_segment(struct api_client *client, const char *text)
{
    char *escaped = curl_easy_escape(client->curl, text, 0);
    char *copy = escaped ? strdup(escaped) : NULL;
    curl_free(escaped);
    if (!copy)
        cli_error("out of memory");
    return copy;
}

void api_answer_release(struct api_answer *answer)
{
    json_decref(answer->body);
    answer->body = NULL;
}

void api_answer_error(const struct api_answer *answer, const char *what, ...)
{
    char subject[1024];
    va_list ap;
    va_start(ap, what);
    vsnprintf(subject, sizeof subject, what, ap);
    va_end(ap);
    json_t *error = json_object_get(answer->body, "error");
    const char *message = json_string_value(json_object_get(error, "message"));
    const char *code = json_string_value(json_object_get(error, "code"));
    if (message)
        cli_error("%s: the server answered %ld (%s): %s", subject, answer->status,
                  code ? code : "error", message);
    else
        cli_error("%s: the server answered %ld", subject, answer->status);
}
