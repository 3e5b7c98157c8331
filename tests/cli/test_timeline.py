#!/usr/bin/env python3
"""test_timeline.py: end-to-end tests of `debrief timeline`."""
import json
import os
import unittest

from common import EXAMPLES, TempDirTest, run

EXCELLENT = os.path.join(EXAMPLES, "excellent.md")

MILESTONES = ["trigger", "impact_start", "detected", "escalated", "diagnosed",
              "mitigation_started", "recovered"]
DURATIONS = ["time_to_detect", "time_to_engage", "time_to_diagnose", "time_to_mitigate",
             "impact_duration", "total_duration"]

# A post mortem with no front matter: everything comes from its timeline,
# in a zone with daylight saving time, across midnight and across the
# night New York moved its clocks forward (2026-03-08 02:00 EST -> 03:00 EDT).
TIMELINE_ONLY = """# Orders stuck in the queue for 2 hours

## Timeline

All times America/New_York.

- 2026-03-07 23:40 worker v3 deployed with a smaller batch size [trigger]
- 23:55 order confirmations start failing [impact]
- 00:30 queue depth alert fires and pages the on-call engineer [detected]
- 00:41 on-call engineer pages the platform team [escalated]
- 01:20 platform engineer identifies the batch size as the cause [diagnosed]
- 01:35 worker v3 rolled back [mitigation]
- 03:10 queue drained, confirmations back to normal [resolved]
"""


def timeline_json(*args, **kw):
    p = run(["timeline", "--format", "json"] + list(args), **kw)
    return p, (json.loads(p.out) if p.returncode == 0 else None)


class Excellent(unittest.TestCase):
    def test_json_has_the_fixed_interface(self):
        p, doc = timeline_json(EXCELLENT)
        self.assertEqual(p.returncode, 0, p.err)
        for key in MILESTONES + DURATIONS + ["gaps"]:
            self.assertIn(key, doc)
        self.assertEqual(list(doc)[:14], MILESTONES + DURATIONS + ["gaps"])

    def test_json_values(self):
        _, doc = timeline_json(EXCELLENT)
        # The front matter's incident times first, the tagged entries after.
        self.assertEqual(doc["trigger"], "2026-03-10T14:02:00+00:00")
        self.assertEqual(doc["impact_start"], "2026-03-10T14:04:00+00:00")
        self.assertEqual(doc["detected"], "2026-03-10T14:15:00+00:00")
        self.assertEqual(doc["escalated"], "2026-03-10T14:19:00+00:00")
        self.assertEqual(doc["diagnosed"], "2026-03-10T14:36:00+00:00")
        self.assertEqual(doc["mitigation_started"], "2026-03-10T14:40:00+00:00")
        self.assertEqual(doc["recovered"], "2026-03-10T14:45:00+00:00")
        self.assertEqual(doc["time_to_detect"], 11 * 60)
        self.assertEqual(doc["time_to_engage"], 4 * 60)
        self.assertEqual(doc["time_to_diagnose"], 21 * 60)
        self.assertEqual(doc["time_to_mitigate"], 9 * 60)
        # The summary says 41 minutes; so must we.
        self.assertEqual(doc["impact_duration"], 41 * 60)
        self.assertEqual(doc["total_duration"], 43 * 60)
        self.assertEqual(doc["gaps"], [])
        self.assertEqual(doc["zone"], "UTC")
        self.assertEqual(doc["sources"]["trigger"], {"source": "front matter", "line": 27})
        self.assertEqual(doc["sources"]["diagnosed"]["source"], "timeline")

    def test_text(self):
        p = run(["timeline", EXCELLENT])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(p.err, "")
        self.assertIn("times in UTC", p.out)
        self.assertRegex(p.out, r"impact start\s+2026-03-10 14:04 UTC\s+front matter, line 28")
        self.assertRegex(p.out, r"diagnosed\s+2026-03-10 14:36 UTC\s+line 116")
        self.assertRegex(p.out, r"impact duration\s+41 min\s+impact start → recovered")
        self.assertRegex(p.out, r"total duration\s+43 min")
        self.assertRegex(p.out, r"Gaps longer than 15 min\n\s+none")

    def test_gap_option(self):
        _, doc = timeline_json("--gap", "5", EXCELLENT)
        gaps = {(g["from"], g["to"]): g for g in doc["gaps"]}
        # 14:04 -> 14:09 is five minutes: not longer than five.
        self.assertNotIn(("2026-03-10T14:04:00+00:00", "2026-03-10T14:09:00+00:00"), gaps)
        g = gaps[("2026-03-10T14:09:00+00:00", "2026-03-10T14:15:00+00:00")]
        self.assertEqual(g["seconds"], 360)
        self.assertEqual(g["line"], 110)
        for g in doc["gaps"]:
            self.assertGreater(g["seconds"], 300)


