"""test_access_matrix.py: a restricted post mortem exists, on every route of
src/serve/router.c, only for the members of its owner team, the users and
teams named on it and admins; for anyone else each route answers as for an
id that does not exist, and no list, search, count, action list or pattern
lets it show.

The routes are read from router.c, so a new route is covered at once: a
route of one post mortem gets the checks of its family with a default body
({} for writes) until harness.SAMPLE_BODIES gives it a better one."""

import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (DEBRIEF, PUBLIC_PM, RESTRICTED_PM, SAMPLE_ATTACHMENT, SAMPLE_ATTACHMENT_BYTES,
                     ApiCase, Client, main, on_every_backend, postmortem, query, routes, sample_body,
                     sample_path, unique)

MISSING = "no-such-postmortem"
RESTRICTED_ID = "2026-04-card-leak"
# What must never reach someone who may not see the restricted post mortem.
SECRETS = (RESTRICTED_ID, "Card numbers logged", "zanzibarquux", "Purge the fraud-service logs",
           "Scrub card numbers")
# Reads that every insider, whatever their role, must get with 200.
CORE_READS = {
    "/api/v1/postmortems/:id",
    "/api/v1/postmortems/:id/revisions",
    "/api/v1/postmortems/:id/revisions/:number",
    "/api/v1/postmortems/:id/diff",
    "/api/v1/postmortems/:id/transitions",
    "/api/v1/postmortems/:id/approvals",
    "/api/v1/postmortems/:id/comments",
}
# Writes the owner team's authors and admins may be refused on a fresh
# draft for a reason other than access (an approval needs a post mortem in
# review); every other write succeeds for them.
MAY_REFUSE_OWNERS = {"/api/v1/postmortems/:id/approvals"}
# Routes only an admin may use: anyone else gets 403, never a success.
ADMIN_ONLY = {
    ("POST", "/api/v1/users"),
    ("GET", "/api/v1/users"),
    ("POST", "/api/v1/teams"),
    ("PUT", "/api/v1/teams/:name/members/:user"),
    ("DELETE", "/api/v1/teams/:name/members/:user"),
    ("GET", "/api/v1/audit"),
    ("POST", "/api/v1/test/clock"),
}


def text_of(reply):
    body = reply.body
    return body.decode(errors="replace") if isinstance(body, bytes) else json.dumps(body)


