"""test_lint_jobs.py: `debrief lint -j N` lints files on N threads and says
exactly what `-j 1` says: the same bytes on standard output and standard
error, in input order, with the same exit status; its memory stays flat as
the number of files grows."""

import glob
import os
import shutil
import subprocess
import unittest

from common import BARE, CORPUS, DEBRIEF, EXAMPLES, TODAY, TempDirTest, config_all_off_but, run

FORMATS = [["--format", "text"], ["--format", "json"], ["--format", "sarif"],
           ["--format", "github"], ["--format", "text", "--checklist"]]


def corpus_and_examples():
    return sorted(glob.glob(os.path.join(CORPUS, "*.md"))) + sorted(
        glob.glob(os.path.join(EXAMPLES, "*.md")))


class SameOutput(TempDirTest):
    def assert_same(self, args, stdin=None, jobs=("2", "4", "7")):
        one = run(["lint", "-j", "1", "--today", TODAY] + args, stdin=stdin)
        self.assertIn(one.returncode, (0, 1, 2))
        self.assertTrue(one.out, "no output for %s" % args[:4])
        for n in jobs:
            many = run(["lint", "-j", n, "--today", TODAY] + args, stdin=stdin)
            self.assertEqual(many.returncode, one.returncode, "-j %s" % n)
            self.assertEqual(many.out, one.out, "-j %s: standard output differs" % n)
            self.assertEqual(many.err, one.err, "-j %s: standard error differs" % n)
        return one

    def test_corpus_and_examples_in_every_format(self):
        files = corpus_and_examples()
        self.assertGreater(len(files), 50)
        for options in FORMATS:
            with self.subTest(options=options):
                p = self.assert_same(options + files, jobs=("4",))
                self.assertEqual(p.returncode, 1)

    def test_the_default_is_the_same_too(self):
        files = corpus_and_examples()
        one = run(["lint", "-j", "1", "--today", TODAY] + files)
        default = run(["lint", "--today", TODAY] + files)
        self.assertEqual((default.returncode, default.out, default.err),
                         (one.returncode, one.out, one.err))

    def test_many_more_files_than_slots(self):
        # 300 files through a window of a few slots per thread: each slot is
        # used many times over, and the order still holds.
        # Each of these has findings, so each file shows in the output.
        sources = [s for s in corpus_and_examples() if not s.endswith("excellent.md")]
        for i in range(300):
            src = sources[i % len(sources)]
            shutil.copy(src, os.path.join(self.dir, "%03d-%s" % (i, os.path.basename(src))))
        p = self.assert_same(["--format", "github", self.dir], jobs=("3",))
        self.assertEqual(p.out.count("::"), p.out.count("\n") * 2)
        # In input order: the github lines name the files in sorted order.
        names = [line.split("file=")[1].split(",")[0] for line in p.out.splitlines()]
        self.assertEqual(names, sorted(names))
        self.assertEqual(len(set(names)), 300)

    def test_input_errors_keep_their_place(self):
        good = self.write("a.md", open(os.path.join(EXAMPLES, "poor-process.md")).read())
        binary = self.write("b.md", b"\x00\x01\xff\xfe not text")
        self.write("bad/.debrief.yml", "rules:\n  no/such-rule: off\n")
        bad_config = self.write("bad/c.md", open(os.path.join(EXAMPLES, "excellent.md")).read())
        missing = os.path.join(self.dir, "missing.md")
        for options in FORMATS:
            with self.subTest(options=options):
                p = self.assert_same(options + [good, binary, "-", bad_config, missing, good],
                                     stdin=open(os.path.join(EXAMPLES, "poor-shallow.md")).read())
                self.assertEqual(p.returncode, 2)
                self.assertIn("no/such-rule", p.err)
                self.assertIn("missing.md", p.err)
                self.assertIn("b.md", p.err)
        # The messages come in the order of the files.
        p = run(["lint", "-j", "4", good, binary, bad_config, good])
        lines = p.err.splitlines()
        self.assertEqual(len(lines), 2, p.err)
        self.assertIn("b.md", lines[0])
        self.assertIn("no/such-rule", lines[1])

    def test_wrong_configurations_among_many_files(self):
        # Files whose configuration is wrong take their turn in the window
        # like the others, down to the last file.
        self.write("bad/.debrief.yml", "rules:\n  no/such-rule: off\n")
        sources = corpus_and_examples()
        paths = []
        for i in range(40):
            folder = "bad" if i % 3 == 2 else "good"
            paths.append(self.write("%s/%02d.md" % (folder, i),
                                    open(sources[i % len(sources)]).read()))
        p = self.assert_same(["--format", "github"] + paths, jobs=("2", "5"))
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.err.count("no/such-rule"), 13)

    def test_exit_status_follows_the_findings(self):
        self.write(".debrief.yml", config_all_off_but())
        clean = self.write("clean.md", BARE)
        for n in ("1", "3"):
            self.assertEqual(run(["lint", "-j", n, clean, clean, clean]).returncode, 0)
        self.write(".debrief.yml", config_all_off_but({"structure/missing-section": "warning"}))
        for n in ("1", "3"):
            self.assertEqual(run(["lint", "-j", n, clean, clean, clean]).returncode, 1)


