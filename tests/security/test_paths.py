"""test_paths.py: path traversal. Attachment names and the files a post
mortem names (images, metrics) with '../', '%2e%2e%2f', absolute paths,
backslashes, NUL and symbolic links, through the attachment API, the upload
form, `debrief render`, `debrief import` and `debrief export`: refused with a
clear message, nothing outside the folder read or written.

By hand: DEBRIEF=build/debrief python3 tests/security/test_paths.py [-k NAME]"""

import base64
import os
import shutil
import struct
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import form, text_of  # noqa: E402
from harness import DEBRIEF, ApiCase, Database, main, postmortem, unique  # noqa: E402



def _png(text):
    """A valid 1x1 PNG carrying TEXT in a tEXt chunk (an image render
    embeds, so a file read from outside would show)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) +
            chunk(b"tEXt", b"Comment\x00" + text) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) +
            chunk(b"IEND", b""))


# Bytes that live outside the post mortem's folder: none of them may be read.
OUTSIDE = _png(b"OUTSIDE-SECRET-7f3a9c")
OUTSIDE_CSV = b"time,value\n2026-03-10T14:00:00Z,424242\n"
# Names that leave the folder, written as a document or a client would.
BAD_NAMES = ["../outside.png", "../../outside.png", "%2e%2e/outside.png", "%2e%2e%2foutside.png",
             "..%2foutside.png", "/etc/passwd", "//etc/passwd", "..\\outside.png", "sub\\..\\..\\outside.png",
             "sub/../../outside.png", "file:///etc/passwd", "a\x00b.png", "./../outside.png"]
# The same as attachment names in a URL (one escaped segment).
BAD_SEGMENTS = ["..%2Foutside.png", "%2E%2E%2Foutside.png", "%2e%2e%2Foutside.png", "%2Fetc%2Fpasswd",
                "..%5Coutside.png", "a%00b.png", "sub%2F..%2F..%2Foutside.png", "%2E%2E", "..",
                "metrics%2F%2E%2E%2F%2E%2E%2Foutside.png", "%C0%AE%C0%AE%2Foutside.png", "a%5Cb.png",
                "%2E", "x%0Ay.png"]


def run(args, cwd=None, env=None, timeout=120):
    full = dict(os.environ)
    full.update(env or {})
    return subprocess.run([DEBRIEF] + args, cwd=cwd, env=full, capture_output=True, timeout=timeout)


def new_db(case, tag):
    """A SQLite database with an admin and the team sre, for the CLI."""
    db = Database("sqlite", tag)
    case.addCleanup(db.drop)
    p = subprocess.run([DEBRIEF, "user", "add", "admin", "--role", "admin", "--db", db.url],
                       input=b"admin-password-1\n", capture_output=True, timeout=60)
    case.assertEqual(p.returncode, 0, p.stderr)
    p = run(["team", "add", "sre", "--db", db.url])
    case.assertEqual(p.returncode, 0, p.stderr)
    return db


def folder_with_links(root):
    """ROOT/outside/ (the secret files) and ROOT/doc/ with symlinks that
    point out of it: doc/link.png, doc/metrics/link.csv and doc/up (a
    folder link)."""
    outside = os.path.join(root, "outside")
    doc = os.path.join(root, "doc")
    os.makedirs(outside)
    os.makedirs(os.path.join(doc, "metrics"))
    for name, data in (("outside.png", OUTSIDE), ("outside.csv", OUTSIDE_CSV)):
        with open(os.path.join(outside, name), "wb") as f:
            f.write(data)
    with open(os.path.join(root, "outside.png"), "wb") as f:
        f.write(OUTSIDE)
    os.symlink(os.path.join(outside, "outside.png"), os.path.join(doc, "link.png"))
    os.symlink(os.path.join(outside, "outside.csv"), os.path.join(doc, "metrics", "link.csv"))
    os.symlink(outside, os.path.join(doc, "up"))
    return doc


def hostile_doc(slug):
    images = "\n".join("![x%d](%s)" % (i, name.replace("\x00", "%00")) for i, name in
                       enumerate(BAD_NAMES + ["link.png", "up/outside.png"]))
    text = postmortem(slug, team="sre", words="\n\n" + images + "\n")
    metrics = ["../outside/outside.csv", "/etc/passwd", "metrics/link.csv", "up/outside.csv",
               "%2e%2e/outside/outside.csv"]
    return text.replace("timezone: UTC\n", "timezone: UTC\nmetrics:\n" +
                        "".join("  - file: \"%s\"\n    title: m%d\n" % (m, i) for i, m in enumerate(metrics)))


def assert_no_outside(case, data, where):
    """DATA (bytes or text) holds nothing of the files outside."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    for secret in (b"OUTSIDE-SECRET", base64.b64encode(OUTSIDE), b"424242", b"424.2k", b"root:x:0:0",
                   base64.b64encode(OUTSIDE_CSV)[:24]):
        case.assertNotIn(secret, data, where)