class People(ApiCase):
    """Teams payments (owns the restricted post mortem), others and legal;
    pat (author, payments), otto (viewer, others) and olga (reviewer,
    others) who may not see it, gina (viewer, others) named on it, lena
    (author, legal) whose team is named on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for team in ("payments", "others", "legal"):
            cls.make_team(team)
        cls.pat = cls.make_user("pat", "author", ["payments"])
        cls.otto = cls.make_user("otto", "viewer", ["others"])
        cls.olga = cls.make_user("olga", "reviewer", ["others"])
        cls.gina = cls.make_user("gina", "viewer", ["others"])
        cls.lena = cls.make_user("lena", "author", ["legal"])
        cls.pat_token = cls.token_client(cls.pat)
        cls.restricted = cls.make_restricted(RESTRICTED_PM)
        assert cls.restricted == RESTRICTED_ID, cls.restricted

    @classmethod
    def make_restricted(cls, markdown):
        """A restricted post mortem of payments made by pat, naming gina and
        the team legal, with the attachment harness.SAMPLE_ATTACHMENT;
        returns its id."""
        pm = cls.create_pm(cls.pat_token, markdown)
        reply = cls.pat_token.put("/api/v1/postmortems/%s/attachments/%s" % (pm, SAMPLE_ATTACHMENT),
                                  raw=SAMPLE_ATTACHMENT_BYTES,
                                  headers={"Content-Type": "application/octet-stream"})
        if reply.status != 201:
            raise AssertionError("attachment of %s: %r" % (pm, reply))
        for grant in ({"user": "gina"}, {"team": "legal"}):
            reply = cls.pat_token.post("/api/v1/postmortems/%s/access" % pm, grant)
            if reply.status not in (200, 201, 204):
                raise AssertionError("grant %r on %s: %r" % (grant, pm, reply))
        return pm

    @classmethod
    def outsiders(cls):
        """Clients of users who may not see the restricted post mortem, by
        token and by session cookie."""
        return [cls.token_client(cls.otto), cls.session_client(cls.otto),
                cls.token_client(cls.olga), cls.session_client(cls.olga)]

    @classmethod
    def insiders(cls):
        return [cls.pat_token, cls.session_client(cls.pat), cls.token_client(cls.gina),
                cls.token_client(cls.lena), cls.admin]

    def ctx(self, pm, client, markdown=RESTRICTED_PM):
        """The values of harness.SAMPLE_BODIES and the route parameters for
        CLIENT sending to post mortem PM (at revision 1)."""
        user = client.user
        return {"pm": pm, "revision": 1, "action": 1, "grant_kind": "user", "grant_name": "gina",
                "markdown": markdown, "base_revision": 1, "owner_team": "legal",
                "user": user.name, "password": user.password, "team": "payments", "member": user.name,
                "token_id": 999999}

    def check_outsiders(self, clients):
        """Every route of the restricted post mortem answers CLIENTS as for
        a missing id, and nothing they send changes it."""
        pm_routes = [r for r in routes() if r.of_postmortem]
        self.assertGreaterEqual(len(pm_routes), 15)
        for client in clients:
            for route in pm_routes:
                ctx = self.ctx(self.restricted, client)
                body = sample_body(route, ctx)
                with self.subTest(route=str(route), client=repr(client)):
                    hidden = client.request(route.method, sample_path(route, ctx), json=body)
                    missing = client.request(route.method, sample_path(route, dict(ctx, pm=MISSING)),
                                             json=sample_body(route, dict(ctx, pm=MISSING)))
                    self.assert_error(missing, 404, "not_found")
                    self.assert_error(hidden, 404, "not_found")
                    self.assertEqual(set(hidden.body), set(missing.body), hidden)
                    self.assertEqual(hidden.body["error"]["message"].replace(self.restricted, MISSING),
                                     missing.body["error"]["message"], "the message tells them apart")
                    if route.method == "GET":
                        head = client.request("HEAD", sample_path(route, ctx))
                        self.assertEqual(head.status, 404, head)
                    for secret in SECRETS[1:]:
                        self.assertNotIn(secret, text_of(hidden))
        self.assert_restricted_untouched()

    def check_insiders_read(self, clients):
        """Every read of the restricted post mortem answers CLIENTS (who may
        see it): 200, or 403 where their role may not use the route."""
        for client in clients:
            for route in routes():
                if not route.of_postmortem or route.writes:
                    continue
                ctx = self.ctx(self.restricted, client)
                with self.subTest(route=str(route), client=repr(client)):
                    reply = client.request(route.method, sample_path(route, ctx))
                    if route.pattern in CORE_READS:
                        self.assertEqual(reply.status, 200, reply)
                    else:
                        self.assertIn(reply.status, (200, 403), reply)

    def assert_restricted_untouched(self):
        """Nothing an outsider sent changed the restricted post mortem."""
        path = "/api/v1/postmortems/" + self.restricted
        pm = self.assert_ok(self.admin.get(path))
        self.assertEqual(pm["revision"], 1, "an outsider saved a revision")
        self.assertEqual(pm["markdown"], RESTRICTED_PM)
        self.assertEqual(pm["visibility"], "restricted")
        self.assertEqual(pm["status"], "draft")
        self.assertEqual(pm["owner_team"], "payments")
        self.assertEqual(self.assert_ok(self.admin.get(path + "/comments"))["items"], [])
        access = self.assert_ok(self.admin.get(path + "/access"))
        names = {g.get("user") or g.get("team") or g.get("name") for g in access["grants"]}
        self.assertTrue({"gina", "legal"} <= names, access)
        self.assert_error(self.admin.get("/api/v1/postmortems/%s-redacted" % self.restricted), 404)
        versions = self.assert_ok(self.admin.get("%s/attachments/%s/versions" % (path, SAMPLE_ATTACHMENT)))
        self.assertEqual(len(versions["versions"]), 1, "an outsider uploaded a file")
        self.assertEqual(self.admin.get("%s/attachments/%s" % (path, SAMPLE_ATTACHMENT)).body,
                         SAMPLE_ATTACHMENT_BYTES)
        actions = self.assert_ok(self.admin.get(query("/api/v1/actions", postmortem=self.restricted,
                                                      status="all")))
        self.assertEqual(sorted(a["status"] for a in actions["items"]), ["done", "open", "open"], actions)


@on_every_backend
class TestEveryRoute(People):
    def test_outsiders_get_404_as_for_a_missing_id(self):
        self.check_outsiders(self.outsiders())

    def test_insiders_see_every_read(self):
        self.check_insiders_read(self.insiders())

    def test_insiders_reach_every_write(self):
        """Each write route, on a fresh restricted post mortem, answers
        something other than 404 (a success, or 403 for a role that may not,
        or 422 for a workflow rule) for everyone who may see it."""
        writes = [r for r in routes() if r.of_postmortem and r.writes]
        self.assertGreaterEqual(len(writes), 9)
        for client in self.insiders():
            for route in writes:
                slug = unique("leak")
                markdown = postmortem(slug, team="payments", restricted=True)
                pm = self.make_restricted(markdown)
                ctx = self.ctx(pm, client, markdown=markdown + "\nOne more line.\n")
                with self.subTest(route=str(route), client=repr(client)):
                    reply = client.request(route.method, sample_path(route, ctx), json=sample_body(route, ctx))
                    self.assertNotIn(reply.status, (401, 404), reply)
                    self.assertLess(reply.status, 500, reply)
                    if client.user.role == "admin" or client.user is self.pat:
                        if route.pattern in MAY_REFUSE_OWNERS:
                            self.assertNotEqual(reply.status, 403, reply)
                        else:
                            self.assertLess(reply.status, 300, reply)

    def test_viewers_get_403_on_every_write_they_may_see(self):
        """A viewer sees a public post mortem, so its writes answer 403 (the
        role), not 404, and change nothing."""
        writes = [r for r in routes() if r.of_postmortem and r.writes]
        markdown = postmortem(unique("public"), team="payments")
        pm = self.create_pm(self.pat_token, markdown)
        moved = self.pat_token.post("/api/v1/postmortems/%s/transitions" % pm, {"to": "review"})
        self.assertEqual(moved.status, 200, moved)  # in review, so approving is a matter of role only
        for client in (self.token_client(self.otto), self.session_client(self.otto)):
            for route in writes:
                ctx = self.ctx(pm, client, markdown=markdown + "\nA viewer's line.\n")
                ctx["to"] = "draft"  # a move the rules allow from review
                with self.subTest(route=str(route), client=repr(client)):
                    reply = client.request(route.method, sample_path(route, ctx), json=sample_body(route, ctx))
                    self.assert_error(reply, 403, "forbidden")
        got = self.assert_ok(self.admin.get("/api/v1/postmortems/" + pm))
        self.assertEqual((got["revision"], got["status"], got["visibility"]), (1, "review", "public"))
        self.assertEqual(self.assert_ok(self.admin.get("/api/v1/postmortems/%s/approvals" % pm))["items"], [])
        self.assertEqual(self.assert_ok(self.admin.get("/api/v1/postmortems/%s/comments" % pm))["items"], [])
        self.assert_error(self.admin.get("/api/v1/postmortems/%s-redacted" % pm), 404)

    def test_no_route_leaks_to_outsiders(self):
        """Every route, the ones of no post mortem too, answered to someone
        who may not see the restricted post mortem, says nothing of it."""
        # A change of password (PATCH) ends the user's sessions: last.
        ordered = sorted(routes(), key=lambda r: r.method == "PATCH")
        makers = [(user, make) for user in (self.otto, self.olga)
                  for make in (self.token_client, self.session_client)]
        for user, make in makers:
            client = make(user)  # made now: the previous one's PATCH ended the sessions
            for route in ordered:
                ctx = self.ctx(self.restricted, client)
                ctx["owner_team"] = "others"
                if route.of_postmortem:
                    continue
                sender = client
                if route.pattern == "/api/v1/session" and route.writes and client.cookie:
                    # Signing in or out ends the session sent: use another.
                    sender = self.session_client(client.user)
                with self.subTest(route=str(route), client=repr(client)):
                    reply = sender.request(route.method, sample_path(route, ctx), json=sample_body(route, ctx))
                    self.assertLess(reply.status, 500, reply)
                    for secret in SECRETS:
                        self.assertNotIn(secret, text_of(reply))
                    if (route.method, route.pattern) in ADMIN_ONLY:
                        self.assert_error(reply, 403)

    def test_anonymous_gets_401_on_every_signed_in_route(self):
        nobody = Client(self.server)
        open_routes = {"/healthz", "/metrics", "/api/v1/session", "/api/v1/setup"}
        for route in routes():
            if route.pattern in open_routes:
                continue
            ctx = self.ctx(self.restricted, self.pat_token)
            with self.subTest(route=str(route)):
                reply = nobody.request(route.method, sample_path(route, ctx), json=sample_body(route, ctx))
                self.assert_error(reply, 401, "unauthorized")


@on_every_backend
class TestThroughTheProxyHeader(People):
    """The same rules for users named by a trusted proxy's header."""

    server_args = ("--proxy-user-header", "X-Remote-User", "--trusted-proxy", "127.0.0.1")

    def by_header(self, user):
        return Client(self.server, user=user, headers={"X-Remote-User": user.name})

    def test_outsiders_get_404_as_for_a_missing_id(self):
        self.check_outsiders([self.by_header(self.otto), self.by_header(self.olga)])

    def test_insiders_see_every_read(self):
        self.check_insiders_read([self.by_header(u) for u in (self.pat, self.gina, self.lena, self.admin_user)])

    def test_lists_leave_it_out(self):
        otto = self.by_header(self.otto)
        listed = self.assert_ok(otto.get(query("/api/v1/postmortems", q="zanzibarquux")))
        self.assertEqual((listed["items"], listed["total"]), ([], 0))
        self.assertNotIn(RESTRICTED_ID, text_of(otto.get(query("/api/v1/actions", status="all"))))
        pat = self.assert_ok(self.by_header(self.pat).get(query("/api/v1/postmortems", q="zanzibarquux")))
        self.assertEqual([i["id"] for i in pat["items"]], [RESTRICTED_ID])


