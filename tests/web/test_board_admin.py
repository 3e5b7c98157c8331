#!/usr/bin/env python3
"""test_board_admin.py: the action board, a person's page, the patterns
dashboard, the admin's pages of users and teams, and one's own tokens, in
the web app, against the real server on SQLite: the board's order and
filters, marking done with a link, restricted post mortems left out of every
count for outsiders, admin pages 403 for non-admins, each admin form working
and needing its csrf_token, a token's secret shown once and working as a
Bearer token, and what users typed escaped everywhere."""

import datetime
import os
import re
import sys
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from harness import ApiCase, Client, expect, main, postmortem  # noqa: E402

FORM = "application/x-www-form-urlencoded"
PAYLOAD = "<script>alert('pwned')</script>"


def text_of(reply):
    body = reply.body
    return body.decode("utf-8") if isinstance(body, bytes) else str(body)


def days_since(date):
    today = datetime.datetime.now(datetime.timezone.utc).date()
    return (today - datetime.date.fromisoformat(date)).days


def assert_no_live_markup(case, page):
    """No <script> but the layout's own, no on…= attribute, no payload tag."""
    for m in re.finditer(r"<script\b[^>]*>", page, re.I):
        case.assertIn('src="/static/app.js"', m.group(0), page[max(0, m.start() - 200):m.end() + 200])
    case.assertIsNone(re.search(r"<[a-z][^<>]*\son[a-z]+\s*=", page, re.I), "an on…= attribute")
    case.assertNotIn("<script>alert", page)


class Browser:
    """A signed-in session cookie that sends forms as a browser does: the
    csrf_token in the form itself, no X-CSRF-Token header."""

    def __init__(self, case, user):
        _, session, csrf = case.sign_in(user)
        self.client = Client(case.server, cookie=session, user=user)
        self.csrf = csrf

    def get(self, path):
        return self.client.get(path)

    def post(self, path, fields, csrf=True):
        fields = dict(fields)
        if csrf:
            fields["csrf_token"] = self.csrf
        return self.client.post(path, raw=urllib.parse.urlencode(fields), headers={"Content-Type": FORM})


