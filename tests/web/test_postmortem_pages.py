#!/usr/bin/env python3
"""test_postmortem_pages.py: the list of post mortems and the post mortem
page of the web app, against the real server on SQLite: the list's search,
filters, order and pages; the page's report, findings and score; its
workflow buttons, disabled with the policy's reasons (24 h in review by the
test clock, a reviewer of the owner team); every form working, and refused
without its csrf_token; history and diffs; a restricted post mortem as the
same 404 page as a missing one on every page route; what users typed
escaped."""

import html
import os
import re
import sys
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from harness import ApiCase, RESTRICTED_PM, main, postmortem, query, unique  # noqa: E402

PM = "/api/v1/postmortems"
FORM = "application/x-www-form-urlencoded"
PAYLOAD = "<script>alert('pwned')</script>"
PAYLOAD_IMG = '<img src=x onerror="alert(1)">'
# Three hours into review by the test clock; the real seconds the test
# takes may round what is left down by a minute.
TO_GO = r"in review for 3 h; (21 h|20 h 59 min) to go"


def text_of(reply):
    body = reply.body
    return body.decode("utf-8") if isinstance(body, bytes) else str(body)


def plain(page):
    """PAGE without its tags, entities decoded, spaces squeezed: what a
    reader sees."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def listed(page):
    """The ids of the post mortems in the list's table, in order."""
    table = re.search(r'<table class="pm-list">.*?</table>', page, re.S)
    return re.findall(r'<td><a href="/postmortems/([^"?/]+)">', table.group(0)) if table else []


def button(page, label):
    """The <form> holding the button LABEL, or None."""
    for m in re.finditer(r"<form\b.*?</form>", page, re.S):
        if re.search(r"<button[^>]*>%s</button>" % re.escape(label), m.group(0)):
            return m.group(0)
    return None


def assert_no_live_markup(case, page):
    for m in re.finditer(r"<script\b[^>]*>", page, re.I):
        case.assertIn('src="/static/app.js"', m.group(0))
    case.assertIsNone(re.search(r"<[a-z][^<>]*\son[a-z]+\s*=", page, re.I), "an on…= attribute")
    case.assertNotIn("<img src=x", page)


