#!/usr/bin/env python3
"""test_postmortems.py: post mortems and their revisions through the JSON API
(docs/api/postmortems.md), on SQLite and PostgreSQL: create, read with the
review and timeline the CLI would give, list, search, filter, sort and page,
save with the conflict rule, the history, one revision, diffs, and the
redacted copy for everyone."""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEBRIEF, ApiCase, main, on_every_backend, postmortem, query, unique

PM = "/api/v1/postmortems"


def cli_json(args, text):
    """`debrief ARGS FILE --format json` on TEXT written to a file."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "pm.md")
        with open(path, "w") as f:
            f.write(text)
        p = subprocess.run([DEBRIEF] + args + ["--format", "json", path], capture_output=True,
                           text=True, timeout=60)
        if p.returncode not in (0, 1):
            raise AssertionError("debrief %s: %d %s" % (args, p.returncode, p.stderr))
        return json.loads(p.stdout)


class Writers(ApiCase):
    """Teams sre and web; alice and ann (authors, sre), walt (author, web),
    vera (viewer, sre), nora (author of no team)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.make_team("web")
        cls.alice = cls.token_client(cls.make_user("alice", "author", ["sre"]))
        cls.ann = cls.token_client(cls.make_user("ann", "author", ["sre"]))
        cls.walt = cls.token_client(cls.make_user("walt", "author", ["web"]))
        cls.vera = cls.token_client(cls.make_user("vera", "viewer", ["sre"]))
        cls.nora = cls.token_client(cls.make_user("nora", "author", []))


