"""test_lint.py: `debrief lint` end to end: exit codes, files and folders,
configuration discovery, standard input, --today, colour, --checklist.

Exit codes are checked under a .debrief.yml that keeps one rule on
(structure/missing-section, which fires on a bare document), so they do not
move when other rules change."""

import json
import os
import pty
import subprocess
import unittest

from common import (ANSI, BARE, DEBRIEF, EXAMPLES, TODAY, TempDirTest, config_all_off_but, lint_json,
                    rule_ids, run)

MISSING = "structure/missing-section"


class ExitCodes(TempDirTest):
    def lint_bare(self, severity, *options):
        self.write(".debrief.yml", config_all_off_but({MISSING: severity}))
        return run(["lint", "--today", TODAY] + list(options) + [self.write("bare.md", BARE)])

    def test_clean_is_0(self):
        self.assertEqual(self.lint_bare("off").returncode, 0)

    def test_findings_at_the_default_level_are_1(self):
        p = self.lint_bare("warning")
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("[%s]" % MISSING, p.out)

    def test_fail_on(self):
        cases = [
            ("warning", "error", 0), ("warning", "warning", 1), ("warning", "info", 1),
            ("warning", "never", 0), ("info", None, 0), ("info", "info", 1),
            ("error", "error", 1), ("error", "never", 0),
        ]
        for severity, fail_on, status in cases:
            with self.subTest(severity=severity, fail_on=fail_on):
                options = ["--fail-on", fail_on] if fail_on else []
                self.assertEqual(self.lint_bare(severity, *options).returncode, status)

    def test_min_score(self):
        self.assertEqual(self.lint_bare("off", "--min-score", "100").returncode, 0)
        self.assertEqual(self.lint_bare("error", "--fail-on", "never", "--min-score", "0").returncode, 0)
        p = self.lint_bare("error", "--fail-on", "never", "--format", "json")
        score = json.loads(p.out)["files"][0]["score"]
        self.assertLess(score, 100)
        self.assertEqual(self.lint_bare("error", "--fail-on", "never", "--min-score", str(score)).returncode, 0)
        self.assertEqual(self.lint_bare("error", "--fail-on", "never", "--min-score", str(score + 1)).returncode, 1)

    def test_missing_file_is_2(self):
        p = run(["lint", os.path.join(self.dir, "nope.md")])
        self.assert_git_error(p, "nope.md")

    def test_missing_file_among_good_ones(self):
        self.write(".debrief.yml", config_all_off_but())
        good = self.write("good.md", BARE)
        p = run(["lint", good, os.path.join(self.dir, "nope.md")])
        self.assertEqual(p.returncode, 2)
        self.assertIn("good.md: score", p.out)
        self.assertIn("nope.md", p.err)


class Files(TempDirTest):
    def test_folders_are_searched_for_markdown(self):
        self.write(".debrief.yml", config_all_off_but())
        for name in ["b.md", "a.md", "sub/c.md", "sub/deeper/d.md", "notes.txt", "sub/e.md.bak",
                     ".hidden/f.md", "node_modules/pkg/readme.md"]:
            self.write(name, BARE)
        p, doc = lint_json([self.dir])
        self.assertEqual(p.returncode, 0, p.err)
        paths = [os.path.relpath(f["path"], self.dir) for f in doc["files"]]
        self.assertEqual(paths, ["a.md", "b.md", "sub/c.md", "sub/deeper/d.md"])

    def deep_folder(self, total):
        """Nested folders under self.dir whose path is about TOTAL bytes long
        (more than the system can name whole), made relative to each other;
        returns (path, descriptor of the deepest)."""
        fd = os.open(self.dir, os.O_RDONLY | os.O_DIRECTORY)
        path = self.dir
        while len(path) < total:
            name = "d" * 200
            os.mkdir(name, dir_fd=fd)
            deeper = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd, path = deeper, path + "/" + name
        return path, fd

    def put(self, fd, name, text):
        out = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, text.encode())
        os.close(out)

    def test_paths_too_long_to_open_are_named_and_refused(self):
        self.write(".debrief.yml", config_all_off_but())
        self.write("a.md", BARE)
        # A file whose folder can be read but whose path is too long.
        folder, fd = self.deep_folder(4000)
        self.put(fd, "n" * 150 + ".md", BARE)
        p, doc = lint_json([self.dir])
        self.assertEqual(p.returncode, 2, p.err)
        self.assertIn("cannot read '%s/%s.md': File name too long" % (folder, "n" * 150), p.err)
        self.assertEqual([os.path.basename(f["path"]) for f in doc["files"]], ["a.md"])
        # A folder too deep to read at all is an error, not skipped.
        os.mkdir("d" * 200, dir_fd=fd)
        os.close(fd)
        p = run(["lint", self.dir])
        self.assertEqual(p.returncode, 2)
        self.assertIn("cannot read folder", p.err)
        self.assertIn("too long", p.err)

    def test_files_keep_the_order_given(self):
        a, b = self.write("a.md", BARE), self.write("b.md", BARE)
        _, doc = lint_json([b, a])
        self.assertEqual([f["path"] for f in doc["files"]], [b, a])

    def test_text_summary_for_several_files(self):
        self.write(".debrief.yml", config_all_off_but({MISSING: "error"}))
        p = run(["lint", self.write("a.md", BARE), self.write("b.md", BARE)])
        self.assertRegex(p.out, r"(?m)^2 files: \d+ errors, 0 warnings, 0 info$")

    def test_standard_input(self):
        p, doc = lint_json(["-"], stdin=BARE, cwd=self.dir)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(doc["files"][0]["path"], "-")
        lines = [f["line"] for f in doc["files"][0]["findings"] if f["rule"] == MISSING]
        self.assertEqual(set(lines), {1})
        p = run(["lint", "--color", "never", "-"], stdin=BARE, cwd=self.dir)
        self.assertRegex(p.out, r"(?m)^-:1:1: error: .*\[%s\]$" % MISSING)

    def test_standard_input_uses_the_config_of_the_working_folder(self):
        self.write(".debrief.yml", config_all_off_but())
        p = run(["lint", "-"], stdin=BARE, cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.out)