class Option(TempDirTest):
    def test_bad_values_are_usage_errors(self):
        for value in ("0", "-1", "x", "2x", "", "100000"):
            with self.subTest(value=value):
                p = run(["lint", "-j", value, os.path.join(EXAMPLES, "excellent.md")])
                self.assert_git_error(p, "--jobs", "'%s'" % value)
                self.assertEqual(p.out, "")

    def test_missing_value(self):
        p = run(["lint", os.path.join(EXAMPLES, "excellent.md"), "--jobs"])
        self.assertEqual(p.returncode, 2)

    def test_long_form_and_more_jobs_than_files(self):
        path = os.path.join(EXAMPLES, "excellent.md")
        one = run(["lint", "--today", "2026-03-20", path])
        for args in (["--jobs", "64"], ["--jobs=3"], ["-j2"]):
            p = run(["lint", "--today", "2026-03-20"] + args + [path])
            self.assertEqual((p.returncode, p.out, p.err), (one.returncode, one.out, one.err))

    def test_help_tells_of_it(self):
        p = run(["lint", "--help"])
        self.assertEqual(p.returncode, 0)
        self.assertIn("-j, --jobs N", p.out)


def peak_rss_kib(args):
    """Runs debrief with ARGS, output discarded; its peak resident set in KiB."""
    proc = subprocess.Popen([DEBRIEF] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode in (0, 1), "debrief %s: exit %d" % (" ".join(args[:3]), proc.returncode)
    return usage.ru_maxrss


class Memory(TempDirTest):
    @unittest.skipIf(os.environ.get("DEBRIEF_SANITIZED"),
                     "AddressSanitizer keeps freed memory in quarantine: the peak is not the program's")
    def test_flat_as_the_files_grow(self):
        sources = corpus_and_examples()
        small = os.path.join(self.dir, "small")
        large = os.path.join(self.dir, "large")
        os.makedirs(small)
        os.makedirs(large)
        for i in range(1000):
            src = sources[i % len(sources)]
            name = "%04d-%s" % (i, os.path.basename(src))
            if i < 100:
                shutil.copy(src, os.path.join(small, name))
            shutil.copy(src, os.path.join(large, name))
        for n in ("1", "2"):
            with self.subTest(jobs=n):
                few = peak_rss_kib(["lint", "-j", n, "--today", TODAY, small])
                many = peak_rss_kib(["lint", "-j", n, "--today", TODAY, large])
                # Ten times the files: the paths grow, nothing else may.
                self.assertLess(many, few * 1.25 + 2048, "%d KiB for 100 files, %d for 1000" %
                                (few, many))


if __name__ == "__main__":
    unittest.main()
