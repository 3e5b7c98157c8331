#!/usr/bin/env python3
"""test_actions.py: the action items, patterns and lint routes of the JSON
API (docs/api/analysis.md), on SQLite and PostgreSQL.

The same post mortems are written to files and given to `debrief actions`,
`debrief patterns` and `debrief lint`: the API must answer what the CLI
does, and a restricted post mortem must change nothing for someone who may
not see it.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (DEBRIEF, PUBLIC_PM, RESTRICTED_PM, ApiCase, main, on_every_backend,
                     postmortem, query)

TODAY = "2026-04-15"

# Two public post mortems of team sre with items due before and after
# TODAY, and one of team web; RESTRICTED_PM belongs to team payments.
SRE_PM = postmortem("2026-03-db-failover", team="sre", title="Database failover took 20 minutes",
                    service="orders-db", started="2026-03-02",
                    actions=[("Page the database on-call on replication lag", "@alice", "2026-03-20", "open"),
                             ("Add a failover drill to the quarterly plan", "@bob", "2026-05-01", "open"),
                             ("Document the manual failover steps", "@alice", "2026-03-10", "done")])
SRE_PM2 = postmortem("2026-02-cache-stampede", team="sre", title="Cache stampede after a deploy",
                     service="catalog-cache", started="2026-02-11",
                     actions=[("Add jitter to cache expiry", "@bob", "2026-02-28", "open"),
                              ("Load test the catalog before deploys", "@Alice Smith", "", "open")])
WEB_PM = postmortem("2026-01-web-timeouts", team="web", title="Web timeouts at peak traffic",
                    service="web-frontend", started="2026-01-20",
                    actions=[("Raise the connection pool limit", "@erin", "2026-02-01", "done")])
PUBLIC = {"2026-03-db-failover": SRE_PM, "2026-02-cache-stampede": SRE_PM2,
          "2026-01-web-timeouts": WEB_PM, "2026-03-cdn-outage": PUBLIC_PM}
EVERYTHING = dict(PUBLIC, **{"2026-04-card-leak": RESTRICTED_PM})

COMPARED = ("postmortem", "number", "description", "owner", "due", "priority", "lessons", "status",
            "link", "days_overdue", "title")


def run_cli(args):
    p = subprocess.run([DEBRIEF] + args, capture_output=True, text=True, timeout=60)
    if p.returncode not in (0, 1):
        raise AssertionError("debrief %s: %d\n%s" % (" ".join(args), p.returncode, p.stderr))
    return json.loads(p.stdout)


class Files:
    """The texts of DOCS ({id: markdown}) as ID.md in a temporary folder."""

    def __init__(self, docs):
        self.dir = tempfile.mkdtemp(prefix="debrief-api-cli-")
        for slug, text in docs.items():
            with open(os.path.join(self.dir, slug + ".md"), "w") as f:
                f.write(text)

    def path(self, slug):
        return os.path.join(self.dir, slug + ".md")

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def strip_paths(value, folder):
    """VALUE with every string that is a file of FOLDER replaced by its id
    (the file name without .md), as the API names post mortems."""
    if isinstance(value, dict):
        return {k: strip_paths(v, folder) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_paths(v, folder) for v in value]
    if isinstance(value, str) and value.startswith(folder + os.sep) and value.endswith(".md"):
        return os.path.basename(value)[:-3]
    return value


class AnalysisCase(ApiCase):
    """Teams sre, web and payments; alice (author, sre), vic (viewer, sre)
    and carol (author, payments); the post mortems of EVERYTHING."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for team in ("sre", "web", "payments"):
            cls.make_team(team)
        cls.alice = cls.token_client(cls.make_user("alice", "author", ["sre"]))
        cls.vic = cls.token_client(cls.make_user("vic", "viewer", ["sre"]))
        cls.carol = cls.token_client(cls.make_user("carol", "author", ["payments"]))
        owners = {"2026-03-db-failover": "sre", "2026-02-cache-stampede": "sre",
                  "2026-01-web-timeouts": "web", "2026-03-cdn-outage": "sre",
                  "2026-04-card-leak": "payments"}
        for slug, text in EVERYTHING.items():
            cls.create_pm(cls.admin, text, owner_team=owners[slug])
        cls.files = {"public": Files(PUBLIC), "all": Files(EVERYTHING)}
        cls.addClassCleanup(lambda: [f.remove() for f in cls.files.values()])

    def cli_actions(self, which, *args):
        return run_cli(["actions", "--format", "json", "--today", TODAY] + list(args) +
                       [self.files[which].dir])

    def assert_same_actions(self, api, cli):
        self.assertEqual([[i[k] for k in COMPARED] for i in api["items"]],
                         [[i[k] for k in COMPARED] for i in cli["items"]])
        for key in ("total", "open", "done", "overdue", "completion_rate", "today"):
            self.assertEqual(api["summary"][key], cli["summary"][key], key)


