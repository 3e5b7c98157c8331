/* editor_new.c: starting a post mortem: GET /new (the template's form and
 * the triage questions), POST /triage (the verdict, and a form that starts
 * one prefilled from the answers) and POST /postmortems (creates it from
 * `debrief new`'s template under the API's rules, then opens the editor). */
#include "editor.h"

#include "../serve/analysis.h"
#include "debrief/ingest.h"
#include "template.h"
#include "triage.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TITLE_MAX 200
/* Tries of "-2", "-3", … after an id that is taken. */
#define SLUG_TRIES 20

/* What the form of a new post mortem holds (as typed, for showing again). */
struct new_fields {
    const char *title, *owner_team, *visibility, *date, *severity;
    const char *customer_facing, *slo_breach; /* "yes", "no" or NULL: from a triage */
};

static const char *const visibilities[][2] = {
    {"internal", "Internal: everyone signed in"},
    {"public", "Public: everyone signed in, and fit to share with customers"},
    {"restricted", "Restricted: only the owner team and people named on it"},
};

static void option(struct dbf_buf *out, const char *value, const char *label, const char *chosen)
{
    html(out, "<option value=\"%s\"%H>%s</option>\n", value,
         chosen && strcmp(chosen, value) == 0 ? " selected" : "", label);
}

/* The teams the user may write for: their own; every team for an admin. */
static bool writable_teams(struct page *page, struct dbf_team **teams, size_t *count, bool *owned)
{
    *owned = false;
    if (page->auth.user.role != DBF_ROLE_ADMIN) {
        *teams = page->auth.teams;
        *count = page->auth.team_count;
        return true;
    }
    enum dbf_store_status st = dbf_store_team_list(page->app->store, teams, count);
    if (st != DBF_STORE_OK) {
        web_store_error(page->app, page->req, st);
        return false;
    }
    *owned = true;
    return true;
}

/* The form that creates a post mortem from the template, with F's values;
 * a triage's answers travel in hidden fields. */
static bool new_form(struct page *page, const struct new_fields *f, const char *submit)
{
    struct dbf_buf *out = &page->body;
    struct dbf_team *teams;
    size_t count;
    bool owned;
    if (!writable_teams(page, &teams, &count, &owned))
        return false;
    if (count == 0) {
        if (owned)
            html(out, "<p class=\"error\">There is no team yet, and a post mortem is owned by a "
                      "team: <a href=\"/admin/teams\">make one</a> first.</p>\n");
        else
            html(out, "<p class=\"error\">You belong to no team, and a post mortem is owned by a "
                      "team: ask an admin to add you to one.</p>\n");
        free(owned ? teams : NULL);
        return true;
    }
    html(out, "<form method=\"post\" action=\"/postmortems\" class=\"stacked\">\n");
    html_csrf_field(page);
    html(out,
         "<p><label for=\"new-title\">Title</label>\n"
         "<input id=\"new-title\" name=\"title\" required maxlength=\"%d\" value=\"%s\" "
         "aria-describedby=\"new-title-hint\">\n"
         "<span id=\"new-title-hint\" class=\"hint\">What people saw, where, for how long: "
         "\"Card payments declined for 22%% of EU shoppers for 41 minutes\".</span></p>\n",
         TITLE_MAX, f->title ? f->title : "");
    html(out, "<p><label for=\"new-team\">Owner team</label>\n"
              "<select id=\"new-team\" name=\"owner_team\">\n");
    for (size_t i = 0; i < count; i++)
        option(out, teams[i].name, teams[i].name, f->owner_team);
    html(out, "</select></p>\n");
    html(out, "<p><label for=\"new-visibility\">Visibility</label>\n"
              "<select id=\"new-visibility\" name=\"visibility\">\n");
    for (size_t i = 0; i < sizeof visibilities / sizeof visibilities[0]; i++)
        option(out, visibilities[i][0], visibilities[i][1],
               f->visibility ? f->visibility : "internal");
    html(out, "</select></p>\n");
    html(out,
         "<p><label for=\"new-date\">Incident date</label>\n"
         "<input id=\"new-date\" name=\"date\" type=\"date\" value=\"%s\"></p>\n",
         f->date ? f->date : "");
    html(out, "<p><label for=\"new-severity\">Severity</label>\n"
              "<select id=\"new-severity\" name=\"severity\">\n");
    option(out, "", "Not known yet", f->severity);
    static const char *const sevs[] = {"SEV-1", "SEV-2", "SEV-3", "SEV-4"};
    for (int i = 0; i < 4; i++)
        option(out, sevs[i], sevs[i], f->severity);
    html(out, "</select></p>\n");
    if (f->customer_facing)
        html(out, "<input type=\"hidden\" name=\"customer_facing\" value=\"%s\">\n",
             f->customer_facing);
    if (f->slo_breach)
        html(out, "<input type=\"hidden\" name=\"slo_breach\" value=\"%s\">\n", f->slo_breach);
    html(out, "<p><button type=\"submit\">%s</button></p>\n</form>\n", submit);
    if (owned)
        free(teams);
    return true;
}

