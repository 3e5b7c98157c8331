"""test_concurrency.py: many clients at once. Saves on the same base revision:
exactly one wins, the others get 409 with the winner's text, and nothing
acknowledged is ever lost; creates, comments and marks in parallel all land."""

import os
import shutil
import subprocess
import sys
import tempfile
import threading

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import DEBRIEF, ApiCase, Client, main, on_every_backend, postmortem, query

WRITERS = 12


def in_parallel(jobs):
    """Runs the callables JOBS at once (released together); returns their
    results in order, raising the first exception one of them raised."""
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    errors = []

    def run(i, job):
        try:
            start.wait(timeout=30)
            results[i] = job()
        except BaseException as e:  # handed to the test's thread
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    if any(t.is_alive() for t in threads):
        raise AssertionError("a request did not finish within 120 s")
    if errors:
        raise errors[0]
    return results


def save(client, pm, markdown, base):
    return client.put("/api/v1/postmortems/" + pm, {"markdown": markdown, "base_revision": base})


@on_every_backend
class TestConcurrentWrites(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        users = [cls.make_user("writer%d" % i, "author", ["sre"]) for i in range(4)]
        # Half the writers sign in with a token, half with a session cookie.
        cls.writers = []
        for i in range(WRITERS):
            user = users[i % len(users)]
            cls.writers.append(cls.token_client(user) if i % 2 else cls.session_client(user))

    def history(self, pm):
        """{revision: markdown} of every revision of PM."""
        items = self.assert_ok(self.admin.get("/api/v1/postmortems/%s/revisions" % pm))["items"]
        texts = {}
        for item in items:
            n = item["revision"]
            texts[n] = self.assert_ok(self.admin.get("/api/v1/postmortems/%s/revisions/%d" % (pm, n)))["markdown"]
        self.assertEqual(sorted(texts), list(range(1, len(texts) + 1)), "revisions are not 1..N")
        return texts

    def test_one_winner_per_base_and_nothing_acknowledged_is_lost(self):
        first = postmortem("race-1", team="sre")
        pm = self.create_pm(self.writers[0], first)
        texts = {i: first + "\nEdit by writer %d.\n" % i for i in range(WRITERS)}
        pending = set(range(WRITERS))
        acknowledged = {}  # revision -> text
        base = 1
        rounds = 0
        while pending:
            rounds += 1
            self.assertLessEqual(rounds, WRITERS, "no progress")
            order = sorted(pending)
            replies = in_parallel([lambda i=i: save(self.writers[i], pm, texts[i], base) for i in order])
            winners = [(i, r) for i, r in zip(order, replies) if r.status == 200]
            losers = [(i, r) for i, r in zip(order, replies) if r.status != 200]
            self.assertEqual(len(winners), 1, "round %d: %r" % (rounds, replies))
            winner, reply = winners[0]
            revision = reply.body["revision"]
            self.assertEqual(revision, base + 1, reply)
            acknowledged[revision] = texts[winner]
            for i, r in losers:
                self.assert_error(r, 409, "conflict")
                self.assertEqual(r.body["current"]["revision"], revision, r)
                self.assertEqual(r.body["current"]["markdown"], texts[winner], r)
                self.assertEqual(r.body["yours"]["markdown"], texts[i], r)
                self.assertEqual(r.body["yours"]["base_revision"], base, r)
            pending.discard(winner)
            base = revision
        history = self.history(pm)
        self.assertEqual(len(history), WRITERS + 1, "a save was lost or a conflict was written")
        self.assertEqual(history[1], first)
        for revision, text in acknowledged.items():
            self.assertEqual(history[revision], text, "acknowledged revision %d lost" % revision)
        self.assertEqual(sorted(history.values()), sorted([first] + list(texts.values())))
        newest = self.assert_ok(self.admin.get("/api/v1/postmortems/" + pm))
        self.assertEqual((newest["revision"], newest["markdown"]), (base, acknowledged[base]))

    def test_stale_saves_write_nothing(self):
        first = postmortem("race-2", team="sre")
        pm = self.create_pm(self.writers[0], first)
        replies = in_parallel([lambda i=i: save(self.writers[i], pm, first + "\n%d\n" % i, 1)
                               for i in range(WRITERS)])
        statuses = sorted(r.status for r in replies)
        self.assertEqual(statuses, [200] + [409] * (WRITERS - 1), replies)
        winner = [i for i, r in enumerate(replies) if r.status == 200][0]
        history = self.history(pm)
        self.assertEqual(history, {1: first, 2: first + "\n%d\n" % winner})
        # Every loser answered again with the now stale base: still nothing.
        replies = in_parallel([lambda i=i: save(self.writers[i], pm, first + "\nagain %d\n" % i, 1)
                               for i in range(WRITERS)])
        self.assertEqual({r.status for r in replies}, {409}, replies)
        self.assertEqual(len(self.history(pm)), 2)

    def test_parallel_creates_of_different_post_mortems(self):
        ids = ["parallel-%d" % i for i in range(WRITERS)]
        texts = {pm: postmortem(pm, team="sre", words="Written by thread %s." % pm) for pm in ids}
        replies = in_parallel([lambda pm=pm, i=i: self.writers[i].post("/api/v1/postmortems",
                                                                       {"markdown": texts[pm]})
                               for i, pm in enumerate(ids)])
        for pm, reply in zip(ids, replies):
            self.assertEqual(reply.status, 201, reply)
            self.assertEqual(reply.body["id"], pm)
            self.assertEqual(reply.body["revision"], 1)
        listed = self.assert_ok(self.admin.get(query("/api/v1/postmortems", q="thread", limit=100)))
        self.assertEqual({item["id"] for item in listed["items"]}, set(ids))
        self.assertEqual(listed["total"], WRITERS)
        for pm in ids:
            got = self.assert_ok(self.admin.get("/api/v1/postmortems/" + pm))
            self.assertEqual(got["markdown"], texts[pm])

    def test_parallel_creates_of_the_same_id(self):
        replies = in_parallel([lambda i=i: self.writers[i].post(
            "/api/v1/postmortems", {"markdown": postmortem("same-id", team="sre", words="Version %d." % i)})
            for i in range(WRITERS)])
        statuses = sorted(r.status for r in replies)
        self.assertEqual(statuses, [201] + [409] * (WRITERS - 1), replies)
        for r in replies:
            if r.status == 409:
                self.assert_error(r, 409, "conflict")
        winner = [i for i, r in enumerate(replies) if r.status == 201][0]
        got = self.assert_ok(self.admin.get("/api/v1/postmortems/same-id"))
        self.assertIn("Version %d." % winner, got["markdown"])
        self.assertEqual(got["revision"], 1)

    def test_parallel_comments_and_marks(self):
        pm = self.create_pm(self.writers[0], postmortem("busy", team="sre"))
        replies = in_parallel([lambda i=i: self.writers[i].post("/api/v1/postmortems/%s/comments" % pm,
                                                                {"body": "Comment %d" % i})
                               for i in range(WRITERS)])
        self.assertEqual([r.status for r in replies], [201] * WRITERS, replies)
        self.assertEqual(len({r.body["id"] for r in replies}), WRITERS, "two comments got the same id")
        comments = self.assert_ok(self.admin.get("/api/v1/postmortems/%s/comments" % pm))["items"]
        self.assertEqual(sorted(c["body"] for c in comments), sorted("Comment %d" % i for i in range(WRITERS)))
        replies = in_parallel([lambda i=i: self.writers[i].put("/api/v1/postmortems/%s/actions/%d" % (pm, 1 + i % 2),
                                                               {"status": "done", "link": "https://t/%d" % i})
                               for i in range(WRITERS)])
        self.assertEqual([r.status for r in replies], [200] * WRITERS, replies)
        items = self.assert_ok(self.admin.get(query("/api/v1/actions", postmortem=pm, status="all")))["items"]
        self.assertEqual(sorted(i["status"] for i in items), ["done", "done"])

    def test_parallel_moves_of_one_post_mortem(self):
        pm = self.create_pm(self.writers[0], postmortem("one-move", team="sre"))
        replies = in_parallel([lambda i=i: self.writers[i].post("/api/v1/postmortems/%s/transitions" % pm,
                                                                {"to": "review"})
                               for i in range(WRITERS)])
        statuses = sorted(r.status for r in replies)
        self.assertEqual(statuses[0], 200, replies)
        self.assertEqual(statuses.count(200), 1, replies)
        for r in replies:
            if r.status != 200:
                self.assertIn(r.status, (409, 422), r)
        history = self.assert_ok(self.admin.get("/api/v1/postmortems/%s/transitions" % pm))["items"]
        self.assertEqual(len(history), 1, history)

    def test_parallel_people_and_tokens(self):
        same = in_parallel([lambda i=i: self.admin.post("/api/v1/users", {"name": "twin", "password": "password-%d" % i,
                                                                          "role": "viewer", "teams": ["sre"]})
                            for i in range(WRITERS)])
        self.assertEqual(sorted(r.status for r in same), [201] + [409] * (WRITERS - 1), same)
        names = ["crowd%d" % i for i in range(WRITERS)]
        made = in_parallel([lambda n=n: self.admin.post("/api/v1/users", {"name": n, "password": "password-123",
                                                                          "role": "author", "teams": ["sre"]})
                            for n in names])
        self.assertEqual([r.status for r in made], [201] * WRITERS, made)
        members = self.assert_ok(self.admin.get("/api/v1/teams/sre"))["members"]
        member_names = {m["name"] if isinstance(m, dict) else m for m in members}
        self.assertTrue(set(names) <= member_names, members)
        writer = self.writers[1]
        tokens = in_parallel([lambda i=i: writer.post("/api/v1/tokens", {"label": "t%d" % i}) for i in range(WRITERS)])
        self.assertEqual([r.status for r in tokens], [201] * WRITERS, tokens)
        secrets = {r.body["token"] for r in tokens}
        self.assertEqual(len(secrets), WRITERS)
        checks = in_parallel([lambda t=t: Client(self.server, token=t).get("/api/v1/session") for t in secrets])
        self.assertEqual({r.status for r in checks}, {200}, checks)

    def test_import_while_the_server_writes(self):
        """`debrief import` on the server's database while clients write
        through the server: both finish, nothing is refused or lost."""
        ids = ["imported-%d" % i for i in range(20)]
        folder = tempfile.mkdtemp(prefix="debrief-import-")
        self.addCleanup(shutil.rmtree, folder, True)
        for pm in ids:
            with open(os.path.join(folder, pm + ".md"), "w") as f:
                f.write(postmortem(pm, team="sre", words="Brought in by import."))
        mine = ["busy-%d" % i for i in range(6)]
        for pm in mine:
            self.create_pm(self.writers[0], postmortem(pm, team="sre"))

        def run_import():
            return subprocess.run([DEBRIEF, "import", folder, "--db", self.db_url, "--team", "sre"],
                                  capture_output=True, text=True, timeout=120)

        def edit(i):
            pm = mine[i]
            text = postmortem(pm, team="sre")
            replies = []
            for n in range(1, 6):
                text += "\nEdit %d.\n" % n
                replies.append(save(self.writers[i], pm, text, n))
            return replies

        results = in_parallel([run_import] + [lambda i=i: edit(i) for i in range(len(mine))])
        p = results[0]
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        for replies in results[1:]:
            self.assertEqual([r.status for r in replies], [200] * 5, replies)
        listed = self.assert_ok(self.admin.get(query("/api/v1/postmortems", q="import", limit=100)))
        self.assertEqual({i["id"] for i in listed["items"]}, set(ids))
        for pm in mine:
            self.assertEqual(self.assert_ok(self.admin.get("/api/v1/postmortems/" + pm))["revision"], 6)

    def test_reads_during_writes_see_whole_revisions(self):
        first = postmortem("read-while-write", team="sre")
        pm = self.create_pm(self.writers[0], first)
        texts = [first + "\n" + ("line %d\n" % i) * 2000 for i in range(6)]

        def writer():
            base = 1
            for text in texts:
                reply = save(self.writers[1], pm, text, base)
                if reply.status != 200:
                    return reply
                base = reply.body["revision"]
            return None

        def reader():
            seen = []
            for _ in range(30):
                got = self.admin.get("/api/v1/postmortems/" + pm)
                seen.append((got.status, got.body.get("revision"), got.body.get("markdown")))
            return seen

        results = in_parallel([writer, reader, reader])
        self.assertIsNone(results[0])
        valid = {1: first}
        valid.update({i + 2: text for i, text in enumerate(texts)})
        for seen in results[1:]:
            for status, revision, markdown in seen:
                self.assertEqual(status, 200)
                self.assertEqual(markdown, valid[revision], "revision %d read torn" % revision)


if __name__ == "__main__":
    main()