@on_every_backend
class TestActionList(AnalysisCase):

    def test_list_is_the_cli_list_of_what_one_may_see(self):
        body = self.assert_ok(self.alice.get(query("/api/v1/actions", today=TODAY)))
        self.assertGreater(len(body["items"]), 5)
        self.assert_same_actions(body, self.cli_actions("public"))
        self.assertNotIn("2026-04-card-leak", {i["postmortem"] for i in body["items"]})

    def test_restricted_items_only_for_those_who_may_see_them(self):
        for client in (self.carol, self.admin):
            body = self.assert_ok(client.get(query("/api/v1/actions", today=TODAY)))
            self.assert_same_actions(body, self.cli_actions("all"))
            self.assertIn("2026-04-card-leak", {i["postmortem"] for i in body["items"]})
        for client in (self.alice, self.vic):
            body = self.assert_ok(client.get(query("/api/v1/actions", today=TODAY)))
            self.assertEqual(body["summary"]["total"], self.cli_actions("public")["summary"]["total"])
            reply = client.get(query("/api/v1/actions", postmortem="2026-04-card-leak"))
            self.assert_error(reply, 404, "not_found")

    def test_overdue_first_most_overdue_first(self):
        body = self.assert_ok(self.alice.get(query("/api/v1/actions", today=TODAY)))
        overdue = [i["days_overdue"] for i in body["items"] if i["days_overdue"] > 0]
        self.assertEqual(overdue, sorted(overdue, reverse=True))
        self.assertTrue(overdue)
        first_not = next(n for n, i in enumerate(body["items"]) if i["days_overdue"] == 0)
        self.assertTrue(all(i["days_overdue"] == 0 for i in body["items"][first_not:]))
        # 2026-02-28 is 46 days before 2026-04-15
        self.assertEqual(body["items"][0]["description"], "Add jitter to cache expiry")
        self.assertEqual(body["items"][0]["days_overdue"], 46)

    def test_server_fields(self):
        body = self.assert_ok(self.alice.get(query("/api/v1/actions", today=TODAY)))
        item = next(i for i in body["items"] if i["postmortem"] == "2026-03-db-failover")
        self.assertEqual(item["title"], "Database failover took 20 minutes")
        self.assertIsNone(item["marked"])
        self.assertIsNone(item["marked_by"])
        self.assertNotIn("path", item)

    def test_filters_match_the_cli(self):
        cases = [({"owner": "alice"}, ["--owner", "alice"]),
                 ({"owner": "@bob"}, ["--owner", "@bob"]),
                 ({"status": "open"}, ["--status", "open"]),
                 ({"status": "done"}, ["--status", "done"]),
                 ({"overdue": "true"}, ["--overdue"])]
        for params, args in cases:
            with self.subTest(params=params):
                body = self.assert_ok(self.alice.get(query("/api/v1/actions", today=TODAY, **params)))
                self.assertTrue(body["items"])
                self.assert_same_actions(body, self.cli_actions("public", *args))
        body = self.assert_ok(self.alice.get(query("/api/v1/actions", today=TODAY, status="all")))
        self.assert_same_actions(body, self.cli_actions("public"))

    def test_team_and_postmortem_filters(self):
        body = self.assert_ok(self.alice.get(query("/api/v1/actions", today=TODAY, team="web")))
        self.assertEqual({i["postmortem"] for i in body["items"]}, {"2026-01-web-timeouts"})
        body = self.assert_ok(self.alice.get(query("/api/v1/actions", today=TODAY, team="sre")))
        self.assertEqual({i["postmortem"] for i in body["items"]},
                         {"2026-03-db-failover", "2026-02-cache-stampede", "2026-03-cdn-outage"})
        body = self.assert_ok(self.alice.get(query("/api/v1/actions", team="payments")))
        self.assertEqual(body["items"], [])
        self.assertEqual(body["summary"]["total"], 0)
        body = self.assert_ok(self.alice.get(query("/api/v1/actions", postmortem="2026-03-db-failover",
                                                   today=TODAY)))
        self.assertEqual([i["number"] for i in body["items"]], [1, 3, 2])
        self.assert_error(self.alice.get(query("/api/v1/actions", team="nobody")), 404, "not_found")
        self.assert_error(self.alice.get(query("/api/v1/actions", postmortem="no-such-pm")), 404)

    def test_today_defaults_to_the_server_date(self):
        body = self.assert_ok(self.alice.get("/api/v1/actions"))
        self.assertRegex(body["summary"]["today"], r"^\d{4}-\d{2}-\d{2}$")
        self.assertGreaterEqual(body["summary"]["today"], "2026-01-01")

    def test_bad_queries(self):
        for params in ({"status": "closed"}, {"today": "2026-02-30"}, {"today": "tomorrow"},
                       {"overdue": "yes"}, {"owner": "@"}):
            with self.subTest(params=params):
                self.assert_error(self.alice.get(query("/api/v1/actions", **params)), 400, "bad_request")
        self.assert_error(self.anonymous().get("/api/v1/actions"), 401)


