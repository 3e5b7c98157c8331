"""test_bad_input.py: every route of src/serve/router.c, sent what a broken or
hostile client sends (malformed JSON, wrong types, unknown members, bodies
over 16 MiB, bad ids and query parameters, bad UTF-8, a wrong Content-Type,
an empty body, deep nesting), answers 4xx with {"error":{"code","message"}},
and the server stays up: /healthz answers and the process lives after each
batch."""

import json
import os
import socket
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (HOST, NO_BODY, raw_http, OPTIONAL_BODY, PUBLIC_PM, ApiCase, main, on_every_backend, postmortem,
                     query, routes, sample_body, sample_path)

MIB = 1024 * 1024
LIMIT = 16 * MIB

MALFORMED = [b"{", b'{"a":', b"nul", b"{'a':1}", b'{"a":1,}', b"[1,2", b'{"a":1}{"b":2}', b"NaN",
             b'{"a":NaN}', b'{"a":01}', b"\xef\xbb\xbf{}", b'{"a" 1}', b"{\"a\":\"\n\"}", b"}"]
NOT_OBJECTS = [b"[]", b'"text"', b"1", b"null", b"true", b"[{}]"]
BAD_STRINGS = [b'"\xff\xfe"', b'"\xc0\xaf"', b'"\xed\xa0\x80"', b'"\xe2\x82"', b'"\\ud800"',
               b'"\\udc00x"', b'"a\\u0000b"']
BAD_IDS = ["%00", "a%00b", "x" * 10240, "%ff%fe", "%C0%AF", "%E2%82", "%", "%zz", "a%2Fb", "%20",
           "%0d%0aX-Injected:%201", "..", "%2e%2e", "%ed%a0%80"]
WRONG_CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", None, "application/jsonp",
                       "multipart/form-data; boundary=x", "text/json", "application/xml", "json"]


def body_routes():
    """The write routes that read a JSON body."""
    return [r for r in routes()
            if r.method in ("POST", "PUT", "PATCH") and (r.method, r.pattern) not in NO_BODY]


def wrong_values(value):
    """Values of another JSON type than VALUE (null is left out: it means
    absent)."""
    if isinstance(value, bool):
        return ["true", 1, [], {}]
    if isinstance(value, int):
        return [str(value), 1.5, [value], {}, True, 2 ** 70, -2 ** 70]
    if isinstance(value, str):
        return [123, 1.5, [value], {"v": value}, True, False]
    if isinstance(value, list):
        return ["x", 1, {}, [1], [[]], True]
    if isinstance(value, dict):
        return ["x", 1, [], True]
    return []


