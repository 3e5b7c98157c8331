"""test_access.py: the access matrix over every route of src/serve/router.c
(pages, API, feed, patterns, metrics, search, attachments, healthz): a
restricted post mortem's id, title, text, attachment names, comments,
actions and revisions reach no one who may not see it, in status, headers or
body; for them each of its routes answers exactly as for an id that does not
exist; and the routes are read from router.c, so a new one cannot escape.

By hand: DEBRIEF=build/debrief DEBRIEF_PGTMP=tests/pg/pgtmp.py \\
    python3 tests/security/test_access.py [-k NAME]"""

import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import covered, send, whole  # noqa: E402
from harness import (DEBRIEF, RESTRICTED_PM, ApiCase, Client, main, on_every_backend,  # noqa: E402
                     postmortem, routes)

RID = "2026-04-card-leak"
MISSING = "2026-04-card-lost"
# Routes that name a post mortem in their query or form, not their path.
BY_ID = {"/preview", "/actions"}  # as long as RID: a length cannot tell them apart
ATTACHMENT = "metrics%2Fkiwisecret.csv"
# Words that exist only in the restricted post mortem: its id, title and
# text, its second revision, its comment, its attachment's name, an action.
SECRETS = (RID, "Card numbers logged", "zanzibarquux", "wombatledger", "narwhalsecret", "kiwisecret",
           "Purge the fraud-service logs", "quokkavault")
SECOND = RESTRICTED_PM + "\nThe second revision names wombatledger.\n"
# A restricted post mortem with a restricted block, whose public redacted
# copy outsiders may read: the block's word must not follow it.
BLOCKED_ID = "2026-05-vault-copy"
BLOCKED = postmortem(BLOCKED_ID, title="Vault copy left open", team="payments", restricted=True,
                     words="<!-- restricted -->\nThe quokkavault key was copied.\n<!-- /restricted -->")


# What outsiders send as a text: nothing of R in it.
OUTSIDER_TEXT = postmortem("2026-04-outsider-text", team="others")