@on_every_backend
class TestMarkAction(AnalysisCase):

    def item(self, client, slug, number):
        body = self.assert_ok(client.get(query("/api/v1/actions", postmortem=slug, today=TODAY)))
        return next(i for i in body["items"] if i["number"] == number)

    def test_mark_done_with_a_link(self):
        path = "/api/v1/postmortems/2026-03-db-failover/actions/1"
        before = self.assert_ok(self.alice.get(query("/api/v1/actions", today=TODAY)))["summary"]
        item = self.assert_ok(self.alice.put(path, {"status": "done", "link": "https://tickets.example/42"}))
        self.assertEqual(item["status"], "done")
        self.assertEqual(item["link"], "https://tickets.example/42")
        self.assertEqual(item["marked_by"], "alice")
        self.assertIsNotNone(item["marked"])
        self.assertEqual(item["days_overdue"], 0)
        self.assertEqual(item["description"], "Page the database on-call on replication lag")
        self.assertEqual(self.item(self.vic, "2026-03-db-failover", 1)["status"], "done")
        after = self.assert_ok(self.alice.get(query("/api/v1/actions", today=TODAY)))["summary"]
        self.assertEqual(after["done"], before["done"] + 1)
        self.assertEqual(after["open"], before["open"] - 1)
        self.assertEqual(after["overdue"], before["overdue"] - 1)
        done = self.assert_ok(self.alice.get(query("/api/v1/actions", status="done", today=TODAY)))
        self.assertIn(("2026-03-db-failover", 1), {(i["postmortem"], i["number"]) for i in done["items"]})

    def test_each_revision_lists_its_own_items(self):
        # The items of a revision are kept between requests: a new revision
        # must be read at once, on every thread of the server.
        slug = "2026-04-queue-backlog"
        first = postmortem(slug, team="sre", actions=[("Alert on queue age", "@alice", "2026-04-01", "open")])
        self.create_pm(self.admin, first, owner_team="sre")
        for _ in range(4):
            items = self.assert_ok(self.vic.get(query("/api/v1/actions", postmortem=slug, today=TODAY)))["items"]
            self.assertEqual([i["description"] for i in items], ["Alert on queue age"])
        pm = self.assert_ok(self.admin.get("/api/v1/postmortems/" + slug))
        second = postmortem(slug, team="sre", actions=[("Alert on queue age", "@alice", "2026-04-01", "open"),
                                                        ("Shed load at the queue's limit", "@bob", "2026-05-01",
                                                         "open")])
        self.assert_ok(self.admin.put("/api/v1/postmortems/" + slug,
                                      {"markdown": second, "base_revision": pm["revision"]}))
        for _ in range(4):
            items = self.assert_ok(self.vic.get(query("/api/v1/actions", postmortem=slug, today=TODAY)))["items"]
            self.assertEqual([i["description"] for i in items],
                             ["Alert on queue age", "Shed load at the queue's limit"])
        self.assert_ok(self.alice.put("/api/v1/postmortems/%s/actions/2" % slug, {"status": "done"}))
        for _ in range(4):
            items = self.assert_ok(self.vic.get(query("/api/v1/actions", postmortem=slug, today=TODAY)))["items"]
            self.assertEqual([i["status"] for i in items], ["open", "done"])

    def test_patterns_follow_each_revision(self):
        # What the report keeps of a revision is kept between requests too.
        slug = "2026-04-disk-full"
        self.create_pm(self.admin, postmortem(slug, team="sre", title="Disk filled on the primary"),
                       owner_team="sre")

        def title():
            # No 'today': entries are kept for the server's own day only.
            body = self.assert_ok(self.vic.get("/api/v1/patterns"))
            return next(d["title"] for d in body["postmortems"] if d["path"] == slug)

        for _ in range(4):
            self.assertEqual(title(), "Disk filled on the primary")
        pm = self.assert_ok(self.admin.get("/api/v1/postmortems/" + slug))
        self.assert_ok(self.admin.put("/api/v1/postmortems/" + slug,
                                      {"markdown": postmortem(slug, team="sre", title="Disk filled on the replica"),
                                       "base_revision": pm["revision"]}))
        for _ in range(4):
            self.assertEqual(title(), "Disk filled on the replica")

    def test_mark_done_without_a_link_says_so(self):
        item = self.assert_ok(self.carol.put("/api/v1/postmortems/2026-02-cache-stampede/actions/2",
                                             {"status": "done"}))
        self.assertEqual(item["status"], "done")
        self.assertEqual(item["link"], "")
        self.assertEqual(item["marked_by"], "carol")

    def test_other_statuses(self):
        path = "/api/v1/postmortems/2026-03-cdn-outage/actions/1"
        item = self.assert_ok(self.alice.put(path, {"status": "in-progress"}))
        self.assertEqual(item["status"], "in-progress")
        open_items = self.assert_ok(self.alice.get(query("/api/v1/actions", status="open",
                                                         postmortem="2026-03-cdn-outage")))
        self.assertIn(1, [i["number"] for i in open_items["items"]])
        item = self.assert_ok(self.alice.put(path, {"status": "wont-do"}))
        self.assertEqual(item["status"], "wont-do")
        body = self.assert_ok(self.alice.get(query("/api/v1/actions", postmortem="2026-03-cdn-outage")))
        self.assertEqual(body["summary"]["done"], 2)
        item = self.assert_ok(self.alice.put(path, {"status": "open"}))
        self.assertEqual(item["status"], "open")

    def test_an_admins_mark_is_audited(self):
        self.assert_ok(self.admin.put("/api/v1/postmortems/2026-03-db-failover/actions/2",
                                      {"status": "in-progress", "link": "https://t.example/7"}))
        entries = self.assert_ok(self.admin.get(query("/api/v1/audit", limit=20)))["items"]
        self.assertIn(("admin", "action.mark", "2026-03-db-failover"),
                      [(e["actor"], e["action"], e["target"]) for e in entries])

    def test_refusals(self):
        path = "/api/v1/postmortems/2026-01-web-timeouts/actions/1"
        self.assert_error(self.vic.put(path, {"status": "done"}), 403, "forbidden")
        self.assert_error(self.anonymous().put(path, {"status": "done"}), 401)
        self.assert_error(self.alice.put(path, {"status": "finished"}), 400, "bad_request")
        self.assert_error(self.alice.put(path, {}), 400, "bad_request")
        self.assert_error(self.alice.put(path, {"status": "done", "colour": "red"}), 400, "bad_request")
        self.assert_error(self.alice.put(path, {"status": 1}), 400, "bad_request")
        self.assert_error(self.alice.put("/api/v1/postmortems/2026-01-web-timeouts/actions/9",
                                         {"status": "done"}), 404, "not_found")
        self.assert_error(self.alice.put("/api/v1/postmortems/2026-01-web-timeouts/actions/x",
                                         {"status": "done"}), 400, "bad_request")
        self.assert_error(self.alice.put("/api/v1/postmortems/2026-01-web-timeouts/actions/0",
                                         {"status": "done"}), 400, "bad_request")
        self.assert_error(self.alice.put("/api/v1/postmortems/nothing-here/actions/1",
                                         {"status": "done"}), 404, "not_found")
        self.assertEqual(self.item(self.admin, "2026-01-web-timeouts", 1)["marked"], None)

    def test_restricted_is_404_for_outsiders_even_viewers(self):
        path = "/api/v1/postmortems/2026-04-card-leak/actions/1"
        for client in (self.alice, self.vic):
            reply = client.put(path, {"status": "done"})
            self.assert_error(reply, 404, "not_found")
            missing = client.put("/api/v1/postmortems/2026-04-missing/actions/1", {"status": "done"})
            self.assertEqual(json.dumps(reply.body).replace("2026-04-card-leak", "ID"),
                             json.dumps(missing.body).replace("2026-04-missing", "ID"))
        self.assertIsNone(self.item(self.carol, "2026-04-card-leak", 1)["marked"])
        item = self.assert_ok(self.carol.put(path, {"status": "done", "link": "https://t.example/9"}))
        self.assertEqual(item["marked_by"], "carol")