@on_every_backend
class TestListsAndCounts(People):
    """Besides the restricted post mortem R of payments: P, public, of
    payments, and Q, restricted, of others (which pat may not see)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = cls.create_pm(cls.pat_token, PUBLIC_PM, owner_team="payments")
        cls.q_text = postmortem("2026-07-queue-backlog", title="Queue backlog delays e-mails", team="others",
                                restricted=True, service="mailer", started="2026-07-01",
                                actions=[("Page on a queue older than 10 minutes", "@olga", "2026-07-20",
                                          "open")])
        cls.q = cls.create_pm(cls.token_client(cls.olga), cls.q_text)
        cls.texts = {cls.public: PUBLIC_PM, cls.restricted: RESTRICTED_PM, cls.q: cls.q_text}
        P, R, Q = cls.public, cls.restricted, cls.q
        cls.expected = [
            (cls.pat_token, {P, R}),
            (cls.session_client(cls.pat), {P, R}),
            (cls.token_client(cls.otto), {P, Q}),
            (cls.session_client(cls.otto), {P, Q}),
            (cls.token_client(cls.olga), {P, Q}),
            (cls.token_client(cls.gina), {P, R, Q}),
            (cls.token_client(cls.lena), {P, R}),
            (cls.admin, {P, R, Q}),
        ]

    def list_ids(self, client, **params):
        reply = client.get(query("/api/v1/postmortems", **params))
        body = self.assert_ok(reply)
        return {item["id"] for item in body["items"]}, body["total"]

    def test_list_and_total(self):
        for client, visible in self.expected:
            with self.subTest(client=repr(client)):
                ids, total = self.list_ids(client)
                self.assertEqual(ids, visible)
                self.assertEqual(total, len(visible))
                seen = set()
                for offset in range(len(visible)):
                    page, total = self.list_ids(client, limit=1, offset=offset)
                    self.assertEqual(total, len(visible))
                    self.assertEqual(len(page), 1)
                    seen |= page
                self.assertEqual(seen, visible)
                self.assertEqual(self.list_ids(client, limit=1, offset=len(visible)), (set(), len(visible)))

    def test_search_and_filters(self):
        P, R, Q = self.public, self.restricted, self.q
        cases = [
            ({"q": "zanzibarquux"}, {R}),
            ({"q": "Card numbers"}, {R}),
            ({"q": "checkout"}, {P, R, Q}),
            ({"team": "payments"}, {P, R}),
            ({"service": "fraud-scoring"}, {R}),
            ({"status": "draft"}, {P, R, Q}),
            ({"severity": "SEV2"}, {P, R, Q}),
            ({"tag": "deployment"}, {P, R, Q}),
            ({"since": "2026-04-01", "until": "2026-04-30"}, {R}),
            ({"sort": "title"}, {P, R, Q}),
        ]
        for client, visible in self.expected:
            for params, matching in cases:
                with self.subTest(client=repr(client), params=params):
                    ids, total = self.list_ids(client, **params)
                    self.assertEqual(ids, matching & visible)
                    self.assertEqual(total, len(matching & visible))

    def test_action_items(self):
        for client, visible in self.expected:
            with self.subTest(client=repr(client)):
                body = self.assert_ok(client.get(query("/api/v1/actions", status="all")))
                by_pm = {}
                for item in body["items"]:
                    by_pm.setdefault(item["postmortem"], []).append(item)
                self.assertEqual(set(by_pm), visible)
                summary = body["summary"]
                self.assertEqual(summary["open"], sum(i["status"] == "open" for i in body["items"]), summary)
                self.assertEqual(summary["done"], sum(i["status"] == "done" for i in body["items"]), summary)
                if self.restricted not in visible:
                    for secret in SECRETS:
                        self.assertNotIn(secret, text_of(client.get("/api/v1/actions")))
                    hidden = client.get(query("/api/v1/actions", postmortem=self.restricted))
                    missing = client.get(query("/api/v1/actions", postmortem=MISSING))
                    self.assertEqual(hidden.status, missing.status, hidden)
                    if hidden.status == 200:
                        self.assertEqual(hidden.body["items"], [])
                        self.assertEqual(hidden.body["summary"], missing.body["summary"])
                    else:
                        self.assert_error(hidden, missing.status)

    def test_patterns_count_only_what_one_may_see(self):
        for client, visible in self.expected:
            with self.subTest(client=repr(client)):
                body = self.assert_ok(client.get("/api/v1/patterns"))
                self.assertEqual(sum(p["postmortems"] for p in body["periods"]), len(visible), body["periods"])
                self.assertEqual(body["periods"], self.cli_patterns(visible)["periods"])
                if self.restricted not in visible:
                    for secret in SECRETS:
                        self.assertNotIn(secret, json.dumps(body))

    def cli_patterns(self, ids):
        """`debrief patterns --format json` on the texts of IDS."""
        with tempfile.TemporaryDirectory() as folder:
            for pm in ids:
                with open(os.path.join(folder, pm + ".md"), "w") as f:
                    f.write(self.texts[pm])
            p = subprocess.run([DEBRIEF, "patterns", "--format", "json", folder], capture_output=True, timeout=60)
            self.assertIn(p.returncode, (0, 1), p.stderr)
            return json.loads(p.stdout)

    def export(self, *args):
        """The files `debrief export DIR ARGS` writes: {name: text} of the
        post mortems, and the bytes of the other files (attachments; only R
        has one, SAMPLE_ATTACHMENT)."""
        with tempfile.TemporaryDirectory() as folder:
            p = subprocess.run([DEBRIEF, "export", folder] + list(args), capture_output=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)
            out, others = {}, []
            for top, _, names in os.walk(folder):
                for name in names:
                    with open(os.path.join(top, name), "rb") as f:
                        if top == folder and name.endswith(".md"):
                            out[name] = f.read().decode("utf-8")
                        else:
                            others.append(f.read())
            return out, others

    def test_export_holds_only_what_one_may_see(self):
        for client, visible in self.expected:
            if not client.token:
                continue
            files_of_r = [SAMPLE_ATTACHMENT_BYTES] if self.restricted in visible else []
            with self.subTest(client=repr(client), via="server"):
                files, others = self.export("--server", self.server.base, "--token", client.token)
                self.assertEqual(files, {pm + ".md": self.texts[pm] for pm in visible})
                self.assertIn(others, ([], files_of_r))
            with self.subTest(client=repr(client), via="db"):
                files, others = self.export("--db", self.db_url, "--as", client.user.name)
                self.assertEqual(files, {pm + ".md": self.texts[pm] for pm in visible})
                self.assertIn(others, ([], files_of_r))
        self.assertEqual(self.export("--db", self.db_url), ({self.public + ".md": PUBLIC_PM}, []))

    def test_a_grant_taken_back_hides_it_again(self):
        path = "/api/v1/postmortems/%s" % self.q
        gina_sees = self.token_client(self.gina)
        pat = self.pat_token
        self.assert_error(pat.get(path), 404, "not_found")
        grant = self.token_client(self.olga).post(path + "/access", {"user": "pat"})
        self.assertIn(grant.status, (200, 201, 204), grant)
        try:
            self.assert_ok(pat.get(path))
            self.assertIn(self.q, self.list_ids(pat)[0])
            self.assertEqual(self.list_ids(pat)[1], 3)
        finally:
            revoke = self.token_client(self.olga).delete(path + "/access/user/pat")
            self.assertIn(revoke.status, (200, 204), revoke)
        self.assert_error(pat.get(path), 404, "not_found")
        self.assertEqual(self.list_ids(pat), ({self.public, self.restricted}, 2))
        self.assert_ok(gina_sees.get(path))


if __name__ == "__main__":
    main()
