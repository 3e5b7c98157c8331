#!/usr/bin/env python3
"""test_read_cache.py: the store's cache of frequent reads (lib/store/
store_reads.c) and the server's threads never serve what the database no
longer says, on SQLite and PostgreSQL.

Two servers share one database, each with two event loop threads. Every
read is first asked several times of server A, so each thread of A has it
in memory; the change is then made through server B (another connection,
another process: only the database's generation can tell A) or through A
itself, and A must answer as the database does at once: a signed-out,
expired or re-passworded session and a revoked token are refused; a new
role, a new revision, a comment, a post mortem made restricted or a team
membership taken away show on the pages, the API, the list and the search;
what was restricted never appears to someone who may not see it."""

import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEBRIEF, ApiCase, main, on_every_backend, postmortem, unique  # noqa: E402

PM = "/api/v1/postmortems"
WARM = 6  # reads before a change: enough for both threads of a server


def text(reply):
    body = reply.body
    return body.decode("utf-8") if isinstance(body, bytes) else str(body)


@on_every_backend
class TestReadCache(ApiCase):
    """ana (author, payments), ivo (author, web: an outsider to payments)."""

    server_args = ("--threads", "2", "--test-clock")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.start_server(["--threads", "2"])
        for team in ("payments", "web"):
            cls.make_team(team)
        cls.ana = cls.make_user("ana", "author", ["payments"])
        cls.ivo = cls.make_user("ivo", "author", ["web"])

    def warm(self, client, path, status=200):
        """Asks PATH WARM times; each answer is STATUS. Returns the last."""
        for _ in range(WARM):
            reply = client.get(path)
            self.assertEqual(reply.status, status, (path, text(reply)[:500]))
        return reply

    def listed(self, client, query=""):
        reply = client.get(PM + query)
        self.assertEqual(reply.status, 200, reply)
        return [item["id"] for item in reply.body["items"]]

    # Sessions and tokens

    def test_signed_out_session_is_refused_at_once(self):
        session = self.session_client(self.ivo)
        self.warm(session, "/api/v1/session")
        self.warm(session, "/postmortems")
        # Signed out through the other server: only the database knows.
        self.assertEqual(session.on(self.other).delete("/api/v1/session").status, 204)
        self.assertEqual(session.get("/api/v1/session").status, 401)
        reply = session.get("/postmortems")
        self.assertEqual(reply.status, 303, text(reply)[:300])

    def test_new_password_ends_sessions_at_once(self):
        user = self.make_user(unique("pw"), "author", ["web"])
        session = self.session_client(user)
        self.warm(session, "/api/v1/session")
        reply = self.admin.on(self.other).patch("/api/v1/users/" + user.name,
                                                {"password": "another-password-9"})
        self.assertEqual(reply.status, 200, reply)
        self.assertEqual(session.get("/api/v1/session").status, 401)

    def test_expired_session_is_refused(self):
        user = self.make_user(unique("exp"), "author", ["web"])
        session = self.session_client(user)
        self.warm(session, "/api/v1/session")
        self.advance_clock(8 * 24 * 3600)  # past the 7 days a sign-in lasts
        try:
            self.assertEqual(session.get("/api/v1/session").status, 401)
        finally:
            self.advance_clock(-8 * 24 * 3600)

    def test_new_role_shows_at_once(self):
        user = self.make_user(unique("role"), "author", ["web"])
        session = self.session_client(user)
        self.assertEqual(self.warm(session, "/api/v1/session").body["user"]["role"], "author")
        reply = self.admin.on(self.other).patch("/api/v1/users/" + user.name, {"role": "viewer"})
        self.assertEqual(reply.status, 200, reply)
        self.assertEqual(session.get("/api/v1/session").body["user"]["role"], "viewer")
        # And the write that needs the author role is refused.
        reply = session.post(PM, {"markdown": postmortem(unique("v"), team="web")})
        self.assertEqual(reply.status, 403, reply)

    def test_revoked_token_is_refused_at_once(self):
        tokens = self.token_client(self.ivo)
        self.warm(tokens, PM)
        listed = self.session_client(self.ivo).get("/api/v1/tokens").body["items"]
        newest = max(listed, key=lambda t: t["id"])
        owner = self.session_client(self.ivo, self.other)
        self.assertEqual(owner.delete("/api/v1/tokens/%d" % newest["id"]).status, 200)
        self.assertEqual(tokens.get(PM).status, 401)

    # Post mortems

    def test_restricting_hides_it_everywhere_at_once(self):
        ana, ivo = self.token_client(self.ana), self.token_client(self.ivo)
        ivo_pages = self.session_client(self.ivo)
        word = unique("zebrafish").replace("-", "")
        slug = self.create_pm(ana, postmortem(unique("soon-hidden"), team="payments", words=word))
        self.warm(ivo, PM + "/" + slug)
        self.warm(ivo_pages, "/postmortems/" + slug)
        self.warm(ivo, PM + "/" + slug + "/revisions")
        self.assertIn(slug, self.listed(ivo))
        self.assertIn(slug, self.listed(ivo, "?q=" + word))
        self.assertIn(slug, text(self.warm(ivo_pages, "/postmortems?q=" + word)))
        reply = ana.on(self.other).put(PM + "/" + slug + "/visibility",
                                      {"visibility": "restricted", "reason": "customer data"})
        self.assertEqual(reply.status, 200, reply)
        self.assertEqual(ivo.get(PM + "/" + slug).status, 404)
        self.assertEqual(ivo.get(PM + "/" + slug + "/revisions").status, 404)
        self.assertEqual(ivo_pages.get("/postmortems/" + slug).status, 404)
        self.assertNotIn(slug, self.listed(ivo))
        self.assertNotIn(slug, self.listed(ivo, "?q=" + word))
        self.assertNotIn(slug, text(ivo_pages.get("/postmortems?q=" + word)))
        self.assertNotIn(slug, text(ivo_pages.get("/postmortems")))
        # Its team still sees it, from the same warm server.
        self.assertEqual(ana.get(PM + "/" + slug).status, 200)
        self.assertIn(slug, self.listed(ana, "?q=" + word))

    def test_answers_are_not_shared_between_askers(self):
        """A member's answers, kept for the same second and generation,
        never answer an outsider asking the very same path."""
        ana = self.token_client(self.ana)
        ana_pages = self.session_client(self.ana)
        ivo, ivo_pages = self.token_client(self.ivo), self.session_client(self.ivo)
        word = unique("okapi").replace("-", "")
        slug = self.create_pm(ana, postmortem(unique("members-only"), team="payments",
                                              restricted=True, words=word))
        paths = [PM + "/" + slug, PM + "?q=" + word, PM]
        pages = ["/postmortems/" + slug, "/postmortems?q=" + word, "/postmortems"]
        for _ in range(3):
            for path in paths:
                self.assertEqual(ana.get(path).status, 200)
            for path in pages:
                self.assertEqual(ana_pages.get(path).status, 200)
            self.assertEqual(ivo.get(paths[0]).status, 404)
            self.assertNotIn(slug, self.listed(ivo, "?q=" + word))
            self.assertNotIn(slug, self.listed(ivo))
            self.assertEqual(ivo_pages.get(pages[0]).status, 404)
            self.assertNotIn(slug, text(ivo_pages.get(pages[1])))
            self.assertNotIn(slug, text(ivo_pages.get(pages[2])))
            self.assertEqual(self.anonymous().get(paths[0]).status, 401)
            self.assertEqual(self.anonymous().get(pages[0]).status, 303)
        # Each session sees its own name and CSRF token, not another's.
        page = text(ana_pages.get(pages[0]))
        self.assertIn(ana_pages.csrf, page)
        other = self.session_client(self.ana)
        self.assertIn(other.csrf, text(other.get(pages[0])))
        self.assertNotIn(ana_pages.csrf, text(other.get(pages[0])))

    def test_membership_taken_away_hides_restricted_at_once(self):
        ana = self.token_client(self.ana)
        user = self.make_user(unique("member"), "author", ["payments"])
        member = self.session_client(user)
        slug = self.create_pm(ana, postmortem(unique("team-only"), team="payments",
                                              restricted=True))
        self.warm(member, PM + "/" + slug)
        self.warm(member, "/postmortems/" + slug)
        self.assertIn(slug, self.listed(member))
        reply = self.admin.on(self.other).delete("/api/v1/teams/payments/members/" + user.name)
        self.assertEqual(reply.status, 200, reply)
        self.assertEqual(member.get(PM + "/" + slug).status, 404)
        self.assertEqual(member.get("/postmortems/" + slug).status, 404)
        self.assertNotIn(slug, self.listed(member))
        # And back: the grant shows at once too.
        reply = self.admin.on(self.other).put("/api/v1/teams/payments/members/" + user.name)
        self.assertIn(reply.status, (200, 201, 204), reply)
        self.assertEqual(member.get(PM + "/" + slug).status, 200)

    def test_saved_text_shows_at_once(self):
        ana = self.token_client(self.ana)
        ana_pages = self.session_client(self.ana)
        slug = unique("edited")
        old_word, new_word = unique("walrus").replace("-", ""), unique("narwhal").replace("-", "")
        self.create_pm(ana, postmortem(slug, team="payments", words=old_word))
        self.warm(ana, PM + "/" + slug)
        self.warm(ana_pages, "/postmortems/" + slug)
        self.assertIn(slug, self.listed(ana, "?q=" + old_word))
        self.assertNotIn(slug, self.listed(ana, "?q=" + new_word))
        current = ana.get(PM + "/" + slug).body
        for server in (self.other, self.server):  # another process, then this one
            title = "Retitled " + new_word
            markdown = postmortem(slug, title=title, team="payments", words=new_word)
            reply = ana.on(server).put(PM + "/" + slug,
                                       {"markdown": markdown, "base_revision": current["revision"]})
            self.assertEqual(reply.status, 200, reply)
            current = ana.get(PM + "/" + slug).body
            self.assertEqual(current["revision"], reply.body["revision"])
            self.assertIn(new_word, current["markdown"])
            self.assertEqual(current["title"], title)
            page = text(ana_pages.get("/postmortems/" + slug))
            self.assertIn(new_word, page)
            self.assertNotIn(old_word, page)
            self.assertIn(slug, self.listed(ana, "?q=" + new_word))
            self.assertNotIn(slug, self.listed(ana, "?q=" + old_word))
            listed = ana.get(PM).body["items"]
            self.assertEqual([i["title"] for i in listed if i["id"] == slug], [title])
            self.warm(ana, PM + "/" + slug)
            self.warm(ana_pages, "/postmortems/" + slug)
            self.warm(ana, PM + "?q=" + new_word)
            old_word, new_word = new_word, unique("beluga").replace("-", "")

    def test_comment_shows_at_once(self):
        ana = self.token_client(self.ana)
        ana_pages = self.session_client(self.ana)
        slug = self.create_pm(ana, postmortem(unique("commented"), team="payments"))
        self.warm(ana_pages, "/postmortems/" + slug)
        self.warm(ana, PM + "/" + slug + "/comments")
        said = "Seen from the other server " + unique("c")
        reply = ana.on(self.other).post(PM + "/" + slug + "/comments", {"body": said})
        self.assertEqual(reply.status, 201, reply)
        self.assertIn(said, text(ana_pages.get("/postmortems/" + slug)))
        bodies = [c["body"] for c in ana.get(PM + "/" + slug + "/comments").body["items"]]
        self.assertIn(said, bodies)

    def test_threads_flag_is_checked(self):
        for bad in ("0", "257", "two"):
            proc = self.run_serve(["--threads", bad])
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn("--threads takes a whole number from 1 to 256", proc.stderr)

    def run_serve(self, args):
        return subprocess.run([DEBRIEF, "serve", "--db", self.db_url, "--listen", "127.0.0.1:1"] + args,
                              capture_output=True, text=True, timeout=30)

    def test_listening_line_names_the_threads(self):
        lines = [line for line in self.server.log_lines() if line.get("event") == "listening"]
        self.assertEqual([line.get("threads") for line in lines], [2])


if __name__ == "__main__":
    main()
