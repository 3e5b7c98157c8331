#!/usr/bin/env python3
"""test_editor.py: writing post mortems in the web app, against the real
server on SQLite: new from the template and from a triage, the editor with
its findings, the preview (whole page and the live fragments), saving a
revision, two stale saves ending in the merge page (and saving from it),
restricted post mortems as 404 pages for outsiders, CSRF, and script
payloads in the text escaped in the findings and the preview."""

import html
import os
import re
import sys
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from harness import ApiCase, main, postmortem, unique  # noqa: E402

PM = "/api/v1/postmortems"
FORM = "application/x-www-form-urlencoded"

PAYLOAD_SCRIPT = "<script>alert('pwned')</script>"
PAYLOAD_IMG = '<img src=x onerror="alert(1)">'


def text_of(reply):
    body = reply.body
    return body.decode("utf-8") if isinstance(body, bytes) else str(body)


def textarea(page):
    """The text of the page's markdown textarea, unescaped."""
    m = re.search(r'<textarea[^>]*name="markdown"[^>]*>\n?(.*?)</textarea>', page, re.S)
    if not m:
        raise AssertionError("no markdown textarea in:\n" + page[:2000])
    return html.unescape(m.group(1))


def hidden(page, name):
    m = re.search(r'<input type="hidden" name="%s" value="([^"]*)"' % re.escape(name), page)
    return html.unescape(m.group(1)) if m else None


def assert_no_live_markup(case, page):
    """No tag from a payload: no <script> but the layout's own, no element
    with an on…= attribute."""
    for m in re.finditer(r"<script\b[^>]*>", page, re.I):
        case.assertIn('src="/static/app.js"', m.group(0), page[max(0, m.start() - 200):m.end() + 200])
    for m in re.finditer(r"<[a-z][^<>]*>", page, re.I):
        attributes = re.sub(r'"[^"]*"', '""', m.group(0))  # values are text, not attributes
        case.assertIsNone(re.search(r"\son[a-z]+\s*=", attributes, re.I),
                          "an on…= attribute in %s" % m.group(0))
    case.assertNotIn("<img src=x", page)


