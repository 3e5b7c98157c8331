"""harness.py: what the tests of the JSON API share.

Each test file runs the real `debrief serve` on a free port of 127.0.0.1, on
SQLite and on a private PostgreSQL server (tests/pg/pgtmp.py), and talks to
it over HTTP. tests/meson.build sets $DEBRIEF, $DEBRIEF_SOURCE and
$DEBRIEF_PGTMP; by hand:

    DEBRIEF=build/debrief DEBRIEF_PGTMP=tests/pg/pgtmp.py \\
        python3 tests/api/test_postmortems.py [-k NAME]

$DEBRIEF_TEST_BACKENDS=sqlite (or postgres, or both comma-separated) limits
the backends; $DEBRIEF_TEST_KEEP_LOGS=1 prints each server's log when its
class ends.

A test file:

    import os, sys
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    sys.path.insert(0, os.path.dirname(__file__))
    from harness import ApiCase, main, on_every_backend, postmortem

    @on_every_backend
    class TestLists(ApiCase):
        @classmethod
        def setUpClass(cls):
            super().setUpClass()          # server + admin, fresh database
            cls.team = cls.make_team("sre")
            cls.alice = cls.make_user("alice", "author", ["sre"])

        def test_list(self):
            alice = self.token_client(self.alice)
            pm = self.create_pm(alice, postmortem("db-outage", team="sre"))
            status, _, body = alice.get("/api/v1/postmortems")
            self.assertEqual(status, 200, body)

    if __name__ == "__main__":
        main()

`@on_every_backend` makes TestLists_sqlite and TestLists_postgres; the
class itself is a template that does not run. Every class gets its own
database and its own server, started in setUpClass and stopped (with the
PostgreSQL server, at exit) whatever happens; a watchdog kills a server whose
test process died by SIGKILL.

Also here: routes() reads src/serve/router.c's table, and sample_body() /
sample_path() make a valid request for each route (the cross-cutting tests
of every route use them); PUBLIC_PM and RESTRICTED_PM are ready-made texts.
"""

import atexit
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

DEBRIEF = os.environ.get("DEBRIEF", "debrief")
if os.sep in DEBRIEF:
    DEBRIEF = os.path.abspath(DEBRIEF)  # the server runs in its own folder