class TimelineOnly(TempDirTest):
    def test_json_across_midnight_and_dst(self):
        path = self.write("queue.md", TIMELINE_ONLY)
        p, doc = timeline_json(path)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(doc["zone"], "America/New_York")
        self.assertEqual(doc["trigger"], "2026-03-07T23:40:00-05:00")
        self.assertEqual(doc["detected"], "2026-03-08T00:30:00-05:00")
        self.assertEqual(doc["mitigation_started"], "2026-03-08T01:35:00-05:00")
        self.assertEqual(doc["recovered"], "2026-03-08T03:10:00-04:00")
        self.assertEqual(doc["time_to_detect"], 35 * 60)
        self.assertEqual(doc["time_to_engage"], 11 * 60)
        self.assertEqual(doc["time_to_diagnose"], 50 * 60)
        # 01:20 EST to 03:10 EDT is 50 minutes, not 110.
        self.assertEqual(doc["time_to_mitigate"], 50 * 60)
        # 23:55 EST to 03:10 EDT: the clocks show 3 h 15 min, an hour was skipped.
        self.assertEqual(doc["impact_duration"], 2 * 3600 + 15 * 60)
        self.assertEqual(doc["total_duration"], 2 * 3600 + 30 * 60)
        self.assertEqual(doc["sources"]["recovered"], {"source": "timeline", "line": 13})
        self.assertEqual([(g["from"], g["to"], g["seconds"], g["line"]) for g in doc["gaps"]], [
            ("2026-03-07T23:55:00-05:00", "2026-03-08T00:30:00-05:00", 35 * 60, 9),
            ("2026-03-08T00:41:00-05:00", "2026-03-08T01:20:00-05:00", 39 * 60, 11),
            ("2026-03-08T01:35:00-05:00", "2026-03-08T03:10:00-04:00", 35 * 60, 13),
        ])

    def test_text_shows_local_times_with_abbreviations(self):
        path = self.write("queue.md", TIMELINE_ONLY)
        p = run(["timeline", path])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn("times in America/New_York", p.out)
        self.assertRegex(p.out, r"trigger\s+2026-03-07 23:40 EST\s+line 7")
        self.assertRegex(p.out, r"recovered\s+2026-03-08 03:10 EDT\s+line 13")
        self.assertRegex(p.out, r"time to mitigate\s+50 min")
        self.assertRegex(p.out, r"total duration\s+2 h 30 min")
        self.assertIn("2026-03-08 01:35 EST → 2026-03-08 03:10 EDT", p.out)

    def test_unknown_milestones_are_null_and_explained(self):
        path = self.write("short.md", "# Cache flushed\n\n## Timeline\n\n"
                          "- 2026-08-20 12:25 alert fired for hit ratio [detected]\n"
                          "- 2026-08-20 13:00 hit ratio back to normal [resolved]\n")
        _, doc = timeline_json(path)
        for key in ["trigger", "impact_start", "escalated", "diagnosed", "mitigation_started"]:
            self.assertIsNone(doc[key], key)
        for key in ["time_to_detect", "time_to_engage", "time_to_diagnose", "time_to_mitigate",
                    "impact_duration", "total_duration"]:
            self.assertIsNone(doc[key], key)
        self.assertIsNone(doc["sources"]["trigger"])
        p = run(["timeline", path])
        self.assertRegex(p.out, r"escalated\s+unknown")
        self.assertRegex(p.out, r"time to engage\s+unknown\s+detected → escalated: no escalated time")

    def test_undated_times_of_day(self):
        path = self.write("undated.md", "# Export stuck\n\n## Timeline\n\n"
                          "- 23:30 export job deployed [trigger]\n"
                          "- 23:50 alert fired [detected]\n"
                          "- 00:20 export finished [resolved]\n")
        _, doc = timeline_json(path)
        self.assertEqual(doc["trigger"], "23:30:00+00:00")
        self.assertEqual(doc["recovered"], "00:20:00+00:00")
        self.assertEqual(doc["total_duration"], 50 * 60)

    def test_standard_input(self):
        p, doc = timeline_json("-", stdin=TIMELINE_ONLY)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(doc["time_to_mitigate"], 50 * 60)

    def test_gap_default_from_config(self):
        path = self.write("queue.md", TIMELINE_ONLY)
        self.write(".debrief.yml", "rules:\n  timeline/gap: { minutes: 36 }\n")
        _, doc = timeline_json(path)
        self.assertEqual([g["seconds"] for g in doc["gaps"]], [39 * 60])
        _, doc = timeline_json("--gap", "60", path)
        self.assertEqual(doc["gaps"], [])

    def test_unknown_zone_is_reported_and_the_rest_derived(self):
        path = self.write("mars.md", "---\ntimezone: Mars/Olympus\n---\n# Rover offline\n\n"
                          "## Timeline\n\n"
                          "- 2026-02-03 10:00 antenna firmware pushed [trigger]\n"
                          "- 2026-02-03 10:30 telemetry alarm [detected]\n")
        p, doc = timeline_json(path)
        self.assertEqual(p.returncode, 0)
        self.assertIn("debrief: %s:2: unknown time zone 'Mars/Olympus'" % path, p.err)
        self.assertEqual(doc["detected"], "2026-02-03T10:30:00+00:00")


