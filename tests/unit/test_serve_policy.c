/* test_serve_policy.c: the server's workflow rules (src/serve/policy.c) and
 * its line diff (src/serve/diff.c), as pure functions: who may move a post
 * mortem where, the reasons shown when they may not, and diffs that apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "serve/diff.h"
#include "serve/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR 3600
#define DAY 86400

static const struct policy_rules rules = {DAY, true, 1};

static struct policy_actor actor(enum dbf_role role, bool in_owner_team)
{
    struct policy_actor a = {.id = 7, .role = role, .in_owner_team = in_owner_team};
    snprintf(a.name, sizeof a.name, "someone");
    return a;
}

static struct policy_state in_review(int64_t seconds, const struct policy_approval *approvals,
                                     size_t count)
{
    return (struct policy_state){.status = DBF_PM_REVIEW,
                                 .entered = 1000000,
                                 .now = 1000000 + seconds,
                                 .owner_team = "sre",
                                 .approvals = approvals,
                                 .approval_count = count};
}

static bool has_reason(const struct policy_verdict *v, const char *text)
{
    for (size_t i = 0; i < v->reason_count; i++) {
        if (strstr(v->reasons[i], text))
            return true;
    }
    return false;
}

static void publish_waits_for_time_in_review(void **state)
{
    (void)state;
    struct policy_approval ok = {.reviewer = 9, .name = "rita", .reviewer_role = true};
    struct policy_state s = in_review(3 * HOUR, &ok, 1);
    struct policy_actor a = actor(DBF_ROLE_AUTHOR, true);
    struct policy_verdict v;
    policy_transition(&rules, &s, &a, DBF_PM_PUBLISHED, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
    assert_int_equal(v.reason_count, 1);
    assert_string_equal(v.reasons[0], "in review for 3 h; 21 h to go");

    s = in_review(DAY, &ok, 1);
    policy_transition(&rules, &s, &a, DBF_PM_PUBLISHED, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_ALLOW);
    assert_false(v.overridden);
}

static void approval_must_come_from_another_team(void **state)
{
    (void)state;
    struct policy_approval mate = {
        .reviewer = 9, .name = "olga", .reviewer_role = true, .in_owner_team = true};
    struct policy_state s = in_review(2 * DAY, &mate, 1);
    struct policy_actor a = actor(DBF_ROLE_AUTHOR, true);
    struct policy_verdict v;
    policy_transition(&rules, &s, &a, DBF_PM_PUBLISHED, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
    assert_true(
        has_reason(&v, "needs 1 approval from reviewers of another team than 'sre'; has 0"));
    assert_true(has_reason(&v, "the approval of olga does not count: the approval must come from "
                               "a reviewer of another team"));

    struct policy_rules same_team_ok = rules;
    same_team_ok.review_other_team = false;
    policy_transition(&same_team_ok, &s, &a, DBF_PM_PUBLISHED, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_ALLOW);
}

static void approvals_count_once_per_reviewer(void **state)
{
    (void)state;
    struct policy_approval twice[] = {
        {.reviewer = 9, .name = "rita", .reviewer_role = true},
        {.reviewer = 9, .name = "rita", .reviewer_role = true},
        {.reviewer = 10, .name = "wes", .reviewer_role = true, .wrote_it = true},
        {.reviewer = 11, .name = "vic", .reviewer_role = false},
    };
    struct policy_state s = in_review(2 * DAY, twice, 4);
    assert_int_equal(policy_valid_approvals(&rules, &s), 1);
    struct policy_rules two = rules;
    two.approvals_needed = 2;
    struct policy_verdict v;
    policy_publish_rules(&two, &s, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
    assert_true(has_reason(&v, "needs 2 approvals"));
    assert_true(has_reason(&v, "the approval of wes does not count: they wrote part of it"));
    assert_true(has_reason(&v, "the approval of vic does not count: they no longer have the "
                               "reviewer role"));
}

static void admin_override_needs_reason(void **state)
{
    (void)state;
    struct policy_state s = in_review(HOUR, NULL, 0);
    struct policy_actor admin = actor(DBF_ROLE_ADMIN, false);
    struct policy_actor author = actor(DBF_ROLE_AUTHOR, true);
    struct policy_verdict v;
    policy_transition(&rules, &s, &author, DBF_PM_PUBLISHED, true, "urgent", &v);
    assert_int_equal(v.answer, POLICY_FORBIDDEN);
    policy_transition(&rules, &s, &admin, DBF_PM_PUBLISHED, true, "  ", &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
    assert_true(has_reason(&v, "an override needs a reason"));
    policy_transition(&rules, &s, &admin, DBF_PM_PUBLISHED, true, "legal asked", &v);
    assert_int_equal(v.answer, POLICY_ALLOW);
    assert_true(v.overridden);
    assert_true(has_reason(&v, "to go"));
    policy_transition(&rules, &s, &admin, DBF_PM_PUBLISHED, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
}

static void sensitive_data_stops_publishing(void **state)
{
    (void)state;
    struct policy_approval ok = {.reviewer = 9, .name = "rita", .reviewer_role = true};
    struct policy_state s = in_review(2 * DAY, &ok, 1);
    const char *const found[] = {"line 12: an AWS access key (AKIA…)", "line 30: e-mail address"};
    s.sensitive = found;
    s.sensitive_count = 2;
    struct policy_actor owner = actor(DBF_ROLE_AUTHOR, true);
    struct policy_actor admin = actor(DBF_ROLE_ADMIN, false);
    struct policy_verdict v;
    policy_transition(&rules, &s, &owner, DBF_PM_PUBLISHED, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
    assert_int_equal(v.reason_count, 2);
    assert_true(has_reason(&v, "line 12: an AWS access key (AKIA…) (process/sensitive-data): take "
                               "it out, or restrict the post mortem, before publishing it"));
    policy_transition(&rules, &s, &admin, DBF_PM_PUBLISHED, true, "the key was revoked", &v);
    assert_int_equal(v.answer, POLICY_ALLOW);
    assert_true(v.overridden);
    assert_true(has_reason(&v, "line 30: e-mail address"));
    s.sensitive_count = 0;
    policy_transition(&rules, &s, &owner, DBF_PM_PUBLISHED, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_ALLOW);
}

static void moves_and_who_makes_them(void **state)
{
    (void)state;
    struct policy_state draft = {.status = DBF_PM_DRAFT, .owner_team = "sre"};
    struct policy_state published = {.status = DBF_PM_PUBLISHED, .owner_team = "sre"};
    struct policy_actor owner = actor(DBF_ROLE_AUTHOR, true);
    struct policy_actor outsider = actor(DBF_ROLE_AUTHOR, false);
    struct policy_actor viewer = actor(DBF_ROLE_VIEWER, true);
    struct policy_actor reviewer = actor(DBF_ROLE_REVIEWER, false);
    struct policy_verdict v;

    policy_transition(&rules, &draft, &owner, DBF_PM_REVIEW, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_ALLOW);
    policy_transition(&rules, &draft, &outsider, DBF_PM_REVIEW, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_FORBIDDEN);
    assert_true(has_reason(&v, "owner team 'sre'"));
    policy_transition(&rules, &draft, &viewer, DBF_PM_REVIEW, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_FORBIDDEN);
    policy_transition(&rules, &draft, &owner, DBF_PM_PUBLISHED, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
    assert_true(has_reason(&v, "a draft goes to review"));
    policy_transition(&rules, &draft, &owner, DBF_PM_DRAFT, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);

    struct policy_state review = in_review(HOUR, NULL, 0);
    policy_transition(&rules, &review, &reviewer, DBF_PM_DRAFT, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_ALLOW);
    policy_transition(&rules, &review, &outsider, DBF_PM_DRAFT, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_FORBIDDEN);
    policy_transition(&rules, &review, &reviewer, DBF_PM_PUBLISHED, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_FORBIDDEN);

    policy_transition(&rules, &published, &owner, DBF_PM_DRAFT, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
    assert_true(has_reason(&v, "needs a reason"));
    policy_transition(&rules, &published, &owner, DBF_PM_DRAFT, false, "the cause was wrong", &v);
    assert_int_equal(v.answer, POLICY_ALLOW);
    policy_transition(&rules, &published, &owner, DBF_PM_REVIEW, false, NULL, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
}

static void who_may_approve(void **state)
{
    (void)state;
    struct policy_state review = in_review(HOUR, NULL, 0);
    struct policy_state draft = {.status = DBF_PM_DRAFT, .owner_team = "sre"};
    struct policy_actor reviewer = actor(DBF_ROLE_REVIEWER, false);
    struct policy_actor mate = actor(DBF_ROLE_REVIEWER, true);
    struct policy_actor author = actor(DBF_ROLE_AUTHOR, false);
    struct policy_actor writer = actor(DBF_ROLE_REVIEWER, false);
    writer.wrote_it = true;
    struct policy_verdict v;
    policy_approve(&rules, &review, &reviewer, false, &v);
    assert_int_equal(v.answer, POLICY_ALLOW);
    policy_approve(&rules, &review, &reviewer, true, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
    policy_approve(&rules, &review, &author, false, &v);
    assert_int_equal(v.answer, POLICY_FORBIDDEN);
    policy_approve(&rules, &review, &mate, false, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
    assert_true(has_reason(&v, "another team than 'sre'"));
    policy_approve(&rules, &review, &writer, false, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
    policy_approve(&rules, &draft, &reviewer, false, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
    assert_true(has_reason(&v, "only a post mortem in review"));
    policy_approve(&rules, &draft, &author, false, &v);
    assert_int_equal(v.answer, POLICY_REFUSED);
}

/* Applies DIFF to rebuild both texts and checks them against OLD and NEW. */
static void assert_diff_applies(const struct diff *d, const char *old, const char *new_text)
{
    char a[4096] = "", b[4096] = "";
    size_t an = 0, bn = 0, last_old = 0, last_new = 0;
    for (size_t i = 0; i < d->count; i++) {
        const struct diff_line *l = &d->lines[i];
        if (l->op != '+') {
            assert_int_equal(l->old_no, ++last_old);
            memcpy(a + an, l->text, l->len);
            an += l->len;
            a[an++] = '\n';
        }
        if (l->op != '-') {
            assert_int_equal(l->new_no, ++last_new);
            memcpy(b + bn, l->text, l->len);
            bn += l->len;
            b[bn++] = '\n';
        }
    }
    a[an] = b[bn] = '\0';
    assert_string_equal(a, old);
    assert_string_equal(b, new_text);
}

