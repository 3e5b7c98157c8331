"""test_accounts.py: `debrief user` and `debrief team`, the team server's
accounts, against the real binary and a fresh database per test.

What the commands wrote is read back from the SQLite file itself, password
hashes are checked with libsodium (through ctypes, as the store made them)
and API tokens by their BLAKE2b hash, so the tests depend on no other
command; a token is also tried on a running `debrief serve`."""

import ctypes
import ctypes.util
import hashlib
import os
import pty
import re
import select
import sqlite3
import subprocess
import sys
import time
import unittest

from common import DEBRIEF, SOURCE, TempDirTest, run

sys.path.insert(0, os.path.dirname(__file__))
from test_serve import Server  # noqa: E402

TOKEN = re.compile(r"^dbf_[0-9a-f]{64}$")


def sodium():
    lib = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
    if lib.sodium_init() < 0:
        raise AssertionError("libsodium does not start")
    return lib


SODIUM = sodium()


def password_matches(hash_text, password):
    """Does the Argon2id string HASH_TEXT hold PASSWORD?"""
    data = password.encode()
    return SODIUM.crypto_pwhash_str_verify(hash_text.encode() + b"\0", data,
                                           ctypes.c_ulonglong(len(data))) == 0


class AccountsTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.db_path = os.path.join(self.dir, "accounts.db")
        self.db = "sqlite:" + self.db_path

    def cli(self, *args, stdin=None, env=None):
        return run(list(args) + ["--db", self.db], stdin=stdin, env=env, cwd=self.dir)

    def query(self, sql, *params):
        with sqlite3.connect(self.db_path) as conn:
            return conn.execute(sql, params).fetchall()

    def password_hash(self, name):
        rows = self.query("SELECT password_hash FROM users WHERE name = ?", name)
        self.assertEqual(len(rows), 1, "no user %r" % name)
        return rows[0][0]

    def add_user(self, name, password="correct horse", *options):
        p = self.cli("user", "add", name, *options, stdin=password + "\n")
        self.assertEqual(p.returncode, 0, p.err)
        return p

    def users(self):
        """{name: (role, teams)} from `debrief user list`."""
        p = self.cli("user", "list")
        self.assertEqual(p.returncode, 0, p.err)
        lines = p.out.splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "ROLE", "TEAMS"])
        listed = {}
        for line in lines[1:]:
            name, role, teams = re.match(r"^(\S+)\s+(\S+)\s+(.*)$", line).groups()
            listed[name] = (role, teams)
        return listed

    def teams(self):
        """{name: members text} from `debrief team list`."""
        p = self.cli("team", "list")
        self.assertEqual(p.returncode, 0, p.err)
        lines = p.out.splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "MEMBERS"])
        return dict(re.match(r"^(\S+)\s+(.*)$", line).groups() for line in lines[1:])


