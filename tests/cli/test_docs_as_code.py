"""test_docs_as_code.py: `debrief import`, `debrief export` and `debrief push`,
which keep a folder of Markdown and the team server in step, against the real
binary, a fresh SQLite database per test and, for push and export --server, a
running `debrief serve`.

Revisions are counted in the SQLite file itself, so that "nothing changed"
is checked where it matters; exported files are compared byte for byte."""

import hashlib
import os
import re
import sqlite3
import sys
import time
import unittest

from common import EXAMPLES, SOURCE, TempDirTest, run

sys.path.insert(0, os.path.dirname(__file__))
from test_serve import Server, free_port  # noqa: E402


# The end of import's summary line when no post mortem names a file.
NO_FILES = "; 0 files stored, 0 unchanged, 0 not stored"


def postmortem(pm_id=None, title="Checkout errors for 12 minutes", owner_team=None, visibility=None,
               extra="", body=None):
    """A small post mortem with the front matter fields given."""
    front = []
    if pm_id:
        front.append("id: %s" % pm_id)
    front.append("title: %s" % title)
    if owner_team:
        front.append("owner_team: %s" % owner_team)
    if visibility:
        front.append("visibility: %s" % visibility)
    text = "---\n" + "\n".join(front) + "\n---\n\n# %s\n\n" % title
    return text + (body if body is not None else
                   "## Summary\n\nA bad deploy broke checkout; the rollback fixed it.%s\n" % extra)


class DocsTest(TempDirTest):
    """A database with an admin (root), an author of payments (ann), a
    reviewer of sre (rex) and a viewer in no team (vic)."""

    def setUp(self):
        super().setUp()
        self.db_path = os.path.join(self.dir, "docs.db")
        self.db = "sqlite:" + self.db_path
        self.docs = os.path.join(self.dir, "postmortems")
        os.makedirs(self.docs)
        for team in ("payments", "sre"):
            self.ok(self.cli("team", "add", team))
        for name, role, team in (("root", "admin", None), ("ann", "author", "payments"),
                                 ("rex", "reviewer", "sre"), ("vic", "viewer", None)):
            args = ["user", "add", name, "--role", role] + (["--team", team] if team else [])
            self.ok(self.cli(*args, stdin="pw-%s\n" % name))

    def cli(self, *args, stdin=None, env=None):
        return run(list(args) + ["--db", self.db], stdin=stdin, env=env, cwd=self.dir)

    def ok(self, p):
        self.assertEqual(p.returncode, 0, "stdout: %s\nstderr: %s" % (p.out, p.err))
        return p

    def doc(self, name, text):
        return self.write(os.path.join("postmortems", name), text)

    def query(self, sql, *params):
        with sqlite3.connect(self.db_path) as conn:
            return conn.execute(sql, params).fetchall()

    def revisions(self):
        """{slug: newest revision number} straight from the database."""
        rows = self.query("SELECT p.slug, max(r.number), count(*) FROM postmortems p "
                          "JOIN revisions r ON r.postmortem_id = p.id GROUP BY p.slug")
        for slug, newest, count in rows:
            self.assertEqual(newest, count, slug)
        return {slug: newest for slug, newest, _ in rows}

    def import_docs(self, *options):
        return self.cli("import", self.docs, *options)

    def export(self, name, *options):
        out = os.path.join(self.dir, name)
        p = self.cli("export", out, *options)
        return p, out

    def exported(self, out):
        """{file name: bytes} of a folder."""
        files = {}
        for name in sorted(os.listdir(out)):
            with open(os.path.join(out, name), "rb") as f:
                files[name] = f.read()
        return files

    def tree(self, out):
        """{path under OUT: bytes} of every file below OUT."""
        files = {}
        for folder, _, names in os.walk(out):
            for name in names:
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    files[os.path.relpath(path, out)] = f.read()
        return files

    def attachments(self):
        """[(slug, name, version, bytes)] of every attachment version kept."""
        return self.query("SELECT p.slug, a.name, a.version, a.content FROM attachments a "
                          "JOIN postmortems p ON p.id = a.postmortem_id ORDER BY 1, 2, 3")

    def plant_attachment(self, slug, name, data):
        """Adds DATA as version 1 of NAME of SLUG straight into the SQLite
        file, as an older database may hold a name the store refuses now."""
        with sqlite3.connect(self.db_path) as conn:
            pm, revision = conn.execute(
                "SELECT p.id, max(r.number) FROM postmortems p JOIN revisions r "
                "ON r.postmortem_id = p.id WHERE p.slug = ? GROUP BY p.id", (slug,)).fetchone()
            conn.execute("INSERT INTO attachments (postmortem_id, name, version, revision, size, "
                         "sha256, author_id, created, content) VALUES (?, ?, 1, ?, ?, ?, NULL, ?, ?)",
                         (pm, name, revision, len(data), hashlib.sha256(data).hexdigest(),
                          int(time.time()), data))