static void triage_form(struct page *page)
{
    struct dbf_buf *out = &page->body;
    html(out, "<form method=\"post\" action=\"/triage\" class=\"stacked\">\n");
    html_csrf_field(page);
    html(out, "<fieldset>\n<legend>Check each statement that is true of the incident</legend>\n");
    for (int q = 0; q < TRIAGE_QUESTION_COUNT; q++)
        html(out,
             "<p><input type=\"checkbox\" id=\"q-%s\" name=\"%s\" value=\"yes\"> "
             "<label for=\"q-%s\">%s</label></p>\n",
             triage_questions[q].flag, triage_questions[q].flag, triage_questions[q].flag,
             triage_questions[q].ask);
    html(out, "</fieldset>\n<p><button type=\"submit\">Decide</button></p>\n</form>\n");
}

int web_pm_new_form(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "New post mortem", "new", &page))
        return 0;
    if (!editor_may_write(&page)) {
        page_abandon(&page);
        return 0;
    }
    html(&page.body, "<div class=\"columns\">\n<section aria-labelledby=\"from-template\">\n"
                     "<h2 id=\"from-template\">Start from the template</h2>\n"
                     "<p>Every section with a hint on what belongs there, as <code>debrief "
                     "new</code> writes it.</p>\n");
    struct new_fields none = {0};
    if (!new_form(&page, &none, "Create")) {
        page_abandon(&page);
        return 0;
    }
    html(&page.body, "</section>\n<section aria-labelledby=\"from-triage\">\n"
                     "<h2 id=\"from-triage\">Not sure one is needed? Triage</h2>\n"
                     "<p>Answer the questions of <code>debrief triage</code>: the verdict says "
                     "whether a post mortem is needed, and with which visibility.</p>\n");
    triage_form(&page);
    html(&page.body, "</section>\n</div>\n");
    page_end(&page, 200);
    return 0;
}

int web_triage(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "Triage", "new", &page))
        return 0;
    bool yes[TRIAGE_QUESTION_COUNT] = {false};
    for (int q = 0; q < TRIAGE_QUESTION_COUNT; q++) {
        const char *v = request_form(req, triage_questions[q].flag);
        yes[q] = v && (strcmp(v, "yes") == 0 || strcmp(v, "on") == 0);
    }
    struct triage_verdict v = triage_decide(yes);
    struct dbf_buf *out = &page.body;
    html(out,
         "<section class=\"verdict verdict-%s\" aria-labelledby=\"verdict-h\">\n"
         "<h2 id=\"verdict-h\">%s</h2>\n",
         triage_decision_id(v.decision), triage_headline(v.decision));
    if (v.decision == TRIAGE_NOT_NEEDED) {
        html(out, "<p>No question was answered yes.</p>\n"
                  "<p><a href=\"/new\">Back to the questions, or start one anyway</a></p>\n"
                  "</section>\n");
        page_end(&page, 200);
        return 0;
    }
    html(out, "<p>Because:</p>\n<ul>\n");
    for (size_t i = 0; i < v.reason_count; i++)
        html(out, "<li>%s</li>\n", v.reasons[i]);
    html(out, "</ul>\n<p>Visibility: <strong>%s</strong> (%s).</p>\n</section>\n", v.visibility,
         v.visibility_reason);
    if (!auth_has_role(&page.auth, DBF_ROLE_AUTHOR)) {
        html(out, "<p>Writing post mortems needs the author role: ask an author of the owner "
                  "team to start it.</p>\n");
        page_end(&page, 200);
        return 0;
    }
    html(out, "<h2>Start it</h2>\n");
    struct new_fields f = {
        .visibility = v.visibility,
        .customer_facing = yes[TRIAGE_CUSTOMER_FACING] ? "yes" : "no",
        .slo_breach = yes[TRIAGE_SLO_BREACH] ? "yes" : "no",
    };
    if (!new_form(&page, &f, "Create the post mortem")) {
        page_abandon(&page);
        return 0;
    }
    page_end(&page, 200);
    return 0;
}

