#!/usr/bin/env python3
"""test_import.py: end-to-end tests of `debrief timeline import` on hand-written
exports in Slack's and Mattermost's formats (tests/fixtures/import/)."""
import json
import os
import shutil
import unittest

from common import SOURCE, TempDirTest, run

FIXTURES = os.path.join(SOURCE, "tests", "fixtures", "import")
SLACK = os.path.join(FIXTURES, "slack")
CHANNEL = os.path.join(SLACK, "inc-checkout-latency")
ROLES = os.path.join(FIXTURES, "roles.yml")
MATTERMOST = os.path.join(FIXTURES, "mattermost", "export.jsonl")
MM_ROLES = os.path.join(FIXTURES, "mattermost-roles.yml")
POSTMORTEM = os.path.join(FIXTURES, "checkout-latency.md")
DASH = "\u2014"

# The incident channel as the timeline should read it: the join, leave and
# topic messages, PagerDuty, deploybot and Slackbot are gone; Carol's thread
# replies sit in time order (one after midnight, in the next day's file);
# Alice's edited message shows its edited text; people are their roles.
SLACK_UTC = [
    "- 2026-03-10 23:03 UTC " + DASH + " the on-call engineer: Ack. Looking at "
    "[checkout dashboard](https://grafana.example.com/d/checkout?orgId=1&var-env=prod) "
    + DASH + " p99 at 4.2s & rising",
    "- 2026-03-10 23:05 UTC " + DASH + " the on-call engineer: @here declaring SEV-2, "
    "the incident commander can you take IC?",
    "- 2026-03-10 23:06 UTC " + DASH + " the incident commander: I'm IC. a responder please "
    "check the payments DB",
    "- 2026-03-10 23:12 UTC " + DASH + " a responder: DB connections at max (500/500) since 22:58",
    "- 2026-03-10 23:20 UTC " + DASH + " the on-call engineer: Rolled back **deploy 4812** in "
    "#inc-checkout-latency; ~~old pool size~~ fixed",
    "- 2026-03-10 23:58 UTC " + DASH + " a responder: shared connections.png",
    "- 2026-03-11 00:05 UTC " + DASH + " a responder: Pool back to 120/500 after the rollback",
    "- 2026-03-11 00:10 UTC " + DASH + " the incident commander: Recovered: p99 back under 300ms. "
    "Keeping the channel open `until 01:00 <UTC>`",
    "- 2026-03-11 00:15 UTC " + DASH + " the on-call engineer: Status page updated: "
    "&lt;script>resolved&lt;/script> at <https://status.example.com> (mailed support)",
]

MATTERMOST_LA = [
    "- 2026-07-02 14:43 PDT " + DASH + " the incident commander: Paged. Search timeouts in EU "
    "since ~21:35, looking at the **search-api** dashboard",
    "- 2026-07-02 14:44 PDT " + DASH + " the search engineer: Index rebuild kicked off at 21:30 "
    "by cron, could be it",
    "- 2026-07-02 14:50 PDT " + DASH + " the incident commander: the search engineer agreed. "
    "a responder can you pause the rebuild job?",
    "- 2026-07-02 15:15 PDT " + DASH + " a responder: Rebuild paused; latency dropping "
    "`p95 3.4s -> 0.9s` (attached: latency-after-pause.png)",
    "- 2026-07-02 17:20 PDT " + DASH + " the search engineer: All green for 2h, closing. "
    "&lt;b>Thanks&lt;/b> all; see <https://status.example.com/incidents/4821>",
    "- 2026-07-02 17:25 PDT " + DASH + " the incident commander: Resolved on the status page "
    "at 00:25 UTC",
]


def imported(*args):
    p = run(["timeline", "import"] + list(args))
    return p, p.out.splitlines()


class Help(unittest.TestCase):
    def test_help(self):
        p = run(["timeline", "import", "--help"])
        self.assertEqual(p.returncode, 0)
        for option in ("--roles", "--zone", "--keep-emoji", "--since", "--until", "--merge",
                       "--channel", "-o, --output"):
            self.assertIn(option, p.out)


