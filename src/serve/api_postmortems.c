/* api_postmortems.c: post mortems and their revisions: list and search,
 * create, read with its review, save (never over a newer revision), the
 * history, one revision, the difference between two, and the redacted copy
 * for everyone. docs/api/postmortems.md says what each route answers.
 *
 * The review of a read (findings, score, timeline) is kept in the server's
 * page cache (page_cache.h) under the post mortem, the revision and the
 * day of the date rules: it depends on nothing else (the lint
 * configuration is fixed for the process), and the cache is asked only
 * after the store has answered the revision for the asker, so a restricted
 * post mortem stays a 404 for those who may not see it. */
#include "analysis.h"
#include "diff.h"
#include "pm.h"

#include "debrief/render.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define LIST_LIMIT_MAX 1000

/* A query parameter NAME that must be a date when given. */
static bool query_date(h2o_req_t *req, const char *name, const char **out)
{
    *out = request_query(req, name);
    struct dbf_date date;
    if (*out && **out && !analysis_parse_date(*out, &date)) {
        char message[128];
        snprintf(message, sizeof message, "'%s' must be a date written YYYY-MM-DD", name);
        respond_error(req, 400, "bad_request", message);
        return false;
    }
    if (*out && !**out)
        *out = NULL;
    return true;
}

int api_pm_list(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    struct dbf_pm_filter filter = {
        .query = request_query(req, "q"),
        .status = request_query(req, "status"),
        .severity = request_query(req, "severity"),
        .service = request_query(req, "service"),
        .tag = request_query(req, "tag"),
        .sort = request_query(req, "sort"),
    };
    if (filter.sort && !*filter.sort)
        filter.sort = NULL;
    long limit, offset;
    if (!query_date(req, "since", &filter.since) || !query_date(req, "until", &filter.until) ||
        !request_query_int(req, "limit", 1, LIST_LIMIT_MAX, 100, &limit) ||
        !request_query_int(req, "offset", 0, INT_MAX, 0, &offset))
        return 0;
    filter.limit = (size_t)limit;
    filter.offset = (size_t)offset;
    const char *team = request_query(req, "team");
    if (team && *team) {
        struct dbf_team t;
        enum dbf_store_status st = dbf_store_team_get(app->store, team, &t);
        if (st == DBF_STORE_NOT_FOUND) {
            char message[160];
            snprintf(message, sizeof message, "no team is named '%.64s'", team);
            respond_error(req, 400, "bad_request", message);
            return 0;
        }
        if (st != DBF_STORE_OK) {
            respond_store_error(app, req, st);
            return 0;
        }
        filter.team = t.id;
    }
    struct dbf_postmortem_list list = {0};
    enum dbf_store_status st = dbf_store_pm_list(app->store, auth.user.id, &filter, &list);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return 0;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, pm_summary_json(&list.items[i]));
    json_t *body = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
                             (json_int_t)list.total, "limit", (int)limit, "offset", (int)offset);
    dbf_postmortem_list_release(&list);
    respond_json(req, 200, body);
    return 0;
}

/* The owner team of a new post mortem: NAME when given, else the front
 * matter's, else the author's first team. Answers 400 or 403 and returns
 * false when there is none or the author may not write for it. */
static bool owner_team_of(struct serve_app *app, h2o_req_t *req, const struct auth *auth,
                          const char *name, const struct dbf_ingest *in, struct dbf_team *out)
{
    if (!name || !*name)
        name = in->owner_team[0] ? in->owner_team : NULL;
    if (!name) {
        if (auth->team_count == 0) {
            respond_error(req, 400, "bad_request",
                          "you belong to no team: name the owner team with 'owner_team'");
            return false;
        }
        *out = auth->teams[0];
        return true;
    }
    enum dbf_store_status st = dbf_store_team_get(app->store, name, out);
    if (st == DBF_STORE_NOT_FOUND) {
        char message[192];
        snprintf(message, sizeof message, "no team is named '%.64s': name an existing owner team",
                 name);
        respond_error(req, 400, "bad_request", message);
        return false;
    }
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return false;
    }
    if (auth->user.role != DBF_ROLE_ADMIN && !auth_in_team(auth, out->id)) {
        char message[192];
        snprintf(message, sizeof message,
                 "you are not a member of team '%.64s': only its members and admins may write "
                 "its post mortems",
                 out->name);
        respond_error(req, 403, "forbidden", message);
        return false;
    }
    return true;
}

