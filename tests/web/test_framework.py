#!/usr/bin/env python3
"""test_framework.py: the page framework of the web app against the real
server on SQLite: the layout and its security headers, html()'s escaping
seen through pages, redirects to /signin, first-run setup (only once),
sign in and out with CSRF, /static/ files and the Atom feed.

By hand: DEBRIEF=build/debrief python3 tests/web/test_framework.py [-k NAME]"""

import os
import re
import secrets
import sys
import urllib.parse
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from harness import SOURCE, ApiCase, Client, Database, Server, expect, main, postmortem, session_of, unique

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
DAY = 24 * 3600
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
ATOM = "{http://www.w3.org/2005/Atom}"


def form(client, path, **fields):
    """POSTs FIELDS to PATH as CLIENT, urlencoded like a browser's form. The
    setup and sign-in forms, posted without a session, carry a form token
    equal to their debrief_form cookie, as the browser's would."""
    headers = dict(FORM)
    if path in ("/signin", "/setup") and not client.cookie and "csrf_token" not in fields:
        token = secrets.token_hex(32)
        headers["Cookie"] = "debrief_form=" + token
        fields["csrf_token"] = token
    return client.post(path, raw=urllib.parse.urlencode(fields), headers=headers)


def text(reply):
    return reply.body.decode() if isinstance(reply.body, bytes) else str(reply.body)


def csrf_of(page):
    """The csrf_token of the first form on PAGE (text)."""
    m = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', page)
    return m.group(1) if m else None


def page_sign_in(server, name, password, next_path=None):
    """Signs in through POST /signin; returns (reply, session cookie)."""
    fields = {"name": name, "password": password}
    if next_path is not None:
        fields["next"] = next_path
    reply = form(Client(server), "/signin", **fields)
    return reply, session_of(reply)


class PageChecks:
    def assert_page(self, reply, status=200):
        """REPLY is a whole HTML page of STATUS with the page headers."""
        self.assertEqual(reply.status, status, reply)
        self.assertEqual(reply.headers.get("Content-Type"), "text/html; charset=utf-8", reply)
        self.assertEqual(reply.headers.get("Content-Security-Policy"), CSP)
        self.assertEqual(reply.headers.get("X-Content-Type-Options"), "nosniff")
        self.assertEqual(reply.headers.get("Referrer-Policy"), "no-referrer")
        self.assertEqual(reply.headers.get("Cache-Control"), "no-store")
        page = text(reply)
        self.assertTrue(page.startswith("<!doctype html>\n<html lang=\"en\">"), page[:100])
        return page

    def assert_redirect(self, reply, location):
        self.assertEqual(reply.status, 303, reply)
        self.assertEqual(reply.headers.get("Location"), location, reply)


class TestSetup(PageChecks, ApiCase):
    """A server with no user yet (made here, without ApiCase's admin)."""

    @classmethod
    def setUpClass(cls):
        cls._servers = []
        cls.database = Database("sqlite", cls.__name__)
        cls.addClassCleanup(cls.database.drop)
        cls.addClassCleanup(cls._stop_servers)
        cls.server = Server(cls.database.url)
        cls._servers.append(cls.server)

    def test_setup_only_once_and_signed_in(self):
        anyone = Client(self.server)
        self.assert_redirect(anyone.get("/"), "/setup")
        self.assert_redirect(anyone.get("/signin"), "/setup")
        page = self.assert_page(anyone.get("/setup"))
        self.assertIn('action="/setup"', page)
        self.assertIn('<label for="name">', page)

        reply = form(anyone, "/setup", name="root", password="short", confirm="short")
        self.assertIn("8 to 1024 bytes", self.assert_page(reply, 400))
        reply = form(anyone, "/setup", name="root", password="long-enough-1", confirm="other-one-1")
        page = self.assert_page(reply, 400)
        self.assertIn("differ", page)
        self.assertIn('value="root"', page)
        evil = '"><script>alert(1)</script>'
        reply = form(anyone, "/setup", name=evil, password="long-enough-1", confirm="long-enough-1")
        page = self.assert_page(reply, 400)
        self.assertNotIn("<script>alert", page)
        self.assertIn("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;", page)

        reply = form(anyone, "/setup", name="root", password="long-enough-1", confirm="long-enough-1")
        self.assert_redirect(reply, "/postmortems")
        session = session_of(reply)
        self.assertTrue(session)
        me = Client(self.server, cookie=session)
        self.assertEqual(me.get("/api/v1/session").body["user"]["role"], "admin")

        # Once there is a user, setup is over.
        self.assert_redirect(anyone.get("/setup"), "/signin")
        reply = form(anyone, "/setup", name="second", password="long-enough-2", confirm="long-enough-2")
        self.assert_redirect(reply, "/signin")
        self.assertEqual(session_of(reply), None)
        self.assertEqual(form(anyone, "/signin", name="second", password="long-enough-2").status, 401)
        self.assert_redirect(anyone.get("/"), "/signin")
        self.assert_redirect(me.get("/"), "/postmortems")


