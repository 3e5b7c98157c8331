#!/usr/bin/env python3
"""test_actions.py: end-to-end tests of `debrief actions`.

The fixtures in tests/fixtures/actions/team are six post mortems with action
items in tables and lists, judged against 2026-11-26; damaged/ adds an empty
file, broken front matter, a Latin-1 file and one good post mortem. The CSV
is read back with Python's csv module and the iCalendar with the icalendar
package (Debian's python3-icalendar).
"""
import csv
import io
import json
import os
import sys
import unicodedata
import unittest

from common import ANSI, TODAY, SOURCE, GitStyle, TempDirTest, run

FIXTURES = os.path.join(SOURCE, "tests", "fixtures", "actions")
TEAM = os.path.join(FIXTURES, "team")
DAMAGED = os.path.join(FIXTURES, "damaged")


def load_icalendar():
    """The icalendar module; Debian installs it for its own python3, which
    may not be the interpreter running the tests."""
    try:
        import icalendar
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        try:
            import icalendar
        except ImportError:
            raise AssertionError("the iCalendar check needs python3-icalendar "
                                 "(scripts/install-deps installs it)")
    return icalendar


def actions(args, **kw):
    return run(["actions", "--today", TODAY] + list(args), **kw)


def actions_json(args, **kw):
    p = actions(["--format", "json"] + list(args), **kw)
    return p, json.loads(p.out)


def names(doc):
    return ["%s#%s" % (i["postmortem"], i["number"]) for i in doc["items"]]


# Every item of team/, in follow-up order against 2026-11-26: overdue first
# (most overdue first), then by deadline, no deadline last.
TEAM_ORDER = [
    "tls-cert-expiry#1",            # 2026-09-30, 57 days overdue
    "checkout-queue-exhaustion#1",  # 2026-10-15, 42
    "2026-10-dns-resolver#1",       # 2026-11-20, 6
    "db-failover-slow#2",           # 2026-08-01, done
    "db-failover-slow#1",           # 2026-08-15, done
    "checkout-queue-exhaustion#3",  # 2026-10-01, done
    "2026-10-dns-resolver#2",       # 2026-10-30, done
    "deploy-during-freeze#3",       # 2026-12-01
    "checkout-queue-exhaustion#2",  # 2026-12-05
    "deploy-during-freeze#1",       # 2026-12-16
    "tls-cert-expiry#2",            # 2026-12-20
    "2026-10-dns-resolver#3",       # 2027-01-15
    "deploy-during-freeze#2",       # no deadline
]


