#!/usr/bin/env python3
"""test_attachments.py: the files a post mortem names, through the JSON API
(docs/api/attachments.md), on SQLite and PostgreSQL: bytes kept exactly,
versions added only for new bytes, names with slashes, bad names refused,
the download's headers, roles, CSRF, the 16 MiB limit of every body, and 404 for whoever may not see the post
mortem."""

import hashlib
import os
import socket
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import HOST, ApiCase, main, on_every_backend, postmortem, unique

PM = "/api/v1/postmortems"
OCTETS = {"Content-Type": "application/octet-stream"}
MIB = 1024 * 1024
ATTACHMENT_MAX = 16 * MIB
JSON_MAX = 16 * MIB
BAD_NAMES = ["..%2Fx", "%2Fabs", "a%2F%2Fb", "%00", "a%00b", "%ff", "a%5Cb", "metrics%2F..%2Fx",
             "x%2F", ".%2Fx", "%0Aevil", "x" * 300]


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def raw_request(port, head, body=b"", read=True):
    """Sends HEAD then BODY on a new connection; returns what came back
    until the server closed it."""
    answer = b""
    with socket.create_connection((HOST, port), timeout=60) as s:
        try:
            s.sendall(head.encode())
            for start in range(0, len(body), MIB):
                s.sendall(body[start:start + MIB])
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            while read:
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except (socket.timeout, ConnectionResetError):
            pass
    return answer


