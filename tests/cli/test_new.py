"""test_new.py: `debrief new` writes a complete template that parses and
lints, with the front matter of DESIGN.md §1 and the sections in order."""

import datetime
import json
import os
import re
import subprocess
import unittest

from common import DUMP_MODEL, TODAY, TempDirTest, run

TOP_KEYS = ["title", "id", "status", "severity", "visibility", "owner_team", "authors", "reviewer",
            "reviewer_team", "services", "regions", "tags", "timezone", "incident", "created",
            "review_started", "published", "customer_facing", "slo_breach", "security", "metrics",
            "communication"]
INCIDENT_KEYS = ["trigger", "impact_start", "detected", "mitigated", "resolved"]
SECTIONS = [("##", "Summary", "summary"), ("##", "Impact", "impact"), ("##", "Timeline", "timeline"),
            ("##", "Metrics", "metrics"), ("##", "Service context", "context"),
            ("##", "Glossary", "glossary"), ("##", "Root cause", "root-cause"),
            ("###", "Contributing factors", "root-cause"), ("##", "Response", "response"),
            ("###", "Detection", "response"), ("###", "Diagnosis", "response"),
            ("###", "Mitigation", "response"), ("###", "Blast radius", None),
            ("##", "Communication", "communication"), ("##", "Lessons learned", "lessons"),
            ("##", "Action items", "actions")]


def front_matter(text):
    """The front matter's lines, and its top-level keys with their values."""
    assert text.startswith("---\n"), text[:80]
    block = text[4:text.index("\n---\n", 4)]
    keys = {}
    for line in block.splitlines():
        m = re.match(r"^([a-z_]+):\s*(.*?)\s*(?:#.*)?$", line)
        if m:
            keys[m.group(1)] = m.group(2)
    return block, keys


def today_utc():
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


class Template(TempDirTest):
    def new(self, *args):
        p = run(["new"] + list(args))
        self.assertEqual(p.returncode, 0, p.err)
        return p.out

    def test_every_front_matter_key(self):
        block, keys = front_matter(self.new("--title", "Search results stale for 52 minutes"))
        self.assertEqual(list(keys), TOP_KEYS)
        for k in INCIDENT_KEYS:
            self.assertRegex(block, r"(?m)^  %s:" % k)
        self.assertEqual(keys["status"], "draft")
        self.assertEqual(keys["visibility"], "internal")
        self.assertEqual(keys["timezone"], "UTC")
        self.assertEqual(keys["title"], '"Search results stale for 52 minutes"')
        self.assertIn(keys["created"], (today_utc(), (datetime.date.fromisoformat(today_utc()) -
                                                      datetime.timedelta(days=1)).isoformat()))
        for k in ["severity", "owner_team", "reviewer", "review_started", "published", "customer_facing"]:
            self.assertEqual(keys[k], "", k)

    def test_id_from_date_and_title(self):
        _, keys = front_matter(self.new("--title", "Search results stale for 52 minutes (EU, US)!",
                                        "--date", "2026-03-10"))
        self.assertEqual(keys["id"], "2026-03-10-search-results-stale-for-52-minutes-eu-us")
        self.assertEqual(keys["created"][:4], today_utc()[:4])

    def test_long_title_gives_a_short_id(self):
        title = "Card payments declined for 22% of EU shoppers " * 5
        _, keys = front_matter(self.new("--title", title, "--date", "2026-03-10"))
        slug = keys["id"][len("2026-03-10-"):]
        self.assertLessEqual(len(slug), 61)
        self.assertFalse(slug.endswith("-"))
        self.assertTrue(title.lower().replace("%", "").replace(" ", "-").startswith(slug.replace("--", "-")[:20]))

    def test_given_id_severity_and_visibility(self):
        text = self.new("--id", "pm-0042", "--severity", "p2", "--visibility", "restricted")
        _, keys = front_matter(text)
        self.assertEqual(keys["id"], "pm-0042")
        self.assertEqual(keys["severity"], "SEV-2")
        self.assertEqual(keys["visibility"], "restricted")
        self.assertEqual(keys["security"], "true")
        for form in ["SEV-1", "sev3", "Sev 4", "S2", "P1"]:
            self.assertRegex(self.new("--severity", form), r"(?m)^severity: SEV-[1-4] ")

    def test_incident_times_use_the_date(self):
        text = self.new("--date", "2026-03-10")
        self.assertIn("2026-03-10T14:02:00Z", text)
        self.assertNotRegex(text, r"(?m)^  [a-z_]+: *[^#\s]")  # no incident time filled in

    def test_sections_in_order_with_hints(self):
        text = self.new("--title", "Search results stale for 52 minutes")
        body = text[text.index("\n---\n") + 5:]
        self.assertRegex(body, r"^\n# Search results stale for 52 minutes\n")
        headings = re.findall(r"(?m)^(#{2,3}) (.+)$", body)
        self.assertEqual(headings, [(level, name) for level, name, _ in SECTIONS])
        # every section opens with a hint in an HTML comment
        for _, name, _ in SECTIONS:
            self.assertRegex(body, r"(?m)^#+ %s\n\n<!-- \S" % re.escape(name))
        self.assertEqual(body.count("<!--"), body.count("-->"))
        self.assertIn("| Time (UTC) | Event |", body)
        self.assertIn("| # | Action | Owner | Due | Priority | Lesson | Status | Link |", body)
        self.assertEqual(re.findall(r"(?m)^(\d)\. Why …\? -> …$", body), ["1", "2", "3", "4", "5"])
        self.assertRegex(body, r"(?m)^## Lessons learned\n(?:.*\n)*?1\. ")

    @unittest.skipUnless(DUMP_MODEL, "needs DEBRIEF_DUMP_MODEL")
    def test_parser_finds_every_section(self):
        path = self.write("new.md", self.new("--title", "Search results stale for 52 minutes"))
        out = subprocess.run([DUMP_MODEL, path], capture_output=True, text=True, timeout=30).stdout
        found = {heading: kind for kind, heading in re.findall(r"(?m)^section L\d+ h\d (\S+)\s.*'(.+)'$", out)}
        for _, name, kind in SECTIONS:
            if kind:
                self.assertEqual(found.get(name), kind, name)
        self.assertIn("zone: UTC", out)

    def test_placeholder_title(self):
        text = self.new()
        _, keys = front_matter(text)
        self.assertIn("TBD", keys["title"])
        self.assertRegex(keys["id"], r"^\d{4}-\d\d-\d\d-incident$")

    def test_title_with_yaml_and_markdown_characters(self):
        title = 'Checkout: "pay now" failed # for 20% of users \\ EU'
        text = self.new("--title", title)
        self.assertIn("\n# %s\n" % title, text)
        p = run(["lint", "--format", "json", "-"], stdin=text, cwd=self.dir)
        self.assertIn(p.returncode, (0, 1), p.err)

    def test_title_on_two_lines_is_refused(self):
        self.assert_git_error(run(["new", "--title", "Checkout\nfailed"]), "--title")
        self.assert_git_error(run(["new", "--title", ""]), "--title")