class Configuration(TempDirTest):
    def test_discovered_upward_from_the_file(self):
        self.write("team/.debrief.yml", "rules:\n  %s: off\n" % MISSING)
        inside = self.write("team/2026/q1/outage.md", BARE)
        outside = self.write("other/outage.md", BARE)
        _, doc = lint_json([inside, outside])
        rules = [[f["rule"] for f in file["findings"]] for file in doc["files"]]
        self.assertNotIn(MISSING, rules[0])
        self.assertIn(MISSING, rules[1])

    def test_a_link_takes_its_targets_configuration(self):
        # Files of one folder share its configuration; a link in that folder
        # takes the configuration of the folder it leads to.
        self.write("team/.debrief.yml", "rules:\n  %s: off\n" % MISSING)
        target = self.write("team/outage.md", BARE)
        first = self.write("other/first.md", BARE)
        last = self.write("other/last.md", BARE)
        link = os.path.join(os.path.dirname(first), "linked.md")
        os.symlink(target, link)
        _, doc = lint_json([first, link, last])
        rules = [[f["rule"] for f in file["findings"]] for file in doc["files"]]
        self.assertIn(MISSING, rules[0])
        self.assertNotIn(MISSING, rules[1])
        self.assertIn(MISSING, rules[2])

    def test_nearest_wins(self):
        self.write(".debrief.yml", "rules:\n  %s: off\n" % MISSING)
        self.write("payments/.debrief.yml", "rules:\n  %s: info\n" % MISSING)
        _, doc = lint_json([self.write("payments/declines.md", BARE)])
        severities = {f["severity"] for f in doc["files"][0]["findings"] if f["rule"] == MISSING}
        self.assertEqual(severities, {"info"})

    def test_config_option_overrides_discovery(self):
        self.write(".debrief.yml", "rules:\n  %s: off\n" % MISSING)
        other = self.write("elsewhere/strict.yml", "rules:\n  %s: error\n" % MISSING)
        _, doc = lint_json(["--config", other, self.write("outage.md", BARE)])
        self.assertIn(MISSING, [f["rule"] for f in doc["files"][0]["findings"]])

    def test_broken_config_names_file_and_line(self):
        path = self.write(".debrief.yml", "rules:\n  structure/missing-section: off\n  no/such-rule: error\n")
        p = run(["lint", self.write("outage.md", BARE)])
        self.assert_git_error(p, "%s:3: " % path, "no/such-rule")
        self.write(".debrief.yml", "rules:\n  timeline/gap: [warning\n")
        p = run(["lint", self.write("outage.md", BARE)])
        self.assert_git_error(p, ".debrief.yml:", "not valid YAML")


class Today(TempDirTest):
    DOC = """# Search results stale for 52 minutes

## Action items

| # | Action | Owner | Due | Priority | Lesson | Status |
|---|---|---|---|---|---|---|
| 1 | Alert when the search index is more than 10 minutes older than the catalogue | @mkowalski | 2026-04-01 | P1 | #1 | open |
"""

    def overdue(self, today):
        _, doc = lint_json(["--today", today, self.write("pm.md", self.DOC)])
        return [f for f in doc["files"][0]["findings"] if f["rule"] == "actions/overdue"]

    def test_today_decides_what_is_overdue(self):
        self.assertEqual(self.overdue("2026-03-20"), [])
        found = self.overdue("2026-11-26")
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0]["line"], 7)