/* Re-shows the form of a new post mortem with MESSAGE and what was typed. */
static void new_form_error(struct page *page, const struct new_fields *f, int status,
                           const char *message)
{
    page->title = "New post mortem";
    html(&page->body, "<div class=\"error\" role=\"alert\"><p>%s</p></div>\n", message);
    if (!new_form(page, f, "Create")) {
        page_abandon(page);
        return;
    }
    page_end(page, status);
}

static bool has_control_character(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static enum template_answer answer_of(const char *v)
{
    if (!v)
        return TEMPLATE_UNKNOWN;
    return strcmp(v, "yes") == 0  ? TEMPLATE_YES
           : strcmp(v, "no") == 0 ? TEMPLATE_NO
                                  : TEMPLATE_UNKNOWN;
}

static struct dbf_date date_of(int64_t seconds)
{
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return (struct dbf_date){1970, 1, 1};
    return (struct dbf_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

/* Checks F; fills T (borrowing F's strings). Returns NULL, or what is
 * wrong. */
static const char *check_fields(const struct new_fields *f, int64_t now, struct template_fields *t)
{
    memset(t, 0, sizeof *t);
    if (!f->title || !*f->title)
        return "Give the post mortem a title.";
    if (strlen(f->title) > TITLE_MAX || has_control_character(f->title))
        return "The title is one line of at most 200 characters.";
    t->title = f->title;
    t->visibility = f->visibility && *f->visibility ? f->visibility : "internal";
    if (strcmp(t->visibility, "internal") && strcmp(t->visibility, "public") &&
        strcmp(t->visibility, "restricted"))
        return "The visibility is internal, public or restricted.";
    t->today = date_of(now);
    t->date = t->today;
    if (f->date && *f->date && !analysis_parse_date(f->date, &t->date))
        return "The incident date is written YYYY-MM-DD.";
    if (f->severity && *f->severity) {
        if (strlen(f->severity) != 5 || strncmp(f->severity, "SEV-", 4) || f->severity[4] < '1' ||
            f->severity[4] > '4')
            return "The severity is SEV-1 to SEV-4, or not known yet.";
        t->severity = f->severity[4] - '0';
    }
    t->customer_facing = answer_of(f->customer_facing);
    t->slo_breach = answer_of(f->slo_breach);
    return NULL;
}

/* The owner team named NAME, which the user must be able to write for (as
 * the API's rule: a member, or an admin). Returns false with what is wrong
 * in MESSAGE and *ST DBF_STORE_OK, or with *ST the store's failure. */
static bool owner_team(struct page *page, const char *name, struct dbf_team *out, char *message,
                       size_t size, enum dbf_store_status *st)
{
    *st = DBF_STORE_OK;
    if (!name || !*name) {
        snprintf(message, size, "Choose the owner team.");
        return false;
    }
    *st = dbf_store_team_get(page->app->store, name, out);
    if (*st == DBF_STORE_NOT_FOUND) {
        *st = DBF_STORE_OK;
        snprintf(message, size, "No team is named '%.64s': choose an existing owner team.", name);
        return false;
    }
    if (*st != DBF_STORE_OK)
        return false;
    if (page->auth.user.role != DBF_ROLE_ADMIN && !auth_in_team(&page->auth, out->id)) {
        snprintf(message, size,
                 "You are not a member of team '%.64s': only its members and admins may write "
                 "its post mortems.",
                 out->name);
        return false;
    }
    return true;
}

/* Creates the post mortem of T for TEAM: the template's id, or the first of
 * ID-2, ID-3, … that is free. Writes its id to SLUG. */
static enum dbf_store_status create(struct page *page, struct template_fields *t,
                                    const struct dbf_team *team, char *slug, size_t size, char *err,
                                    size_t errlen)
{
    snprintf(err, errlen, "the store refused it");
    struct dbf_buf base;
    dbf_buf_init(&base, 0);
    dbf_buf_addf(&base, "%04d-%02d-%02d-", t->date.year, t->date.month, t->date.day);
    template_slug(&base, t->title);
    enum dbf_store_status st = DBF_STORE_CONFLICT;
    for (int n = 1; n <= SLUG_TRIES && st == DBF_STORE_CONFLICT; n++) {
        if (n == 1)
            snprintf(slug, size, "%s", base.data);
        else
            snprintf(slug, size, "%s-%d", base.data, n);
        t->id = slug;
        t->owner_team = team->name;
        struct dbf_buf text;
        dbf_buf_init(&text, 0);
        template_write(&text, t);
        struct dbf_ingest in;
        if (!dbf_ingest(NULL, text.data, text.len, &in, err, errlen)) {
            dbf_buf_release(&text);
            st = DBF_STORE_INVALID;
            break;
        }
        st = dbf_store_pm_create(page->app->store, slug, team->id, in.visibility, &in.content,
                                 page->auth.user.id, NULL);
        if (st == DBF_STORE_OK && in.visibility == DBF_VISIBILITY_RESTRICTED)
            st = dbf_store_pm_grant(page->app->store, slug, page->auth.user.id, 0);
        dbf_ingest_release(&in);
        dbf_buf_release(&text);
    }
    dbf_buf_release(&base);
    if (st == DBF_STORE_CONFLICT)
        snprintf(err, errlen, "every id from '%s' on is taken: choose another title", slug);
    return st;
}

int web_pm_create(struct serve_app *app, h2o_req_t *req, const struct route_params *params)
{
    (void)params;
    struct page page;
    if (!page_begin(app, req, AUTH_SIGNED_IN, "New post mortem", "new", &page))
        return 0;
    if (!editor_may_write(&page)) {
        page_abandon(&page);
        return 0;
    }
    struct new_fields f = {
        request_form(req, "title"),      request_form(req, "owner_team"),
        request_form(req, "visibility"), request_form(req, "date"),
        request_form(req, "severity"),   request_form(req, "customer_facing"),
        request_form(req, "slo_breach"),
    };
    struct template_fields t;
    const char *wrong = check_fields(&f, dbf_store_now(app->store), &t);
    if (wrong) {
        new_form_error(&page, &f, 400, wrong);
        return 0;
    }
    struct dbf_team team;
    char message[256];
    enum dbf_store_status st;
    if (!owner_team(&page, f.owner_team, &team, message, sizeof message, &st)) {
        if (st != DBF_STORE_OK) {
            page_abandon(&page);
            web_store_error(app, req, st);
        } else {
            new_form_error(&page, &f, 400, message);
        }
        return 0;
    }
    char slug[DBF_STORE_SLUG_MAX + 1], err[256];
    st = create(&page, &t, &team, slug, sizeof slug, err, sizeof err);
    if (st == DBF_STORE_CONFLICT || st == DBF_STORE_INVALID) {
        snprintf(message, sizeof message, "The post mortem was not created: %.200s.", err);
        new_form_error(&page, &f, st == DBF_STORE_CONFLICT ? 409 : 400, message);
        return 0;
    }
    page_abandon(&page);
    if (st != DBF_STORE_OK) {
        web_store_error(app, req, st);
        return 0;
    }
    char location[DBF_STORE_SLUG_MAX + 32];
    snprintf(location, sizeof location, "/postmortems/%s/edit", slug);
    web_redirect(req, location);
    return 0;
}
