/* signin.h: signing in with a name and a password, shared by the JSON API
 * (api_session.c) and the sign-in pages (web/page_session.c): throttling
 * of failures, a new session at every sign-in, the session cookie. */
#ifndef DEBRIEF_SIGNIN_H
#define DEBRIEF_SIGNIN_H

#include "serve.h"

#define SIGNIN_COOKIE "debrief_session"

/* Sign-in throttling: more failures than these within the window refuse
 * further attempts, whatever the password. */
#define SIGNIN_THROTTLE_WINDOW_SECONDS (15 * 60)
#define SIGNIN_THROTTLE_PER_NAME 5
#define SIGNIN_THROTTLE_PER_ADDRESS 20

/* A new password's length in bytes. */
#define SIGNIN_PASSWORD_MIN 8
#define SIGNIN_PASSWORD_MAX 1024

enum signin_result {
    SIGNIN_OK,        /* signed in: OUT says who, the session cookie is set */
    SIGNIN_WRONG,     /* wrong name or password: counted and logged */
    SIGNIN_THROTTLED, /* too many failures lately: Retry-After is set, logged */
    SIGNIN_FAILED,    /* the store failed: OUT->status says how */
};

/* Who signed in, with the CSRF token of their new session. */
struct signin {
    struct dbf_user user;
    char csrf[65];
    enum dbf_store_status status; /* with SIGNIN_FAILED */
};

/* Checks NAME and PASSWORD for REQ, unless the name or REQ's address
 * failed too often lately. On success starts a new session, whatever
 * cookie REQ came with (so an id planted before the sign-in never becomes
 * a signed-in one), and sets its cookie on REQ's answer. The caller
 * answers REQ in every case. */
enum signin_result signin_check(struct serve_app *app, h2o_req_t *req, const char *name,
                                const char *password, struct signin *out);

/* Starts a new session of USER (just made, say) as signin_check() does on
 * success: sets the cookie on REQ's answer and writes the CSRF token. */
enum dbf_store_status signin_start(struct serve_app *app, h2o_req_t *req,
                                   const struct dbf_user *user, char csrf[65]);

/* Ends the session of REQ's cookie, if it has one, and clears the cookie
 * on REQ's answer. */
enum dbf_store_status signin_end(struct serve_app *app, h2o_req_t *req);

#endif
