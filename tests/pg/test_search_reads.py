#!/usr/bin/env python3
"""test_search_reads.py: a search on PostgreSQL reads no search document from
TOAST (issue 7, the server's uncached search).

A post mortem's search document (its whole text as a tsvector) lives out of
line, in postmortem_search's TOAST table. A search that reads those documents
(a sequential scan testing each, or ranking each match by its whole document)
costs the size of their text: 100 to 650 ms over 10,000 post mortems. Matched
through the GIN index and ranked by the lead, it reads none. So the property
checked is the count of TOAST blocks the server's searches touch, from
PostgreSQL's own statistics: zero, whatever the time. The test also shows the
count moves when a document is read, so it can fail; and that the order stays
what a reader expects: title matches, then matches in the opening (after the
front matter), then the rest, all of them counted; and that a database made
before the lead gets it for every post mortem when a server opens it.

Run by meson (tests/meson.build) with $DEBRIEF and $DEBRIEF_PGTMP set; by
hand: DEBRIEF=build/debrief DEBRIEF_PGTMP=tests/pg/pgtmp.py python3 THIS.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from harness import ApiCase, DEBRIEF, main, postgres_server  # noqa: E402

COUNT = 300
# The last made, so that neither group comes first by the id that breaks ties.
TITLED = range(COUNT - 10, COUNT - 5)  # "zebra" in the title
OPENED = range(COUNT - 5, COUNT)  # "zebra" in the summary, the opening of the text
# Every post mortem has "zebra" deep in its text, past the lead.

TOAST_BLOCKS = ("SELECT coalesce(sum(coalesce(toast_blks_read, 0)"
                " + coalesce(toast_blks_hit, 0)), 0)"
                " FROM pg_statio_user_tables WHERE relname = 'postmortem_search'")


def slug(n):
    return "pm-%03d" % n


def filler(n):
    """About 6 KB of words found nowhere else, so the document is large and
    kept in TOAST."""
    return " ".join("k%dq%d" % (n, i) for i in range(900))


def write_postmortem(folder, n):
    title = ("Zebra crossing outage %d" if n in TITLED else "Queue outage %d") % n
    opening = ("The zebra gateway in front of service %d failed." if n in OPENED
               else "The queue in front of service %d failed.") % n
    with open(os.path.join(folder, slug(n) + ".md"), "w") as f:
        # Front matter longer than the lead: the opening is what follows it.
        authors = "".join("  - Author Number%d\n" % i for i in range(30))
        f.write('---\ntitle: "%s"\nid: %s\nstatus: draft\nseverity: SEV-2\nauthors:\n%s---\n'
                "# %s\n\n## Summary\n\n%s\n\n## Details\n\n%s\n\nA zebra was seen.\n"
                % (title, slug(n), authors, title, opening, filler(n)))


class Imported(ApiCase):
    """A PostgreSQL database holding the COUNT post mortems, imported."""
    backend = "postgres"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.pg = postgres_server()
        cls.dbname = urllib.parse.urlparse(cls.db_url).path.lstrip("/")
        cls.tmp = tempfile.mkdtemp(prefix="debrief-search-reads-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        for n in range(COUNT):
            write_postmortem(cls.tmp, n)
        p = subprocess.run([DEBRIEF, "import", cls.tmp, "--team", "sre", "--db", cls.db_url],
                           capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise AssertionError("import exited %d: %s" % (p.returncode, p.stderr[-600:]))

    @classmethod
    def sql(cls, statement):
        return cls.pg.psql(statement, cls.dbname).strip()

    def search(self, client, words, offset=0):
        reply = client.get("/api/v1/postmortems?" + urllib.parse.urlencode(
            {"q": words, "limit": 25, "offset": offset}))
        self.assertEqual(reply.status, 200, reply)
        return reply.body

    def assert_ranked(self, client):
        """Title matches, then matches in the opening, then the rest."""
        first = self.search(client, "zebra")
        self.assertEqual(first["total"], COUNT)
        ids = [item["id"] for item in first["items"]]
        self.assertEqual(len(ids), 25)
        self.assertEqual(set(ids[:5]), {slug(n) for n in TITLED})
        self.assertEqual(set(ids[5:10]), {slug(n) for n in OPENED})
        return ids


class SearchReads(Imported):

    def backends(self):
        """The other sessions on the database."""
        rows = self.sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                        " AND pid <> pg_backend_pid()")
        return set(rows.split())

    def settled_toast_blocks(self, keep):
        """The TOAST blocks of postmortem_search read so far, once every
        session but those of KEEP has ended: a session's counts reach the
        statistics by the time it leaves pg_stat_activity."""
        deadline = time.monotonic() + 20
        while self.backends() - keep:
            if time.monotonic() > deadline:
                self.fail("sessions still open: %s" % (self.backends() - keep))
            time.sleep(0.05)
        return int(self.sql(TOAST_BLOCKS))

    def test_search_reads_no_document(self):
        self.assertGreater(int(self.sql("SELECT pg_relation_size(reltoastrelid) FROM pg_class"
                                        " WHERE relname = 'postmortem_search'")), 1 << 20,
                           "the documents are not in TOAST: the test proves nothing")
        keep = self.backends()
        before = self.settled_toast_blocks(keep)
        # A server of its own, fresh: nothing cached, and its sessions end
        # (and report what they read) when it stops.
        server = self.start_server()
        client = self.token_client(self.admin_user, server)
        for words, offsets in (("zebra", (0, 25, 275)), ("zebra crossing", (0,)), ("k7q5", (0,)),
                               ("service failed", (0, 100)), ("nowhere", (0,))):
            for offset in offsets:
                self.search(client, words, offset)
        server.stop()
        self.assertEqual(self.settled_toast_blocks(keep), before,
                         "a search read search documents from TOAST")

        # The count is live: reading the documents moves it.
        self.sql("SELECT sum(length(document)) FROM postmortem_search")
        self.assertGreater(self.settled_toast_blocks(keep), before)

    def test_title_matches_then_the_opening_then_the_rest(self):
        ids = self.assert_ranked(self.admin)
        # The rest tie, and come in the order they were made; pages never overlap.
        seen = list(ids)
        for offset in range(25, COUNT, 25):
            seen += [item["id"] for item in self.search(self.admin, "zebra", offset)["items"]]
        made = self.sql("SELECT slug FROM postmortems ORDER BY id").split()
        self.assertEqual(seen[10:], [s for s in made if s not in ids[:10]])
        self.assertEqual(self.search(self.admin, "zebra", COUNT)["total"], COUNT)
        # All words must match: one in the title, one deep in the text.
        both = self.search(self.admin, "crossing k%dq800" % TITLED[2])
        self.assertEqual([item["id"] for item in both["items"]], [slug(TITLED[2])])
        self.assertEqual(both["total"], 1)


class OlderDatabase(Imported):
    """A database made before the lead (schema version 9 and nothing of
    PostgreSQL's own) gets it, for every post mortem, when a server opens it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sql("ALTER TABLE postmortem_search DROP COLUMN lead;"
                " DROP FUNCTION search_matches(tsquery); DROP FUNCTION search_lead(text, text);"
                " DROP TABLE schema_migrations_postgres")

    def test_the_lead_is_made_for_every_post_mortem(self):
        self.assertEqual(self.sql("SELECT count(*) FROM pg_proc"
                                  " WHERE proname = 'search_matches'"), "0")
        server = self.start_server()
        self.assertEqual(self.sql("SELECT count(*) FROM schema_migrations_postgres"), "1")
        self.assertEqual(self.sql("SELECT count(*) FROM postmortem_search WHERE lead = ''"), "0")
        self.assert_ranked(self.token_client(self.admin_user, server))


if __name__ == "__main__":
    main()
