#!/usr/bin/env python3
"""test_patterns.py: end-to-end tests of `debrief patterns`.

The main test generates 300 post mortems over two years whose categories,
dates, durations, severities and action items are known
(tests/patterns/generate.py) and compares the JSON report with what they
must give, exactly; review scores are checked against `debrief lint`."""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

from common import SOURCE, GitStyle, run

GENERATOR = os.path.join(SOURCE, "tests", "patterns", "generate.py")
sys.path.insert(0, os.path.dirname(GENERATOR))
from generate import rounded  # noqa: E402  the report's rounding: halves away from zero


def project(item, like):
    """ITEM with only the keys of LIKE (the report may add fields)."""
    if isinstance(like, dict):
        return {k: project(item.get(k), v) for k, v in like.items()}
    if isinstance(like, list) and isinstance(item, list) and len(item) == len(like):
        return [project(i, l) for i, l in zip(item, like)]
    return item


class Generated(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="debrief-patterns-")
        subprocess.run([sys.executable, GENERATOR, cls.dir, "--count", "300", "--seed", "4"],
                       check=True)
        with open(os.path.join(cls.dir, "expected.json")) as f:
            cls.expected = json.load(f)
        # An empty configuration: nothing from above the temporary folder leaks in.
        cls.config = os.path.join(cls.dir, "empty.yml")
        open(cls.config, "w").close()
        cls.reports = []
        for r in cls.expected["runs"]:
            p = run(["patterns", "--format", "json", "--config", cls.config] + r["args"] +
                    ["postmortems"], cwd=cls.dir)
            cls.reports.append((p, json.loads(p.out) if p.out else None, r["expected"]))
        p = run(["lint", "--format", "json", "--fail-on", "never", "--config", cls.config,
                 "--today", "2026-10-15", "postmortems"], cwd=cls.dir, timeout=120)
        cls.scores = {f["path"]: f["score"] for f in json.loads(p.out)["files"]}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def each(self):
        for p, got, want in self.reports:
            self.assertEqual(p.returncode, 0, p.err)
            yield got, want

    def test_the_set_is_large(self):
        got, _ = next(self.each())
        self.assertEqual(len(got["postmortems"]), 300)
        self.assertGreaterEqual(len(got["periods"]), 8)

    def test_every_post_mortem(self):
        for got, want in self.each():
            self.assertEqual(len(got["postmortems"]), len(want["postmortems"]))
            for g, w in zip(got["postmortems"], want["postmortems"]):
                self.assertEqual(project(g, w), w, "%s: %s" % (w["path"], g.get("evidence")))

    def test_counts_by_period(self):
        for got, want in self.each():
            self.assertEqual(got["periods"], want["periods"])

    def test_named_patterns(self):
        for got, want in self.each():
            self.assertEqual(project(got["patterns"], want["patterns"]), want["patterns"])
            for p in got["patterns"]:
                self.assertTrue(len(p["meaning"]) > 40, p)
        quarter = {p["category"]: p for p in self.reports[0][1]["patterns"]}
        # Three in one quarter; alone elsewhere.
        self.assertEqual(quarter["peak-traffic"]["periods"], ["2026-Q2"])
        # Two quarters running; the third one stands alone.
        self.assertEqual(quarter["rollback-failure"]["periods"], ["2025-Q1", "2025-Q2"])
        self.assertIn("framework for deciding what to monitor", quarter["monitoring-gap"]["meaning"])
        month = {p["category"] for p in self.reports[1][1]["patterns"]}
        self.assertNotIn("peak-traffic", month)  # April twice, June once: no run, no three
        self.assertNotIn("rollback-failure", month)

    def test_repeated_action_items(self):
        for got, want in self.each():
            self.assertGreater(len(want["repeated_actions"]), 5)
            self.assertEqual(project(got["repeated_actions"], want["repeated_actions"]),
                             want["repeated_actions"])

    def test_stale_action_items(self):
        for got, want in self.each():
            self.assertEqual(project(got["stale_actions"], want["stale_actions"]),
                             want["stale_actions"])
            self.assertTrue(all(s["age_days"] > 45 for s in got["stale_actions"]))

    def test_trends(self):
        for got, want in self.each():
            for key, series in want["trends"].items():
                self.assertEqual(got["trends"][key], series, key)

    def test_review_scores_per_period(self):
        for got, want in self.each():
            by_period = {}
            for d in want["postmortems"]:
                if d["counted"]:
                    by_period.setdefault(d["period"], []).append(self.scores[d["path"]])
            for row in got["trends"]["review_score"]:
                s = by_period.get(row["period"], [])
                self.assertEqual(row["postmortems"], len(s))
                self.assertEqual(row["mean"], rounded(sum(s), len(s), 1) if s else None, row)
            for d in got["postmortems"]:
                self.assertEqual(d["score"], self.scores[d["path"]])

    def test_undated_named_on_stderr(self):
        p = self.reports[0][0]
        undated = [d["path"] for d in self.reports[0][2]["postmortems"] if d["date"] is None]
        self.assertEqual(len(undated), 3)
        for path in undated:
            self.assertIn("debrief: %s: no date" % path, p.err)

    def test_text_report(self):
        p = run(["patterns", "--config", self.config, "--today", "2026-10-15", "postmortems"],
                cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn("300 post mortems, 297 counted from 2024-Q4 to 2026-Q3 by quarter", p.out)
        self.assertRegex(p.out, r"\n  peak-traffic \(Change during peak traffic\): 3 post mortems "
                                r"in 2026-Q2\n    What it says: changes are not scheduled")
        self.assertRegex(p.out, r"\n  rollback-failure \(Rollback failure\): 2 post mortems in "
                                r"2025-Q1, 2025-Q2\n")
        first = self.reports[0][1]["repeated_actions"][0]
        self.assertIn("  %s:%d #%d  %s\n    repeats %s:%d" % (
            first["postmortem"], first["line"], first["number"], first["action"],
            first["repeats"]["postmortem"], first["repeats"]["line"]), p.out)
        self.assertIn("Trends by quarter", p.out)
        self.assertNotIn("\033[", p.out)

    def test_html_report(self):
        out = os.path.join(self.dir, "patterns.html")
        p = run(["patterns", "--config", self.config, "--today", "2026-10-15", "--html", out,
                 "postmortems"], cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(p.out, "")
        with open(out, encoding="utf-8") as f:
            page = f.read()
        checker = TagBalance()
        checker.feed(page)
        checker.close()
        self.assertEqual(checker.stack, [], "unclosed elements")
        self.assertIn("Content-Security-Policy", page)
        self.assertNotRegex(page, r"(src|href)=\"https?:")
        self.assertNotIn("<script", page)
        # The report's own stylesheet (lib/render/style.c).
        self.assertIn(".page{max-width:60rem", page)
        # One bar segment per category and period with post mortems in it.
        got = self.reports[0][1]
        segments = sum(1 for per in got["periods"] for n in per["categories"].values() if n)
        bars = page.split("dbf-patterns-bars", 1)[1].split("</svg>", 1)[0]
        self.assertEqual(bars.count("<rect"), segments)
        self.assertIn("<title>2026-Q2: Change during peak traffic 3</title>", bars)
        lines = page.split("dbf-patterns-lines", 1)[1].split("</svg>", 1)[0]
        self.assertEqual(lines.count("<polyline"), 4)
        for pat in got["patterns"]:
            self.assertIn(pat["meaning"], page)


class TagBalance(html.parser.HTMLParser):
    VOID = {"meta", "br", "hr", "img", "input", "link", "line", "rect", "circle", "polyline",
            "path"}

    def __init__(self):
        super().__init__()
        self.stack = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            raise AssertionError("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack else ""))
        self.stack.pop()


GOOD = """---
title: Checkout errors for 20 minutes
timezone: UTC
incident:
  impact_start: 2026-02-03T10:00:00Z
  detected: 2026-02-03T10:12:00Z
---
# Checkout errors for 20 minutes

## Root cause

The connection pool was exhausted at 200 connections.

## Action items

| # | Action | Owner | Due | Status |
|---|---|---|---|---|
| 1 | Raise the pool limit to 400 | @ana | 2026-02-20 | open |
"""


class BadInput(unittest.TestCase, GitStyle):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="debrief-patterns-bad-")
        self.config = os.path.join(self.dir, "empty.yml")
        open(self.config, "w").close()

    def tearDown(self):
        for root, dirs, files in os.walk(self.dir):
            for name in files:
                os.chmod(os.path.join(root, name), 0o644)
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        return path

    def test_broken_empty_and_unreadable_files(self):
        self.write("good.md", GOOD)
        self.write("empty.md", "")
        self.write("binary.md", b"\x00\x01\x02 not text")
        self.write("broken-yaml.md", "---\ntitle: [unclosed\n---\n# X\n")
        unreadable = None
        if os.geteuid() != 0:  # root reads everything
            unreadable = self.write("secret.md", GOOD)
            os.chmod(unreadable, 0)
        p = run(["patterns", "--format", "json", "--config", self.config, "--today", "2026-03-01",
                 self.dir])
        self.assertEqual(p.returncode, 2, p.err)
        report = json.loads(p.out)
        self.assertEqual([d["path"] for d in report["postmortems"]],
                         [os.path.join(self.dir, "good.md")])
        self.assertEqual(report["periods"][0]["categories"]["capacity"], 1)
        self.assertIn("debrief: %s: empty file; left out" % os.path.join(self.dir, "empty.md"),
                      p.err)
        self.assertRegex(p.err, r"debrief: %s(:\d+:\d+)?: .*; left out" %
                         re.escape(os.path.join(self.dir, "binary.md")))
        self.assertRegex(p.err, r"debrief: %s:\d+:\d+: .*; left out" %
                         re.escape(os.path.join(self.dir, "broken-yaml.md")))
        if unreadable:
            self.assertIn("debrief: %s: " % unreadable, p.err)

    def test_empty_file_is_named_but_no_error(self):
        self.write("good.md", GOOD)
        self.write("empty.md", "\n\n")
        p = run(["patterns", "--config", self.config, "--today", "2026-03-01", self.dir])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(p.err, "debrief: %s: empty file; left out\n" %
                         os.path.join(self.dir, "empty.md"))
        self.assertIn("1 post mortem, 1 counted", p.out)
        for line in p.err.splitlines():
            self.assertTrue(line.startswith("debrief: "), line)

    def test_missing_path(self):
        self.write("good.md", GOOD)
        p = run(["patterns", "--config", self.config, self.dir, os.path.join(self.dir, "nope")])
        self.assertEqual(p.returncode, 2)
        self.assertIn("nope", p.err)
        self.assertIn("1 post mortem", p.out)

    def test_usage_errors(self):
        for args, words in [(["--period", "week", "x"], ["--period", "week"]),
                            (["--since", "March", "x"], ["--since", "March"]),
                            (["--format", "csv", "x"], ["format", "csv"])]:
            p = run(["patterns"] + args)
            self.assert_git_error(p, *words)
        p = run(["patterns"])
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage: debrief patterns", p.err)

    def test_help(self):
        p = run(["patterns", "--help"])
        self.assertEqual(p.returncode, 0)
        self.assertIn("--period UNIT", p.out)
        self.assertIn("Exit status", p.out)

    def test_configured_taxonomy(self):
        self.write("good.md", GOOD.replace("The connection pool was exhausted at 200 connections.",
                                           "A kill switch was left on after the drill."))
        self.write(".debrief.yml", "patterns:\n  in_one_period: 1\n  categories:\n"
                                   "    feature-flag:\n      name: Feature flag\n"
                                   "      meaning: flags outlive the reason they were set\n"
                                   "      words: [kill switch]\n")
        p = run(["patterns", "--format", "json", "--today", "2026-03-01", self.dir])
        self.assertEqual(p.returncode, 0, p.err)
        report = json.loads(p.out)
        # The action item still says capacity; the cause now says feature flag.
        self.assertEqual(report["postmortems"][0]["categories"], ["capacity", "feature-flag"])
        patterns = {p["category"]: p for p in report["patterns"]}
        self.assertEqual(patterns["feature-flag"]["meaning"], "flags outlive the reason they were set")
        self.assertEqual(patterns["feature-flag"]["name"], "Feature flag")
        self.assertEqual(report["rule"]["in_one_period"], 1)

    def test_bad_configuration(self):
        self.write("good.md", GOOD)
        cfg = self.write(".debrief.yml", "patterns:\n  categories:\n    capacity:\n"
                                         "      phrases: [x]\n")
        p = run(["patterns", self.dir])
        self.assert_git_error(p, cfg, "4", "phrases")


if __name__ == "__main__":
    unittest.main()
