"""test_bad_input.py: input that is not a sound post mortem gets a clear
message with its file and line and exit 2, or findings (exit 0 or 1), never a
crash or a hang; and every real post mortem of the corpus lints."""

import glob
import os
import random
import resource
import unittest

from common import CORPUS, TODAY, TempDirTest, run

TIMEOUT = 60


class Refused(TempDirTest):
    """Input that is not a post mortem at all: exit 2, 'debrief: FILE:LINE:'."""

    def assert_refused(self, name, data, line, *words):
        path = self.write(name, data)
        p = run(["lint", "--today", TODAY, path], timeout=TIMEOUT)
        self.assert_git_error(p, "%s:%d:" % (path, line), *words)
        p = run(["lint", "--format", "json", path], timeout=TIMEOUT)
        self.assertEqual(p.returncode, 2)

    def test_not_utf8(self):
        self.assert_refused("latin1.md", "# Outage\n\nThe café's card terminals failed.\n".encode("latin-1"),
                            3, "UTF-8")

    def test_utf16(self):
        self.assert_refused("utf16.md", "# Outage\n".encode("utf-16"), 1)

    def test_binary(self):
        # the NUL is on line 3: the PNG signature holds two line ends
        self.assert_refused("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 3)

    def test_nul_byte_in_text(self):
        self.assert_refused("nul.md", b"# Outage\n\nThe queue \x00 stalled.\n", 3)

    def test_fifty_megabytes(self):
        line = b"At 14:02 UTC the deploy pipeline promoted build 4812 to every region at once.\n"
        self.assert_refused("huge.md", line * (50 * 1024 * 1024 // len(line) + 1), 1, "16 MiB")

    def test_fifty_megabytes_on_standard_input(self):
        line = b"At 14:02 UTC the deploy pipeline promoted build 4812 to every region at once.\n"
        p = run(["lint", "-"], stdin=line * (50 * 1024 * 1024 // len(line) + 1), timeout=TIMEOUT)
        self.assert_git_error(p, "-:1:", "16 MiB")

    def test_broken_front_matter(self):
        self.assert_refused("yaml.md", "---\ntitle: Checkout errors\nservices: [checkout, payments\n"
                                       "severity: SEV-2\n---\n\n# Checkout errors\n", 4, "YAML")

    def test_front_matter_with_a_tab(self):
        self.assert_refused("tab.md", "---\ntitle: Checkout errors\n\tseverity: SEV-2\n---\n# Checkout errors\n", 3)

    def test_unclosed_front_matter(self):
        path = self.write("open.md", "---\ntitle: Checkout errors\n\n# Checkout errors\n\nText.\n")
        p = run(["lint", path], timeout=TIMEOUT)
        self.assertIn(p.returncode, (0, 1, 2))
        if p.returncode == 2:
            self.assertIn("%s:" % path, p.err)


class Accepted(TempDirTest):
    """Malformed post mortems: findings, not failures."""

    def assert_linted(self, name, data, timeout=TIMEOUT):
        path = self.write(name, data)
        p = run(["lint", "--today", TODAY, "--format", "json", path], timeout=timeout)
        self.assertIn(p.returncode, (0, 1), p.err)
        return p

    def test_ragged_table(self):
        self.assert_linted("ragged.md", """# Checkout errors for 20 minutes

## Timeline

| Time (UTC) | Event | Who |
|---|---|
| 14:02 | Deploy of build 4812 starts |
| 14:04 | Errors rise to 12% | on-call engineer | extra | cells | here |
| 14:20
| | |
|
| 14:31 | Rollback complete | incident commander |

## Action items

| # | Action | Owner | Due |
|---|---|---|---|---|---|
| 1 | Add a canary stage |
| 2 | Page at 2% errors | @truiz | 2026-12-01 | P1 | #1 | open | https://example.com/pull/1 | more |
""")

    def test_nonsense_timeline(self):
        self.assert_linted("nonsense.md", """# Checkout errors for 20 minutes

## Timeline

All times in Atlantis Standard Time.

- 99:99 The moon rose over the data centre.
- 25:61 UTC+99 A cat pressed the deploy button.
- 2026-02-30 14:00 A day that does not exist.
- 00:00:00:00:00 Too many colons.
- 1234567890123:00 A very large hour.
- -5:-5 Negative time.
- 14:02 UTC+14:00 Far east.
- 14:03 UTC-12:00 Far west.
- 23:59 Just before midnight.
- 00:01 Just after.
- ::: :: :
- [trigger] [resolved] [detected] no time at all
- 14:02 - 14:01 - 14:00 backwards within one entry

### 14:08

### 08:14 PST

1200 1300 1400 2500 9999: numbers that look like times.
""")

    def test_empty_file(self):
        self.assert_linted("empty.md", "")

    def test_only_front_matter(self):
        self.assert_linted("front.md", "---\ntitle: Checkout errors\n---\n")

    def test_only_dashes(self):
        self.assert_linted("dashes.md", "---\n")

    def test_front_matter_of_the_wrong_shapes(self):
        self.assert_linted("shapes.md", """---
title: [a, list]
severity: {a: map}
services: a single string
incident: 2026-03-10
incident_extra: 1
customer_facing: maybe
metrics: "not a list"
communication:
  - just a string
  - {time: [1, 2]}
created: yesterday
authors:
  - {name: a map}
---
# Checkout errors
""")

    def test_windows_line_endings_and_bom(self):
        self.assert_linted("crlf.md", "\ufeff# Checkout errors\r\n\r\n## Summary\r\n\r\nIt broke.\r\n".encode())

    def test_deep_nesting(self):
        self.assert_linted("nested.md", "# Deep\n\n" + "".join("  " * i + "- why?\n" for i in range(2000)) +
                           "> " * 5000 + "quoted\n" + "[" * 10000 + "]" * 10000 + "\n")

    def test_long_line(self):
        self.assert_linted("long.md", "# Long\n\n" + "word " * 400000 + "\n")

    def test_many_headings_and_entries(self):
        body = "".join("## Section %d\n\n- %02d:%02d UTC entry %d\n\n" % (i, i // 60 % 24, i % 60, i)
                       for i in range(20000))
        self.assert_linted("many.md", "# Many\n\n" + body)

    def test_large_realistic_document(self):
        paragraph = ("At 14:02 UTC the deploy pipeline promoted build 4812 to every region, and from 14:04 "
                     "about 22% of card payments from EU shoppers were declined (3,870 attempts) because the "
                     "fraud-scoring service took 2.7 seconds instead of 180 ms. The on-call engineer rolled "
                     "back at 14:40 and payments recovered at 14:45.\n\n")
        self.assert_linted("large.md", "# Card payments declined\n\n## Summary\n\n" + paragraph * 12000)

    def test_random_text(self):
        rng = random.Random(20261126)
        alphabet = "abc XYZ 0123456789 #*-_|[]()<>!`~:\n\n\t>"
        for n in range(5):
            text = "".join(rng.choice(alphabet) for _ in range(20000))
            self.assert_linted("random%d.md" % n, text)

    def test_html_and_comments(self):
        self.assert_linted("html.md", """# Checkout errors

<!-- debrief-disable
<!-- debrief-disable-next-line -->
<!-- debrief-enable no/such-rule -->
<div><script>alert(1)</script>
<!-- never closed
""")


class Corpus(unittest.TestCase):
    def test_every_real_post_mortem_lints(self):
        paths = sorted(glob.glob(os.path.join(CORPUS, "*.md")))
        self.assertGreater(len(paths), 0, "no corpus at %s" % CORPUS)
        for path in paths:
            with self.subTest(path=os.path.basename(path)):
                p = run(["lint", "--today", TODAY, "--format", "sarif", path], timeout=TIMEOUT)
                self.assertIn(p.returncode, (0, 1), p.err)


class Growth(TempDirTest):
    """Eight times the text takes about eight times the CPU time, not sixty-four.
    One paragraph of thousands of lines is one block: a search that read the
    rest of its block at each place it tried would take time in the square of
    its length. CPU time, the least of three runs, with what a process costs
    before its text taken off, so that the machine's load moves nothing."""

    def cpu_seconds(self, name, text):
        path = self.write(name, text)
        best = None
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            p = run(["lint", "--today", TODAY, "--format", "json", path], timeout=180)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            self.assertIn(p.returncode, (0, 1), p.err)
            took = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            best = took if best is None else min(best, took)
        return best

    def assert_linear(self, unit, copies, section="Impact"):
        head = "# Deploy\n\n## %s\n\n" % section
        start = self.cpu_seconds("start.md", head + unit)
        small = self.cpu_seconds("small.md", head + unit * copies) - start
        big = self.cpu_seconds("big.md", head + unit * copies * 8) - start
        self.assertLess(big, 20 * max(small, 0.005),
                        "%.3f s of CPU for 8 times the text of %.3f s (%r)" % (big, small, unit))

    def test_figures_in_every_line(self):
        self.assert_linear("At 14:02 UTC the deploy pipeline promoted build 4812 to 3 regions "
                           "(12% of traffic).\n", 5000)

    def test_words_that_may_open_a_figure(self):
        self.assert_linear("about ", 60000)

    def test_numbers_without_units(self):
        self.assert_linear("1 ", 150000)

    def test_a_finding_at_every_word(self):
        self.assert_linear("TODO ", 20000, section="Action items")


if __name__ == "__main__":
    unittest.main()
