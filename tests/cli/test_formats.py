"""test_formats.py: the output formats of `debrief lint` against their fixed
shapes (DESIGN.md §6): json, SARIF 2.1.0 as code-scanning tools read it,
GitHub workflow commands, and text; all four report the same findings."""

import glob
import json
import os
import re
import unittest

from common import BARE, CORPUS, EXAMPLES, TODAY, TempDirTest, rule_ids, run

SEVERITIES = ("error", "warning", "info")
SECTION_KINDS = {"summary", "timeline", "metrics", "context", "glossary", "impact", "root-cause",
                 "response", "post-incident", "lessons", "actions", "communication"}
GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=([^,:]+),line=(\d+),col=(\d+),title=([^:]+)::(.+)$")
TEXT_LINE = re.compile(r"^(.+):(\d+):(\d+): (error|warning|info): (.+) \[([a-z-]+/[a-z-]+)\]$")


def inputs():
    """Documents with many kinds of findings: the examples and a few real ones."""
    paths = sorted(glob.glob(os.path.join(EXAMPLES, "*.md")))
    paths = [p for p in paths if os.path.basename(p) != "README.md"]
    return paths + sorted(glob.glob(os.path.join(CORPUS, "*.md")))[:6]


def lint(fmt, paths, *options):
    p = run(["lint", "--format", fmt, "--today", TODAY, "--color", "never"] + list(options) + paths)
    assert p.returncode in (0, 1), "exit %d: %s" % (p.returncode, p.err)
    return p


class Json(unittest.TestCase):
    def test_shape(self):
        paths = inputs()
        doc = json.loads(lint("json", paths).out)
        self.assertEqual(list(doc), ["files"])
        self.assertEqual([f["path"] for f in doc["files"]], paths)
        known = set(rule_ids())
        for f in doc["files"]:
            with self.subTest(path=f["path"]):
                self.assertEqual(list(f)[:4], ["path", "score", "sections", "findings"])
                self.assertIsInstance(f["score"], int)
                self.assertTrue(0 <= f["score"] <= 100)
                self.assertIsInstance(f["sections"], dict)
                for kind, score in f["sections"].items():
                    self.assertIn(kind, SECTION_KINDS)
                    self.assertIsInstance(score, int)
                    self.assertTrue(0 <= score <= 100)
                self.assertIsInstance(f["findings"], list)
                for x in f["findings"]:
                    self.assertEqual(list(x)[:5], ["rule", "severity", "line", "column", "message"])
                    self.assertIn(x["rule"], known)
                    self.assertIn(x["severity"], SEVERITIES)
                    self.assertIsInstance(x["line"], int)
                    self.assertIsInstance(x["column"], int)
                    self.assertGreaterEqual(x["line"], 1)
                    self.assertGreaterEqual(x["column"], 1)
                    self.assertTrue(x["message"] and x["message"][0].islower() or not x["message"][0].isalpha(),
                                    x["message"])
                    self.assertFalse(x["message"].endswith("."), x["message"])
                order = [(x["line"], x["column"]) for x in f["findings"]]
                self.assertEqual(order, sorted(order))

    def test_poor_examples_have_findings(self):
        paths = sorted(glob.glob(os.path.join(EXAMPLES, "poor-*.md")))
        doc = json.loads(lint("json", paths).out)
        for f in doc["files"]:
            self.assertTrue(f["findings"], f["path"])


def validate_sarif(test, sarif, known_rules):
    """The parts of SARIF 2.1.0 that code-scanning tools read."""
    test.assertEqual(sarif["version"], "2.1.0")
    test.assertIn("sarif", sarif.get("$schema", "sarif"))
    test.assertIsInstance(sarif["runs"], list)
    test.assertGreaterEqual(len(sarif["runs"]), 1)
    results = []
    for r in sarif["runs"]:
        driver = r["tool"]["driver"]
        test.assertEqual(driver["name"], "debrief")
        ids = [rule["id"] for rule in driver["rules"]]
        test.assertEqual(len(ids), len(set(ids)), "duplicate rule ids")
        test.assertEqual(set(ids), set(known_rules))
        for rule in driver["rules"]:
            test.assertTrue(rule["shortDescription"]["text"])
            test.assertIn(rule["defaultConfiguration"]["level"], ("error", "warning", "note"))
        for res in r["results"]:
            test.assertIn(res["ruleId"], ids)
            if "ruleIndex" in res:
                test.assertEqual(driver["rules"][res["ruleIndex"]]["id"], res["ruleId"])
            test.assertIn(res["level"], ("error", "warning", "note"))
            test.assertTrue(res["message"]["text"])
            loc = res["locations"][0]["physicalLocation"]
            test.assertTrue(loc["artifactLocation"]["uri"])
            test.assertIsInstance(loc["region"]["startLine"], int)
            test.assertGreaterEqual(loc["region"]["startLine"], 1)
            test.assertGreaterEqual(loc["region"].get("startColumn", 1), 1)
            results.append(res)
    return results


