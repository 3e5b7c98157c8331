"""test_web.py: hostile input against the real server on SQLite: XSS in
every form field and in the Markdown, CSRF on every cookie-authenticated
write, SQL injection in every parameter, the security headers of every kind
of answer, sessions and cookie flags, login throttling, and publishing
refused while process/sensitive-data finds something.

By hand: DEBRIEF=build/debrief python3 tests/security/test_web.py [-k NAME]"""

import html
import json
import os
import re
import secrets
import sqlite3
import sys
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import PAGE_SAMPLES, form, is_page, live_markup, page_path, send, text_of, whole  # noqa: E402
from harness import (ApiCase, Client, main, on_every_backend, postgres_server, postmortem, routes,  # noqa: E402
                     sample_body, sample_path, session_of, unique)

XSS = [
    "<script>xss(1)</script>",
    "\"><img src=x onerror=xss(2)>",
    "'><svg onload=xss(3)>",
    "javascript:xss(4)",
    "<svg><script>xss(5)</script></svg>",
    "</textarea><script>xss(6)</script>",
    "</title><script>xss(7)</script>",
    "\" autofocus onfocus=xss(8) x=\"",
    "' autofocus onfocus=xss(9) x='",
    "<a href=\"javascript:xss(10)\">xss</a>",
    "<iframe src=\"javascript:xss(11)\"></iframe>",
    "]]></title><script>xss(12)</script>",
]
# The same in Markdown's own forms: links, images, autolinks, raw HTML
# blocks and inline HTML.
MARKDOWN_XSS = """
[click](javascript:xss(20)) [again](JaVaScRiPt:xss(21)) [ent](&#106;avascript:xss(22))
![img](javascript:xss(23)) ![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9eHNzKDI0KT4=)
<javascript:xss(25)> [ref][r]

[r]: javascript:xss(26)

<div onclick="xss(27)">raw block</div>

<script>xss(28)</script>

<svg><script>xss(29)</script></svg>

Inline <img src=x onerror=xss(30)> and <a href="javascript:xss(31)">a</a>.

</textarea><script>xss(32)</script>

<style>body{background:url(javascript:xss(33))}</style>
"""
SQLI = [
    "' OR 1=1--",
    "\" OR \"\"=\"",
    "'; DROP TABLE postmortems;--",
    "\"; DROP TABLE revisions; --",
    "%' --",
    "%",
    "_",
    "' UNION SELECT name, password_hash, 1, 1 FROM users--",
    "1) OR (1=1",
    "\\",
    "a\x00b",
    "\udcff",  # sent as the byte 0xff: invalid UTF-8
    "x" * 70000,
]
# The payloads sent in every form field and JSON member (all of SQLI in
# every query and path parameter).
BODY_SQLI = (SQLI[0], SQLI[2], SQLI[7], SQLI[10], SQLI[11])

def encode(value):
    """VALUE percent-encoded for a query, a path segment or a form, with a
    lone surrogate sent as its raw byte (invalid UTF-8)."""
    return urllib.parse.quote(value.encode("utf-8", "surrogateescape"), safe="")


def raw_form(client, path, pairs, csrf=True):
    """A form post whose values may hold invalid UTF-8."""
    pairs = list(pairs)
    if csrf and client.csrf:
        pairs.append(("csrf_token", client.csrf))
    body = "&".join("%s=%s" % (encode(k), encode(v)) for k, v in pairs)
    return client.request("POST", path, raw=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                           "X-CSRF-Token": None})