class TestFramework(PageChecks, ApiCase):
    backend = "sqlite"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.make_team("web")
        cls.alice_user = cls.make_user("alice", "author", ["sre"])
        cls.alice = cls.token_client(cls.alice_user)
        cls.rita = cls.token_client(cls.make_user("rita", "reviewer", ["web"]))
        cls.evil_title = "<script>alert('t')</script> & \"quotes\""
        cls.public = cls.publish(postmortem(unique("feed"), title=cls.evil_title, team="sre"))
        cls.secret = cls.publish(postmortem(unique("secret"), title="Secret outage", team="sre",
                                            restricted=True))
        cls.draft = cls.create_pm(cls.alice, postmortem(unique("draft"), title="Draft outage", team="sre"))

    @classmethod
    def publish(cls, markdown):
        slug = cls.create_pm(cls.alice, markdown)
        path = "/api/v1/postmortems/%s" % slug
        expect(cls.alice.post(path + "/transitions", {"to": "review"}), 200, "to review")
        expect(cls.admin.post(path + "/approvals", {}), 201, "approval")
        cls.advance_clock(DAY + 60)
        expect(cls.alice.post(path + "/transitions", {"to": "published"}), 200, "publish")
        return slug

    def browser(self, user=None):
        """A Client with the session cookie of USER (alice) signed in through
        the page, sending no CSRF header: forms carry the token."""
        user = user or self.alice_user
        reply, session = page_sign_in(self.server, user.name, user.password)
        self.assertEqual(reply.status, 303, reply)
        return Client(self.server, cookie=session, user=user)

    # ---- Layout and headers ----

    def test_layout_of_a_signed_out_page(self):
        page = self.assert_page(Client(self.server).get("/signin"))
        for part in ('<meta name="viewport" content="width=device-width, initial-scale=1">',
                     "<title>Sign in — debrief</title>",
                     '<link rel="stylesheet" href="/static/style.css">',
                     '<a class="skip" href="#main">',
                     '<main id="main"', "<h1>Sign in</h1>", "<footer",
                     '<script src="/static/app.js" defer></script>',
                     '<a href="/signin" aria-current="page">Sign in</a>'):
            self.assertIn(part, page)
        self.assertNotIn("Sign out", page)
        # No inline script and no event handler attributes anywhere.
        self.assertIsNone(re.search(r"<script(?![^>]*\bsrc=)", page))
        self.assertIsNone(re.search(r"\son[a-z]+\s*=", page))
        self.assertIn('<label for="password">', page)

    def test_layout_of_a_signed_in_page_names_the_user_and_offers_sign_out(self):
        alice = self.browser()
        page = self.assert_page(alice.get("/no-such-page"), 404)
        for label in ("Post mortems", "Actions", "Patterns", "New", "Tokens"):
            self.assertRegex(page, r'<a href="/[a-z/]*">%s</a>' % label)
        self.assertNotIn(">Admin<", page)
        self.assertIn(">alice</a>", page)
        self.assertIn('action="/signout"', page)
        self.assertTrue(csrf_of(page))
        admin = self.browser(self.admin_user)
        self.assertIn('<a href="/admin/users">Admin</a>', self.assert_page(admin.get("/nope"), 404))

    def test_the_navigation_marks_the_section(self):
        page = self.assert_page(self.browser().get("/postmortems"))
        self.assertIn('<a href="/postmortems" aria-current="page">Post mortems</a>', page)
        self.assertEqual(page.count('aria-current="page"'), 1)

    def test_errors_are_html_pages_and_api_errors_stay_json(self):
        page = self.assert_page(Client(self.server).get("/postmortems/x/y/z"), 404)
        self.assertIn("<h1>Not found</h1>", page)
        reply = Client(self.server).get("/api/v1/nothing")
        self.assertEqual(reply.status, 404)
        self.assertEqual(reply.body["error"]["code"], "not_found")

    # ---- Redirects ----

    def test_pages_redirect_to_signin_with_next(self):
        anyone = Client(self.server)
        self.assert_redirect(anyone.get("/postmortems?status=draft&q=a+b"),
                             "/signin?next=%2Fpostmortems%3Fstatus%3Ddraft%26q%3Da%2Bb")
        self.assert_redirect(anyone.get("/feed.atom"), "/signin?next=%2Ffeed.atom")
        self.assert_redirect(form(anyone, "/postmortems", markdown="x"), "/signin")
        page = self.assert_page(anyone.get("/signin?next=%2Factions%3Fowner%3D%22x%22"))
        self.assertIn('name="next" value="/actions?owner=&quot;x&quot;"', page)

    def test_signin_goes_to_next_only_when_it_is_local(self):
        user = self.alice_user
        for given, wanted in (("/actions", "/actions"), ("/postmortems?q=x", "/postmortems?q=x"),
                              ("//evil.example/x", "/postmortems"), ("https://evil.example", "/postmortems"),
                              ("/\\evil.example", "/postmortems"), ("/signout", "/postmortems"),
                              ("", "/postmortems")):
            reply, session = page_sign_in(self.server, user.name, user.password, given)
            self.assert_redirect(reply, wanted)
            self.assertTrue(session)

    def test_a_signed_in_user_visiting_signin_goes_on(self):
        alice = self.browser()
        self.assert_redirect(alice.get("/signin?next=%2Factions"), "/actions")
        self.assert_redirect(alice.get("/"), "/postmortems")

    # ---- Sign in and out ----

    def test_signin_and_setup_forms_are_tied_to_the_browser(self):
        page = Client(self.server).get("/signin")
        cookie = page.headers.get("Set-Cookie", "")
        self.assertRegex(cookie, r"^debrief_form=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict")
        token = cookie.split(";")[0].split("=", 1)[1]
        self.assertIn('name="csrf_token" value="%s"' % token, text(page))
        plain_post = Client(self.server).post(
            "/signin", raw=urllib.parse.urlencode({"name": "alice", "password": "x-password"}),
            headers=FORM)
        self.assertEqual(plain_post.status, 403)  # a forged sign-in: no cookie, no token
        wrong = Client(self.server).post(
            "/signin", raw=urllib.parse.urlencode({"name": "alice", "password": "x-password",
                                                   "csrf_token": "0" * 64}),
            headers=dict(FORM, Cookie="debrief_form=" + token))
        self.assertEqual(wrong.status, 403)

    def test_signin_errors_keep_the_name_escaped(self):
        reply = form(Client(self.server), "/signin", name="alice", password="wrong-password")
        page = self.assert_page(reply, 401)
        self.assertIn("Wrong user name or password.", page)
        self.assertIn('value="alice"', page)
        self.assertIsNone(session_of(reply))
        evil = "\"><img src=x onerror=alert(1)>"
        page = self.assert_page(form(Client(self.server), "/signin", name=evil, password="x-password"), 401)
        self.assertNotIn("<img src=x", page)
        self.assertIn("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", page)
        page = self.assert_page(form(Client(self.server), "/signin", name="alice"), 400)
        self.assertIn("Give your user name and password.", page)

    def test_every_signin_makes_a_new_session_with_the_api_cookie_flags(self):
        user = self.alice_user
        planted = "dbf_" + "0" * 64
        token = secrets.token_hex(32)
        reply = Client(self.server).post(
            "/signin", raw=urllib.parse.urlencode({"name": user.name, "password": user.password,
                                                   "csrf_token": token}),
            headers=dict(FORM, Cookie="debrief_session=%s; debrief_form=%s" % (planted, token)))
        self.assertEqual(reply.status, 303, reply)
        first = session_of(reply)
        _, second = page_sign_in(self.server, user.name, user.password)
        self.assertNotIn(first, (None, planted, second))
        cookie = [h for h in reply.headers.get_all("Set-Cookie") if h.startswith("debrief_session=")][0]
        for flag in ("HttpOnly", "SameSite=Lax", "Path=/"):
            self.assertIn(flag, cookie)
        for session in (first, second):
            self.assertEqual(Client(self.server, cookie=session).get("/api/v1/session").status, 200)

    def test_signin_is_throttled_like_the_api(self):
        user = self.make_user(unique("slow"), "viewer")
        for _ in range(5):
            self.assertEqual(form(Client(self.server), "/signin", name=user.name, password="bad-password").status, 401)
        reply = form(Client(self.server), "/signin", name=user.name, password=user.password)
        page = self.assert_page(reply, 429)
        self.assertIn("Too many failed sign-ins", page)
        self.assertTrue(reply.headers.get("Retry-After"))
        self.assertIsNone(session_of(reply))
        # The API counts the same failures.
        api = Client(self.server).post("/api/v1/session", {"name": user.name, "password": user.password})
        self.assertEqual(api.status, 429)

    def test_signout_needs_the_csrf_token_and_ends_the_session(self):
        alice = self.browser()
        page = self.assert_page(alice.get("/no-such-page"), 404)
        token = csrf_of(page)
        for fields in ({}, {"csrf_token": "0" * 64}, {"csrf_token": token[:-1]}):
            reply = form(alice, "/signout", **fields)
            self.assertIn("CSRF", self.assert_page(reply, 403))
            self.assertEqual(alice.get("/api/v1/session").status, 200, "signed out without a token")
        reply = form(alice, "/signout", csrf_token=token)
        self.assert_redirect(reply, "/signin")
        self.assertEqual(session_of(reply), "")
        self.assertEqual(alice.get("/api/v1/session").status, 401)
        self.assert_redirect(alice.get("/postmortems"), "/signin?next=%2Fpostmortems")

    def test_posts_without_csrf_token_are_refused_with_an_html_page(self):
        alice = self.browser()
        for path in ("/postmortems", "/tokens", "/preview"):
            reply = form(alice, path, markdown="# x", label="x")
            self.assertIn("CSRF", self.assert_page(reply, 403), path)

    def test_an_unknown_token_gets_an_html_401(self):
        for header in ("Bearer dbf_" + "1" * 64, "Basic YTpi", "Bearer "):
            reply = Client(self.server, headers={"Authorization": header}).get("/feed.atom")
            self.assertIn("Not signed in", self.assert_page(reply, 401), header)

    def test_a_token_needs_no_csrf_token(self):
        self.assert_redirect(form(self.token_client(self.alice_user), "/signout"), "/signin")
        self.assertEqual(self.alice.get("/feed.atom").status, 200)

    # ---- Static files ----

    def test_static_files(self):
        anyone = Client(self.server)
        for name, ctype in (("style.css", "text/css; charset=utf-8"),
                            ("app.js", "text/javascript; charset=utf-8")):
            reply = anyone.get("/static/" + name)
            self.assertEqual(reply.status, 200, name)
            self.assertEqual(reply.headers.get("Content-Type"), ctype)
            with open(os.path.join(SOURCE, "src", "web", "static", name), "rb") as f:
                self.assertEqual(reply.body, f.read())
            self.assertIn("max-age=", reply.headers.get("Cache-Control"))
            etag = reply.headers.get("ETag")
            again = anyone.get("/static/" + name, headers={"If-None-Match": etag})
            self.assertEqual(again.status, 304)
            self.assertEqual(again.body, b"")
            self.assertEqual(anyone.request("HEAD", "/static/" + name).body, b"")
        for path in ("/static/nope.css", "/static/web.h", "/static/..%2Fweb.h", "/static/", "/static/style.css/x"):
            reply = anyone.get(path)
            self.assertEqual(reply.status, 404, path)
            self.assertEqual(reply.headers.get("Content-Type"), "text/html; charset=utf-8", path)

    def test_the_stylesheet_and_script_ask_nothing_outside_the_server(self):
        for name in ("style.css", "app.js"):
            body = Client(self.server).get("/static/" + name).body.decode()
            self.assertIsNone(re.search(r"https?://|@import|//[a-z]", body.replace("http://www.w3.org", "")), name)

    # ---- The feed ----

    def test_feed_lists_only_published_public_post_mortems_escaped(self):
        for client in (self.admin, self.alice):
            reply = client.get("/feed.atom")
            self.assertEqual(reply.status, 200, reply)
            self.assertEqual(reply.headers.get("Content-Type"), "application/atom+xml; charset=utf-8")
            raw = reply.body.decode()
            self.assertNotIn("<script>", raw)
            self.assertIn("&lt;script&gt;", raw)
            feed = ET.fromstring(reply.body)
            self.assertEqual(feed.tag, ATOM + "feed")
            self.assertTrue(feed.find(ATOM + "updated").text.endswith("Z"))
            entries = feed.findall(ATOM + "entry")
            links = [e.find(ATOM + "link").get("href") for e in entries]
            self.assertEqual(len(entries), 1, raw)
            self.assertEqual(links, ["http://127.0.0.1:%d/postmortems/%s" % (self.server.port, self.public)])
            self.assertEqual(entries[0].find(ATOM + "title").text, self.evil_title)
            self.assertNotIn("Secret outage", raw)
            self.assertNotIn("Draft outage", raw)

    def test_feed_of_a_browser_session(self):
        reply = self.browser().get("/feed.atom")
        self.assertEqual(reply.status, 200)
        self.assertIn(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">", reply.body)

    def test_a_title_with_markup_is_escaped_in_the_list(self):
        page = self.assert_page(self.browser().get("/postmortems"))
        self.assertNotIn("<script>alert", page)
        self.assertIn("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;", page)