@on_every_backend
class TestPatterns(AnalysisCase):

    def cli_patterns(self, which, *args):
        folder = self.files[which].dir
        out = run_cli(["patterns", "--format", "json", "--today", TODAY] + list(args) + [folder])
        return strip_paths(out, folder)

    def test_patterns_are_the_cli_report_of_what_one_may_see(self):
        body = self.assert_ok(self.alice.get(query("/api/v1/patterns", today=TODAY)))
        self.assertEqual(body, self.cli_patterns("public"))
        self.assertTrue(body["periods"])
        self.assertEqual(sum(p["postmortems"] for p in body["periods"]), len(PUBLIC))

    def test_restricted_changes_no_count_for_outsiders(self):
        outsider = self.assert_ok(self.vic.get(query("/api/v1/patterns", today=TODAY)))
        insider = self.assert_ok(self.carol.get(query("/api/v1/patterns", today=TODAY)))
        self.assertEqual(outsider, self.cli_patterns("public"))
        self.assertEqual(insider, self.cli_patterns("all"))
        self.assertNotEqual(outsider["periods"], insider["periods"])
        self.assertNotIn("2026-04-card-leak", json.dumps(outsider))
        self.assertNotIn("fraud", json.dumps(outsider))

    def test_since_and_until(self):
        body = self.assert_ok(self.alice.get(query("/api/v1/patterns", today=TODAY, since="2026-02-01")))
        self.assertEqual(body, self.cli_patterns("public", "--since", "2026-02-01"))
        body = self.assert_ok(self.alice.get(query("/api/v1/patterns", today=TODAY, until="2026-02-28")))
        self.assertEqual(sum(p["postmortems"] for p in body["periods"]), 2)
        body = self.assert_ok(self.alice.get(query("/api/v1/patterns", today=TODAY, period="month")))
        self.assertEqual(body, self.cli_patterns("public", "--period", "month"))

    def test_bad_queries(self):
        for params in ({"since": "2026-13-01"}, {"until": "soon"}, {"period": "week"}):
            with self.subTest(params=params):
                self.assert_error(self.alice.get(query("/api/v1/patterns", **params)), 400, "bad_request")
        self.assert_error(self.anonymous().get("/api/v1/patterns"), 401)