class ImportTest(DocsTest):
    def test_import_creates_and_a_second_run_changes_nothing(self):
        self.doc("a.md", postmortem("2026-01-a", "Alpha outage", "payments"))
        self.doc("nested/deeper/b.md", postmortem("2026-01-b", "Beta outage", "sre"))
        self.doc("c.md", postmortem(None, "Gamma outage", "payments"))
        self.doc("README.md", "# How we write post mortems\n\nNot a post mortem.\n")
        self.doc(".hidden/d.md", postmortem("hidden", "Hidden", "sre"))
        p = self.ok(self.import_docs())
        self.assertEqual(p.out.splitlines()[-1], "3 created, 0 updated, 0 unchanged, 0 failed" + NO_FILES)
        self.assertIn("created 2026-01-a (", p.out)
        self.assertIn("created c (", p.out)  # the file name when there is no id
        self.assertEqual(self.revisions(), {"2026-01-a": 1, "2026-01-b": 1, "c": 1})
        owners = dict(self.query("SELECT p.slug, t.name FROM postmortems p JOIN teams t "
                                 "ON t.id = p.owner_team_id"))
        self.assertEqual(owners, {"2026-01-a": "payments", "2026-01-b": "sre", "c": "payments"})
        authors = {r[0] for r in self.query("SELECT u.name FROM revisions r JOIN users u "
                                            "ON u.id = r.author_id")}
        self.assertEqual(authors, {"root"})  # the first admin

        again = self.ok(self.import_docs())
        self.assertEqual(again.out, "0 created, 0 updated, 3 unchanged, 0 failed" + NO_FILES + "\n")
        self.assertEqual(self.revisions(), {"2026-01-a": 1, "2026-01-b": 1, "c": 1})

    def test_a_changed_file_adds_exactly_one_revision(self):
        path = self.doc("a.md", postmortem("2026-01-a", owner_team="payments"))
        self.doc("b.md", postmortem("2026-01-b", owner_team="payments"))
        self.ok(self.import_docs())
        changed = postmortem("2026-01-a", owner_team="payments", extra=" A second look found more.")
        self.write(path, changed)
        p = self.ok(self.import_docs("--as", "ann"))
        self.assertEqual(p.out.splitlines()[-1], "0 created, 1 updated, 1 unchanged, 0 failed" + NO_FILES)
        self.assertIn("updated 2026-01-a to revision 2", p.out)
        self.assertEqual(self.revisions(), {"2026-01-a": 2, "2026-01-b": 1})
        newest = self.query("SELECT r.markdown, u.name FROM revisions r JOIN users u ON u.id = r.author_id "
                            "WHERE r.number = 2")
        self.assertEqual(newest, [(changed, "ann")])
        self.ok(self.import_docs())
        self.assertEqual(self.revisions(), {"2026-01-a": 2, "2026-01-b": 1})

    def test_the_owner_team_comes_from_the_front_matter_else_team(self):
        self.doc("mine.md", postmortem("mine", owner_team="sre"))
        self.doc("orphan.md", postmortem("orphan"))
        p = self.import_docs()
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("orphan.md: no owner team", p.err)
        self.assertIn("--team", p.err)
        self.assertEqual(p.out.splitlines()[-1], "1 created, 0 updated, 0 unchanged, 1 failed" + NO_FILES)
        p = self.ok(self.import_docs("--team", "payments"))
        self.assertEqual(p.out.splitlines()[-1], "1 created, 0 updated, 1 unchanged, 0 failed" + NO_FILES)
        owners = dict(self.query("SELECT p.slug, t.name FROM postmortems p JOIN teams t "
                                 "ON t.id = p.owner_team_id"))
        self.assertEqual(owners, {"mine": "sre", "orphan": "payments"})

    def test_an_unknown_owner_team_fails_that_file(self):
        self.doc("a.md", postmortem("a", owner_team="ghosts"))
        p = self.import_docs("--team", "payments")
        self.assertEqual(p.returncode, 1)
        self.assertIn("a.md: owner team 'ghosts' does not exist", p.err)
        self.assertEqual(self.revisions(), {})

    def test_a_changed_owner_team_or_visibility_is_applied(self):
        path = self.doc("a.md", postmortem("a", owner_team="payments"))
        self.ok(self.import_docs())
        self.write(path, postmortem("a", owner_team="sre", visibility="restricted"))
        self.ok(self.import_docs())
        self.assertEqual(self.query("SELECT t.name, p.visibility FROM postmortems p JOIN teams t "
                                    "ON t.id = p.owner_team_id"), [("sre", "restricted")])
        reasons = self.query("SELECT reason FROM ownership_changes WHERE from_team_id IS NOT NULL")
        self.assertEqual(len(reasons), 1)

    def test_bad_files_fail_alone_with_their_name(self):
        self.doc("good.md", postmortem("good", owner_team="sre"))
        self.doc("empty.md", "")
        self.doc("latin1.md", postmortem("latin1", owner_team="sre").encode() + b"caf\xe9\n")
        self.doc("yaml.md", "---\ntitle: [unclosed\n---\n\n# Broken\n")
        self.doc("twin.md", postmortem("good", "Another with the same id", owner_team="sre"))
        p = self.import_docs()
        self.assertEqual(p.returncode, 1, p.err)
        errors = p.err.splitlines()
        self.assertEqual(len(errors), 4, p.err)
        for name in ("empty.md:1:1:", "latin1.md:", "yaml.md:", "twin.md: the id 'good' is also the id of"):
            self.assertTrue(any(name in line for line in errors), (name, p.err))
        for line in errors:
            self.assertTrue(line.startswith("debrief: "), line)
        self.assertEqual(p.out.splitlines()[-1], "1 created, 0 updated, 0 unchanged, 4 failed" + NO_FILES)
        self.assertEqual(self.revisions(), {"good": 1})

    def test_usage_and_setup_errors(self):
        self.doc("a.md", postmortem("a", owner_team="sre"))
        cases = [
            (["import", "--db", self.db], "needs the folder"),
            (["import", self.docs, "other", "--db", self.db], "not also 'other'"),
            (["import", os.path.join(self.dir, "nope"), "--db", self.db], "nope"),
            (["import", self.docs, "--as", "ghost", "--db", self.db], "no user 'ghost'"),
            (["import", self.docs, "--as", "vic", "--db", self.db], "'vic' is a viewer"),
            (["import", self.docs, "--team", "ghosts", "--db", self.db], "no team 'ghosts'"),
            (["import", self.docs, "--frob"], "unknown option '--frob'"),
        ]
        for args, words in cases:
            with self.subTest(args=args):
                self.assert_git_error(run(args, cwd=self.dir), words)
        self.assertEqual(self.revisions(), {})

    def test_without_an_admin_the_author_must_be_named(self):
        db = "sqlite:" + os.path.join(self.dir, "empty.db")
        self.ok(run(["team", "add", "sre", "--db", db]))
        self.doc("a.md", postmortem("a", owner_team="sre"))
        self.assert_git_error(run(["import", self.docs, "--db", db]), "no admin", "--as")

    def test_an_id_the_author_may_not_see_is_not_overwritten(self):
        path = self.doc("secret.md", postmortem("secret", owner_team="sre", visibility="restricted"))
        self.ok(self.import_docs())
        self.write(path, postmortem("secret", owner_team="sre", visibility="restricted", extra=" More."))
        p = self.import_docs("--as", "ann")
        self.assertEqual(p.returncode, 1)
        self.assertIn("secret.md: the id 'secret' is taken by a post mortem 'ann' may not see", p.err)
        self.assertEqual(self.revisions(), {"secret": 1})

    def test_a_restricted_import_stays_visible_to_its_author(self):
        self.doc("theirs.md", postmortem("theirs", owner_team="sre", visibility="restricted"))
        self.ok(self.import_docs("--as", "ann"))
        granted = self.query("SELECT u.name FROM postmortem_access a JOIN users u ON u.id = a.user_id")
        self.assertEqual(granted, [("ann",)])
        p = self.ok(self.import_docs("--as", "ann"))
        self.assertEqual(p.out, "0 created, 0 updated, 1 unchanged, 0 failed" + NO_FILES + "\n")
        p, out = self.export("as-ann", "--as", "ann")
        self.ok(p)
        self.assertEqual(list(self.exported(out)), ["theirs.md"])
        p, out = self.export("as-vic", "--as", "vic")
        self.ok(p)
        self.assertEqual(self.exported(out), {})

    def test_the_examples_import_with_a_team(self):
        p = run(["import", EXAMPLES, "--team", "payments", "--db", self.db], cwd=self.dir)
        self.assertEqual(p.returncode, 1)
        self.assertIn("owner team 'risk-engineering' does not exist", p.err)
        for team in ("risk-engineering", "search", "identity"):
            self.ok(self.cli("team", "add", team))
        p = self.ok(run(["import", EXAMPLES, "--team", "payments", "--db", self.db], cwd=self.dir))
        self.assertEqual(p.out.splitlines()[-1], "3 created, 0 updated, 2 unchanged, 0 failed; "
                                                 "9 files stored, 0 unchanged, 0 not stored")
        self.assertEqual(self.query("SELECT slug FROM postmortems WHERE visibility = 'restricted'"),
                         [("2026-02-17-orders-stuck-processing",)])  # security: true


