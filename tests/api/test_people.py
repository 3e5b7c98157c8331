#!/usr/bin/env python3
"""test_people.py: users, teams, memberships, API tokens and the audit log
of the JSON API (docs/api/people.md), on SQLite and PostgreSQL."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ADMIN_PASSWORD, ApiCase, Client, User, main, on_every_backend, query, unique


@on_every_backend
class TestUsers(ApiCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.make_team("web")
        cls.alice_user = cls.make_user("alice", "author", ["sre", "web"])
        cls.alice = cls.token_client(cls.alice_user)
        cls.bob = cls.token_client(cls.make_user("bob", "viewer"))

    def test_list(self):
        body = self.assert_ok(self.admin.get("/api/v1/users"))
        users = {u["name"]: u for u in body["items"]}
        self.assertEqual(users["alice"]["role"], "author")
        self.assertEqual(sorted(users["alice"]["teams"]), ["sre", "web"])
        self.assertEqual(users["admin"]["role"], "admin")
        self.assertEqual(users["bob"]["teams"], [])
        self.assertRegex(users["alice"]["created"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertNotIn("password", json.dumps(body))
        self.assertNotIn("hash", json.dumps(body))

    def test_list_is_for_admins(self):
        self.assert_error(self.alice.get("/api/v1/users"), 403, "forbidden")
        self.assert_error(self.anonymous().get("/api/v1/users"), 401, "unauthorized")

    def test_create(self):
        name = unique("new")
        reply = self.admin.post("/api/v1/users", {"name": name, "password": "long-enough", "teams": ["web"]})
        body = self.assert_ok(reply, 201)
        self.assertEqual((body["name"], body["role"], body["teams"]), (name, "viewer", ["web"]))
        self.assertEqual(self.sign_in(User(name, "long-enough", "viewer"))[0].status, 200)
        team = self.assert_ok(self.admin.get("/api/v1/teams/web"))
        self.assertIn(name, team["members"])

    def test_create_refusals(self):
        self.assert_error(self.admin.post("/api/v1/users", {"name": "alice", "password": "long-enough"}),
                          409, "conflict")
        name = unique("refused")
        for body in ({"name": name, "password": "short"},
                     {"name": name, "password": "x" * 1025},
                     {"name": name, "password": "long-enough", "role": "king"},
                     {"name": name, "password": "long-enough", "teams": ["no-such-team"]},
                     {"name": name, "password": "long-enough", "teams": "sre"},
                     {"name": name, "password": "long-enough", "teams": [3]},
                     {"name": name},
                     {"name": "bad name!", "password": "long-enough"},
                     {"name": ".", "password": "long-enough"},
                     {"name": "..", "password": "long-enough"},
                     {"name": name, "password": "long-enough", "email": "x@example.com"}):
            with self.subTest(body=body):
                self.assert_error(self.admin.post("/api/v1/users", body), 400, "bad_request")
        self.assert_error(self.admin.get("/api/v1/users/" + name), 404, "not_found")
        self.assert_ok(self.admin.post("/api/v1/users", {"name": unique("max"), "password": "y" * 1024}), 201)
        self.assert_error(self.alice.post("/api/v1/users", {"name": name, "password": "long-enough"}),
                          403, "forbidden")
        self.assert_error(self.admin.get("/api/v1/users/" + name), 404, "not_found")

    def test_get(self):
        body = self.assert_ok(self.admin.get("/api/v1/users/alice"))
        self.assertEqual(body["name"], "alice")
        self.assertEqual(self.assert_ok(self.alice.get("/api/v1/users/alice"))["role"], "author")
        self.assert_error(self.alice.get("/api/v1/users/bob"), 403, "forbidden")
        self.assert_error(self.bob.get("/api/v1/users/admin"), 403, "forbidden")
        self.assert_error(self.admin.get("/api/v1/users/nobody"), 404, "not_found")

    def test_admin_changes_role_and_password(self):
        user = self.make_user(unique("changed"), "viewer")
        stolen = self.session_client(user)  # a session made with the old password
        self.assert_ok(stolen.get("/api/v1/session"))
        body = self.assert_ok(self.admin.patch("/api/v1/users/" + user.name,
                                               {"role": "reviewer", "password": "new-password"}))
        self.assert_error(stolen.get("/api/v1/session"), 401, "unauthorized")
        self.assertEqual(body["role"], "reviewer")
        self.assertEqual(self.sign_in(User(user.name, "new-password", "reviewer"))[0].status, 200)
        reply = Client(self.server).post("/api/v1/session", {"name": user.name, "password": user.password})
        self.assertEqual(reply.status, 401, reply)

    def test_user_changes_own_password(self):
        user = self.make_user(unique("self"), "author")
        client = self.token_client(user)
        path = "/api/v1/users/" + user.name
        self.assert_error(client.patch(path, {"password": "another-one"}), 403, "forbidden")
        self.assert_error(client.patch(path, {"password": "another-one", "current_password": "wrong-one"}),
                          403, "forbidden")
        self.assert_error(client.patch(path, {"password": "tiny", "current_password": user.password}),
                          400, "bad_request")
        self.assert_ok(client.patch(path, {"password": "another-one", "current_password": user.password}))
        self.assertEqual(self.sign_in(User(user.name, "another-one", "author"))[0].status, 200)
        self.assert_error(client.patch(path, {"role": "admin"}), 403, "forbidden")
        self.assertEqual(self.assert_ok(self.admin.get(path))["role"], "author")
        self.assert_error(client.patch("/api/v1/users/alice", {"password": "stolen-one",
                                                               "current_password": "x"}), 403)
        self.assert_error(client.patch(path, {}), 400, "bad_request")

    def test_last_admin_keeps_the_role(self):
        self.assert_error(self.admin.patch("/api/v1/users/admin", {"role": "author"}), 409, "conflict")
        self.assertEqual(self.assert_ok(self.admin.get("/api/v1/users/admin"))["role"], "admin")
        second = self.make_user(unique("admin2"), "admin")
        self.assert_ok(self.admin.patch("/api/v1/users/" + second.name, {"role": "reviewer"}))
        self.assert_error(self.admin.patch("/api/v1/users/admin", {"role": "viewer"}), 409, "conflict")
        self.assert_ok(self.admin.patch("/api/v1/users/" + second.name, {"role": "admin"}))
        other = self.token_client(second)
        self.assertEqual(self.assert_ok(other.patch("/api/v1/users/admin", {"role": "reviewer"}))["role"],
                         "reviewer")
        self.assert_error(other.patch("/api/v1/users/" + second.name, {"role": "viewer"}), 409, "conflict")
        self.assert_ok(other.patch("/api/v1/users/admin", {"role": "admin"}))


@on_every_backend
class TestTeams(ApiCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.vic = cls.token_client(cls.make_user("vic", "viewer", ["sre"]))
        cls.make_user("wendy", "author")

    def test_list_names_for_anyone_signed_in(self):
        body = self.assert_ok(self.vic.get("/api/v1/teams"))
        self.assertIn({"name": "sre"}, body["items"])
        self.assertTrue(all(set(t) == {"name"} for t in body["items"]))
        self.assert_error(self.anonymous().get("/api/v1/teams"), 401)

    def test_create_and_get(self):
        name = unique("team")
        body = self.assert_ok(self.admin.post("/api/v1/teams", {"name": name}), 201)
        self.assertEqual((body["name"], body["members"]), (name, []))
        self.assertRegex(body["created"], r"^\d{4}-\d\d-\d\dT")
        self.assert_error(self.admin.post("/api/v1/teams", {"name": name}), 409, "conflict")
        for bad in ("no spaces", ".", "..", "x" * 65, ""):
            self.assert_error(self.admin.post("/api/v1/teams", {"name": bad}), 400, "bad_request")
        self.assert_error(self.admin.post("/api/v1/teams", {}), 400, "bad_request")
        self.assert_error(self.vic.post("/api/v1/teams", {"name": unique("team")}), 403, "forbidden")
        self.assertEqual(self.assert_ok(self.admin.get("/api/v1/teams/sre"))["members"], ["vic"])
        self.assert_error(self.vic.get("/api/v1/teams/sre"), 403, "forbidden")
        self.assert_error(self.admin.get("/api/v1/teams/nope"), 404, "not_found")

    def test_members(self):
        name = self.make_team(unique("crew"))
        path = "/api/v1/teams/%s/members/wendy" % name
        self.assertEqual(self.assert_ok(self.admin.put(path))["members"], ["wendy"])
        self.assertEqual(self.assert_ok(self.admin.put(path))["members"], ["wendy"])
        self.assertIn(name, self.assert_ok(self.admin.get("/api/v1/users/wendy"))["teams"])
        self.assertEqual(self.assert_ok(self.admin.delete(path))["members"], [])
        self.assertNotIn(name, self.assert_ok(self.admin.get("/api/v1/users/wendy"))["teams"])
        self.assert_error(self.vic.put(path), 403, "forbidden")
        self.assert_error(self.vic.delete("/api/v1/teams/sre/members/vic"), 403, "forbidden")
        self.assert_error(self.admin.put("/api/v1/teams/%s/members/nobody" % name), 404, "not_found")
        self.assert_error(self.admin.put("/api/v1/teams/nothing/members/wendy"), 404, "not_found")


@on_every_backend
class TestTokensAndAudit(ApiCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("ops")
        cls.tara_user = cls.make_user("tara", "author", ["ops"], password="tara-secret-password")
        cls.tara = cls.session_client(cls.tara_user)
        cls.uma = cls.token_client(cls.make_user("uma", "viewer", password="uma-secret-password"))

    def test_token_works_until_revoked(self):
        made = self.assert_ok(self.tara.post("/api/v1/tokens", {"label": "laptop"}), 201)
        self.assertEqual(made["label"], "laptop")
        self.assertRegex(made["token"], r"^dbf_[0-9a-f]{64}$")
        bearer = Client(self.server, token=made["token"])
        self.assertEqual(self.assert_ok(bearer.get("/api/v1/users/tara"))["name"], "tara")
        listed = self.assert_ok(bearer.get("/api/v1/tokens"))
        self.assertIn(made["id"], [t["id"] for t in listed["items"]])
        self.assertNotIn(made["token"], json.dumps(listed))
        self.assertTrue(all("token" not in t for t in listed["items"]))
        mine = next(t for t in listed["items"] if t["id"] == made["id"])
        self.assertEqual((mine["label"], mine["revoked"]), ("laptop", None))
        self.assert_error(self.uma.delete("/api/v1/tokens/%d" % made["id"]), 404, "not_found")
        self.assertEqual(bearer.get("/api/v1/tokens").status, 200)
        self.assert_ok(self.tara.delete("/api/v1/tokens/%d" % made["id"]))
        self.assert_error(bearer.get("/api/v1/tokens"), 401, "unauthorized")
        self.assert_error(self.tara.delete("/api/v1/tokens/%d" % made["id"]), 404, "not_found")
        listed = self.assert_ok(self.tara.get("/api/v1/tokens"))
        self.assertIsNotNone(next(t for t in listed["items"] if t["id"] == made["id"])["revoked"])

    def test_tokens_are_ones_own(self):
        made = self.assert_ok(self.uma.post("/api/v1/tokens", {}), 201)
        self.assertEqual(made["label"], "")
        self.assertNotIn(made["id"], [t["id"] for t in self.assert_ok(self.tara.get("/api/v1/tokens"))["items"]])
        self.assert_error(self.anonymous().post("/api/v1/tokens", {}), 401)
        self.assert_error(self.tara.post("/api/v1/tokens", {"label": "x" * 65}), 400, "bad_request")
        self.assert_error(self.tara.delete("/api/v1/tokens/abc"), 400, "bad_request")

    def test_audit_records_admin_writes_and_no_secret(self):
        name = unique("audited")
        password = "audit-secret-password"
        self.make_user(name, "viewer", password=password)
        self.assert_ok(self.admin.patch("/api/v1/users/" + name, {"password": "changed-secret-1", "role": "author"}))
        team = self.make_team(unique("audited-team"))
        self.assert_ok(self.admin.put("/api/v1/teams/%s/members/%s" % (team, name)))
        token = self.assert_ok(self.tara.post("/api/v1/tokens", {"label": "audit"}), 201)["token"]
        body = self.assert_ok(self.admin.get(query("/api/v1/audit", limit=1000)))
        entries = body["items"]
        mine = [(e["actor"], e["action"], e["target"]) for e in entries if e["actor"] == "admin"]
        self.assertIn(("admin", "admin.user.add", name), mine)
        self.assertIn(("admin", "admin.user.role", name), mine)
        self.assertIn(("admin", "admin.user.password", name), mine)
        self.assertIn(("admin", "admin.team.add", team), mine)
        self.assertIn(("admin", "admin.member.add", team), mine)
        self.assertRegex(entries[0]["created"], r"^\d{4}-\d\d-\d\dT")
        text = json.dumps(body)
        for secret in (password, "changed-secret-1", ADMIN_PASSWORD, "tara-secret-password", token,
                       self.admin.token, self.uma.token, self.tara.cookie):
            self.assertNotIn(secret, text)
        self.assertNotRegex(text, r"dbf_[0-9a-f]{64}")

    def test_audit_limit_and_refusals(self):
        self.assertEqual(len(self.assert_ok(self.admin.get(query("/api/v1/audit", limit=1)))["items"]), 1)
        self.assert_error(self.admin.get(query("/api/v1/audit", limit=0)), 400, "bad_request")
        self.assert_error(self.admin.get(query("/api/v1/audit", limit="many")), 400, "bad_request")
        self.assert_error(self.uma.get("/api/v1/audit"), 403, "forbidden")
        self.assert_error(self.tara.get("/api/v1/audit"), 403, "forbidden")
        self.assert_error(self.anonymous().get("/api/v1/audit"), 401)


if __name__ == "__main__":
    main()
