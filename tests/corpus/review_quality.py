#!/usr/bin/env python3
"""review_quality.py: the review agrees with careful human reviewers.

usage: review_quality.py DEBRIEF_BINARY SCORER [SCORER_ARGS...]

Runs a scorer — the shared score-review tool, which lints every real post
mortem of the corpus and compares the findings with two reviewers' agreed
labels, or score_labels.py on another labelled folder — and fails when
micro-F1 falls below 0.90 or any labelled rule's precision below 0.75."""
import re
import subprocess
import sys

MIN_F1 = 0.90
MIN_PRECISION = 0.75


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    binary, tool = argv[1], argv[2]
    run = subprocess.run([sys.executable, tool, binary] + argv[3:], capture_output=True, text=True,
                         timeout=600)
    print(run.stdout, end="")
    if run.returncode != 0:
        print(run.stderr, end="")
        print("0 passed, 1 failed")
        return 1
    failures = []
    for m in re.finditer(r"^(\S+)\s+tp=\s*(\d+) fp=\s*(\d+) fn=\s*(\d+) precision=([\d.]+)", run.stdout, re.M):
        rule, tp, fp, precision = m.group(1), int(m.group(2)), int(m.group(3)), float(m.group(5))
        if tp + fp > 0 and precision < MIN_PRECISION:
            failures.append(f"{rule}: precision {precision:.2f} is below {MIN_PRECISION}")
    total = re.search(r"micro precision ([\d.]+) recall ([\d.]+) F1 ([\d.]+)", run.stdout)
    if not total:
        failures.append("score-review printed no micro figures")
    elif float(total.group(3)) < MIN_F1:
        failures.append(f"micro-F1 {total.group(3)} is below {MIN_F1}")
    for f in failures:
        print(f"FAIL: {f}")
    print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