static void set_location(h2o_req_t *req, const char *slug)
{
    char location[DBF_STORE_SLUG_MAX + 32];
    int n = snprintf(location, sizeof location, "/api/v1/postmortems/%s", slug);
    h2o_iovec_t v = h2o_strdup(&req->pool, location, (size_t)n);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_LOCATION, NULL, v.base, v.len);
}

int api_pm_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct auth auth;
    if (!auth_begin(app, req, AUTH_SIGNED_IN, &auth))
        return 0;
    if (!auth_has_role(&auth, DBF_ROLE_AUTHOR)) {
        respond_error(req, 403, "forbidden", "writing post mortems needs the author role");
        return 0;
    }
    static const char *const fields[] = {"markdown", "id", "owner_team", "visibility", NULL};
    json_t *body = request_json(req, fields);
    if (!body)
        return 0;
    const char *markdown, *id, *team_name, *vis_name;
    struct dbf_ingest in = {0};
    if (!request_string(req, body, "markdown", true, PM_MARKDOWN_MAX, &markdown) ||
        !request_string(req, body, "id", false, DBF_STORE_SLUG_MAX, &id) ||
        !request_string(req, body, "owner_team", false, DBF_STORE_NAME_MAX, &team_name) ||
        !request_string(req, body, "visibility", false, 32, &vis_name) ||
        !pm_ingest(req, markdown, &in))
        goto done;
    if (id && !dbf_ingest_slug_valid(id)) {
        respond_error(req, 400, "bad_request",
                      "'id' must be 1 to 128 letters, digits, '.', '_' or '-'");
        goto done;
    }
    enum dbf_visibility visibility = in.visibility;
    if (vis_name && !dbf_visibility_parse(vis_name, &visibility)) {
        respond_error(req, 400, "bad_request", "'visibility' must be 'public' or 'restricted'");
        goto done;
    }
    struct dbf_team team;
    if (!owner_team_of(app, req, &auth, team_name, &in, &team))
        goto done;
    const char *slug = id ? id : in.slug;
    enum dbf_store_status st =
        dbf_store_pm_create(app->store, slug, team.id, visibility, &in.content, auth.user.id, NULL);
    if (st == DBF_STORE_CONFLICT) {
        char message[DBF_STORE_SLUG_MAX + 96];
        snprintf(message, sizeof message,
                 "the id '%s' is taken: choose another with 'id' or the front matter's 'id'", slug);
        respond_error(req, 409, "conflict", message);
        goto done;
    }
    if (st == DBF_STORE_OK && visibility == DBF_VISIBILITY_RESTRICTED)
        st = dbf_store_pm_grant(app->store, slug, auth.user.id, 0);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        goto done;
    }
    set_location(req, slug);
    respond_json(req, 201, json_pack("{s:s, s:i}", "id", slug, "revision", 1));
done:
    dbf_ingest_release(&in);
    json_decref(body);
    return 0;
}

/* The members of a post mortem's answer that depend only on its revision
 * and the day: its text and its analysis, as JSON text without the braces
 * of their object. */
struct fixed_members {
    char *text;
    size_t len;
};

static void fixed_drop(void *value)
{
    struct fixed_members *fixed = value;
    if (fixed)
        free(fixed->text);
    free(fixed);
}

/* The text of REV of PM with its findings, score and timeline reviewed at
 * NOW, in REQ's pool: written once and then copied from the page cache.
 * Called only after the store has answered REV for the asker, so the cache
 * never answers anyone the store would not. A NULL base when memory runs
 * out. */