class Json(unittest.TestCase):
    def test_every_item_in_follow_up_order(self):
        p, doc = actions_json([TEAM])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(p.err, "")
        self.assertEqual(names(doc), TEAM_ORDER)
        self.assertEqual([i["days_overdue"] for i in doc["items"][:4]], [57, 42, 6, 0])
        self.assertTrue(all(i["days_overdue"] == 0 for i in doc["items"][3:]))

    def test_fields_of_design_6(self):
        _, doc = actions_json([TEAM])
        keys = {"postmortem", "number", "description", "owner", "due", "priority", "lessons",
                "status", "link", "days_overdue"}
        for item in doc["items"]:
            self.assertTrue(keys <= set(item), item)
        self.assertTrue({"open", "done", "overdue", "completion_rate"} <= set(doc["summary"]))
        first = doc["items"][0]
        self.assertEqual(first["postmortem"], "tls-cert-expiry")
        self.assertEqual(first["number"], 1)
        self.assertEqual(first["description"],
                         'Renew certificates with "certbot", not by hand; alert 30 days before '
                         'expiry, check C:\\certs on the Windows hosts too')
        self.assertEqual(first["owner"], "Zoë Müller")
        self.assertEqual(first["due"], "2026-09-30")
        self.assertEqual(first["priority"], "P0")
        self.assertEqual(first["priority_text"], "critical")
        self.assertEqual(first["lessons"], [1])
        self.assertEqual(first["status"], "open")
        self.assertIsNone(first["link"])
        self.assertEqual(first["path"], os.path.join(TEAM, "2026-08-cert-expiry.md"))
        self.assertEqual(first["line"], 15)

    def test_list_items_lose_their_inline_fields(self):
        _, doc = actions_json([TEAM])
        by = {n: i for n, i in zip(names(doc), doc["items"])}
        dns = by["2026-10-dns-resolver#2"]
        self.assertEqual(dns["description"],
                         "Add the DNS resolution failure rate to the edge dashboard")
        self.assertEqual(dns["owner"], "@erik")
        self.assertEqual(dns["status"], "done")
        self.assertEqual(dns["link"], "https://git.example.com/edge/pull/88")
        self.assertEqual(dns["priority"], "P3")  # "low"
        failover = by["db-failover-slow#1"]
        self.assertEqual(failover["description"],
                         "Rehearse the primary failover every quarter in production")
        self.assertEqual(failover["status"], "done")  # "- [x]"
        # "whenever" is no priority: kept as written, not normalised.
        freeze = by["deploy-during-freeze#2"]
        self.assertIsNone(freeze["priority"])
        self.assertEqual(freeze["priority_text"], "whenever")
        self.assertIsNone(freeze["due"])

    def test_summary(self):
        _, doc = actions_json([TEAM])
        s = doc["summary"]
        self.assertEqual((s["total"], s["open"], s["done"], s["overdue"]), (13, 9, 4, 3))
        self.assertAlmostEqual(s["completion_rate"], 4 / 13, places=3)

    def test_overdue_depends_on_today(self):
        p = run(["actions", "--format", "json", "--today", "2026-10-20", TEAM])
        doc = json.loads(p.out)
        overdue = [(n, i["days_overdue"]) for n, i in zip(names(doc), doc["items"])
                   if i["days_overdue"]]
        self.assertEqual(overdue, [("tls-cert-expiry#1", 20), ("checkout-queue-exhaustion#1", 5)])


class Filters(unittest.TestCase):
    def test_owner_by_handle_or_name_in_any_case(self):
        for owner in ("alice", "@alice", "ALICE"):
            _, doc = actions_json(["--owner", owner, TEAM])
            self.assertEqual(names(doc), ["checkout-queue-exhaustion#1", "deploy-during-freeze#1",
                                          "2026-10-dns-resolver#3"], owner)
        _, doc = actions_json(["--owner", "bob stone", TEAM])
        self.assertEqual(names(doc), ["checkout-queue-exhaustion#2"])
        _, doc = actions_json(["--owner", "zoë", TEAM])
        self.assertEqual(names(doc), ["tls-cert-expiry#1"])
        _, doc = actions_json(["--owner", "ali", TEAM])
        self.assertEqual(names(doc), [])

    def test_status(self):
        _, done = actions_json(["--status", "done", TEAM])
        self.assertEqual(len(done["items"]), 4)
        self.assertTrue(all(i["status"] == "done" for i in done["items"]))
        _, open_ = actions_json(["--status", "open", TEAM])
        self.assertEqual(len(open_["items"]), 9)
        self.assertEqual(open_["summary"]["completion_rate"], 0)

    def test_overdue(self):
        _, doc = actions_json(["--overdue", TEAM])
        self.assertEqual(names(doc), TEAM_ORDER[:3])

    def test_due_within(self):
        _, two_weeks = actions_json(["--due-within", "14d", TEAM])
        self.assertEqual(names(two_weeks), TEAM_ORDER[:3] + ["deploy-during-freeze#3",
                                                            "checkout-queue-exhaustion#2"])
        _, weeks = actions_json(["--due-within", "2w", TEAM])
        self.assertEqual(names(weeks), names(two_weeks))
        _, month = actions_json(["--due-within", "30d", TEAM])
        self.assertEqual(names(month), names(two_weeks) + ["deploy-during-freeze#1",
                                                          "tls-cert-expiry#2"])

    def test_priority_normalised(self):
        _, p1 = actions_json(["--priority", "P1", TEAM])
        # "P1" and "high" are the same priority.
        self.assertEqual(names(p1), ["checkout-queue-exhaustion#1", "db-failover-slow#2",
                                     "checkout-queue-exhaustion#2", "deploy-during-freeze#1"])
        _, high = actions_json(["--priority", "high", TEAM])
        self.assertEqual(names(high), names(p1))
        _, top = actions_json(["--priority", "critical,P1", TEAM])
        self.assertEqual(len(top["items"]), 6)

    def test_filters_combine(self):
        _, doc = actions_json(["--owner", "alice", "--overdue", TEAM])
        self.assertEqual(names(doc), ["checkout-queue-exhaustion#1"])


