#!/usr/bin/env python3
"""test_pg_store.py: the PostgreSQL store beyond tests/unit/test_store.c:
several servers sharing one database, the database going away under them,
and what only PostgreSQL has.

Each store connection is a pg_probe process (tests/pg/pg_probe.c, path in
DEBRIEF_PG_PROBE), as each `debrief serve` process has its own. The tests
start their own PostgreSQL with pgtmp.PgServer and check:
- servers opening a new database at once all succeed, and the migrations
  run once (the advisory lock);
- two servers saving on the same base revision: exactly one wins, the other
  gets a conflict, every round;
- a stopped or killed database answers "unavailable" with a message, and the
  same connection works again once the database is back, with nothing that
  was saved lost; an idle connection outlives a restart without a failure;
- the database itself refuses to change, delete or truncate a revision or an
  attachment, and search has its GIN index, ignores accents and keeps every
  word;
- attachments up to the 16 MiB limit are kept byte for byte, and two
  servers uploading one name at once get distinct versions (or one, for the
  same bytes).
"""

import os
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pgtmp import PgServer  # noqa: E402

PROBE = os.environ.get("DEBRIEF_PG_PROBE", "")


class Probe:
    """One store connection in a pg_probe process."""

    def __init__(self, url):
        self.process = subprocess.Popen(
            [PROBE, url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )

    def send(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def read(self):
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError("pg_probe ended")
        status, number, message = (line.rstrip("\n").split(" ", 2) + [""])[:3]
        return status, int(number), message

    def ask(self, command):
        self.send(command)
        return self.read()

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@unittest.skipUnless(PROBE, "DEBRIEF_PG_PROBE names the pg_probe program")
class SharedDatabase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = PgServer()
        cls.pg.start()
        cls.made = 0

    @classmethod
    def tearDownClass(cls):
        cls.pg.stop()

    def setUp(self):
        SharedDatabase.made += 1
        self.url = self.pg.create_database("shared_%d" % SharedDatabase.made)
        self.probes = []

    def tearDown(self):
        for p in self.probes:
            p.close()

    def probe(self):
        p = Probe(self.url)
        self.probes.append(p)
        return p

    def test_servers_starting_at_once_migrate_once(self):
        probes = [self.probe() for _ in range(6)]
        for p in probes:
            p.send("open")
        for p in probes:
            status, _, message = p.read()
            self.assertEqual(status, "ok", message)
        latest = probes[0].ask("version")
        self.assertEqual(latest[0], "ok")
        self.assertGreaterEqual(latest[1], 7)
        applied = self.pg.psql("SELECT count(*) FROM schema_migrations", self.url.rsplit("/", 1)[1])
        self.assertEqual(int(applied), latest[1])

    def test_two_servers_saving_on_one_base(self):
        a, b = self.probe(), self.probe()
        self.assertEqual(a.ask("open")[0], "ok")
        self.assertEqual(b.ask("open")[0], "ok")
        for n in range(12):
            slug = "race-%d" % n
            self.assertEqual(a.ask("setup " + slug)[0], "ok")
            # Both are told at once; each answers when its save is done.
            a.send("save %s 1 # from a" % slug)
            b.send("save %s 1 # from b" % slug)
            answers = sorted([a.read(), b.read()])
            self.assertEqual([s for s, _, _ in answers], ["conflict", "ok"], answers)
            self.assertEqual([n for _, n, _ in answers], [2, 2])
            newest = a.ask("get " + slug)
            self.assertEqual(newest[:2], ("ok", 2))

    def test_many_servers_saving_in_turn_lose_nothing(self):
        probes = [self.probe() for _ in range(4)]
        for p in probes:
            self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(probes[0].ask("setup busy")[0], "ok")

        def writer(p, results):
            base, saved = 1, 0
            while saved < 10:
                status, number, message = p.ask("save busy %d # edit" % base)
                if status == "ok":
                    saved += 1
                    base = number
                elif status == "conflict":
                    base = number
                else:
                    results.append(message)
                    return
            results.append(saved)

        results = []
        threads = [threading.Thread(target=writer, args=(p, results)) for p in probes]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [10] * 4)
        self.assertEqual(probes[0].ask("get busy")[:2], ("ok", 41))

    def test_stopped_database_comes_back(self):
        p = self.probe()
        self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(p.ask("setup outage")[0], "ok")
        self.assertEqual(p.ask("save outage 1 # kept")[:2], ("ok", 2))
        self.pg.stop_fast()
        try:
            for _ in range(3):
                status, _, message = p.ask("get outage")
                self.assertEqual(status, "unavailable")
                self.assertIn("database", message)
            status, _, _ = p.ask("save outage 2 # lost")
            self.assertEqual(status, "unavailable")
        finally:
            self.pg.start_again()
        self.assertEqual(p.ask("get outage")[:2], ("ok", 2))
        self.assertEqual(p.ask("save outage 2 # after")[:2], ("ok", 3))

    def test_idle_connection_outlives_a_restart(self):
        p = self.probe()
        self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(p.ask("setup restart")[0], "ok")
        self.pg.restart()
        self.assertEqual(p.ask("get restart")[:2], ("ok", 1))
        self.pg.restart()
        self.assertEqual(p.ask("save restart 1 # after a restart")[:2], ("ok", 2))

    def test_a_save_waits_5_s_at_most_for_a_lock(self):
        p = self.probe()
        self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(p.ask("setup held")[0], "ok")
        # The holder keeps its row lock until the test ends its session.
        holder = subprocess.Popen(
            ["psql", "-X", "-q", "-h", self.pg.socket_dir, "-p", str(self.pg.port), "-U", "postgres",
             "-d", self.url.rsplit("/", 1)[1], "-c",
             "BEGIN; SELECT 1 FROM postmortems FOR UPDATE; SELECT pg_sleep(120); COMMIT"],
            env=dict(os.environ, PGAPPNAME="lock-holder"), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        try:
            # In pg_sleep, its SELECT ... FOR UPDATE is done: the lock is held.
            deadline = time.monotonic() + 20
            while self.sql("SELECT count(*) FROM pg_stat_activity"
                           " WHERE application_name = 'lock-holder' AND wait_event = 'PgSleep'") != "1":
                self.assertIsNone(holder.poll(), "psql ended without holding the lock")
                self.assertLess(time.monotonic(), deadline, "psql did not take the lock within 20 s")
                time.sleep(0.05)
            started = time.monotonic()
            status, _, message = p.ask("save held 1 # waits")
            waited = time.monotonic() - started
        finally:
            self.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lock-holder'")
            holder.wait()
        self.assertEqual(status, "unavailable", message)
        self.assertIn("lock timeout", message)
        self.assertTrue(4 <= waited < 7, waited)
        self.assertEqual(p.ask("save held 1 # after")[:2], ("ok", 2))

    def test_killed_database_comes_back_with_every_save(self):
        p = self.probe()
        self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(p.ask("setup crash")[0], "ok")
        for base in range(1, 6):
            self.assertEqual(p.ask("save crash %d # saved %d" % (base, base))[:2], ("ok", base + 1))
        self.pg.kill()
        try:
            status, _, message = p.ask("get crash")
            self.assertEqual(status, "unavailable", message)
        finally:
            self.pg.start_again()
        self.assertEqual(p.ask("get crash")[:2], ("ok", 6))
        self.assertEqual(p.ask("save crash 6 # after")[:2], ("ok", 7))

    def sql(self, query):
        return self.pg.psql(query, self.url.rsplit("/", 1)[1]).strip()

    def test_revisions_are_append_only_in_the_database(self):
        p = self.probe()
        self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(p.ask("setup kept")[0], "ok")
        for statement in ("UPDATE revisions SET markdown = 'x'", "DELETE FROM revisions",
                          "TRUNCATE revisions CASCADE"):
            with self.assertRaisesRegex(Exception, "revisions are never changed or deleted"):
                self.sql(statement)
        self.assertEqual(self.sql("SELECT markdown FROM revisions"), "# Probe")

    def test_search_index_and_accents(self):
        p = self.probe()
        self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(p.ask("setup cafe")[0], "ok")
        self.assertEqual(p.ask("save cafe 1 # The caf\u00e9 queue stalled")[:2], ("ok", 2))
        self.assertEqual(p.ask("search cafe")[:2], ("ok", 1))
        self.assertEqual(p.ask("search caf\u00e9 stall")[:2], ("ok", 1))
        self.assertEqual(p.ask("search cafe kafka")[:2], ("ok", 0))
        # No stop words: every word typed counts, as on SQLite.
        self.assertEqual(p.ask("search the queue")[:2], ("ok", 1))
        self.assertEqual(p.ask("search the queue of")[:2], ("ok", 0))
        self.assertEqual(p.ask("search \"unbalanced AND OR NOT a*b (c NEAR(x y) -")[0], "ok")
        self.assertEqual(self.sql("SELECT count(*) FROM pg_indexes WHERE tablename ="
                                  " 'postmortem_search' AND indexdef LIKE '%USING gin%'"), "1")

    def test_huge_document_is_saved_whole(self):
        """A tsvector holds 1 MB at most: a 3 MB log dump of distinct ids is
        still saved byte for byte, and found by words near its start."""
        p = self.probe()
        self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(p.ask("setup dump")[0], "ok")
        self.assertEqual(p.ask("big dump 1 200000")[:2], ("ok", 2))
        self.assertGreater(int(self.sql("SELECT octet_length(markdown) FROM revisions"
                                        " WHERE number = 2")), 2500000)
        self.assertEqual(p.ask("search id0 log")[:2], ("ok", 1))
        self.assertEqual(p.ask("save dump 2 # Small again")[:2], ("ok", 3))

    def test_long_title_tag_and_owner_are_saved(self):
        """No index refuses long text (a B-tree entry holds about 2.7 kB)."""
        p = self.probe()
        self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(p.ask("setup long")[0], "ok")
        self.assertEqual(p.ask("long long 1 20000")[:2], ("ok", 2))
        self.assertEqual(self.sql("SELECT octet_length(title) || ' ' || octet_length(tags)"
                                  " FROM postmortems"), "20000 20000")
        self.assertEqual(self.sql("SELECT octet_length(owner) FROM postmortem_actions"), "20000")
        self.assertEqual(self.sql("SELECT octet_length(tag) FROM postmortem_tags"), "20000")

    def test_large_attachments_are_kept_byte_for_byte(self):
        """5 MB, and the 16 MiB limit itself, go in and come out whole, as
        bytea of exactly their size."""
        p = self.probe()
        self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(p.ask("setup files")[0], "ok")
        for name, size in (("metrics/five.bin", 5 * 1000 * 1000), ("max.bin", 16 << 20)):
            status, version, sent = p.ask("attach files %s %d 7" % (name, size))
            self.assertEqual((status, version), ("ok", 1), sent)
            status, length, message = p.ask("fetch files %s 0" % name)
            self.assertEqual((status, length), ("ok", size), message)
            self.assertEqual(message, "1 " + sent)
            self.assertEqual(self.sql("SELECT octet_length(content) FROM attachments"
                                      " WHERE name = '%s'" % name), str(size))
            # The same bytes again add no version.
            self.assertEqual(p.ask("attach files %s %d 7" % (name, size))[:2], ("ok", 1))
        status, _, message = p.ask("attach files over.bin %d 7" % ((16 << 20) + 1))
        self.assertEqual(status, "invalid", message)
        self.assertEqual(self.sql("SELECT count(*) FROM attachments"), "2")

    def test_two_servers_uploading_one_name(self):
        """Uploads of one name from two servers at once: distinct versions
        for different bytes, one version for the same bytes, every round."""
        a, b = self.probe(), self.probe()
        self.assertEqual(a.ask("open")[0], "ok")
        self.assertEqual(b.ask("open")[0], "ok")
        self.assertEqual(a.ask("setup shared")[0], "ok")
        for n in range(10):
            same = n % 2 == 1
            a.send("attach shared img/%d.png 200000 1" % n)
            b.send("attach shared img/%d.png 200000 %d" % (n, 1 if same else 2))
            answers = [a.read(), b.read()]
            self.assertEqual([s for s, _, _ in answers], ["ok", "ok"], answers)
            versions = sorted(v for _, v, _ in answers)
            self.assertEqual(versions, [1, 1] if same else [1, 2], answers)
            newest = [m for _, v, m in answers if v == max(versions)][0]
            status, _, message = a.ask("fetch shared img/%d.png 0" % n)
            self.assertEqual(status, "ok", message)
            self.assertEqual(message, "%d %s" % (max(versions), newest))
        self.assertEqual(self.sql("SELECT count(*) FROM attachments"), "15")
        self.assertEqual(self.sql("SELECT count(*) FROM audit_log"
                                  " WHERE action = 'attachment.add'"), "15")

    def test_attachments_are_append_only_in_the_database(self):
        p = self.probe()
        self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(p.ask("setup kept")[0], "ok")
        self.assertEqual(p.ask("attach kept a.csv 10 3")[:2], ("ok", 1))
        for statement in ("UPDATE attachments SET size = 0", "DELETE FROM attachments",
                          "TRUNCATE attachments CASCADE"):
            with self.assertRaisesRegex(Exception, "attachments are never changed or deleted"):
                self.sql(statement)
        self.assertEqual(self.sql("SELECT size FROM attachments"), "10")

    def test_upload_while_the_database_is_down(self):
        p = self.probe()
        self.assertEqual(p.ask("open")[0], "ok")
        self.assertEqual(p.ask("setup down")[0], "ok")
        self.assertEqual(p.ask("attach down a.bin 1000 1")[:2], ("ok", 1))
        self.pg.stop_fast()
        try:
            status, _, message = p.ask("attach down a.bin 1000 2")
            self.assertEqual(status, "unavailable", message)
            status, _, message = p.ask("fetch down a.bin 0")
            self.assertEqual(status, "unavailable", message)
        finally:
            self.pg.start_again()
        self.assertEqual(p.ask("fetch down a.bin 0")[:2], ("ok", 1000))
        self.assertEqual(p.ask("attach down a.bin 1000 2")[:2], ("ok", 2))

    def test_unreachable_database_fails_to_open_with_a_message(self):
        for url, shown in (
            ("postgres://bob:secret@127.0.0.1:1/none?connect_timeout=2",
             "'postgres://bob:***@127.0.0.1:1/none?connect_timeout=2'"),
            ("postgres://127.0.0.1:1/none?user=bob&password=secret&connect_timeout=2",
             "'postgres://127.0.0.1:1/none?user=bob&password=***&connect_timeout=2'"),
        ):
            p = Probe(url)
            self.probes.append(p)
            status, _, message = p.ask("open")
            self.assertEqual(status, "unavailable")
            self.assertIn("cannot open " + shown, message)
            self.assertIn("Connection refused", message)
            self.assertNotIn("secret", message)


if __name__ == "__main__":
    unittest.main(verbosity=2)