static h2o_iovec_t fixed_of(struct serve_app *app, h2o_req_t *req, const struct dbf_postmortem *pm,
                            const struct dbf_revision *rev, int64_t now)
{
    /* The review depends on the text, the lint configuration (fixed for
     * the process) and the day the date rules use. */
    struct dbf_date today = review_date(now);
    char key[96];
    snprintf(key, sizeof key, "api/%lld/%d/%04d-%02d-%02d", (long long)pm->id, rev->number,
             today.year, today.month, today.day);
    const struct fixed_members *cached = page_cache_get(app->pages, key);
    if (cached)
        return h2o_strdup(&req->pool, cached->text, cached->len);
    json_t *members = json_object();
    if (!members)
        return h2o_iovec_init(NULL, 0);
    json_object_set_new(members, "markdown", json_string(rev->markdown ? rev->markdown : ""));
    char err[256];
    struct dbf_doc *doc =
        dbf_doc_parse("-", rev->markdown ? rev->markdown : "", rev->length, err, sizeof err);
    if (doc) {
        pm_analysis_json(app, doc, now, members);
        dbf_doc_free(doc);
    } else {
        json_object_set_new(members, "findings", json_array());
        json_object_set_new(members, "score", json_null());
        json_object_set_new(members, "timeline", json_null());
    }
    struct fixed_members *fixed = calloc(1, sizeof *fixed);
    char *text = json_dumps(members, JSON_COMPACT);
    json_decref(members);
    size_t len = text ? strlen(text) : 0;
    if (!fixed || len < 2) {
        free(fixed);
        free(text);
        return h2o_iovec_init(NULL, 0);
    }
    /* "{…}" less its braces. */
    memmove(text, text + 1, len - 2);
    fixed->text = text;
    fixed->len = len - 2;
    h2o_iovec_t copy = h2o_strdup(&req->pool, fixed->text, fixed->len);
    page_cache_put(app->pages, key, fixed, sizeof *fixed + len, fixed_drop);
    return copy;
}

int api_pm_get(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    struct dbf_revision rev;
    struct pm_state state;
    enum dbf_store_status st =
        dbf_store_revision_get(app->store, view.auth.user.id, view.slug, 0, &rev);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        pm_view_release(&view);
        return 0;
    }
    if (!pm_state_load(app, req, &view, &state)) {
        dbf_revision_release(&rev);
        pm_view_release(&view);
        return 0;
    }
    json_t *body = pm_summary_json(&view.pm);
    json_object_set_new(body, "revision", json_integer(rev.number));
    json_object_set_new(body, "author", json_string(rev.author_name));
    struct policy_rules rules;
    pm_rules(app, &rules);
    json_object_set_new(body, "approvals", pm_approvals_json(&rules, &state));
    json_object_set_new(body, "review", pm_review_json(&rules, &state, &view.actor));
    pm_state_release(&state);
    /* After the store's answer for this asker: the cache may be asked. */
    h2o_iovec_t fixed = fixed_of(app, req, &view.pm, &rev, dbf_store_now(app->store));
    char *head = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    dbf_revision_release(&rev);
    pm_view_release(&view);
    size_t head_len = head ? strlen(head) : 0;
    if (!fixed.base || head_len < 2) {
        free(head);
        respond_error(req, 500, "internal", "out of memory");
        return 0;
    }
    /* The members that vary, then the fixed ones. */
    respond_keep(req, head);
    head[head_len - 1] = ',';
    h2o_iovec_t parts[3] = {h2o_iovec_init(head, head_len), fixed,
                            h2o_iovec_init(H2O_STRLIT("}\n"))};
    respond_parts(req, 200, "application/json", parts, 3);
    return 0;
}

/* Answers the 409 of a stale save: the newest revision and the text that
 * was sent, so nothing is lost. */
static void respond_stale(struct serve_app *app, h2o_req_t *req, const struct pm_view *view,
                          long base, const char *markdown)
{
    struct dbf_revision cur;
    enum dbf_store_status st =
        dbf_store_revision_get(app->store, view->auth.user.id, view->slug, 0, &cur);
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return;
    }
    char message[160];
    snprintf(message, sizeof message,
             "revision %ld is not the newest: revision %d is; merge your text into it and save "
             "again",
             base, cur.number);
    respond_json(req, 409,
                 json_pack("{s:{s:s, s:s}, s:{s:i, s:s, s:s, s:o}, s:{s:I, s:s}}", "error", "code",
                           "conflict", "message", message, "current", "revision", cur.number,
                           "markdown", cur.markdown ? cur.markdown : "", "author", cur.author_name,
                           "created", json_time(cur.created), "yours", "base_revision",
                           (json_int_t)base, "markdown", markdown));
    dbf_revision_release(&cur);
}

