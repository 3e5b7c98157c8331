"""test_scaleout.py: several `debrief serve` processes sharing one PostgreSQL
database, as behind a load balancer: what one writes the others read at
once, a session made on one works on the others, the conflict rule holds
across them, and servers starting together on a new database all come up.
PostgreSQL only (SQLite is one file for one server)."""

import os
import sys
import threading
import time
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (ApiCase, Client, Database, Server, User, backends, main, postgres_server, postmortem,
                     query)
from test_concurrency import in_parallel

WRITERS = 12


class ScaleOut(ApiCase):
    backend = "postgres"

    @classmethod
    def setUpClass(cls):
        if "postgres" not in backends():
            raise unittest.SkipTest("PostgreSQL is not among DEBRIEF_TEST_BACKENDS")
        super().setUpClass()
        cls.one = cls.server
        cls.two = cls.start_server()
        cls.make_team("sre")
        cls.make_team("others")
        cls.ada = cls.make_user("ada", "author", ["sre"])

    def test_a_write_on_one_is_read_on_the_other(self):
        ada_one = self.token_client(self.ada, self.one)
        ada_two = ada_one.on(self.two)
        text = postmortem("shared-1", team="sre", words="Seen everywhere.")
        pm = self.create_pm(ada_one, text)
        got = self.assert_ok(ada_two.get("/api/v1/postmortems/" + pm))
        self.assertEqual((got["revision"], got["markdown"]), (1, text))
        saved = self.assert_ok(ada_two.put("/api/v1/postmortems/" + pm, {"markdown": text + "\nTwo.\n",
                                                                         "base_revision": 1}))
        self.assertEqual(saved["revision"], 2)
        got = self.assert_ok(ada_one.get("/api/v1/postmortems/" + pm))
        self.assertEqual((got["revision"], got["markdown"]), (2, text + "\nTwo.\n"))
        listed = self.assert_ok(ada_one.get(query("/api/v1/postmortems", q="everywhere")))
        self.assertEqual([i["id"] for i in listed["items"]], [pm])
        comment = ada_one.post("/api/v1/postmortems/%s/comments" % pm, {"body": "From one."})
        self.assertEqual(comment.status, 201, comment)
        comments = self.assert_ok(ada_two.get("/api/v1/postmortems/%s/comments" % pm))["items"]
        self.assertEqual([c["body"] for c in comments], ["From one."])

    def test_people_and_tokens_made_on_one_work_on_the_other(self):
        bea = self.make_user("bea", "viewer", ["others"])  # through server one
        bea_two = self.token_client(bea, self.two)
        self.assertEqual(self.assert_ok(bea_two.get("/api/v1/session"))["user"]["name"], "bea")
        self.assertEqual(self.assert_ok(bea_two.on(self.one).get("/api/v1/session"))["user"]["name"], "bea")
        tokens = self.assert_ok(bea_two.get("/api/v1/tokens"))["items"]
        self.assertEqual(len(tokens), 1)
        revoked = bea_two.on(self.one).delete("/api/v1/tokens/%s" % tokens[0]["id"])
        self.assertIn(revoked.status, (200, 204), revoked)
        self.assert_error(bea_two.get("/api/v1/session"), 401, "unauthorized")

    def test_a_session_made_on_one_works_on_the_other(self):
        ada_one = self.session_client(self.ada, self.one)
        ada_two = ada_one.on(self.two)
        me = self.assert_ok(ada_two.get("/api/v1/session"))
        self.assertEqual(me["user"]["name"], "ada")
        self.assertEqual(me["csrf_token"], ada_one.csrf, "the servers compute different CSRF tokens")
        made = ada_two.post("/api/v1/postmortems", {"markdown": postmortem("by-cookie", team="sre")})
        self.assertEqual(made.status, 201, made)
        no_csrf = Client(self.two, cookie=ada_one.cookie).post(
            "/api/v1/postmortems", {"markdown": postmortem("no-csrf", team="sre")})
        self.assert_error(no_csrf, 403, "csrf")
        out = ada_two.delete("/api/v1/session")
        self.assertIn(out.status, (200, 204), out)
        self.assert_error(ada_one.get("/api/v1/session"), 401)

    def test_stale_saves_across_servers_have_one_winner(self):
        ada = self.token_client(self.ada, self.one)
        first = postmortem("shared-race", team="sre")
        pm = self.create_pm(ada, first)
        clients = [ada.on(self.one if i % 2 else self.two) for i in range(WRITERS)]
        base = 1
        for round_ in range(3):
            texts = [first + "\nround %d writer %d\n" % (round_, i) for i in range(WRITERS)]
            replies = in_parallel([lambda i=i: clients[i].put("/api/v1/postmortems/" + pm,
                                                              {"markdown": texts[i], "base_revision": base})
                                   for i in range(WRITERS)])
            winners = [i for i, r in enumerate(replies) if r.status == 200]
            self.assertEqual(len(winners), 1, replies)
            for i, r in enumerate(replies):
                if i != winners[0]:
                    self.assert_error(r, 409, "conflict")
                    self.assertEqual(r.body["current"]["markdown"], texts[winners[0]])
            base += 1
            for server in (self.one, self.two):
                got = self.assert_ok(ada.on(server).get("/api/v1/postmortems/" + pm))
                self.assertEqual((got["revision"], got["markdown"]), (base, texts[winners[0]]))
        history = self.assert_ok(ada.get("/api/v1/postmortems/%s/revisions" % pm))["items"]
        self.assertEqual(len(history), 4)

    def test_parallel_creates_across_servers(self):
        ada = self.token_client(self.ada, self.one)
        ids = ["spread-%d" % i for i in range(WRITERS)]
        replies = in_parallel([lambda i=i: ada.on(self.one if i % 2 else self.two).post(
            "/api/v1/postmortems", {"markdown": postmortem(ids[i], team="sre", words="Spread out.")})
            for i in range(WRITERS)])
        self.assertEqual([r.status for r in replies], [201] * WRITERS, replies)
        same = in_parallel([lambda i=i: ada.on(self.one if i % 2 else self.two).post(
            "/api/v1/postmortems", {"markdown": postmortem("contested", team="sre")}) for i in range(WRITERS)])
        self.assertEqual(sorted(r.status for r in same), [201] + [409] * (WRITERS - 1), same)
        for server in (self.one, self.two):
            listed = self.assert_ok(ada.on(server).get(query("/api/v1/postmortems", q="spread", limit=100)))
            self.assertEqual({i["id"] for i in listed["items"]}, set(ids))

    def test_one_server_killed_the_other_keeps_everything(self):
        third = self.start_server()
        ada = self.token_client(self.ada, third)
        text = postmortem("survivor", team="sre")
        pm = self.create_pm(ada, text)
        saved = self.assert_ok(ada.put("/api/v1/postmortems/" + pm, {"markdown": text + "\nx\n", "base_revision": 1}))
        third.kill()
        got = self.assert_ok(ada.on(self.two).get("/api/v1/postmortems/" + pm))
        self.assertEqual((got["revision"], got["markdown"]), (saved["revision"], text + "\nx\n"))

    def test_sign_in_throttling_counts_on_every_server(self):
        tina = self.make_user("tina", "viewer", ["others"])
        wrong = {"name": "tina", "password": "not-her-password"}
        for i in range(5):
            reply = Client(self.one if i % 2 else self.two).post("/api/v1/session", wrong)
            self.assert_error(reply, 401)
        for server in (self.one, self.two):
            reply = Client(server).post("/api/v1/session", {"name": "tina", "password": tina.password})
            self.assert_error(reply, 429, "too_many_requests")
            self.assertTrue(reply.headers.get("Retry-After"), reply)

    def start_together(self, count):
        """COUNT servers started at the same moment on a new database."""
        database = Database("postgres", "together")
        servers = []
        lock = threading.Lock()

        def start():
            server = Server(database.url)
            with lock:
                servers.append(server)
                self._servers.append(server)  # stopped with the class
            return server

        in_parallel([start] * count)
        return servers

    def test_servers_starting_together_on_a_new_database(self):
        """The migrations run once even when several servers open an empty
        database at the same moment, and every server then works."""
        servers = self.start_together(4)
        self.assertEqual(len(servers), 4)
        setup = Client(servers[0]).post("/api/v1/setup", {"name": "root", "password": "password-123"})
        self.assertEqual(setup.status, 201, setup)
        root = self.token_client(User("root", "password-123", "admin"), servers[1])
        self.assertEqual(root.on(servers[2]).post("/api/v1/teams", {"name": "t"}).status, 201)
        for server in servers:
            self.assertEqual(Client(server).get("/healthz").status, 200)
            self.assertEqual(self.assert_ok(root.on(server).get("/api/v1/teams/t"))["name"], "t")

    def test_setup_makes_one_admin_even_across_servers(self):
        """POST /api/v1/setup sent to every server at once: one first admin."""
        servers = self.start_together(4)
        setup = in_parallel([lambda i=i, s=s: Client(s).post("/api/v1/setup", {"name": "root%d" % i,
                                                                                 "password": "password-123"})
                             for i, s in enumerate(servers)])
        self.assertEqual([r.status for r in setup].count(201), 1, setup)
        for r in setup:
            if r.status != 201:
                self.assertIn(r.status, (403, 409), r)


