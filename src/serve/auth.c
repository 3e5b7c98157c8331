/* auth.c: who sent a request: bearer tokens, session cookies with CSRF
 * tokens, and a trusted proxy's user header. */
#include "serve.h"

#include <string.h>

bool auth_begin(struct serve_app *app, h2o_req_t *req, enum auth_need need, struct auth *out)
{
    (void)app, (void)need;
    memset(out, 0, sizeof *out);
    respond_error(req, 501, "not_implemented", "not implemented yet");
    return false;
}

bool auth_in_team(const struct auth *auth, int64_t team)
{
    for (size_t i = 0; i < auth->team_count; i++) {
        if (auth->teams[i].id == team)
            return true;
    }
    return false;
}

bool auth_has_role(const struct auth *auth, enum dbf_role role)
{
    return auth->user.id != 0 && auth->user.role >= role;
}

void auth_csrf_token(const char *session, char out[65])
{
    (void)session;
    out[0] = '\0';
}