# A PNG's signature and header, with the NUL and 0xFF bytes a text
# round trip would break.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\xff\x00"
CSV = b"time,p99_ms\n2026-01-10T14:00:00Z,120\n2026-01-10T14:05:00Z,950\n"


def with_files(pm_id, owner_team="payments", metrics=("metrics/p99.csv",), images=("img/graph.png",),
               visibility=None):
    """A post mortem whose front matter names METRICS and whose Markdown
    shows IMAGES."""
    front = "".join("  - file: %s\n" % m for m in metrics)
    text = postmortem(pm_id, "Outage %s" % pm_id, owner_team, visibility,
                      body="## Summary\n\nA bad deploy broke checkout.\n\n" +
                      "".join("![graph](%s)\n\n" % i for i in images))
    return text.replace("---\n\n", "metrics:\n" + front + "---\n\n", 1) if metrics else text


class FilesTest(DocsTest):
    """The files a post mortem names: kept by import, written by export."""

    def files_doc(self, folder, pm_id, csv=CSV, png=PNG, **kw):
        self.write(os.path.join("postmortems", folder, "metrics", "p99.csv"), csv)
        self.write(os.path.join("postmortems", folder, "img", "graph.png"), png)
        return self.doc(os.path.join(folder, pm_id + ".md"), with_files(pm_id, **kw))

    def test_import_keeps_the_files_and_adds_a_version_only_for_new_bytes(self):
        self.files_doc("a", "2026-01-a")
        p = self.ok(self.import_docs())
        self.assertEqual(p.out.splitlines()[-1],
                         "1 created, 0 updated, 0 unchanged, 0 failed; 2 files stored, 0 unchanged, 0 not stored")
        self.assertIn("stored img/graph.png of 2026-01-a as version 1", p.out)
        self.assertEqual(p.err, "")
        self.assertEqual(self.attachments(), [("2026-01-a", "img/graph.png", 1, PNG),
                                              ("2026-01-a", "metrics/p99.csv", 1, CSV)])
        p = self.ok(self.import_docs())
        self.assertEqual(p.out, "0 created, 0 updated, 1 unchanged, 0 failed; "
                                "0 files stored, 2 unchanged, 0 not stored\n")
        self.assertEqual(len(self.attachments()), 2)
        self.write(os.path.join("postmortems", "a", "img", "graph.png"), PNG + b"\x00more")
        p = self.ok(self.import_docs())
        self.assertEqual(p.out.splitlines()[-1],
                         "0 created, 0 updated, 1 unchanged, 0 failed; 1 file stored, 1 unchanged, 0 not stored")
        self.assertEqual(self.attachments()[1], ("2026-01-a", "img/graph.png", 2, PNG + b"\x00more"))
        self.assertEqual(len(self.attachments()), 3)

    def test_a_file_outside_the_folder_or_missing_is_a_warning_not_a_failure(self):
        secret = self.write("secret.txt", "the root password\n")
        self.write(os.path.join("postmortems", "metrics", "p99.csv"), CSV)
        os.makedirs(os.path.join(self.docs, "img"))
        os.symlink(secret, os.path.join(self.docs, "img", "link.png"))
        os.makedirs(os.path.join(self.docs, "img", "folder.png"))
        path = self.doc("leaky.md", with_files(
            "leaky", metrics=("metrics/p99.csv", "../secret.txt"),
            images=("img/link.png", "img/missing.png", "img/folder.png", "../secret.txt",
                    "%s" % secret, "https://example.com/remote.png")))
        p = self.import_docs()
        self.assertEqual(p.returncode, 1, p.err)
        self.assertEqual(p.out.splitlines()[-1],
                         "1 created, 0 updated, 0 unchanged, 0 failed; 1 file stored, 0 unchanged, 5 not stored")
        lines = p.stderr.decode().splitlines()
        self.assertEqual(len(lines), 5, p.err)
        text = with_files("leaky", metrics=("metrics/p99.csv", "../secret.txt"),
                          images=("img/link.png", "img/missing.png", "img/folder.png", "../secret.txt",
                                  secret, "https://example.com/remote.png")).splitlines()

        def line_of(needle):
            return next(i + 1 for i, line in enumerate(text) if needle in line)

        expected = [
            (line_of("](img/link.png)"), "img/link.png", "outside the document's folder"),
            (line_of("](img/missing.png)"), "img/missing.png", "no such file"),
            (line_of("](img/folder.png)"), "img/folder.png", "not a regular file"),
            (line_of("file: ../secret.txt"), "../secret.txt", "not inside the post mortem's folder"),
            (line_of("](%s)" % secret), secret, "not inside the post mortem's folder"),
        ]
        for line, (number, name, why) in zip(lines, expected):
            self.assertTrue(line.startswith("debrief: warning: %s:%d: file '%s' is not stored: " %
                                            (path, number, name)), (line, number, name))
            self.assertIn(why, line)
        self.assertEqual([(a[1], a[3]) for a in self.attachments()], [("metrics/p99.csv", CSV)])
        self.assertEqual(self.revisions(), {"leaky": 1})

    def test_export_writes_the_files_beside_the_post_mortems(self):
        self.files_doc("a", "a")
        self.files_doc("b", "b", csv=CSV, png=PNG)  # the same bytes: written once
        self.files_doc("s", "s", owner_team="sre", visibility="restricted",
                       metrics=("secret/m.csv",), images=())
        self.write(os.path.join("postmortems", "s", "secret", "m.csv"), b"time,v\n")
        self.ok(self.import_docs())
        p, out = self.export("out")
        self.ok(p)
        self.assertEqual(self.tree(out), {"a.md": with_files("a").encode(), "b.md": with_files("b").encode(),
                                          "metrics/p99.csv": CSV, "img/graph.png": PNG})
        self.assertEqual(p.out.splitlines()[-1], "4 written, 0 unchanged, 0 failed")
        self.assertIn("wrote %s/metrics/p99.csv\n" % out, p.out)
        p, _ = self.export("out")
        self.assertEqual(self.ok(p).out, "0 written, 4 unchanged, 0 failed\n")
        p, out = self.export("as-rex", "--as", "rex")
        self.ok(p)
        self.assertEqual(self.tree(out)["secret/m.csv"], b"time,v\n")

    def test_export_refuses_a_name_two_post_mortems_fill_differently(self):
        self.files_doc("a", "first")
        self.files_doc("b", "second", csv=b"time,v\n2026-01-01T00:00:00Z,2\n")
        self.ok(self.import_docs())
        p, out = self.export("out")
        self.assertEqual(p.returncode, 1, p.err)
        # The post mortem exported first keeps the name; the other is refused.
        got = self.tree(out)
        csvs = {"first": CSV, "second": b"time,v\n2026-01-01T00:00:00Z,2\n"}
        kept = next(pm for pm, data in csvs.items() if got["metrics/p99.csv"] == data)
        refused = "second" if kept == "first" else "first"
        self.assertEqual(p.err.splitlines(), [
            "debrief: not writing '%s/metrics/p99.csv' of '%s': '%s' names a file of that "
            "name with other bytes, written already; give one of them another name" % (out, refused, kept)])
        self.assertEqual(got, {"first.md": with_files("first").encode(),
                               "second.md": with_files("second").encode(),
                               "metrics/p99.csv": csvs[kept], "img/graph.png": PNG})
        self.assertEqual(p.out.splitlines()[-1], "4 written, 0 unchanged, 1 failed")

    def test_export_never_writes_a_hidden_name_or_a_post_mortem(self):
        y = postmortem("y", owner_team="payments")
        self.doc(os.path.join("a", "y.md"), y)
        self.doc(os.path.join("a", "x.md"), with_files("x", metrics=(), images=()))
        self.ok(self.import_docs())
        # The store refuses these names now; an older database may hold them.
        planted = [".hidden/x", ".git/config", "img/.env", "y.md", "z.MD", "notes/a.Md"]
        for name in planted:
            self.plant_attachment("x", name, b"[core]\n\tfsmonitor = touch pwned\n")
        self.plant_attachment("x", "img/ok.png", PNG)
        os.makedirs(os.path.join(self.dir, "out"))
        self.write(os.path.join("out", ".git", "config"), "[core]\n")
        p, out = self.export("out")
        self.assertEqual(p.returncode, 1, p.err)
        self.assertEqual(sorted(p.err.splitlines()), sorted(
            "debrief: not writing file '%s' of 'x': the name is not a path of plain names inside the "
            "folder, or a part starts with '.', or it ends in '.md'" % name for name in planted))
        self.assertEqual(p.out.splitlines()[-1], "3 written, 0 unchanged, 6 failed")
        self.assertEqual(self.tree(out), {"x.md": with_files("x", metrics=(), images=()).encode(),
                                          "y.md": y.encode(), "img/ok.png": PNG,
                                          ".git/config": b"[core]\n"})

    def test_export_never_writes_a_file_through_a_symbolic_link(self):
        self.files_doc("a", "a")
        self.ok(self.import_docs())
        outside = os.path.join(self.dir, "outside")
        os.makedirs(outside)
        out = os.path.join(self.dir, "out")
        os.makedirs(out)
        os.symlink(outside, os.path.join(out, "metrics"))
        os.symlink(os.path.join(outside, "x"), os.path.join(out, "img"))
        p, _ = self.export("out")
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("'%s/metrics/p99.csv': 'metrics' is a symbolic link or not a folder" % out, p.err)
        self.assertEqual(os.listdir(outside), [])
        self.assertEqual(p.out.splitlines()[-1], "1 written, 0 unchanged, 2 failed")

    def test_export_leaves_a_file_that_is_no_version_of_it_alone(self):
        self.files_doc("a", "a")
        self.files_doc("b", "b")  # the same files: both are refused, each on its own
        self.ok(self.import_docs())
        mine = b"time,p99_ms\n# my own notes, not from the server\n"
        path = self.write(os.path.join("out", "metrics", "p99.csv"), mine)
        for _ in range(2):
            p, out = self.export("out")
            self.assertEqual(p.returncode, 1, p.err)
            self.assertEqual(sorted(p.err.splitlines()), [
                "debrief: '%s' exists and is not a version of file 'metrics/p99.csv' of '%s': "
                "not replaced" % (path, pm) for pm in ("a", "b")])
            with open(path, "rb") as f:
                self.assertEqual(f.read(), mine)
            self.assertEqual(self.tree(out)["img/graph.png"], PNG)
        self.assertEqual(p.out, "0 written, 3 unchanged, 2 failed\n")

    def test_export_brings_an_older_version_up_to_date_then_changes_nothing(self):
        self.files_doc("a", "a")
        self.ok(self.import_docs())
        p, out = self.export("out")
        self.assertEqual(self.ok(p).out.splitlines()[-1], "3 written, 0 unchanged, 0 failed")
        newer = CSV + b"2026-01-10T14:10:00Z,130\n"
        self.write(os.path.join("postmortems", "a", "metrics", "p99.csv"), newer)
        self.ok(self.import_docs())
        self.assertEqual([a[1:3] for a in self.attachments()],
                         [("img/graph.png", 1), ("metrics/p99.csv", 1), ("metrics/p99.csv", 2)])
        # An older export elsewhere, with version 1 of the file, is updated too.
        self.write(os.path.join("older", "metrics", "p99.csv"), CSV)
        for name, summary in (("out", "1 written, 2 unchanged"), ("older", "3 written, 0 unchanged")):
            p, folder = self.export(name)
            self.assertIn("wrote %s/metrics/p99.csv\n" % folder, self.ok(p).out)
            self.assertEqual(p.out.splitlines()[-1], summary + ", 0 failed")
            self.assertEqual(p.err, "")
            self.assertEqual(self.tree(folder)["metrics/p99.csv"], newer)
            p, _ = self.export(name)
            self.assertEqual(self.ok(p).out, "0 written, 3 unchanged, 0 failed\n")
            self.assertEqual(self.tree(folder)["metrics/p99.csv"], newer)

    def test_the_examples_round_trip_byte_for_byte(self):
        for team in ("risk-engineering", "search", "identity"):
            self.ok(self.cli("team", "add", team))
        p = self.ok(run(["import", EXAMPLES, "--team", "payments", "--db", self.db], cwd=self.dir))
        self.assertEqual(p.out.splitlines()[-1],
                         "5 created, 0 updated, 0 unchanged, 0 failed; 9 files stored, 0 unchanged, 0 not stored")
        p, out = self.export("out", "--as", "root")
        self.ok(p)
        got = self.tree(out)
        metrics = os.path.join(EXAMPLES, "metrics")
        for name in os.listdir(metrics):
            with open(os.path.join(metrics, name), "rb") as f:
                self.assertEqual(got.pop("metrics/" + name), f.read(), name)
        sources = []
        for name in os.listdir(EXAMPLES):
            if name.endswith(".md") and name != "README.md":
                with open(os.path.join(EXAMPLES, name), "rb") as f:
                    sources.append(f.read())
        self.assertEqual(sorted(got.values()), sorted(sources))
        self.assertTrue(all(name.endswith(".md") and "/" not in name for name in got))