class Slack(TempDirTest):
    def test_channel_folder(self):
        p, lines = imported("--roles", ROLES, CHANNEL)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(lines, SLACK_UTC)
        self.assertEqual(p.err, "")

    def test_dropped_messages_never_show(self):
        p, _ = imported(CHANNEL)
        for text in ("has joined", "has left", "Triggered", "rolled back by alice",
                     "Reminder", "set the channel topic", "Alice", "Carol", "Bob", "U0"):
            self.assertNotIn(text, p.out)

    def test_unmapped_people_are_responders(self):
        p, lines = imported(CHANNEL)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(len(lines), len(SLACK_UTC))
        self.assertTrue(all((DASH + " a responder: ") in line for line in lines))

    def test_export_root_with_channel(self):
        p, lines = imported("--roles", ROLES, "--channel", "inc-checkout-latency", SLACK)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(lines, SLACK_UTC)
        p, lines = imported("--channel", "general", SLACK)
        self.assertEqual(lines, ["- 2026-03-10 12:00 UTC " + DASH + " a responder: Lunch order "
                                 "closes at noon"])

    def test_export_root_needs_a_channel(self):
        p, _ = imported(SLACK)
        self.assert_git_error(p, "--channel", "general", "inc-checkout-latency")
        p, _ = imported("--channel", "war-room", SLACK)
        self.assert_git_error(p, "no channel 'war-room'")

    def test_one_daily_file(self):
        p, lines = imported("--roles", ROLES, os.path.join(CHANNEL, "2026-03-11.json"))
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(lines, SLACK_UTC[6:])

    def test_keep_emoji(self):
        # Pinned (23:03, 00:10) or with a white_check_mark (23:20, 00:10).
        p, lines = imported("--roles", ROLES, "--keep-emoji", ":white_check_mark:", CHANNEL)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(lines, [SLACK_UTC[0], SLACK_UTC[4], SLACK_UTC[7]])
        # A skin tone is the same reaction.
        p, lines = imported("--roles", ROLES, "--keep-emoji", "+1", CHANNEL)
        self.assertEqual(lines, [SLACK_UTC[0], SLACK_UTC[7], SLACK_UTC[8]])

    def test_time_range(self):
        p, lines = imported("--roles", ROLES, "--since", "2026-03-10T23:10",
                            "--until", "2026-03-11T00:05", CHANNEL)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(lines, SLACK_UTC[3:7])
        p, lines = imported("--roles", ROLES, "--until", "2026-03-10", CHANNEL)
        self.assertEqual(lines, SLACK_UTC[:6])
        # A time in another zone: 00:00+01:00 is 23:00 UTC.
        p, lines = imported("--roles", ROLES, "--until", "2026-03-11T00:04+01:00", CHANNEL)
        self.assertEqual(lines, SLACK_UTC[:1])

    def test_zones(self):
        # New York moved to daylight time on 8 March 2026.
        p, lines = imported("--roles", ROLES, "--zone", "America/New_York", CHANNEL)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertTrue(lines[0].startswith("- 2026-03-10 19:03 EDT " + DASH), lines[0])
        self.assertTrue(lines[-1].startswith("- 2026-03-10 20:15 EDT " + DASH), lines[-1])
        p, lines = imported("--zone", "+05:30", CHANNEL)
        self.assertTrue(lines[0].startswith("- 2026-03-11 04:33 +05:30 " + DASH), lines[0])
        p, lines = imported("--zone", "CET", CHANNEL)
        self.assertTrue(lines[0].startswith("- 2026-03-11 00:03 CET " + DASH), lines[0])

    def test_verbose_summary(self):
        p, _ = imported("-v", "--keep-emoji", "eyes", CHANNEL)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn("read 16 messages from 'inc-checkout-latency' (slack): 3 entries", p.err)
        self.assertIn("3 from bots, 4 system messages", p.err)
        self.assertIn("6 neither pinned nor with :eyes:", p.err)

    def test_nothing_kept_says_so(self):
        p, lines = imported("--since", "2027-01-01", CHANNEL)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(lines, [])
        self.assertIn("no messages kept", p.err)


class Mattermost(TempDirTest):
    def test_channel(self):
        p, lines = imported("--roles", MM_ROLES, "--zone", "America/Los_Angeles",
                            "--channel", "incident-4821", MATTERMOST)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(lines, MATTERMOST_LA)
        for text in ("joined the channel", "P2 alert", "deploy finished", "left the channel",
                     "off the record", "Coffee", "dana", "Frank"):
            self.assertNotIn(text, p.out)

    def test_team_and_channel(self):
        p, lines = imported("--roles", MM_ROLES, "--zone", "America/Los_Angeles",
                            "--channel", "acme/incident-4821", MATTERMOST)
        self.assertEqual(lines, MATTERMOST_LA)

    def test_several_channels_need_a_choice(self):
        p, _ = imported(MATTERMOST)
        self.assert_git_error(p, "several channels", "incident-4821", "town-square")

    def test_pinned_kept_with_keep_emoji(self):
        # Pinned: the first post and the status page reply; with a pushpin:
        # the rebuild reply and the pause.
        p, lines = imported("--roles", MM_ROLES, "--zone", "America/Los_Angeles",
                            "--keep-emoji", "pushpin", "--channel", "incident-4821", MATTERMOST)
        self.assertEqual(lines, [MATTERMOST_LA[0], MATTERMOST_LA[1], MATTERMOST_LA[3],
                                 MATTERMOST_LA[5]])