class UserTest(AccountsTest):
    def test_add_reads_the_password_from_standard_input(self):
        p = self.add_user("alice", "  spaces inside and around  ", "--role", "author")
        self.assertIn("'alice'", p.out)
        self.assertIn("author", p.out)
        hashed = self.password_hash("alice")
        self.assertTrue(hashed.startswith("$argon2id$"), hashed)
        self.assertTrue(password_matches(hashed, "  spaces inside and around  "))
        self.assertFalse(password_matches(hashed, "  spaces inside and around  \n"))
        self.assertFalse(password_matches(hashed, "spaces inside and around"))
        self.assertEqual(self.users(), {"alice": ("author", "-")})

    def test_a_windows_line_end_is_not_part_of_the_password(self):
        p = self.cli("user", "add", "bob", stdin="pass word\r\nsecond line\n")
        self.assertEqual(p.returncode, 0, p.err)
        self.assertTrue(password_matches(self.password_hash("bob"), "pass word"))

    def test_the_default_role_is_viewer_and_every_role_is_accepted(self):
        self.add_user("vera")
        for role in ("viewer", "author", "reviewer", "admin"):
            self.add_user("u-" + role, "pw", "--role", role)
        listed = self.users()
        self.assertEqual(listed["vera"][0], "viewer")
        for role in ("viewer", "author", "reviewer", "admin"):
            self.assertEqual(listed["u-" + role][0], role)

    def test_add_with_teams_makes_memberships(self):
        for team in ("payments", "sre"):
            self.assertEqual(self.cli("team", "add", team).returncode, 0)
        p = self.add_user("carol", "pw", "--team", "payments", "-t", "sre", "--role", "reviewer")
        self.assertIn("'payments'", p.out)
        self.assertEqual(self.users()["carol"], ("reviewer", "payments, sre"))
        self.assertEqual(self.teams(), {"payments": "carol", "sre": "carol"})

    def test_a_missing_team_is_an_error_and_adds_no_user(self):
        self.cli("team", "add", "payments")
        p = self.cli("user", "add", "dave", "--team", "payments", "--team", "ghosts", stdin="pw\n")
        self.assert_git_error(p, "no team 'ghosts'", "debrief team add ghosts")
        self.assertEqual(self.users(), {})
        self.assertEqual(self.teams(), {"payments": "-"})

    def test_a_taken_name_is_refused_and_keeps_the_old_password(self):
        self.add_user("erin", "first")
        p = self.cli("user", "add", "erin", "--role", "admin", stdin="second\n")
        self.assert_git_error(p, "user 'erin' already exists")
        self.assertTrue(password_matches(self.password_hash("erin"), "first"))
        self.assertEqual(self.users()["erin"][0], "viewer")

    def test_bad_names_are_refused(self):
        for name in ("has space", "a" * 65, "../etc", "ümlaut", "semi;colon", ""):
            with self.subTest(name=name):
                p = self.cli("user", "add", name, stdin="pw\n")
                self.assert_git_error(p, "cannot add user")
        self.add_user("a" * 64)
        self.add_user("ok.name_with-marks")
        self.assertEqual(sorted(self.users()), sorted(["a" * 64, "ok.name_with-marks"]))

    def test_empty_or_missing_passwords_are_refused(self):
        for stdin, words in (("\n", "empty"), ("", "no password"), ("\r\n", "empty"),
                             ("x" * 1025 + "\n", "longer than 1024")):
            with self.subTest(stdin=stdin[:10]):
                self.assert_git_error(self.cli("user", "add", "frank", stdin=stdin), words, "'frank'")
        self.assert_git_error(self.cli("user", "add", "frank", stdin=b"a\0b\n"), "NUL")
        self.assertEqual(self.users(), {})

    def test_passwd_sets_a_new_password(self):
        self.add_user("gina", "old password")
        p = self.cli("user", "passwd", "gina", stdin="new password\n")
        self.assertEqual(p.returncode, 0, p.err)
        hashed = self.password_hash("gina")
        self.assertTrue(password_matches(hashed, "new password"))
        self.assertFalse(password_matches(hashed, "old password"))
        self.assert_git_error(self.cli("user", "passwd", "gina", stdin="\n"), "empty")
        self.assertTrue(password_matches(self.password_hash("gina"), "new password"))
        self.assert_git_error(self.cli("user", "passwd", "nobody", stdin="pw\n"), "no user 'nobody'")

    def test_role_changes_the_role(self):
        self.add_user("hank")
        p = self.cli("user", "role", "hank", "admin")
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(p.out, "'hank' is now an admin\n")
        self.assertEqual(self.users()["hank"][0], "admin")
        self.assert_git_error(self.cli("user", "role", "hank", "boss"), "'boss'")
        self.assert_git_error(self.cli("user", "role", "nobody", "author"), "no user 'nobody'")
        self.assertEqual(self.users()["hank"][0], "admin")

    def test_token_prints_a_new_token_whose_hash_is_kept(self):
        self.add_user("ivy", "pw", "--role", "author")
        first = self.cli("user", "token", "ivy")
        second = self.cli("user", "token", "ivy", "--label", "ci")
        for p in (first, second):
            self.assertEqual(p.returncode, 0, p.err)
            self.assertRegex(p.out.rstrip("\n"), TOKEN)
            self.assertEqual(p.out.count("\n"), 1)
        tokens = [p.out.strip() for p in (first, second)]
        self.assertNotEqual(tokens[0], tokens[1])
        rows = self.query("SELECT u.name, t.label, t.token_hash FROM api_tokens t "
                          "JOIN users u ON u.id = t.user_id ORDER BY t.id")
        self.assertEqual([(r[0], r[1]) for r in rows], [("ivy", "debrief user token"), ("ivy", "ci")])
        for token, row in zip(tokens, rows):
            self.assertEqual(bytes(row[2]), hashlib.blake2b(token.encode(), digest_size=32).digest())
            self.assertNotIn(token.encode(), bytes(row[2]))
        self.assert_git_error(self.cli("user", "token", "nobody"), "no user 'nobody'")
        self.assert_git_error(self.cli("user", "token", "ivy", "--label", "x" * 65), "64 bytes")

    def test_a_token_signs_in_on_the_server(self):
        self.add_user("jack", "pw", "--role", "author")
        token = self.cli("user", "token", "jack").out.strip()
        server = Server(["--db", self.db])
        try:
            status, _, body = server.json("GET", "/api/v1/session",
                                          headers={"Authorization": "Bearer " + token})
            wrong = server.json("GET", "/api/v1/session",
                                headers={"Authorization": "Bearer dbf_" + "0" * 64})
        finally:
            self.assertEqual(server.stop(), 0)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["user"]["name"], "jack")
        self.assertEqual(body["user"]["role"], "author")
        self.assertEqual(wrong[0], 401, wrong[2])

    def test_list_is_sorted_by_name(self):
        for name in ("zoe", "adam", "mia"):
            self.add_user(name)
        self.assertEqual(list(self.users()), ["adam", "mia", "zoe"])

    def test_the_database_comes_from_debrief_db(self):
        env_db = os.path.join(self.dir, "from-env.db")
        p = run(["user", "add", "kim"], stdin="pw\n", env={"DEBRIEF_DB": "sqlite:" + env_db}, cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.err)
        with sqlite3.connect(env_db) as conn:
            self.assertEqual(conn.execute("SELECT name FROM users").fetchall(), [("kim",)])
        p = run(["user", "add", "lee"], stdin="pw\n", env={"DEBRIEF_DB": ""}, cwd=self.dir)
        self.assertEqual(p.returncode, 0, p.err)
        with sqlite3.connect(os.path.join(self.dir, "debrief.db")) as conn:
            self.assertEqual(conn.execute("SELECT name FROM users").fetchall(), [("lee",)])

    def test_a_database_that_cannot_be_opened(self):
        p = run(["user", "list", "--db", "sqlite:" + os.path.join(self.dir, "no", "such", "dir.db")])
        self.assert_git_error(p, "cannot open the database")
        self.assert_git_error(run(["user", "list", "--db", "mysql://x"]), "'mysql://x'")
        self.assert_git_error(run(["user", "list", "--db", ""]), "--db")

    def test_usage_errors(self):
        cases = [
            (["user"], "usage: debrief user"),
            (["user", "frob"], "'frob' is not a 'user' subcommand"),
            (["user", "add"], "needs a NAME"),
            (["user", "add", "a", "b"], "not also 'b'"),
            (["user", "list", "extra"], "'extra'"),
            (["user", "role", "x"], "needs a NAME and a ROLE"),
            (["user", "token", "x", "--role", "admin"], "does not take --role"),
            (["user", "passwd", "x", "--team", "t"], "does not take --team"),
            (["user", "add", "x", "--label", "t"], "does not take --label"),
            (["user", "add", "x", "--role", "boss"], "'boss'"),
            (["user", "add", "x", "--frob"], "unknown option '--frob'"),
            (["user", "add", "x", "--role"], "needs a value"),
        ]
        for args, words in cases:
            with self.subTest(args=args):
                p = run(args, stdin="pw\n", cwd=self.dir)
                self.assertEqual(p.returncode, 2, p.err)
                self.assertIn(words, p.err)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "debrief.db")),
                         "a usage error created the database")