@on_every_backend
class TestLint(ApiCase):

    def cli_lint(self, markdown):
        files = Files({"posted": markdown})
        try:
            out = run_cli(["lint", "--format", "json", "--checklist", "--today", TODAY, files.path("posted")])
        finally:
            files.remove()
        review = out["files"][0]
        del review["path"]
        return review

    def test_lint_is_the_cli_review(self):
        vic = self.token_client(self.make_user("linter", "viewer"))
        for text in (PUBLIC_PM, RESTRICTED_PM, "# Outage\n\nSomething broke.\n"):
            with self.subTest(text=text[:40]):
                body = self.assert_ok(vic.post("/api/v1/lint", {"markdown": text, "today": TODAY}))
                self.assertEqual(body, self.cli_lint(text))
        body = self.assert_ok(vic.post("/api/v1/lint", {"markdown": "# Outage\n\nSomething broke.\n"}))
        self.assertLess(body["score"], 50)
        self.assertTrue(any(f["severity"] == "error" for f in body["findings"]))
        self.assertEqual(len(body["checklist"]), 5)

    def test_lint_refusals(self):
        self.assert_error(self.anonymous().post("/api/v1/lint", {"markdown": PUBLIC_PM}), 401)
        self.assert_error(self.admin.post("/api/v1/lint", {}), 400, "bad_request")
        self.assert_error(self.admin.post("/api/v1/lint", {"markdown": 3}), 400, "bad_request")
        self.assert_error(self.admin.post("/api/v1/lint", {"markdown": "x", "extra": 1}), 400, "bad_request")
        self.assert_error(self.admin.post("/api/v1/lint", {"markdown": "x", "today": "2026/01/01"}), 400,
                          "bad_request")
        self.assert_error(self.admin.post("/api/v1/lint", raw="{"), 400, "bad_request")
        broken = "---\ntitle: [unclosed\n---\n# T\n"
        reply = self.admin.post("/api/v1/lint", {"markdown": broken})
        self.assert_error(reply, 400, "bad_request")
        self.assertRegex(reply.body["error"]["message"], r"^\d+:\d+: ")


if __name__ == "__main__":
    main()