class Merge(TempDirTest):
    def original(self):
        with open(POSTMORTEM, encoding="utf-8") as f:
            return f.read()

    def test_merge_in_time_order_keeps_every_line(self):
        p = run(["timeline", "import", "--roles", ROLES, "--merge", POSTMORTEM, CHANNEL])
        self.assertEqual(p.returncode, 0, p.err)
        merged = p.out.splitlines()
        original = self.original().splitlines()
        # Every line of the document, in its order.
        it = iter(merged)
        for line in original:
            self.assertIn(line, it, "lost or moved: %r" % line)
        # The new lines are exactly the imported entries.
        added = [line for line in merged if line not in original]
        self.assertEqual(added, SLACK_UTC)
        # The timeline section reads in time order.
        start = merged.index("## Timeline")
        end = merged.index("## Impact")
        stamps = [line[2:18] for line in merged[start:end] if line.startswith("- 2026-")]
        self.assertEqual(stamps, sorted(stamps))
        self.assertEqual(len(stamps), 4 + len(SLACK_UTC))
        # The continuation line stays with its entry.
        i = merged.index("- 2026-03-11 00:10 Latency back to normal [resolved]")
        self.assertEqual(merged[i + 1], "  (confirmed on the checkout dashboard)")

    def test_merged_document_reads_back(self):
        out = os.path.join(self.dir, "merged.md")
        p = run(["timeline", "import", "--roles", ROLES, "--merge", POSTMORTEM, "-o", out, CHANNEL])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(p.out, "")
        # The review now finds the escalation and mitigation the chat recorded.
        before = run(["lint", "--format", "json", "--today", "2026-03-12", POSTMORTEM])
        after = run(["lint", "--format", "json", "--today", "2026-03-12", out])
        def findings(proc, rule):
            return [f for f in json.loads(proc.out)["files"][0]["findings"] if f["rule"] == rule]
        self.assertEqual(len(findings(before, "timeline/missing-milestone")), 2)
        self.assertEqual(findings(after, "timeline/missing-milestone"), [])
        self.assertEqual(findings(after, "timeline/out-of-order"), [])
        self.assertEqual(findings(after, "timeline/unparsable-time"), [])

    def test_merge_twice_adds_nothing(self):
        once = os.path.join(self.dir, "once.md")
        shutil.copy(POSTMORTEM, once)
        p = run(["timeline", "import", "--roles", ROLES, "--merge", once, "-o", once, CHANNEL])
        self.assertEqual(p.returncode, 0, p.err)
        with open(once, encoding="utf-8") as f:
            first = f.read()
        p = run(["timeline", "import", "--roles", ROLES, "--merge", once, CHANNEL])
        self.assertEqual(p.out, first)
        self.assertNotEqual(first, self.original())

    def test_merge_takes_the_document_zone(self):
        doc = self.write("pm.md", "---\ntimezone: America/Los_Angeles\n---\n# Outage\n\n"
                                  "## Timeline\n\n- 2026-03-10 16:00 deploy [trigger]\n"
                                  "- 2026-03-10 17:00 recovered [resolved]\n")
        p = run(["timeline", "import", "--merge", doc, CHANNEL])
        self.assertEqual(p.returncode, 0, p.err)
        lines = p.out.splitlines()
        self.assertEqual(lines[7], "- 2026-03-10 16:00 deploy [trigger]")
        self.assertEqual(lines[8][:23], "- 2026-03-10 16:03 PDT ")
        i = lines.index("- 2026-03-10 17:00 recovered [resolved]")
        self.assertEqual(lines[i - 1][:23], "- 2026-03-10 16:58 PDT ")
        self.assertEqual(lines[i + 1][:23], "- 2026-03-10 17:05 PDT ")
        self.assertEqual(lines[-1][:23], "- 2026-03-10 17:15 PDT ")

    def test_merge_keeps_crlf_bytes(self):
        doc = self.write("pm.md", "# Outage\r\n\r\n## Timeline\r\n\r\n"
                                  "- 2026-03-10 23:04 customers report errors\r\n")
        p = run(["timeline", "import", "--until", "2026-03-10T23:05:59", "--merge", doc, CHANNEL])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(p.stdout.decode(),
                         "# Outage\r\n\r\n## Timeline\r\n\r\n"
                         "- 2026-03-10 23:03 UTC " + DASH + " a responder: Ack. Looking at "
                         "[checkout dashboard](https://grafana.example.com/d/checkout?orgId=1"
                         "&var-env=prod) " + DASH + " p99 at 4.2s & rising\r\n"
                         "- 2026-03-10 23:04 customers report errors\r\n"
                         "- 2026-03-10 23:05 UTC " + DASH + " a responder: @here declaring SEV-2, "
                         "a responder can you take IC?\r\n")

    def test_refuses_a_document_without_timeline(self):
        doc = self.write("pm.md", "# Outage\n\n## Summary\n\nIt broke.\n")
        out = os.path.join(self.dir, "out.md")
        p = run(["timeline", "import", "--merge", doc, "-o", out, CHANNEL])
        self.assert_git_error(p, "no timeline section", "pm.md")
        self.assertFalse(os.path.exists(out))
        with open(doc, encoding="utf-8") as f:
            self.assertEqual(f.read(), "# Outage\n\n## Summary\n\nIt broke.\n")


