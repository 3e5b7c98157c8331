/* api_client.c: JSON over HTTP to a running team server, with libcurl. */
#include "api_client.h"
#include "cli.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest answer read: a post mortem is at most 16 MiB, its JSON more. */
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
    size_t len, alloc;
    bool too_big;
};

static size_t collect(char *chunk, size_t size, size_t count, void *user)
{
    struct answer_bytes *bytes = user;
    size_t n = size * count;
    if (bytes->len + n > ANSWER_MAX) {
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

bool api_client_call(struct api_client *client, const char *method, const char *path,
                     const json_t *body, struct api_answer *out)
{
    memset(out, 0, sizeof *out);
    CURL *curl = client->curl;
    size_t url_len = strlen(client->base) + strlen(path) + 1;
    char *url = malloc(url_len);
    char *payload = body ? json_dumps(body, JSON_COMPACT) : NULL;
    if (!url || (body && !payload)) {
        free(url);
        free(payload);
        cli_error("out of memory");
        return false;
    }
    snprintf(url, url_len, "%s%s", client->base, path);
    struct curl_slist *headers = client->headers;
    struct curl_slist *with_type = NULL;
    if (payload) {
        with_type = curl_slist_append(NULL, "Content-Type: application/json");
        for (struct curl_slist *h = client->headers; with_type && h; h = h->next)
            with_type = curl_slist_append(with_type, h->data);
        headers = with_type ? with_type : client->headers;
    }
    struct answer_bytes bytes = {0};
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
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &bytes);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (payload) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(payload));
    }
    CURLcode code = curl_easy_perform(curl);
    bool ok = false;
    if (code != CURLE_OK) {
        if (bytes.too_big)
            cli_error("'%s' answered more than %zu MiB", url, ANSWER_MAX >> 20);
        else
            cli_error("cannot reach '%s': %s", client->base,
                      *error ? error : curl_easy_strerror(code));
    } else {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
        json_error_t jerr;
        if (bytes.len > 0)
            out->body = json_loadb(bytes.data, bytes.len, 0, &jerr);
        if (bytes.len > 0 && !out->body)
            cli_error("%s %s answered %ld with something that is not JSON; is '%s' a debrief "
                      "server?",
                      method, path, out->status, client->base);
        else
            ok = true;
    }
    curl_slist_free_all(with_type);
    free(bytes.data);
    free(payload);
    free(url);
    return ok;
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
