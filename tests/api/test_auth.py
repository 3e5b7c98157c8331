"""test_auth.py: who is asking. The first admin (setup), sign-in sessions
and their cookie, CSRF tokens, API tokens, sign-in throttling, the trusted
proxy's user header, the test clock, the security headers of every answer
and the checks of request bodies, on SQLite and PostgreSQL."""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sqlite3

from harness import ADMIN_PASSWORD, ApiCase, Client, Server, main, on_every_backend, postgres_server, session_of

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def cookie_header(reply):
    for header in reply.headers.get_all("Set-Cookie") or []:
        if header.strip().startswith("debrief_session="):
            return header
    return None


def cookie_attributes(header):
    return [part.strip() for part in header.split(";")[1:]]


def session_body(client, body, content_type="application/json"):
    """POST /api/v1/session with raw BODY of CONTENT_TYPE."""
    return client.request("POST", "/api/v1/session", raw=body, headers={"Content-Type": content_type})


@on_every_backend
class TestSessions(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.make_team("sre")
        cls.alice = cls.make_user("alice", "author", ["sre"])
        cls.victor = cls.make_user("victor", "viewer")

    # Setup

    def test_setup_only_while_there_is_no_user(self):
        nobody = self.anonymous()
        self.assert_error(nobody.post("/api/v1/setup", {"name": "mallory", "password": "password-123"}),
                          409, "conflict")
        self.assert_error(nobody.post("/api/v1/setup", {"name": "mallory", "password": "short"}), 400,
                          "bad_request")
        self.assert_error(nobody.post("/api/v1/setup", {"name": "mallory", "password": "x" * 1025}), 400,
                          "bad_request")
        self.assert_error(nobody.post("/api/v1/session", {"name": "mallory", "password": "password-123"}),
                          401, "unauthorized")

    # Sign-in

    def test_sign_in_answers_the_user_a_csrf_token_and_a_cookie(self):
        reply = self.anonymous().post("/api/v1/session", {"name": "alice", "password": self.alice.password})
        body = self.assert_ok(reply)
        self.assertEqual(set(body), {"user", "csrf_token"})
        self.assertEqual(body["user"], {"name": "alice", "role": "author", "teams": ["sre"]})
        self.assertRegex(body["csrf_token"], HEX64)
        header = cookie_header(reply)
        self.assertIsNotNone(header, reply.headers)
        attributes = cookie_attributes(header)
        for wanted in ("HttpOnly", "SameSite=Lax", "Path=/"):
            self.assertIn(wanted, attributes, header)
        self.assertNotIn("Secure", attributes, header)
        session = session_of(reply)
        self.assertRegex(session, r"^dbf_[0-9a-f]{64}$")
        self.assertNotEqual(body["csrf_token"], session[4:])
        self.assertEqual(reply.headers.get("Cache-Control"), "no-store")

    def test_wrong_password_and_unknown_user_answer_the_same_401(self):
        wrong = self.anonymous().post("/api/v1/session", {"name": "alice", "password": "not-her-password"})
        unknown = self.anonymous().post("/api/v1/session", {"name": "nobody-here", "password": "whatever-1"})
        self.assert_error(wrong, 401, "unauthorized")
        self.assert_error(unknown, 401, "unauthorized")
        self.assertEqual(wrong.body, unknown.body)
        self.assertIsNone(cookie_header(wrong))
        # A good sign-in forgets the failures of the name.
        self.sign_in(self.alice)

    def test_every_sign_in_starts_a_new_session(self):
        _, first, csrf1 = self.sign_in(self.alice)
        _, second, csrf2 = self.sign_in(self.alice)
        self.assertNotEqual(first, second)
        self.assertNotEqual(csrf1, csrf2)
        # A session id sent with the sign-in (planted in the browser) is not
        # the one it signs in: the answer sets a new one.
        planted = "dbf_" + "7" * 64
        for sent in (first, planted):
            reply = Client(self.server, cookie=sent).post("/api/v1/session",
                                                         {"name": "alice", "password": self.alice.password})
            self.assert_ok(reply)
            self.assertNotIn(session_of(reply), (first, second, planted))
        self.assert_error(Client(self.server, cookie=planted).get("/api/v1/session"), 401, "unauthorized")
        for session in (first, second):
            self.assertEqual(self.assert_ok(Client(self.server, cookie=session).get("/api/v1/session"))["user"]["name"],
                             "alice")

    def test_get_session_says_who_is_signed_in(self):
        _, session, csrf = self.sign_in(self.alice)
        body = self.assert_ok(Client(self.server, cookie=session).get("/api/v1/session"))
        self.assertEqual(body, {"user": {"name": "alice", "role": "author", "teams": ["sre"]},
                                "csrf_token": csrf})
        by_token = self.assert_ok(self.admin.get("/api/v1/session"))
        self.assertEqual(by_token["user"]["name"], "admin")
        self.assertEqual(by_token["user"]["role"], "admin")
        self.assertIsNone(by_token["csrf_token"])
        self.assert_error(self.anonymous().get("/api/v1/session"), 401, "unauthorized")
        self.assert_error(Client(self.server, cookie="dbf_" + "0" * 64).get("/api/v1/session"), 401,
                          "unauthorized")

    def test_sign_out_ends_the_session_and_clears_the_cookie(self):
        _, session, csrf = self.sign_in(self.alice)
        client = Client(self.server, cookie=session, csrf=csrf)
        reply = client.delete("/api/v1/session")
        self.assertEqual(reply.status, 204, reply)
        header = cookie_header(reply)
        self.assertIsNotNone(header)
        self.assertTrue(header.startswith("debrief_session=;"), header)
        self.assertIn("Max-Age=0", cookie_attributes(header))
        self.assert_error(client.get("/api/v1/session"), 401, "unauthorized")
        self.assert_error(client.delete("/api/v1/session"), 401, "unauthorized")

    # CSRF

    def test_cookie_writes_need_the_csrf_token(self):
        _, session, csrf = self.sign_in(self.admin_user)
        advance = {"advance_seconds": 0}
        self.assert_error(Client(self.server, cookie=session).post("/api/v1/test/clock", advance), 403, "csrf")
        wrong = "0" * 64 if csrf != "0" * 64 else "1" * 64
        self.assert_error(Client(self.server, cookie=session, csrf=wrong).post("/api/v1/test/clock", advance),
                          403, "csrf")
        self.assert_error(Client(self.server, cookie=session, csrf=csrf[:-1]).post("/api/v1/test/clock",
                                                                                 advance), 403, "csrf")
        self.assert_ok(Client(self.server, cookie=session, csrf=csrf).post("/api/v1/test/clock", advance))
        # Sign-out is a write too.
        self.assert_error(Client(self.server, cookie=session).delete("/api/v1/session"), 403, "csrf")
        self.assert_ok(Client(self.server, cookie=session).get("/api/v1/session"))
        # A form's csrf_token field passes the check (the route then wants JSON).
        form = Client(self.server, cookie=session).request(
            "POST", "/api/v1/test/clock", raw="csrf_token=" + csrf,
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assert_error(form, 415, "unsupported_media_type")
        bad_form = Client(self.server, cookie=session).request(
            "POST", "/api/v1/test/clock", raw="csrf_token=" + wrong,
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assert_error(bad_form, 403, "csrf")

    def test_tokens_need_no_csrf_token(self):
        self.assert_ok(self.admin.post("/api/v1/test/clock", {"advance_seconds": 0}))

    def test_bad_tokens_answer_401(self):
        for header in ("Bearer dbf_" + "0" * 64, "Bearer nonsense", "Bearer ", "Basic YWRtaW46eA==",
                       "bearer"):
            reply = self.anonymous().get("/api/v1/session", headers={"Authorization": header})
            self.assert_error(reply, 401, "unauthorized")
        # A bad token is refused even with a good session cookie beside it.
        _, session, _ = self.sign_in(self.alice)
        reply = Client(self.server, cookie=session).get(
            "/api/v1/session", headers={"Authorization": "Bearer dbf_" + "1" * 64})
        self.assert_error(reply, 401, "unauthorized")

    # The test clock

    def test_the_clock_moves_for_admins_only_and_adds_up(self):
        first = self.assert_ok(self.admin.post("/api/v1/test/clock", {"advance_seconds": 60}))
        second = self.assert_ok(self.admin.post("/api/v1/test/clock", {"advance_seconds": 30}))
        self.assertEqual(second["offset_seconds"] - first["offset_seconds"], 30)
        self.assertRegex(second["now"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        viewer = self.session_client(self.victor)
        self.assert_error(viewer.post("/api/v1/test/clock", {"advance_seconds": 60}), 403, "forbidden")
        self.assert_error(self.anonymous().post("/api/v1/test/clock", {"advance_seconds": 60}), 401)
        for bad in ({"advance_seconds": "60"}, {"advance_seconds": 1.5}, {}, {"advance_seconds": 1, "x": 1}):
            self.assert_error(self.admin.post("/api/v1/test/clock", bad), 400, "bad_request")

    # Bodies

    def test_bodies_must_be_json_objects_of_known_members(self):
        nobody = self.anonymous()
        cases = [
            (b'{"name":"alice","password":"x","extra":1}', "application/json", 400),
            (b'{"name":"alice","name":"bob","password":"x"}', "application/json", 400),
            (b'{"name":"al\\u0000ice","password":"x"}', "application/json", 400),
            (b'{"name":"al\xffice","password":"x"}', "application/json", 400),
            (b'["alice","x"]', "application/json", 400),
            (b'"alice"', "application/json", 400),
            (b'{"name":"alice",', "application/json", 400),
            (b'', "application/json", 400),
            (b'{"name":1,"password":"x"}', "application/json", 400),
            (b'{"password":"x"}', "application/json", 400),
            (b'{"name":"alice","password":"x"}', "text/plain", 415),
            (b'name=alice&password=x', "application/x-www-form-urlencoded", 415),
        ]
        for body, ctype, status in cases:
            reply = session_body(nobody, body, ctype)
            self.assert_error(reply, status)
        reply = nobody.request("POST", "/api/v1/session", raw=b'{"name":"alice","password":"x"}',
                               headers={"Content-Type": None})
        self.assert_error(reply, 415, "unsupported_media_type")
        ok = session_body(nobody, ('{"name":"alice","password":"%s"}' % self.alice.password).encode(),
                          "application/json; charset=utf-8")
        self.assert_ok(ok)

    def test_queries_must_be_escaped_utf8_text(self):
        for query in ("q=%ff", "q=%ed%a0%80", "q=a%00b", "q=%zz", "q=%4", "%ff=1", "a=1&b=%c3"):
            self.assert_error(self.admin.get("/api/v1/session?" + query), 400, "bad_request")
            self.assert_error(self.anonymous().get("/healthz?" + query), 400, "bad_request")
        for query in ("q=caf%C3%A9", "q=a+b&q=%2B", "flag", "=x&&"):
            self.assert_ok(self.admin.get("/api/v1/session?" + query))

    # Headers and logs

    def test_every_answer_carries_the_security_headers(self):
        answers = [self.anonymous().get("/healthz"), self.anonymous().get("/metrics"),
                   self.anonymous().get("/api/v1/session"), self.anonymous().get("/api/v1/nowhere"),
                   self.admin.get("/api/v1/session")]
        for reply in answers:
            self.assertEqual(reply.headers.get("X-Content-Type-Options"), "nosniff", reply)
            self.assertEqual(reply.headers.get("Referrer-Policy"), "no-referrer", reply)
            self.assertEqual(reply.headers.get("X-Frame-Options"), "DENY", reply)
        for reply in answers[0:1] + answers[2:]:
            self.assertEqual(reply.headers.get("Content-Security-Policy"),
                             "default-src 'none'; frame-ancestors 'none'", reply)
        self.assertEqual(answers[-1].headers.get("Cache-Control"), "no-store")

    def test_secrets_never_reach_the_log(self):
        reply, session, csrf = self.sign_in(self.alice)
        Client(self.server, cookie=session, csrf=csrf).get("/api/v1/session")
        self.anonymous().post("/api/v1/session", {"name": "alice", "password": "a-wrong-secret-77"})
        self.sign_in(self.alice)
        self.admin.get("/api/v1/session")
        time.sleep(0.2)
        log = self.server.stderr()
        for secret in (self.alice.password, "a-wrong-secret-77", session, csrf, self.admin.token,
                       ADMIN_PASSWORD):
            self.assertNotIn(secret, log)
        self.assertTrue(any(line.get("event") == "signin" for line in self.server.log_lines()))

    def test_healthz_checks_the_database(self):
        body = self.assert_ok(self.anonymous().get("/healthz"))
        self.assertEqual(body["status"], "ok")
        self.assertIsInstance(body["schema_version"], int)


@on_every_backend
class TestCookieSecure(ApiCase):
    server_args = ("--cookie-secure", "--session-hours", "1")

    def test_the_cookie_is_secure_and_lasts_the_session_hours(self):
        reply, session, _ = self.sign_in(self.admin_user)
        self.assertIn("Secure", cookie_attributes(cookie_header(reply)))
        client = Client(self.server, cookie=session)
        self.assert_ok(client.get("/api/v1/session"))
        self.advance_clock(3601)
        self.assert_error(client.get("/api/v1/session"), 401, "unauthorized")
        self.assert_ok(self.admin.get("/api/v1/session"))


@on_every_backend
class TestThrottling(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls.make_user("alice", "viewer")
        cls.bob = cls.make_user("bob", "viewer")

    def setUp(self):
        super().setUp()
        self.advance_clock(16 * 60)  # every failure so far is forgotten

    def sign_in_as(self, name, password):
        return self.anonymous().post("/api/v1/session", {"name": name, "password": password})

    def test_five_failures_of_a_name_refuse_even_the_good_password(self):
        for _ in range(5):
            self.assert_error(self.sign_in_as("alice", "wrong-password"), 401, "unauthorized")
        for password in ("wrong-password", self.alice.password):
            reply = self.sign_in_as("alice", password)
            self.assert_error(reply, 429, "too_many_requests")
            self.assertGreater(int(reply.headers.get("Retry-After")), 0)
            self.assertIsNone(cookie_header(reply))
        # Others still sign in; alice again once the window has passed.
        self.assert_ok(self.sign_in_as("bob", self.bob.password))
        self.advance_clock(14 * 60)
        self.assert_error(self.sign_in_as("alice", self.alice.password), 429)
        self.advance_clock(2 * 60)
        self.assert_ok(self.sign_in_as("alice", self.alice.password))

    def test_a_good_sign_in_forgets_the_failures_of_its_name(self):
        for _ in range(4):
            self.assert_error(self.sign_in_as("alice", "wrong-password"), 401)
        self.assert_ok(self.sign_in_as("alice", self.alice.password))
        for _ in range(4):
            self.assert_error(self.sign_in_as("alice", "wrong-password"), 401)
        self.assert_ok(self.sign_in_as("alice", self.alice.password))

    def test_twenty_failures_from_an_address_refuse_every_name(self):
        for i in range(20):
            self.assert_error(self.sign_in_as("stranger-%d" % i, "wrong-password"), 401)
        reply = self.sign_in_as("bob", self.bob.password)
        self.assert_error(reply, 429, "too_many_requests")
        self.assertTrue(reply.headers.get("Retry-After"))
        # Tokens are not throttled.
        self.assert_ok(self.admin.get("/api/v1/session"))


@on_every_backend
class TestTrustedProxy(ApiCase):
    server_args = ("--proxy-user-header", "X-Remote-User", "--trusted-proxy", "127.0.0.1")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls.make_user("alice", "author")

    def test_the_header_names_the_user_from_a_trusted_address(self):
        reply = self.anonymous().get("/api/v1/session", headers={"X-Remote-User": "alice"})
        body = self.assert_ok(reply)
        self.assertEqual(body["user"]["name"], "alice")
        self.assertIsNone(body["csrf_token"])
        self.assert_error(self.anonymous().get("/api/v1/session", headers={"X-Remote-User": "nobody-here"}),
                          401, "unauthorized")
        self.assert_error(self.anonymous().get("/api/v1/session"), 401, "unauthorized")
        # A token wins over the header.
        self.assertEqual(self.admin.get("/api/v1/session", headers={"X-Remote-User": "alice"}).body["user"]["name"],
                         "admin")

    def test_a_write_from_another_site_is_refused(self):
        as_alice = {"X-Remote-User": "alice", "Content-Type": "application/json"}
        cross = dict(as_alice, Origin="https://evil.example")
        reply = self.anonymous().post("/api/v1/tokens", raw="{}", headers=cross)
        self.assert_error(reply, 403, "csrf")
        fetched = dict(as_alice, **{"Sec-Fetch-Site": "cross-site"})
        self.assert_error(self.anonymous().post("/api/v1/tokens", raw="{}", headers=fetched), 403, "csrf")
        same = dict(as_alice, Origin="http://127.0.0.1:%d" % self.server.port,
                    **{"Sec-Fetch-Site": "same-origin"})
        self.assertEqual(self.anonymous().post("/api/v1/tokens", raw="{}", headers=same).status, 201)
        # Reading is not a write: another site may not read the answer anyway.
        self.assert_ok(self.anonymous().get("/api/v1/session", headers=cross))

    def test_sign_ins_are_throttled_by_the_forwarded_address(self):
        def attempt(address, password="wrong-password"):
            return self.anonymous().post("/api/v1/session",
                                         json={"name": "alice", "password": password},
                                         headers={"X-Forwarded-For": "198.51.100.7, " + address})
        names = ["ghost-%d" % i for i in range(20)]
        for name in names:  # 20 failures from one client behind the proxy
            self.anonymous().post("/api/v1/session", json={"name": name, "password": "wrong-password"},
                                  headers={"X-Forwarded-For": "203.0.113.5"})
        blocked = self.anonymous().post("/api/v1/session", json={"name": "alice", "password": self.alice.password},
                                        headers={"X-Forwarded-For": "203.0.113.5"})
        self.assertEqual(blocked.status, 429)
        # Another client behind the same proxy signs in.
        self.assertEqual(attempt("203.0.113.9", self.alice.password).status, 200)

    def test_the_header_is_ignored_from_other_addresses(self):
        other = self.start_server(extra_args=["--proxy-user-header", "X-Remote-User",
                                              "--trusted-proxy", "192.0.2.10"])
        reply = Client(other).get("/api/v1/session", headers={"X-Remote-User": "alice"})
        self.assert_error(reply, 401, "unauthorized")
        unset = self.start_server(extra_args=[])
        reply = Client(unset).get("/api/v1/session", headers={"X-Remote-User": "admin"})
        self.assert_error(reply, 401, "unauthorized")


def db_errors(client):
    """debrief_db_errors_total of /metrics."""
    text = client.get("/metrics").body.decode()
    return int(re.search(r"^debrief_db_errors_total (\d+)$", text, re.M).group(1))


@on_every_backend
class TestDatabaseDown(ApiCase):
    def make_database_unavailable(self):
        """Makes the database refuse the server (PostgreSQL stopped; SQLite
        locked by another writer); returns how to undo it."""
        if self.backend == "postgres":
            pg = postgres_server()
            pg.stop_fast()
            return pg.start_again
        db = sqlite3.connect(self.db_url[len("sqlite:"):], timeout=1, isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")

        def release():
            db.execute("ROLLBACK")
            db.close()
        return release

    def test_healthz_answers_503_and_the_errors_are_counted(self):
        nobody = self.anonymous()
        before = db_errors(nobody)
        undo = self.make_database_unavailable()
        try:
            if self.backend == "postgres":
                # SQLite's readers are not blocked by a writer (WAL): only
                # a write waits and gives up there.
                reply = nobody.get("/healthz")
                self.assertEqual(reply.status, 503, reply)
                self.assertEqual(reply.body["status"], "unavailable")
            reply = nobody.post("/api/v1/session", {"name": "admin", "password": ADMIN_PASSWORD})
            self.assert_error(reply, 503, "unavailable")
            self.assertIsNone(session_of(reply))
        finally:
            undo()
        self.assertGreaterEqual(db_errors(nobody) - before, 1 if self.backend == "sqlite" else 2)
        deadline = time.time() + 20
        while nobody.get("/healthz").status != 200:
            self.assertLess(time.time(), deadline, "the server did not recover")
            time.sleep(0.2)
        self.assert_ok(self.admin.get("/api/v1/session"))


@on_every_backend
class TestClockOff(ApiCase):
    def test_the_test_clock_is_404_without_the_flag(self):
        server = Server(self.db_url, test_clock=False)
        try:
            reply = Client(server, token=self.admin.token).post("/api/v1/test/clock", {"advance_seconds": 60})
            self.assert_error(reply, 404, "not_found")
        finally:
            self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    main()
