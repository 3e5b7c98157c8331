"""faultlib.py: what the fault tests share: writers that keep a ledger of
acknowledged revisions (SHA-256 recorded only after a 2xx), and the check
that every acknowledged revision is still there, byte for byte.

The servers, databases and clients are tests/api/harness.py's: a real
`debrief serve` on a free port, SQLite in a temporary folder or a private
PostgreSQL 15 from tests/pg/pgtmp.py.
"""

import hashlib
import http.client
import json
import os
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "api"))

import harness  # noqa: E402  (after the path is set)
from harness import Client, expect, postmortem, session_of  # noqa: E402,F401

PASSWORD = "fault-password-1"


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def payload_text(slug, rng, team):
    """A post mortem SLUG whose appendix is a random payload of 200 B to
    32 KiB, so a torn write cannot go unnoticed."""
    size = rng.choice((200, 1000, 4000, 12000, 32000))
    body = rng.randbytes(size // 2).hex()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return (postmortem(slug, team=team) + "\n## Appendix\n\n```\n" + "\n".join(lines) + "\n```\n")


class Ledger:
    """What the writers sent and what the server acknowledged. Thread safe.

    acked: {(pm, revision): sha} of 2xx answers only; sent: {pm: {sha}} of
    every text sent (acknowledged or not), so a revision the server kept
    without saying so (a kill between its commit and its answer) is still
    known to be a whole text and not a torn one."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}
        self.sent = {}
        self.created = set()    # post mortems whose creation was acknowledged
        self.maybe = set()      # post mortems whose creation is in doubt
        self.in_doubt = 0       # requests that got no answer
        self.refused = {}       # status -> count of non-2xx answers

    def note_sent(self, pm, digest):
        with self.lock:
            self.sent.setdefault(pm, set()).add(digest)

    def note_acked(self, pm, revision, digest):
        with self.lock:
            old = self.acked.get((pm, revision))
            if old is not None and old != digest:
                raise AssertionError("revision %d of %s acknowledged twice for two texts" % (revision, pm))
            self.acked[(pm, revision)] = digest
            if revision == 1:
                self.created.add(pm)

    def note_refused(self, status):
        with self.lock:
            self.refused[status] = self.refused.get(status, 0) + 1

    def pms(self):
        with self.lock:
            return sorted(self.created | self.maybe)


class Writer(threading.Thread):
    """Creates post mortems and saves new revisions of its own ones through
    CLIENT's server until stop is set or the server stops answering.

    bases: {pm: newest revision known}, kept across rounds by the caller.
    A request with no answer (the server was killed) ends the thread;
    a 503 (the database is gone) is counted and retried after a pause."""

    def __init__(self, name, client, ledger, bases, team, rng, stop, create_share=0.2,
                 keep_going_on_error=False):
        super().__init__(name=name, daemon=True)
        self.client = client
        self.ledger = ledger
        self.bases = bases
        self.team = team
        self.rng = rng
        self.stop = stop
        self.create_share = create_share
        self.keep_going = keep_going_on_error
        self.made = 0
        self.acked = 0
        self.failures = []      # unexpected answers, as text
        self.statuses = {}
        self.slow = []          # (seconds, status) of answers slower than 5 s
        self.unsure = set()     # post mortems whose last save got no 2xx

    def _count(self, status):
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def run(self):
        while not self.stop.is_set():
            try:
                self.step()
            except (OSError, http.client.HTTPException):
                if not self.keep_going:
                    return
                time.sleep(0.2)

    def step(self):
        creating = not self.bases or self.rng.random() < self.create_share
        if creating:
            self.made += 1
            pm = "%s-%d-%s" % (self.name, self.made, self.rng.randbytes(3).hex())
            text = payload_text(pm, self.rng, self.team)
            digest = sha(text)
            self.ledger.note_sent(pm, digest)
            with self.ledger.lock:
                self.ledger.maybe.add(pm)
            reply = self._send("POST", "/api/v1/postmortems", {"markdown": text})
            if reply is None:
                return
            if reply.status == 201:
                self.ledger.note_acked(pm, reply.body["revision"], digest)
                self.bases[pm] = reply.body["revision"]
                self.acked += 1
            else:
                self._unexpected("POST", pm, reply)
            return
        pm = self.rng.choice(sorted(self.bases))
        text = payload_text(pm, self.rng, self.team)
        digest = sha(text)
        self.ledger.note_sent(pm, digest)
        try:
            reply = self._send("PUT", "/api/v1/postmortems/" + pm,
                               {"markdown": text, "base_revision": self.bases[pm]})
        except (OSError, http.client.HTTPException):
            self.unsure.add(pm)
            raise
        if reply is None:
            return
        if reply.status == 200:
            self.unsure.discard(pm)
            revision = reply.body["revision"]
            if revision != self.bases[pm] + 1:
                self.failures.append("PUT %s on base %d answered revision %d" % (pm, self.bases[pm], revision))
            self.ledger.note_acked(pm, revision, digest)
            self.bases[pm] = revision
            self.acked += 1
        elif reply.status == 409 and pm in self.unsure and isinstance(reply.body, dict) and "current" in reply.body:
            # A save that got no answer (or a 503) may have been kept after
            # all: take the newest revision as the base and go on.
            self.bases[pm] = reply.body["current"]["revision"]
            self.unsure.discard(pm)
        else:
            self.unsure.add(pm)
            self._unexpected("PUT", pm, reply)

    def _send(self, method, path, body):
        started = time.monotonic()
        try:
            reply = self.client.request(method, path, json=body)
        except (OSError, http.client.HTTPException) as e:
            with self.ledger.lock:
                self.ledger.in_doubt += 1
            if self.keep_going:
                # The server is meant to be up the whole time: no answer is
                # a fault of its own.
                self.failures.append("%s %s: no answer (%s) after %.1f s"
                                     % (method, path, e, time.monotonic() - started))
            raise
        took = time.monotonic() - started
        self._count(reply.status)
        if took > 5:
            self.slow.append((took, reply.status))
        if reply.status >= 300:
            self.ledger.note_refused(reply.status)
        return reply

    def _unexpected(self, method, pm, reply):
        if reply.status == 503 and self.keep_going:
            check_json_error(reply, self.failures, "%s %s" % (method, pm))
            time.sleep(0.05)
            return
        self.failures.append("%s %s answered %r" % (method, pm, reply))


def check_json_error(reply, failures, what):
    """Appends to FAILURES unless REPLY's body is {"error":{"code","message"}}
    and, for a 503, it says when to retry (Retry-After)."""
    body = reply.body
    if not (isinstance(body, dict) and isinstance(body.get("error"), dict)
            and isinstance(body["error"].get("code"), str) and isinstance(body["error"].get("message"), str)):
        failures.append("%s answered %d without a JSON error: %r" % (what, reply.status, reply))
    if reply.status == 503 and not reply.headers.get("Retry-After"):
        failures.append("%s answered 503 without Retry-After" % what)


def refresh_bases(client, bases, pms):
    """Sets bases[pm] to the newest revision of each of PMS that exists."""
    for pm in pms:
        reply = client.get("/api/v1/postmortems/%s/revisions" % pm)
        if reply.status == 200 and reply.body["items"]:
            bases[pm] = reply.body["items"][-1]["revision"]
        elif reply.status == 404:
            bases.pop(pm, None)


def verify(client, ledger, threads=6):
    """Reads back every revision of every post mortem the ledger knows.
    Returns (problems, revisions_checked, acked_checked): PROBLEMS lists
    missing or changed acknowledged revisions, gaps and duplicates in the
    numbering, texts that were never sent (torn or mixed), and lengths that
    disagree with the text."""
    pms = ledger.pms()
    with ledger.lock:
        acked = dict(ledger.acked)
        sent = {pm: set(s) for pm, s in ledger.sent.items()}
        created = set(ledger.created)
    problems = []
    checked = [0, 0]
    lock = threading.Lock()
    queue = list(pms)

    def one(pm):
        reply = client.get("/api/v1/postmortems/%s/revisions" % pm)
        if reply.status == 404:
            if pm in created:
                return ["%s: acknowledged as created, now 404" % pm]
            return []
        if reply.status != 200:
            return ["%s: GET revisions answered %r" % (pm, reply)]
        items = reply.body["items"]
        numbers = [item["revision"] for item in items]
        found = []
        if numbers != list(range(1, len(numbers) + 1)):
            found.append("%s: revisions are %s, not 1..%d without gaps or duplicates"
                         % (pm, numbers, len(numbers)))
        seen = {}
        n_checked = n_acked = 0
        for item in items:
            n = item["revision"]
            r = client.get("/api/v1/postmortems/%s/revisions/%d" % (pm, n))
            if r.status != 200:
                found.append("%s revision %d: GET answered %r" % (pm, n, r))
                continue
            text = r.body["markdown"]
            digest = sha(text)
            n_checked += 1
            if len(text.encode()) != item.get("length", len(text.encode())):
                found.append("%s revision %d: length %s in the history, %d in the text"
                             % (pm, n, item.get("length"), len(text.encode())))
            want = acked.get((pm, n))
            if want is not None:
                n_acked += 1
                if digest != want:
                    found.append("%s revision %d: acknowledged text changed (sha256 %s, was %s)"
                                 % (pm, n, digest[:16], want[:16]))
            elif digest not in sent.get(pm, ()):
                found.append("%s revision %d: a text no client sent (torn or mixed write), sha256 %s"
                             % (pm, n, digest[:16]))
            if digest in seen:
                found.append("%s: revisions %d and %d hold the same text (a replayed write)"
                             % (pm, seen[digest], n))
            seen[digest] = n
        for (apm, an), _ in acked.items():
            if apm == pm and an not in numbers:
                found.append("%s revision %d: acknowledged, now missing" % (pm, an))
        with lock:
            checked[0] += n_checked
            checked[1] += n_acked
        return found

    def work():
        while True:
            with lock:
                if not queue:
                    return
                pm = queue.pop()
            try:
                found = one(pm)
            except (OSError, http.client.HTTPException) as e:
                found = ["%s: could not be read back: %s" % (pm, e)]
            with lock:
                problems.extend(found)

    workers = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return problems, checked[0], checked[1]


def setup_people(server, writers):
    """The admin, a team `sre` and WRITERS authors with a token each, through
    the API; returns (admin Client, [Client])."""
    expect(Client(server).post("/api/v1/setup", {"name": "admin", "password": PASSWORD}), 201, "setup")
    admin = token_client(server, "admin")
    expect(admin.post("/api/v1/teams", {"name": "sre"}), 201, "team")
    clients = []
    for i in range(writers):
        name = "writer%d" % i
        expect(admin.post("/api/v1/users", {"name": name, "password": PASSWORD, "role": "author",
                                            "teams": ["sre"]}), 201, "user")
        clients.append(token_client(server, name))
    return admin, clients


def token_client(server, name):
    reply = expect(Client(server).post("/api/v1/session", {"name": name, "password": PASSWORD}), 200, "sign-in")
    session = Client(server, cookie=session_of(reply), csrf=reply.body.get("csrf_token"))
    token = expect(session.post("/api/v1/tokens", {"label": "fault"}), 201, "token").body["token"]
    return Client(server, token=token)


def vm_rss_kib(pid):
    """The resident memory of PID in KiB (VmRSS of /proc/PID/status)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise OSError("no VmRSS for pid %d" % pid)


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def summary_json(path, data):
    """Writes DATA as JSON to PATH when PATH is given (the numbers of a run)."""
    if path:
        with open(path, "w") as f:
            json.dump(data, f, indent=2, sort_keys=True)
            f.write("\n")

