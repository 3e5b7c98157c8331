#!/usr/bin/env python3
"""test_workflow.py: the review workflow through the JSON API
(docs/api/workflow.md), on SQLite and PostgreSQL: draft → review →
published and back, 24 hours in review measured with the test clock,
approvals from reviewers of another team, an admin's logged override, the
reopen with a reason, and comments."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ApiCase, main, on_every_backend, postmortem, unique

PM = "/api/v1/postmortems"
DAY = 24 * 3600


class Team(ApiCase):
    """Teams sre (owner) and web; alice (author, sre), sam (reviewer, sre),
    rita (reviewer, web), rob (reviewer, web), walt (author, web), vera
    (viewer, sre)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.make_team("web")
        cls.alice = cls.token_client(cls.make_user("alice", "author", ["sre"]))
        cls.sam = cls.token_client(cls.make_user("sam", "reviewer", ["sre"]))
        cls.rita = cls.token_client(cls.make_user("rita", "reviewer", ["web"]))
        cls.rob = cls.token_client(cls.make_user("rob", "reviewer", ["web"]))
        cls.walt = cls.token_client(cls.make_user("walt", "author", ["web"]))
        cls.vera = cls.token_client(cls.make_user("vera", "viewer", ["sre"]))

    def new_pm(self):
        slug = self.create_pm(self.alice, postmortem(unique("wf"), team="sre"))
        return "%s/%s" % (PM, slug)

    def move(self, client, path, to, **more):
        return client.post(path + "/transitions", dict(more, to=to))

    def assert_workflow(self, reply, *fragments):
        """REPLY is a 422 workflow refusal whose reasons hold FRAGMENTS."""
        self.assert_error(reply, 422, "workflow")
        reasons = reply.body["error"]["reasons"]
        self.assertTrue(reasons, reply)
        for fragment in fragments:
            self.assertTrue(any(fragment in r for r in reasons), (fragment, reasons))
        return reasons


@on_every_backend
class TestPublishing(Team):
    def test_the_whole_way_with_the_clock(self):
        path = self.new_pm()
        self.assert_error(self.move(self.walt, path, "review"), 403, "forbidden")
        self.assert_error(self.move(self.vera, path, "review"), 403, "forbidden")
        self.assert_workflow(self.move(self.alice, path, "published"), "a draft goes to review")
        self.assert_workflow(self.rita.post(path + "/approvals", {}), "only a post mortem in review")
        self.assertEqual(self.assert_ok(self.move(self.alice, path, "review"))["status"], "review")

        # Nothing yet: too early and no approval.
        reasons = self.assert_workflow(self.move(self.alice, path, "published"),
                                       "to go", "needs 1 approval from reviewers of another team than 'sre'; has 0")
        self.assertTrue(any(r.startswith("in review for ") and r.endswith(" to go") for r in reasons), reasons)
        review = self.assert_ok(self.alice.get(path))["review"]
        self.assertFalse(review["can_publish"])
        # The same reasons, but for the time in review, which may have
        # passed a second between the two calls.
        timeless = lambda rs: [r for r in rs if not r.startswith("in review for ")]  # noqa: E731
        self.assertEqual(timeless(review["reasons"]), timeless(reasons))
        self.assertEqual(len(review["reasons"]), len(reasons))
        self.assertRegex(review["entered"], r"Z$")
        self.assertLess(review["seconds_in_review"], 600)

        # Approvals: not from the owner team, not from a mere author, once each.
        self.assert_workflow(self.sam.post(path + "/approvals", {"note": "fine"}),
                             "the approval must come from a reviewer of another team than 'sre'")
        self.assert_error(self.walt.post(path + "/approvals", {}), 403, "forbidden")
        self.assert_ok(self.rita.post(path + "/approvals", {"note": "Clear timeline."}), 201)
        self.assert_workflow(self.rita.post(path + "/approvals", {}), "already approved")
        approvals = self.assert_ok(self.vera.get(path + "/approvals"))
        self.assertEqual([(a["reviewer"], a["note"], a["counts"]) for a in approvals["items"]],
                         [("rita", "Clear timeline.", True)])
        self.assertEqual((approvals["counted"], approvals["needed"]), (1, 1))

        # Approved, but the day is not over.
        self.advance_clock(DAY - 3600)
        reasons = self.assert_workflow(self.move(self.alice, path, "published"), "23 h")
        self.assertEqual(len(reasons), 1, reasons)
        self.assertRegex(reasons[0], r"^in review for 23 h( \d+ min)?; (59 min|1 h)")
        self.advance_clock(3600)
        review = self.assert_ok(self.alice.get(path))["review"]
        self.assertTrue(review["can_publish"], review)
        self.assertGreaterEqual(review["seconds_in_review"], DAY)
        self.assert_error(self.move(self.rita, path, "published"), 403, "forbidden")
        self.assertEqual(self.assert_ok(self.move(self.alice, path, "published"))["status"], "published")
        self.assertEqual(self.alice.get(path).body["status"], "published")

        # Reopen: a reason is required, and kept.
        self.assert_workflow(self.move(self.alice, path, "draft"), "needs a reason")
        self.assert_workflow(self.move(self.alice, path, "review"), "reopen it to draft first")
        self.assert_ok(self.move(self.alice, path, "draft", reason="The root cause was wrong."))
        history = self.assert_ok(self.vera.get(path + "/transitions"))
        self.assertEqual(history["status"], "draft")
        self.assertEqual([(h["from"], h["to"], h["actor"]) for h in history["items"]],
                         [("draft", "review", "alice"), ("review", "published", "alice"),
                          ("published", "draft", "alice")])
        self.assertEqual(history["items"][2]["reason"], "The root cause was wrong.")

    def test_approvals_count_only_since_entering_review(self):
        path = self.new_pm()
        self.assert_ok(self.move(self.alice, path, "review"))
        self.assert_ok(self.rob.post(path + "/approvals"), 201)
        self.assert_ok(self.move(self.rita, path, "draft"))  # a reviewer sends it back
        self.assert_ok(self.move(self.alice, path, "review"))
        self.assertEqual(self.vera.get(path + "/approvals").body["items"], [])
        self.advance_clock(DAY + 60)
        self.assert_workflow(self.move(self.alice, path, "published"), "has 0")

    def test_a_reviewer_who_wrote_part_of_it_does_not_count(self):
        path = self.new_pm()
        pm = self.alice.get(path).body
        self.assert_ok(self.admin.put(path, {"markdown": pm["markdown"] + "\nA note.\n", "base_revision": 1}))
        self.assert_ok(self.move(self.alice, path, "review"))
        self.assert_workflow(self.admin.post(path + "/approvals", {}), "you wrote part of it")

    def test_bad_moves(self):
        path = self.new_pm()
        self.assert_error(self.move(self.alice, path, "archived"), 400, "bad_request")
        self.assert_error(self.alice.post(path + "/transitions", {}), 400, "bad_request")
        self.assert_error(self.alice.post(path + "/transitions", {"to": "review", "why": "x"}), 400)
        self.assert_workflow(self.move(self.alice, path, "draft"), "already")
        self.assert_error(self.move(self.alice, PM + "/no-such-pm", "review"), 404, "not_found")