static void diff_is_shortest_and_applies(void **state)
{
    (void)state;
    const char *old = "a\nb\nc\nd\ne\nf\n";
    const char *new_text = "a\nc\nd\nx\ne\nf\ng\n";
    struct diff d;
    assert_true(diff_lines(old, strlen(old), new_text, strlen(new_text), 0, &d));
    assert_diff_applies(&d, old, new_text);
    size_t added, removed;
    diff_count(&d, &added, &removed);
    assert_int_equal(added, 2);
    assert_int_equal(removed, 1);
    assert_false(d.approximate);
    struct dbf_buf u;
    dbf_buf_init(&u, 0);
    diff_unified(&d, 1, "pm@1", "pm@2", &u);
    assert_string_equal(u.data, "--- pm@1\n+++ pm@2\n"
                                "@@ -1,6 +1,7 @@\n a\n-b\n c\n d\n+x\n e\n f\n+g\n");
    dbf_buf_release(&u);
    diff_release(&d);

    assert_true(diff_lines(old, strlen(old), old, strlen(old), 0, &d));
    dbf_buf_init(&u, 0);
    diff_unified(&d, 3, "x", "y", &u);
    assert_int_equal(u.len, 0);
    dbf_buf_release(&u);
    diff_release(&d);

    assert_true(diff_lines("", 0, "one\ntwo\n", 8, 0, &d));
    assert_diff_applies(&d, "", "one\ntwo\n");
    dbf_buf_init(&u, 0);
    diff_unified(&d, 3, "x", "y", &u);
    assert_string_equal(u.data, "--- x\n+++ y\n@@ -0,0 +1,2 @@\n+one\n+two\n");
    dbf_buf_release(&u);
    diff_release(&d);
}