@on_every_backend
class TestBadInput(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.ada = cls.make_user("ada", "author", ["sre"])
        # Sign-ins go through a user of their own, so throttling a name
        # cannot lock out the users of the other checks.
        cls.bob = cls.make_user("bob", "viewer", ["sre"])
        cls.pm = cls.create_pm(cls.admin, PUBLIC_PM, owner_team="sre")
        cls.ctx = {"pm": cls.pm, "revision": 1, "action": 1, "grant_kind": "user", "grant_name": "ada",
                   "markdown": PUBLIC_PM + "\nMore.\n", "base_revision": 1, "owner_team": "sre",
                   "user": "ada", "password": cls.ada.password, "team": "sre", "member": "ada",
                   "token_id": 999999}
        cls.session_ctx = dict(cls.ctx, user="bob", password=cls.bob.password)
        # Approvals are weighed only in review: one there, by ada, that the
        # admin (of no team) may approve, so a body is read before any rule.
        ada = cls.token_client(cls.ada)
        cls.in_review = cls.create_pm(ada, postmortem("in-review", team="sre"))
        moved = ada.post("/api/v1/postmortems/%s/transitions" % cls.in_review, {"to": "review"})
        assert moved.status == 200, moved
        cls.review_ctx = dict(cls.ctx, pm=cls.in_review)

    def context(self, route):
        if route.pattern == "/api/v1/session":
            return self.session_ctx
        if route.pattern == "/api/v1/postmortems/:id/approvals":
            return self.review_ctx
        return self.ctx

    def check(self, reply, what, status=None, code=None):
        """REPLY is a 4xx (STATUS when given) JSON error (with CODE)."""
        self.assertGreaterEqual(reply.status, 400, "%s: %r" % (what, reply))
        self.assertLess(reply.status, 500, "%s: %r" % (what, reply))
        if status is not None:
            self.assertEqual(reply.status, status, "%s: %r" % (what, reply))
        self.assertEqual(reply.headers.get("Content-Type", "").split(";")[0], "application/json",
                         "%s: %r" % (what, reply))
        self.assertIsInstance(reply.body, dict, "%s: %r" % (what, reply))
        error = reply.body.get("error")
        self.assertIsInstance(error, dict, "%s: %r" % (what, reply))
        self.assertIsInstance(error.get("code"), str, "%s: %r" % (what, reply))
        self.assertTrue(error.get("message"), "%s: %r" % (what, reply))
        if code is not None:
            self.assertEqual(error["code"], code, "%s: %r" % (what, reply))

    def assert_up(self, what):
        self.assertTrue(self.server.alive(), "the server died after %s:\n%s" % (what, self.server.log_tail()))
        self.assertEqual(self.admin.get("/healthz").status, 200, "no /healthz after %s" % what)
        try:
            lines = self.server.log_lines()
        except ValueError as e:
            self.fail("the log has a line that is not JSON after %s: %s" % (what, e))
        failed = [line for line in lines if line.get("event") == "request" and line.get("status", 0) >= 500]
        self.assertEqual(failed, [], "answers 5xx after %s" % what)
        for secret in (self.admin.token, self.ada.password, self.bob.password):
            self.assertNotIn(secret, self.server.stderr(), "a secret in the log after %s" % what)

    def send(self, route, raw, path=None, headers=None):
        path = path or sample_path(route, self.context(route))
        return self.admin.request(route.method, path, raw=raw, headers=headers)

    def test_malformed_json(self):
        for route in body_routes():
            for raw in MALFORMED + NOT_OBJECTS:
                with self.subTest(route=str(route), body=raw):
                    self.check(self.send(route, raw), "%s %r" % (route, raw), 400, "bad_request")
        self.assert_up("malformed JSON")

    def test_duplicate_members(self):
        for route in body_routes():
            body = sample_body(route, self.context(route)) or {"label": "x"}
            name, value = next(iter(body.items()))
            raw = '{%s:%s,%s}' % (json.dumps(name), json.dumps(value), json.dumps(body)[1:])
            with self.subTest(route=str(route)):
                self.check(self.send(route, raw.encode()), "%s duplicate %s" % (route, name), 400, "bad_request")
        self.assert_up("duplicate members")

    def test_wrong_types(self):
        for route in body_routes():
            body = sample_body(route, self.context(route)) or {}
            for name, value in body.items():
                for wrong in wrong_values(value):
                    bad = sample_body(route, self.context(route))  # fresh unique names
                    bad[name] = wrong
                    with self.subTest(route=str(route), member=name, value=wrong):
                        reply = self.admin.request(route.method, sample_path(route, self.context(route)), json=bad)
                        self.check(reply, "%s %s=%r" % (route, name, wrong), 400, "bad_request")
            self.assert_up("wrong types on %s" % route)

    def test_unknown_members(self):
        for route in body_routes():
            body = sample_body(route, self.context(route)) or {}
            for extra in ({"frobnicate": 1}, {"Markdown": "x"}, {"": 1}, {"markdown ": "x"}):
                bad = dict(body, **extra)
                with self.subTest(route=str(route), extra=extra):
                    reply = self.admin.request(route.method, sample_path(route, self.context(route)), json=bad)
                    self.check(reply, "%s + %r" % (route, extra), 400, "bad_request")
        self.assert_up("unknown members")

    def test_bad_utf8_and_nul_in_strings(self):
        for route in body_routes():
            body = sample_body(route, self.context(route)) or {}
            for name, value in body.items():
                if not isinstance(value, str):
                    continue
                for bad in BAD_STRINGS:
                    raw = json.dumps(dict(body, **{name: "@@BAD@@"})).encode().replace(b'"@@BAD@@"', bad)
                    with self.subTest(route=str(route), member=name, value=bad):
                        self.check(self.send(route, raw), "%s %s=%r" % (route, name, bad), 400, "bad_request")
            raw = b'{"\xff\xfe":1}'
            with self.subTest(route=str(route), member="bad UTF-8 name"):
                self.check(self.send(route, raw), "%s member name %r" % (route, raw), 400, "bad_request")
        self.assert_up("bad UTF-8")

    def test_wrong_content_type(self):
        for route in body_routes():
            raw = json.dumps(sample_body(route, self.context(route)) or {}).encode()
            for ctype in WRONG_CONTENT_TYPES:
                with self.subTest(route=str(route), content_type=ctype):
                    reply = self.send(route, raw, headers={"Content-Type": ctype})
                    self.check(reply, "%s as %r" % (route, ctype), 415, "unsupported_media_type")
        self.assert_up("wrong Content-Type")
        lint = self.admin.post("/api/v1/lint", raw=json.dumps({"markdown": PUBLIC_PM}),
                               headers={"Content-Type": "application/json; charset=utf-8"})
        self.assertEqual(lint.status, 200, lint)

    def test_empty_body(self):
        for route in body_routes():
            if (route.method, route.pattern) in OPTIONAL_BODY:
                continue
            with self.subTest(route=str(route)):
                self.check(self.send(route, b""), "%s with an empty body" % route, 400)
                reply = self.send(route, None, headers={"Content-Type": None})
                self.check(reply, "%s with no body" % route)
        self.assert_up("empty bodies")

    def test_deep_nesting(self):
        deep = [b"[" * 100000 + b"]" * 100000, b'{"a":' * 50000 + b"1" + b"}" * 50000,
                b"[" * 1000000]
        for route in body_routes():
            body = sample_body(route, self.context(route)) or {"label": "x"}
            name = next(iter(body))
            inner = json.dumps(dict(body, **{name: "@@DEEP@@"})).encode().replace(
                b'"@@DEEP@@"', b"[" * 30000 + b"]" * 30000)
            for raw in deep + [inner]:
                with self.subTest(route=str(route), body=raw[:20]):
                    self.check(self.send(route, raw), "%s deep %r" % (route, raw[:20]), 400)
            self.assert_up("deep nesting on %s" % route)
        wide = b"[" + b"0," * MIB + b"0]"
        lint = [r for r in body_routes() if r.pattern == "/api/v1/lint"][0]
        self.check(self.send(lint, wide), "a wide array", 400)
        self.assert_up("a wide array")

    def over_limit(self, route, chunked=False, send_body=False):
        """Sends ROUTE a body of 16 MiB + 1 byte (announced with
        Content-Length, or sent chunked); returns (status line, headers and
        body bytes)."""
        path = sample_path(route, self.context(route))
        head = ("%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
                % (route.method, path, self.admin.token))
        if chunked:
            head += "Transfer-Encoding: chunked\r\n\r\n"
        else:
            head += "Content-Length: %d\r\n\r\n" % (LIMIT + 1)
        answer = b""
        with socket.create_connection((HOST, self.server.port), timeout=30) as s:
            try:
                s.sendall(head.encode())
                if chunked or send_body:
                    piece = b"x" * MIB
                    # Chunked: 17 MiB; else exactly the 16 MiB + 1 announced.
                    for _ in range(17 if chunked else 16):
                        s.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                    if not chunked:
                        s.sendall(b"x")
                    if chunked:
                        s.sendall(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            except (socket.timeout, ConnectionResetError):
                pass
        return answer

    def assert_413(self, answer, what):
        head, _, body = answer.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 413 "), "%s: %r" % (what, answer[:300]))
        self.assertIn(b"content-type: application/json", head.lower(), what)
        if b"transfer-encoding: chunked" in head.lower():
            return  # the JSON body is chunked; its status and type suffice
        error = json.loads(body)["error"]
        self.assertEqual(error["code"], "payload_too_large", what)
        self.assertTrue(error["message"], what)

    def test_bodies_over_16_mib(self):
        for route in body_routes():
            with self.subTest(route=str(route)):
                self.assert_413(self.over_limit(route), "%s announcing 16 MiB + 1" % route)
        put = [r for r in body_routes() if r.pattern == "/api/v1/postmortems/:id" and r.method == "PUT"][0]
        self.assert_413(self.over_limit(put, send_body=True), "PUT with 17 MiB sent")
        self.assert_up("bodies over 16 MiB")
        answer = self.over_limit(put, chunked=True)
        self.assertTrue(answer.startswith(b"HTTP/1.1 413 ") or answer.startswith(b"HTTP/1.1 400 "),
                        "17 MiB chunked: %r" % answer[:300])
        self.assert_up("a chunked body over 16 MiB")
        pm = self.assert_ok(self.admin.get("/api/v1/postmortems/" + self.pm))
        self.assertEqual(pm["revision"], 1, "a body over the limit was saved")

    def test_bad_ids(self):
        for route in routes():
            if not route.params:
                continue
            ctx = self.context(route)
            for param in route.params:
                for bad in BAD_IDS:
                    if "/attachments/" in route.pattern and param == "name" and bad in ("a%2Fb", "%20"):
                        continue  # good attachment names ("a/b", " "): test_attachments.py
                    path = route.path(ctx, **{param: bad})
                    last = route.pattern.endswith(":" + param)
                    with self.subTest(route=str(route), param=param, value=bad[:20]):
                        reply = self.admin.request(route.method, path, json=sample_body(route, ctx))
                        if bad in ("..", "%2e%2e") and last:
                            # "/a/b/.." is "/a": another route, which may answer.
                            self.assertLess(reply.status, 500, reply)
                            continue
                        self.check(reply, "%s with %s=%r" % (route, param, bad[:40]))
                        if route.method == "GET" and route.of_postmortem and param == "id":
                            self.assertIn(reply.status, (400, 404), reply)
            self.assert_up("bad ids on %s" % route)
        self.assertEqual(self.assert_ok(self.admin.get("/api/v1/postmortems/" + self.pm))["revision"], 1)

    def test_bad_numbers(self):
        put = "/api/v1/postmortems/%s" % self.pm
        for base in (-1, 2 ** 63, 2 ** 64, 1e400, "1", 1.0, 0.5, True, None):
            with self.subTest(base_revision=base):
                raw = '{"markdown":%s,"base_revision":%s}' % (json.dumps(PUBLIC_PM),
                                                             "1e400" if base == 1e400 else json.dumps(base))
                self.check(self.admin.put(put, raw=raw), "base_revision %r" % base)
        for n in ("abc", "-1", "99999999999999999999", "1.5", "0x1", "1e3", "+1", " 1"):
            with self.subTest(revision=n):
                self.check(self.admin.get("%s/revisions/%s" % (put, n.replace(" ", "%20"))), "revision %r" % n)
            with self.subTest(action=n):
                reply = self.admin.put("%s/actions/%s" % (put, n.replace(" ", "%20")), {"status": "done"})
                self.check(reply, "action %r" % n)
        for n in (5, 9999):
            with self.subTest(action_number=n):
                self.check(self.admin.put("%s/actions/%d" % (put, n), {"status": "done"}), "action %d" % n, 404)
        self.assert_up("bad numbers")

    def test_bad_query_parameters(self):
        cases = {
            "/api/v1/postmortems": ["limit=-1", "limit=abc", "limit=99999999999999999999999", "limit=1e3",
                                    "limit=", "offset=-5", "offset=x", "sort=bogus", "sort=-", "status=bogus",
                                    "since=2026-13-45", "until=yesterday", "q=%ff", "q=%ed%a0%80", "q=a%00b"],
            "/api/v1/actions": ["status=bogus", "overdue=maybe", "today=2026-02-30", "today=tomorrow",
                                "owner=%ff"],
            "/api/v1/patterns": ["since=bad", "until=2026-00-01"],
            "/api/v1/audit": ["limit=-1", "limit=many"],
            "/api/v1/postmortems/%s/diff" % self.pm: ["from=abc", "to=-1", "from=1.5", "to="],
        }
        for path, bads in cases.items():
            for q in bads:
                with self.subTest(path=path, query=q):
                    self.check(self.admin.get(path + "?" + q), "%s?%s" % (path, q), 400, "bad_request")
        missing = self.admin.get("/api/v1/postmortems/%s/diff?from=99999&to=1" % self.pm)
        self.check(missing, "a diff from a revision that does not exist")
        self.assert_up("bad query parameters")

    def test_bad_names_and_ids_in_bodies(self):
        # "." and ".." are made only of allowed characters, but no URL can
        # name them ("/api/v1/teams/.." is "/api/v1"): they must be refused.
        bad_names = ["", "a" * 65, "../x", "a b", "a/b", "\u00fc", "a\nb", ".", "..", "x" * 10000]
        for name in bad_names:
            with self.subTest(user=name[:20]):
                reply = self.admin.post("/api/v1/users", {"name": name, "password": "password-123",
                                                          "role": "viewer", "teams": []})
                self.check(reply, "user %r" % name[:20], 400)
            with self.subTest(team=name[:20]):
                self.check(self.admin.post("/api/v1/teams", {"name": name}), "team %r" % name[:20], 400)
        for role in ("", "root", "Admin", "admin "):
            with self.subTest(role=role):
                reply = self.admin.post("/api/v1/users", {"name": "rolly", "password": "password-123", "role": role})
                self.check(reply, "role %r" % role, 400)
        for password in ("", "short", "x" * 1025):
            with self.subTest(password=password[:10]):
                reply = self.admin.post("/api/v1/users", {"name": "pwd", "password": password, "role": "viewer"})
                self.check(reply, "password of %d bytes" % len(password), 400)
        for team in (["no-such-team"], [""], ["sre", 5]):
            with self.subTest(teams=team):
                reply = self.admin.post("/api/v1/users", {"name": "teamless", "password": "password-123",
                                                          "role": "viewer", "teams": team})
                self.check(reply, "teams %r" % team)
        for pm_id in ("", "x" * 129, "../etc", "a b", "a/b", "\u00e9t\u00e9", "%41", ".", ".."):
            with self.subTest(id=pm_id[:20]):
                reply = self.admin.post("/api/v1/postmortems", {"markdown": postmortem("body-id"), "id": pm_id,
                                                                "owner_team": "sre"})
                self.check(reply, "post mortem id %r" % pm_id[:20], 400)
        for front_matter_id in (".", ".."):
            with self.subTest(front_matter_id=front_matter_id):
                reply = self.admin.post("/api/v1/postmortems", {"markdown": postmortem(front_matter_id),
                                                                "owner_team": "sre"})
                self.assertLess(reply.status, 500, reply)
                if reply.status == 201:  # the id came from elsewhere: it must be reachable
                    pm_id = reply.body["id"]
                    self.assertEqual(self.admin.get("/api/v1/postmortems/" + pm_id).status, 200, pm_id)
                    self.made_from_front_matter.add(pm_id)
        for fields in ({"visibility": "secret"}, {"visibility": ""}, {"owner_team": "no-such-team"},
                       {"owner_team": ""}):
            with self.subTest(fields=fields):
                body = dict({"markdown": postmortem("body-fields"), "owner_team": "sre"}, **fields)
                self.check(self.admin.post("/api/v1/postmortems", body), "create with %r" % fields)
        for markdown in ("", "\u0000", "   \n"):
            with self.subTest(markdown=markdown):
                reply = self.admin.post("/api/v1/postmortems", {"markdown": markdown, "owner_team": "sre"})
                self.check(reply, "markdown %r" % markdown, 400)
        for to in ("", "published-ish", "DRAFT", "archived"):
            with self.subTest(to=to):
                reply = self.admin.post("/api/v1/postmortems/%s/transitions" % self.pm, {"to": to})
                self.check(reply, "transition to %r" % to)
        for status in ("", "finished", "DONE"):
            with self.subTest(action_status=status):
                reply = self.admin.put("/api/v1/postmortems/%s/actions/1" % self.pm, {"status": status})
                self.check(reply, "action status %r" % status, 400)
        for body in ({"body": ""}, {"body": "x" * 20001}):
            with self.subTest(comment=len(body["body"])):
                reply = self.admin.post("/api/v1/postmortems/%s/comments" % self.pm, body)
                self.check(reply, "a comment of %d bytes" % len(body["body"]), 400)
        listed = self.assert_ok(self.admin.get(query("/api/v1/postmortems", limit=500)))
        self.assertEqual(sorted(i["id"] for i in listed["items"] if i["id"] not in self.made_from_front_matter),
                         sorted([self.pm, self.in_review]), "a bad create left a post mortem")
        self.assert_up("bad names and ids")

    made_from_front_matter = set()  # ids a test made on purpose

    def test_wrong_methods_answer_405_with_allow(self):
        allowed = {}
        for route in routes():
            allowed.setdefault(route.pattern, set()).add(route.method)
        for pattern, methods in allowed.items():
            route = [r for r in routes() if r.pattern == pattern][0]
            path = route.path(self.context(route))
            want = set(methods) | ({"HEAD"} if "GET" in methods else set())
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "PROPFIND", "FOO"):
                if method in methods:
                    continue
                with self.subTest(pattern=pattern, method=method):
                    reply = self.admin.request(method, path, json={} if method in ("POST", "PUT", "PATCH") else None)
                    self.check(reply, "%s %s" % (method, pattern), 405, "method_not_allowed")
                    got = {m.strip() for m in reply.headers.get("Allow", "").split(",") if m.strip()}
                    self.assertEqual(got, want, "%s %s: Allow %r" % (method, pattern, reply.headers.get("Allow")))
        self.assert_up("wrong methods")

    def test_bad_credentials_answer_401(self):
        bearers = ["Bearer", "Bearer ", "Bearer dbf_", "Bearer dbf_" + "0" * 64, "Bearer " + "x" * 10000,
                   "Basic YWRtaW46YWRtaW4tcGFzc3dvcmQtMQ==", "Bearer  " + self.admin.token + "x",
                   "Bearer " + self.admin.token[:-1], "Token " + self.admin.token, "Bearer %00"]
        nobody = self.anonymous()
        for value in bearers:
            with self.subTest(authorization=value[:30]):
                self.check(nobody.get("/api/v1/session", headers={"Authorization": value}),
                           "Authorization %r" % value[:30], 401, "unauthorized")
        cookies = ["debrief_session=", "debrief_session=garbage", "debrief_session=" + "a" * 5000,
                   "debrief_session", ";;;=;", "debrief_session=dbf_" + "0" * 64, "other=1; debrief_session=x",
                   "debrief_session=%00"]
        for value in cookies:
            with self.subTest(cookie=value[:30]):
                self.check(nobody.get("/api/v1/session", headers={"Cookie": value}),
                           "Cookie %r" % value[:30], 401, "unauthorized")
                reply = nobody.post("/api/v1/postmortems", {"markdown": postmortem("never")},
                                    headers={"Cookie": value, "X-CSRF-Token": "x"})
                self.check(reply, "a write with Cookie %r" % value[:30])
                self.assertIn(reply.status, (401, 403), reply)
        raw = (b"GET /api/v1/session HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\r\n"
               b"Cookie: debrief_session=\xff\r\nConnection: close\r\n\r\n")
        answer = raw_http(self.server, raw)
        self.assertTrue(answer.startswith(b"HTTP/1.1 401 ") or answer.startswith(b"HTTP/1.1 400 "), answer[:200])
        self.assert_error(self.admin.get("/api/v1/postmortems/never"), 404, "not_found")
        self.assert_up("bad credentials")

    def test_bad_input_through_a_session_cookie(self):
        ada = self.session_client(self.ada)
        put = "/api/v1/postmortems/%s" % self.pm
        for raw in MALFORMED[:4]:
            self.check(ada.put(put, raw=raw), "cookie PUT %r" % raw)
        self.check(ada.post("/api/v1/postmortems", raw=json.dumps({"markdown": postmortem("cookie-pm")}),
                            headers={"Content-Type": "text/plain"}), "cookie POST as text/plain")
        self.check(ada.post("/api/v1/postmortems", {"markdown": 5}), "cookie POST wrong type", 400)
        self.assert_up("bad input with a cookie")


if __name__ == "__main__":
    main()
