#!/usr/bin/env python3
"""score_labels.py: scores `debrief lint` against a folder's reviewer labels.

usage: score_labels.py DEBRIEF_BINARY FOLDER [--verbose]

FOLDER holds post mortems and a LABELS.tsv (file, rule, label, evidence) in
the corpus's format. A document counts as a finding for a rule when the rule
fires in it at least once (--today 2026-11-26). Prints per-rule counts and
the micro figures, as the shared score-review does for the corpus."""
import collections
import csv
import json
import os
import subprocess
import sys


def fired(binary, path):
    p = subprocess.run([binary, "lint", "--format", "sarif", "--today", "2026-11-26", path],
                       capture_output=True, text=True, timeout=60)
    if p.returncode not in (0, 1):
        raise RuntimeError(f"exit {p.returncode}: {p.stderr.strip()[:200]}")
    return {r["ruleId"] for run in json.loads(p.stdout)["runs"] for r in run["results"]}


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    binary, folder, verbose = argv[1], argv[2], "--verbose" in argv
    gold = collections.defaultdict(dict)
    with open(os.path.join(folder, "LABELS.tsv")) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["label"] in ("0", "1"):
                gold[row["file"]][row["rule"]] = row["label"] == "1"
    counts = collections.defaultdict(lambda: [0, 0, 0])
    notes = collections.defaultdict(list)
    for name, rules in sorted(gold.items()):
        got = fired(binary, os.path.join(folder, name))
        for rule, truth in rules.items():
            hit = rule in got
            if hit and truth:
                counts[rule][0] += 1
            elif hit:
                counts[rule][1] += 1
                notes[rule].append(f"false finding: {name}")
            elif truth:
                counts[rule][2] += 1
                notes[rule].append(f"missed: {name}")
    tp = fp = fn = 0
    for rule in sorted(counts):
        a, b, c = counts[rule]
        tp, fp, fn = tp + a, fp + b, fn + c
        p = a / (a + b) if a + b else 1.0
        r = a / (a + c) if a + c else 1.0
        print(f"{rule:32s} tp={a:3d} fp={b:3d} fn={c:3d} precision={p:.2f} recall={r:.2f}")
        if verbose:
            for n in notes[rule]:
                print(f"    {n}")
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    print(f"{len(gold)} documents: micro precision {P:.2f} recall {R:.2f} F1 {F:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
