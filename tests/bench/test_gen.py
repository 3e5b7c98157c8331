#!/usr/bin/env python3
"""test_gen.py: the benchmark generator (bench/gen), bench/parse-floor, and smoke
runs of bench/run and bench/pair.

The generator must repeat itself byte for byte from a seed, and what it
writes must be post mortems debrief reads without an input error: a mix of
good and poor ones, metric files that exist, and a big document that
renders. No timing is asserted here; bench/run runs once in its quick mode
to show that the harness itself works.

    DEBRIEF=build/debrief DEBRIEF_SOURCE=. DEBRIEF_CORPUS=../shared/corpus \\
    python3 tests/bench/test_gen.py
"""

import importlib.machinery
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

SOURCE = os.environ.get("DEBRIEF_SOURCE", os.path.join(os.path.dirname(__file__), "..", ".."))
DEBRIEF = os.environ.get("DEBRIEF", os.path.join(SOURCE, "build", "debrief"))
CORPUS = os.environ.get("DEBRIEF_CORPUS", os.path.join(SOURCE, "..", "shared", "corpus"))
GEN = os.path.join(SOURCE, "bench", "gen")
RUN = os.path.join(SOURCE, "bench", "run")
PAIR = os.path.join(SOURCE, "bench", "pair")
PARSE_FLOOR = os.environ.get("DEBRIEF_PARSE_FLOOR",
                             os.path.join(os.path.dirname(DEBRIEF), "bench", "parse-floor"))
TODAY = "2026-11-26"