class DatabaseOutage(ApiCase):
    """The database goes away under two servers and comes back."""

    backend = "postgres"

    @classmethod
    def setUpClass(cls):
        if "postgres" not in backends():
            raise unittest.SkipTest("PostgreSQL is not among DEBRIEF_TEST_BACKENDS")
        super().setUpClass()
        cls.two = cls.start_server()
        cls.make_team("sre")

    def wait_for(self, client, path, status, seconds=20):
        deadline = time.time() + seconds
        while True:
            reply = client.get(path)
            if reply.status == status or time.time() > deadline:
                return reply
            time.sleep(0.2)

    def test_servers_answer_503_then_recover(self):
        admin_two = self.admin.on(self.two)
        text = postmortem("before-outage", team="sre")
        pm = self.create_pm(self.admin, text)
        pg = postgres_server()
        pg.stop_fast()
        try:
            for client in (self.admin, admin_two):
                reply = client.get("/api/v1/postmortems/" + pm)
                self.assert_error(reply, 503, "unavailable")
                self.assertEqual(client.get("/healthz").status, 503)
                lost = client.post("/api/v1/postmortems", {"markdown": postmortem("during-outage", team="sre")})
                self.assert_error(lost, 503, "unavailable")
            self.assertTrue(self.server.alive() and self.two.alive(), "a server died with its database")
        finally:
            pg.start_again()
        for client in (self.admin, admin_two):
            self.assertEqual(self.wait_for(client, "/healthz", 200).status, 200)
            got = self.wait_for(client, "/api/v1/postmortems/" + pm, 200)
            self.assertEqual(self.assert_ok(got)["markdown"], text)
            self.assert_error(client.get("/api/v1/postmortems/during-outage"), 404, "not_found")
        made = self.admin.post("/api/v1/postmortems", {"markdown": postmortem("after-outage", team="sre")})
        self.assertEqual(made.status, 201, made)
        self.assert_ok(admin_two.get("/api/v1/postmortems/after-outage"))


if __name__ == "__main__":
    main()