class TestPostmortemPages(ApiCase):
    """Teams sre, dbt and payments: alice (author, sre) writes; rita
    (reviewer, sre) is of the owner team; rex (reviewer, dbt) is not; olga
    (author, dbt) is an outsider to payments' restricted post mortem."""

    backend = "sqlite"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for team in ("sre", "dbt", "payments"):
            cls.make_team(team)
        cls.alice = cls.make_user("alice", "author", ["sre"])
        cls.rita = cls.make_user("rita", "reviewer", ["sre"])
        cls.rex = cls.make_user("rex", "reviewer", ["dbt"])
        cls.olga = cls.make_user("olga", "author", ["dbt"])
        cls.carol = cls.make_user("carol", "author", ["payments"])
        cls.a = cls.session_client(cls.alice)
        cls.restricted = cls.create_pm(cls.session_client(cls.carol), RESTRICTED_PM)

    # Helpers

    def form(self, client, path, fields, csrf=True):
        """POSTs FIELDS as a form, with the session's csrf_token field when
        CSRF (and never the X-CSRF-Token header)."""
        data = dict(fields)
        if csrf and client.csrf:
            data["csrf_token"] = client.csrf
        return client.request("POST", path, raw=urllib.parse.urlencode(data),
                              headers={"Content-Type": FORM, "X-CSRF-Token": None})

    def page(self, client, path, status=200):
        reply = client.get(path)
        self.assertEqual(reply.status, status, text_of(reply)[:3000])
        self.assertTrue(reply.headers.get("Content-Type", "").startswith("text/html"), reply)
        return text_of(reply)

    def new_pm(self, client=None, **kw):
        slug = unique(kw.pop("prefix", "pm"))
        return self.create_pm(client or self.a, postmortem(slug, team=kw.pop("team", "sre"), **kw))

    # The list

    def test_list_search_filters_order_and_pages(self):
        tag = unique("pagetag")
        made = [self.new_pm(tags=(tag,), title="Paged %02d" % i) for i in range(27)]
        p1 = self.page(self.a, query("/postmortems", tag=tag, sort="title"))
        self.assertEqual(listed(p1), made[:25])
        self.assertIn("1–25 of 27 post mortems", plain(p1))
        nxt = re.search(r'<a rel="next" href="([^"]+)"', p1)
        self.assertIsNotNone(nxt, "no link to the next page")
        p2 = self.page(self.a, html.unescape(nxt.group(1)))
        self.assertEqual(listed(p2), made[25:])
        self.assertIn("26–27 of 27", plain(p2))
        self.assertIn('rel="prev"', p2)
        # Reversed order, and the form keeps what was chosen.
        rev = self.page(self.a, query("/postmortems", tag=tag, sort="-title"))
        self.assertEqual(listed(rev)[:3], [made[26], made[25], made[24]])
        self.assertRegex(rev, r'<option value="-title" selected>')
        self.assertIn('value="%s"' % tag, rev)

        word = unique("quetzal")
        hit = self.new_pm(words="The %s cache fell over." % word, severity="SEV1", service="ledger")
        found = self.page(self.a, query("/postmortems", q=word))
        self.assertEqual(listed(found), [hit])
        self.assertIn("1–1 of 1 post mortem", plain(found))
        for filters, expect in [
            ({"q": word, "severity": "sev1"}, [hit]),
            ({"q": word, "severity": "SEV3"}, []),
            ({"q": word, "service": "ledger"}, [hit]),
            ({"q": word, "service": "other"}, []),
            ({"q": word, "team": "sre"}, [hit]),
            ({"q": word, "team": "dbt"}, []),
            ({"q": word, "status": "draft"}, [hit]),
            ({"q": word, "status": "published"}, []),
            ({"q": word, "since": "2026-03-01", "until": "2026-03-31"}, [hit]),
            ({"q": word, "since": "2026-04-01"}, []),
        ]:
            got = self.page(self.a, query("/postmortems", **filters))
            self.assertEqual(listed(got), expect, filters)
            if not expect:
                self.assertIn("No post mortem matches these filters", plain(got), filters)
        # The table's columns: status and severity badges, team, service, started.
        row = re.search(r'<tr><td><a href="/postmortems/%s">.*?</tr>' % re.escape(hit), found, re.S).group(0)
        self.assertIn('class="badge badge-draft"', row)
        self.assertIn('class="badge sev-1"', row)
        for cell in ("sre", "ledger", "2026-03-10"):
            self.assertIn("<td>%s</td>" % cell, row)

    def test_list_refuses_bad_filters_with_a_message(self):
        for params, words in [({"since": "yesterday"}, "YYYY-MM-DD"),
                              ({"team": "no-such-team"}, "No team is named"),
                              ({"sort": "colour"}, "colour"),
                              ({"page": "zero"}, "page number")]:
            page = self.page(self.a, query("/postmortems", **params), 400)
            self.assertIn(words, plain(page), params)
            self.assertIn('<form method="get" action="/postmortems"', page)

    def test_list_needs_a_sign_in_and_hides_restricted_ones(self):
        reply = self.anonymous().get("/postmortems")
        self.assertEqual(reply.status, 303)
        self.assertTrue(reply.headers["Location"].startswith("/signin?next="), reply.headers["Location"])
        olga = self.session_client(self.olga)
        page = self.page(olga, query("/postmortems", q="zanzibarquux"))
        self.assertEqual(listed(page), [])
        self.assertNotIn(self.restricted, page)
        carol = self.session_client(self.carol)
        self.assertEqual(listed(self.page(carol, query("/postmortems", q="zanzibarquux"))), [self.restricted])

    # The page

    def test_page_shows_the_report_findings_and_score(self):
        slug = self.new_pm(title="Ledger stalls on Tuesday")
        page = self.page(self.a, "/postmortems/" + slug)
        self.assertIn('<div class="debrief-report">', page)
        self.assertIn("<style>", page)
        # The report is a fragment: one document, and its styles scoped.
        self.assertEqual(page.count("<html"), 1)
        self.assertEqual(page.count("<body"), 1)
        style = re.search(r'<div class="debrief-report">\n<style>\n(.*?)</style>', page, re.S).group(1)
        self.assertIn(".debrief-report h2{", style)
        for line in style.splitlines():
            if line.startswith("@media") or line == "}":
                continue
            for selector in re.split(r",(?![^(]*\))", line.split("{")[0]):
                self.assertTrue(selector.startswith(".debrief-report"), line)
        self.assertNotIn("@page", style)
        self.assertIn('class="with-aside"', page)
        self.assertIn("Ledger stalls on Tuesday", page)
        self.assertIn('<svg', page)  # the timeline chart
        self.assertIn("The new build read a configuration key", page)  # the body
        api = self.a.get(PM + "/" + slug).body
        self.assertIn('class="score-value">%d</strong>' % api["score"], page)
        self.assertTrue(api["findings"], "the sample text should have findings")
        for f in api["findings"]:
            self.assertIn('<code class="rule">%s</code>' % f["rule"], page)
            self.assertIn("line %d" % f["line"], page)
            self.assertIn(html.escape(f["message"], quote=True).replace("&#x27;", "&#39;"),
                          page.replace("&#x27;", "&#39;"))
        for link in ("/postmortems/%s/edit" % slug, "/postmortems/%s/history" % slug):
            self.assertIn('href="%s"' % link, page)
        self.assertIn("Submit for review", page)
        self.assertIn('id="comments"', page)

    def test_older_revision_history_and_diff(self):
        slug = self.new_pm()
        text = self.a.get(PM + "/" + slug).body["markdown"]
        changed = text.replace("About 3,100 shoppers", "About 3,300 shoppers")
        self.assertEqual(self.a.put(PM + "/" + slug, {"markdown": changed, "base_revision": 1}).status, 200)
        old = self.page(self.a, "/postmortems/%s?rev=1" % slug)
        self.assertIn("This is revision 1 of 2", plain(old))
        self.assertIn("About 3,100 shoppers", old)
        self.assertIn("About 3,300 shoppers", self.page(self.a, "/postmortems/" + slug))
        self.page(self.a, "/postmortems/%s?rev=9" % slug, 404)
        self.page(self.a, "/postmortems/%s?rev=x" % slug, 404)
        hist = self.page(self.a, "/postmortems/%s/history" % slug)
        self.assertIn("Revision 2", hist)
        self.assertIn("alice", hist)
        self.assertIn('href="/postmortems/%s/diff?from=1&amp;to=2"' % slug, hist)
        self.assertIn('action="/postmortems/%s/diff"' % slug, hist)
        diff = self.page(self.a, "/postmortems/%s/diff?from=1&to=2" % slug)
        added = re.findall(r'<ins class="add"[^>]*>(.*?)</ins>', diff, re.S)
        removed = re.findall(r'<del class="del"[^>]*>(.*?)</del>', diff, re.S)
        self.assertEqual(len(added), 1, diff)
        self.assertEqual(len(removed), 1, diff)
        # Marked by a sign, not only by colour.
        self.assertRegex(html.unescape(added[0]), r"^<span class=\"sign\">\+</span>.*\d+</span>  About 3,300 shoppers")
        self.assertRegex(html.unescape(removed[0]), r"^<span class=\"sign\">−</span>.*\d+ +</span>  About 3,100 shoppers")
        self.assertIn("1 line added, 1 line removed", plain(diff))
        self.assertIn("unchanged lines", diff)
        self.page(self.a, "/postmortems/%s/diff?from=1&to=7" % slug, 404)
        self.page(self.a, "/postmortems/%s/diff?from=one" % slug, 400)

    def test_buttons_disabled_with_the_policys_reasons(self):
        slug = self.new_pm()
        viewer = self.session_client(self.rex)
        draft = self.page(viewer, "/postmortems/" + slug)
        submit = button(draft, "Submit for review")
        self.assertIn("disabled", submit)
        self.assertIn("only authors of the owner team 'sre' and admins may submit it for review",
                      plain(submit))
        self.assertNotIn("disabled", button(self.page(self.a, "/postmortems/" + slug), "Submit for review"))
        self.assertEqual(self.form(self.a, "/postmortems/%s/transitions" % slug, {"to": "review"}).status, 303)
        self.advance_clock(3 * 3600)
        page = self.page(self.a, "/postmortems/" + slug)
        # The report's header shows the server's workflow state, not the
        # front matter's "status: draft".
        self.assertIn('<li class="badge status-review">review</li>', page)
        self.assertNotIn('<li class="badge status-draft">', page)
        publish = button(page, "Publish")
        self.assertRegex(publish, r"<button[^>]*disabled[^>]*>Publish</button>")
        self.assertRegex(plain(publish), TO_GO)
        self.assertIn("needs 1 approval from reviewers of another team than 'sre'; has 0", plain(publish))
        # A reviewer of the owner team may not approve; one of another team may.
        rita = self.session_client(self.rita)
        approve = button(self.page(rita, "/postmortems/" + slug), "Approve")
        self.assertIn("disabled", approve)
        self.assertIn("the approval must come from a reviewer of another team than 'sre'", plain(approve))
        refused = self.form(rita, "/postmortems/%s/approvals" % slug, {"note": "fine by me"})
        self.assertEqual(refused.status, 422)
        self.assertIn("the approval must come from a reviewer of another team than 'sre'", plain(text_of(refused)))
        self.assertIn("fine by me", text_of(refused))  # what was typed is kept
        self.assertNotIn("disabled", button(self.page(viewer, "/postmortems/" + slug), "Approve"))
        self.assertEqual(self.form(viewer, "/postmortems/%s/approvals" % slug, {"note": "clear"}).status, 303)
        page = self.page(self.a, "/postmortems/" + slug)
        self.assertIn("rex", plain(re.search(r'<ul class="approvals">.*?</ul>', page, re.S).group(0)))
        publish = button(page, "Publish")
        self.assertRegex(plain(publish), TO_GO)
        self.assertNotIn("needs 1 approval", plain(publish))
        # Publishing early is a 422 that shows the page with the reasons.
        early = self.form(self.a, "/postmortems/%s/transitions" % slug, {"to": "published"})
        self.assertEqual(early.status, 422)
        self.assertRegex(plain(text_of(early)), TO_GO)
        self.assertIn('class="debrief-report"', text_of(early))
        self.advance_clock(21 * 3600)
        publish = button(self.page(self.a, "/postmortems/" + slug), "Publish")
        self.assertNotIn("disabled", publish)
        done = self.form(self.a, "/postmortems/%s/transitions" % slug, {"to": "published"})
        self.assertEqual(done.status, 303, text_of(done)[:2000])
        self.assertEqual(done.headers["Location"], "/postmortems/" + slug)
        self.assertEqual(self.a.get(PM + "/" + slug).body["status"], "published")
        # Reopening needs a reason.
        page = self.page(self.a, "/postmortems/" + slug)
        self.assertIsNotNone(button(page, "Reopen"))
        self.assertIn('name="reason"', button(page, "Reopen"))
        no_reason = self.form(self.a, "/postmortems/%s/transitions" % slug, {"to": "draft", "reason": ""})
        self.assertEqual(no_reason.status, 422)
        self.assertIn("reopening a published post mortem needs a reason", plain(text_of(no_reason)))
        reopened = self.form(self.a, "/postmortems/%s/transitions" % slug,
                             {"to": "draft", "reason": "the impact was larger"})
        self.assertEqual(reopened.status, 303)
        self.assertEqual(self.a.get(PM + "/" + slug).body["status"], "draft")
        hist = plain(self.page(self.a, "/postmortems/%s/history" % slug))
        self.assertIn("the impact was larger", hist)

    def test_send_back_and_admin_override(self):
        slug = self.new_pm()
        self.assertEqual(self.form(self.a, "/postmortems/%s/transitions" % slug, {"to": "review"}).status, 303)
        page = self.page(self.a, "/postmortems/" + slug)
        override = button(page, "Publish anyway (admin override)")
        self.assertIn("disabled", override)
        self.assertIn("only an admin may override the publishing rules", plain(override))
        back = self.form(self.a, "/postmortems/%s/transitions" % slug, {"to": "draft", "reason": "not ready"})
        self.assertEqual(back.status, 303)
        self.assertEqual(self.a.get(PM + "/" + slug).body["status"], "draft")
        self.assertEqual(self.form(self.a, "/postmortems/%s/transitions" % slug, {"to": "review"}).status, 303)
        admin = self.session_client(self.admin_user)
        override = button(self.page(admin, "/postmortems/" + slug), "Publish anyway (admin override)")
        self.assertNotIn("disabled", override)
        forbidden = self.form(self.a, "/postmortems/%s/transitions" % slug,
                              {"to": "published", "override": "1", "reason": "x"})
        self.assertEqual(forbidden.status, 403)
        no_reason = self.form(admin, "/postmortems/%s/transitions" % slug, {"to": "published", "override": "1"})
        self.assertEqual(no_reason.status, 422)
        self.assertIn("an override needs a reason", plain(text_of(no_reason)))
        ok = self.form(admin, "/postmortems/%s/transitions" % slug,
                       {"to": "published", "override": "1", "reason": "the customer needs it today"})
        self.assertEqual(ok.status, 303)
        self.assertEqual(self.a.get(PM + "/" + slug).body["status"], "published")
        audit = self.admin.get("/api/v1/audit").body
        self.assertIn("postmortem.override", str(audit))

    def test_comments_form_and_escaping(self):
        slug = self.new_pm(title="Title with %s" % PAYLOAD)
        sent = self.form(self.a, "/postmortems/%s/comments" % slug, {"body": "Look at 14:15 " + PAYLOAD_IMG})
        self.assertEqual(sent.status, 303, text_of(sent)[:2000])
        self.assertRegex(sent.headers["Location"], r"^/postmortems/%s#comment-\d+$" % re.escape(slug))
        page = self.page(self.a, "/postmortems/" + slug)
        self.assertIn("Look at 14:15", page)
        self.assertIn(html.escape(PAYLOAD_IMG, quote=False), page.replace("&quot;", '"'))
        assert_no_live_markup(self, page)
        self.assertIn("Title with", page)
        listing = self.page(self.a, query("/postmortems", sort="-updated"))
        self.assertIn("Title with", listing)
        assert_no_live_markup(self, listing)
        for path in ("/postmortems/%s/history" % slug, "/postmortems/%s/diff" % slug):
            assert_no_live_markup(self, self.page(self.a, path))
        empty = self.form(self.a, "/postmortems/%s/comments" % slug, {"body": ""})
        self.assertEqual(empty.status, 400)
        self.assertIn("Write something", plain(text_of(empty)))
        viewer = self.make_user(unique("vic"), "viewer", ["sre"])
        vic = self.session_client(viewer)
        self.assertNotIn('action="/postmortems/%s/comments"' % slug, self.page(vic, "/postmortems/" + slug))
        self.assertEqual(self.form(vic, "/postmortems/%s/comments" % slug, {"body": "hi"}).status, 403)
        comments = self.a.get(PM + "/%s/comments" % slug).body["items"]
        self.assertEqual([c["body"] for c in comments], ["Look at 14:15 " + PAYLOAD_IMG])

    def test_every_form_needs_its_csrf_token(self):
        slug = self.new_pm()
        rex = self.session_client(self.rex)
        for client, path, fields in [
            (self.a, "/postmortems/%s/transitions" % slug, {"to": "review"}),
            (rex, "/postmortems/%s/approvals" % slug, {"note": "ok"}),
            (self.a, "/postmortems/%s/comments" % slug, {"body": "no token"}),
        ]:
            refused = self.form(client, path, fields, csrf=False)
            self.assertEqual(refused.status, 403, path)
            self.assertIn("text/html", refused.headers["Content-Type"])
            self.assertIn("CSRF", text_of(refused))
            wrong = client.request("POST", path, raw=urllib.parse.urlencode(dict(fields, csrf_token="0" * 64)),
                                   headers={"Content-Type": FORM, "X-CSRF-Token": None})
            self.assertEqual(wrong.status, 403, path)
        body = self.a.get(PM + "/" + slug).body
        self.assertEqual(body["status"], "draft")
        self.assertEqual(self.a.get(PM + "/%s/comments" % slug).body["items"], [])
        # Each form of the page carries the token.
        page = self.page(self.a, "/postmortems/" + slug)
        for m in re.finditer(r'<form method="post".*?</form>', page, re.S):
            self.assertIn('name="csrf_token" value="%s"' % self.a.csrf, m.group(0))

    def test_restricted_is_the_same_404_as_a_missing_one_on_every_page_route(self):
        olga = self.session_client(self.olga)
        carol = self.session_client(self.carol)
        self.assertEqual(carol.get("/postmortems/" + self.restricted).status, 200)
        routes = [("GET", "/postmortems/%s", None), ("GET", "/postmortems/%s?rev=1", None),
                  ("GET", "/postmortems/%s/history", None), ("GET", "/postmortems/%s/diff?from=1&to=1", None),
                  ("POST", "/postmortems/%s/transitions", {"to": "review"}),
                  ("POST", "/postmortems/%s/approvals", {"note": "x"}),
                  ("POST", "/postmortems/%s/comments", {"body": "x"}),
                  ("POST", "/postmortems/%s/redacted", {})]
        for method, pattern, fields in routes:
            answers = []
            for slug in (self.restricted, "no-such-postmortem"):
                path = pattern % slug
                reply = olga.get(path) if method == "GET" else self.form(olga, path, fields)
                answers.append((reply.status, text_of(reply)))
            self.assertEqual(answers[0][0], 404, pattern)
            self.assertEqual(answers[0], answers[1], pattern)
            self.assertNotIn("zanzibarquux", answers[0][1])
            self.assertNotIn("Card numbers", answers[0][1])
        self.assertEqual(self.a.get(PM + "/%s/comments" % self.restricted).status, 404)
        self.assertEqual(len(carol.get(PM + "/%s/comments" % self.restricted).body["items"]), 0)

    def test_redacted_copy_form_publishes_a_public_copy(self):
        olga = self.session_client(self.olga)
        carol = self.session_client(self.carol)
        page = self.page(carol, "/postmortems/" + self.restricted)
        self.assertIn('action="/postmortems/%s/redacted"' % self.restricted, page)
        self.assertEqual(self.form(carol, "/postmortems/%s/redacted" % self.restricted, {},
                                   csrf=False).status, 403)
        reply = self.form(carol, "/postmortems/%s/redacted" % self.restricted, {})
        self.assertEqual(reply.status, 303, text_of(reply)[:2000])
        copy = self.restricted + "-redacted"
        self.assertEqual(reply.headers["Location"], "/postmortems/" + copy)
        seen = self.page(olga, "/postmortems/" + copy)  # an outsider reads the copy
        self.assertIn('badge vis-public', seen)
        again = self.form(carol, "/postmortems/%s/redacted" % self.restricted, {})
        self.assertEqual(again.status, 303)
        revisions = carol.get(PM + "/%s/revisions" % copy).body["items"]
        self.assertEqual(len(revisions), 2)  # a second publication is a new revision
        # Only authors of the owner team and admins may publish it.
        self.assertEqual(self.form(self.a, "/postmortems/%s/redacted" % self.restricted, {}).status,
                         404)


if __name__ == "__main__":
    main()
