#!/usr/bin/env python3
"""test_files.py: the files of a post mortem on its page, against the real
server on SQLite: the report draws the metric graphs and images uploaded
through the API (no "cannot be read" note); the Files part lists them with
download links that work with the session cookie, and names the files the
document names that are not uploaded yet; the upload form without
JavaScript (Post/Redirect/Get, refusals shown again with what was typed,
CSRF, roles, a restricted post mortem as a missing one); what users typed
escaped; the redacted copy gets exactly the files its text still names;
the editor's live preview draws the post mortem's files."""

import html
import os
import re
import struct
import sys
import urllib.parse
import zlib

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from harness import SOURCE, ApiCase, main, postmortem, unique  # noqa: E402

PM = "/api/v1/postmortems"
FORM = "application/x-www-form-urlencoded"
OCTETS = {"Content-Type": "application/octet-stream"}
PAYLOAD = "<script>alert('pwned')</script>"
METRIC_CHART = '<figure class="chart metric-chart">'
METRICS = ("eu-card-declines.csv", "fraud-scoring-p99.csv")
MISSING_HEADING = "Named by the document, not uploaded yet"


def png(width=1, height=1):
    """A valid PNG image of WIDTH x HEIGHT black pixels."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def text_of(reply):
    body = reply.body
    return body.decode("utf-8") if isinstance(body, bytes) else str(body)


def files_part(page):
    m = re.search(r'<section id="files".*?</section>', page, re.S)
    return m.group(0) if m else ""


def missing_part(page):
    m = re.search(r'<ul class="missing-files">(.*?)</ul>', page, re.S)
    return re.findall(r"<code>(.*?)</code>", m.group(1)) if m else []


def escaped(text):
    """TEXT as the pages escape it."""
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def assert_no_live_markup(case, page):
    for m in re.finditer(r"<script\b[^>]*>", page, re.I):
        case.assertIn('src="/static/app.js"', m.group(0))
    case.assertIsNone(re.search(r"<[a-z][^<>]*\son[a-z]+\s*=", page, re.I), "an on…= attribute")


def with_images(slug, team, restricted=False):
    """A post mortem naming a public image, an image inside a restricted
    block, and a metrics file."""
    text = postmortem(slug, team=team, restricted=restricted)
    text = text.replace("visibility:", "metrics:\n  - file: metrics/p99.csv\n    title: p99\nvisibility:", 1)
    return text + ("\n![The dashboard](img/dashboard.png)\n\n<!-- restricted -->\n"
                   "![The customer's card](img/customer.png)\n<!-- /restricted -->\n")


class TestFiles(ApiCase):
    """Teams risk-engineering, sre and web: rae (author, risk-engineering),
    val (viewer, risk-engineering), oz (author, web), an outsider to
    restricted post mortems of risk-engineering."""

    backend = "sqlite"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for team in ("risk-engineering", "web"):
            cls.make_team(team)
        cls.rae = cls.make_user("rae", "author", ["risk-engineering"])
        cls.val = cls.make_user("val", "viewer", ["risk-engineering"])
        cls.oz = cls.make_user("oz", "author", ["web"])
        cls.r = cls.session_client(cls.rae)
        with open(os.path.join(SOURCE, "examples", "excellent.md")) as f:
            cls.excellent = f.read()
        cls.pm = cls.create_pm(cls.r, cls.excellent)

    # Helpers

    def form(self, client, path, fields, csrf=True):
        data = dict(fields)
        if csrf and client.csrf:
            data["csrf_token"] = client.csrf
        return client.request("POST", path, raw=urllib.parse.urlencode(data),
                              headers={"Content-Type": FORM, "X-CSRF-Token": None})

    def page(self, client, path, status=200):
        reply = client.get(path)
        self.assertEqual(reply.status, status, text_of(reply)[:3000])
        self.assertTrue(reply.headers.get("Content-Type", "").startswith("text/html"), reply)
        return text_of(reply)

    def put(self, client, pm, name, data):
        return client.put("%s/%s/attachments/%s" % (PM, pm, urllib.parse.quote(name, safe="")),
                          raw=data, headers=OCTETS)

    def upload_metrics(self, pm):
        for name in METRICS:
            with open(os.path.join(SOURCE, "examples", "metrics", name), "rb") as f:
                reply = self.put(self.r, pm, "metrics/" + name, f.read())
            self.assertIn(reply.status, (200, 201), reply)

    # The report and the Files part

    def test_the_page_draws_the_uploaded_metrics(self):
        pm = self.create_pm(self.r, self.excellent.replace(
            "id: 2026-03-10-eu-card-payments-declined", "id: " + unique("graphs")))
        before = self.page(self.r, "/postmortems/" + pm)
        self.assertEqual(before.count(METRIC_CHART), 0)
        self.assertEqual(missing_part(before), ["metrics/" + n for n in METRICS])
        self.assertIn(MISSING_HEADING, before)
        self.assertIn("no such file", before)
        self.upload_metrics(pm)
        page = self.page(self.r, "/postmortems/" + pm)
        self.assertEqual(page.count(METRIC_CHART), 2)
        self.assertGreaterEqual(page.count("<svg"), 2)
        self.assertNotIn("cannot be read", page)
        self.assertNotIn("no such file", page)
        self.assertNotIn(MISSING_HEADING, page)
        files = files_part(page)
        self.assertIn("Files (2)", files)
        for name in METRICS:
            link = "/api/v1/postmortems/%s/attachments/metrics%%2F%s" % (pm, name)
            self.assertIn('href="%s"' % link, files)
            with open(os.path.join(SOURCE, "examples", "metrics", name), "rb") as f:
                self.assertEqual(self.r.get(link).body, f.read())
        self.assertIn("<td>rae</td>", files)
        # The same for a reader who may not upload: no form.
        val = self.session_client(self.val)
        seen = self.page(val, "/postmortems/" + pm)
        self.assertEqual(seen.count(METRIC_CHART), 2)
        self.assertNotIn('action="/postmortems/%s/files' % pm, seen)
        self.assertNotIn("data-attachments", seen)

    def test_images_are_embedded_and_missing_ones_listed(self):
        pm = self.create_pm(self.r, with_images(unique("images"), "risk-engineering"))
        page = self.page(self.r, "/postmortems/" + pm)
        self.assertEqual(missing_part(page), ["metrics/p99.csv", "img/dashboard.png", "img/customer.png"])
        self.assertNotIn("data:image/png;base64", page)
        self.assertEqual(self.put(self.r, pm, "img/dashboard.png", png()).status, 201)
        page = self.page(self.r, "/postmortems/" + pm)
        self.assertIn("data:image/png;base64", page)
        self.assertEqual(missing_part(page), ["metrics/p99.csv", "img/customer.png"])

    def test_the_upload_form_without_javascript(self):
        pm = self.create_pm(self.r, with_images(unique("form"), "risk-engineering"))
        page = self.page(self.r, "/postmortems/" + pm)
        form = re.search(r'<form method="post" action="/postmortems/%s/files#files".*?</form>' % pm, page, re.S)
        self.assertIsNotNone(form, files_part(page))
        self.assertIn('name="csrf_token"', form.group(0))
        self.assertIn('<label for="file-name">', form.group(0))
        self.assertIn('<label for="file-content">', form.group(0))
        self.assertIn("data-attachments=\"/api/v1/postmortems/%s/attachments/\"" % pm, page)
        content = "time,p99\r\n2026-03-10T14:00:00Z,120\r\n2026-03-10T14:05:00Z,480\r\n"
        reply = self.form(self.r, "/postmortems/%s/files" % pm, {"name": "./metrics//p99.csv",
                                                                 "content": content})
        self.assertEqual(reply.status, 303, text_of(reply)[:2000])
        self.assertEqual(reply.headers["Location"], "/postmortems/%s#files" % pm)
        stored = self.r.get("%s/%s/attachments/metrics%%2Fp99.csv" % (PM, pm))
        self.assertEqual(stored.body, content.replace("\r\n", "\n").encode())
        again = self.form(self.r, "/postmortems/%s/files" % pm, {"name": "metrics/p99.csv", "content": content})
        self.assertEqual(again.status, 303)
        versions = self.r.get("%s/%s/attachments/metrics%%2Fp99.csv/versions" % (PM, pm)).body["versions"]
        self.assertEqual(len(versions), 1)
        page = self.page(self.r, "/postmortems/" + pm)
        self.assertEqual(page.count(METRIC_CHART), 1)
        self.assertNotIn("metrics/p99.csv", missing_part(page))

    def test_refusals_show_what_was_typed(self):
        pm = self.create_pm(self.r, postmortem(unique("refusals"), team="risk-engineering"))
        path = "/postmortems/%s/files" % pm
        for name, status in (("../etc/passwd", 400), ("/abs.csv", 400), ("", 400), ("a\\b.csv", 400)):
            with self.subTest(name=name):
                reply = self.form(self.r, path, {"name": name, "content": "kept " + PAYLOAD})
                self.assertEqual(reply.status, status, text_of(reply)[:2000])
                page = text_of(reply)
                self.assertIn('role="alert"', files_part(page))
                self.assertIn(escaped("kept " + PAYLOAD), page)
                self.assertIn('value="%s"' % escaped(name), page)
                self.assertNotIn(PAYLOAD, page)
                assert_no_live_markup(self, page)
        missing_content = self.form(self.r, path, {"name": "a.csv"})
        self.assertEqual(missing_content.status, 400)
        self.assertEqual(self.r.get("%s/%s/attachments" % (PM, pm)).body["attachments"], [])

    def test_csrf_roles_and_restricted(self):
        pm = self.create_pm(self.r, postmortem(unique("guarded"), team="risk-engineering"))
        path = "/postmortems/%s/files" % pm
        fields = {"name": "a.csv", "content": "a,b\n"}
        self.assertEqual(self.form(self.r, path, fields, csrf=False).status, 403)
        wrong = self.r.request("POST", path, raw=urllib.parse.urlencode(dict(fields, csrf_token="0" * 64)),
                               headers={"Content-Type": FORM, "X-CSRF-Token": None})
        self.assertEqual(wrong.status, 403)
        val = self.session_client(self.val)
        refused = self.form(val, path, fields)
        self.assertEqual(refused.status, 403, text_of(refused)[:2000])
        self.assertIn("author role", text_of(refused))
        self.assertEqual(self.r.get("%s/%s/attachments" % (PM, pm)).body["attachments"], [])
        # A restricted post mortem is a missing one to an outsider.
        secret = self.create_pm(self.r, postmortem(unique("secret"), team="risk-engineering", restricted=True))
        self.assertEqual(self.put(self.r, secret, "a.csv", b"secret bytes").status, 201)
        oz = self.session_client(self.oz)
        hidden = self.form(oz, "/postmortems/%s/files" % secret, fields)
        absent = self.form(oz, "/postmortems/%s/files" % unique("absent"), fields)
        self.assertEqual((hidden.status, absent.status), (404, 404))
        self.assertEqual(self.r.get("%s/%s/attachments/a.csv" % (PM, secret)).body, b"secret bytes")
        self.assertEqual(oz.get("%s/%s/attachments/a.csv" % (PM, secret)).status, 404)
        nobody = self.anonymous().request("POST", path, raw=urllib.parse.urlencode(fields),
                                          headers={"Content-Type": FORM})
        self.assertEqual(nobody.status, 303)
        self.assertTrue(nobody.headers["Location"].startswith("/signin"), nobody.headers["Location"])

    def test_names_and_contents_are_escaped(self):
        pm = self.create_pm(self.r, postmortem(unique("xss"), team="risk-engineering") +
                            "\n![x](img/%3Cscript%3Ealert('named')%3C/script%3E.png)\n")
        name = "img/" + PAYLOAD + ".png"
        self.assertEqual(self.put(self.r, pm, name, PAYLOAD.encode()).status, 201)
        page = self.page(self.r, "/postmortems/" + pm)
        self.assertIn(escaped(name), files_part(page))
        self.assertNotIn(PAYLOAD, page)
        self.assertNotIn("alert('named')</script>", page)
        assert_no_live_markup(self, page)
        got = self.r.get("%s/%s/attachments/%s" % (PM, pm, urllib.parse.quote(name, safe="")))
        self.assertEqual(got.body, PAYLOAD.encode())
        self.assertEqual(got.headers["Content-Type"], "application/octet-stream")
        self.assertIn("sandbox", got.headers["Content-Security-Policy"])

    # The redacted copy and the editor

    def test_the_redacted_copy_gets_only_the_files_it_names(self):
        slug = unique("redact")
        pm = self.create_pm(self.r, with_images(slug, "risk-engineering", restricted=True))
        for name, data in (("img/dashboard.png", png()), ("img/customer.png", png(2, 2)),
                           ("metrics/p99.csv", b"time,p99\n2026-03-10T14:00:00Z,120\n"),
                           ("notes/unnamed.txt", b"named by nothing")):
            self.assertEqual(self.put(self.r, pm, name, data).status, 201)
        reply = self.r.post("%s/%s/redacted" % (PM, pm))
        self.assertIn(reply.status, (200, 201), reply)
        copy = pm + "-redacted"
        listed = self.r.get("%s/%s/attachments" % (PM, copy)).body["attachments"]
        self.assertEqual([a["name"] for a in listed], ["img/dashboard.png", "metrics/p99.csv"])
        self.assertEqual(self.r.get("%s/%s/attachments/img%%2Fdashboard.png" % (PM, copy)).body, png())
        oz = self.session_client(self.oz)
        self.assertEqual(oz.get("%s/%s/attachments/img%%2Fcustomer.png" % (PM, copy)).status, 404)
        page = self.page(oz, "/postmortems/" + copy)
        self.assertIn("data:image/png;base64", page)
        self.assertEqual(page.count(METRIC_CHART), 1)
        self.assertEqual(missing_part(page), [])
        # Again: the same bytes add no version.
        self.assertIn(self.r.post("%s/%s/redacted" % (PM, pm)).status, (200, 201))
        versions = self.r.get("%s/%s/attachments/img%%2Fdashboard.png/versions" % (PM, copy)).body
        self.assertEqual(len(versions["versions"]), 1)

    def test_the_live_preview_draws_the_files_of_the_post_mortem(self):
        pm = self.create_pm(self.r, self.excellent.replace(
            "id: 2026-03-10-eu-card-payments-declined", "id: " + unique("preview")))
        self.upload_metrics(pm)
        fields = {"markdown": self.excellent, "fragment": "1", "id": pm}
        with_files = self.form(self.r, "/preview", fields)
        self.assertEqual(with_files.status, 200)
        self.assertEqual(text_of(with_files).count(METRIC_CHART), 2)
        new_text = self.form(self.r, "/preview", {"markdown": self.excellent, "fragment": "1"})
        self.assertEqual(text_of(new_text).count(METRIC_CHART), 0)
        self.assertNotIn("cannot be read", text_of(new_text))
        # Someone who may not see it gets no file of it.
        secret = self.create_pm(self.r, self.excellent.replace(
            "id: 2026-03-10-eu-card-payments-declined", "id: " + unique("hidden")).replace(
            "visibility: public", "visibility: restricted"))
        self.upload_metrics(secret)
        oz = self.session_client(self.oz)
        self.assertEqual(text_of(self.form(oz, "/preview", dict(fields, id=secret))).count(METRIC_CHART), 0)


if __name__ == "__main__":
    main()
