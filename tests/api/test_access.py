#!/usr/bin/env python3
"""test_access.py: who may see and change a post mortem through the JSON API
(docs/api/workflow.md), on SQLite and PostgreSQL: visibility, the users and
teams named on a restricted post mortem, ownership moves with their
history, and 404 rather than 403 for whatever one may not see."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ApiCase, main, on_every_backend, postmortem, query, unique

PM = "/api/v1/postmortems"


@on_every_backend
class TestAccess(ApiCase):
    """Teams sec (owner), legal and web; sid (author, sec), sue (viewer,
    sec), lou (author, legal), lia (viewer, legal), wes (reviewer, web)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for team in ("sec", "legal", "web"):
            cls.make_team(team)
        cls.sid = cls.token_client(cls.make_user("sid", "author", ["sec"]))
        cls.sue = cls.token_client(cls.make_user("sue", "viewer", ["sec"]))
        cls.lou = cls.token_client(cls.make_user("lou", "author", ["legal"]))
        cls.lia = cls.token_client(cls.make_user("lia", "viewer", ["legal"]))
        cls.wes = cls.token_client(cls.make_user("wes", "reviewer", ["web"]))

    def restricted(self):
        slug = self.create_pm(self.sid, postmortem(unique("breach"), team="sec", restricted=True))
        return slug, "%s/%s" % (PM, slug)

    def sees(self, client, slug):
        status = client.get("%s/%s" % (PM, slug)).status
        listed = slug in {i["id"] for i in client.get(query(PM, limit=1000)).body["items"]}
        self.assertEqual(status == 200, listed, (client, slug))
        self.assertIn(status, (200, 404))
        return status == 200

    def test_grants_to_users_and_teams(self):
        slug, path = self.restricted()
        self.assertTrue(self.sees(self.sid, slug))
        self.assertTrue(self.sees(self.sue, slug))
        self.assertTrue(self.sees(self.admin, slug))
        for outsider in (self.lou, self.lia, self.wes):
            self.assertFalse(self.sees(outsider, slug))

        self.assert_ok(self.sid.post(path + "/access", {"user": "wes"}), 201)
        self.assert_ok(self.sid.post(path + "/access", {"team": "legal"}), 201)
        for insider in (self.lou, self.lia, self.wes):
            self.assertTrue(self.sees(insider, slug))
        access = self.assert_ok(self.lia.get(path + "/access"))
        self.assertEqual(access["visibility"], "restricted")
        self.assertEqual([(g["kind"], g["name"]) for g in access["grants"]],
                         [("user", "sid"), ("user", "wes"), ("team", "legal")])
        self.assertEqual(access["grants"][1]["user"], "wes")
        self.assertEqual(access["grants"][2]["team"], "legal")

        # Those named on it may read, not manage.
        self.assert_error(self.lou.post(path + "/access", {"user": "lia"}), 403, "forbidden")
        self.assert_error(self.wes.delete(path + "/access/team/legal"), 403, "forbidden")
        self.assert_error(self.sue.post(path + "/access", {"user": "lia"}), 403, "forbidden")

        self.assert_ok(self.sid.delete(path + "/access/team/legal"))
        self.assertFalse(self.sees(self.lou, slug))
        self.assertFalse(self.sees(self.lia, slug))
        self.assertTrue(self.sees(self.wes, slug))
        self.assert_ok(self.sid.delete(path + "/access/user/wes"))
        self.assertFalse(self.sees(self.wes, slug))

    def test_bad_grants(self):
        slug, path = self.restricted()
        self.assert_error(self.sid.post(path + "/access", {"user": "nobody-at-all"}), 400, "bad_request")
        self.assert_error(self.sid.post(path + "/access", {"user": "wes", "team": "web"}), 400)
        self.assert_error(self.sid.post(path + "/access", {}), 400)
        self.assert_error(self.sid.post(path + "/access", {"group": "web"}), 400)
        self.assert_error(self.sid.delete(path + "/access/group/web"), 404, "not_found")

    def test_outsiders_get_404_never_403(self):
        slug, path = self.restricted()
        missing = PM + "/" + unique("missing")
        requests = [
            ("GET", "", None), ("PUT", "", {"markdown": "# x\n", "base_revision": 1}),
            ("GET", "/revisions", None), ("GET", "/revisions/1", None), ("GET", "/diff", None),
            ("POST", "/redacted", None), ("GET", "/transitions", None),
            ("POST", "/transitions", {"to": "review"}), ("GET", "/approvals", None),
            ("POST", "/approvals", {}), ("GET", "/access", None), ("POST", "/access", {"user": "lia"}),
            ("DELETE", "/access/user/sid", None), ("PUT", "/visibility", {"visibility": "public"}),
            ("GET", "/owners", None), ("POST", "/owners", {"team": "legal", "reason": "x"}),
            ("GET", "/comments", None), ("POST", "/comments", {"body": "hello"}),
        ]
        for method, suffix, body in requests:
            for client in (self.lia, self.wes, self.lou):
                with self.subTest(method=method, route=suffix, client=client):
                    hidden = client.request(method, path + suffix, json=body)
                    absent = client.request(method, missing + suffix, json=body)
                    self.assert_error(hidden, 404, "not_found")
                    self.assertEqual(hidden.body, absent.body)
        pm = self.assert_ok(self.admin.get(path))
        self.assertEqual((pm["revision"], pm["visibility"], pm["owner_team"]), (1, "restricted", "sec"))

    def test_visibility(self):
        slug = self.create_pm(self.sid, postmortem(unique("open"), team="sec"))
        path = "%s/%s" % (PM, slug)
        self.assertTrue(self.sees(self.lia, slug))
        self.assert_error(self.lou.put(path + "/visibility", {"visibility": "restricted"}), 403, "forbidden")
        self.assert_error(self.sid.put(path + "/visibility", {"visibility": "internal"}), 400, "bad_request")
        body = self.assert_ok(self.sid.put(path + "/visibility", {"visibility": "restricted",
                                                                   "reason": "customer data"}))
        self.assertEqual(body["visibility"], "restricted")
        self.assertFalse(self.sees(self.lia, slug))
        self.assertTrue(self.sees(self.sue, slug))
        self.assert_ok(self.admin.put(path + "/visibility", {"visibility": "public"}))
        self.assertTrue(self.sees(self.lia, slug))

    def test_saving_a_text_that_asks_to_be_restricted_restricts_it(self):
        slug = self.create_pm(self.sid, postmortem(unique("later"), team="sec"))
        path = "%s/%s" % (PM, slug)
        text = self.sid.get(path).body["markdown"].replace("visibility: public", "visibility: restricted")
        self.assert_ok(self.sid.put(path, {"markdown": text, "base_revision": 1}))
        self.assertFalse(self.sees(self.lia, slug))
        self.assertEqual(self.sid.get(path).body["visibility"], "restricted")

    def test_ownership_moves_with_history(self):
        slug, path = self.restricted()
        self.assert_error(self.sid.post(path + "/owners", {"team": "legal"}), 400, "bad_request")
        self.assert_error(self.sid.post(path + "/owners", {"team": "legal", "reason": "  "}), 400)
        self.assert_error(self.sid.post(path + "/owners", {"team": "no-such-team", "reason": "x"}), 400)
        self.assert_error(self.sid.post(path + "/owners", {"team": "sec", "reason": "x"}), 409, "conflict")
        self.assert_error(self.sue.post(path + "/owners", {"team": "legal", "reason": "x"}), 403, "forbidden")
        body = self.assert_ok(self.sid.post(path + "/owners", {"team": "legal", "reason": "Legal fixes it."}))
        self.assertEqual(body["owner_team"], "legal")
        self.assertEqual(self.admin.get(path).body["owner_team"], "legal")
        # The new owner team sees it; sid, who gave it away, still does; sue no longer.
        self.assertTrue(self.sees(self.lia, slug))
        self.assertTrue(self.sees(self.sid, slug))
        self.assertFalse(self.sees(self.sue, slug))
        owners = self.assert_ok(self.lia.get(path + "/owners"))
        self.assertEqual(owners["owner_team"], "legal")
        moves = [(o["from"], o["to"], o["actor"], o["reason"]) for o in owners["items"]]
        self.assertIn(("sec", "legal", "sid", "Legal fixes it."), moves)
        self.assertRegex(owners["items"][-1]["created"], r"Z$")
        # Now legal's authors manage it, and sid (named, not owner) does not.
        self.assert_ok(self.lou.post(path + "/access", {"user": "wes"}), 201)
        self.assert_error(self.sid.post(path + "/access", {"user": "sue"}), 403, "forbidden")


if __name__ == "__main__":
    main()