class Lints(TempDirTest):
    def test_template_parses_and_lints(self):
        for args in ([], ["--title", "Search results stale for 52 minutes", "--severity", "SEV-1"],
                     ["--visibility", "restricted"]):
            with self.subTest(args=args):
                text = run(["new"] + args).out
                path = self.write("new.md", text)
                p = run(["lint", "--today", TODAY, "--format", "json", path])
                self.assertIn(p.returncode, (0, 1), p.err)
                self.assertEqual(json.loads(p.out)["files"][0]["path"], path)

    def test_empty_template_does_not_pass_review(self):
        path = self.write("new.md", run(["new", "--title", "Search results stale for 52 minutes"]).out)
        p = run(["lint", "--today", TODAY, path])
        self.assertEqual(p.returncode, 1, p.out)

    def test_placeholder_title_is_flagged(self):
        path = self.write("new.md", run(["new"]).out)
        p = run(["lint", "--today", TODAY, "--format", "json", path])
        rules = {(f["rule"], f["line"]) for f in json.loads(p.out)["files"][0]["findings"]}
        self.assertIn(("structure/placeholder", 2), rules)


class Output(TempDirTest):
    def test_writes_the_file(self):
        path = os.path.join(self.dir, "pm.md")
        p = run(["new", "-o", path, "--title", "Search results stale"])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(p.out, "")
        self.assertIn(path, p.err)
        with open(path) as f:
            self.assertEqual(f.read(), run(["new", "--title", "Search results stale"]).out)

    def test_refuses_to_overwrite(self):
        path = self.write("pm.md", "# My careful notes\n")
        p = run(["new", "--output", path])
        self.assert_git_error(p, "'%s' already exists" % path, "--force")
        with open(path) as f:
            self.assertEqual(f.read(), "# My careful notes\n")
        p = run(["new", "-o", path, "--force", "--title", "Search results stale"])
        self.assertEqual(p.returncode, 0, p.err)
        with open(path) as f:
            self.assertIn("# Search results stale\n", f.read())

    def test_unwritable_place(self):
        p = run(["new", "-o", os.path.join(self.dir, "no", "such", "folder", "pm.md")])
        self.assert_git_error(p, "cannot write")

    def test_dash_is_standard_output(self):
        p = run(["new", "-o", "-", "--title", "Search results stale"])
        self.assertEqual(p.returncode, 0)
        self.assertIn("# Search results stale\n", p.out)


if __name__ == "__main__":
    unittest.main()