class TerminalPasswordTest(AccountsTest):
    """On a terminal the password is asked twice, without echo."""

    def on_terminal(self, args, prompts_and_answers):
        """Runs debrief with a pseudo-terminal as standard input, typing each
        answer once its prompt has shown on standard error. Returns the exit
        status, standard output, standard error and what the terminal
        echoed."""
        master, slave = pty.openpty()
        proc = subprocess.Popen([DEBRIEF] + args + ["--db", self.db], stdin=slave,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=self.dir)
        os.close(slave)
        err = b""
        echoed = b""
        try:
            for prompt, answer in prompts_and_answers:
                deadline = time.time() + 20
                while prompt.encode() not in err:
                    if time.time() > deadline or proc.poll() is not None:
                        raise AssertionError("no prompt %r; stderr so far: %r" % (prompt, err))
                    if select.select([proc.stderr], [], [], 0.1)[0]:
                        err += os.read(proc.stderr.fileno(), 4096)
                err = err.replace(prompt.encode(), b"", 1) + b"[asked " + prompt.encode() + b"]"
                os.write(master, answer.encode() + b"\n")
            out, rest = proc.communicate(timeout=30)
            err += rest
            while select.select([master], [], [], 0.2)[0]:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                echoed += chunk
        finally:
            os.close(master)
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        return proc.returncode, out.decode(), err.decode(), echoed

    def test_asked_twice_without_echo(self):
        code, out, err, echoed = self.on_terminal(
            ["user", "add", "tess"], [("Password for 'tess': ", "hidden words"), ("Again: ", "hidden words")])
        self.assertEqual(code, 0, err)
        self.assertNotIn(b"hidden", echoed)
        self.assertNotIn("hidden", out + err)
        self.assertTrue(password_matches(self.password_hash("tess"), "hidden words"))

    def test_two_different_answers_change_nothing(self):
        self.add_user("uma", "kept")
        code, _, err, _ = self.on_terminal(["user", "passwd", "uma"],
                                           [("Password for 'uma': ", "one"), ("Again: ", "two")])
        self.assertEqual(code, 2)
        self.assertIn("the two passwords differ", err)
        self.assertTrue(password_matches(self.password_hash("uma"), "kept"))