@on_every_backend
class TestOverride(Team):
    def test_admin_overrides_with_a_logged_reason(self):
        path = self.new_pm()
        self.assert_ok(self.move(self.alice, path, "review"))
        self.assert_error(self.move(self.alice, path, "published", override=True, reason="please"),
                          403, "forbidden")
        self.assert_workflow(self.move(self.admin, path, "published", override=True), "needs a reason")
        self.assert_workflow(self.move(self.admin, path, "published"), "to go")
        body = self.assert_ok(self.move(self.admin, path, "published", override=True,
                                        reason="Legal needs it out today."))
        self.assertEqual((body["status"], body["overridden"]), ("published", True))
        audit = self.assert_ok(self.admin.get("/api/v1/audit"))["items"]
        overrides = [e for e in audit if e["action"] == "postmortem.override"]
        self.assertEqual(len(overrides), 1, audit)
        self.assertEqual(overrides[0]["target"], path.rsplit("/", 1)[1])
        self.assertIn("Legal needs it out today.", overrides[0]["detail"])
        self.assertIn("to go", overrides[0]["detail"])

        def overrides_logged(lines):
            return [e for e in lines if e.get("event") == "workflow.override"]

        events = overrides_logged(self.server.wait_log(overrides_logged))
        self.assertEqual([e.get("reason") for e in events], ["Legal needs it out today."])
        history = self.vera.get(path + "/transitions").body["items"]
        self.assertEqual(history[-1]["reason"], "Legal needs it out today.")

    def test_override_is_only_for_publishing(self):
        path = self.new_pm()
        self.assert_workflow(self.move(self.admin, path, "review", override=True, reason="x"),
                             "only to publishing")
        self.assert_error(self.move(self.vera, path, "review", override=True, reason="x"), 403)


@on_every_backend
class TestSameTeamRules(Team):
    """A server that lets the owner team review, wants two approvals and one
    hour in review."""

    server_args = ("--review-same-team", "--approvals", "2", "--review-hours", "1")

    def test_settings_change_the_rules(self):
        path = self.new_pm()
        self.assert_ok(self.move(self.alice, path, "review"))
        self.assert_ok(self.sam.post(path + "/approvals"), 201)
        self.advance_clock(3600)
        reasons = self.assert_workflow(self.move(self.alice, path, "published"), "needs 2 approvals; has 1")
        self.assertEqual(len(reasons), 1, reasons)
        self.assert_ok(self.rita.post(path + "/approvals"), 201)
        self.assert_ok(self.move(self.alice, path, "published"))


@on_every_backend
class TestComments(Team):
    def test_comments(self):
        path = self.new_pm()
        first = self.assert_ok(self.rita.post(path + "/comments", {"body": "Who paged whom at 14:15?"}), 201)
        second = self.assert_ok(self.alice.post(path + "/comments", {"body": "é" * 10000}), 201)
        self.assertNotEqual(first["id"], second["id"])
        items = self.assert_ok(self.vera.get(path + "/comments"))["items"]
        self.assertEqual([(c["id"], c["author"], c["body"]) for c in items],
                         [(first["id"], "rita", "Who paged whom at 14:15?"), (second["id"], "alice", "é" * 10000)])
        self.assertRegex(items[0]["created"], r"Z$")
        self.assert_error(self.vera.post(path + "/comments", {"body": "viewers only read"}), 403, "forbidden")
        self.assert_error(self.alice.post(path + "/comments", {"body": ""}), 400, "bad_request")
        self.assert_error(self.alice.post(path + "/comments", {"body": "x" * 20001}), 400, "bad_request")
        self.assert_ok(self.alice.post(path + "/comments", {"body": "x" * 20000}), 201)
        self.assert_error(self.alice.post(path + "/comments", {"text": "hi"}), 400, "bad_request")
        self.assertEqual(len(self.vera.get(path + "/comments").body["items"]), 3)


if __name__ == "__main__":
    main()