int api_pm_update(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    json_t *body = NULL;
    struct dbf_ingest in = {0};
    if (!auth_has_role(&view.auth, DBF_ROLE_AUTHOR)) {
        respond_error(req, 403, "forbidden", "saving a post mortem needs the author role");
        goto done;
    }
    static const char *const fields[] = {"markdown", "base_revision", NULL};
    body = request_json(req, fields);
    const char *markdown;
    long base;
    if (!body || !request_string(req, body, "markdown", true, PM_MARKDOWN_MAX, &markdown) ||
        !request_int(req, body, "base_revision", true, 1, INT_MAX, 0, &base) ||
        !pm_ingest(req, markdown, &in))
        goto done;
    int number = 0;
    enum dbf_store_status st = dbf_store_revision_save(app->store, view.slug, (int)base,
                                                       &in.content, view.auth.user.id, &number);
    if (st == DBF_STORE_CONFLICT) {
        respond_stale(app, req, &view, base, markdown);
        goto done;
    }
    /* A text that now asks to be restricted is restricted at once; making
     * one public again is a decision made with PUT …/visibility. */
    if (st == DBF_STORE_OK && in.visibility_given && in.visibility == DBF_VISIBILITY_RESTRICTED &&
        view.pm.visibility == DBF_VISIBILITY_PUBLIC) {
        st = dbf_store_pm_set_visibility(app->store, view.slug, DBF_VISIBILITY_RESTRICTED,
                                         view.auth.user.id, "the saved text asks for it");
        if (st == DBF_STORE_OK && !view.actor.in_owner_team &&
            view.auth.user.role != DBF_ROLE_ADMIN)
            st = dbf_store_pm_grant(app->store, view.slug, view.auth.user.id, 0);
    }
    pm_respond_stored(app, req, st, 200,
                      json_pack("{s:s, s:i}", "id", view.slug, "revision", number));
done:
    dbf_ingest_release(&in);
    json_decref(body);
    pm_view_release(&view);
    return 0;
}

static json_t *revisions_json(struct serve_app *app, const struct pm_view *view,
                              enum dbf_store_status *st)
{
    struct dbf_revision *history = NULL;
    size_t count = 0;
    *st = dbf_store_history(app->store, view->auth.user.id, view->slug, &history, &count);
    if (*st != DBF_STORE_OK)
        return NULL;
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(items, json_pack("{s:i, s:s, s:o, s:I}", "revision",
                                               history[i].number, "author", history[i].author_name,
                                               "created", json_time(history[i].created), "length",
                                               (json_int_t)history[i].length));
    free(history);
    return json_pack("{s:o}", "items", items);
}

int api_pm_revisions(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    return pm_answer(app, req, params, revisions_json);
}

/* Revision NUMBER (0: the newest) of VIEW, or a 404 saying which is
 * missing. */
static bool load_revision(struct serve_app *app, h2o_req_t *req, const struct pm_view *view,
                          long number, struct dbf_revision *out)
{
    enum dbf_store_status st =
        dbf_store_revision_get(app->store, view->auth.user.id, view->slug, (int)number, out);
    if (st == DBF_STORE_NOT_FOUND) {
        char message[96];
        snprintf(message, sizeof message, "no revision %ld: the newest is %d", number,
                 view->pm.revision);
        respond_error(req, 404, "not_found", message);
        return false;
    }
    if (st != DBF_STORE_OK) {
        respond_store_error(app, req, st);
        return false;
    }
    return true;
}

/* The path's revision number: a whole number from 1, else a 404. */
static bool revision_param(h2o_req_t *req, const struct route_params *params, long *out)
{
    const char *text = request_param(req, params, "number");
    char *end = NULL;
    long n = text ? strtol(text, &end, 10) : 0;
    if (!text || !isdigit((unsigned char)*text) || *end || n < 1 || n > INT_MAX) {
        respond_error(req, 404, "not_found", "no such revision: revisions are numbered from 1");
        return false;
    }
    *out = n;
    return true;
}

