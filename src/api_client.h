/* api_client.h: calls to the JSON API of a running `debrief serve`, for
 * `debrief push` and `debrief export --server` (libcurl).
 *
 * Every function that can fail prints "debrief: …" itself and says so with
 * its answer. A client keeps one connection open between calls. */
#ifndef DEBRIEF_API_CLIENT_H
#define DEBRIEF_API_CLIENT_H

#include <jansson.h>
#include <stdbool.h>

struct api_client {
    void *curl; /* the CURL easy handle */
    struct curl_slist *headers;
    char *base; /* the server's URL without a final '/' */
};

/* What the server answered: the HTTP status and the JSON body (NULL when
 * the body was empty). */
struct api_answer {
    long status;
    json_t *body;
};

/* The server URL: OPTION (--server), else $DEBRIEF_SERVER; the token:
 * OPTION (--token), else $DEBRIEF_TOKEN. NULL when neither is set. */
const char *api_server_setting(const char *option);
const char *api_token_setting(const char *option);

/* Prepares calls to SERVER ("http://host:port" or "https://…", maybe with a
 * path prefix) sending TOKEN as a bearer token. False after printing why
 * the URL or the token cannot be used. */
bool api_client_init(struct api_client *client, const char *server, const char *token);
void api_client_release(struct api_client *client);

/* Sends METHOD to the server's PATH ("/api/v1/…") with BODY (may be NULL)
 * as JSON and fills OUT. False after printing why when the server cannot be
 * reached, or answers something that is not JSON. Any HTTP status is an
 * answer: the caller decides what it means. Release OUT with
 * api_answer_release(). */
bool api_client_call(struct api_client *client, const char *method, const char *path,
                     const json_t *body, struct api_answer *out);
void api_answer_release(struct api_answer *answer);

/* PUTs the LEN bytes at DATA to PATH as application/octet-stream (an
 * attachment) and fills OUT with the JSON answer, as api_client_call(). */
bool api_client_put_bytes(struct api_client *client, const char *path, const void *data, size_t len,
                          struct api_answer *out);

/* GETs PATH, whose answer is bytes rather than JSON (an attachment), of at
 * most MAX bytes. With status 200, *DATA is the bytes (malloc'd, caller
 * frees) and *LEN their count; with another status, OUT->body is the JSON
 * error when there is one. False after printing why when the server cannot
 * be reached or answers more than MAX bytes. */
bool api_client_get_bytes(struct api_client *client, const char *path, size_t max,
                          struct api_answer *out, unsigned char **data, size_t *len);

/* TEXT percent-encoded as one segment of a path ("metrics/p99.csv" ->
 * "metrics%2Fp99.csv"), malloc'd; NULL after printing why. */
char *api_path_segment(struct api_client *client, const char *text);

/* Prints "debrief: WHAT: the server answered STATUS: message" for an
 * answer that is an error (WHAT is printf-style, e.g. "cannot read '%s'"). */
void api_answer_error(const struct api_answer *answer, const char *what, ...)
    __attribute__((format(printf, 2, 3)));

#endif
