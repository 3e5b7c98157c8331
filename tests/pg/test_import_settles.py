#!/usr/bin/env python3
"""test_import_settles.py: `debrief import` into PostgreSQL returns a
database whose upkeep is done (src/cmd_import.c, lib/store/postgres_maintain.c).

Left to autovacuum, the tables an import filled are analyzed a minute or
more later, each in a commit of its own that changes the database's
generation and so empties the caches of every server reading it (the
search page's p99 went from 5 ms to 120-620 ms while it ran). The test
imports 120 post mortems into a fresh database on a private server and
checks that, when the import returns, every table it filled has been
vacuumed and analyzed (pg_stat_user_tables), with no change left that
autovacuum would act on; that the search statement's row estimate is then
the real count (the plan is made from the statistics); and that an import
writing nothing, or one file into the settled database, leaves the tables
alone (the upkeep follows autovacuum's thresholds, so small imports stay
cheap). About 10 s.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pgtmp import PgServer  # noqa: E402

DEBRIEF = os.environ.get("DEBRIEF", "debrief")
COUNT = 120
FILLED = ("postmortems", "postmortem_search", "revisions", "audit_log", "ownership_changes")
MATCHING = 40  # post mortems whose text has the word "cache"

STATS = ("SELECT relname, last_vacuum IS NOT NULL, last_analyze IS NOT NULL,"
         " coalesce(last_analyze::text, ''), n_mod_since_analyze, n_ins_since_vacuum"
         " FROM pg_stat_user_tables WHERE relname IN (%s) ORDER BY relname"
         % ", ".join("'%s'" % t for t in FILLED))


def write_postmortem(folder, n, extra=""):
    word = "cache" if n < MATCHING else "queue"
    with open(os.path.join(folder, "pm-%03d.md" % n), "w") as f:
        f.write('---\ntitle: "Outage %d"\nstatus: draft\nseverity: SEV-2\n---\n'
                "# Outage %d\n\n## Summary\n\nThe %s in front of service %d failed.%s\n"
                % (n, n, word, n, extra))


class TestImportSettles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="debrief-import-settles-")
        cls.pg = PgServer()
        cls.pg.start()
        cls.url = cls.pg.create_database("settles")
        cls.docs = os.path.join(cls.tmp, "docs")
        os.makedirs(cls.docs)
        for n in range(COUNT):
            write_postmortem(cls.docs, n)
        cls.debrief("team", "add", "sre")
        cls.debrief("user", "add", "ana", "--role", "admin", "--team", "sre",
                    stdin="settles-password-1\n")
        cls.first = cls.debrief("import", cls.docs, "--team", "sre")
        cls.after_first = cls.stats()

    @classmethod
    def tearDownClass(cls):
        cls.pg.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def debrief(cls, *args, stdin=None):
        p = subprocess.run([DEBRIEF, *args, "--db", cls.url], input=stdin, capture_output=True,
                           text=True, timeout=120)
        if p.returncode != 0:
            raise AssertionError("debrief %s exited %d: %s" % (" ".join(args), p.returncode,
                                                               p.stderr[-600:]))
        return p

    @classmethod
    def stats(cls):
        rows = {}
        for line in cls.pg.psql(STATS, "settles").strip().splitlines():
            name, vacuumed, analyzed, when, mods, inserts = line.split("|")
            rows[name] = {"vacuumed": vacuumed == "t", "analyzed": analyzed == "t",
                          "when": when, "mods": int(mods), "inserts": int(inserts)}
        return rows

    def test_every_filled_table_is_vacuumed_and_analyzed(self):
        self.assertIn("%d created" % COUNT, self.first.stdout)
        self.assertEqual(sorted(self.after_first), sorted(FILLED))
        for name, row in self.after_first.items():
            with self.subTest(table=name):
                self.assertTrue(row["analyzed"], "%s was not analyzed by the import" % name)
                self.assertTrue(row["vacuumed"], "%s was not vacuumed by the import" % name)
                self.assertEqual(row["mods"], 0, "%s has changes not analyzed" % name)
                self.assertEqual(row["inserts"], 0, "%s has inserts not vacuumed" % name)

    def test_search_estimate_is_the_real_count(self):
        plan = self.pg.psql("EXPLAIN SELECT postmortem_id FROM postmortem_search"
                            " WHERE document @@ plainto_tsquery('debrief_search', 'cache')",
                            "settles")
        estimate = int(plan.split("rows=", 1)[1].split()[0])
        # Without statistics PostgreSQL guesses 0.5% of the rows (1 here).
        self.assertGreaterEqual(estimate, MATCHING // 2, plan)
        self.assertLessEqual(estimate, MATCHING * 2, plan)

    def test_small_imports_leave_the_tables_alone(self):
        # Runs after the first import whatever the order: it only reads
        # what that left and writes one file of its own.
        nothing = self.debrief("import", self.docs, "--team", "sre")
        self.assertIn("0 created, 0 updated, %d unchanged" % COUNT, nothing.stdout)
        self.assertEqual(self.stats()["postmortems"]["when"],
                         self.after_first["postmortems"]["when"])
        write_postmortem(self.docs, 7, extra=" Again.")
        one = self.debrief("import", self.docs, "--team", "sre")
        self.assertIn("1 updated", one.stdout)
        after = self.stats()
        self.assertEqual(after["postmortems"]["when"], self.after_first["postmortems"]["when"],
                         "one changed file vacuumed the whole database again")
        self.assertGreater(after["revisions"]["inserts"], 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
