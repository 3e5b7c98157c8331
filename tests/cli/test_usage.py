"""test_usage.py: help, version and usage errors of every debrief command."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

from common import DEBRIEF, GitStyle, SOURCE, run

COMMANDS = ["lint", "new", "triage", "rules", "serve", "user", "team", "import", "push", "export"]


def listed_commands():
    """The commands `debrief --help` lists (besides help itself)."""
    out = run(["--help"]).out
    names = re.findall(r"^   (\S+)\s", out.split("commands:", 1)[1], re.M)
    return [n for n in names if n != "help"]


class Usage(unittest.TestCase, GitStyle):
    def test_help_lists_every_command(self):
        p = run(["--help"])
        self.assertEqual(p.returncode, 0)
        self.assertTrue(p.out.startswith("usage: debrief "), p.out)
        for c in COMMANDS + ["help"]:
            self.assertRegex(p.out, r"(?m)^   %s\s+\S" % c)
        self.assertEqual(run(["-h"]).out, p.out)
        self.assertEqual(run(["help"]).out, p.out)

    def test_no_command_is_a_usage_error(self):
        p = run([])
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage: debrief", p.err)
        self.assertEqual(p.out, "")

    def test_version(self):
        for arg in ["--version", "version"]:
            p = run([arg])
            self.assertEqual(p.returncode, 0)
            self.assertRegex(p.out, r"^debrief \d+\.\d+\.\d+\n$")

    def test_every_command_has_help(self):
        commands = listed_commands()
        self.assertGreaterEqual(set(commands), set(COMMANDS))
        for c in commands:
            with self.subTest(command=c):
                p = run([c, "--help"])
                self.assertEqual(p.returncode, 0, p.err)
                self.assertEqual(p.err, "")
                self.assertTrue(p.out.startswith("usage: debrief %s" % c), p.out)
                # what it does: a sentence after the usage line
                self.assertRegex(p.out, r"usage: [^\n]*\n(?:[^\n]*\n)?\n[A-Z][^\n]+")
                self.assertIn("-h, --help", p.out)
                self.assertEqual(run([c, "-h"]).out, p.out)
                self.assertEqual(run(["help", c]).out, p.out)

    def test_help_describes_each_option(self):
        expected = {
            "lint": ["--format", "--fail-on", "--min-score", "--checklist", "--today", "--config", "--color"],
            "new": ["--output", "--title", "--id", "--date", "--severity", "--visibility", "--force"],
            "triage": ["--customer-facing", "--slo-breach", "--security", "--outage", "--escalation",
                       "--near-miss", "--edge-case", "--other-teams", "--process-breakdown", "--unsure",
                       "--format"],
            "rules": ["--format"],
            "user": ["--role", "--team", "--label", "--db"],
            "team": ["--member", "--db"],
            "import": ["--as", "--team", "--db"],
            "push": ["--server", "--token", "--team", "--base-revision"],
            "export": ["--as", "--db", "--server", "--token"],
        }
        for c, options in expected.items():
            out = run([c, "--help"]).out
            for o in options:
                with self.subTest(command=c, option=o):
                    # the option, then its description on the same line
                    self.assertRegex(out, r"(?m)^ .*%s\b[^\n]*\s{2,}\S" % re.escape(o))

    def test_unknown_command(self):
        p = run(["frobnicate"])
        self.assert_git_error(p, "'frobnicate' is not a debrief command")
        self.assert_git_error(run(["help", "frobnicate"]), "'frobnicate'")

    def test_unknown_option_of_every_command(self):
        for c in COMMANDS:
            with self.subTest(command=c):
                p = run([c, "--no-such-option"])
                self.assert_git_error(p, "unknown option '--no-such-option'")
                self.assertEqual(p.out, "")

    def test_option_without_its_value(self):
        for args in (["lint", "--format"], ["new", "--title"], ["triage", "--format"],
                     ["user", "add", "x", "--role"], ["team", "add", "x", "--member"], ["import", "--as"],
                     ["push", "--server"], ["export", "--as"], ["export", "x", "--db"]):
            with self.subTest(args=args):
                self.assert_git_error(run(args), "needs a value")

    def test_bad_option_values(self):
        cases = [
            (["lint", "--format", "xml", "x.md"], "'xml'"),
            (["lint", "--fail-on", "loud", "x.md"], "'loud'"),
            (["lint", "--min-score", "101", "x.md"], "'101'"),
            (["lint", "--min-score", "ten", "x.md"], "'ten'"),
            (["lint", "--today", "2026-13-01", "x.md"], "'2026-13-01'"),
            (["lint", "--today", "yesterday", "x.md"], "'yesterday'"),
            (["lint", "--color", "sometimes", "x.md"], "'sometimes'"),
            (["new", "--date", "26/11/2026"], "'26/11/2026'"),
            (["new", "--severity", "SEV-9"], "'SEV-9'"),
            (["new", "--visibility", "everyone"], "'everyone'"),
            (["new", "--id", "has spaces"], "'has spaces'"),
            (["triage", "--format", "yaml"], "'yaml'"),
            (["rules", "--format", "yaml"], "'yaml'"),
            (["rules", "--format=yaml"], "'yaml'"),
            (["lint", "--format=xml", "x.md"], "'xml'"),
            (["triage", "--format=yaml"], "'yaml'"),
            (["rules", "no/such-rule"], "'no/such-rule'"),
        ]
        for args, words in cases:
            with self.subTest(args=args):
                p = run(args)
                self.assert_git_error(p, words)
                self.assertEqual(p.out, "")

    def test_lint_without_paths(self):
        p = run(["lint"])
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage: debrief lint", p.err)

    def test_unexpected_arguments(self):
        self.assert_git_error(run(["new", "draft.md"]), "'draft.md'")
        self.assert_git_error(run(["triage", "yes"]), "'yes'")
        self.assert_git_error(run(["import", "a", "b"]), "'b'")
        self.assert_git_error(run(["export", "a", "b"]), "'b'")
        self.assert_git_error(run(["user", "list", "extra"]), "'extra'")
        self.assert_git_error(run(["team", "list", "extra"]), "'extra'")

    def test_subcommands_of_user_and_team(self):
        for command, subcommands in (("user", ["add", "passwd", "role", "token", "list"]),
                                     ("team", ["add", "list", "add-member", "remove-member"])):
            help_text = run([command, "--help"]).out
            for sub in subcommands:
                with self.subTest(command=command, subcommand=sub):
                    self.assertRegex(help_text, r"(?m)^  debrief %s %s\b" % (command, sub))
                    p = run([command, sub, "--help"])
                    self.assertEqual(p.returncode, 0)
                    self.assertEqual(p.out, help_text)
            self.assert_git_error(run([command, "frob"]), "'frob' is not a '%s' subcommand" % command)
            p = run([command])
            self.assertEqual(p.returncode, 2)
            self.assertIn("usage: debrief %s" % command, p.err)

    def test_rules_prints_the_page_of_every_rule(self):
        listing = run(["rules"]).out.splitlines()
        self.assertEqual(len(listing), 60)
        for line in listing:
            rule = line.split()[0]
            p = run(["rules", rule])
            self.assertEqual(p.returncode, 0)
            self.assertTrue(p.out.startswith("# " + rule + "\n"), rule)
            for part in ("## What it catches", "## Why it matters", "## How to fix", "### Fires on",
                         "### Passes"):
                self.assertIn(part, p.out, rule)


TEAM_COMMANDS = ["serve", "user", "team", "import", "push", "export"]
TEAM_LIBRARIES = ["libpq", "libcurl", "libh2o", "libsqlite3", "libsodium"]
PROGRAM = shutil.which(DEBRIEF) or DEBRIEF
TEAM_PROGRAM = os.path.join(os.path.dirname(os.path.abspath(PROGRAM)), "debrief-team")


class TeamProgram(unittest.TestCase):
    """The team commands run in debrief-team, beside debrief; the others
    start without the team server's libraries."""

    def needed(self, program):
        out = subprocess.run(["ldd", program], capture_output=True, text=True, check=True).stdout
        return [line.split()[0] for line in out.splitlines() if line.strip()]

    def test_the_file_commands_start_without_the_servers_libraries(self):
        needed = self.needed(PROGRAM)
        for lib in TEAM_LIBRARIES:
            self.assertFalse([n for n in needed if n.startswith(lib)], (lib, needed))
        self.assertTrue([n for n in self.needed(TEAM_PROGRAM) if n.startswith("libpq")])

    def test_a_debrief_without_its_team_program_says_so(self):
        with tempfile.TemporaryDirectory() as tmp:
            lonely = os.path.join(tmp, "debrief")
            shutil.copy(PROGRAM, lonely)
            example = os.path.join(SOURCE, "examples", "excellent.md")
            p = subprocess.run([lonely, "lint", "--fail-on", "never", example], capture_output=True,
                               text=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            for c in TEAM_COMMANDS:
                with self.subTest(command=c):
                    p = subprocess.run([lonely, c, "--help"], capture_output=True, text=True,
                                       timeout=60)
                    self.assertEqual(p.returncode, 2)
                    self.assertEqual(p.stdout, "")
                    self.assertRegex(p.stderr, r"^debrief: '%s' is run by debrief-team, which is "
                                               r"neither beside this program nor in /" % c)

    def test_debrief_team_alone_points_to_debrief(self):
        for args in ([], ["lint"]):
            p = subprocess.run([TEAM_PROGRAM] + args, capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 2)
            self.assertIn("run them as 'debrief <command>'", p.stderr)


if __name__ == "__main__":
    unittest.main()