class FilesHelpTest(unittest.TestCase):
    def test_the_help_of_import_push_and_export_speaks_of_the_files(self):
        for command in ("import", "push", "export"):
            with self.subTest(command=command):
                p = run([command, "--help"])
                self.assertEqual(p.returncode, 0, p.err)
                text = " ".join(p.out.split())
                self.assertIn("metrics files", text)
                self.assertIn("images", text)


class ExportTest(DocsTest):
    def setUp(self):
        super().setUp()
        self.texts = {
            "open-one": postmortem("open-one", "Open one", "payments"),
            "unicode": postmortem("unicode", "Café — ünïcode ✓", "sre", extra=" 日本語"),
            "crlf": postmortem("crlf", "Windows lines", "sre").replace("\n", "\r\n"),
            "no-final-newline": postmortem("no-final-newline", "Cut short", "sre").rstrip("\n"),
            "payments-secret": postmortem("payments-secret", "Fraud rule", "payments", "restricted"),
            "sre-secret": postmortem("sre-secret", "Leaked key", "sre", "restricted"),
        }
        for slug, text in self.texts.items():
            self.doc(slug + ".md", text)
        self.ok(self.import_docs())

    def expected(self, *slugs):
        return {s + ".md": self.texts[s].encode() for s in slugs}

    def test_without_as_only_what_is_not_restricted_byte_for_byte(self):
        p, out = self.export("out")
        self.ok(p)
        self.assertEqual(self.exported(out), self.expected("open-one", "unicode", "crlf", "no-final-newline"))
        self.assertEqual(p.out.splitlines()[-1], "4 written, 0 unchanged, 0 failed")
        p, _ = self.export("out")
        self.assertEqual(self.ok(p).out, "0 written, 4 unchanged, 0 failed\n")

    def test_as_a_user_what_they_may_see(self):
        public = ("open-one", "unicode", "crlf", "no-final-newline")
        for user, extra in (("ann", ("payments-secret",)), ("rex", ("sre-secret",)), ("vic", ()),
                            ("root", ("payments-secret", "sre-secret"))):
            with self.subTest(user=user):
                p, out = self.export("as-" + user, "--as", user)
                self.ok(p)
                self.assertEqual(self.exported(out), self.expected(*(public + extra)))

    def test_export_writes_the_newest_revision(self):
        changed = postmortem("open-one", "Open one", "payments", extra=" Revised.")
        self.doc("open-one.md", changed)
        self.ok(self.import_docs())
        p, out = self.export("out")
        self.ok(p)
        self.assertEqual(self.exported(out)["open-one.md"], changed.encode())

    def test_export_then_import_round_trips_without_a_revision(self):
        p, out = self.export("round", "--as", "root")
        self.ok(p)
        before = self.revisions()
        p = self.ok(self.cli("import", out))
        self.assertEqual(p.out.splitlines()[-1], "0 created, 0 updated, 6 unchanged, 0 failed" + NO_FILES)
        self.assertEqual(self.revisions(), before)

    def test_never_writes_through_a_symbolic_link(self):
        out = os.path.join(self.dir, "out")
        os.makedirs(out)
        outside = self.write("outside.txt", "keep me\n")
        os.symlink(outside, os.path.join(out, "open-one.md"))
        p, _ = self.export("out")
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("open-one.md': it is a symbolic link", p.err)
        with open(outside) as f:
            self.assertEqual(f.read(), "keep me\n")
        self.assertEqual(p.out.splitlines()[-1], "3 written, 0 unchanged, 1 failed")
        self.assertEqual(sorted(os.listdir(out)), ["crlf.md", "no-final-newline.md", "open-one.md", "unicode.md"])

    def test_bad_folders_and_options(self):
        file_path = self.write("a-file", "x")
        self.assert_git_error(self.cli("export", file_path), "not a folder")
        self.assert_git_error(self.cli("export", os.path.join(self.dir, "no", "parent")), "cannot make folder")
        self.assert_git_error(self.cli("export"), "needs the folder")
        self.assert_git_error(self.cli("export", "a", "b"), "not also 'b'")
        self.assert_git_error(self.cli("export", "x", "--as", "ghost"), "no user 'ghost'")
        self.assert_git_error(run(["export", "x", "--server", "http://127.0.0.1:1", "--db", self.db]),
                              "--server", "--db")
        self.assert_git_error(run(["export", "x", "--server", "http://127.0.0.1:1"],
                                  env={"DEBRIEF_TOKEN": ""}), "needs a token")
        self.assert_git_error(run(["export", "x", "--token", "t"]), "--token goes with --server")