static void diff_splits_far_hunks(void **state)
{
    (void)state;
    char old[2048] = "", new_text[2048] = "";
    size_t on = 0, nn = 0;
    for (int i = 1; i <= 30; i++) {
        on += (size_t)snprintf(old + on, sizeof old - on, "line %d\n", i);
        nn += (size_t)snprintf(new_text + nn, sizeof new_text - nn, "%s %d\n",
                               i == 2 || i == 29 ? "LINE" : "line", i);
    }
    struct diff d;
    assert_true(diff_lines(old, on, new_text, nn, 0, &d));
    assert_diff_applies(&d, old, new_text);
    struct dbf_buf u;
    dbf_buf_init(&u, 0);
    diff_unified(&d, 3, "a", "b", &u);
    assert_non_null(strstr(u.data, "@@ -1,5 +1,5 @@\n line 1\n-line 2\n+LINE 2\n"));
    assert_non_null(strstr(u.data, "@@ -26,5 +26,5 @@\n line 26\n"));
    dbf_buf_release(&u);
    diff_release(&d);
}

static void diff_bound_gives_a_true_diff(void **state)
{
    (void)state;
    /* Every line differs: with a tiny bound the answer is approximate but
     * still rebuilds both texts. */
    char old[4000] = "", new_text[4000] = "";
    size_t on = 0, nn = 0;
    for (int i = 0; i < 200; i++) {
        on += (size_t)snprintf(old + on, sizeof old - on, "%d\n", i % 7 == 0 ? i : -i);
        nn += (size_t)snprintf(new_text + nn, sizeof new_text - nn, "%d\n",
                               i % 5 == 0 ? i : i + 1000);
    }
    struct diff d;
    assert_true(diff_lines(old, on, new_text, nn, 50, &d));
    assert_true(d.approximate);
    assert_diff_applies(&d, old, new_text);
    diff_release(&d);
    assert_true(diff_lines(old, on, new_text, nn, 0, &d));
    assert_false(d.approximate);
    assert_diff_applies(&d, old, new_text);
    size_t added, removed;
    diff_count(&d, &added, &removed);
    assert_true(added < 200);
    diff_release(&d);
}

static void diff_sees_a_missing_last_newline(void **state)
{
    (void)state;
    struct diff d;
    assert_true(diff_lines("a\nb", 3, "a\nb\n", 4, 0, &d));
    size_t added, removed;
    diff_count(&d, &added, &removed);
    assert_int_equal(added, 1);
    assert_int_equal(removed, 1);
    diff_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(publish_waits_for_time_in_review),
        cmocka_unit_test(approval_must_come_from_another_team),
        cmocka_unit_test(approvals_count_once_per_reviewer),
        cmocka_unit_test(admin_override_needs_reason),
        cmocka_unit_test(sensitive_data_stops_publishing),
        cmocka_unit_test(moves_and_who_makes_them),
        cmocka_unit_test(who_may_approve),
        cmocka_unit_test(diff_is_shortest_and_applies),
        cmocka_unit_test(diff_splits_far_hunks),
        cmocka_unit_test(diff_bound_gives_a_true_diff),
        cmocka_unit_test(diff_sees_a_missing_last_newline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