class Colour(TempDirTest):
    def text(self, *options, env=None):
        return run(["lint"] + list(options) + [self.write("bare.md", BARE)], env=env).out

    def test_never_and_always(self):
        self.assertIsNone(ANSI.search(self.text("--color", "never")))
        self.assertIsNotNone(ANSI.search(self.text("--color", "always")))
        self.assertIsNotNone(ANSI.search(self.text("--colour", "always", env={"NO_COLOR": "1"})))
        self.assertEqual(ANSI.sub("", self.text("--color", "always")), self.text("--color", "never"))

    def test_auto_is_plain_in_a_pipe(self):
        self.assertIsNone(ANSI.search(self.text()))

    def on_terminal(self, env):
        """Runs lint with standard output on a pseudo-terminal."""
        master, slave = pty.openpty()
        full = dict(os.environ, TERM="xterm")
        full.pop("NO_COLOR", None)
        full.update(env)
        p = subprocess.Popen([DEBRIEF, "lint", self.write("bare.md", BARE)], stdout=slave,
                             stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=full)
        os.close(slave)
        out = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        p.wait(timeout=30)
        os.close(master)
        self.assertGreaterEqual(p.returncode, 0)
        return out.decode(errors="replace")

    def test_auto_colours_a_terminal(self):
        self.assertIsNotNone(ANSI.search(self.on_terminal({})))

    def test_no_color_is_honoured(self):
        self.assertIsNone(ANSI.search(self.on_terminal({"NO_COLOR": "1"})))


class Checklist(TempDirTest):
    def test_text(self):
        p = run(["lint", "--checklist", "--today", TODAY, self.write("bare.md", BARE)])
        self.assertIn("reviewer's checklist:", p.out)
        answers = [line for line in p.out.splitlines() if line.startswith("  ") and not line.startswith("   ")]
        self.assertEqual(len(answers), 5, p.out)
        for line in answers:
            self.assertRegex(line, r"^  (yes|partly|no)\s+\S.*\?$")

    # The rule groups behind each of the five questions, in their order.
    GROUPS = [("summary", "context", "title", "structure", "impact"), ("lessons",),
              ("rootcause", "language"), ("actions",), ("response", "timeline", "metrics", "communication")]

    def test_json(self):
        """Each answer lists every finding of its rule groups, in the document's
        order, and is no with an error among them, partly with a warning."""
        _, doc = lint_json(["--checklist", self.write("bare.md", BARE)])
        findings = doc["files"][0]["findings"]
        checklist = doc["files"][0]["checklist"]
        self.assertEqual(len(checklist), len(self.GROUPS))
        for q, groups in zip(checklist, self.GROUPS):
            behind = [f for f in findings if f["rule"].split("/")[0] in groups]
            self.assertTrue(q["question"].endswith("?"))
            self.assertEqual(q["findings"], [{"rule": f["rule"], "line": f["line"]} for f in behind],
                             q["question"])
            severities = {f["severity"] for f in behind}
            self.assertEqual(q["answer"], "no" if "error" in severities else
                             "partly" if "warning" in severities else "yes", q["question"])
        self.assertGreaterEqual(len([q for q in checklist if q["findings"]]), 2, checklist)
        _, doc = lint_json([self.write("bare.md", BARE)])
        self.assertNotIn("checklist", doc["files"][0])

    def test_a_bare_document_is_not_readable(self):
        _, doc = lint_json(["--checklist", self.write("bare.md", BARE)])
        self.assertNotEqual(doc["files"][0]["checklist"][0]["answer"], "yes")


class Examples(unittest.TestCase):
    """examples/ shows the standard and every way of missing it."""

    def test_excellent_has_no_finding(self):
        p, out = lint_json(["--today", "2026-03-20", os.path.join(EXAMPLES, "excellent.md")])
        self.assertEqual(p.returncode, 0)
        self.assertEqual(out["files"][0]["findings"], [])
        self.assertEqual(out["files"][0]["score"], 100)

    def test_the_poor_examples_fire_every_rule(self):
        p, out = lint_json(["--today", TODAY, EXAMPLES])
        fired = {f["rule"] for doc in out["files"] for f in doc["findings"]}
        self.assertEqual(sorted(set(rule_ids()) - fired), [])


if __name__ == "__main__":
    unittest.main()
