#!/usr/bin/env python3
"""run.py: golden tests of `debrief lint`, in the style of mandoc's and
lowdown's regression suites.

Each NAME.md here has beside it what the review must print for it:
NAME.lint (text, --color never) and NAME.json (--format json), both with
--today 2026-11-26 and the folder's own .debrief.yml, which holds the
defaults so that no configuration above this folder leaks in; the last line
of each is the exit status ("exit 1"). The runner
lints each input, diffs the output against the expected files and fails on
any difference.

When a change of output is intended, regenerate the expected files and
review the diff before committing:

    make golden-update
    # which runs: python3 tests/golden/run.py --update build/debrief

With --memcheck, each run is under valgrind's memcheck and any memory
error or leak fails it (tests/tools/memcheck.py).

Usage: run.py [--update] [--memcheck] DEBRIEF [GOLDEN_DIR]
"""

import difflib
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import memcheck  # noqa: E402

TODAY = "2026-11-26"
FORMATS = [(".lint", ["--color", "never"]), (".json", ["--format", "json"])]


def lint(debrief, folder, name, options, checked):
    """The output of one run, with the exit status as its last line."""
    argv = [debrief, "lint", "--today", TODAY] + options + [name]
    p = subprocess.run(memcheck.wrap(argv) if checked else argv, cwd=folder,
                       capture_output=True, timeout=300 if checked else 60)
    if p.returncode < 0 or p.returncode > 1:
        sys.stderr.write(p.stderr.decode(errors="replace"))
        raise SystemExit("%s: debrief exited with %d" % (name, p.returncode))
    return p.stdout.decode() + "exit %d\n" % p.returncode


def main(argv):
    update = "--update" in argv
    checked = "--memcheck" in argv
    args = [a for a in argv if a not in ("--update", "--memcheck")]
    if not args:
        raise SystemExit(__doc__.split("\n\n")[-1].strip())
    debrief = os.path.abspath(args[0])
    folder = args[1] if len(args) > 1 else os.path.dirname(os.path.abspath(__file__))
    inputs = sorted(os.path.basename(p) for p in glob.glob(os.path.join(folder, "*.md")))
    if not inputs:
        raise SystemExit("no golden inputs in %s" % folder)
    failed = 0
    for name in inputs:
        stem = name[:-3]
        for suffix, options in FORMATS:
            expected_path = os.path.join(folder, stem + suffix)
            got = lint(debrief, folder, name, options, checked)
            if update:
                with open(expected_path, "w") as f:
                    f.write(got)
                continue
            try:
                with open(expected_path) as f:
                    expected = f.read()
            except FileNotFoundError:
                expected = ""
            if got != expected:
                failed += 1
                sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                                           stem + suffix, stem + suffix + " (now)"))
    if update:
        print("updated %d golden files in %s" % (len(inputs) * len(FORMATS), folder))
        return 0
    print("%d of %d golden files differ" % (failed, len(inputs) * len(FORMATS)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