class ServerTest(DocsTest):
    """push, and export --server, against a running server on the test's
    database."""

    def setUp(self):
        super().setUp()
        self.server = Server(["--db", self.db])
        self.url = "http://127.0.0.1:%d" % self.server.port
        self.token = self.ok(self.cli("user", "token", "ann")).out.strip()

    def tearDown(self):
        code = self.server.stop()
        self.assertEqual(code, 0, self.server.stderr())
        super().tearDown()

    def push(self, *args, token=None, env=None):
        full_env = {"DEBRIEF_SERVER": "", "DEBRIEF_TOKEN": ""}
        full_env.update(env or {})
        return run(["push"] + list(args) + ["--server", self.url, "--token", token or self.token],
                   env=full_env, cwd=self.dir)

    def test_push_creates_updates_and_leaves_alone(self):
        path = self.doc("pushed.md", postmortem("pushed", owner_team="payments"))
        p = self.ok(self.push(path))
        self.assertEqual(p.out, "created pushed at revision 1 (%s)\n" % path)
        self.assertEqual(self.revisions(), {"pushed": 1})
        p = self.ok(self.push(path))
        self.assertEqual(p.out, "pushed is unchanged at revision 1 (%s)\n" % path)
        changed = postmortem("pushed", owner_team="payments", extra=" Found more.")
        self.write(path, changed)
        p = self.ok(self.push(path))
        self.assertEqual(p.out, "updated pushed to revision 2 (%s)\n" % path)
        self.assertEqual(self.revisions(), {"pushed": 2})
        self.assertEqual(self.query("SELECT markdown FROM revisions WHERE number = 2"), [(changed,)])

    def test_push_over_a_newer_revision_is_refused(self):
        path = self.doc("contested.md", postmortem("contested", owner_team="payments"))
        self.ok(self.push(path))
        self.write(path, postmortem("contested", owner_team="payments", extra=" Edit on the web."))
        self.ok(self.push(path))
        mine = postmortem("contested", owner_team="payments", extra=" My edit from revision 1.")
        self.write(path, mine)
        p = self.push(path, "--base-revision", "1")
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("the server has a newer revision of 'contested' (2)", p.err)
        self.assertIn("nothing was saved", p.err)
        self.assertIn("--base-revision 2", p.err)
        self.assertEqual(self.revisions(), {"contested": 2})
        self.assertNotIn((mine,), self.query("SELECT markdown FROM revisions"))
        self.ok(self.push(path, "--base-revision", "2"))
        self.assertEqual(self.revisions(), {"contested": 3})

    def test_push_errors(self):
        no_id = self.doc("no-id.md", postmortem(None, owner_team="payments"))
        good = self.doc("good.md", postmortem("good", owner_team="payments"))
        self.assert_git_error(self.push(os.path.join(self.dir, "missing.md")), "missing.md: cannot open")
        p = self.push(good, token="dbf_" + "0" * 64)
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("401", p.err)
        p = run(["push", good, "--server", "http://127.0.0.1:%d" % free_port(), "--token", self.token])
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("cannot reach", p.err)
        self.assert_git_error(run(["push", good], env={"DEBRIEF_SERVER": "", "DEBRIEF_TOKEN": "x"}),
                              "needs the server")
        self.assert_git_error(run(["push", good, "--server", self.url], env={"DEBRIEF_TOKEN": ""}),
                              "needs a token")
        self.assert_git_error(run(["push", good, "--server", "ftp://x", "--token", "t"]), "'ftp://x'")
        self.assert_git_error(self.push(good, "--base-revision", "zero"), "'zero'")
        self.assert_git_error(run(["push"]), "needs the post mortem files")
        self.assertEqual(self.revisions(), {})

    def test_the_id_and_owner_team_are_the_ones_import_gives(self):
        no_id = self.doc("named-by-file.md", postmortem(None, "A title unlike the file name"))
        p = self.ok(self.push(no_id))
        self.assertEqual(p.out, "created named-by-file at revision 1 (%s)\n" % no_id)
        self.ok(self.import_docs("--team", "payments"))
        self.assertEqual(self.revisions(), {"named-by-file": 1})  # import finds it unchanged
        owners = dict(self.query("SELECT p.slug, t.name FROM postmortems p JOIN teams t "
                                 "ON t.id = p.owner_team_id"))
        self.assertEqual(owners, {"named-by-file": "payments"})  # ann's team
        other = self.doc("other-team.md", postmortem("other-team"))
        p = self.push(other, "--team", "sre")
        self.assertEqual(p.returncode, 1, p.err)
        self.assertRegex(p.err, r"^debrief: %s: cannot create 'other-team': the server answered 403 "
                                r"\(forbidden\): .*'sre'" % re.escape(other))
        self.assertEqual(self.revisions(), {"named-by-file": 1})

    def test_push_takes_server_and_token_from_the_environment(self):
        path = self.doc("env.md", postmortem("env", owner_team="payments"))
        p = run(["push", path], env={"DEBRIEF_SERVER": self.url + "/", "DEBRIEF_TOKEN": self.token})
        self.ok(p)
        self.assertEqual(self.revisions(), {"env": 1})

    def test_push_sends_the_named_files_and_then_finds_them_unchanged(self):
        self.write(os.path.join("postmortems", "metrics", "p99.csv"), CSV)
        self.write(os.path.join("postmortems", "img", "graph two.png"), PNG)
        path = self.doc("pushed.md", with_files("pushed", images=("img/graph%20two.png",)))
        p = self.ok(self.push(path))
        self.assertEqual(p.out, "created pushed at revision 1 (%s)\n2 files sent, 0 unchanged (%s)\n"
                         % (path, path))
        self.assertEqual(self.attachments(), [("pushed", "img/graph two.png", 1, PNG),
                                              ("pushed", "metrics/p99.csv", 1, CSV)])
        p = self.ok(self.push(path))
        self.assertEqual(p.out, "pushed is unchanged at revision 1 (%s)\n0 files sent, 2 unchanged (%s)\n"
                         % (path, path))
        self.write(os.path.join("postmortems", "metrics", "p99.csv"), CSV + b"2026-01-10T14:10:00Z,130\n")
        p = self.ok(self.push(path))
        self.assertEqual(p.out.splitlines()[-1], "1 file sent, 1 unchanged (%s)" % path)
        self.assertEqual([a[:3] for a in self.attachments()],
                         [("pushed", "img/graph two.png", 1), ("pushed", "metrics/p99.csv", 1),
                          ("pushed", "metrics/p99.csv", 2)])
        out = os.path.join(self.dir, "api-out")
        p = self.ok(run(["export", out, "--server", self.url, "--token", self.token]))
        self.assertEqual(self.tree(out), {
            "pushed.md": with_files("pushed", images=("img/graph%20two.png",)).encode(),
            "img/graph two.png": PNG, "metrics/p99.csv": CSV + b"2026-01-10T14:10:00Z,130\n"})

    def test_push_warns_of_a_missing_file_and_sends_the_rest(self):
        self.write(os.path.join("postmortems", "metrics", "p99.csv"), CSV)
        path = self.doc("partial.md", with_files("partial", images=("img/missing.png", "../up.png")))
        p = self.push(path)
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("created partial at revision 1", p.out)
        self.assertIn("1 file sent, 0 unchanged", p.out)
        self.assertRegex(p.err, r"debrief: warning: %s:\d+: file 'img/missing.png' is not sent: no such file"
                         % re.escape(path))
        self.assertRegex(p.err, r"debrief: warning: %s:\d+: file '../up.png' is not sent: "
                         % re.escape(path))
        self.assertEqual([a[1] for a in self.attachments()], ["metrics/p99.csv"])

    def test_a_refused_push_sends_no_file(self):
        self.write(os.path.join("postmortems", "metrics", "p99.csv"), CSV)
        path = self.doc("contested.md", postmortem("contested", owner_team="payments"))
        self.ok(self.push(path))
        self.write(path, postmortem("contested", owner_team="payments", extra=" Edit on the web."))
        self.ok(self.push(path))
        self.write(path, with_files("contested", images=()))
        p = self.push(path, "--base-revision", "1")
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("nothing was saved", p.err)
        self.assertNotIn("sent", p.out)
        self.assertEqual(self.attachments(), [])

    def test_export_over_the_api_writes_what_the_token_may_see(self):
        texts = {
            "open": postmortem("open", "Open", "sre"),
            "ours": postmortem("ours", "Ours", "payments", "restricted"),
            "theirs": postmortem("theirs", "Theirs", "sre", "restricted"),
            "unicode": postmortem("unicode", "Café ✓", "sre").replace("\n", "\r\n"),
        }
        for slug, text in texts.items():
            self.doc(slug + ".md", text)
        self.ok(self.import_docs())
        out = os.path.join(self.dir, "api-out")
        p = self.ok(run(["export", out, "--server", self.url, "--token", self.token]))
        self.assertEqual(p.out.splitlines()[-1], "3 written, 0 unchanged, 0 failed")
        self.assertEqual(self.exported(out), {s + ".md": texts[s].encode() for s in ("open", "ours", "unicode")})

    def test_export_over_the_api_replaces_only_older_versions_of_a_file(self):
        self.write(os.path.join("postmortems", "metrics", "p99.csv"), CSV)
        self.write(os.path.join("postmortems", "img", "graph.png"), PNG)
        path = self.doc("pushed.md", with_files("pushed"))
        self.ok(self.push(path))
        newer = CSV + b"2026-01-10T14:10:00Z,130\n"
        self.write(os.path.join("postmortems", "metrics", "p99.csv"), newer)
        self.ok(self.push(path))
        self.plant_attachment("pushed", ".git/config", b"[core]\n\tpager = touch pwned\n")
        out = os.path.join(self.dir, "api-out")
        self.write(os.path.join("api-out", "metrics", "p99.csv"), CSV)
        self.write(os.path.join("api-out", "img", "graph.png"), b"my own picture")
        export = ["export", out, "--server", self.url, "--token", self.token]
        for _ in range(2):
            p = run(export)
            self.assertEqual(p.returncode, 1, p.err)
            self.assertEqual(p.err.splitlines(), [
                "debrief: not writing file '.git/config' of 'pushed': the name is not a path of "
                "plain names inside the folder, or a part starts with '.', or it ends in '.md'",
                "debrief: '%s/img/graph.png' exists and is not a version of file 'img/graph.png' "
                "of 'pushed': not replaced" % out])
            self.assertEqual(self.tree(out), {"pushed.md": with_files("pushed").encode(),
                                              "img/graph.png": b"my own picture",
                                              "metrics/p99.csv": newer})
        self.assertEqual(p.out, "0 written, 2 unchanged, 2 failed\n")