class Usage(TempDirTest):
    def test_help(self):
        p = run(["timeline", "--help"])
        self.assertEqual(p.returncode, 0)
        self.assertIn("usage: debrief timeline", p.out)
        self.assertIn("--gap MINUTES", p.out)
        self.assertIn("--format", p.out)

    def test_import_is_dispatched(self):
        p = run(["timeline", "import", "--help"])
        self.assertEqual(p.returncode, 0)
        self.assertIn("usage: debrief timeline import", p.out)

    def test_missing_file_as_lint_says_it(self):
        missing = os.path.join(self.dir, "nope.md")
        p = run(["timeline", missing])
        self.assert_git_error(p, "nope.md")
        lint = run(["lint", missing])
        self.assertEqual(p.err, lint.err)

    def test_binary_file_as_lint_says_it(self):
        path = self.write("bin.md", b"# A\x00B\n")
        p = run(["timeline", path])
        self.assert_git_error(p, "binary data")
        self.assertEqual(p.err, run(["lint", path]).err)

    def test_folder(self):
        p = run(["timeline", self.dir])
        self.assert_git_error(p, "is a folder")

    def test_bad_options(self):
        self.assert_git_error(run(["timeline", "--format", "xml", EXCELLENT]), "'xml'")
        self.assert_git_error(run(["timeline", "--gap", "0", EXCELLENT]), "--gap")
        self.assert_git_error(run(["timeline", "--gap", "ten", EXCELLENT]), "'ten'")
        self.assert_git_error(run(["timeline", "--bogus", EXCELLENT]), "--bogus")
        self.assert_git_error(run(["timeline", EXCELLENT, EXCELLENT]), "one file")
        p = run(["timeline"])
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage: debrief timeline", p.err)


if __name__ == "__main__":
    unittest.main()