@on_every_backend
class TestCreateAndRead(Writers):
    def test_create_answers_201_with_location_and_reads_back_byte_for_byte(self):
        slug = unique("db-outage")
        text = postmortem(slug, team="sre") + "Trailing spaces stay.   \n\n"
        reply = self.alice.post(PM, {"markdown": text})
        body = self.assert_ok(reply, 201)
        self.assertEqual(body, {"id": slug, "revision": 1})
        self.assertEqual(reply.headers["Location"], "%s/%s" % (PM, slug))
        pm = self.assert_ok(self.alice.get(reply.headers["Location"]))
        self.assertEqual(pm["markdown"], text)
        self.assertEqual(pm["id"], slug)
        self.assertEqual(pm["revision"], 1)
        self.assertEqual(pm["title"], "Checkout errors after the %s deploy" % slug)
        self.assertEqual(pm["severity"], "SEV2")
        self.assertEqual(pm["service"], "checkout-api")
        self.assertEqual(pm["tags"], ["deployment"])
        self.assertEqual(pm["started"], "2026-03-10")
        self.assertEqual(pm["owner_team"], "sre")
        self.assertEqual(pm["visibility"], "public")
        self.assertEqual(pm["status"], "draft")
        self.assertEqual(pm["author"], "alice")
        self.assertRegex(pm["created"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(pm["approvals"], [])
        self.assertIsNone(pm["review"]["entered"])
        self.assertFalse(pm["review"]["can_publish"])
        self.assertTrue(any("draft" in r for r in pm["review"]["reasons"]), pm["review"])

    def test_findings_and_timeline_are_the_clis(self):
        slug = unique("cli-same")
        text = postmortem(slug, team="sre")
        self.create_pm(self.alice, text)
        pm = self.assert_ok(self.alice.get("%s/%s" % (PM, slug)))
        lint = cli_json(["lint", "--fail-on", "never"], text)["files"][0]
        self.assertEqual(pm["score"], lint["score"])
        self.assertEqual(pm["findings"], lint["findings"])
        self.assertEqual(pm["sections"], lint["sections"])
        self.assertTrue(pm["findings"], "the small test post mortem should have findings")
        for f in pm["findings"]:
            self.assertEqual(set(f), {"rule", "severity", "line", "column", "message"})
        timeline = cli_json(["timeline"], text)
        self.assertEqual(pm["timeline"], timeline)
        self.assertEqual(pm["timeline"]["time_to_detect"], 11 * 60)
        self.assertEqual(pm["timeline"]["impact_duration"], 41 * 60)
        self.assertEqual(pm["timeline"]["detected"], "2026-03-10T14:15:00+00:00")

    def test_owner_team_comes_from_the_body_the_text_or_the_author(self):
        given = unique("given")
        self.create_pm(self.alice, postmortem(given, team="web"), owner_team="sre")
        self.assertEqual(self.alice.get("%s/%s" % (PM, given)).body["owner_team"], "sre")
        from_text = unique("from-text")
        self.create_pm(self.walt, postmortem(from_text, team="web"))
        self.assertEqual(self.walt.get("%s/%s" % (PM, from_text)).body["owner_team"], "web")
        from_author = unique("from-author")
        self.create_pm(self.walt, postmortem(from_author))
        self.assertEqual(self.walt.get("%s/%s" % (PM, from_author)).body["owner_team"], "web")
        by_admin = unique("by-admin")
        self.create_pm(self.admin, postmortem(by_admin, team="web"))
        self.assertEqual(self.admin.get("%s/%s" % (PM, by_admin)).body["owner_team"], "web")

    def test_who_may_create_for_which_team(self):
        reply = self.nora.post(PM, {"markdown": postmortem(unique("nora"))})
        self.assert_error(reply, 400, "bad_request")
        self.assertIn("owner_team", reply.body["error"]["message"])
        self.assert_error(self.walt.post(PM, {"markdown": postmortem(unique("w"), team="sre")}), 403,
                          "forbidden")
        self.assert_error(self.alice.post(PM, {"markdown": postmortem(unique("a")), "owner_team": "web"}),
                          403, "forbidden")
        reply = self.alice.post(PM, {"markdown": postmortem(unique("a"), team="no-such-team")})
        self.assert_error(reply, 400, "bad_request")
        self.assertIn("no-such-team", reply.body["error"]["message"])
        self.assert_error(self.vera.post(PM, {"markdown": postmortem(unique("v"), team="sre")}), 403,
                          "forbidden")

    def test_ids_and_bad_bodies(self):
        slug = unique("named")
        self.assertEqual(self.create_pm(self.alice, postmortem("ignored-" + slug), id=slug), slug)
        self.assert_error(self.alice.post(PM, {"markdown": postmortem("x"), "id": slug}), 409, "conflict")
        self.assert_error(self.alice.post(PM, {"markdown": postmortem(slug)}), 409, "conflict")
        self.assert_error(self.alice.post(PM, {"markdown": postmortem("x"), "id": "bad id!"}), 400)
        self.assert_error(self.alice.post(PM, {"markdown": "   \n"}), 400, "bad_request")
        self.assert_error(self.alice.post(PM, {"markdown": postmortem("x"), "colour": "red"}), 400)
        self.assert_error(self.alice.post(PM, {"markdown": 5}), 400)
        self.assert_error(self.alice.post(PM, {}), 400)
        self.assert_error(self.alice.post(PM, {"markdown": postmortem("y"), "visibility": "secret"}), 400)
        self.assert_error(self.alice.get(PM + "/no-such-thing"), 404, "not_found")

    def test_restricted_on_creation_names_its_author(self):
        slug = unique("secret")
        self.create_pm(self.admin, postmortem(slug), owner_team="web", visibility="restricted")
        access = self.assert_ok(self.admin.get("%s/%s/access" % (PM, slug)))
        self.assertEqual(access["visibility"], "restricted")
        self.assertIn("admin", [g["name"] for g in access["grants"] if g["kind"] == "user"])
        self.assert_error(self.alice.get("%s/%s" % (PM, slug)), 404, "not_found")
        self.assert_ok(self.walt.get("%s/%s" % (PM, slug)))


@on_every_backend
class TestList(Writers):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = {}
        specs = [
            ("a", dict(team="sre", severity="SEV1", service="billing", tags=("database",), started="2026-01-05",
                       title="Alpha billing outage", words="quokka")),
            ("b", dict(team="sre", severity="SEV2", service="checkout-api", tags=("deployment",),
                       started="2026-02-10", title="Bravo checkout errors")),
            ("c", dict(team="web", severity="SEV3", service="web-frontend", tags=("deployment", "cdn"),
                       started="2026-03-15", title="Charlie slow pages", words="quokka")),
            ("d", dict(team="web", severity="SEV2", service="billing", tags=(), started="2026-04-20",
                       title="Delta invoice delay")),
        ]
        for key, spec in specs:
            slug = unique("list-" + key)
            client = cls.alice if spec["team"] == "sre" else cls.walt
            cls.ids[key] = cls.create_pm(client, postmortem(slug, **spec))

    def ids_of(self, **params):
        body = self.assert_ok(self.vera.get(query(PM, **params)))
        return [item["id"] for item in body["items"]], body

    def expect(self, keys, **params):
        ids, body = self.ids_of(**params)
        self.assertEqual(set(ids), {self.ids[k] for k in keys}, params)
        self.assertEqual(body["total"], len(keys), params)

    def test_items_have_the_list_fields(self):
        ids, body = self.ids_of(sort="title")
        self.assertEqual(body["limit"], 100)
        self.assertEqual(body["offset"], 0)
        item = body["items"][0]
        self.assertEqual(set(item), {"id", "title", "severity", "service", "tags", "started", "owner_team",
                                     "visibility", "status", "revision", "created", "updated"})
        self.assertEqual(item["title"], "Alpha billing outage")
        self.assertEqual(item["tags"], ["database"])
        self.assertEqual(item["started"], "2026-01-05")

    def test_filters_and_search(self):
        self.expect("ac", q="quokka")
        self.expect("a", q="quokka billing")
        self.expect("ab", team="sre")
        self.expect("ad", service="billing")
        self.expect("ad", service="BILLING")
        self.expect("bd", severity="sev2")
        self.expect("bc", tag="deployment")
        self.expect("c", tag="cdn")
        self.expect("bc", since="2026-02-01", until="2026-03-31")
        self.expect("abcd", status="draft")
        self.expect("", status="published")

    def test_sort_and_pages(self):
        ids, _ = self.ids_of(sort="title")
        self.assertEqual(ids, [self.ids[k] for k in "abcd"])
        ids, _ = self.ids_of(sort="-title")
        self.assertEqual(ids, [self.ids[k] for k in "dcba"])
        ids, _ = self.ids_of(sort="started")  # newest incident first
        self.assertEqual(ids, [self.ids[k] for k in "dcba"])
        ids, _ = self.ids_of(sort="-started")
        self.assertEqual(ids, [self.ids[k] for k in "abcd"])
        pages = []
        for offset in (0, 2, 4):
            page, body = self.ids_of(sort="title", limit=2, offset=offset)
            self.assertEqual(body["total"], 4)
            self.assertEqual(body["limit"], 2)
            self.assertEqual(body["offset"], offset)
            pages.append(page)
        self.assertEqual(pages, [[self.ids["a"], self.ids["b"]], [self.ids["c"], self.ids["d"]], []])

    def test_bad_parameters(self):
        for params in ({"since": "yesterday"}, {"until": "2026-13"}, {"limit": "0"}, {"limit": "many"},
                       {"offset": "-1"}, {"status": "lost"}, {"sort": "colour"}, {"team": "nobody-here"}):
            with self.subTest(params=params):
                self.assert_error(self.vera.get(query(PM, **params)), 400, "bad_request")


@on_every_backend
class TestRevisions(Writers):
    def test_save_conflict_history_and_diff(self):
        slug = unique("rev")
        v1 = postmortem(slug, team="sre")
        self.create_pm(self.alice, v1)
        path = "%s/%s" % (PM, slug)
        v2 = v1.replace("About 3,100 shoppers", "About 3,150 shoppers")
        self.assertEqual(self.assert_ok(self.ann.put(path, {"markdown": v2, "base_revision": 1}))["revision"], 2)

        # Alice still edits revision 1: a conflict, with both texts, nothing written.
        mine = v1 + "\nAlice's paragraph.\n"
        reply = self.alice.put(path, {"markdown": mine, "base_revision": 1})
        self.assert_error(reply, 409, "conflict")
        self.assertEqual(reply.body["current"]["revision"], 2)
        self.assertEqual(reply.body["current"]["markdown"], v2)
        self.assertEqual(reply.body["current"]["author"], "ann")
        self.assertRegex(reply.body["current"]["created"], r"Z$")
        self.assertEqual(reply.body["yours"], {"base_revision": 1, "markdown": mine})
        pm = self.assert_ok(self.alice.get(path))
        self.assertEqual((pm["revision"], pm["markdown"]), (2, v2))

        # The same text again is still a new revision.
        self.assertEqual(self.assert_ok(self.alice.put(path, {"markdown": v2, "base_revision": 2}))["revision"], 3)

        history = self.assert_ok(self.vera.get(path + "/revisions"))["items"]
        self.assertEqual([(r["revision"], r["author"], r["length"]) for r in history],
                         [(1, "alice", len(v1.encode())), (2, "ann", len(v2.encode())),
                          (3, "alice", len(v2.encode()))])
        first = self.assert_ok(self.vera.get(path + "/revisions/1"))
        self.assertEqual((first["revision"], first["markdown"], first["author"]), (1, v1, "alice"))
        self.assert_error(self.vera.get(path + "/revisions/4"), 404, "not_found")
        self.assert_error(self.vera.get(path + "/revisions/0"), 404, "not_found")
        self.assert_error(self.vera.get(path + "/revisions/one"), 404, "not_found")

        newest = self.assert_ok(self.vera.get(path + "/diff"))
        self.assertEqual((newest["from"], newest["to"]), (2, 3))
        self.assertTrue(all(line["op"] == " " for line in newest["lines"]))
        self.assertEqual(newest["unified"], "")

        d = self.assert_ok(self.vera.get(path + "/diff?from=1&to=2"))
        changed = [line for line in d["lines"] if line["op"] != " "]
        self.assertEqual([(c["op"], c["text"]) for c in changed],
                         [("-", "About 3,100 shoppers could not pay; no money was taken twice."),
                          ("+", "About 3,150 shoppers could not pay; no money was taken twice.")])
        removed, added = changed
        self.assertIsNone(removed["new"])
        self.assertIsNone(added["old"])
        self.assertEqual(removed["old"], added["new"])
        self.assertEqual(v1.splitlines()[removed["old"] - 1], removed["text"])
        self.assertEqual(len(d["lines"]), len(v1.splitlines()) + 1)
        self.assertIn("--- %s@1\n+++ %s@2\n@@ " % (slug, slug), d["unified"])
        self.assertIn("\n-About 3,100 shoppers", d["unified"])
        self.assertIn("\n+About 3,150 shoppers", d["unified"])
        self.assertEqual((d["added"], d["removed"]), (1, 1))

        self.assert_error(self.vera.get(path + "/diff?from=9"), 404, "not_found")
        self.assert_error(self.vera.get(path + "/diff?from=x"), 400, "bad_request")

    def test_who_may_save_and_bad_saves(self):
        slug = unique("save")
        text = postmortem(slug, team="sre")
        self.create_pm(self.alice, text)
        path = "%s/%s" % (PM, slug)
        self.assert_error(self.vera.put(path, {"markdown": text, "base_revision": 1}), 403, "forbidden")
        self.assert_error(self.alice.put(path, {"markdown": text}), 400, "bad_request")
        self.assert_error(self.alice.put(path, {"markdown": "", "base_revision": 1}), 400, "bad_request")
        self.assert_error(self.alice.put(path, {"markdown": text, "base_revision": "1"}), 400)
        self.assert_error(self.alice.put(path + "-nope", {"markdown": text, "base_revision": 1}), 404)
        self.assertEqual(self.assert_ok(self.alice.get(path))["revision"], 1)

    def test_a_large_rewrite_diffs_quickly(self):
        slug = unique("big")
        base = postmortem(slug, team="sre")
        old = base + "".join("old line %d\n" % i for i in range(20000))
        new = base + "".join("new line %d\n" % i for i in range(20000))
        self.create_pm(self.alice, old)
        path = "%s/%s" % (PM, slug)
        self.assert_ok(self.alice.put(path, {"markdown": new, "base_revision": 1}))
        d = self.assert_ok(self.alice.get(path + "/diff"))
        self.assertEqual((d["added"], d["removed"]), (20000, 20000))


REDACTABLE = """---
id: {slug}
title: Tokens written to the build logs
severity: SEV2
owner_team: sre
visibility: restricted
authors:
  - Alice Smith
---
# Tokens written to the build logs

## Summary

A build step printed deploy tokens to its log for two days.
<!-- restricted -->
The token was dbf_secret_zq81 and the host build-7.corp.internal.
<!-- /restricted -->
It was rotated within an hour of being found.
"""


@on_every_backend
class TestRedacted(Writers):
    def test_redacted_copy_is_public_and_leaks_nothing(self):
        slug = unique("tokens")
        text = REDACTABLE.format(slug=slug)
        self.create_pm(self.alice, text)
        path = "%s/%s" % (PM, slug)
        self.assert_error(self.walt.get(path), 404, "not_found")

        self.assert_error(self.vera.post(path + "/redacted"), 403, "forbidden")
        self.assert_error(self.walt.post(path + "/redacted"), 404, "not_found")
        reply = self.alice.post(path + "/redacted")
        body = self.assert_ok(reply, 201)
        copy = slug + "-redacted"
        self.assertEqual(body, {"id": copy, "revision": 1})

        seen = self.assert_ok(self.walt.get("%s/%s" % (PM, copy)))
        self.assertEqual(seen["visibility"], "public")
        for secret in ("dbf_secret_zq81", "build-7.corp.internal", "Alice Smith", "owner_team", "restricted"):
            self.assertNotIn(secret, seen["markdown"])
        self.assertIn("It was rotated within an hour", seen["markdown"])
        self.assertEqual(len(seen["markdown"].splitlines()), len(text.splitlines()))
        self.assertIn("id: " + copy, seen["markdown"])
        self.assertIn(copy, {i["id"] for i in self.walt.get(PM).body["items"]})
        self.assertNotIn(slug, {i["id"] for i in self.walt.get(PM).body["items"]})
        self.assertEqual(self.walt.get(query(PM, q="zq81")).body["total"], 0)

        # Again after an edit: a new revision of the same copy.
        edited = text.replace("two days", "three days")
        self.assert_ok(self.alice.put(path, {"markdown": edited, "base_revision": 1}))
        self.assertEqual(self.assert_ok(self.ann.post(path + "/redacted")), {"id": copy, "revision": 2})
        self.assertIn("three days", self.walt.get("%s/%s" % (PM, copy)).body["markdown"])

    def test_a_copy_name_taken_by_another_team_is_left_alone(self):
        slug = unique("tokens")
        copy = slug + "-redacted"
        self.create_pm(self.alice, REDACTABLE.format(slug=slug))
        # walt (team web) takes the copy's id first, with a public post mortem.
        squatter = postmortem(copy, team="web")
        self.assert_ok(self.walt.post(PM, {"markdown": squatter}), 201)
        self.assert_error(self.alice.post("%s/%s/redacted" % (PM, slug)), 409, "conflict")
        seen = self.assert_ok(self.walt.get("%s/%s" % (PM, copy)))
        self.assertEqual((seen["revision"], seen["owner_team"], seen["markdown"]), (1, "web", squatter))


if __name__ == "__main__":
    main()
