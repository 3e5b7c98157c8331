#!/usr/bin/env python3
"""test_read_batch.py: the server shares one read of the database's
generation among the requests waiting for it (src/serve/server.c), and no
answer is older than what its client could know of.

Many clients read one post mortem from server A while another server saves
it again and again: every answer to a request sent after a save's 200 shows
that save. On PostgreSQL, requests wait for a read sent without waiting;
with the database's backend process of A paused (SIGSTOP) they stay parked:
clients that leave meanwhile do no harm to A or the others, and PostgreSQL
stopped while they are parked makes them answer 503 with a JSON error, none
hangs, and A answers again once PostgreSQL is back."""

import http.client
import json
import os
import signal
import socket
import sys
import threading
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (HOST, ApiCase, Server, backends, main, on_every_backend,  # noqa: E402
                     postgres_server, postmortem, unique)

PM = "/api/v1/postmortems"
READERS = 24
SAVES = 25
HANG = 10.0  # seconds: an answer slower than this is a hang


def get_json(port, path, token, timeout=HANG):
    """(status, parsed body) of GET PATH with TOKEN on a new connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Authorization": "Bearer " + token})
        reply = conn.getresponse()
        data = reply.read()
        body = json.loads(data) if data and "json" in (reply.getheader("Content-Type") or "") else data
        return reply.status, body
    finally:
        conn.close()


def send_raw_get(port, path, token):
    """A socket with GET PATH sent, its answer not read yet."""
    s = socket.create_connection((HOST, port), timeout=HANG)
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
               "Connection: close\r\n\r\n" % (path, token)).encode())
    return s


def read_status(s):
    """The status of the answer on socket S, which is then closed."""
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    line = data.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) > 1 else None


@on_every_backend
class TestReadBatch(ApiCase):
    """ana (author, payments) saves through server B while readers ask A."""

    server_args = ("--threads", "2")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.start_server(["--threads", "1"])
        cls.make_team("payments")
        cls.ana = cls.make_user("ana", "author", ["payments"])
        cls.ana_token = cls.token_client(cls.ana).token

    def test_every_answer_after_a_save_shows_it(self):
        ana = self.token_client(self.ana)
        slug = unique("batched")
        self.create_pm(ana, postmortem(slug, team="payments"))
        first = ana.get(PM + "/" + slug).body["revision"]
        saved = []  # (monotonic time the 200 came, revision)
        reads = []  # (monotonic time the request was sent, revision)
        failures = []
        stop = threading.Event()

        def reader():
            while not stop.is_set():
                sent = time.monotonic()
                try:
                    status, body = get_json(self.server.port, PM + "/" + slug, self.ana_token)
                except OSError as e:
                    failures.append("no answer: %s" % e)
                    continue
                if status != 200:
                    failures.append("answered %d: %r" % (status, body))
                    continue
                reads.append((sent, body["revision"]))

        threads = [threading.Thread(target=reader, daemon=True) for _ in range(READERS)]
        for t in threads:
            t.start()
        try:
            revision = first
            writer = ana.on(self.other)
            for n in range(SAVES):
                time.sleep(0.02)
                markdown = postmortem(slug, team="payments", words="save%d" % n)
                reply = writer.put(PM + "/" + slug, {"markdown": markdown, "base_revision": revision})
                self.assertEqual(reply.status, 200, reply)
                revision = reply.body["revision"]
                saved.append((time.monotonic(), revision))
            time.sleep(0.1)
        finally:
            stop.set()
            for t in threads:
                t.join(HANG * 2)
        self.assertEqual(failures, [])
        self.assertGreater(len(reads), SAVES * 4, "too few reads to tell")
        stale = []
        for sent, seen in reads:
            known = [rev for done, rev in saved if done < sent]
            if known and seen < known[-1]:
                stale.append("sent %.4f after revision %d was saved, saw %d" % (sent, known[-1], seen))
        self.assertEqual(stale, [], "%d of %d answers were older than a save their request came "
                         "after" % (len(stale), len(reads)))


class TestParked(ApiCase):
    """PostgreSQL only: requests parked while server A's database backend is
    paused."""

    backend = "postgres"
    server_args = ("--threads", "1")

    @classmethod
    def setUpClass(cls):
        if "postgres" not in backends():
            raise unittest.SkipTest("PostgreSQL is not among $DEBRIEF_TEST_BACKENDS")
        super().setUpClass()
        cls.make_team("payments")
        cls.ana = cls.make_user("ana", "author", ["payments"])
        cls.ana_token = cls.token_client(cls.ana).token
        cls.slug = unique("parked")
        cls.create_pm(cls.admin, postmortem(cls.slug, team="payments"))
        cls.pg = postgres_server()

    def paused_server(self):
        """A new server (one thread) whose database backends are found by
        their application name; returns it and a function that pauses or
        resumes them (SIGSTOP, SIGCONT)."""
        name = unique("parked").replace("-", "_")
        sep = "&" if "?" in self.db_url else "?"
        server = Server(self.db_url + sep + "application_name=" + name, ("--threads", "1"))
        self._servers.append(server)
        self.assertEqual(get_json(server.port, PM + "/" + self.slug, self.ana_token)[0], 200)
        pids = [int(p) for p in self.pg.psql(
            "SELECT pid FROM pg_stat_activity WHERE application_name = '%s'" % name).split()]
        self.assertTrue(pids, "no backend of the server found")
        paused = []

        def pause(on):
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGSTOP if on else signal.SIGCONT)
                except ProcessLookupError:
                    pass
            paused[:] = [True] if on else []

        self.addCleanup(lambda: paused and pause(False))
        return server, pause

    def test_clients_that_leave_while_parked_do_no_harm(self):
        server, pause = self.paused_server()
        pause(True)
        path = PM + "/" + self.slug
        leaving = [send_raw_get(server.port, path, self.ana_token) for _ in range(10)]
        staying = [send_raw_get(server.port, path, self.ana_token) for _ in range(10)]
        time.sleep(0.3)
        for s in leaving:  # closed before any answer could come
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.close()
        time.sleep(0.3)
        self.assertTrue(server.alive())
        pause(False)
        self.assertEqual([read_status(s) for s in staying], [200] * len(staying))
        for _ in range(5):
            self.assertEqual(get_json(server.port, path, self.ana_token)[0], 200)
        self.assertTrue(server.alive(), server.log_tail())

    def test_postgres_stopped_while_parked_answers_503(self):
        server, pause = self.paused_server()
        pause(True)
        path = PM + "/" + self.slug
        parked = [send_raw_get(server.port, path, self.ana_token) for _ in range(8)]
        time.sleep(0.3)
        stopper = threading.Thread(target=self.pg.stop_fast, daemon=True)
        stopper.start()
        try:
            time.sleep(0.5)
            pause(False)  # the paused backend now takes its order to end
            stopper.join(60)
            self.assertFalse(stopper.is_alive(), "PostgreSQL did not stop")
            started = time.monotonic()
            statuses = [read_status(s) for s in parked]
            self.assertLess(time.monotonic() - started, HANG)
            self.assertEqual(statuses, [503] * len(parked))
            status, body = get_json(server.port, path, self.ana_token)
            self.assertEqual(status, 503)
            self.assertEqual(body["error"]["code"], "unavailable", body)
        finally:
            self.pg.start_again()
        deadline = time.monotonic() + 15
        while get_json(server.port, path, self.ana_token)[0] != 200:
            self.assertLess(time.monotonic(), deadline, "no recovery: " + server.log_tail())
            time.sleep(0.1)
        self.assertTrue(server.alive())


if __name__ == "__main__":
    main()
