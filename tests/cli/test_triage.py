"""test_triage.py: `debrief triage` decides from flags, or asks on a terminal."""

import json
import os
import pty
import select
import subprocess
import time
import unittest

from common import DEBRIEF, GitStyle, run

REQUIRED = ["--customer-facing", "--slo-breach", "--security", "--outage", "--escalation"]
STRONGLY = ["--near-miss", "--edge-case", "--other-teams", "--process-breakdown"]
QUESTIONS = 10


def triage_json(*flags):
    p = run(["triage", "--format", "json"] + list(flags))
    assert p.returncode == 0, p.err
    return json.loads(p.out)


class Flags(unittest.TestCase, GitStyle):
    def test_required(self):
        for flag in REQUIRED:
            with self.subTest(flag=flag):
                v = triage_json(flag)
                self.assertEqual(v["decision"], "required")
                self.assertEqual(len(v["reasons"]), 1)
                self.assertIn("debrief new --title", v["command"])

    def test_strongly_consider(self):
        for flag in STRONGLY:
            with self.subTest(flag=flag):
                v = triage_json(flag)
                self.assertEqual(v["decision"], "strongly-consider")
                self.assertEqual(v["visibility"], "internal")

    def test_unsure_writes_an_internal_one(self):
        v = triage_json("--unsure")
        self.assertEqual((v["decision"], v["visibility"]), ("internal", "internal"))

    def test_nothing_applies(self):
        v = triage_json()
        self.assertEqual(v, {"decision": "not-needed", "visibility": "internal", "reasons": [], "command": None})

    def test_strongest_answer_decides(self):
        v = triage_json("--near-miss", "--unsure", "--slo-breach", "--other-teams")
        self.assertEqual(v["decision"], "required")
        self.assertEqual(len(v["reasons"]), 4)
        self.assertEqual(triage_json("--unsure", "--edge-case")["decision"], "strongly-consider")

    def test_reasons_name_the_answers(self):
        v = triage_json("--slo-breach", "--other-teams")
        self.assertEqual(v["reasons"], ["a service level objective was breached", "other teams were disrupted"])

    def test_visibility(self):
        self.assertEqual(triage_json("--customer-facing")["visibility"], "public")
        self.assertEqual(triage_json("--security")["visibility"], "restricted")
        self.assertEqual(triage_json("--security", "--customer-facing")["visibility"], "restricted")
        self.assertEqual(triage_json("--outage")["visibility"], "internal")
        self.assertIn("--visibility restricted", triage_json("--security")["command"])

    def test_text(self):
        p = run(["triage", "--customer-facing", "--near-miss"])
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.out, r"(?m)^A post mortem is required:$")
        self.assertRegex(p.out, r"(?m)^  - customers saw a disruption$")
        self.assertRegex(p.out, r"(?m)^  - it was a near miss$")
        self.assertRegex(p.out, r"(?m)^Visibility: public \(.+\)\.$")
        self.assertRegex(p.out, r"(?m)^  debrief new --title '.+' --visibility public -o \S+\.md$")
        self.assertRegex(run(["triage", "--edge-case"]).out, r"^Strongly consider writing a post mortem:\n")
        self.assertRegex(run(["triage", "--unsure"]).out, r"^Write an internal post mortem")
        p = run(["triage"])
        self.assertEqual(p.returncode, 0)
        self.assertIn("No post mortem is needed", p.out)
        self.assertNotIn("debrief new", p.out)

    def test_the_suggested_command_works(self):
        command = triage_json("--security")["command"].split()
        self.assertEqual(command[:2], ["debrief", "new"])
        p = run(["new", "--visibility", "restricted", "--title", "Leaked tokens", "-o", "-"])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn("\nvisibility: restricted ", p.out)


class Interactive(unittest.TestCase):
    """Standard input on a pseudo-terminal and no flag: the questions are asked."""

    def converse(self, answers, *args):
        """Answers each prompt in turn; returns (stdout, what the terminal showed)."""
        master, slave = pty.openpty()
        p = subprocess.Popen([DEBRIEF, "triage"] + list(args), stdin=slave, stderr=slave,
                             stdout=subprocess.PIPE)
        os.close(slave)
        shown, pending = b"", list(answers)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                shown += chunk
                while pending and shown.count(b"[y/N] ") > len(answers) - len(pending):
                    os.write(master, pending.pop(0).encode())
            if p.poll() is not None and not ready:
                break
        out = p.communicate(timeout=30)[0].decode()
        os.close(master)
        self.assertEqual(p.returncode, 0)
        return out, shown.decode(errors="replace")

    def test_asks_every_question(self):
        out, shown = self.converse(["n\n"] * QUESTIONS, "--format", "json")
        self.assertEqual(shown.count("[y/N] "), QUESTIONS)
        self.assertIn("Did customers see a disruption?", shown)
        self.assertEqual(json.loads(out)["decision"], "not-needed")

    def test_a_yes_decides(self):
        answers = ["y\n"] + ["\n"] * (QUESTIONS - 1)
        out, shown = self.converse(answers, "--format", "json")
        v = json.loads(out)
        self.assertEqual((v["decision"], v["visibility"]), ("required", "public"))
        self.assertEqual(v["reasons"], ["customers saw a disruption"])
        # "unsure" is not asked once something applies
        self.assertEqual(shown.count("[y/N] "), QUESTIONS - 1)

    def test_security_answer_in_text(self):
        answers = ["no\n", "NO\n", "yes\n"] + ["n\n"] * (QUESTIONS - 3)
        out, _ = self.converse(answers)
        self.assertIn("A post mortem is required", out)
        self.assertIn("Visibility: restricted", out)

    def test_unclear_answer_is_asked_again(self):
        answers = ["maybe\n", "y\n"] + ["n\n"] * (QUESTIONS - 1)
        out, shown = self.converse(answers, "--format", "json")
        self.assertIn("please answer y or n", shown)
        self.assertEqual(json.loads(out)["reasons"], ["customers saw a disruption"])

    def test_end_of_input_answers_no(self):
        out, _ = self.converse(["n\n", "y\n", "\x04"], "--format", "json")
        v = json.loads(out)
        self.assertEqual(v["reasons"], ["a service level objective was breached"])

    def test_flags_skip_the_questions(self):
        out, shown = self.converse([], "--near-miss", "--format", "json")
        self.assertNotIn("[y/N]", shown)
        self.assertEqual(json.loads(out)["decision"], "strongly-consider")


if __name__ == "__main__":
    unittest.main()