SOURCE = os.environ.get("DEBRIEF_SOURCE", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PGTMP = os.environ.get("DEBRIEF_PGTMP", os.path.join(SOURCE, "tests", "pg", "pgtmp.py"))
HOST = "127.0.0.1"
ALL_BACKENDS = ("sqlite", "postgres")
ADMIN_PASSWORD = "admin-password-1"
TIMEOUT = 30  # seconds for one request


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


_unique_counter = [0]


def unique(prefix="x"):
    """PREFIX-N, a name no other call in this process returns (for ids,
    users and teams of tests that share a class's database)."""
    with _live_lock:
        _unique_counter[0] += 1
        return "%s-%d" % (prefix, _unique_counter[0])


def query(path, **params):
    """PATH with PARAMS (None values left out) as its query string."""
    given = {k: v for k, v in params.items() if v is not None}
    return path + ("?" + urllib.parse.urlencode(given) if given else "")


# ---- Cleanup of everything started, even on failure or SIGTERM ----

_live = set()  # objects with a kill() method
_live_lock = threading.Lock()


def _track(thing):
    with _live_lock:
        _live.add(thing)


def _untrack(thing):
    with _live_lock:
        _live.discard(thing)


def _kill_everything():
    with _live_lock:
        things = list(_live)
        _live.clear()
    for thing in things:
        try:
            thing.kill()
        except Exception:  # cleanup must go on whatever one part does
            pass


atexit.register(_kill_everything)


def _on_signal(signum, frame):
    _kill_everything()
    sys.exit(128 + signum)


for _sig in (signal.SIGTERM, signal.SIGHUP):
    if signal.getsignal(_sig) in (signal.SIG_DFL, None):
        signal.signal(_sig, _on_signal)


# ---- The server ----

# Kills server PID and removes its folder when the test process dies without
# saying "done" on the pipe (killed by SIGKILL, say): no server outlives the
# tests.
_WATCHDOG = r"""
import os, shutil, signal, sys
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, signal.SIG_IGN)
if sys.stdin.read() != "done":
    try:
        os.kill(%d, signal.SIGKILL)
    except OSError:
        pass
    shutil.rmtree(%r, ignore_errors=True)
"""

class Server:
    """`debrief serve --db DB_URL --test-clock` (without it when TEST_CLOCK
    is false) on a free port; its standard error (the JSON log) is kept in a
    file until stop()."""

    # A port found free can be taken before the server binds it (by another
    # test's server or by a client's ephemeral port): the server then exits
    # saying so, and is started again on another.
    PORT_ATTEMPTS = 5

    def __init__(self, db_url, extra_args=(), env=None, test_clock=True):
        self.db_url = db_url
        full_env = dict(os.environ)
        for name in ("DEBRIEF_LISTEN", "DEBRIEF_DB"):
            full_env.pop(name, None)
        full_env.update(env or {})
        for attempt in range(self.PORT_ATTEMPTS):
            self._start(full_env, (["--test-clock"] if test_clock else []) + list(extra_args))
            try:
                self._wait_healthy()
                return
            except BaseException:
                taken = self.proc.poll() is not None and "address is in use" in self.stderr()
                self.kill()
                if not taken or attempt + 1 == self.PORT_ATTEMPTS:
                    raise

    def _start(self, full_env, extra_args):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="debrief-api-")
        self.log_path = os.path.join(self.dir, "stderr.log")
        self.final_log = None
        self.expected_exit = False
        self.args = [DEBRIEF, "serve", "--listen", "%s:%d" % (HOST, self.port), "--db", self.db_url] + extra_args
        self.log = open(self.log_path, "wb")
        self._watchdog = None
        self.proc = subprocess.Popen(self.args, cwd=self.dir, env=full_env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        _track(self)
        self._watchdog = subprocess.Popen([sys.executable, "-c", _WATCHDOG % (self.proc.pid, self.dir)],
                                          stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, start_new_session=True, text=True)

    def _wait_healthy(self, seconds=20):
        deadline = time.time() + seconds
        last = None
        while True:
            if self.proc.poll() is not None:
                raise AssertionError("%s exited with %d:\n%s" %
                                     (" ".join(self.args), self.proc.returncode, self.stderr()))
            # Only once this server says it listens: until then another
            # process on the port could answer for it.
            if '"listening"' not in self.stderr():
                last = "not listening yet"
                if time.time() > deadline:
                    raise AssertionError("debrief serve not listening within %d s:\n%s" %
                                         (seconds, self.stderr()))
                time.sleep(0.05)
                continue
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                try:
                    conn.request("GET", "/healthz")
                    r = conn.getresponse()
                    r.read()
                    if r.status == 200:
                        return
                    last = "status %d" % r.status
                finally:
                    conn.close()
            except OSError as e:
                last = str(e)
            if time.time() > deadline:
                raise AssertionError("debrief serve not healthy within %d s (%s):\n%s" %
                                     (seconds, last, self.stderr()))
            time.sleep(0.05)

    @property
    def base(self):
        return "http://%s:%d" % (HOST, self.port)

    def alive(self):
        return self.proc.poll() is None

    def healthy(self):
        """Is the process alive and /healthz answering 200?"""
        if not self.alive():
            return False
        try:
            return Client(self).get("/healthz")[0] == 200
        except OSError:
            return False

    def stderr(self):
        if self.final_log is not None:
            return self.final_log
        try:
            self.log.flush()
        except ValueError:
            pass
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def log_lines(self):
        """The log's lines parsed as JSON (a line that is not fails)."""
        return [json.loads(line) for line in self.stderr().splitlines() if line.strip()]

    def wait_log(self, found, seconds=10):
        """The log's lines once FOUND(lines) holds, or after SECONDS: the
        server writes its log once per turn of an event loop, and a
        request's line only after the answer."""
        deadline = time.time() + seconds
        while True:
            lines = self.log_lines()
            if found(lines) or time.time() > deadline:
                return lines
            time.sleep(0.05)

    def log_tail(self, lines=30):
        return "\n".join(self.stderr().splitlines()[-lines:])

    def _finish(self):
        if self.final_log is None:
            self.final_log = self.stderr()
            self.log.close()
            shutil.rmtree(self.dir, ignore_errors=True)
        if self._watchdog is not None:
            try:
                self._watchdog.communicate("done", timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self._watchdog.kill()
            self._watchdog = None
        _untrack(self)

    def stop(self, timeout=20):
        """SIGTERM, then SIGKILL after TIMEOUT seconds; returns the exit
        status (negative for a signal)."""
        self.expected_exit = True
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._finish()
        return self.proc.returncode

    def kill(self):
        """SIGKILL at once (a crash, for tests of what survives one)."""
        self.expected_exit = True
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._finish()
        return self.proc.returncode

    def client(self, **kw):
        return Client(self, **kw)


# ---- HTTP ----

class Reply(tuple):
    """(status, headers, body): body is parsed JSON when the answer is JSON,
    else bytes. Also reply.status, reply.headers, reply.body."""

    def __new__(cls, status, headers, body):
        return super().__new__(cls, (status, headers, body))

    status = property(lambda self: self[0])
    headers = property(lambda self: self[1])
    body = property(lambda self: self[2])

    def __repr__(self):
        body = self.body
        text = json.dumps(body) if not isinstance(body, bytes) else repr(body[:300])
        return "<%d %s>" % (self.status, text[:600])


class Client:
    """Requests to SERVER (a Server, or anything with .port), each on a new
    connection, as the holder of TOKEN (Authorization: Bearer) or of session
    COOKIE (with CSRF sent as X-CSRF-Token on writes), or as nobody.
    HEADERS are sent with every request (a trusted proxy's user header)."""

    def __init__(self, server, token=None, cookie=None, csrf=None, user=None, headers=None):
        self.server = server
        self.token = token
        self.cookie = cookie
        self.csrf = csrf
        self.user = user
        self.headers = dict(headers or {})

    def __repr__(self):
        how = "token" if self.token else "cookie" if self.cookie else "header" if self.headers else "nobody"
        return "<Client %s by %s>" % (self.user.name if self.user else "-", how)

    def on(self, server):
        """The same credentials sent to another SERVER."""
        return Client(server, self.token, self.cookie, self.csrf, self.user, self.headers)

    def request(self, method, path, json=None, raw=None, headers=None):
        """Sends METHOD PATH. JSON is encoded as the body; RAW (bytes or str)
        is sent as is. Content-Type is application/json when there is a body,
        unless HEADERS says otherwise; a header given as None is not sent.
        Returns a Reply (status, headers, body)."""
        send = {}
        body = None
        if json is not None:
            body = _json_dumps(json).encode()
        elif raw is not None:
            body = raw.encode() if isinstance(raw, str) else raw
        if body is not None:
            send["Content-Type"] = "application/json"
        if self.token:
            send["Authorization"] = "Bearer " + self.token
        if self.cookie:
            send["Cookie"] = "debrief_session=" + self.cookie
            if self.csrf and method not in ("GET", "HEAD"):
                send["X-CSRF-Token"] = self.csrf
        send["Connection"] = "close"
        for name, value in list(self.headers.items()) + list((headers or {}).items()):
            for old in [k for k in send if k.lower() == name.lower()]:
                del send[old]
            if value is not None:
                send[name] = value
        conn = http.client.HTTPConnection(HOST, self.server.port, timeout=TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=send)
            r = conn.getresponse()
            data = r.read()
            status, hdrs = r.status, r.headers
        finally:
            conn.close()
        ctype = (hdrs.get("Content-Type") or "").split(";")[0].strip()
        parsed = data
        if ctype == "application/json" and data:
            try:
                parsed = _json_loads(data)
            except ValueError:
                parsed = data
        return Reply(status, hdrs, parsed)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


_json_dumps = json.dumps
_json_loads = json.loads


def raw_http(server, data, read=True, timeout=10):
    """Sends bytes DATA on a new connection to SERVER; returns what came back
    until the server closed it (b"" when READ is false)."""
    with socket.create_connection((HOST, server.port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except OSError:
            pass
        if not read:
            return b""
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except (socket.timeout, ConnectionResetError):
            pass
        return out


# ---- Backends ----

def backends():
    """The backends to run on: $DEBRIEF_TEST_BACKENDS (comma-separated) or
    both."""
    wanted = os.environ.get("DEBRIEF_TEST_BACKENDS", "")
    names = [n.strip() for n in wanted.split(",") if n.strip()] or list(ALL_BACKENDS)
    for name in names:
        if name not in ALL_BACKENDS:
            raise SystemExit("DEBRIEF_TEST_BACKENDS: unknown backend %r (sqlite, postgres)" % name)
    return names


_pg = None
_pg_lock = threading.Lock()
_db_counter = [0]


class _PgHandle:
    """Stops the module's PostgreSQL server at exit or on a signal."""

    def __init__(self, server):
        self.server = server

    def kill(self):
        self.server.stop()


def postgres_server():
    """The PgServer of this process (one per test module), started at the
    first call and stopped at exit."""
    global _pg
    with _pg_lock:
        if _pg is None:
            folder = os.path.dirname(os.path.abspath(PGTMP))
            if folder not in sys.path:
                sys.path.insert(0, folder)
            from pgtmp import PgServer
            server = PgServer()
            handle = _PgHandle(server)
            _track(handle)
            try:
                server.start()
            except BaseException:
                _untrack(handle)
                try:
                    server.stop()
                except Exception:
                    pass
                raise
            _pg = server
        return _pg


class Database:
    """A fresh, empty database of BACKEND, named after TAG; url for --db."""

    def __init__(self, backend, tag):
        self.backend = backend
        self.dir = None
        _db_counter[0] += 1
        if backend == "sqlite":
            self.dir = tempfile.mkdtemp(prefix="debrief-api-db-")
            self.url = "sqlite:" + os.path.join(self.dir, "x.db")
        elif backend == "postgres":
            name = "t_%s_%d_%d" % (re.sub(r"[^a-z0-9]", "_", tag.lower())[:40], os.getpid(), _db_counter[0])
            self.url = postgres_server().create_database(name)
        else:
            raise ValueError("unknown backend %r" % backend)

    def drop(self):
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)


def on_every_backend(cls):
    """Class decorator: makes CLS_sqlite and CLS_postgres (those of
    backends()) in CLS's module; CLS itself becomes a template that is
    neither loaded nor run."""
    module = sys.modules[cls.__module__]
    for backend in backends():
        name = "%s_%s" % (cls.__name__, backend)
        made = type(name, (cls,), {"backend": backend, "_template": False, "__module__": cls.__module__,
                                   "__qualname__": name})
        setattr(module, name, made)
    cls._template = True
    if not hasattr(module, "load_tests"):
        module.load_tests = _load_tests_without_templates
    return cls


def _drop_templates(suite):
    kept = unittest.TestSuite()
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            kept.addTest(_drop_templates(test))
        elif not type(test).__dict__.get("_template", False):
            kept.addTest(test)
    return kept


def _load_tests_without_templates(loader, tests, pattern):
    return _drop_templates(tests)


def main():
    """unittest.main() for an API test file."""
    unittest.main(verbosity=2)


# ---- People ----

class User:
    """A user made by the tests, with the password to sign in."""

    def __init__(self, name, password, role, teams=()):
        self.name = name
        self.password = password
        self.role = role
        self.teams = list(teams)

    def __repr__(self):
        return "<User %s %s %s>" % (self.name, self.role, ",".join(self.teams))


def expect(reply, status, what):
    """Fails with the answer when REPLY's status is not STATUS."""
    if reply.status != status:
        raise AssertionError("%s: wanted %d, got %r" % (what, status, reply))
    return reply


def session_of(reply):
    """The debrief_session cookie's value set by REPLY, or None."""
    for header in reply.headers.get_all("Set-Cookie") or []:
        m = re.match(r"\s*debrief_session=([^;]*)", header)
        if m:
            return m.group(1)
    return None


# ---- The test case ----

class ApiCase(unittest.TestCase):
    """A TestCase with a server on a fresh database of cls.backend, an admin
    (cls.admin_user, and cls.admin: a Client with the admin's token) and
    helpers to make teams, users, clients and post mortems. Set
    server_args for extra `debrief serve` options."""

    backend = None
    server_args = ()
    _template = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.backend is None or cls.__dict__.get("_template", False):
            raise unittest.SkipTest("a template: runs as %s_sqlite and %s_postgres" % (cls.__name__, cls.__name__))
        cls._servers = []
        cls.database = Database(cls.backend, cls.__name__)
        cls.addClassCleanup(cls.database.drop)
        cls.addClassCleanup(cls._stop_servers)
        cls.db_url = cls.database.url
        cls.server = cls.start_server()
        cls.admin_user = User("admin", ADMIN_PASSWORD, "admin")
        expect(Client(cls.server).post("/api/v1/setup", {"name": "admin", "password": ADMIN_PASSWORD}),
               201, "POST /api/v1/setup")
        cls.admin = cls.token_client(cls.admin_user)

    @classmethod
    def start_server(cls, extra_args=None, env=None):
        """Another server on the class's database (stopped with the class)."""
        server = Server(cls.db_url, cls.server_args if extra_args is None else extra_args, env)
        cls._servers.append(server)
        return server

    @classmethod
    def _stop_servers(cls):
        problems = []
        for server in cls._servers:
            died = not server.alive() and not server.expected_exit
            running = server.alive()
            code = server.stop()
            if os.environ.get("DEBRIEF_TEST_KEEP_LOGS"):
                sys.stderr.write("---- log of %s\n%s\n" % (" ".join(server.args), server.final_log))
            if died or (running and code != 0):
                problems.append("debrief serve on %s ended with %d:\n%s" %
                                (server.db_url, code, "\n".join(server.final_log.splitlines()[-30:])))
        cls._servers = []
        if problems:
            raise AssertionError("\n".join(problems))

    def tearDown(self):
        for server in getattr(type(self), "_servers", []):
            if not server.alive() and not server.expected_exit:
                server.expected_exit = True  # report the crash once
                self.fail("debrief serve died (status %d) during %s:\n%s" %
                          (server.proc.returncode, self.id(), server.log_tail()))
        super().tearDown()

    # People

    @classmethod
    def make_team(cls, name):
        """Team NAME, made by the admin; returns NAME."""
        expect(cls.admin.post("/api/v1/teams", {"name": name}), 201, "POST /api/v1/teams %s" % name)
        return name

    @classmethod
    def make_user(cls, name, role="author", teams=(), password=None):
        """User NAME with ROLE in TEAMS (which must exist), made by the admin
        through POST /api/v1/users; returns a User."""
        user = User(name, password or "password-of-" + name, role, teams)
        expect(cls.admin.post("/api/v1/users",
                              {"name": name, "password": user.password, "role": role, "teams": list(teams)}),
               201, "POST /api/v1/users %s" % name)
        return user

    @classmethod
    def sign_in(cls, user, server=None):
        """POST /api/v1/session as USER: returns (Reply, session, csrf)."""
        reply = Client(server or cls.server).post("/api/v1/session",
                                                  {"name": user.name, "password": user.password})
        expect(reply, 200, "sign-in of %s" % user.name)
        return reply, session_of(reply), reply.body.get("csrf_token")

    @classmethod
    def session_client(cls, user, server=None):
        """A Client signed in as USER with a session cookie and its CSRF
        token."""
        _, session, csrf = cls.sign_in(user, server)
        if not session or not csrf:
            raise AssertionError("sign-in of %s gave no session cookie or csrf_token" % user.name)
        return Client(server or cls.server, cookie=session, csrf=csrf, user=user)

    @classmethod
    def token_client(cls, user, server=None):
        """A Client sending an API token of USER, made with POST
        /api/v1/tokens by USER (signed in with a session)."""
        session = cls.session_client(user, server)
        reply = expect(session.post("/api/v1/tokens", {"label": "tests"}), 201, "POST /api/v1/tokens")
        return Client(server or cls.server, token=reply.body["token"], user=user)

    @classmethod
    def anonymous(cls, server=None):
        return Client(server or cls.server)

    # Post mortems and time

    @classmethod
    def create_pm(cls, client, markdown, **fields):
        """POST /api/v1/postmortems {"markdown", **FIELDS} as CLIENT, which
        must answer 201; returns the new post mortem's id."""
        body = dict(fields)
        body["markdown"] = markdown
        reply = expect(client.post("/api/v1/postmortems", body), 201, "POST /api/v1/postmortems")
        return reply.body["id"]

    @classmethod
    def advance_clock(cls, seconds):
        """Moves the server's clock SECONDS forward (cumulative)."""
        expect(cls.admin.post("/api/v1/test/clock", {"advance_seconds": int(seconds)}), 200,
               "POST /api/v1/test/clock")

    # Checks

    def assert_error(self, reply, status, code=None):
        """REPLY is STATUS with {"error":{"code"[=CODE],"message"}}."""
        self.assertEqual(reply.status, status, reply)
        self.assertIsInstance(reply.body, dict, reply)
        self.assertIn("error", reply.body, reply)
        error = reply.body["error"]
        self.assertIsInstance(error.get("code"), str, reply)
        self.assertIsInstance(error.get("message"), str, reply)
        self.assertTrue(error["message"], reply)
        if code is not None:
            self.assertEqual(error["code"], code, reply)

    def assert_ok(self, reply, status=200):
        self.assertEqual(reply.status, status, reply)
        return reply.body


# ---- The routes of the server, read from src/serve/router.c ----

ROUTER = os.path.join(SOURCE, "src", "serve", "router.c")


class Route:
    """One row of router.c's table: METHOD, PATTERN ("/api/v1/postmortems/:id")
    and the C handler's name."""

    def __init__(self, method, pattern, handler):
        self.method = method
        self.pattern = pattern
        self.handler = handler
        self.params = [seg[1:] for seg in pattern.split("/") if seg.startswith(":")]

    def __repr__(self):
        return "%s %s" % (self.method, self.pattern)

    @property
    def of_postmortem(self):
        """Is it a route of one post mortem (/api/v1/postmortems/:id…)?"""
        return self.pattern.startswith("/api/v1/postmortems/:id")

    @property
    def writes(self):
        return self.method not in ("GET", "HEAD")

    def path(self, ctx, **override):
        """The pattern with each :param replaced by its value for this route
        from CTX (see param_key), or from OVERRIDE by param name; values are
        inserted as given (already escaped)."""
        out = []
        segs = self.pattern.split("/")
        for seg in segs:
            if seg.startswith(":"):
                name = seg[1:]
                key = param_key(self.pattern, name)
                value = override[name] if name in override else ctx.get(key, DEFAULT_PARAMS.get(key))
                if value is None:
                    raise KeyError(key)
                out.append(str(value))
            else:
                out.append(seg)
        return "/".join(out)


def param_key(pattern, name):
    """Which CTX key fills :NAME of PATTERN: "pm", "revision", "action",
    "grant_kind", "grant_name", "user", "team", "member", "token_id"."""
    if pattern.startswith("/api/v1/postmortems/:id"):
        if name == "id":
            return "pm"
        if "/attachments/" in pattern:
            return "attachment"
        if name == "number":
            return "action" if "/actions/" in pattern else "revision"
        if name == "kind":
            return "grant_kind"
        if name == "name":
            return "grant_name"
    if pattern.startswith("/api/v1/users/") and name == "name":
        return "user"
    if pattern.startswith("/api/v1/teams/"):
        return "team" if name == "name" else "member"
    if pattern.startswith("/api/v1/tokens/"):
        return "token_id"
    return name


# Path parameters a test's context need not give: an attachment's name, as
# one escaped segment (SAMPLE_ATTACHMENT_BYTES are its bytes).
SAMPLE_ATTACHMENT = "metrics%2Fsample.csv"
SAMPLE_ATTACHMENT_BYTES = b"time,value\n2026-03-10T14:00:00Z,1\n"
DEFAULT_PARAMS = {"attachment": SAMPLE_ATTACHMENT}


def routes(pages=False):
    """Every route of the JSON API (and the operations routes) in router.c,
    in its order; with PAGES, the web app's page routes too."""
    with open(ROUTER) as f:
        text = f.read()
    table = text[text.index("routes[] = {"):]
    table = table[:table.index("};")]
    found = [Route(*m) for m in re.findall(r'\{\s*"([A-Z]+)",\s*"([^"]+)",\s*(\w+)\s*\}', table)]
    if len(found) < 10:
        raise AssertionError("could not read the route table of %s" % ROUTER)
    if not pages:
        found = [r for r in found if r.pattern.startswith("/api/") or r.pattern in ("/healthz", "/metrics")]
    return found


def sample_body(route, ctx):
    """A valid JSON body for ROUTE with the values of CTX (see
    SAMPLE_BODIES); {} for a write route not in the table, None for a route
    that takes none."""
    make = SAMPLE_BODIES.get((route.method, route.pattern))
    if make is not None:
        return make(ctx)
    if (route.method, route.pattern) in NO_BODY:
        return None
    return {} if route.method in ("POST", "PUT", "PATCH") else None


def sample_path(route, ctx):
    """ROUTE's path filled from CTX, with the query of SAMPLE_QUERIES."""
    make = SAMPLE_QUERIES.get((route.method, route.pattern))
    return route.path(ctx) + ("?" + make(ctx) if make else "")


# A query for GET routes that need one to answer 200.
SAMPLE_QUERIES = {
    ("GET", "/api/v1/postmortems/:id/diff"): lambda c: "from=1&to=%d" % c.get("base_revision", 1),
}

# Write routes that take no JSON body: none at all, or a file's raw bytes
# (an attachment's upload: an empty body is an empty file).
NO_BODY = {
    ("PUT", "/api/v1/postmortems/:id/attachments/:name"),
    ("POST", "/api/v1/postmortems/:id/redacted"),
    ("DELETE", "/api/v1/session"),
    ("DELETE", "/api/v1/postmortems/:id/access/:kind/:name"),
    ("PUT", "/api/v1/teams/:name/members/:user"),
    ("DELETE", "/api/v1/teams/:name/members/:user"),
    ("DELETE", "/api/v1/tokens/:id"),
}

# Write routes whose body members are all optional: an empty body or {} is
# fine there.
OPTIONAL_BODY = {
    ("POST", "/api/v1/postmortems/:id/approvals"),
    ("POST", "/api/v1/tokens"),
}

# A valid body for each write route, from a CTX of names and ids
# (ctx["markdown"], ctx["base_revision"], ctx["owner_team"], …).
SAMPLE_BODIES = {
    ("POST", "/api/v1/setup"): lambda c: {"name": "second-admin", "password": "password-123"},
    ("POST", "/api/v1/session"): lambda c: {"name": c["user"], "password": c["password"]},
    ("POST", "/api/v1/test/clock"): lambda c: {"advance_seconds": 0},
    ("POST", "/api/v1/postmortems"): lambda c: {"markdown": postmortem(unique("sample")),
                                                "owner_team": c["owner_team"]},
    ("PUT", "/api/v1/postmortems/:id"): lambda c: {"markdown": c["markdown"],
                                                   "base_revision": c["base_revision"]},
    ("POST", "/api/v1/postmortems/:id/transitions"): lambda c: {"to": c.get("to", "review")},
    ("POST", "/api/v1/postmortems/:id/approvals"): lambda c: {"note": "reads well"},
    ("POST", "/api/v1/postmortems/:id/access"): lambda c: {"user": c["grant_name"]},
    ("PUT", "/api/v1/postmortems/:id/visibility"): lambda c: {"visibility": "restricted",
                                                              "reason": "customer data"},
    ("POST", "/api/v1/postmortems/:id/owners"): lambda c: {"team": c["owner_team"], "reason": "reorganised"},
    ("POST", "/api/v1/postmortems/:id/comments"): lambda c: {"body": "The timeline misses the page."},
    ("PUT", "/api/v1/postmortems/:id/actions/:number"): lambda c: {"status": "done",
                                                                   "link": "https://tickets.example/1"},
    ("POST", "/api/v1/lint"): lambda c: {"markdown": PUBLIC_PM},
    ("POST", "/api/v1/users"): lambda c: {"name": unique("sample-user"), "password": "password-123",
                                          "role": "viewer", "teams": []},
    ("PATCH", "/api/v1/users/:name"): lambda c: {"password": c["password"],
                                                 "current_password": c["password"]},
    ("POST", "/api/v1/teams"): lambda c: {"name": unique("sample-team")},
    ("POST", "/api/v1/tokens"): lambda c: {"label": "sample"},
}


# ---- Post mortems written for the tests ----

ACTIONS_TABLE_HEAD = ("| # | Action | Owner | Due | Priority | Lesson | Status | Link |\n"
                      "|---|---|---|---|---|---|---|---|\n")


def postmortem(slug, title=None, team=None, restricted=False, actions=None, severity="SEV2",
               service="checkout-api", tags=("deployment",), words="", started="2026-03-10"):
    """The Markdown of a small but complete post mortem SLUG (front matter
    `id`), owned by TEAM (front matter `owner_team`, left out when None),
    restricted when RESTRICTED, with ACTIONS: a list of (description,
    owner, due, status) — by default two items, one open and one done.
    WORDS go in the summary so search can find them."""
    title = title or "Checkout errors after the %s deploy" % slug
    if actions is None:
        actions = [("Add a canary stage to the checkout deploy", "@alice", "2026-04-01", "open"),
                   ("Alert on the checkout error rate above 2%", "@bob", "2026-03-20", "done")]
    lines = ["---", "id: %s" % slug, "title: %s" % _json_dumps(title), "status: draft", "severity: %s" % severity]
    if team:
        lines.append("owner_team: %s" % team)
    lines.append("visibility: %s" % ("restricted" if restricted else "public"))
    lines += ["services:", "  - %s" % service]
    if tags:
        lines.append("tags:")
        lines += ["  - %s" % t for t in tags]
    lines += ["timezone: UTC", "incident:",
              "  trigger: %sT14:02:00Z" % started,
              "  impact_start: %sT14:04:00Z" % started,
              "  detected: %sT14:15:00Z" % started,
              "  mitigated: %sT14:45:00Z" % started,
              "  resolved: %sT14:45:00Z" % started,
              "---", ""]
    body = """# {title}

## Summary

On {started} a deploy of {service} raised the checkout error rate to 12% for
41 minutes. {words}

## Impact

About 3,100 shoppers could not pay; no money was taken twice.

## Timeline

| Time (UTC) | Event |
|---|---|
| 14:02 | The deploy of {service} starts |
| 14:04 | Checkout errors rise to 12% |
| 14:15 | The error-rate alert pages the on-call engineer |
| 14:30 | The deploy is rolled back |
| 14:45 | Errors are back to the usual 0.1% |

## Root cause

The new build read a configuration key that the old schema did not have,
and every payment call failed its validation.

## Lessons learned

1. A deploy without a canary stage reaches every shopper at once.

## Action items

""".format(title=title, started=started, service=service, words=words)
    table = ACTIONS_TABLE_HEAD
    for i, (description, owner, due, status) in enumerate(actions, 1):
        table += "| %d | %s | %s | %s | P1 | #1 | %s | |\n" % (i, description, owner, due, status)
    return "\n".join(lines) + body + (table if actions else "None.\n")


# Ready-made texts: a public post mortem of no particular team, and a
# restricted one of team "payments" whose summary holds a secret word that
# search must never reveal to outsiders.
PUBLIC_PM = postmortem("2026-03-cdn-outage", title="CDN outage slows every page for 30 minutes",
                       service="cdn-edge", words="The edge cache was emptied.")
RESTRICTED_PM = postmortem("2026-04-card-leak", title="Card numbers logged by the fraud service",
                           team="payments", restricted=True, service="fraud-scoring", started="2026-04-03",
                           words="The word zanzibarquux is the secret search term.",
                           actions=[("Purge the fraud-service logs", "@carol", "2026-04-10", "open"),
                                    ("Scrub card numbers at the log shipper", "@dave", "2026-04-20", "open"),
                                    ("Rotate the affected keys", "@carol", "2026-04-05", "done")])