class Sarif(TempDirTest):
    def test_valid_and_same_findings_as_json(self):
        paths = inputs()
        results = validate_sarif(self, json.loads(lint("sarif", paths).out), rule_ids())
        doc = json.loads(lint("json", paths).out)
        expected = [(f["path"], x["rule"], x["line"], {"info": "note"}.get(x["severity"], x["severity"]),
                     x["message"]) for f in doc["files"] for x in f["findings"]]
        got = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"], r["level"], r["message"]["text"])
               for r in results]
        self.assertEqual(got, expected)

    def test_clean_run_is_still_valid(self):
        self.write(".debrief.yml", "rules:\n  structure/missing-section: off\n")
        sarif = json.loads(run(["lint", "-f", "sarif", "--fail-on", "never", self.write("bare.md", BARE)]).out)
        validate_sarif(self, sarif, rule_ids())

    def test_input_error_is_a_notification(self):
        bad = self.write("latin1.md", b"# Caf\xe9 outage\n")
        p = run(["lint", "-f", "sarif", bad])
        self.assertEqual(p.returncode, 2)
        sarif = json.loads(p.out)
        validate_sarif(self, sarif, rule_ids())
        invocation = sarif["runs"][0]["invocations"][0]
        self.assertFalse(invocation["executionSuccessful"])
        note = invocation["toolExecutionNotifications"][0]
        self.assertEqual(note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], bad)
        self.assertEqual(note["locations"][0]["physicalLocation"]["region"]["startLine"], 1)


class Github(TempDirTest):
    def test_one_command_per_finding(self):
        paths = inputs()
        out = lint("github", paths).out
        doc = json.loads(lint("json", paths).out)
        expected = [(f["path"], x["line"], x["column"], x["rule"], x["severity"])
                    for f in doc["files"] for x in f["findings"]]
        got = []
        for line in out.splitlines():
            m = GITHUB_LINE.match(line)
            self.assertIsNotNone(m, line)
            level = {"notice": "info"}.get(m.group(1), m.group(1))
            got.append((m.group(2), int(m.group(3)), int(m.group(4)), m.group(5), level))
        self.assertEqual(got, expected)

    def test_escapes_properties(self):
        path = self.write("a,b:c.md", BARE)
        out = run(["lint", "-f", "github", path]).out
        self.assertIn("file=%s,line=" % path.replace(":", "%3A").replace(",", "%2C"), out)

    def test_input_error_is_an_error_command(self):
        bad = self.write("nul.md", b"# Outage\n\nab\x00cd\n")
        p = run(["lint", "-f", "github", bad])
        self.assertEqual(p.returncode, 2)
        self.assertRegex(p.out, r"(?m)^::error file=%s,line=3,col=\d+,title=[^:]+::\S" % re.escape(bad))


class Text(unittest.TestCase):
    def test_same_findings_as_json(self):
        paths = inputs()
        out = lint("text", paths).out
        doc = json.loads(lint("json", paths).out)
        expected = [(f["path"], x["line"], x["column"], x["severity"], x["message"], x["rule"])
                    for f in doc["files"] for x in f["findings"]]
        got = []
        for line in out.splitlines():
            m = TEXT_LINE.match(line)
            if m:
                got.append((m.group(1), int(m.group(2)), int(m.group(3)), m.group(4), m.group(5), m.group(6)))
            else:
                self.assertRegex(line, r"^(.+: score \d+/100 \(.*\)|\d+ files: .*)$")
        self.assertEqual(got, expected)
        for f in doc["files"]:
            self.assertIn("%s: score %d/100" % (f["path"], f["score"]), out)


if __name__ == "__main__":
    unittest.main()