int api_pm_revision(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    long number;
    struct dbf_revision rev;
    if (revision_param(req, params, &number) && load_revision(app, req, &view, number, &rev)) {
        respond_json(req, 200,
                     json_pack("{s:i, s:s, s:s, s:o}", "revision", rev.number, "markdown",
                               rev.markdown ? rev.markdown : "", "author", rev.author_name,
                               "created", json_time(rev.created)));
        dbf_revision_release(&rev);
    }
    pm_view_release(&view);
    return 0;
}

static json_t *line_number(size_t n)
{
    return n ? json_integer((json_int_t)n) : json_null();
}

static void respond_diff(h2o_req_t *req, const char *slug, const struct dbf_revision *from,
                         const struct dbf_revision *to)
{
    struct diff d;
    if (!diff_lines(from->markdown ? from->markdown : "", from->length,
                    to->markdown ? to->markdown : "", to->length, 0, &d)) {
        respond_error(req, 500, "internal", "out of memory");
        return;
    }
    json_t *lines = json_array();
    for (size_t i = 0; i < d.count; i++) {
        const struct diff_line *l = &d.lines[i];
        char op[2] = {l->op, '\0'};
        json_array_append_new(lines, json_pack("{s:s, s:o, s:o, s:s%}", "op", op, "old",
                                               line_number(l->old_no), "new",
                                               line_number(l->new_no), "text", l->text, l->len));
    }
    struct dbf_buf unified;
    dbf_buf_init(&unified, 0);
    char old_label[DBF_STORE_SLUG_MAX + 32], new_label[DBF_STORE_SLUG_MAX + 32];
    snprintf(old_label, sizeof old_label, "%s@%d", slug, from->number);
    snprintf(new_label, sizeof new_label, "%s@%d", slug, to->number);
    diff_unified(&d, 3, old_label, new_label, &unified);
    size_t added, removed;
    diff_count(&d, &added, &removed);
    json_t *body =
        json_pack("{s:i, s:i, s:I, s:I, s:b, s:o, s:s%}", "from", from->number, "to", to->number,
                  "added", (json_int_t)added, "removed", (json_int_t)removed, "approximate",
                  d.approximate, "lines", lines, "unified", unified.data, unified.len);
    dbf_buf_release(&unified);
    diff_release(&d);
    if (!body)
        respond_error(req, 500, "internal", "the difference could not be written as JSON");
    else
        respond_json(req, 200, body);
}

int api_pm_diff(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    int newest = view.pm.revision;
    long from_no, to_no;
    struct dbf_revision from, to;
    if (request_query_int(req, "from", 1, INT_MAX, newest > 1 ? newest - 1 : 1, &from_no) &&
        request_query_int(req, "to", 1, INT_MAX, newest, &to_no) &&
        load_revision(app, req, &view, from_no, &from)) {
        if (load_revision(app, req, &view, to_no, &to)) {
            respond_diff(req, view.slug, &from, &to);
            dbf_revision_release(&to);
        }
        dbf_revision_release(&from);
    }
    pm_view_release(&view);
    return 0;
}

int api_pm_redacted(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    struct pm_view view;
    if (!pm_open(app, req, params, &view))
        return 0;
    struct pm_redacted copy;
    enum pm_redacted_result result = pm_publish_redacted(app, &view, &copy);
    switch (result) {
    case PM_REDACTED_CREATED:
    case PM_REDACTED_UPDATED:
        if (result == PM_REDACTED_CREATED)
            set_location(req, copy.slug);
        respond_json(req, result == PM_REDACTED_CREATED ? 201 : 200,
                     json_pack("{s:s, s:i}", "id", copy.slug, "revision", copy.revision));
        break;
    case PM_REDACTED_FORBIDDEN:
        respond_error(req, 403, "forbidden", copy.message);
        break;
    case PM_REDACTED_INVALID:
        respond_error(req, 400, "bad_request", copy.message);
        break;
    case PM_REDACTED_TAKEN:
        respond_error(req, 409, "conflict", copy.message);
        break;
    case PM_REDACTED_STORE_FAILED:
        respond_store_error(app, req, copy.store_status);
        break;
    }
    pm_view_release(&view);
    return 0;
}