class FailOnOverdue(unittest.TestCase):
    def test_exit_1_when_an_item_is_overdue(self):
        p = actions(["--fail-on-overdue", TEAM])
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("3 overdue", p.out)

    def test_exit_0_when_none_is(self):
        p = run(["actions", "--fail-on-overdue", "--today", "2026-09-01", TEAM])
        self.assertEqual(p.returncode, 0, p.err)
        # Only the items listed count: alice's one overdue item fails, bob's do not.
        self.assertEqual(actions(["--fail-on-overdue", "--owner", "bob", TEAM]).returncode, 0)
        self.assertEqual(actions(["--fail-on-overdue", "--owner", "alice", TEAM]).returncode, 1)


class Csv(unittest.TestCase):
    def test_parsed_back_by_the_csv_module(self):
        p = actions(["--format", "csv", TEAM])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertTrue(p.stdout.endswith(b"\r\n"))
        rows = list(csv.DictReader(io.StringIO(p.stdout.decode("utf-8"), newline="")))
        _, doc = actions_json([TEAM])
        self.assertEqual(len(rows), len(doc["items"]))
        for row, item in zip(rows, doc["items"]):
            self.assertEqual(row["postmortem"], item["postmortem"])
            self.assertEqual(row["number"], str(item["number"]))
            self.assertEqual(row["description"], item["description"])
            self.assertEqual(row["owner"], item["owner"] or "")
            self.assertEqual(row["due"], item["due"] or "")
            self.assertEqual(row["priority"], item["priority"] or "")
            self.assertEqual(row["lessons"], " ".join(str(n) for n in item["lessons"]))
            self.assertEqual(row["status"], item["status"])
            self.assertEqual(row["link"], item["link"] or "")
            self.assertEqual(int(row["days_overdue"]), item["days_overdue"])
        # Commas, quotes and semicolons survive the round trip.
        self.assertIn('"certbot", not by hand; alert', rows[0]["description"])

    def test_header_names_the_columns(self):
        p = actions(["--format", "csv", "--status", "done", TEAM])
        header = p.out.split("\r\n")[0]
        self.assertEqual(header, "postmortem,number,description,owner,due,priority,lessons,"
                                 "status,link,days_overdue,title,path,line")