class BadInput(TempDirTest):
    def slack_copy(self):
        root = os.path.join(self.dir, "export")
        shutil.copytree(SLACK, root)
        return os.path.join(root, "inc-checkout-latency")

    def test_broken_json_names_file_and_line(self):
        folder = self.slack_copy()
        day = os.path.join(folder, "2026-03-11.json")
        with open(day, encoding="utf-8") as f:
            lines = f.read().splitlines()
        lines[5] = lines[5].rstrip(",")  # '"ts": "…",' loses its comma: line 6 breaks
        self.write(day, "\n".join(lines) + "\n")
        p, _ = imported(folder)
        self.assert_git_error(p, day + ":7: not valid JSON")

    def test_wrong_type_names_the_message_line(self):
        folder = self.slack_copy()
        self.write(os.path.join(folder, "2026-03-11.json"),
                   '[\n  {"type": "message", "user": "U01ALICE", "ts": "1773187500.000100",\n'
                   '   "text": "ok"},\n  {"type": "message", "user": "U01ALICE",\n'
                   '   "ts": 1773187600, "text": "bad"}\n]\n')
        p, _ = imported(folder)
        self.assert_git_error(p, "2026-03-11.json:4: 'ts' must be a string")

    def test_bad_users_file(self):
        folder = self.slack_copy()
        self.write(os.path.join(os.path.dirname(folder), "users.json"), '{"id": "U1"}\n')
        p, _ = imported(folder)
        self.assert_git_error(p, "users.json:1: expected a list of users")

    def test_mattermost_broken_line(self):
        with open(MATTERMOST, encoding="utf-8") as f:
            lines = f.read().splitlines()
        lines[9] = lines[9][:40]
        path = self.write("export.jsonl", "\n".join(lines) + "\n")
        p, _ = imported("--channel", "incident-4821", path)
        self.assert_git_error(p, path + ":10: not valid JSON")
        lines[9] = ('{"type":"post","post":{"team":"acme","channel":"incident-4821",'
                    '"user":"dana","message":"x","create_at":"yesterday"}}')
        path = self.write("export.jsonl", "\n".join(lines) + "\n")
        p, _ = imported("--channel", "incident-4821", path)
        self.assert_git_error(p, path + ":10: post 'create_at' must be a number")

    def test_bad_roles_map(self):
        roles = self.write("roles.yml", "alice: on-call engineer\nbob:\n  team: sre\n")
        p, _ = imported("--roles", roles, CHANNEL)
        self.assert_git_error(p, roles + ":3: the role of 'bob' is a map")
        p, _ = imported("--roles", os.path.join(self.dir, "none.yml"), CHANNEL)
        self.assert_git_error(p, "none.yml", "cannot read")

    def test_not_an_export(self):
        for name, data in (("empty.jsonl", b""), ("binary.bin", bytes(range(256)) * 4),
                           ("notes.txt", b"hello\n"), ("export.zip", b"PK\x03\x04rest"),
                           ("deep.json", b"[" * 100000), ("nul.jsonl", b"{\"type\":\"version\"}\x00\n")):
            path = self.write(name, data)
            p, _ = imported(path)
            self.assert_git_error(p, name)
        p, _ = imported(os.path.join(self.dir, "missing"))
        self.assert_git_error(p, "cannot read")
        p, _ = imported(self.dir)
        self.assert_git_error(p, "no daily files")

    def test_bad_options(self):
        p, _ = imported("--zone", "Mars/Olympus", CHANNEL)
        self.assert_git_error(p, "unknown zone 'Mars/Olympus'")
        p, _ = imported("--since", "last tuesday", CHANNEL)
        self.assert_git_error(p, "--since", "'last tuesday'")
        p, _ = imported("--since", "2026-03-11", "--until", "2026-03-10", CHANNEL)
        self.assert_git_error(p, "is after --until")
        p, _ = imported("--keep-emoji", "::", CHANNEL)
        self.assert_git_error(p, "--keep-emoji")
        p, _ = imported("--frobnicate", CHANNEL)
        self.assert_git_error(p, "unknown option")
        p, _ = imported()
        self.assert_git_error(p, "no export")
        p, _ = imported(CHANNEL, MATTERMOST)
        self.assert_git_error(p, "one export")
        p, _ = imported(CHANNEL, "--zone")
        self.assert_git_error(p, "needs a value")


if __name__ == "__main__":
    unittest.main()