class World(ApiCase):
    """Teams payments (owns R, the restricted post mortem) and others; pat
    (author, payments), otto (viewer, others), olga (reviewer, others),
    carol (author, payments: owns R's actions)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for team in ("payments", "others"):
            cls.make_team(team)
        cls.pat = cls.make_user("pat", "author", ["payments"])
        cls.otto = cls.make_user("otto", "viewer", ["others"])
        cls.olga = cls.make_user("olga", "reviewer", ["others"])
        cls.carol = cls.make_user("carol", "author", ["payments"])
        pat = cls.token_client(cls.pat)
        cls.pat_api = pat
        assert cls.create_pm(pat, RESTRICTED_PM) == RID
        ok = pat.put("/api/v1/postmortems/" + RID, {"markdown": SECOND, "base_revision": 1})
        assert ok.status == 200, ok
        ok = pat.post("/api/v1/postmortems/%s/comments" % RID, {"body": "Ask narwhalsecret first."})
        assert ok.status == 201, ok
        ok = pat.put("/api/v1/postmortems/%s/attachments/%s" % (RID, ATTACHMENT), raw=b"t,v\n1,2\n",
                     headers={"Content-Type": "application/octet-stream"})
        assert ok.status == 201, ok
        cls.public = cls.create_pm(pat, postmortem("2026-06-public-one", team="payments"))
        assert cls.create_pm(pat, BLOCKED) == BLOCKED_ID
        ok = pat.post("/api/v1/postmortems/%s/redacted" % BLOCKED_ID)
        assert ok.status == 201, ok

    def ctx(self, client, pm=RID):
        user = client.user
        return {"pm": pm, "revision": 1, "action": 1, "grant_kind": "user", "grant_name": "otto",
                "markdown": OUTSIDER_TEXT, "base_revision": 2, "owner_team": "others",
                "user": user.name if user else "nobody", "password": user.password if user else "x",
                "team": "others", "member": user.name if user else "otto", "token_id": 999999,
                "person": "carol", "search": "zanzibarquux", "static": "style.css",
                "attachment": ATTACHMENT}

    def outsiders(self):
        """Fresh clients of people who may not see R: a viewer's session and
        token, a reviewer's session, and nobody."""
        return [("otto-session", lambda: self.session_client(self.otto)),
                ("otto-token", lambda: self.token_client(self.otto)),
                ("olga-session", lambda: self.session_client(self.olga)),
                ("anonymous", lambda: Client(self.server))]

    def count_revisions(self):
        got = self.admin.get("/api/v1/postmortems/%s/revisions" % RID)
        self.assertEqual(got.status, 200, got)
        return len(got.body["items"])

    def test_every_route_is_in_the_matrix(self):
        every = routes(pages=True)
        self.assertGreater(len(every), 80)
        missing = [str(r) for r in every if not covered(r)]
        self.assertEqual(missing, [], "routes of router.c the security matrix does not cover")
        for needed in ("/feed.atom", "/patterns", "/metrics", "/healthz", "/people/:name",
                       "/api/v1/postmortems/:id/attachments/:name", "/postmortems/:id/diff"):
            self.assertIn(needed, {r.pattern for r in every})

    def test_outsiders_learn_nothing_on_any_route(self):
        """Every route, as each outsider: no secret anywhere in the answer;
        a route of R answers as for a missing id, byte for byte once the id
        is swapped; nothing they send changes R."""
        before = self.count_revisions()
        ordered = sorted(routes(pages=True), key=lambda r: (r.method == "PATCH", r.pattern in (
            "/signout", "/api/v1/session")))
        for who, make in self.outsiders():
            client = make()
            for route in ordered:
                ctx = self.ctx(client)
                if route.method != "GET" and (route.pattern in ("/signout", "/api/v1/session", "/signin")
                                               or route.method == "PATCH"):
                    client = make()  # the previous one may have been signed out
                with self.subTest(route=str(route), who=who):
                    hidden = send(client, route, ctx)
                    self.assertLess(hidden.status, 500, hidden)
                    seen = whole(hidden)
                    of_r = route.pattern in BY_ID or (
                        ":id" in route.pattern and route.pattern.startswith(("/postmortems/", "/api/v1/postmortems/")))
                    # What the request itself carried (the id it named, the
                    # word it searched for) may come back: it tells nothing.
                    # Everything else of R may not.
                    sent = [RID] if of_r else []
                    if route.method == "GET" and route.pattern == "/postmortems":
                        sent.append(ctx["search"])
                    for word in sent:
                        seen = seen.replace(word, "<sent>")
                    for secret in SECRETS:
                        self.assertNotIn(secret, seen, "%s leaks %r to %s" % (route, secret, who))
                    if of_r:
                        missing = send(client, route, self.ctx(client, pm=MISSING))
                        self.assertEqual(self.comparable(hidden).replace(RID, MISSING), self.comparable(missing),
                                         "%s tells a hidden post mortem from a missing one" % route)
                        if route.pattern not in BY_ID:
                            self.assertGreaterEqual(hidden.status, 300, hidden)
                if route.pattern == "/tokens/:id/revoke" or route.method == "PATCH":
                    client = make()
        self.assertEqual(self.count_revisions(), before, "an outsider saved a revision")
        comments = self.admin.get("/api/v1/postmortems/%s/comments" % RID).body["items"]
        self.assertEqual(len(comments), 1, comments)

    @staticmethod
    def comparable(reply):
        """The answer without what differs between any two requests (the
        date, a request id): status, content type and body."""
        body = reply.body.decode(errors="replace") if isinstance(reply.body, bytes) else repr(reply.body)
        body = re.sub(r"\b[0-9a-f]{64}\b", "<form token>", body)  # a fresh sign-in form token each time
        body = re.sub(r"'uptime_seconds': \d+", "'uptime_seconds': 0", body)
        if "<feed" in body and "<entry>" not in body:
            body = re.sub(r"<updated>[^<]*</updated>", "<updated>now</updated>", body)  # empty: the time of asking
        return "%d %s %s %s" % (reply.status, reply.headers.get("Content-Type"), reply.headers.get("Location"), body)

    def test_insiders_see_it(self):
        """The same pages show R to its team and an admin (so the checks
        above can fail): its page, history, diff, search, actions, the
        person page and the feed's absence of drafts aside."""
        for client in (self.session_client(self.pat), self.session_client(self.admin_user),
                       self.session_client(self.carol)):
            for path, word in (("/postmortems/" + RID, "Card numbers logged"),
                               ("/postmortems/%s/history" % RID, RID),
                               ("/postmortems/%s/diff?from=1&to=2" % RID, "wombatledger"),
                               ("/postmortems?q=zanzibarquux", RID),
                               ("/actions?status=all", "Purge the fraud-service logs"),
                               ("/people/carol", "Purge the fraud-service logs"),
                               ("/postmortems/" + RID, "narwhalsecret"),
                               ("/postmortems/" + RID, "kiwisecret")):
                with self.subTest(path=path, who=client.user.name):
                    reply = client.get(path)
                    self.assertEqual(reply.status, 200, reply)
                    self.assertIn(word, whole(reply))

    def test_a_new_restricted_one_changes_nothing_outsiders_see(self):
        """Every read an outsider can make, but /metrics (which counts the
        requests), answers byte for byte the same before and after a new
        restricted post mortem with its own service, tag, severity, a
        comment and an action item for that outsider: no list, count,
        search, facet, feed, pattern or person page lets it show."""
        reads = [r for r in routes(pages=True) if r.method == "GET" and r.pattern != "/metrics"]
        clients = [("otto-session", self.session_client(self.otto)), ("otto-token", self.token_client(self.otto)),
                   ("olga-session", self.session_client(self.olga)), ("anonymous", Client(self.server))]
        extra = ["/postmortems?service=ledger-sync", "/postmortems?tag=hushhush", "/postmortems?severity=SEV1",
                 "/api/v1/postmortems?service=ledger-sync", "/api/v1/postmortems?tag=hushhush",
                 "/api/v1/postmortems?severity=SEV1", "/actions?owner=otto&status=all", "/people/otto",
                 "/api/v1/actions?owner=otto&status=all", "/api/v1/actions?status=all", "/patterns?period=month",
                 "/postmortems?sort=-started", "/api/v1/postmortems?sort=title"]

        def snapshot():
            out = {}
            for who, client in clients:
                for route in reads:
                    ctx = self.ctx(client, pm=self.public)
                    ctx["search"] = "checkout"
                    out[(who, str(route))] = self.comparable(send(client, route, ctx))
                for path in extra:
                    out[(who, path)] = self.comparable(client.get(path))
            return out

        before = snapshot()
        text = postmortem("2026-08-ledger-drift", title="Ledger drift hidden", team="payments", restricted=True,
                          service="ledger-sync", tags=("hushhush",), severity="SEV1", started="2026-08-02",
                          actions=[("Reconcile the ledger by hand", "@otto", "2026-08-10", "open")])
        slug = self.create_pm(self.pat_api, text)
        ok = self.pat_api.post("/api/v1/postmortems/%s/comments" % slug, {"body": "Hidden remark."})
        self.assertEqual(ok.status, 201, ok)
        after = snapshot()
        changed = sorted(k for k in before if before[k] != after[k])
        self.assertEqual(changed, [], "what outsiders see changed with a post mortem they may not see")
        self.assertIn("Ledger drift hidden", whole(self.session_client(self.pat).get("/postmortems")))

    def test_redacted_copy_drops_the_restricted_block(self):
        copy = BLOCKED_ID + "-redacted"
        for client in (self.session_client(self.otto), self.token_client(self.otto)):
            for path in ("/postmortems/" + copy, "/postmortems/%s/history" % copy,
                         "/api/v1/postmortems/" + copy, "/api/v1/postmortems/%s/revisions/1" % copy,
                         "/postmortems?q=quokkavault", "/api/v1/postmortems?q=quokkavault"):
                with self.subTest(path=path, client=repr(client)):
                    reply = client.get(path)
                    self.assertEqual(reply.status, 200, reply)
                    seen = whole(reply).replace("value=\"quokkavault\"", "").replace("q=quokkavault", "")
                    self.assertNotIn("quokkavault", seen)
        self.assertIn("quokkavault", whole(self.pat_api.get("/api/v1/postmortems/" + BLOCKED_ID)))

    def test_export_of_an_outsider_holds_nothing_of_it(self):
        token = self.token_client(self.otto).token
        with tempfile.TemporaryDirectory() as folder:
            p = subprocess.run([DEBRIEF, "export", folder, "--server", self.server.base, "--token", token],
                               capture_output=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)
            names = []
            for top, _, files in os.walk(folder):
                for name in files:
                    names.append(os.path.join(top, name))
                    with open(os.path.join(top, name), "rb") as f:
                        data = f.read().decode(errors="replace")
                    for secret in SECRETS:
                        self.assertNotIn(secret, data, name)
            for secret in SECRETS:
                self.assertNotIn(secret, " ".join(names))
                self.assertNotIn(secret, (p.stdout + p.stderr).decode(errors="replace"))
            self.assertTrue(any(self.public in n for n in names), names)


@on_every_backend
class TestMatrix(World):
    pass


if __name__ == "__main__":
    main()