class Site(ApiCase):
    """Teams sre and others; alice (author, sre), rita (reviewer, others)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.make_team("others")
        cls.alice = cls.make_user("alice", "author", ["sre"])
        cls.rita = cls.make_user("rita", "reviewer", ["others"])
        cls.alice_api = cls.token_client(cls.alice)

    def ctx(self, client, pm):
        return {"pm": pm, "revision": 1, "action": 1, "grant_kind": "user", "grant_name": "rita",
                "markdown": postmortem(pm, team="sre") + "\nMore.\n", "base_revision": 1, "owner_team": "others",
                "user": "alice", "password": self.alice.password, "team": "sre", "member": "rita",
                "token_id": self.token_id, "person": "alice", "search": "x", "static": "style.css",
                "to": "review"}

    def assert_inert(self, reply, where):
        """REPLY (an HTML page, or anything) carries no live injected markup."""
        self.assertLess(reply.status, 500, reply)
        body = text_of(reply)
        ctype = reply.headers.get("Content-Type") or ""
        if "html" in ctype or "xml" in ctype or "svg" in ctype:
            found = live_markup(body)
            self.assertEqual(found, [], "live markup in %s" % where)
        if "html" in ctype:
            self.assert_strict_csp(reply.headers.get("Content-Security-Policy"), where)

    def assert_strict_csp(self, csp, where):
        """CSP lets no script run but the server's own files: no inline
        script, no eval, no other origin, no framing."""
        self.assertTrue(csp, "%s: no Content-Security-Policy" % where)
        rules = {}
        for part in csp.split(";"):
            words = part.split()
            if words:
                rules[words[0].lower()] = words[1:]
        scripts = rules.get("script-src", rules.get("default-src"))
        self.assertIsNotNone(scripts, "%s: %s lets any script run" % (where, csp))
        self.assertTrue(set(scripts) <= {"'self'", "'none'"}, "%s: script-src %s" % (where, scripts))
        self.assertEqual(rules.get("frame-ancestors"), ["'none'"], where)
        for name, sources in rules.items():
            self.assertNotIn("*", sources, "%s: %s" % (where, csp))
            self.assertNotIn("'unsafe-eval'", sources, "%s: %s" % (where, csp))



@on_every_backend
class TestXss(Site):
    def pm_with(self, **words):
        slug = unique("xss")
        title = words.get("title", "Plain title")
        text = postmortem(slug, title=title, team="sre", words=words.get("words", ""),
                          service=words.get("service", "checkout-api"))
        self.create_pm(self.alice_api, text)
        return slug

    def pages_of(self, client, slug):
        return ["/postmortems/" + slug, "/postmortems/%s/edit" % slug, "/postmortems/%s/history" % slug,
                "/postmortems/%s/diff?from=1&to=1" % slug, "/postmortems", "/actions?status=all",
                "/people/alice", "/feed.atom", "/patterns"]

    def test_payloads_in_the_markdown(self):
        alice = self.session_client(self.alice)
        slug = self.pm_with(words=MARKDOWN_XSS + "\n".join(XSS))
        for path in self.pages_of(alice, slug):
            with self.subTest(path=path):
                self.assert_inert(alice.get(path), path)
        reply = form(alice, "/preview", {"markdown": postmortem("p", words=MARKDOWN_XSS + "\n".join(XSS))})
        self.assert_inert(reply, "/preview")
        reply = form(alice, "/preview", {"markdown": MARKDOWN_XSS, "fragment": "1"})
        self.assert_inert(reply, "/preview fragment")
        api = self.alice_api.get("/api/v1/postmortems/" + slug)
        self.assertEqual(api.headers.get("Content-Type"), "application/json", api)

    def test_payloads_in_every_form_field(self):
        alice = self.session_client(self.alice)
        admin = self.session_client(self.admin_user)
        rita = self.session_client(self.rita)
        for n, payload in enumerate(XSS):
            with self.subTest(payload=payload):
                # A title through the new form, and a title, service and tag in the text.
                made = form(alice, "/postmortems", {"title": payload, "owner_team": "sre", "date": "2026-05-01",
                                                    "severity": "SEV3", "visibility": "public"})
                self.assert_inert(made, "POST /postmortems")
                slug = self.pm_with(title="T " + payload, words=payload)
                path = "/postmortems/" + slug
                self.assert_inert(form(alice, path + "/comments", {"body": payload}), "comment")
                self.assert_inert(form(alice, path + "/files", {"name": payload, "content": payload}), "file name")
                self.assert_inert(form(alice, path + "/files", {"name": "f%d.svg" % n,
                                                                "content": "<svg xmlns='http://www.w3.org/2000/svg'>"
                                                                           "<script>xss()</script></svg>"}), "svg")
                self.assert_inert(form(alice, path + "/actions/1", {"status": "done", "link": payload}), "link")
                self.assert_inert(form(alice, path + "/actions/2", {"status": payload}), "status")
                self.assert_inert(form(alice, path + "/transitions", {"to": "review", "reason": payload}), "reason")
                self.assert_inert(form(rita, path + "/approvals", {"note": payload}), "note")
                self.assert_inert(form(alice, path + "/transitions", {"to": payload}), "to")
                self.assert_inert(form(alice, path + "/edit", {"markdown": payload, "base_revision": payload}),
                                  "edit")
                self.assert_inert(form(alice, "/triage", {payload: "yes", "customer_facing": payload}), "triage")
                self.assert_inert(form(admin, "/admin/teams", {"name": payload}), "team name")
                self.assert_inert(form(admin, "/admin/users", {"name": payload, "password": "password-123",
                                                               "role": payload, "teams": payload}), "user name")
                self.assert_inert(form(admin, "/admin/users/alice", {"role": payload}), "role")
                self.assert_inert(form(admin, "/admin/teams/sre/members", {"action": payload, "user": payload}),
                                  "member")
                self.assert_inert(form(alice, "/tokens", {"label": payload}), "token label")
                self.assert_inert(form(Client(self.server), "/signin", {"name": payload, "password": "x-password-1",
                                                                        "next": payload}), "signin")
                for key in ("q", "status", "severity", "service", "team", "tag", "since", "until", "sort", "page"):
                    self.assert_inert(alice.get("/postmortems?%s=%s" % (key, encode(payload))), "list " + key)
                for key in ("status", "owner", "team", "postmortem", "sort", "due"):
                    self.assert_inert(alice.get("/actions?%s=%s" % (key, encode(payload))), "actions " + key)
                for page in ("/people/" + encode(payload), "/postmortems/" + encode(payload),
                             "/patterns?since=" + encode(payload), "/signin?next=" + encode(payload),
                             "/postmortems/%s/diff?from=%s" % (slug, encode(payload)), "/static/" + encode(payload)):
                    self.assert_inert(alice.get(page), page)
                # The payloads are on the pages, as text: the checks saw them.
                shown = html.unescape(text_of(alice.get(path)))
                self.assertIn("T " + payload, shown, "the title is not shown")
                self.assertIn(payload, shown.replace("T " + payload, ""), "the comment is not shown")
                for page in self.pages_of(alice, slug) + ["/tokens", "/admin/users", "/admin/teams",
                                                          "/postmortems/" + slug]:
                    self.assert_inert(admin.get(page), page)
                    self.assert_inert(alice.get(page), page)

    def test_payloads_through_the_api_show_inert_on_pages(self):
        """What the JSON API accepts (team, user and token names, reasons,
        comments, attachment names) is inert where pages show it."""
        admin_page = self.session_client(self.admin_user)
        slug = self.pm_with()
        for payload in XSS:
            self.admin.post("/api/v1/teams", {"name": payload})
            self.admin.post("/api/v1/users", {"name": payload, "password": "password-123", "role": "viewer",
                                              "teams": []})
            self.alice_api.post("/api/v1/tokens", {"label": payload})
            self.alice_api.post("/api/v1/postmortems/%s/comments" % slug, {"body": payload})
            self.alice_api.put("/api/v1/postmortems/%s/attachments/%s" % (slug, encode(payload)), raw=payload,
                               headers={"Content-Type": "application/octet-stream"})
            self.alice_api.put("/api/v1/postmortems/%s/actions/1" % slug, {"status": "done", "link": payload})
            self.admin.post("/api/v1/postmortems/%s/owners" % slug, {"team": "others", "reason": payload})
            self.admin.post("/api/v1/postmortems/%s/owners" % slug, {"team": "sre", "reason": payload})
        alice_page = self.session_client(self.alice)
        for page in ["/admin/users", "/admin/teams"] + self.pages_of(admin_page, slug):
            with self.subTest(page=page):
                self.assert_inert(admin_page.get(page), page)
        self.assert_inert(alice_page.get("/tokens"), "/tokens")

    def test_an_svg_attachment_is_not_a_page(self):
        slug = self.pm_with()
        svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>xss()</script></svg>"
        for name, ctype in (("evil.svg", "image/svg+xml"), ("evil.html", "text/html")):
            put = self.alice_api.put("/api/v1/postmortems/%s/attachments/%s" % (slug, name), raw=svg,
                                     headers={"Content-Type": ctype})
            self.assertIn(put.status, (200, 201), put)
            got = self.alice_api.get("/api/v1/postmortems/%s/attachments/%s" % (slug, name))
            with self.subTest(name=name):
                self.assertEqual(got.status, 200, got)
                ctype = got.headers.get("Content-Type") or ""
                disposition = got.headers.get("Content-Disposition") or ""
                csp = got.headers.get("Content-Security-Policy") or ""
                self.assertEqual(got.headers.get("X-Content-Type-Options"), "nosniff")
                self.assertTrue("attachment" in disposition or "sandbox" in csp or
                                not re.search(r"html|svg|xml", ctype),
                                "served inline as %s (%s; %s)" % (ctype, disposition, csp))
        page = self.session_client(self.alice)
        text = postmortem(unique("img"), team="sre", words="![graph](evil.svg) ![page](evil.html)")
        reply = form(page, "/preview", {"markdown": text, "id": slug, "base_revision": "1"})
        self.assert_inert(reply, "preview with an SVG attachment")


@on_every_backend
class TestCsrf(Site):
    def counts(self):
        """What a write would change: revisions, comments, post mortems,
        users, teams, tokens, the audit log."""
        pms = self.admin.get("/api/v1/postmortems?limit=1000").body
        out = {"pms": pms["total"], "users": len(self.admin.get("/api/v1/users").body["items"]),
               "teams": len(self.admin.get("/api/v1/teams").body["items"]),
               "tokens": len(self.alice_api.get("/api/v1/tokens").body["items"]),
               "audit": len(self.admin.get("/api/v1/audit?limit=1000").body["items"])}
        for item in pms["items"]:
            pm = item["id"]
            out[pm] = (len(self.admin.get("/api/v1/postmortems/%s/revisions" % pm).body["items"]),
                       len(self.admin.get("/api/v1/postmortems/%s/comments" % pm).body["items"]),
                       self.admin.get("/api/v1/postmortems/" + pm).body["status"])
        return out

    def test_every_cookie_write_needs_the_token_of_its_own_session(self):
        pm = self.create_pm(self.alice_api, postmortem(unique("csrf"), team="sre"))
        self.token_id = self.alice_api.post("/api/v1/tokens", {"label": "victim"}).body["id"]
        writes = [r for r in routes(pages=True) if r.writes and r.pattern not in (
            "/signin", "/setup", "/api/v1/session", "/api/v1/setup")]
        self.assertGreater(len(writes), 30)
        other = self.session_client(self.admin_user)
        victims = (self.session_client(self.admin_user), self.session_client(self.alice))
        before = self.counts()  # after the sign-ins, which the audit log counts
        for victim in victims:
            for route in writes:
                ctx = self.ctx(victim, pm)
                for how, client in (("no token", Client(self.server, cookie=victim.cookie, user=victim.user)),
                                    ("another session's token", Client(self.server, cookie=victim.cookie,
                                                                       csrf=other.csrf, user=victim.user))):
                    with self.subTest(route=str(route), how=how, who=victim.user.name):
                        if is_page(route):
                            reply = send(client, route, ctx, csrf=how != "no token")
                        else:
                            reply = send(client, route, ctx)
                        self.assertEqual(reply.status, 403, reply)
                with self.subTest(route=str(route), how="token in the query", who=victim.user.name):
                    if not is_page(route):
                        path = sample_path(route, ctx)
                        path += ("&" if "?" in path else "?") + "csrf_token=" + victim.csrf
                        reply = Client(self.server, cookie=victim.cookie).request(
                            route.method, path, json=sample_body(route, ctx))
                        self.assertEqual(reply.status, 403, reply)
        self.assertEqual(self.counts(), before, "a write without its CSRF token changed something")
        self.assertEqual(victim.get("/api/v1/session").status, 200, "the victim was signed out")

    def test_sign_in_forms_need_their_form_token(self):
        for path, fields in (("/signin", {"name": "alice", "password": self.alice.password}),):
            reply = form(Client(self.server), path, fields, csrf=False)
            self.assertEqual(reply.status, 403, reply)
            self.assertIsNone(session_of(reply))
            reply = Client(self.server).request("POST", path, raw=urllib.parse.urlencode(
                dict(fields, csrf_token="a" * 64)), headers={"Content-Type": "application/x-www-form-urlencoded",
                                                             "Cookie": "debrief_form=" + "b" * 64})
            self.assertEqual(reply.status, 403, reply)

    def test_gets_change_nothing(self):
        pm = self.create_pm(self.alice_api, postmortem(unique("get"), team="sre"))
        self.token_id = self.alice_api.post("/api/v1/tokens", {"label": "kept"}).body["id"]
        admin = self.session_client(self.admin_user)
        before = self.counts()
        for route in routes(pages=True):
            if route.method != "GET":
                continue
            with self.subTest(route=str(route)):
                reply = send(admin, route, self.ctx(admin, pm))
                self.assertLess(reply.status, 500, reply)
                reply = send(self.admin, route, self.ctx(admin, pm))
                self.assertLess(reply.status, 500, reply)
        after = self.counts()
        if after != before:
            audit = self.admin.get("/api/v1/audit?limit=1000").body["items"]
            self.fail("a GET changed %r; newest audit entries %r" % (
                {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}, audit[:3]))


@on_every_backend
class TestSqlInjection(Site):
    def rows(self):
        """Rows of the tables that hold post mortems, read from the database
        itself."""
        if self.backend == "sqlite":
            path = self.db_url[len("sqlite:"):]
            db = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=30)
            try:
                return {t: db.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
                        for t in ("postmortems", "revisions", "users", "teams", "comments")}
            finally:
                db.close()
        name = self.db_url.rsplit("/", 1)[1].split("?")[0]
        return {t: postgres_server().psql("SELECT count(*) FROM %s" % t, database=name).strip()
                for t in ("postmortems", "revisions", "users", "teams", "comments")}

    def test_payloads_in_every_parameter(self):
        hidden = self.create_pm(self.admin, postmortem(unique("hidden"), team="others", restricted=True))
        mine = self.create_pm(self.alice_api, postmortem(unique("mine"), team="sre"))
        visible = self.alice_api.get("/api/v1/postmortems").body["total"]
        self.token_id = 999999
        before = self.rows()
        alice_page = self.session_client(self.alice)
        writes_done = 0
        for route in routes(pages=True):
            if route.pattern in ("/api/v1/setup", "/setup", "/signout", "/api/v1/session"):
                continue  # they would sign the client out, or make a first admin
            client = self.alice_api if not is_page(route) else alice_page
            base = self.ctx(client, mine)
            for payload in SQLI:
                cases = []
                # Each path parameter, the others filled with good values.
                good = (page_path(route, base) if is_page(route) else route.path(base)).split("/")
                for i, seg in enumerate(route.pattern.split("/")):
                    if seg.startswith(":"):
                        path = "/".join(good[:i] + [encode(payload)] + good[i + 1:])
                        cases.append(("path " + seg, route.method, path, None))
                # Query parameters.
                if route.method == "GET":
                    for key in ("q", "status", "team", "service", "severity", "tag", "since", "until", "sort",
                                "limit", "offset", "page", "owner", "postmortem", "period", "from", "to"):
                        plain = page_path(route, base) if is_page(route) else \
                            sample_path(route, base).split("?")[0]
                        cases.append(("query " + key, "GET", plain + "?%s=%s" % (key, encode(payload)), None))
                for what, method, path, _ in cases:
                    with self.subTest(route=str(route), what=what, payload=payload[:40]):
                        reply = client.request(method, path)
                        self.assertLess(reply.status, 500, reply)
                        self.assertNotIn(hidden, text_of(reply))
                        if route.pattern == "/api/v1/postmortems" and reply.status == 200:
                            self.assertLessEqual(reply.body["total"], visible, reply)
                            self.assertNotIn(hidden, text_of(reply))
                # Each form field or JSON member.
                # Not the bodies of PATCH (a new password for alice) or DELETE (none).
                if route.writes and payload in BODY_SQLI and route.method not in ("PATCH", "DELETE"):
                    writes_done += 1
                    self.inject_body(client, route, base, payload, hidden)
        self.assertGreater(writes_done, 20)
        after = self.rows()
        # alice (an author) may add post mortems, revisions and comments, and
        # nothing she sent may add users or teams or remove anything.
        self.assertEqual((after["users"], after["teams"]), (before["users"], before["teams"]))
        for table in ("comments", "postmortems", "revisions"):
            self.assertGreaterEqual(int(after[table]), int(before[table]), table)
        listed = self.admin.get("/api/v1/postmortems?limit=1000")
        self.assertEqual(listed.status, 200, listed)
        self.assertEqual(listed.body["total"], int(after["postmortems"]))
        self.assertEqual(self.alice_api.get("/api/v1/postmortems/" + hidden).status, 404)

    def test_no_sign_in_by_injection(self):
        self.advance_clock(15 * 60 + 1)  # past other tests' failed sign-ins
        for name in ("admin'--", "admin' OR '1'='1", "' OR 1=1--", "admin\"--", "admin%", "adm_n",
                     "admin\x00", "ADMIN", " admin"):
            for password in ("' OR '1'='1", "x' OR 1=1--", "%", ""):
                with self.subTest(name=name, password=password):
                    api = Client(self.server).post("/api/v1/session", {"name": name, "password": password})
                    self.assertIn(api.status, (400, 401, 429), api)
                    self.assertIsNone(session_of(api))
            self.advance_clock(15 * 60 + 1)
        for token in ("' OR 1=1--", "%", "x' UNION SELECT 1--", "_" * 40):
            with self.subTest(token=token):
                self.assertEqual(Client(self.server, token=token).get("/api/v1/postmortems").status, 401)
                self.assertEqual(Client(self.server, cookie=urllib.parse.quote(token)).get(
                    "/api/v1/session").status, 401)

    def inject_body(self, client, route, ctx, payload, hidden):
        if is_page(route):
            _, fields = PAGE_SAMPLES[(route.method, route.pattern)](ctx)
            for key in list(fields or {}) + ["csrf_token"]:
                pairs = [(k, payload if k == key else v) for k, v in (fields or {}).items()]
                with self.subTest(route=str(route), field=key, payload=payload[:40]):
                    reply = raw_form(client, page_path(route, ctx), pairs, csrf=key != "csrf_token")
                    self.assertLess(reply.status, 500, reply)
            return
        body = sample_body(route, ctx)
        path = sample_path(route, ctx)
        if not isinstance(body, dict):
            return
        for key in list(body) or ["x"]:
            changed = dict(body)
            changed[key] = payload
            data = json.dumps(changed).encode()
            if "\udcff" in payload:
                data = json.dumps(dict(body, **{key: "PLACE"})).encode().replace(b"PLACE", b"\xff\xfe")
            with self.subTest(route=str(route), member=key, payload=payload[:40]):
                reply = client.request(route.method, path, raw=data)
                self.assertLess(reply.status, 500, reply)
                self.assertNotIn(hidden, text_of(reply))


@on_every_backend
class TestSecrets(Site):
    """Passwords and tokens are kept hashed: the raw strings are in no table,
    no log line and no error message."""

    def dump(self):
        if self.backend == "sqlite":
            path = self.db_url[len("sqlite:"):]
            data = b""
            for suffix in ("", "-wal", "-journal", "-shm"):
                if os.path.exists(path + suffix):
                    with open(path + suffix, "rb") as f:
                        data += f.read()
            return data.decode("latin-1")
        name = self.db_url.rsplit("/", 1)[1].split("?")[0]
        pg = postgres_server()
        tables = pg.psql("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
                         database=name).split()
        self.assertIn("users", tables)
        return "\n".join(pg.psql('SELECT t::text FROM "%s" t' % t, database=name) for t in tables)

    def test_no_password_or_token_in_clear(self):
        pw_api = "pw-api-" + secrets.token_hex(8)
        pw_page = "pw-page-" + secrets.token_hex(8)
        pw_new = "pw-new-" + secrets.token_hex(8)
        wrong = "pw-wrong-" + secrets.token_hex(8)
        made = self.admin.post("/api/v1/users", {"name": "sam", "password": pw_api, "role": "author",
                                                 "teams": ["sre"]})
        self.assertEqual(made.status, 201, made)
        admin_page = self.session_client(self.admin_user)
        made = form(admin_page, "/admin/users", {"name": "sue", "password": pw_page, "role": "viewer", "teams": ""})
        self.assertLess(made.status, 400, made)
        sam = Client(self.server).post("/api/v1/session", {"name": "sam", "password": pw_api})
        self.assertEqual(sam.status, 200, sam)
        sam = Client(self.server, cookie=session_of(sam), csrf=sam.body["csrf_token"])
        label = secrets.token_hex(6)
        token_api = sam.post("/api/v1/tokens", {"label": "label-" + label}).body["token"]
        page = form(sam, "/tokens", {"label": "t2"})
        shown = set(re.findall(r"[A-Za-z0-9_\-]{32,}", text_of(page))) - {sam.csrf, sam.cookie}
        self.assertTrue(shown, "the new token is not shown once")
        changed = sam.patch("/api/v1/users/sam", {"password": pw_new, "current_password": pw_api})
        self.assertLess(changed.status, 300, changed)
        failures = [Client(self.server).post("/api/v1/session", {"name": "sam", "password": wrong}),
                    form(Client(self.server), "/signin", {"name": "sue", "password": wrong}),
                    Client(self.server, token=wrong).get("/api/v1/postmortems"),
                    Client(self.server, cookie=wrong).get("/api/v1/session")]
        for reply in failures:
            self.assertIn(reply.status, (401, 403), reply)
            self.assertNotIn(wrong, whole(reply))
        used = Client(self.server, token=token_api).get("/api/v1/postmortems?q=" + token_api[:6])
        self.assertEqual(used.status, 200, used)
        clear = [pw_api, pw_page, pw_new, wrong, token_api, sam.cookie, sam.csrf] + sorted(shown)
        stored = self.dump()
        # The dump holds what is kept in clear (so the checks below can fail).
        self.assertIn("label-" + label, stored)
        log = self.server.stderr()
        self.assertIn("/api/v1/session", log, "the request log is off")
        for value in clear:
            with self.subTest(value=value[:12]):
                self.assertNotIn(value, stored, "kept in clear in the database")
                self.assertNotIn(value, log, "written to the server's log")
        for value in (pw_api, pw_new, wrong, token_api):
            self.assertNotIn(value[-12:], stored)


@on_every_backend
class TestHeaders(Site):
    def test_every_kind_of_answer(self):
        slug = self.create_pm(self.alice_api, postmortem(unique("hdr"), team="sre"))
        put = self.alice_api.put("/api/v1/postmortems/%s/attachments/a.csv" % slug, raw=b"a,b\n1,2\n",
                                 headers={"Content-Type": "text/csv"})
        self.assertIn(put.status, (200, 201), put)
        alice = self.session_client(self.alice)
        answers = {
            "page": alice.get("/postmortems/" + slug),
            "list page": alice.get("/postmortems"),
            "JSON": self.alice_api.get("/api/v1/postmortems"),
            "JSON error 404": self.alice_api.get("/api/v1/postmortems/none-such"),
            "JSON error 401": Client(self.server).get("/api/v1/postmortems"),
            "JSON error 400": self.alice_api.post("/api/v1/postmortems", raw=b"{"),
            "JSON 405": self.alice_api.request("PATCH", "/api/v1/postmortems"),
            "page error 404": alice.get("/no-such-page"),
            "page 405": alice.request("DELETE", "/postmortems"),
            "redirect": Client(self.server).get("/postmortems"),
            "static css": alice.get("/static/style.css"),
            "static js": alice.get("/static/app.js"),
            "static 404": alice.get("/static/none.css"),
            "attachment": self.alice_api.get("/api/v1/postmortems/%s/attachments/a.csv" % slug),
            "feed": alice.get("/feed.atom"),
            "metrics": Client(self.server).get("/metrics"),
            "healthz": Client(self.server).get("/healthz"),
            "HEAD": alice.request("HEAD", "/postmortems"),
            "sign-in form": Client(self.server).get("/signin"),
        }
        for kind, reply in answers.items():
            with self.subTest(kind=kind):
                h = reply.headers
                csp = h.get("Content-Security-Policy") or ""
                self.assertTrue("frame-ancestors 'none'" in csp or (h.get("X-Frame-Options") or "").upper() == "DENY",
                                "%s: no frame-ancestors 'none' nor X-Frame-Options DENY: %s" % (kind, dict(h)))
                self.assertTrue(csp, "%s: no Content-Security-Policy: %s" % (kind, dict(h)))
                self.assertNotIn("unsafe-eval", csp)
                script = re.search(r"(?:script-src|default-src)[^;]*", csp)
                self.assertTrue(script and "unsafe-inline" not in script.group(0), csp)
                self.assertEqual(h.get("X-Content-Type-Options"), "nosniff", "%s: %s" % (kind, dict(h)))
                self.assertIn(h.get("Referrer-Policy"), ("no-referrer", "same-origin", "strict-origin"),
                              "%s: %s" % (kind, dict(h)))
                self.assertTrue(h.get("Content-Type") or reply.status in (204, 303) or kind == "HEAD",
                                "%s: no Content-Type" % kind)


class TestSessions(Site):
    backend = "sqlite"

    def cookie_header(self, reply):
        for header in reply.headers.get_all("Set-Cookie") or []:
            if header.strip().startswith("debrief_session="):
                return header
        return None

    def test_a_new_session_at_every_sign_in(self):
        chosen = "f" * 64
        seen = set()
        for how in ("api", "page"):
            for _ in range(2):
                if how == "api":
                    reply = Client(self.server, cookie=chosen).post(
                        "/api/v1/session", {"name": "alice", "password": self.alice.password})
                else:
                    token = secrets.token_hex(32)
                    reply = Client(self.server).request(
                        "POST", "/signin", raw=urllib.parse.urlencode({"name": "alice", "password": self.alice.password,
                                                                       "csrf_token": token}),
                        headers={"Content-Type": "application/x-www-form-urlencoded",
                                 "Cookie": "debrief_session=%s; debrief_form=%s" % (chosen, token)})
                with self.subTest(how=how):
                    self.assertIn(reply.status, (200, 303), reply)
                    session = session_of(reply)
                    self.assertTrue(session)
                    self.assertNotEqual(session, chosen)
                    self.assertNotIn(session, seen, "a session id given twice")
                    seen.add(session)
                    self.assertGreaterEqual(len(session), 32)
        self.assertEqual(Client(self.server, cookie=chosen).get("/api/v1/session").status, 401)
        # A signed-in user's old session is not carried over to a new sign-in.
        old = self.session_client(self.alice)
        again = Client(self.server, cookie=old.cookie).post("/api/v1/session",
                                                            {"name": "alice", "password": self.alice.password})
        self.assertNotEqual(session_of(again), old.cookie)

    def test_sign_in_goes_nowhere_but_this_site(self):
        """The next= of the sign-in form leads to a path of this server,
        never to another site (an open redirect after a real sign-in)."""
        for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
                       "javascript:alert(1)", "http:evil.example", "/%2F%2Fevil.example", "%2F%2Fevil.example",
                       " //evil.example", "/\t/evil.example", "https:/evil.example", "/postmortems\r\nX-Evil: 1"):
            with self.subTest(next=target):
                reply = form(Client(self.server), "/signin", {"name": "alice", "password": self.alice.password,
                                                              "next": target})
                self.assertEqual(reply.status, 303, reply)
                location = reply.headers.get("Location") or ""
                self.assertTrue(location.startswith("/") and not location.startswith(("//", "/\\")),
                                "sign-in sent to %r" % location)
                self.assertIsNone(reply.headers.get("X-Evil"))

    def test_cookie_flags(self):
        reply = Client(self.server).post("/api/v1/session", {"name": "alice", "password": self.alice.password})
        header = self.cookie_header(reply)
        parts = [p.strip().lower() for p in header.split(";")]
        self.assertIn("httponly", parts, header)
        self.assertIn("samesite=lax", parts, header)
        self.assertIn("path=/", parts, header)
        self.assertNotIn("secure", parts, header)
        secure = self.start_server(extra_args=["--cookie-secure"])
        for reply in (Client(secure).post("/api/v1/session", {"name": "alice", "password": self.alice.password}),
                      form(Client(secure), "/signin", {"name": "alice", "password": self.alice.password})):
            header = self.cookie_header(reply)
            parts = [p.strip().lower() for p in header.split(";")]
            self.assertIn("secure", parts, header)
            self.assertIn("httponly", parts, header)
            self.assertIn("samesite=lax", parts, header)

    def test_sign_out_ends_the_session_on_the_server(self):
        for how in ("api", "page"):
            with self.subTest(how=how):
                client = self.session_client(self.alice)
                self.assertEqual(client.get("/api/v1/session").status, 200)
                if how == "api":
                    out = client.delete("/api/v1/session")
                    self.assertIn(out.status, (200, 204), out)
                else:
                    out = form(client, "/signout", {})
                    self.assertEqual(out.status, 303, out)
                cleared = self.cookie_header(out)
                self.assertTrue(cleared and ("max-age=0" in cleared.lower() or "expires" in cleared.lower()), cleared)
                replay = Client(self.server, cookie=client.cookie, csrf=client.csrf)
                self.assertEqual(replay.get("/api/v1/session").status, 401)
                self.assertEqual(replay.get("/postmortems").status, 303)
                self.assertEqual(replay.post("/api/v1/tokens", {"label": "after"}).status, 401)

    def test_a_password_change_ends_other_sessions(self):
        sam = self.make_user(unique("sam"), "author", ["sre"])
        first = self.session_client(sam)
        second = self.session_client(sam)
        new = "new-password-" + secrets.token_hex(4)
        changed = second.patch("/api/v1/users/" + sam.name, {"password": new, "current_password": sam.password})
        self.assertLess(changed.status, 300, changed)
        self.assertEqual(first.get("/api/v1/session").status, 401)


class TestThrottling(Site):
    backend = "sqlite"

    def attempt(self, name, password, how="api"):
        if how == "api":
            return Client(self.server).post("/api/v1/session", {"name": name, "password": password})
        return form(Client(self.server), "/signin", {"name": name, "password": password})

    def test_five_failures_per_name(self):
        user = self.make_user(unique("thr"), "viewer", [])
        for i in range(5):
            self.assertEqual(self.attempt(user.name, "wrong-%d-pass" % i, "api" if i % 2 else "page").status, 401)
        for how in ("api", "page"):
            with self.subTest(how=how):
                reply = self.attempt(user.name, user.password, how)
                self.assertEqual(reply.status, 429, "a right password after the limit: %r" % (reply,))
                self.assertTrue((reply.headers.get("Retry-After") or "").isdigit(), reply.headers)
                self.assertGreater(int(reply.headers["Retry-After"]), 0)
                self.assertLessEqual(int(reply.headers["Retry-After"]), 15 * 60)
                self.assertIsNone(session_of(reply))
        other = self.make_user(unique("thr"), "viewer", [])
        self.assertEqual(self.attempt(other.name, other.password).status, 200, "another name is not throttled")
        self.advance_clock(15 * 60 + 1)
        self.assertEqual(self.attempt(user.name, user.password).status, 200, "the window did not end")

    def test_twenty_failures_per_address(self):
        server = self.start_server()
        # Each server has its own test clock: past the failures of other tests on both.
        self.advance_clock(15 * 60 + 1)
        self.admin.on(server).post("/api/v1/test/clock", {"advance_seconds": 15 * 60 + 1})
        user = self.make_user(unique("addr"), "viewer", [])
        for i in range(20):
            reply = Client(server).post("/api/v1/session", {"name": unique("nobody"), "password": "wrong-pass"})
            self.assertEqual(reply.status, 401, (i, reply))
        reply = Client(server).post("/api/v1/session", {"name": user.name, "password": user.password})
        self.assertEqual(reply.status, 429, reply)
        self.assertTrue(reply.headers.get("Retry-After"), reply.headers)
        spoofed = Client(server, headers={"X-Forwarded-For": "203.0.113.9"}).post(
            "/api/v1/session", {"name": user.name, "password": user.password})
        self.assertEqual(spoofed.status, 429, "X-Forwarded-For from an untrusted peer moved the address")
        self.admin.on(server).post("/api/v1/test/clock", {"advance_seconds": 15 * 60 + 1})
        self.assertEqual(Client(server).post("/api/v1/session", {"name": user.name,
                                                                 "password": user.password}).status, 200)


class TestSensitivePublishing(Site):
    """Publishing a post mortem that is not restricted is refused while
    process/sensitive-data finds something in it; an admin may override
    with a reason, which the audit log keeps."""

    backend = "sqlite"
    LEAKY = "Keys AKIAIOSFODNN7EXAMPLE were pasted; db-7.corp.internal at 10.2.3.4 answered."

    def ready(self, words, restricted=False):
        """A post mortem of sre in review, approved by rita, 24 h on."""
        slug = unique("sens")
        self.create_pm(self.alice_api, postmortem(slug, team="sre", words=words, restricted=restricted))
        path = "/api/v1/postmortems/%s" % slug
        self.assertEqual(self.alice_api.post(path + "/transitions", {"to": "review"}).status, 200)
        if restricted:
            self.assertIn(self.alice_api.post(path + "/access", {"user": "rita"}).status, (200, 201, 204))
        rita = self.token_client(self.rita)
        self.assertEqual(rita.post(path + "/approvals", {"note": "ok"}).status, 201)
        self.advance_clock(25 * 3600)
        return path

    def test_refused_while_sensitive_data_is_found(self):
        clean = self.ready("Nothing secret here.")
        self.assertEqual(self.alice_api.post(clean + "/transitions", {"to": "published"}).status, 200,
                         "a clean post mortem must publish")
        restricted = self.ready(self.LEAKY, restricted=True)
        self.assertEqual(self.alice_api.post(restricted + "/transitions", {"to": "published"}).status, 200,
                         "a restricted post mortem may carry it")
        leaky = self.ready(self.LEAKY)
        for who in (self.alice_api, self.admin):
            reply = who.post(leaky + "/transitions", {"to": "published"})
            self.assertEqual(reply.status, 422, "published with sensitive data: %r" % (reply,))
            self.assertIn("sensitive", text_of(reply))
        self.assertEqual(self.admin.get(leaky).body["status"], "review")
        page = self.session_client(self.alice)
        reply = form(page, leaky.replace("/api/v1", "") + "/transitions", {"to": "published"})
        self.assertEqual(self.admin.get(leaky).body["status"], "review", "published through the page")

    def test_a_new_revision_is_read_again(self):
        # What the review finds in a revision is kept between requests: a
        # revision that adds sensitive data must be refused at once.
        path = self.ready("Nothing secret here.")
        for _ in range(4):
            self.assertEqual(self.alice_api.get(path).status, 200)
        pm = self.alice_api.get(path).body
        slug = path.rsplit("/", 1)[1]
        saved = self.alice_api.put(path, {"markdown": postmortem(slug, team="sre", words=self.LEAKY),
                                          "base_revision": pm["revision"]})
        self.assertEqual(saved.status, 200, saved)
        if self.alice_api.get(path).body["status"] != "review":
            path = self.ready_again(path)
        reply = self.alice_api.post(path + "/transitions", {"to": "published"})
        self.assertEqual(reply.status, 422, "published with sensitive data: %r" % (reply,))

    def ready_again(self, path):
        self.assertEqual(self.alice_api.post(path + "/transitions", {"to": "review"}).status, 200)
        rita = self.token_client(self.rita)
        self.assertEqual(rita.post(path + "/approvals", {"note": "ok"}).status, 201)
        self.advance_clock(25 * 3600)
        return path

    def test_an_admin_overrides_with_a_logged_reason(self):
        leaky = self.ready(self.LEAKY)
        self.assertEqual(self.admin.post(leaky + "/transitions", {"to": "published", "override": True}).status,
                         422, "an override without a reason")
        self.assertEqual(self.alice_api.post(leaky + "/transitions", {"to": "published", "override": True,
                                                                      "reason": "mine"}).status, 403)
        reason = "the addresses are of a lab, checked by " + unique("sec")
        reply = self.admin.post(leaky + "/transitions", {"to": "published", "override": True, "reason": reason})
        self.assertEqual(reply.status, 200, reply)
        self.assertTrue(reply.body["overridden"], "published over sensitive data without an override: %r" % (reply,))
        audit = self.admin.get("/api/v1/audit?limit=100").body["items"]
        entries = [e for e in audit if e.get("action") == "postmortem.override"]
        self.assertTrue(entries, audit[:3])
        self.assertIn(reason, json.dumps(entries[0]))
        self.assertIn("sensitive", json.dumps(entries[0]))


if __name__ == "__main__":
    main()
