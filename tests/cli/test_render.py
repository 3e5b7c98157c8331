#!/usr/bin/env python3
"""test_render.py: end-to-end tests of `debrief render`."""
import glob
import html.parser
import json
import os
import re
import unittest

from common import EXAMPLES, TODAY, TempDirTest, run

EXAMPLE_NAMES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(EXAMPLES, "*.md"))
                       if not p.endswith("README.md"))


class Resources(html.parser.HTMLParser):
    """The elements of a page that could make the browser fetch or run something."""

    def __init__(self):
        super().__init__()
        self.fetching = []  # (tag, attribute, value) that would load something
        self.scripts = 0
        self.handlers = []  # on* attributes
        self.ids = []
        self.links = []     # in-page href="#…"
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name == "id":
                self.ids.append(value)
            if name in ("src", "srcset", "poster", "data", "xlink:href") and not value.startswith("data:"):
                self.fetching.append((tag, name, value))
            if tag == "link" or (tag == "meta" and name == "http-equiv" and value.lower() == "refresh"):
                self.fetching.append((tag, name, value))
            if name == "href" and value.startswith("#"):
                self.links.append(value[1:])
            if name == "href" and value.lower().startswith(("javascript:", "vbscript:", "data:")):
                self.handlers.append((tag, value))
        if tag in ("script", "iframe", "object", "embed", "base", "form"):
            self.scripts += 1
        if tag == "svg":
            self.svgs += 1


def scan(page):
    r = Resources()
    r.feed(page)
    return r


class Usage(TempDirTest):
    def test_help(self):
        p = run(["render", "--help"])
        self.assertEqual(p.returncode, 0)
        self.assertIn("usage: debrief render [options] FILE", p.out)
        for option in ("--output", "--findings", "--redacted", "--today", "--config"):
            self.assertIn(option, p.out)

    def test_no_file(self):
        p = run(["render"])
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage: debrief render", p.err)

    def test_unknown_option(self):
        self.assert_git_error(run(["render", "--fancy", "x.md"]), "'--fancy'")

    def test_bad_today(self):
        self.assert_git_error(run(["render", "--today", "tomorrow", "x.md"]), "'tomorrow'")

    def test_two_files(self):
        self.assert_git_error(run(["render", "a.md", "b.md"]), "one file")

    def test_missing_file(self):
        p = run(["render", os.path.join(self.dir, "nope.md")])
        self.assert_git_error(p, "nope.md", "cannot open")
        self.assertEqual(p.out, "")

    def test_unreadable_input(self):
        path = self.write("binary.md", b"\x00\x01\x02 not a post mortem")
        p = run(["render", path])
        self.assert_git_error(p, "binary.md")
        self.assertEqual(p.out, "")

    def test_unwritable_output(self):
        path = self.write("pm.md", "# Outage\n")
        p = run(["render", path, "-o", os.path.join(self.dir, "no", "such", "dir", "x.html")])
        self.assert_git_error(p, "cannot write")