@on_every_backend
class TestAttachments(ApiCase):
    """Teams sre and web; ada (author, sre), vic (viewer, sre), otto
    (author, web). A public post mortem of sre and a restricted one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.make_team("web")
        cls.ada_user = cls.make_user("ada", "author", ["sre"])
        cls.ada = cls.token_client(cls.ada_user)
        cls.vic = cls.token_client(cls.make_user("vic", "viewer", ["sre"]))
        cls.otto = cls.token_client(cls.make_user("otto", "author", ["web"]))
        cls.pm = cls.create_pm(cls.ada, postmortem("files-public", team="sre"))
        cls.secret = cls.create_pm(cls.ada, postmortem("files-secret", team="sre", restricted=True))

    def url(self, name, pm=None, rest=""):
        return "%s/%s/attachments/%s%s" % (PM, pm or self.pm, name, rest)

    def put(self, client, name, data, pm=None, headers=OCTETS):
        return client.put(self.url(name, pm), raw=data, headers=headers)

    def test_binary_bytes_round_trip(self):
        data = bytes(range(256)) * 64 + b"\x00\r\n\xff"
        reply = self.put(self.ada, "blob.bin", data)
        body = self.assert_ok(reply, 201)
        self.assertEqual(body["name"], "blob.bin")
        self.assertEqual(body["version"], 1)
        self.assertEqual(body["revision"], 1)
        self.assertEqual(body["size"], len(data))
        self.assertEqual(body["sha256"], sha256(data))
        self.assertEqual(body["author"], "ada")
        self.assertRegex(body["created"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        got = self.ada.get(self.url("blob.bin"))
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.body, data)

    def test_download_headers(self):
        data = b"<script>alert(1)</script><svg onload=alert(2)>"
        self.assert_ok(self.put(self.ada, "img%2Fevil%22name.svg", data), 201)
        got = self.ada.get(self.url("img%2Fevil%22name.svg"))
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.body, data)
        h = got.headers
        self.assertEqual(h["Content-Type"], "application/octet-stream")
        self.assertEqual(h["X-Content-Type-Options"], "nosniff")
        self.assertIn("sandbox", h["Content-Security-Policy"].split(";")[0])
        self.assertEqual(h["ETag"], '"%s"' % sha256(data))
        disposition = h["Content-Disposition"]
        self.assertTrue(disposition.startswith('attachment; filename="evil_name.svg"'), disposition)
        self.assertIn("filename*=UTF-8''evil%22name.svg", disposition)
        plain = self.ada.get(self.url("blob-plain.csv"))
        self.assertEqual(plain.status, 404)
        self.assert_ok(self.put(self.ada, "metrics%2Fplain.csv", b"t,v\n"), 201)
        h = self.ada.get(self.url("metrics%2Fplain.csv")).headers
        self.assertEqual(h["Content-Disposition"], 'attachment; filename="plain.csv"')
        head = self.ada.request("HEAD", self.url("metrics%2Fplain.csv"))
        self.assertEqual(head.status, 200, head)
        self.assertEqual(head.body, b"")

    def test_equal_bytes_add_nothing_new_bytes_add_a_version(self):
        name = "metrics%2Fp99.csv"
        v1, v2 = b"time,p99\n2026-03-10T14:00:00Z,120\n", b"time,p99\n2026-03-10T14:00:00Z,180\n"
        first = self.assert_ok(self.put(self.ada, name, v1), 201)
        self.assertEqual(first["name"], "metrics/p99.csv")
        again = self.assert_ok(self.put(self.ada, name, v1), 200)
        self.assertEqual(again, first)
        second = self.assert_ok(self.put(self.admin, name, v2), 201)
        self.assertEqual((second["version"], second["author"]), (2, "admin"))
        self.assertEqual(self.ada.get(self.url(name)).body, v2)
        self.assertEqual(self.ada.get(self.url(name) + "?version=1").body, v1)
        self.assertEqual(self.ada.get(self.url(name) + "?version=2").body, v2)
        self.assert_error(self.ada.get(self.url(name) + "?version=3"), 404, "not_found")
        for bad in ("0", "-1", "abc", "1.5"):
            self.assert_error(self.ada.get(self.url(name) + "?version=" + bad), 400)
        # Back to the first bytes: they differ from the newest, so a version.
        third = self.assert_ok(self.put(self.ada, name, v1), 201)
        self.assertEqual((third["version"], third["sha256"]), (3, sha256(v1)))
        versions = self.assert_ok(self.ada.get(self.url(name, rest="/versions")))["versions"]
        self.assertEqual([v["version"] for v in versions], [1, 2, 3])
        self.assertEqual([v["author"] for v in versions], ["ada", "admin", "ada"])
        self.assertEqual([v["sha256"] for v in versions], [sha256(v1), sha256(v2), sha256(v1)])
        listed = self.assert_ok(self.ada.get("%s/%s/attachments" % (PM, self.pm)))["attachments"]
        p99 = [a for a in listed if a["name"] == "metrics/p99.csv"]
        self.assertEqual(len(p99), 1, listed)
        self.assertEqual(p99[0]["version"], 3)
        self.assertEqual(sorted(set(a["name"] for a in listed)), sorted(a["name"] for a in listed))
        self.assertEqual([a["name"] for a in listed], sorted(a["name"] for a in listed))
        self.assert_error(self.ada.get(self.url("nothing-here", rest="/versions")), 404, "not_found")

    def test_an_empty_file(self):
        body = self.assert_ok(self.put(self.ada, "empty.txt", b""), 201)
        self.assertEqual(body["size"], 0)
        self.assertEqual(self.ada.get(self.url("empty.txt")).body, b"")

    def test_bad_names_are_refused(self):
        pm = self.create_pm(self.ada, postmortem(unique("bad-names"), team="sre"))
        for bad in BAD_NAMES:
            with self.subTest(name=bad[:30]):
                reply = self.put(self.ada, bad, b"x", pm=pm)
                self.assert_error(reply, 400)
                for rest in ("", "/versions"):
                    got = self.ada.get(self.url(bad, pm, rest))
                    self.assertIn(got.status, (400, 404), got)
                    self.assert_error(got, got.status)
        self.assertEqual(self.assert_ok(self.ada.get("%s/%s/attachments" % (PM, pm)))["attachments"], [])
        self.assertTrue(self.server.alive())

    def test_outsiders_get_404_on_every_route(self):
        self.assert_ok(self.put(self.ada, "secret.png", b"\x89PNG secret", pm=self.secret), 201)
        missing = "no-such-postmortem"
        for client in (self.otto, self.session_client(self.otto.user)):
            for method, rest, data in (("GET", "", None), ("GET", "/secret.png", None),
                                       ("PUT", "/secret.png", b"overwritten"),
                                       ("GET", "/secret.png/versions", None)):
                with self.subTest(client=repr(client), route=method + rest):
                    hidden = client.request(method, "%s/%s/attachments%s" % (PM, self.secret, rest),
                                            raw=data, headers=OCTETS if data else None)
                    absent = client.request(method, "%s/%s/attachments%s" % (PM, missing, rest),
                                            raw=data, headers=OCTETS if data else None)
                    self.assert_error(hidden, 404, "not_found")
                    self.assertEqual(hidden.body, absent.body)
                    self.assertNotIn(b"secret", repr(hidden.body).encode())
        self.assertEqual(self.ada.get(self.url("secret.png", self.secret)).body, b"\x89PNG secret")
        self.assertEqual(len(self.assert_ok(self.ada.get(self.url("secret.png", self.secret, "/versions")))
                             ["versions"]), 1)

    def test_anonymous_gets_401(self):
        nobody = self.anonymous()
        self.assert_error(nobody.get("%s/%s/attachments" % (PM, self.pm)), 401)
        self.assert_error(self.put(nobody, "x.csv", b"x"), 401)

    def test_viewers_read_but_may_not_upload(self):
        self.assert_ok(self.put(self.ada, "shared.csv", b"a,b\n"), 201)
        self.assert_error(self.put(self.vic, "shared.csv", b"changed"), 403, "forbidden")
        self.assert_error(self.put(self.vic, "new.csv", b"new"), 403, "forbidden")
        self.assertEqual(self.vic.get(self.url("shared.csv")).body, b"a,b\n")
        listed = self.assert_ok(self.vic.get("%s/%s/attachments" % (PM, self.pm)))["attachments"]
        self.assertNotIn("new.csv", [a["name"] for a in listed])

    def test_a_cookie_upload_needs_the_csrf_token(self):
        session = self.session_client(self.ada_user)
        no_token = session.request("PUT", self.url("csrf.csv"), raw=b"x",
                                   headers=dict(OCTETS, **{"X-CSRF-Token": None}))
        self.assert_error(no_token, 403, "csrf")
        wrong = session.request("PUT", self.url("csrf.csv"), raw=b"x",
                                headers=dict(OCTETS, **{"X-CSRF-Token": "0" * 64}))
        self.assert_error(wrong, 403, "csrf")
        self.assert_error(self.ada.get(self.url("csrf.csv")), 404)
        self.assert_ok(self.put(session, "csrf.csv", b"x"), 201)
        self.assertEqual(session.get(self.url("csrf.csv")).body, b"x")

    def test_the_audit_log_records_uploads(self):
        self.assert_ok(self.put(self.ada, "audited.csv", b"1"), 201)
        entries = self.assert_ok(self.admin.get("/api/v1/audit"))
        text = repr(entries)
        self.assertIn("attachment", text)
        self.assertIn("audited.csv", text)

    def test_the_limit_itself_is_accepted(self):
        data = (bytes(range(251)) * (ATTACHMENT_MAX // 251 + 1))[:ATTACHMENT_MAX]
        body = self.assert_ok(self.put(self.ada, "big%2Fdump.bin", data), 201)
        self.assertEqual((body["size"], body["sha256"]), (len(data), sha256(data)))
        got = self.ada.get(self.url("big%2Fdump.bin"))
        self.assertEqual(len(got.body), len(data))
        self.assertEqual(sha256(got.body), sha256(data))

    def test_more_than_16_mib_are_refused(self):
        path = self.url("too%2Fbig.bin")
        head = ("PUT %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n"
                % (path, self.ada.token, ATTACHMENT_MAX + 1))
        for body in (b"", b"\x01" * (ATTACHMENT_MAX + 1)):
            with self.subTest(sent=len(body)):
                answer = raw_request(self.server.port, head, body)
                self.assertTrue(answer.startswith(b"HTTP/1.1 413 "), answer[:300])
                self.assertIn(b"payload_too_large", answer)
        self.assert_error(self.ada.get(self.url("too%2Fbig.bin")), 404)
        self.assertTrue(self.server.alive())

    def test_json_and_form_bodies_have_the_same_limit(self):
        big = b'{"markdown":"' + b"x" * JSON_MAX + b'","base_revision":1}'
        head = ("PUT %s/%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                % (PM, self.pm, self.ada.token, len(big)))
        answer = raw_request(self.server.port, head, big)
        self.assertTrue(answer.startswith(b"HTTP/1.1 413 "), answer[:300])
        self.assertIn(b"payload_too_large", answer)
        self.assertIn(b"16777216", answer)
        form = b"markdown=" + b"x" * (JSON_MAX + 1)
        head = ("POST /preview HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
                % (self.ada.token, len(form)))
        self.assertTrue(raw_request(self.server.port, head, form).startswith(b"HTTP/1.1 413 "))
        pm = self.assert_ok(self.ada.get("%s/%s" % (PM, self.pm)))
        self.assertEqual(pm["revision"], 1)

    def test_a_name_is_decoded_once_whatever_the_path(self):
        """Dot segments are resolved in the path as sent, whose escapes are
        kept: a name is decoded once, so "a%2541" is "a%41", never "aA"."""
        pm = self.create_pm(self.ada, postmortem(unique("decode-once"), team="sre"))
        self.assert_ok(self.put(self.ada, "metrics%2FaA.csv", b"t,v\n", pm=pm), 201)
        via_dots = "%s/./%s/x/../attachments/metrics%%2FaA.csv" % (PM, pm)
        self.assertEqual(self.assert_ok(self.ada.get(via_dots)), b"t,v\n")
        for twice in ("%s/./%s/attachments/metrics%%2Fa%%2541.csv" % (PM, pm),
                      "%s/%s/attachments/metrics%%2Fa%%2541.csv" % (PM, pm)):
            with self.subTest(path=twice):
                got = self.ada.get(twice)
                self.assertIn(got.status, (400, 404), got)

    def test_a_slash_in_an_id_is_not_a_path(self):
        """An escaped slash stays inside its segment: it cannot reach
        another post mortem's route."""
        reply = self.ada.get("%s/%s%%2Fattachments" % (PM, self.pm))
        self.assert_error(reply, 404)


if __name__ == "__main__":
    main()