class TestBoardAdmin(ApiCase):
    """Teams sre and payments; alice (author, sre), bob (author, payments),
    vera (viewer, sre). Post mortems: alpha and beta (public), secret
    (restricted to payments)."""

    backend = "sqlite"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.make_team("payments")
        cls.alice = cls.make_user("alice", "author", ["sre"])
        cls.bob = cls.make_user("bob", "author", ["payments"])
        cls.vera = cls.make_user("vera", "viewer", ["sre"])
        cls.create_pm(cls.admin, postmortem(
            "alpha", title="Alpha outage", team="sre", started="2026-01-05",
            actions=[("Fix alpha late", "@alice", "2026-01-10", "open"),
                     ("Fix alpha someday", "@alice", "2099-01-01", "open"),
                     ("Escape " + PAYLOAD, "@alice", "2099-02-01", "open")]), owner_team="sre")
        cls.create_pm(cls.admin, postmortem(
            "beta", title="Beta outage", team="payments", started="2026-02-05",
            actions=[("Fix beta later", "@bob", "2026-06-01", "open"),
                     ("Fix beta done", "@bob", "2026-02-01", "done")]), owner_team="payments")
        cls.create_pm(cls.admin, postmortem(
            "delta", title="Delta " + PAYLOAD, team="sre", started="2026-01-20",
            actions=[("Fix delta", "@dana", "2099-03-01", "open")]), owner_team="sre")
        cls.create_pm(cls.admin, postmortem(
            "secret", title="Secret outage", team="payments", restricted=True, started="2026-03-05",
            actions=[("Fix the hidden thing", "@alice", "2026-03-10", "open")]), owner_team="payments")

    def board(self, who, query=""):
        reply = who.get("/actions" + query)
        self.assertEqual(reply.status, 200, reply)
        return text_of(reply)

    def order(self, page, names):
        return sorted(names, key=lambda n: page.index(n) if n in page else 10 ** 9)

    # The board

    def test_board_order_overdue_first_then_due_date(self):
        page = self.board(Browser(self, self.alice))
        names = ["Fix alpha late", "Fix beta later", "Fix alpha someday"]
        for n in names:
            self.assertIn(n, page)
        self.assertEqual(self.order(page, names), names)
        self.assertIn("%d days late" % days_since("2026-01-10"), page)
        self.assertIn("%d days late" % days_since("2026-06-01"), page)
        self.assertNotIn("Fix beta done", page)  # open only by default
        self.assertIn('href="/postmortems/alpha"', page)
        self.assertIn('href="/people/alice"', page)

    def test_board_filters(self):
        who = Browser(self, self.alice)
        page = self.board(who, "?status=done")
        self.assertIn("Fix beta done", page)
        self.assertNotIn("Fix alpha late", page)
        page = self.board(who, "?status=all&owner=bob")
        self.assertIn("Fix beta done", page)
        self.assertIn("Fix beta later", page)
        self.assertNotIn("Fix alpha", page)
        page = self.board(who, "?team=sre")
        self.assertIn("Fix alpha late", page)
        self.assertNotIn("Fix beta", page)
        page = self.board(who, "?postmortem=beta&status=all")
        self.assertIn("Fix beta later", page)
        self.assertNotIn("Fix alpha", page)
        page = self.board(who, "?sort=owner&status=all")
        self.assertLess(page.index("Fix alpha someday"), page.index("Fix beta done"))
        self.assertEqual(who.get("/actions?status=bogus").status, 400)
        self.assertEqual(who.get("/actions?team=nosuch").status, 404)
        self.assertEqual(who.get("/actions?postmortem=secret").status, 404)

    def test_board_hides_restricted_items_from_outsiders(self):
        self.assertNotIn("Fix the hidden thing", self.board(Browser(self, self.alice), "?status=all"))
        self.assertIn("Fix the hidden thing", self.board(Browser(self, self.bob), "?status=all"))

    def test_board_summary(self):
        page = self.board(Browser(self, self.vera), "?team=payments")
        # beta only for an outsider of payments: 1 open, 1 done, 1 overdue, 50%
        self.assertIn("<dt>Open</dt><dd>1</dd>", page)
        self.assertIn("<dt>Done</dt><dd>1</dd>", page)
        self.assertIn("<dt>Overdue</dt><dd>1</dd>", page)
        self.assertIn("<dd>50%</dd>", page)

    def test_not_signed_in_goes_to_signin(self):
        reply = self.anonymous().get("/actions")
        self.assertEqual(reply.status, 303)
        self.assertTrue(reply.headers["Location"].startswith("/signin?next="), reply.headers["Location"])

    def test_mark_done_with_a_link(self):
        bob = Browser(self, self.bob)
        pm = self.create_pm(self.admin, postmortem(
            "gamma", title="Gamma outage", team="payments",
            actions=[("Fix gamma now", "@bob", "2026-05-01", "open")]), owner_team="payments")
        page = self.board(bob, "?postmortem=gamma")
        self.assertIn('action="/postmortems/gamma/actions/1"', page)
        fields = {"status": "done", "link": "https://tracker.example/FIX-1", "next": "/actions?postmortem=gamma"}
        self.assertEqual(bob.post("/postmortems/%s/actions/1" % pm, fields, csrf=False).status, 403)
        reply = bob.post("/postmortems/%s/actions/1" % pm, fields)
        self.assertEqual(reply.status, 303, reply)
        self.assertEqual(reply.headers["Location"], "/actions?postmortem=gamma")
        page = self.board(bob, "?postmortem=gamma&status=done")
        self.assertIn("Fix gamma now", page)
        self.assertIn('href="https://tracker.example/FIX-1"', page)
        self.assertIn("by bob", page)
        api = expect(self.admin.get("/api/v1/actions?postmortem=gamma"), 200, "actions").body
        self.assertEqual(api["items"][0]["status"], "done")
        self.assertEqual(api["items"][0]["link"], "https://tracker.example/FIX-1")
        # an off-site "next" is not followed; a javascript: link is no hyperlink
        reply = bob.post("/postmortems/gamma/actions/1",
                         {"status": "open", "link": "javascript:alert(1)", "next": "//evil.example/"})
        self.assertEqual(reply.headers["Location"], "/actions")
        reply = bob.post("/postmortems/gamma/actions/1",
                         {"status": "done", "link": "javascript:alert(1)"})
        self.assertNotIn('href="javascript', self.board(bob, "?postmortem=gamma&status=all"))

    def test_mark_refused(self):
        vera, alice = Browser(self, self.vera), Browser(self, self.alice)
        self.assertEqual(vera.post("/postmortems/alpha/actions/1", {"status": "done"}).status, 403)
        self.assertEqual(alice.post("/postmortems/secret/actions/1", {"status": "done"}).status, 404)
        self.assertEqual(alice.post("/postmortems/alpha/actions/99", {"status": "done"}).status, 404)
        self.assertEqual(alice.post("/postmortems/alpha/actions/1", {"status": "finished"}).status, 400)

    def test_person_page(self):
        page = text_of(expect(Browser(self, self.vera).get("/people/alice"), 200, "person"))
        self.assertIn("Fix alpha late", page)
        self.assertIn("Fix alpha someday", page)
        self.assertNotIn("Fix beta", page)
        self.assertNotIn("Fix the hidden thing", page)
        self.assertNotIn("wrote", page)
        page = text_of(expect(Browser(self, self.bob).get("/people/%40alice"), 200, "person"))
        self.assertIn("Fix the hidden thing", page)
        # the post mortems a user wrote, among those the viewer may see
        page = text_of(expect(Browser(self, self.alice).get("/people/admin"), 200, "person"))
        self.assertIn("Post mortems admin wrote", page)
        self.assertIn('<a href="/postmortems/alpha">Alpha outage</a>', page)
        self.assertNotIn("Secret outage", page)
        page = text_of(expect(Browser(self, self.bob).get("/people/admin"), 200, "person"))
        self.assertIn('<a href="/postmortems/secret">Secret outage</a>', page)

    def test_board_escapes_user_text(self):
        quoted = urllib.parse.quote(PAYLOAD)
        for path in ("/actions", "/actions?owner=" + quoted, "/people/dana", "/people/" + quoted,
                     "/patterns"):
            page = text_of(Browser(self, self.alice).get(path))
            assert_no_live_markup(self, page)
        self.assertIn("Delta &lt;script&gt;", self.board(Browser(self, self.alice)))
        self.assertIn("&lt;script&gt;", self.board(Browser(self, self.alice), "?owner=" + quoted))

    # Patterns

    def test_patterns_counts_leave_out_restricted_for_outsiders(self):
        def counted(user):
            page = text_of(expect(Browser(self, user).get("/patterns"), 200, "patterns"))
            m = re.search(r"<dt>Post mortems counted</dt><dd>(\d+)</dd>", page)
            self.assertTrue(m, page[:3000])
            return int(m.group(1)), page

        outsider, page = counted(self.alice)
        insider, _ = counted(self.bob)
        self.assertEqual(insider, outsider + 1)
        self.assertNotIn("Secret outage", page)
        self.assertIn("<svg", page)
        page = text_of(Browser(self, self.bob).get("/patterns?until=2026-01-10"))
        m = re.search(r"<dt>Post mortems counted</dt><dd>(\d+)</dd>", page)
        self.assertEqual(int(m.group(1)), 1, page[:2000])
        self.assertEqual(Browser(self, self.bob).get("/patterns?since=soon").status, 400)

    # Admin

    def test_admin_pages_forbidden_to_others(self):
        alice = Browser(self, self.alice)
        for path in ("/admin/users", "/admin/teams"):
            reply = alice.get(path)
            self.assertEqual(reply.status, 403, reply)
            self.assertIn("text/html", reply.headers["Content-Type"])
        self.assertEqual(alice.post("/admin/users", {"name": "mallory", "password": "password-1"}).status, 403)
        self.assertEqual(alice.post("/admin/users/alice", {"role": "admin"}).status, 403)
        self.assertEqual(alice.post("/admin/teams", {"name": "evil"}).status, 403)
        self.assertEqual(alice.post("/admin/teams/sre/members", {"user": "alice", "action": "remove"}).status, 403)
        self.assertEqual(expect(self.admin.get("/api/v1/users/alice"), 200, "alice").body["role"], "author")

    def test_admin_users_forms(self):
        admin = Browser(self, self.admin_user)
        page = text_of(expect(admin.get("/admin/users"), 200, "users"))
        self.assertIn("<td>alice</td><td>author</td><td>sre</td>", page)
        fields = {"name": "nina", "password": "password-of-nina", "role": "reviewer", "teams": "sre, payments"}
        self.assertEqual(admin.post("/admin/users", fields, csrf=False).status, 403)
        reply = admin.post("/admin/users", fields)
        self.assertEqual(reply.status, 303, reply)
        self.assertEqual(reply.headers["Location"], "/admin/users")
        nina = expect(self.admin.get("/api/v1/users/nina"), 200, "nina").body
        self.assertEqual(nina["role"], "reviewer")
        self.assertEqual(sorted(nina["teams"]), ["payments", "sre"])
        # refused: taken, short password, no such team; what was typed comes back
        self.assertEqual(admin.post("/admin/users", fields).status, 409)
        reply = admin.post("/admin/users", dict(fields, name="nora", password="short"))
        self.assertEqual(reply.status, 400)
        self.assertIn('value="nora"', text_of(reply))
        self.assertNotIn('value="short"', text_of(reply))
        reply = admin.post("/admin/users", dict(fields, name="nora", teams="nosuch"))
        self.assertEqual(reply.status, 400)
        self.assertIn("nosuch", text_of(reply))
        self.assertEqual(self.admin.get("/api/v1/users/nora").status, 404)
        # change role and password
        self.assertEqual(admin.post("/admin/users/nina", {"role": "viewer"}, csrf=False).status, 403)
        self.assertEqual(admin.post("/admin/users/nina", {"role": "viewer", "password": "new-password-1"}).status, 303)
        self.assertEqual(expect(self.admin.get("/api/v1/users/nina"), 200, "nina").body["role"], "viewer")
        expect(Client(self.server).post("/api/v1/session", {"name": "nina", "password": "new-password-1"}),
               200, "sign-in with the new password")
        self.assertEqual(admin.post("/admin/users/nobody", {"role": "viewer"}).status, 404)
        # the last admin keeps the role
        reply = admin.post("/admin/users/admin", {"role": "author"})
        self.assertEqual(reply.status, 409)
        self.assertIn("last admin", text_of(reply))
        self.assertEqual(expect(self.admin.get("/api/v1/users/admin"), 200, "admin").body["role"], "admin")

    def test_admin_teams_forms(self):
        admin = Browser(self, self.admin_user)
        self.assertEqual(admin.post("/admin/teams", {"name": "dba"}, csrf=False).status, 403)
        reply = admin.post("/admin/teams", {"name": "dba"})
        self.assertEqual(reply.status, 303, reply)
        self.assertEqual(admin.post("/admin/teams", {"name": "dba"}).status, 409)
        self.assertEqual(admin.post("/admin/teams", {"name": ".."}).status, 400)
        path = "/admin/teams/dba/members"
        self.assertEqual(admin.post(path, {"user": "vera", "action": "add"}, csrf=False).status, 403)
        self.assertEqual(admin.post(path, {"user": "vera", "action": "add"}).status, 303)
        team = expect(self.admin.get("/api/v1/teams/dba"), 200, "team").body
        self.assertEqual(team["members"], ["vera"])
        page = text_of(expect(admin.get("/admin/teams"), 200, "teams"))
        self.assertIn("<h2>dba</h2>", page)
        self.assertIn("Remove vera", page)
        self.assertEqual(admin.post(path, {"user": "nobody", "action": "add"}).status, 400)
        self.assertEqual(admin.post(path, {"user": "vera", "action": "juggle"}).status, 400)
        self.assertEqual(admin.post("/admin/teams/nosuch/members", {"user": "vera", "action": "add"}).status, 404)
        self.assertEqual(admin.post(path, {"user": "vera", "action": "remove"}).status, 303)
        self.assertEqual(expect(self.admin.get("/api/v1/teams/dba"), 200, "team").body["members"], [])

    def test_admin_pages_escape_what_was_typed(self):
        admin = Browser(self, self.admin_user)
        for path, fields in (("/admin/teams", {"name": PAYLOAD}),
                             ("/admin/users", {"name": PAYLOAD, "password": "password-1"}),
                             ("/admin/users", {"name": "quinn", "password": "password-1", "teams": PAYLOAD}),
                             ("/admin/teams/sre/members", {"user": PAYLOAD, "action": "add"})):
            reply = admin.post(path, fields)
            self.assertEqual(reply.status, 400, (path, reply))
            page = text_of(reply)
            assert_no_live_markup(self, page)
            self.assertIn("&lt;script&gt;", page)

    # Tokens

    def test_token_shown_once_and_works(self):
        alice = Browser(self, self.alice)
        self.assertEqual(alice.post("/tokens", {"label": "laptop"}, csrf=False).status, 403)
        reply = alice.post("/tokens", {"label": "laptop " + PAYLOAD})
        self.assertIn(reply.status, (200, 201), reply)
        self.assertNotIn("Location", reply.headers)
        page = text_of(reply)
        assert_no_live_markup(self, page)
        m = re.search(r"dbf_[0-9a-f]{64}", page)
        self.assertTrue(m, page[:3000])
        secret = m.group(0)
        who = expect(Client(self.server, token=secret).get("/api/v1/session"), 200, "token works").body
        self.assertEqual(who["user"]["name"] if "user" in who else who["name"], "alice")
        listing = text_of(expect(alice.get("/tokens"), 200, "tokens"))
        self.assertNotIn(secret, listing)
        self.assertNotIn(secret[4:20], listing)
        self.assertIn("laptop", listing)
        assert_no_live_markup(self, listing)
        self.assertTrue(re.search(r'action="/tokens/\d+/revoke"', listing), listing[:3000])
        mine = expect(Client(self.server, token=secret).get("/api/v1/tokens"), 200, "tokens").body["items"]
        laptop = [t for t in mine if t["label"].startswith("laptop")][0]
        self.assertEqual(alice.post("/tokens/%d/revoke" % laptop["id"], {}, csrf=False).status, 403)
        reply = alice.post("/tokens/%d/revoke" % laptop["id"], {})
        self.assertEqual(reply.status, 303, reply)
        self.assertEqual(reply.headers["Location"], "/tokens")
        self.assertEqual(Client(self.server, token=secret).get("/api/v1/session").status, 401)
        # someone else's token is no token of yours
        bob = Browser(self, self.bob)
        self.assertEqual(bob.post("/tokens/%d/revoke" % laptop["id"], {}).status, 404)


if __name__ == "__main__":
    main()