class ICalendar(unittest.TestCase):
    def ics(self, today=TODAY, *args):
        p = run(["actions", "--format", "ics", "--today", today] + list(args) + [TEAM])
        self.assertEqual(p.returncode, 0, p.err)
        return p.stdout

    def test_parsed_back_by_a_real_parser(self):
        icalendar = load_icalendar()
        data = self.ics()
        calendar = icalendar.Calendar.from_ical(data)
        self.assertEqual(str(calendar["VERSION"]), "2.0")
        self.assertTrue(str(calendar["PRODID"]))
        todos = calendar.walk("VTODO")
        _, doc = actions_json([TEAM])
        self.assertEqual(len(todos), len(doc["items"]))
        for todo, item in zip(todos, doc["items"]):
            self.assertEqual(str(todo["SUMMARY"]), item["description"])
            if item["due"]:
                self.assertEqual(todo.decoded("DUE").isoformat(), item["due"])
                self.assertEqual(todo["DUE"].params.get("VALUE"), "DATE")
            else:
                self.assertNotIn("DUE", todo)
            self.assertEqual(str(todo["STATUS"]),
                             "COMPLETED" if item["status"] == "done" else "NEEDS-ACTION")
            description = str(todo["DESCRIPTION"])
            self.assertIn("Post mortem: " + item["postmortem"], description)
            self.assertIn("Owner: " + (item["owner"] or "none"), description)
            self.assertIn("UID", todo)
            self.assertIn("DTSTAMP", todo)
        priorities = {n: int(t["PRIORITY"]) for n, t in zip(names(doc), todos) if "PRIORITY" in t}
        self.assertEqual(priorities["tls-cert-expiry#1"], 1)            # critical, P0
        self.assertEqual(priorities["checkout-queue-exhaustion#2"], 3)  # high, P1
        self.assertEqual(priorities["2026-10-dns-resolver#1"], 5)       # medium, P2
        self.assertEqual(priorities["2026-10-dns-resolver#2"], 7)       # low, P3
        self.assertNotIn("deploy-during-freeze#2", priorities)          # none

    def test_rfc_5545_lines(self):
        data = self.ics()
        self.assertTrue(data.startswith(b"BEGIN:VCALENDAR\r\n"))
        self.assertTrue(data.endswith(b"END:VCALENDAR\r\n"))
        self.assertNotIn(b"\n", data.replace(b"\r\n", b""))
        lines = data.split(b"\r\n")[:-1]
        self.assertTrue(all(len(line) <= 75 for line in lines))
        # Folded continuation lines exist (long descriptions) and each is valid UTF-8.
        self.assertTrue(any(line.startswith(b" ") for line in lines))
        for line in lines:
            line.decode("utf-8")
        unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
        self.assertIn("SUMMARY:Renew certificates with \"certbot\"\\, not by hand\\; alert 30 "
                      "days before expiry\\, check C:\\\\certs on the Windows hosts too\r\n",
                      unfolded)
        self.assertIn("DTSTAMP:20261126T000000Z\r\n", unfolded)

    def test_uids_unique_and_stable_across_runs(self):
        icalendar = load_icalendar()
        first = icalendar.Calendar.from_ical(self.ics(TODAY))
        later = icalendar.Calendar.from_ical(self.ics("2027-03-01", "--status", "open"))
        uids = {str(t["SUMMARY"]): str(t["UID"]) for t in first.walk("VTODO")}
        self.assertEqual(len(set(uids.values())), len(uids))
        for todo in later.walk("VTODO"):
            self.assertEqual(str(todo["UID"]), uids[str(todo["SUMMARY"])])


class Table(unittest.TestCase):
    def test_aligned_and_fits_the_width(self):
        for columns in (100, 80):
            p = actions([TEAM], env={"COLUMNS": str(columns)})
            self.assertEqual(p.returncode, 0, p.err)
            lines = p.out.splitlines()
            self.assertTrue(lines[0].startswith("POST MORTEM "))
            action_at = lines[0].index("ACTION")
            for line in lines[1:14]:
                width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
                self.assertLessEqual(width, columns, line)
                # Every cell before the description lines up with the header.
                self.assertEqual(line[action_at - 2:action_at], "  ", line)
                self.assertNotEqual(line[action_at], " ", line)
                self.assertTrue(line.endswith("…"), line)
            self.assertIn(" 57d ", lines[1])
            self.assertEqual(lines[-1],
                             "13 action items: 9 open (3 overdue), 4 done; 31% complete")
            self.assertNotRegex(p.out, ANSI)
        wide = actions([TEAM], env={"COLUMNS": "100"}).out.splitlines()
        self.assertTrue(wide[1].startswith("tls-cert-expiry "), wide[1])
        self.assertTrue(wide[2].startswith("checkout-queue-exha… "), wide[2])

    def test_no_width_limit_when_not_a_terminal(self):
        p = actions([TEAM], env={"COLUMNS": ""})
        self.assertIn("check C:\\certs on the Windows hosts too\n", p.out)

    def test_colour(self):
        p = actions(["--color", "always", TEAM])
        self.assertRegex(p.out, ANSI)
        self.assertIn("\x1b[1;31m 57d\x1b[0m", p.out)
        self.assertNotRegex(actions(["--color", "never", TEAM]).out, ANSI)
        # Not a terminal: no colour, NO_COLOR or not.
        self.assertNotRegex(actions([TEAM], env={"NO_COLOR": "1"}).out, ANSI)

    def test_nothing_matches(self):
        p = actions(["--owner", "nobody", TEAM])
        self.assertEqual(p.returncode, 0)
        self.assertIn("no action items match", p.out)
        self.assertIn("0 action items: 0 open (0 overdue), 0 done", p.out)