class TestCli(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="debrief-sec-paths-")
        self.addCleanup(shutil.rmtree, self.root, True)
        self.doc = folder_with_links(self.root)

    def test_render_reads_nothing_outside(self):
        path = os.path.join(self.doc, "pm.md")
        with open(path, "w") as f:
            f.write(hostile_doc("2026-03-paths"))
        p = run(["render", path])
        self.assertEqual(p.returncode, 0, p.stderr)
        assert_no_outside(self, p.stdout, "debrief render's page")
        err = p.stderr.decode()
        self.assertIn("outside", err.lower(), err)
        self.assertIn("pm.md", err, "the message names the file")
        out = os.path.join(self.doc, "out.html")
        p = run(["render", "-o", out, "--redacted", path])
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, "rb") as f:
            assert_no_outside(self, f.read(), "render -o")
        # Standard input: files come from the current folder, and no further.
        p = subprocess.run([DEBRIEF, "render", "-"], input=hostile_doc("2026-03-stdin").encode(), cwd=self.doc,
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        assert_no_outside(self, p.stdout, "render -")

    def test_import_keeps_nothing_from_outside(self):
        with open(os.path.join(self.doc, "pm.md"), "w") as f:
            f.write(hostile_doc("2026-03-imported"))
        os.symlink(os.path.join(self.root, "outside", "outside.png"), os.path.join(self.doc, "linked.md"))
        db = new_db(self, "paths")
        p = run(["import", self.doc, "--team", "sre", "--db", db.url])
        err = p.stderr.decode()
        self.assertIn(p.returncode, (0, 1), err)
        self.assertIn("outside", err.lower(), err)
        self.assertIn("pm.md", err, "the warning names the file")
        with open(db.url[len("sqlite:"):], "rb") as f:
            assert_no_outside(self, f.read(), "the database after import")
        conn = sqlite3.connect(db.url[len("sqlite:"):])
        try:
            names = [r[0] for r in conn.execute("SELECT name FROM attachments")]
            ids = [r[0] for r in conn.execute("SELECT slug FROM postmortems")]
        except sqlite3.OperationalError:
            names, ids = [], []
        finally:
            conn.close()
        self.assertEqual([n for n in names if ".." in n or n.startswith("/") or "\\" in n], [], names)
        self.assertNotIn("linked", ids, "a link to a file outside was imported")
        out = os.path.join(self.root, "export")
        p = run(["export", out, "--db", db.url, "--as", "admin"])
        self.assertIn(p.returncode, (0, 2), p.stderr)
        for top, _, files in os.walk(out):
            for name in files:
                with open(os.path.join(top, name), "rb") as f:
                    assert_no_outside(self, f.read(), name)

    def test_export_writes_nothing_outside(self):
        """An export folder whose metrics/ and ID.md are symbolic links out
        of it: nothing is written through them."""
        db = new_db(self, "export")
        src = os.path.join(self.root, "src")
        os.makedirs(os.path.join(src, "metrics"))
        text = postmortem("2026-03-exported", team="sre").replace(
            "timezone: UTC\n", "timezone: UTC\nmetrics:\n  - file: metrics/p99.csv\n    title: p99\n")
        with open(os.path.join(src, "2026-03-exported.md"), "w") as f:
            f.write(text)
        with open(os.path.join(src, "metrics", "p99.csv"), "wb") as f:
            f.write(b"time,value\n2026-03-10T14:00:00Z,1\n")
        p = run(["import", src, "--db", db.url])
        self.assertEqual(p.returncode, 0, p.stderr)
        victim = os.path.join(self.root, "victim")
        os.makedirs(victim)
        out = os.path.join(self.root, "out")
        os.makedirs(out)
        os.symlink(victim, os.path.join(out, "metrics"))
        os.symlink(os.path.join(victim, "pm.md"), os.path.join(out, "2026-03-exported.md"))
        p = run(["export", out, "--db", db.url])
        self.assertEqual(os.listdir(victim), [], "export wrote through a symbolic link (exit %d: %s)" %
                         (p.returncode, p.stderr.decode()[:300]))
        if p.returncode != 0:
            self.assertTrue(p.stderr.strip(), "refused without a message")


class TestAttachmentNames(ApiCase):
    backend = "sqlite"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_team("sre")
        cls.alice = cls.make_user("alice", "author", ["sre"])
        cls.api = cls.token_client(cls.alice)
        cls.pm = cls.create_pm(cls.api, postmortem(unique("att"), team="sre"))

    def test_api_refuses_names_that_leave_the_folder(self):
        base = "/api/v1/postmortems/%s/attachments/" % self.pm
        for seg in BAD_SEGMENTS:
            with self.subTest(name=seg):
                put = self.api.put(base + seg, raw=OUTSIDE, headers={"Content-Type": "application/octet-stream"})
                self.assertIn(put.status, (400, 404), put)
                if put.status == 400:
                    self.assertTrue(put.body["error"]["message"], put)
                got = self.api.get(base + seg)
                self.assertIn(got.status, (400, 404), got)
                assert_no_outside(self, got.body if isinstance(got.body, bytes) else text_of(got), seg)
        listed = self.api.get(base.rstrip("/"))
        self.assertEqual(listed.status, 200, listed)
        self.assertEqual(listed.body["attachments"], [], "a bad name was kept")
        for seg in ("..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "../../../../etc/passwd",
                    "%2e%2e/%2e%2e/%2e%2e/etc/passwd"):
            got = self.api.get(base + seg)
            self.assertLess(got.status, 500, got)
            assert_no_outside(self, text_of(got), seg)

    def test_upload_form_refuses_them(self):
        page = self.session_client(self.alice)
        # A name that leaves the folder once read as a path (not '%2e' or
        # 'file:', plain characters in a file's name).
        for name in [n for n in BAD_NAMES if ".." in n or n.startswith("/") or "\\" in n or "\x00" in n]:
            with self.subTest(name=name):
                reply = form(page, "/postmortems/%s/files" % self.pm, {"name": name, "content": "a,b\n"})
                self.assertEqual(reply.status, 400, reply)
                self.assertIn("name", text_of(reply).lower())
        self.assertEqual(self.api.get("/api/v1/postmortems/%s/attachments" % self.pm).body["attachments"], [])

    def test_static_files_stay_in_their_folder(self):
        for path in ("/static/..%2F..%2Fmeson.build", "/static/%2e%2e%2fweb.h", "/static/../../etc/passwd",
                     "/static/..%5Cstatic.c", "/static/%2Fetc%2Fpasswd", "/static/style.css%00.js"):
            with self.subTest(path=path):
                got = self.anonymous().get(path)
                self.assertIn(got.status, (400, 404), got)
                self.assertNotIn(b"project(", got.body if isinstance(got.body, bytes) else b"")
                assert_no_outside(self, text_of(got), path)


if __name__ == "__main__":
    main()