def gen(out, *args):
    p = subprocess.run([sys.executable, GEN, "--out", out, "--corpus", CORPUS] + list(args),
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise AssertionError(f"bench/gen {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p


def bench_run():
    """bench/run as a module, for its helpers."""
    loader = importlib.machinery.SourceFileLoader("bench_run", RUN)
    spec = importlib.util.spec_from_loader("bench_run", loader)
    module = importlib.util.module_from_spec(spec)
    sys.dont_write_bytecode = True
    loader.exec_module(module)
    return module


class Budget(unittest.TestCase):
    def test_what_the_rules_may_take_is_what_the_parse_leaves(self):
        text = bench_run().budget(2.0, 3.0, 6.0, 3.0, 2.0)
        self.assertEqual(text, "50x markdownlint-cli2 is lint at 2.00 s of CPU, 33% less than its "
                               "3.00 s: the parse and document model take 1.50 s of it (1.00 s the "
                               "parse floor), which leaves the review's rules 500.0 ms where they "
                               "take 1.50 s (3.0x as much)")

    def test_a_parse_over_the_budget_leaves_the_rules_nothing(self):
        text = bench_run().budget(1.0, 3.0, 3.0, 1.5, None)
        self.assertTrue(text.endswith("take 1.50 s of it, more than the whole budget, before any "
                                      "rule runs"), text)


def bench_server():
    """bench/server.py as a module."""
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.join(SOURCE, "bench"))
    try:
        import server
    finally:
        sys.path.pop(0)
    return server


class ServerLog(unittest.TestCase):
    """What bench/server.py reads of debrief serve's own log for a p99 that
    misses, from a real server's log."""

    def test_slow_requests_are_counted_from_the_server_log(self):
        server = bench_server()
        tmp = tempfile.mkdtemp(prefix="debrief-bench-log-")
        try:
            with server.Serve(DEBRIEF, "sqlite:" + os.path.join(tmp, "d.db"), tmp) as serve:
                start = serve.log_size()
                for path in ("/healthz", "/healthz", "/no-such-page"):
                    server.request(serve.port, "GET", path)
                # A request's line may be written just after its answer.
                deadline = time.monotonic() + 10
                while True:
                    end = serve.log_size()
                    every = server.slow_requests(serve.log.name, start, end, 0.0)
                    if every[0] >= 3 or time.monotonic() > deadline:
                        break
                    time.sleep(0.05)
                none = server.slow_requests(serve.log.name, start, end, 1e9)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        count, slow, slowest, when = every
        self.assertEqual((count, slow), (3, 3))
        self.assertGreater(slowest, 0.0)
        self.assertRegex(when[0], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(none, (3, 0, slowest, None))
        self.assertEqual(server.server_side(none),
                         f"by the server's own clock 0 of its 3 requests took 10 ms or more, "
                         f"the slowest {slowest:.1f} ms")
        self.assertIn(f"(the first at {when[0]}, the last at {when[1]})", server.server_side(every))


def tree(root):
    """Every file under ROOT: relative path -> bytes."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            path = os.path.join(dirpath, f)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, root)] = fh.read()
    return out


class Generator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="debrief-bench-test-")
        cls.a = os.path.join(cls.tmp, "a")
        gen(cls.a, "--seed", "7", "--count", "60", "--metrics-points", "500", "--corpus-repeat", "2")
        cls.files = tree(cls.a)
        cls.docs = sorted(p for p in cls.files if p.endswith(".md") and "/" not in p
                          and p != "big-metrics.md")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_same_seed_writes_the_same_bytes(self):
        b = os.path.join(self.tmp, "b")
        gen(b, "--seed", "7", "--count", "60", "--metrics-points", "500", "--corpus-repeat", "2")
        other = tree(b)
        self.assertEqual(sorted(other), sorted(self.files))
        for path in self.files:
            self.assertEqual(other[path], self.files[path], path)

    def test_another_seed_writes_other_documents(self):
        c = os.path.join(self.tmp, "c")
        gen(c, "--seed", "8", "--count", "60")
        other = tree(c)
        same = [p for p in self.docs if other.get(p) == self.files[p]]
        self.assertEqual(same, [])

    def test_a_smaller_count_writes_the_first_documents_unchanged(self):
        d = os.path.join(self.tmp, "d")
        gen(d, "--seed", "7", "--count", "20")
        small = {p: v for p, v in tree(d).items() if "/" not in p}
        self.assertEqual(len(small), 20)
        for path, data in small.items():
            self.assertEqual(self.files.get(path), data, path)

    def test_count_and_corpus_copies(self):
        self.assertEqual(len(self.docs), 60)
        real = sorted(n for n in os.listdir(CORPUS) if n.endswith(".md"))
        copies = sorted(p for p in self.files if p.startswith("corpus" + os.sep))
        self.assertEqual(len(copies), 2 * len(real))
        with open(os.path.join(CORPUS, real[0]), "rb") as f:
            self.assertEqual(self.files[os.path.join("corpus", "r0002--" + real[0])], f.read())

    def test_every_metric_file_named_in_front_matter_exists(self):
        named = 0
        for path in self.docs + ["big-metrics.md"]:
            for ref in re.findall(r"^  - file: (\S+)$", self.files[path].decode(), re.M):
                named += 1
                self.assertIn(os.path.normpath(ref), self.files, f"{path} names {ref}")
        self.assertGreater(named, 5)
        big = [v for p, v in self.files.items() if p.startswith(os.path.join("metrics", "big-500-"))]
        self.assertEqual(len(big), 2)
        for data in big:
            lines = data.decode().splitlines()
            self.assertEqual(len(lines), 501)
            self.assertEqual(lines[0], "time,eu_central,us_east")

    def test_debrief_reads_every_document_without_an_input_error(self):
        p = subprocess.run([DEBRIEF, "lint", "--format", "json", "--today", TODAY,
                            "--fail-on", "never", self.a], capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        report = json.loads(p.stdout)
        paths = sorted(os.path.relpath(f["path"], self.a) for f in report["files"])
        expected = sorted(p for p in self.files if p.endswith(".md"))
        self.assertEqual(paths, expected)
        scores = [f["score"] for f in report["files"]
                  if os.path.relpath(f["path"], self.a) in self.docs]
        # A realistic mix: some written to the standard, some far from it.
        self.assertGreaterEqual(max(scores), 85, scores)
        self.assertLessEqual(min(scores), 60, scores)

    def test_the_big_document_renders_its_graphs(self):
        out = os.path.join(self.tmp, "big.html")
        p = subprocess.run([DEBRIEF, "render", "--today", TODAY, "-o", out,
                            os.path.join(self.a, "big-metrics.md")],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, encoding="utf-8") as f:
            page = f.read()
        self.assertGreaterEqual(page.count("<svg"), 2)
        self.assertIn("eu_central", page)

    def test_bad_arguments_are_refused(self):
        p = subprocess.run([sys.executable, GEN, "--out", os.path.join(self.tmp, "x"), "--count", "-1"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("must not be negative", p.stderr)

    def test_parse_floor_parses_each_file(self):
        docs = [os.path.join(self.a, d) for d in self.docs]
        p = subprocess.run([PARSE_FLOOR] + docs, capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        m = re.fullmatch(r"(\d+) files: (\d+) front matter events, (\d+) nodes, (\d+) bytes of text\n",
                         p.stdout)
        self.assertIsNotNone(m, p.stdout)
        files, events, nodes, text = map(int, m.groups())
        self.assertEqual(files, len(docs))
        with_front_matter = sum(self.files[d].startswith(b"---\n") for d in self.docs)
        self.assertGreater(with_front_matter, 0)
        # A mapping's stream, document and mapping events and a scalar a key and value.
        self.assertGreaterEqual(events, 9 * with_front_matter)
        self.assertGreater(nodes, 20 * len(docs))
        self.assertGreater(text, sum(len(self.files[d]) for d in self.docs) // 4)

    def test_parse_floor_names_a_file_it_cannot_read(self):
        missing = os.path.join(self.tmp, "no-such.md")
        p = subprocess.run([PARSE_FLOOR, os.path.join(self.a, self.docs[0]), missing],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn(f"parse-floor: cannot read '{missing}'", p.stderr)
        p = subprocess.run([PARSE_FLOOR], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage: parse-floor FILE...", p.stderr)

    def test_lint_with_every_rule_off_reports_nothing(self):
        config = bench_run().rules_off_config(DEBRIEF, self.tmp)
        argv = [DEBRIEF, "lint", "--format", "json", "--today", TODAY, "--fail-on", "never", self.a]
        on = json.loads(subprocess.run(argv, capture_output=True, text=True, timeout=300).stdout)
        p = subprocess.run(argv + ["--config", config], capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        off = json.loads(p.stdout)
        self.assertEqual(len(off["files"]), len(on["files"]))
        self.assertGreater(sum(len(f["findings"]) for f in on["files"]), 0)
        self.assertEqual([f["findings"] for f in off["files"] if f["findings"]], [])

    def test_pair_compares_two_builds_over_the_same_files(self):
        listing = os.path.join(self.tmp, "pair.list")
        with open(listing, "w", encoding="utf-8") as f:
            f.writelines(os.path.join(self.a, d) + "\n" for d in self.docs[:20])
        p = subprocess.run([sys.executable, PAIR, "--pairs", "3", "--files", listing, DEBRIEF,
                            DEBRIEF], capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"^20 files, 3 pairs: old [\d.]+ ms, new [\d.]+ ms CPU "
                                   r"\(medians\); new/old [\d.]+ \(median\)")

    def test_pair_explains_itself(self):
        p = subprocess.run([sys.executable, PAIR, "--help"], capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        for words in ("Runs OLD and NEW in turns", "--pairs PAIRS", "--files LIST",
                      "the debrief executable measured", "Exit status"):
            self.assertIn(words, p.stdout)

    def test_pair_refuses_a_failing_build(self):
        listing = os.path.join(self.tmp, "pair-one.list")
        with open(listing, "w", encoding="utf-8") as f:
            f.write(os.path.join(self.a, self.docs[0]) + "\n")
        p = subprocess.run([sys.executable, PAIR, "--pairs", "2", "--files", listing, DEBRIEF,
                            os.path.join(self.tmp, "no-such-debrief")], capture_output=True,
                           text=True, timeout=300)
        self.assertEqual(p.returncode, 2)
        self.assertIn("bench/pair:", p.stderr)


@unittest.skipUnless(os.access("/usr/bin/time", os.X_OK), "GNU time is not installed")
class QuickRun(unittest.TestCase):
    def test_the_harness_prints_each_figure_beside_its_reference(self):
        report = tempfile.NamedTemporaryFile("r", suffix=".md", delete=False)
        report.close()
        try:
            env = dict(os.environ, BENCH_QUICK="1")
            p = subprocess.run([sys.executable, RUN, "--debrief", DEBRIEF, "--only", "render",
                                "--report", report.name], capture_output=True, text=True,
                               env=env, timeout=300)
            # 0 or 1 (a target missed) are both answers; 2 is the harness failing.
            self.assertIn(p.returncode, (0, 1), p.stdout + p.stderr)
            self.assertRegex(p.stdout, r"render 10,000 points/series: time less its data's read "
                                       r"vs 1,000 .* <= 2x +(ok|MISS)")
            with open(report.name, encoding="utf-8") as f:
                md = f.read()
            self.assertIn("| Measure | debrief | Reference | Ratio | Target | Result |", md)
            self.assertIn("- CPU: ", md)
        finally:
            os.unlink(report.name)


if __name__ == "__main__":
    unittest.main()