class TestEditor(ApiCase):
    """Teams sre and payments; alice and bob (authors, sre), vera (viewer,
    sre), olga (author, payments: an outsider to sre's restricted ones),
    nora (author of no team)."""

    backend = "sqlite"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.make_team("payments")
        cls.alice = cls.make_user("alice", "author", ["sre"])
        cls.bob = cls.make_user("bob", "author", ["sre"])
        cls.vera = cls.make_user("vera", "viewer", ["sre"])
        cls.olga = cls.make_user("olga", "author", ["payments"])
        cls.nora = cls.make_user("nora", "author", [])
        cls.alice_api = cls.token_client(cls.alice)

    # Helpers

    def form(self, client, path, fields, csrf=True):
        """POSTs FIELDS urlencoded as a browser form does, with the
        session's csrf_token as a field (no X-CSRF-Token header)."""
        fields = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf and client.csrf:
            fields.append(("csrf_token", client.csrf))
        return client.request("POST", path, raw=urllib.parse.urlencode(fields),
                              headers={"Content-Type": FORM, "X-CSRF-Token": None})

    def new_pm(self, client=None, restricted=False, team="sre"):
        slug = unique("pm")
        self.create_pm(client or self.alice_api, postmortem(slug, team=team, restricted=restricted))
        return slug

    def newest(self, slug, client=None):
        reply = (client or self.alice_api).get("%s/%s" % (PM, slug))
        self.assertEqual(reply.status, 200, reply)
        return reply.body

    # New

    def test_new_form_offers_template_and_triage(self):
        alice = self.session_client(self.alice)
        reply = alice.get("/new")
        self.assertEqual(reply.status, 200, reply)
        page = text_of(reply)
        self.assertIn('action="/postmortems"', page)
        self.assertIn('name="title"', page)
        self.assertRegex(page, r'<option value="sre"[^>]*>sre</option>')
        self.assertNotIn('<option value="payments"', page)  # not alice's team
        self.assertIn('name="date"', page)
        self.assertIn('action="/triage"', page)
        self.assertIn('name="customer-facing"', page)
        self.assertIn("Was it a security incident?", page)
        self.assertIn('name="csrf_token"', page)

    def test_new_needs_author_role(self):
        reply = self.session_client(self.vera).get("/new")
        self.assertEqual(reply.status, 403, reply)

    def test_new_for_someone_of_no_team(self):
        nora = self.session_client(self.nora)
        page = text_of(nora.get("/new"))
        self.assertIn("You belong to no team", page)
        self.assertNotIn('action="/postmortems"', page)
        reply = self.form(nora, "/postmortems", {"title": "Orphan", "owner_team": "sre"})
        self.assertEqual(reply.status, 400, reply)
        self.assertIn("not a member of team", text_of(reply))

    def test_new_signed_out_goes_to_signin(self):
        reply = self.anonymous().get("/new")
        self.assertEqual(reply.status, 303, reply)
        self.assertTrue(reply.headers["Location"].startswith("/signin"), reply.headers["Location"])

    def test_create_from_template(self):
        alice = self.session_client(self.alice)
        title = "Checkout failed for %s of shoppers" % unique("t")
        reply = self.form(alice, "/postmortems", {"title": title, "owner_team": "sre",
                                                  "visibility": "internal", "date": "2026-03-10",
                                                  "severity": "SEV-2"})
        self.assertEqual(reply.status, 303, reply)
        location = reply.headers["Location"]
        m = re.fullmatch(r"/postmortems/(2026-03-10-checkout-failed-for-[a-z0-9-]+)/edit", location)
        self.assertTrue(m, location)
        pm = self.newest(m.group(1))
        self.assertEqual(pm["owner_team"], "sre")
        self.assertEqual(pm["visibility"], "public")
        self.assertEqual(pm["revision"], 1)
        self.assertIn("## Root cause", pm["markdown"])
        self.assertIn("# " + title, pm["markdown"])
        self.assertIn("severity: SEV-2", pm["markdown"])
        self.assertRegex(pm["markdown"], r"owner_team: sre\s")
        # The editor it lands on holds the template.
        page = text_of(alice.get(location))
        self.assertIn("## Root cause", textarea(page))
        # The same title again gets the next free id.
        again = self.form(alice, "/postmortems", {"title": title, "owner_team": "sre",
                                                  "date": "2026-03-10"})
        self.assertEqual(again.status, 303, again)
        self.assertEqual(again.headers["Location"], "/postmortems/%s-2/edit" % m.group(1))

    def test_create_form_errors_keep_what_was_typed(self):
        alice = self.session_client(self.alice)
        reply = self.form(alice, "/postmortems", {"title": "", "owner_team": "sre",
                                                  "date": "2026-05-06"})
        self.assertEqual(reply.status, 400, reply)
        page = text_of(reply)
        self.assertIn("Give the post mortem a title", page)
        self.assertIn('value="2026-05-06"', page)
        reply = self.form(alice, "/postmortems", {"title": "Kept <b>title</b>", "owner_team": "sre",
                                                  "date": "10/03/2026"})
        self.assertEqual(reply.status, 400, reply)
        page = text_of(reply)
        self.assertIn("YYYY-MM-DD", page)
        self.assertIn('value="Kept &lt;b&gt;title&lt;/b&gt;"', page)
        # Another team's post mortem: the API's rule.
        reply = self.form(alice, "/postmortems", {"title": "Not mine", "owner_team": "payments"})
        self.assertEqual(reply.status, 400, reply)
        self.assertIn("not a member of team", text_of(reply))

    def test_triage_required_then_create_prefilled(self):
        alice = self.session_client(self.alice)
        reply = self.form(alice, "/triage", {"customer-facing": "yes", "security": "yes"})
        self.assertEqual(reply.status, 200, reply)
        page = text_of(reply)
        self.assertIn("A post mortem is required", page)
        self.assertIn("customers saw a disruption", page)
        self.assertIn("it was a security incident", page)
        self.assertIn("<strong>restricted</strong>", page)
        self.assertIn('action="/postmortems"', page)
        self.assertRegex(page, r'<option value="restricted" selected>')
        self.assertEqual(hidden(page, "customer_facing"), "yes")
        self.assertEqual(hidden(page, "slo_breach"), "no")
        # The button creates it from the answers.
        fields = {"title": "Card numbers in the logs %s" % unique("t"), "owner_team": "sre",
                  "visibility": "restricted", "customer_facing": "yes", "slo_breach": "no",
                  "date": "2026-04-03"}
        reply = self.form(alice, "/postmortems", fields)
        self.assertEqual(reply.status, 303, reply)
        slug = reply.headers["Location"].split("/")[2]
        pm = self.newest(slug)
        self.assertEqual(pm["visibility"], "restricted")
        self.assertIn("customer_facing: true", pm["markdown"])
        self.assertIn("slo_breach: false", pm["markdown"])
        self.assertIn("security: true", pm["markdown"])
        # Restricted: an outsider sees a 404 page, the author (granted) sees it.
        olga = self.session_client(self.olga)
        self.assertEqual(olga.get("/postmortems/%s/edit" % slug).status, 404)
        self.assertEqual(alice.get("/postmortems/%s/edit" % slug).status, 200)

    def test_triage_lesser_verdicts(self):
        alice = self.session_client(self.alice)
        page = text_of(self.form(alice, "/triage", {"near-miss": "yes"}))
        self.assertIn("Strongly consider writing a post mortem", page)
        self.assertIn("<strong>internal</strong>", page)
        page = text_of(self.form(alice, "/triage", {"customer-facing": "yes"}))
        self.assertIn("<strong>public</strong>", page)
        reply = self.form(alice, "/triage", {})
        self.assertEqual(reply.status, 200, reply)
        page = text_of(reply)
        self.assertIn("No post mortem is needed", page)
        self.assertNotIn('action="/postmortems"', page)

    # The editor

    def test_editor_shows_text_findings_and_preview(self):
        slug = self.new_pm()
        alice = self.session_client(self.alice)
        reply = alice.get("/postmortems/%s/edit" % slug)
        self.assertEqual(reply.status, 200, reply)
        page = text_of(reply)
        self.assertEqual(textarea(page), self.newest(slug)["markdown"])
        self.assertRegex(page, r"<textarea[^>]*data-live")
        self.assertIn('<label for="markdown">', page)
        self.assertEqual(hidden(page, "base_revision"), "1")
        self.assertIn('data-findings-target="#findings"', page)
        self.assertIn('data-preview-target="#preview"', page)
        self.assertIn('formaction="/preview"', page)
        findings = self.newest(slug)["findings"]
        self.assertIn('<aside id="findings"', page)
        self.assertRegex(page, r'Score: <span class="score">\d+</span> of 100')
        self.assertEqual(page.count('<li class="finding'), len(findings))
        if findings:
            self.assertIn("<code>%s</code>" % findings[0]["rule"], page)
        self.assertIn('<section id="preview"', page)
        self.assertIn("Checkout errors after the %s deploy" % slug, page)

    def test_editor_needs_author_role(self):
        slug = self.new_pm()
        self.assertEqual(self.session_client(self.vera).get("/postmortems/%s/edit" % slug).status, 403)

    def test_preview_fragment(self):
        alice = self.session_client(self.alice)
        text = postmortem("frag", title="Fragment preview title")
        reply = self.form(alice, "/preview", {"markdown": text, "fragment": "1"})
        self.assertEqual(reply.status, 200, reply)
        self.assertTrue(reply.headers["Content-Type"].startswith("text/html"), reply.headers)
        self.assertIn("default-src 'none'", reply.headers["Content-Security-Policy"])
        self.assertEqual(reply.headers["X-Content-Type-Options"], "nosniff")
        page = text_of(reply)
        self.assertTrue(page.startswith('<div id="findings">'), page[:200])
        self.assertIn('</div><div id="preview">', page)
        self.assertRegex(page, r'Score: <span class="score">\d+</span> of 100')
        self.assertIn("Fragment preview title", page)
        self.assertNotIn("<html", page.lower())
        self.assertNotIn("<textarea", page)
        # A text that is not a post mortem says why.
        reply = self.form(alice, "/preview", {"markdown": "---\ntitle: [unclosed\n---\n", "fragment": "1"})
        self.assertEqual(reply.status, 200, reply)
        self.assertIn("cannot be read as a post mortem", text_of(reply))

    def test_preview_whole_page_keeps_the_text(self):
        slug = self.new_pm()
        alice = self.session_client(self.alice)
        text = self.newest(slug)["markdown"].replace("## Impact", "## Impact\n\nPreviewed words & more.")
        reply = self.form(alice, "/preview", {"markdown": "\n" + text, "id": slug, "base_revision": "1"})
        self.assertEqual(reply.status, 200, reply)
        page = text_of(reply)
        self.assertEqual(textarea(page), "\n" + text)  # a leading newline survives
        self.assertIn('action="/postmortems/%s/edit"' % slug, page)
        self.assertEqual(hidden(page, "base_revision"), "1")
        self.assertIn("Previewed words &amp; more.", page)
        self.assertIn('<aside id="findings"', page)
        self.assertEqual(self.newest(slug)["revision"], 1)  # nothing saved

    def test_save_makes_a_revision(self):
        slug = self.new_pm()
        alice = self.session_client(self.alice)
        text = self.newest(slug)["markdown"].replace("## Impact", "## Impact\n\nSaved from the web.")
        reply = self.form(alice, "/postmortems/%s/edit" % slug,
                          {"markdown": text.replace("\n", "\r\n"), "base_revision": "1"})
        self.assertEqual(reply.status, 303, reply)
        self.assertEqual(reply.headers["Location"], "/postmortems/%s" % slug)
        pm = self.newest(slug)
        self.assertEqual(pm["revision"], 2)
        self.assertEqual(pm["markdown"], text)  # the browser's CRLF back to LF
        self.assertEqual(pm["author"], "alice") if "author" in pm else None

    def test_save_of_unreadable_text_keeps_it(self):
        slug = self.new_pm()
        alice = self.session_client(self.alice)
        bad = "---\ntitle: [unclosed\n---\nmy precious words\n"
        reply = self.form(alice, "/postmortems/%s/edit" % slug, {"markdown": bad, "base_revision": "1"})
        self.assertEqual(reply.status, 400, reply)
        page = text_of(reply)
        self.assertIn("Not saved", page)
        self.assertEqual(textarea(page), bad)
        self.assertEqual(self.newest(slug)["revision"], 1)

    def test_two_stale_saves_end_in_the_merge_page(self):
        slug = self.new_pm()
        original = self.newest(slug)["markdown"]
        alice = self.session_client(self.alice)
        bob = self.session_client(self.bob)
        hers = original.replace("## Impact", "## Impact\n\nAlice added the refund figures.")
        his = original.replace("## Summary", "## Summary\n\nBob <b>rewrote</b> the summary.")
        # Both opened revision 1; alice saves first.
        self.assertEqual(self.form(alice, "/postmortems/%s/edit" % slug,
                                   {"markdown": hers, "base_revision": "1"}).status, 303)
        reply = self.form(bob, "/postmortems/%s/edit" % slug, {"markdown": his, "base_revision": "1"})
        self.assertEqual(reply.status, 409, reply)
        page = text_of(reply)
        self.assertEqual(self.newest(slug)["revision"], 2)  # bob's text not written
        self.assertIn("Theirs: revision 2 by alice", page)
        self.assertIn("Yours: based on revision 1", page)
        self.assertIn("Alice added the refund figures.", page)
        self.assertIn("Bob &lt;b&gt;rewrote&lt;/b&gt; the summary.", page)
        self.assertIn("<del>- Alice added the refund figures.</del>", page)
        self.assertIn("<ins>+ Bob &lt;b&gt;rewrote&lt;/b&gt; the summary.</ins>", page)
        self.assertIn("2 lines only in theirs", page)  # the line and the blank after it
        self.assertIn('<div class="ctx">  ## Impact</div>', page)  # context around a change
        self.assertNotIn('<div class="ctx">  ## Root cause</div>', page)  # far from any
        self.assertRegex(page, r'<div class="ctx muted">  … \d+ unchanged lines</div>')
        self.assertEqual(textarea(page), his)  # nothing typed is lost
        self.assertEqual(hidden(page, "base_revision"), "2")
        # Bob merges both and saves from the merge page.
        merged = his.replace("## Impact", "## Impact\n\nAlice added the refund figures.")
        reply = self.form(bob, "/postmortems/%s/edit" % slug,
                          {"markdown": merged, "base_revision": hidden(page, "base_revision")})
        self.assertEqual(reply.status, 303, reply)
        pm = self.newest(slug)
        self.assertEqual(pm["revision"], 3)
        self.assertEqual(pm["markdown"], merged)
        self.assertIn("Alice added the refund figures.", pm["markdown"])
        self.assertIn("Bob <b>rewrote</b> the summary.", pm["markdown"])

    def test_save_without_base_revision_is_merged_not_written(self):
        slug = self.new_pm()
        alice = self.session_client(self.alice)
        text = self.newest(slug)["markdown"] + "\nTyped without a base.\n"
        reply = self.form(alice, "/postmortems/%s/edit" % slug, {"markdown": text})
        self.assertEqual(reply.status, 409, reply)
        page = text_of(reply)
        self.assertIn("you started from an unknown revision", page)
        self.assertEqual(textarea(page), text)
        self.assertEqual(hidden(page, "base_revision"), "1")
        self.assertEqual(self.newest(slug)["revision"], 1)

    def test_save_of_a_text_asking_to_be_restricted_restricts_it(self):
        slug = self.new_pm()
        alice = self.session_client(self.alice)
        text = self.newest(slug)["markdown"].replace("visibility: public", "visibility: restricted")
        reply = self.form(alice, "/postmortems/%s/edit" % slug, {"markdown": text, "base_revision": "1"})
        self.assertEqual(reply.status, 303, reply)
        self.assertEqual(self.newest(slug)["visibility"], "restricted")
        self.assertEqual(self.session_client(self.olga).get("/postmortems/%s/edit" % slug).status, 404)

    # Access and CSRF

    def test_restricted_is_a_404_page_for_outsiders(self):
        slug = self.new_pm(restricted=True)
        olga = self.session_client(self.olga)
        missing = olga.get("/postmortems/no-such-pm-%s/edit" % unique("x"))
        self.assertEqual(missing.status, 404)
        reply = olga.get("/postmortems/%s/edit" % slug)
        self.assertEqual(reply.status, 404, reply)
        self.assertNotIn(slug, text_of(reply))
        reply = self.form(olga, "/postmortems/%s/edit" % slug,
                          {"markdown": postmortem(slug), "base_revision": "1"})
        self.assertEqual(reply.status, 404, reply)
        self.assertEqual(self.newest(slug)["revision"], 1)
        # A preview naming it does not save to it nor show it.
        reply = self.form(olga, "/preview", {"markdown": "# x\n", "id": slug, "base_revision": "1"})
        self.assertEqual(reply.status, 200, reply)
        self.assertNotIn("/postmortems/%s/edit" % slug, text_of(reply))
        self.assertNotIn("Checkout errors after the %s" % slug, text_of(reply))
        # Insiders see it.
        self.assertEqual(self.session_client(self.bob).get("/postmortems/%s/edit" % slug).status, 200)

    def test_csrf_refused(self):
        slug = self.new_pm()
        alice = self.session_client(self.alice)
        text = postmortem(slug)
        for path, fields in [("/postmortems/%s/edit" % slug, {"markdown": text, "base_revision": "1"}),
                             ("/postmortems", {"title": "No token", "owner_team": "sre"}),
                             ("/triage", {"security": "yes"}),
                             ("/preview", {"markdown": text, "fragment": "1"})]:
            reply = self.form(alice, path, fields, csrf=False)
            self.assertEqual(reply.status, 403, (path, reply))
            bad = dict(fields, csrf_token="0" * 64)
            reply = self.form(alice, path, bad, csrf=False)
            self.assertEqual(reply.status, 403, (path, reply))
        self.assertEqual(self.newest(slug)["revision"], 1)

    # Escaping

    def test_payloads_in_the_text_are_escaped(self):
        title = "Outage %s %s" % (PAYLOAD_SCRIPT, PAYLOAD_IMG)
        text = postmortem("payload", title=title).replace(
            "## Impact", "## Impact\n\n%s\n\n%s\n\n<a href=\"javascript:alert(1)\">x</a>\n"
            % (PAYLOAD_SCRIPT, PAYLOAD_IMG))
        alice = self.session_client(self.alice)
        reply = self.form(alice, "/preview", {"markdown": text, "fragment": "1"})
        self.assertEqual(reply.status, 200, reply)
        fragment = text_of(reply)
        self.assertNotIn("<script", fragment.lower())
        self.assertIsNone(re.search(r"<[a-z][^<>]*\son[a-z]+\s*=", fragment, re.I), fragment)
        self.assertNotIn('href="javascript:', fragment)
        self.assertIn("Outage &lt;script&gt;", fragment)
        reply = self.form(alice, "/preview", {"markdown": text})
        self.assertEqual(reply.status, 200, reply)
        page = text_of(reply)
        assert_no_live_markup(self, page)
        self.assertEqual(textarea(page), text)
        # Saved, then opened in the editor, and on the merge page.
        slug = self.new_pm()
        self.assertEqual(self.form(alice, "/postmortems/%s/edit" % slug,
                                   {"markdown": text.replace("id: payload", "id: " + slug),
                                    "base_revision": "1"}).status, 303)
        page = text_of(alice.get("/postmortems/%s/edit" % slug))
        assert_no_live_markup(self, page)
        reply = self.form(alice, "/postmortems/%s/edit" % slug, {"markdown": text, "base_revision": "1"})
        self.assertEqual(reply.status, 409, reply)
        assert_no_live_markup(self, text_of(reply))
        # In the new-post-mortem form shown again after an error.
        reply = self.form(alice, "/postmortems", {"title": title, "owner_team": "sre", "date": "bad"})
        self.assertEqual(reply.status, 400, reply)
        assert_no_live_markup(self, text_of(reply))


if __name__ == "__main__":
    main()
