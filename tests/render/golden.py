#!/usr/bin/env python3
"""golden.py: golden tests of `debrief render`: the page of each example.

Each examples/NAME.md is rendered (from inside examples/, so that its
metrics and images resolve as a reader's would) and compared with
tests/render/golden/NAME.html. The page holds the SVG of the charts and of
the dot diagrams, so a change to either shows up here as a diff.

When a change of output is intended, regenerate the expected pages and
review the diff before committing:

    python3 tests/render/golden.py --update build/debrief .

With --memcheck, each run is under valgrind's memcheck and any memory
error or leak fails it (tests/tools/memcheck.py).

Usage: golden.py [--update] [--memcheck] DEBRIEF REPO_ROOT
"""

import difflib
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import memcheck  # noqa: E402


def render(debrief, examples, name, checked):
    argv = [debrief, "render", name]
    p = subprocess.run(memcheck.wrap(argv) if checked else argv, cwd=examples,
                       capture_output=True, timeout=300 if checked else 60)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors="replace"))
        raise SystemExit("%s: debrief render exited with %d" % (name, p.returncode))
    return p.stdout.decode()


def main(argv):
    update = "--update" in argv
    checked = "--memcheck" in argv
    args = [a for a in argv if a not in ("--update", "--memcheck")]
    if len(args) != 2:
        raise SystemExit(__doc__.split("\n\n")[-1].strip())
    debrief = os.path.abspath(args[0])
    root = os.path.abspath(args[1])
    examples = os.path.join(root, "examples")
    golden = os.path.join(root, "tests", "render", "golden")
    names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(examples, "*.md"))
                   if os.path.basename(p) != "README.md")
    if not names:
        raise SystemExit("no examples in %s" % examples)
    os.makedirs(golden, exist_ok=True)
    failed = 0
    for name in names:
        expected_path = os.path.join(golden, name[:-3] + ".html")
        got = render(debrief, examples, name, checked)
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
            sys.stdout.writelines(difflib.unified_diff(
                expected.splitlines(True), got.splitlines(True), expected_path,
                expected_path + " (now)", n=2))
    if update:
        print("updated %d golden pages in %s" % (len(names), golden))
        return 0
    print("%d of %d golden pages differ" % (failed, len(names)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