class TeamTest(AccountsTest):
    def test_add_and_list(self):
        for team in ("sre", "payments"):
            p = self.cli("team", "add", team)
            self.assertEqual(p.returncode, 0, p.err)
            self.assertEqual(p.out, "added team '%s'\n" % team)
        self.assertEqual(self.teams(), {"payments": "-", "sre": "-"})
        self.assertEqual(list(self.teams()), ["payments", "sre"])

    def test_add_with_members(self):
        self.add_user("amy")
        self.add_user("ben")
        p = self.cli("team", "add", "search", "--member", "ben", "-m", "amy")
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(self.teams(), {"search": "amy, ben"})
        self.assertEqual(self.users()["amy"][1], "search")

    def test_an_unknown_member_adds_no_team(self):
        self.add_user("amy")
        p = self.cli("team", "add", "search", "--member", "amy", "--member", "ghost")
        self.assert_git_error(p, "no user 'ghost'")
        self.assertEqual(self.teams(), {})

    def test_a_taken_name_is_refused(self):
        self.cli("team", "add", "sre")
        self.assert_git_error(self.cli("team", "add", "sre"), "team 'sre' already exists")
        self.assertEqual(self.teams(), {"sre": "-"})

    def test_bad_names_are_refused(self):
        for name in ("two words", "x" * 65, "a/b", ""):
            with self.subTest(name=name):
                self.assert_git_error(self.cli("team", "add", name), "cannot add team")
        self.assertEqual(self.teams(), {})

    def test_add_member_and_remove_member(self):
        for name in ("amy", "ben", "cat"):
            self.add_user(name)
        self.cli("team", "add", "sre")
        p = self.cli("team", "add-member", "sre", "amy", "cat")
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(self.teams(), {"sre": "amy, cat"})
        self.assertEqual(self.cli("team", "add-member", "sre", "amy").returncode, 0)  # twice is fine
        p = self.cli("team", "remove-member", "sre", "amy")
        self.assertEqual(p.returncode, 0, p.err)
        self.assertEqual(self.teams(), {"sre": "cat"})
        self.assert_git_error(self.cli("team", "add-member", "ghosts", "amy"), "no team 'ghosts'")
        self.assert_git_error(self.cli("team", "add-member", "sre", "amy", "nobody"), "no user 'nobody'")
        self.assertEqual(self.teams(), {"sre": "cat"})

    def test_usage_errors(self):
        cases = [
            (["team"], "usage: debrief team"),
            (["team", "delete", "x"], "'delete' is not a 'team' subcommand"),
            (["team", "add"], "needs a NAME"),
            (["team", "add", "a", "b"], "not also 'b'"),
            (["team", "list", "--member", "x"], "does not take --member"),
            (["team", "add-member", "sre"], "at least one USER"),
            (["team", "add", "x", "--frob"], "unknown option '--frob'"),
        ]
        for args, words in cases:
            with self.subTest(args=args):
                p = run(args, cwd=self.dir)
                self.assertEqual(p.returncode, 2, p.err)
                self.assertIn(words, p.err)


def load_pgtmp():
    path = os.environ.get("DEBRIEF_PGTMP") or os.path.join(SOURCE, "tests", "pg", "pgtmp.py")
    if not os.path.exists(path):
        return None
    sys.path.insert(0, os.path.dirname(path))
    import pgtmp
    return pgtmp


class PostgresTest(TempDirTest):
    """The same commands on PostgreSQL, given with --db postgres://…"""

    @classmethod
    def setUpClass(cls):
        pgtmp = load_pgtmp()
        if pgtmp is None:
            raise unittest.SkipTest("tests/pg/pgtmp.py is missing")
        cls.pg = pgtmp.PgServer()
        cls.pg.start()

    @classmethod
    def tearDownClass(cls):
        cls.pg.stop()

    def test_users_teams_and_tokens(self):
        db = self.pg.create_database("accounts_%d" % os.getpid())
        self.assertEqual(run(["team", "add", "sre", "--db", db]).returncode, 0)
        p = run(["user", "add", "pat", "--role", "admin", "--team", "sre", "--db", db], stdin="pw\n")
        self.assertEqual(p.returncode, 0, p.err)
        self.assert_git_error(run(["user", "add", "pat", "--db", db], stdin="pw\n"), "already exists")
        self.assertRegex(run(["user", "token", "pat", "--db", db]).out.strip(), TOKEN)
        listing = run(["user", "list", "--db", db]).out
        self.assertRegex(listing, r"(?m)^pat\s+admin\s+sre$")
        self.assertRegex(run(["team", "list", "--db", db]).out, r"(?m)^sre\s+pat$")


if __name__ == "__main__":
    unittest.main()