class TestBehindAProxy(PageChecks, ApiCase):
    """Users named by a trusted proxy's header have no CSRF token: their
    posts must come from the site itself, as the browser tells."""
    backend = "sqlite"
    server_args = ("--proxy-user-header", "X-Remote-User", "--trusted-proxy", "127.0.0.1")

    def test_cross_site_posts_are_refused(self):
        self.make_user("alice", "author")
        host = "127.0.0.1:%d" % self.server.port
        for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"},
                        {"Origin": "http://%s.evil.example" % host}):
            reply = form(Client(self.server, headers=dict(headers, **{"X-Remote-User": "alice"})), "/signout")
            self.assertIn("did not come from this site", self.assert_page(reply, 403), headers)
        for headers in ({}, {"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://" + host}):
            reply = form(Client(self.server, headers=dict(headers, **{"X-Remote-User": "alice"})), "/signout")
            self.assert_redirect(reply, "/signin")
        page = self.assert_page(Client(self.server, headers={"X-Remote-User": "alice"}).get("/nope"), 404)
        self.assertIn(">alice</a>", page)


class TestFeedLimit(ApiCase):
    backend = "sqlite"

    def test_the_feed_holds_the_50_newest(self):
        self.make_team("sre")
        alice = self.token_client(self.make_user("alice", "author", ["sre"]))
        paths = []
        for i in range(52):
            slug = self.create_pm(alice, postmortem("many-%02d" % i, title="Outage %02d" % i, team="sre"))
            paths.append("/api/v1/postmortems/" + slug)
            expect(alice.post(paths[-1] + "/transitions", {"to": "review"}), 200, "to review")
            expect(self.admin.post(paths[-1] + "/approvals", {}), 201, "approval")
        self.advance_clock(DAY + 60)
        for path in paths:
            expect(alice.post(path + "/transitions", {"to": "published"}), 200, "publish")
            self.advance_clock(61)
        feed = ET.fromstring(alice.get("/feed.atom").body)
        entries = feed.findall(ATOM + "entry")
        self.assertEqual(len(entries), 50)
        updated = [e.find(ATOM + "updated").text for e in entries]
        self.assertEqual(updated, sorted(updated, reverse=True))
        titles = [e.find(ATOM + "title").text for e in entries]
        self.assertNotIn("Outage 00", titles)
        self.assertNotIn("Outage 01", titles)


if __name__ == "__main__":
    main()