class Pages(TempDirTest):
    def test_stdout_and_output_file_are_the_same_page(self):
        name = os.path.join(EXAMPLES, "excellent.md")
        p = run(["render", name])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertTrue(p.out.startswith("<!DOCTYPE html>\n"))
        self.assertTrue(p.out.rstrip().endswith("</html>"))
        out = os.path.join(self.dir, "page.html")
        q = run(["render", "-o", out, name])
        self.assertEqual(q.returncode, 0, q.err)
        self.assertEqual(q.out, "")
        with open(out) as f:
            self.assertEqual(f.read(), p.out)

    def test_examples_are_self_contained_and_inert(self):
        for name in EXAMPLE_NAMES:
            with self.subTest(name=name):
                p = run(["render", name], cwd=EXAMPLES)
                self.assertEqual(p.returncode, 0, p.err)
                r = scan(p.out)
                self.assertEqual(r.fetching, [], "would fetch")
                self.assertEqual(r.scripts, 0)
                self.assertEqual(r.handlers, [])
                self.assertIn("default-src 'none'", p.out)
                # Every in-page link has its target, and no id is used twice.
                self.assertEqual(len(r.ids), len(set(r.ids)), "duplicate ids")
                for target in r.links:
                    self.assertIn(target, r.ids, "link to a missing #%s" % target)

    def test_excellent_has_what_a_reader_needs(self):
        p = run(["render", "excellent.md"], cwd=EXAMPLES)
        self.assertEqual(p.returncode, 0, p.err)
        page = p.out
        self.assertIn("<h1>Card payments declined for 22% of EU shoppers for 41 minutes</h1>", page)
        self.assertIn('<li class="badge sev-2">SEV-2</li>', page)
        self.assertIn('<li class="badge status-published">published</li>', page)
        self.assertIn('<li class="badge vis-public">public</li>', page)
        self.assertIn("<dt>Services</dt><dd>payment-router, fraud-scoring, checkout-api</dd>", page)
        self.assertIn("<dt>Customer impact</dt><dd>41 min</dd>", page)
        self.assertIn("<dt>Time to detect</dt><dd>11 min</dd>", page)
        # The payment path diagram, drawn by Graphviz.
        self.assertIn('<figure class="diagram">\n<svg role="img"', page)
        self.assertIn(">fraud&#45;scoring</text>", page)
        # Both metric files, in the Metrics section.
        self.assertEqual(page.count('<figure class="chart metric-chart">'), 2)
        metrics = page.index('id="metrics"')
        self.assertLess(metrics, page.index("Data: <code>metrics/eu-card-declines.csv</code>"))
        self.assertLess(page.index("Data: <code>metrics/fraud-scoring-p99.csv</code>"),
                        page.index('id="service-context"'))
        # The why tree with its branch, at the end of the root cause.
        self.assertIn('<figure class="why-tree">', page)
        self.assertIn('<span class="why-number">6</span>', page)
        self.assertIn('<span class="why-number">1.4</span>', page)
        self.assertLess(page.index('<figure class="why-tree">'), page.index('id="response"'))
        # Lessons and actions, both ways.
        self.assertIn('<a href="#action-1">action 1</a>, <a href="#action-3">action 3</a>, '
                      '<a href="#action-7">action 7</a>', page)
        self.assertIn('<a href="#lesson-4">lesson 4</a>', page)
        self.assertEqual(p.err, "")

    def test_notes_do_not_fail_the_render(self):
        self.write("img/ok.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        self.write("secret.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        path = self.write("pm/outage.md",
                          "---\ntitle: Outage\nmetrics:\n  - file: gone.csv\n    title: Errors\n---\n"
                          "# Outage\n\n![fine](../img/ok.png) ![up](../secret.png)\n\n"
                          "```dot\ndigraph { a -> }\n```\n")
        p = run(["render", path])
        self.assertEqual(p.returncode, 0, p.err)
        err = p.err.splitlines()
        self.assertIn("debrief: %s:4: Metrics file 'gone.csv' is not drawn: no such file" % path, err)
        self.assertTrue(any(line.startswith("debrief: %s:9: image '../img/ok.png' is not shown: it "
                                            "is outside the document's folder" % path) for line in err), err)
        self.assertTrue(any(line.startswith("debrief: %s:11: the dot graph is not drawn: " % path)
                            for line in err), err)
        self.assertIn("Metrics file &#39;gone.csv&#39; is not drawn", p.out)
        self.assertIn("This diagram could not be drawn", p.out)
        self.assertNotIn("data:image/png", p.out)

    def test_images_below_the_folder_are_embedded(self):
        self.write("pm/img/ok.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        path = self.write("pm/outage.md", "# Outage\n\n![the graph](img/ok.png)\n")
        p = run(["render", path])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn('<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==" alt="the graph">',
                      p.out)
        self.assertEqual(p.err, "")

    def test_standard_input(self):
        p = run(["render", "-"], stdin="# From a pipe\n\nText.\n")
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn("<h1>From a pipe</h1>", p.out)

    def test_injection_in_every_place(self):
        path = self.write("evil.md",
                          "---\ntitle: \"<script>alert(1)</script>\"\nservices: ['<img src=x onerror=alert(2)>']\n---\n"
                          "# Heading <script>alert(3)</script>\n\n"
                          "<img src=\"https://tracker.example/p.gif\" onerror=\"alert(4)\">\n\n"
                          "[x](javascript:alert(5)) <a href=\"javascript:alert(6)\">y</a>\n\n"
                          "| <script>alert(7)</script> | <iframe src=\"https://e.example\"></iframe> |\n"
                          "|---|---|\n| <svg onload=alert(8)> | ![t](http://tracker.example/t.png) |\n\n"
                          "```dot\ndigraph { a [URL=\"javascript:alert(9)\"]; }\n```\n")
        p = run(["render", path])
        self.assertEqual(p.returncode, 0, p.err)
        r = scan(p.out)
        self.assertEqual(r.fetching, [])
        self.assertEqual(r.scripts, 0)
        self.assertEqual(r.handlers, [])
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", p.out)


class Findings(TempDirTest):
    def test_findings_appendix_matches_lint(self):
        name = os.path.join(EXAMPLES, "poor-shallow.md")
        p = run(["render", "--findings", "--today", TODAY, name])
        self.assertEqual(p.returncode, 0, p.err)
        lint = run(["lint", "--format", "json", "--today", TODAY, name])
        findings = json.loads(lint.out)["files"][0]["findings"]
        self.assertTrue(findings)
        self.assertIn('<h2 id="review">Review</h2>', p.out)
        rows = re.findall(r'<tr><td>(\d+):(\d+)</td><td class="sev-(\w+)">\w+</td><td><code>([^<]+)</code>',
                          p.out)
        self.assertEqual(rows, [(str(f["line"]), str(f["column"]), f["severity"], f["rule"])
                                for f in findings])
        self.assertNotIn('id="review"', run(["render", name]).out)

    def test_findings_use_the_config(self):
        path = self.write("pm.md", "# Outage\n\nSome customers were affected.\n")
        config = self.write(".debrief.yml", "rules:\n  impact/vague: off\n")
        with_config = run(["render", "--findings", "--config", config, path]).out
        self.assertNotIn("<code>impact/vague</code>", with_config)
        self.assertIn("<code>structure/missing-section</code>", with_config)


RESTRICTED = """---
title: Search results stale for 52 minutes
severity: SEV-3
visibility: restricted
owner_team: team-kestrel-secret
authors: [Priya Hiddenname, Olaf Concealed]
reviewer: Bartholomew Private
reviewer_team: team-osprey-hidden
restricted:
  customer: Initech Confidential
  ticket: SEC-4242
---
# Search results stale for 52 minutes

## Summary

The search index was rebuilt from a stale snapshot.

<!-- restricted -->
The snapshot came from bucket nightjar-private-snapshots.
<!-- /restricted -->

Recovery at 10:40, thanks to <!-- restricted -->Magnus Undisclosed<!-- /restricted --> and the team.

## Lessons

1. Snapshots need a freshness check.
"""

RESTRICTED_STRINGS = ["team-kestrel-secret", "Priya Hiddenname", "Olaf Concealed",
                      "Bartholomew Private", "team-osprey-hidden", "Initech Confidential",
                      "SEC-4242", "nightjar-private-snapshots", "Magnus Undisclosed"]


class Redacted(TempDirTest):
    def test_no_restricted_text_reaches_the_page(self):
        path = self.write("restricted.md", RESTRICTED)
        full = run(["render", "--findings", "--today", TODAY, path])
        self.assertEqual(full.returncode, 0, full.err)
        for s in RESTRICTED_STRINGS:
            if not s.startswith(("Initech", "SEC-")):  # `restricted:` is never shown
                self.assertIn(s, full.out)  # so that the test below can fail
        p = run(["render", "--redacted", "--findings", "--today", TODAY, path])
        self.assertEqual(p.returncode, 0, p.err)
        for s in RESTRICTED_STRINGS:
            self.assertNotIn(s.lower(), p.out.lower())
        self.assertIn("Redacted version", p.out)
        self.assertIn("The search index was rebuilt from a stale snapshot.", p.out)
        self.assertIn("Recovery at 10:40, thanks to", p.out)
        self.assertIn("Snapshots need a freshness check.", p.out)

    def test_excellent_redacted(self):
        p = run(["render", "--redacted", "excellent.md"], cwd=EXAMPLES)
        self.assertEqual(p.returncode, 0, p.err)
        for s in ["Lena Brandt", "Tomás Ruiz", "Amara Okafor", "risk-engineering", "storefront-sre"]:
            self.assertNotIn(s, p.out)
        self.assertIn("Redacted version", p.out)
        self.assertIn("<title>Card payments declined for 22% of EU shoppers for 41 minutes (redacted)</title>",
                      p.out)
        self.assertEqual(p.out.count('<figure class="chart metric-chart">'), 2)

    def test_names_left_in_the_text_are_reported(self):
        path = self.write("leak.md", "---\nauthors: [Rosalind Leaky]\n---\n# Outage\n\n"
                                     "Rosalind Leaky restarted the service.\n")
        p = run(["render", "--redacted", path])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn("debrief: %s:6: 'Rosalind Leaky' from the restricted front matter is still "
                      "in the text" % path, p.err)


if __name__ == "__main__":
    unittest.main()
