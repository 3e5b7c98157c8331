"""common.py: what the end-to-end tests of the debrief binary share.

The tests run the real binary named by $DEBRIEF; $DEBRIEF_SOURCE is the
source tree (for examples/), $DEBRIEF_CORPUS the folder of real post mortems
and $DEBRIEF_DUMP_MODEL the parser's dump tool. tests/meson.build sets them;
by hand:

    DEBRIEF=build/debrief DEBRIEF_SOURCE=. DEBRIEF_CORPUS=../shared/corpus \\
    DEBRIEF_DUMP_MODEL=build/tests/dump-model python3 tests/cli/test_lint.py
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

DEBRIEF = os.environ.get("DEBRIEF", "debrief")
SOURCE = os.environ.get("DEBRIEF_SOURCE", os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.environ.get("DEBRIEF_CORPUS", os.path.join(SOURCE, "..", "shared", "corpus"))
DUMP_MODEL = os.environ.get("DEBRIEF_DUMP_MODEL", "")
EXAMPLES = os.path.join(SOURCE, "examples")
TODAY = "2026-11-26"

# A post mortem with a title and nothing else: structure/missing-section
# surely fires on it, at the title.
BARE = "# Search results stale for 52 minutes\n\nThe search index was rebuilt from a stale snapshot.\n"


def run(args, stdin=None, env=None, cwd=None, timeout=60):
    """Runs debrief with ARGS; STDIN is text or bytes. Fails the calling test
    on a crash (death by signal) or a hang (TIMEOUT seconds)."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    data = stdin.encode() if isinstance(stdin, str) else stdin
    try:
        p = subprocess.run([DEBRIEF] + list(args), input=data, capture_output=True, env=full_env,
                           cwd=cwd, timeout=timeout,
                           stdin=subprocess.DEVNULL if data is None else None)
    except subprocess.TimeoutExpired:
        raise AssertionError("debrief %s: no answer after %d s" % (" ".join(args), timeout))
    if p.returncode < 0:
        raise AssertionError("debrief %s: killed by signal %d\n%s" %
                             (" ".join(args), -p.returncode, p.stderr.decode(errors="replace")))
    p.out = p.stdout.decode(errors="replace")
    p.err = p.stderr.decode(errors="replace")
    return p


def lint_json(args, **kw):
    """`debrief lint --format json ARGS`, parsed; returns (process, document)."""
    p = run(["lint", "--format", "json", "--today", TODAY] + list(args), **kw)
    return p, json.loads(p.out)


def rule_ids():
    p = run(["rules", "--format", "json"])
    return [r["id"] for r in json.loads(p.out)["rules"]]


def config_all_off_but(keep=None):
    """A .debrief.yml turning off every rule except KEEP {rule: severity}."""
    keep = keep or {}
    lines = ["rules:"]
    for rule in rule_ids():
        lines.append("  %s: %s" % (rule, keep.get(rule, "off")))
    return "\n".join(lines) + "\n"


class GitStyle:
    """Assertions on error messages: git's style."""

    def assert_git_error(self, p, *words):
        self.assertEqual(p.returncode, 2, "expected exit 2\nstdout: %s\nstderr: %s" % (p.out, p.err))
        first = p.err.splitlines()[0] if p.err else ""
        self.assertTrue(first.startswith("debrief: "), "not 'debrief: …': %r" % first)
        text = first[len("debrief: "):]
        self.assertTrue(text and not text[0].isupper(), "starts with a capital: %r" % first)
        self.assertFalse(first.endswith("."), "ends with a period: %r" % first)
        for w in words:
            self.assertIn(w, p.err)


class TempDirTest(unittest.TestCase, GitStyle):
    """A test with a fresh temporary folder in self.dir."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="debrief-cli-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(text.encode() if isinstance(text, str) else text)
        return path


ANSI = re.compile(r"\x1b\[[0-9;]*m")