class PostgresTest(TempDirTest):
    """import and export with --db postgres://…, on a server of its own."""

    @classmethod
    def setUpClass(cls):
        path = os.environ.get("DEBRIEF_PGTMP") or os.path.join(SOURCE, "tests", "pg", "pgtmp.py")
        if not os.path.exists(path):
            raise unittest.SkipTest("tests/pg/pgtmp.py is missing")
        sys.path.insert(0, os.path.dirname(path))
        import pgtmp
        cls.pg = pgtmp.PgServer()
        cls.pg.start()

    @classmethod
    def tearDownClass(cls):
        cls.pg.stop()

    def test_import_is_idempotent_and_export_byte_for_byte(self):
        db = self.pg.create_database("docs_%d" % os.getpid())
        for team in ("payments", "sre"):
            self.assertEqual(run(["team", "add", team, "--db", db]).returncode, 0)
        self.assertEqual(run(["user", "add", "root", "--role", "admin", "--db", db], stdin="pw\n").returncode, 0)
        texts = {"pg-open": postmortem("pg-open", "Open", "payments").replace("\n", "\r\n"),
                 "pg-secret": postmortem("pg-secret", "Secret ✓", "sre", "restricted"),
                 "pg-files": with_files("pg-files")}
        docs = os.path.join(self.dir, "docs")
        for slug, text in texts.items():
            self.write(os.path.join("docs", slug + ".md"), text)
        self.write(os.path.join("docs", "metrics", "p99.csv"), CSV)
        self.write(os.path.join("docs", "img", "graph.png"), PNG)
        p = run(["import", docs, "--db", db])
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(p.out.splitlines()[-1], "3 created, 0 updated, 0 unchanged, 0 failed; "
                                                 "2 files stored, 0 unchanged, 0 not stored")
        p = run(["import", docs, "--db", db])
        self.assertEqual(p.out, "0 created, 0 updated, 3 unchanged, 0 failed; "
                                "0 files stored, 2 unchanged, 0 not stored\n")
        out = os.path.join(self.dir, "out")
        self.assertEqual(run(["export", out, "--db", db]).returncode, 0)
        with open(os.path.join(out, "pg-open.md"), "rb") as f:
            self.assertEqual(f.read(), texts["pg-open"].encode())
        for name, data in (("metrics/p99.csv", CSV), ("img/graph.png", PNG)):
            with open(os.path.join(out, name), "rb") as f:
                self.assertEqual(f.read(), data)
        self.assertEqual(sorted(os.listdir(out)), ["img", "metrics", "pg-files.md", "pg-open.md"])
        self.assertEqual(run(["export", out, "--db", db, "--as", "root"]).returncode, 0)
        with open(os.path.join(out, "pg-secret.md"), "rb") as f:
            self.assertEqual(f.read(), texts["pg-secret"].encode())


if __name__ == "__main__":
    unittest.main()