class DamagedFolder(unittest.TestCase):
    def test_bad_files_reported_and_the_rest_counted(self):
        p, doc = actions_json([TEAM, DAMAGED])
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(doc["items"]), 15)
        self.assertIn("cache-stampede#1", names(doc))
        err = p.err.splitlines()
        self.assertEqual(len(err), 3, p.err)
        self.assertTrue(any("broken-front-matter.md:3:" in e and "YAML" in e for e in err), err)
        self.assertTrue(any("latin1.md:5:" in e and "UTF-8" in e for e in err), err)
        self.assertTrue(any("empty.md" in e and "empty" in e for e in err), err)
        self.assertTrue(all(e.startswith("debrief: ") for e in err))

    def test_empty_file_alone_is_no_error(self):
        p = actions([os.path.join(DAMAGED, "empty.md")])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertIn("empty", p.err)

    def test_input_error_outranks_fail_on_overdue(self):
        p = actions(["--fail-on-overdue", TEAM, DAMAGED])
        self.assertEqual(p.returncode, 2)


class Input(TempDirTest):
    def test_standard_input(self):
        text = ("# Outage\n\n## Action items\n\n"
                "1. Add a canary stage (owner: @li, due: 2026-11-01, priority: P1)\n")
        p = run(["actions", "--format", "json", "--today", TODAY, "-"], stdin=text)
        doc = json.loads(p.out)
        self.assertEqual(names(doc), ["stdin#1"])
        self.assertEqual(doc["items"][0]["days_overdue"], 25)

    def test_file_name_is_the_id_without_front_matter(self):
        self.write("sub/2026-05-queue.md", "## Action items\n\n- Fix it (owner: @a)\n")
        _, doc = actions_json([self.dir])
        self.assertEqual(doc["items"][0]["postmortem"], "2026-05-queue")
        self.assertIsNone(doc["items"][0]["number"])

    def test_missing_path(self):
        self.write("a.md", "## Action items\n\n1. Fix it (owner: @a, due: 2026-01-01)\n")
        p, doc = actions_json([os.path.join(self.dir, "a.md"), os.path.join(self.dir, "nope")])
        self.assertEqual(p.returncode, 2)
        self.assertIn("nope", p.err)
        self.assertEqual(len(doc["items"]), 1)


class Usage(unittest.TestCase, GitStyle):
    def test_help(self):
        p = run(["actions", "--help"])
        self.assertEqual(p.returncode, 0)
        for word in ("--owner", "--status", "--overdue", "--due-within", "--priority",
                     "--fail-on-overdue", "csv", "ics"):
            self.assertIn(word, p.out)

    def test_bad_values(self):
        cases = [(["--status", "closed"], "closed"), (["--due-within", "soon"], "soon"),
                 (["--priority", "P9"], "P9"), (["--format", "xml"], "xml"),
                 (["--today", "26/11/2026"], "26/11/2026"), (["--color", "sometimes"], "sometimes"),
                 (["--owner", "@"], "@"), (["--bogus"], "--bogus")]
        for args, word in cases:
            self.assert_git_error(run(["actions"] + args + [TEAM]), word)

    def test_no_path(self):
        p = run(["actions"])
        self.assertEqual(p.returncode, 2)
        self.assertIn("usage: debrief actions", p.err)


if __name__ == "__main__":
    unittest.main()
