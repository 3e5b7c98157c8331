"""test_serve.py: `debrief serve`, the HTTP server, against the real binary on
a free port of 127.0.0.1."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from common import DEBRIEF, GitStyle, run

HOST = "127.0.0.1"
# The environment variables that configure `debrief serve`.
CONFIG_ENV = ("DEBRIEF_LISTEN", "DEBRIEF_DB", "DEBRIEF_CONFIG", "DEBRIEF_REVIEW_HOURS", "DEBRIEF_APPROVALS",
              "DEBRIEF_REVIEW_SAME_TEAM", "DEBRIEF_COOKIE_SECURE", "DEBRIEF_SESSION_HOURS",
              "DEBRIEF_PROXY_USER_HEADER", "DEBRIEF_TRUSTED_PROXY", "DEBRIEF_TEST_CLOCK",
              "DEBRIEF_LINT_CONFIG")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """A `debrief serve` process on a free port; its log is kept in a file."""

    # A port found free can be taken before the server binds it (by another
    # test's server or by a client's ephemeral port): the server then exits
    # saying so, and is started again on another.
    PORT_ATTEMPTS = 5

    def __init__(self, args=(), env=None):
        """ARGS and ENV may be functions of the port, for a test that sets the
        address itself (DEBRIEF_LISTEN, a configuration file): no --listen
        is given then."""
        base_env = dict(os.environ)
        for name in CONFIG_ENV:
            base_env.pop(name, None)
        placed = callable(args) or callable(env)
        for attempt in range(self.PORT_ATTEMPTS):
            self.port = free_port()
            listen = [] if placed else ["--listen", "%s:%d" % (HOST, self.port)]
            full_env = dict(base_env)
            full_env.update((env(self.port) if callable(env) else env) or {})
            self.dir = tempfile.mkdtemp(prefix="debrief-serve-")
            self.log_path = os.path.join(self.dir, "stderr.log")
            self.log = open(self.log_path, "wb")
            self.final_log = None
            self.proc = subprocess.Popen([DEBRIEF, "serve"] + listen +
                                         list(args(self.port) if callable(args) else args), cwd=self.dir,
                                         env=full_env, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=self.log)
            if self._wait_listening():
                return
            taken = "address is in use" in self.stderr()
            self.stop()
            if not taken or attempt + 1 == self.PORT_ATTEMPTS:
                raise AssertionError("debrief serve exited with %d:\n%s" %
                                     (self.proc.returncode, self.final_log))

    def _wait_listening(self, seconds=10):
        """Waits until the server accepts connections on its port, having
        said it listens; False when it exited first."""
        deadline = time.time() + seconds
        while True:
            if self.proc.poll() is not None:
                return False
            if '"listening"' in self.stderr():
                try:
                    with socket.create_connection((HOST, self.port), timeout=1):
                        return True
                except OSError:
                    pass
            if time.time() > deadline:
                self.stop()
                raise AssertionError("debrief serve did not listen within %d s" % seconds)
            time.sleep(0.05)

    def request(self, method, path, body=None, headers=None):
        """One request on a new connection; returns (status, headers, body bytes)."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.headers, r.read()
        finally:
            conn.close()

    def json(self, method, path, body=None, headers=None):
        status, hdrs, data = self.request(method, path, body, headers)
        return status, hdrs, json.loads(data)

    def raw(self, data, read=True):
        """Sends bytes DATA on a new connection; returns what came back until
        the server closed it (or nothing after 5 s of silence)."""
        with socket.create_connection((HOST, self.port), timeout=5) as s:
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

    def stderr(self):
        if self.final_log is not None:
            return self.final_log
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def log_lines(self):
        return [json.loads(line) for line in self.stderr().splitlines() if line.strip()]

    def wait_log(self, found, seconds=10):
        """The log's lines once FOUND(lines) holds, or after SECONDS: a
        request's line is written after its answer, and the log once per
        turn of the server's event loop."""
        deadline = time.time() + seconds
        while True:
            lines = self.log_lines()
            if found(lines) or time.time() > deadline:
                return lines
            time.sleep(0.05)

    def listening_on(self):
        """The addresses of the log's "listening" lines."""
        return [line["listen"] for line in self.log_lines() if line.get("event") == "listening"]

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("debrief serve did not stop within %d s of signal %d" % (timeout, sig))
        if self.final_log is None:
            self.final_log = self.stderr()
            self.log.close()
            shutil.rmtree(self.dir, ignore_errors=True)
        return self.proc.returncode


def parse_metrics(text):
    """{(name, frozenset(labels)): value} from the Prometheus text format,
    failing on any line that is not a comment or a sample."""
    sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? '
                        r'(-?[0-9.eE+-]+|\+Inf|NaN)$')
    values = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        m = sample.match(line)
        if not m:
            raise AssertionError("not a Prometheus sample: %r" % line)
        labels = frozenset(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        values[(m.group(1), labels)] = float(m.group(3))
    return values


def metric(values, name, **labels):
    return values.get((name, frozenset(labels.items())), 0.0)


class ServeTest(unittest.TestCase, GitStyle):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, "debrief serve exited %d after SIGTERM:\n%s" % (code, cls.server.stderr())

    def assert_json_error(self, status, headers, body, want_status, code):
        self.assertEqual(status, want_status, body)
        self.assertEqual(headers.get("Content-Type"), "application/json")
        self.assertEqual(set(body), {"error"})
        self.assertEqual(set(body["error"]), {"code", "message"})
        self.assertEqual(body["error"]["code"], code)
        self.assertTrue(body["error"]["message"])

    def test_healthz(self):
        status, headers, body = self.server.json("GET", "/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("Content-Type"), "application/json")
        self.assertEqual(body["status"], "ok")
        self.assertEqual(body["db"], "sqlite:debrief.db")
        self.assertIsInstance(body["uptime_seconds"], int)
        for path in ("/healthz?probe=1", "/x/../healthz"):
            self.assertEqual(self.server.json("GET", path)[2]["status"], "ok", path)

    def test_head_answers_without_a_body(self):
        status, _, data = self.server.request("HEAD", "/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(data, b"")

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        conn = http.client.HTTPConnection(HOST, self.server.port, timeout=10)
        try:
            for _ in range(3):
                conn.request("GET", "/healthz")
                r = conn.getresponse()
                self.assertEqual(json.loads(r.read())["status"], "ok")
        finally:
            conn.close()

    def test_metrics_format_and_counters(self):
        # A server of its own: on the shared one, another test's last request
        # may be counted after `before` is read.
        server = Server()
        try:
            status, headers, data = server.request("GET", "/metrics")
            self.assertEqual(status, 200)
            self.assertTrue(headers.get("Content-Type").startswith("text/plain; version=0.0.4"))
            before = parse_metrics(data.decode())
            for _ in range(3):
                server.request("GET", "/healthz")
            server.request("GET", "/api/v1/no-such-thing")
            ok = dict(route="/healthz", method="GET", status="200")
            missing = dict(route="unmatched", method="GET", status="404")

            def counted(after, labels):
                return (metric(after, "debrief_http_requests_total", **labels) -
                        metric(before, "debrief_http_requests_total", **labels))

            # A request is counted when the server disposes of it, just after
            # its answer: the next request, on another thread, may come first.
            for _ in range(50):
                text = server.request("GET", "/metrics")[2].decode()
                after = parse_metrics(text)
                if counted(after, ok) >= 3 and counted(after, missing) >= 1:
                    break
                time.sleep(0.1)
            self.assertIn("# TYPE debrief_http_requests_total counter", text)
            self.assertIn("# TYPE debrief_http_request_duration_seconds histogram", text)
            self.assertEqual(counted(after, ok), 3)
            self.assertEqual(counted(after, missing), 1)
            self.assertGreaterEqual(
                metric(after, "debrief_http_request_duration_seconds_count", route="/healthz") -
                metric(before, "debrief_http_request_duration_seconds_count", route="/healthz"), 3)
            buckets = sorted(((float(dict(labels)["le"]), v) for (name, labels), v in after.items()
                              if name == "debrief_http_request_duration_seconds_bucket"
                              and dict(labels)["route"] == "/healthz"))
            counts = [v for _, v in buckets]
            self.assertEqual(counts, sorted(counts), "buckets are not cumulative")
            total = metric(after, "debrief_http_request_duration_seconds_count", route="/healthz")
            self.assertEqual(buckets[-1], (float("inf"), total))
            self.assertGreater(metric(after, "debrief_http_request_duration_seconds_sum", route="/healthz"), 0)
            self.assertGreaterEqual(metric(after, "debrief_http_connections_total"), 5)
        finally:
            self.assertEqual(server.stop(), 0)

    def test_unknown_routes_answer_404_json(self):
        for path in ("/api/v1/", "/api/v1/nothing", "/api/v1/postmortems/42/nope", "/healthz/x", "/metrics/x"):
            status, headers, body = self.server.json("GET", path)
            self.assert_json_error(status, headers, body, 404, "not_found")

    def test_unknown_pages_answer_404_html(self):
        for path in ("/nowhere", "/postmortems/x/y/z", "/static/../../etc/passwd", "/static/nope.css"):
            status, headers, data = self.server.request("GET", path)
            self.assertEqual(status, 404, path)
            self.assertEqual(headers.get("Content-Type"), "text/html; charset=utf-8", path)
            self.assertIn("default-src 'self'", headers.get("Content-Security-Policy") or "", path)
            text = data.decode()
            self.assertTrue(text.startswith("<!doctype html>"), text[:80])
            self.assertIn("<h1>Not found</h1>", text)

    def test_wrong_method_on_a_page_answers_405_html_with_allow(self):
        status, headers, data = self.server.request("DELETE", "/signin")
        self.assertEqual(status, 405)
        self.assertEqual(headers.get("Content-Type"), "text/html; charset=utf-8")
        self.assertEqual(headers.get("Allow"), "GET, HEAD, POST")
        self.assertIn(b"<!doctype html>", data)

    def test_wrong_method_answers_405_json_with_allow(self):
        for method, path in (("POST", "/healthz"), ("DELETE", "/metrics"), ("PUT", "/healthz")):
            status, headers, body = self.server.json(method, path, body=b"{}" if method != "DELETE" else None)
            self.assert_json_error(status, headers, body, 405, "method_not_allowed")
            self.assertEqual(headers.get("Allow"), "GET, HEAD")

    def test_body_over_16_mib_answers_413_json(self):
        raw = self.server.raw(b"POST /api/v1/postmortems HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                              % (16 * 1024 * 1024 + 1))
        head, _, body = raw.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 413 "), raw[:200])
        self.assertIn(b"content-type: application/json", head.lower())
        error = json.loads(body)["error"]
        self.assertEqual(error["code"], "payload_too_large")
        self.assertIn("16777216", error["message"])

    def test_body_under_the_limit_is_read(self):
        status, _, body = self.server.json("POST", "/healthz", body=b"x" * (1024 * 1024))
        self.assertEqual(status, 405)
        self.assertEqual(body["error"]["code"], "method_not_allowed")

    def test_bad_http_does_not_kill_the_server(self):
        bad = [
            b"\x00\xff\xfe garbage \x01\x02\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Huge: " + b"a" * 200000 + b"\r\n\r\n",
            b"GET /" + b"b" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            b"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot hex\r\n",
            b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            b"GET /healthz HTTP/9.9\r\n\r\n",
            b"\r\n" * 1000,
        ]
        for data in bad:
            answer = self.server.raw(data)
            if answer:
                self.assertTrue(answer.startswith(b"HTTP/1."), answer[:100])
                self.assertNotIn(b" 200 ", answer.split(b"\r\n")[0], data[:40])
            self.assertIsNone(self.server.proc.poll(), "the server died on %r" % data[:40])
            self.assertEqual(self.server.json("GET", "/healthz")[2]["status"], "ok")
        for _ in range(20):  # connections dropped half-way
            self.server.raw(b"GET /healthz HTTP/1.1\r\nHo", read=False)
        self.assertEqual(self.server.json("GET", "/healthz")[2]["status"], "ok")

    def test_access_log_has_one_json_line_per_request(self):
        self.server.request("GET", "/api/v1/logged?x=1", headers={"User-Agent": "serve-test"})
        self.server.raw(b"GET /api/v1/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")

        def logged(lines):
            return [l for l in lines if l.get("event") == "request" and l.get("path") == "/api/v1/logged?x=1"]

        def bad_path_logged(lines):
            return any(l.get("path", "").startswith("/api/v1/?") for l in lines)

        # Every line parses as JSON.
        lines = self.server.wait_log(lambda lines: logged(lines) and bad_path_logged(lines))
        self.assertEqual(len(logged(lines)), 1, lines[-5:])
        line = logged(lines)[0]
        self.assertEqual(line["method"], "GET")
        self.assertEqual(line["status"], 404)
        self.assertEqual(line["route"], "unmatched")
        self.assertEqual(line["remote"], HOST)
        self.assertEqual(line["user_agent"], "serve-test")
        self.assertGreater(line["bytes"], 0)
        self.assertGreaterEqual(line["duration_ms"], 0)
        self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertTrue(bad_path_logged(lines), "bad UTF-8 path not logged")

    def test_idle_request_times_out(self):
        with socket.create_connection((HOST, self.server.port), timeout=20) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            start = time.time()
            try:
                while s.recv(4096):
                    pass
            except ConnectionResetError:
                pass
            self.assertLess(time.time() - start, 15, "the server kept an idle request open")


class ConfigurationTest(unittest.TestCase, GitStyle):
    def test_db_option_is_reported(self):
        folder = tempfile.mkdtemp(prefix="debrief-serve-db-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        url = "sqlite:" + os.path.join(folder, "other.db")
        server = Server(["--db", url])
        try:
            self.assertEqual(server.json("GET", "/healthz")[2]["db"], url)
        finally:
            self.assertEqual(server.stop(), 0)

    def test_environment_configures_and_options_win(self):
        server = Server(env=lambda port: {"DEBRIEF_LISTEN": "%s:%d" % (HOST, port), "DEBRIEF_DB": "sqlite:env.db"})
        try:
            self.assertEqual(server.listening_on(), ["%s:%d" % (HOST, server.port)])
            self.assertEqual(server.json("GET", "/healthz")[2]["db"], "sqlite:env.db")
        finally:
            self.assertEqual(server.stop(), 0)
        server = Server(["--db", "sqlite:flag.db"], env={"DEBRIEF_DB": "sqlite:env.db"})
        try:
            self.assertEqual(server.json("GET", "/healthz")[2]["db"], "sqlite:flag.db")
        finally:
            self.assertEqual(server.stop(), 0)

    def test_port_in_use_exits_2(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((HOST, 0))
            s.listen(1)
            address = "%s:%d" % (HOST, s.getsockname()[1])
            p = run(["serve", "--listen", address], timeout=20)
            self.assert_git_error(p, address, "in use")

    def test_bad_listen_address_exits_2(self):
        for bad in ("nonsense", "127.0.0.1:", "127.0.0.1:99999", ":8080", "[::1]8080"):
            p = run(["serve", "--listen", bad], timeout=20)
            self.assert_git_error(p, "--listen", bad)

    def test_help_and_usage_errors(self):
        p = run(["serve", "--help"])
        self.assertEqual(p.returncode, 0)
        self.assertTrue(p.out.startswith("usage: debrief serve"))
        for word in ("--listen", "--db", "DEBRIEF_LISTEN", "DEBRIEF_DB", "127.0.0.1:8080", "sqlite:debrief.db",
                     "--config", "--review-hours", "--approvals", "--review-same-team", "--cookie-secure",
                     "--session-hours", "--proxy-user-header", "--trusted-proxy", "--test-clock",
                     "DEBRIEF_CONFIG", "DEBRIEF_TRUSTED_PROXY"):
            self.assertIn(word, p.out)
        self.assert_git_error(run(["serve", "--frobnicate"]), "--frobnicate")
        self.assert_git_error(run(["serve", "--listen"]), "--listen")
        self.assert_git_error(run(["serve", "extra"]), "'extra'")


def write(folder, name, text):
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def no_config_env(**extra):
    """The environment without any serve setting, plus EXTRA."""
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_ENV}
    env.update(extra)
    return env


class ConfigurationFileTest(unittest.TestCase, GitStyle):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="debrief-serve-config-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def db_of(self, server):
        try:
            return server.json("GET", "/healthz")[2]["db"]
        finally:
            self.assertEqual(server.stop(), 0)

    def test_flags_win_over_the_environment_which_wins_over_the_file(self):
        config = write(self.dir, "serve.yml", "db: sqlite:file.db\napprovals: 2\ntrusted-proxy:\n  - 10.0.0.1\n"
                       "  - ::1\n")
        self.assertEqual(self.db_of(Server(["--config", config])), "sqlite:file.db")
        self.assertEqual(self.db_of(Server(env={"DEBRIEF_CONFIG": config})), "sqlite:file.db")
        self.assertEqual(self.db_of(Server(["--config", config], env={"DEBRIEF_DB": "sqlite:env.db"})),
                         "sqlite:env.db")
        self.assertEqual(self.db_of(Server(["--config", config, "--db", "sqlite:flag.db"],
                                           env={"DEBRIEF_DB": "sqlite:env.db"})), "sqlite:flag.db")

    def test_the_file_can_set_the_address(self):
        server = Server(lambda port: ["--config", write(self.dir, "serve.yml", "listen: %s:%d\n" % (HOST, port))])
        try:
            self.assertEqual(server.listening_on(), ["%s:%d" % (HOST, server.port)])
            self.assertEqual(server.request("GET", "/healthz")[0], 200)
        finally:
            self.assertEqual(server.stop(), 0)

    def test_switches_from_flags_environment_and_file(self):
        def clock_status(server):
            try:
                return server.json("POST", "/api/v1/test/clock", body=b'{"advance_seconds":1}',
                                   headers={"Content-Type": "application/json"})[0]
            finally:
                self.assertEqual(server.stop(), 0)
        self.assertEqual(clock_status(Server()), 404)
        self.assertEqual(clock_status(Server(["--test-clock"])), 401)
        self.assertEqual(clock_status(Server(env={"DEBRIEF_TEST_CLOCK": "yes"})), 401)
        self.assertEqual(clock_status(Server(env={"DEBRIEF_TEST_CLOCK": "0"})), 404)
        on = write(self.dir, "on.yml", "test-clock: true\n")
        self.assertEqual(clock_status(Server(["--config", on])), 401)
        self.assertEqual(clock_status(Server(["--config", on], env={"DEBRIEF_TEST_CLOCK": "false"})), 404)

    def test_cookie_secure_from_the_file(self):
        config = write(self.dir, "serve.yml", "cookie-secure: yes\nsession-hours: 2\n")
        server = Server(["--config", config])
        try:
            account = json.dumps({"name": "root", "password": "password-123"}).encode()
            ctype = {"Content-Type": "application/json"}
            self.assertEqual(server.json("POST", "/api/v1/setup", body=account, headers=ctype)[0], 201)
            status, headers, body = server.json("POST", "/api/v1/session", body=account, headers=ctype)
            self.assertEqual(status, 200, body)
            cookie = headers.get("Set-Cookie")
            self.assertIn("; Secure", cookie)
            self.assertIn("HttpOnly", cookie)
        finally:
            self.assertEqual(server.stop(), 0)

    def test_bad_settings_exit_2_naming_the_setting(self):
        cases = [
            (["--approvals", "many"], {}, "--approvals"),
            (["--approvals", "-1"], {}, "--approvals"),
            (["--review-hours", "1.5"], {}, "--review-hours"),
            (["--session-hours", "0"], {}, "--session-hours"),
            ([], {"DEBRIEF_SESSION_HOURS": "forever"}, "DEBRIEF_SESSION_HOURS"),
            ([], {"DEBRIEF_COOKIE_SECURE": "maybe"}, "DEBRIEF_COOKIE_SECURE"),
            (["--proxy-user-header", "X-Remote-User"], {}, "--trusted-proxy"),
            (["--proxy-user-header", "X Remote", "--trusted-proxy", "10.0.0.1"], {}, "--proxy-user-header"),
            (["--trusted-proxy", "proxy.example"], {}, "--trusted-proxy"),
            ([], {"DEBRIEF_TRUSTED_PROXY": "10.0.0.1,nonsense"}, "DEBRIEF_TRUSTED_PROXY"),
            (sum([["--trusted-proxy", "10.0.0.%d" % i] for i in range(9)], []), {}, "8"),
            (["--config", os.path.join(self.dir, "missing.yml")], {}, "missing.yml"),
            (["--db", ""], {}, "--db"),
        ]
        for args, env, word in cases:
            p = run(["serve", "--listen", "%s:%d" % (HOST, free_port())] + args, env=no_config_env(**env),
                    cwd=self.dir, timeout=20)
            self.assert_git_error(p, word)
        self.assertEqual(os.listdir(self.dir), [], "a bad setting must not create the database")

    def test_bad_files_exit_2_with_the_line(self):
        cases = [
            ("approvals: 2\ncolour: blue\n", ["'colour'", "line 2"]),
            ("approvals: [1, 2]\n", ["'approvals'"]),
            ("approvals: lots\n", ["'approvals'", "serve.yml"]),
            ("- a list\n", ["mapping"]),
            ("approvals: 1\napprovals: 2\n", ["twice"]),
            ("key: [unclosed\n", ["YAML"]),
        ]
        for text, words in cases:
            config = write(self.dir, "serve.yml", text)
            p = run(["serve", "--listen", "%s:%d" % (HOST, free_port()), "--config", config],
                    env=no_config_env(), cwd=self.dir, timeout=20)
            self.assert_git_error(p, *words)

    def test_the_lint_configuration_applies_to_the_servers_reviews(self):
        text = ("# Checkout was slow\n\n## Summary\n\nThe WQM queue stalled.\n\n"
                "## Action items\n\n1. Add an alert on queue age.\n")

        def rules_fired(server):
            try:
                account = json.dumps({"name": "root", "password": "password-123"}).encode()
                ctype = {"Content-Type": "application/json"}
                self.assertEqual(server.json("POST", "/api/v1/setup", body=account, headers=ctype)[0], 201)
                status, headers, body = server.json("POST", "/api/v1/session", body=account, headers=ctype)
                self.assertEqual(status, 200, body)
                auth = dict(ctype, Cookie=headers["Set-Cookie"].split(";")[0],
                            **{"X-CSRF-Token": body["csrf_token"]})
                status, _, body = server.json("POST", "/api/v1/lint",
                                              body=json.dumps({"markdown": text}).encode(), headers=auth)
                self.assertEqual(status, 200, body)
                return {f["rule"]: f["severity"] for f in body["findings"]}
            finally:
                self.assertEqual(server.stop(), 0)

        plain = rules_fired(Server())
        self.assertIn("context/undefined-acronym", plain)
        self.assertIn("actions/no-priority", plain)
        self.assertEqual(plain.get("actions/no-owner"), "error")
        config = write(self.dir, "team.yml", "rules:\n  actions/no-owner: info\n  actions/no-priority: off\n"
                       "acronyms: [WQM]\n")
        for server in (Server(["--lint-config", config]),
                       Server(env={"DEBRIEF_LINT_CONFIG": config}),
                       Server(["--config", write(self.dir, "serve.yml", "lint-config: %s\n" % config)])):
            fired = rules_fired(server)
            self.assertNotIn("context/undefined-acronym", fired)
            self.assertNotIn("actions/no-priority", fired)
            self.assertEqual(fired.get("actions/no-owner"), "info")

    def test_a_bad_lint_configuration_exits_2_with_its_line(self):
        config = write(self.dir, "team.yml", "rules:\n  no/such-rule: error\n")
        for args in (["--lint-config", config], ["--lint-config", os.path.join(self.dir, "missing.yml")]):
            p = run(["serve", "--listen", "%s:%d" % (HOST, free_port())] + args, env=no_config_env(),
                    cwd=self.dir, timeout=20)
            self.assert_git_error(p, os.path.basename(args[1]))
        self.assertEqual(sorted(os.listdir(self.dir)), ["team.yml"], "nothing may be created")

    def test_a_database_that_cannot_be_opened_exits_2_without_its_password(self):
        for url, word in (("sqlite:%s/no/such/folder/x.db" % self.dir, "no/such/folder"),
                          ("mysql://localhost/x", "mysql"),
                          ("postgres://someone:hunter2secret@127.0.0.1:1/db", "127.0.0.1:1")):
            p = run(["serve", "--listen", "%s:%d" % (HOST, free_port()), "--db", url], env=no_config_env(),
                    cwd=self.dir, timeout=30)
            self.assert_git_error(p, "database", word)
            self.assertNotIn("hunter2secret", p.err)

    def test_healthz_reports_the_schema_and_hides_nothing_secret(self):
        server = Server()
        try:
            status, headers, body = server.json("GET", "/healthz")
            self.assertEqual(status, 200)
            self.assertEqual(body["status"], "ok")
            self.assertGreater(body["schema_version"], 0)
            self.assertEqual(headers.get("X-Content-Type-Options"), "nosniff")
            self.assertEqual(headers.get("X-Frame-Options"), "DENY")
            self.assertEqual(headers.get("Referrer-Policy"), "no-referrer")
            self.assertEqual(headers.get("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'")
            server.request("GET", "/healthz", headers={"Authorization": "Bearer dbf_tokensecret123",
                                                       "Cookie": "debrief_session=dbf_cookiesecret456"})
            metrics = parse_metrics(server.request("GET", "/metrics")[2].decode())
            self.assertEqual(metric(metrics, "debrief_db_errors_total"), 0)
        finally:
            self.assertEqual(server.stop(), 0)
        self.assertNotIn("tokensecret123", server.stderr())
        self.assertNotIn("cookiesecret456", server.stderr())


class ShutdownTest(unittest.TestCase):
    def test_sigterm_lets_a_request_in_flight_finish(self):
        server = Server()
        with socket.create_connection((HOST, server.port), timeout=10) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            # Connections are taken in the order they came: once /metrics
            # answers, the server holds this one too, and counts it open.
            deadline = time.time() + 10
            while metric(parse_metrics(server.request("GET", "/metrics")[2].decode()),
                         "debrief_http_connections") < 2:
                self.assertLess(time.time(), deadline, "the connection was never counted open")
                time.sleep(0.05)
            server.proc.send_signal(signal.SIGTERM)
            # Each event loop stops accepting when it sees the signal.
            deadline = time.time() + 10
            while True:
                try:
                    socket.create_connection((HOST, server.port), timeout=2).close()
                except OSError:
                    break
                self.assertLess(time.time(), deadline, "still accepting 10 s after SIGTERM")
                time.sleep(0.05)
            self.assertIsNone(server.proc.poll(), "exited with a request in flight")
            s.sendall(b"User-Agent: slow\r\n\r\n")
            answer = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200 "), answer)
        self.assertEqual(json.loads(body)["status"], "ok")
        self.assertEqual(server.stop(timeout=10), 0)
        # The line of a /metrics request may come after "stopping".
        events = [(l["event"], l.get("user_agent")) for l in server.log_lines() if l.get("path") != "/metrics"]
        self.assertEqual(events[-3:], [("stopping", None), ("request", "slow"), ("stopped", None)])

    def test_sigterm_does_not_wait_for_idle_keep_alive_connections(self):
        server = Server()
        with socket.create_connection((HOST, server.port), timeout=10) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertTrue(s.recv(4096).startswith(b"HTTP/1.1 200 "))
            start = time.time()
            self.assertEqual(server.stop(timeout=10), 0)
            # The request timeout (10 s) would be the wait if an idle
            # connection counted as work in flight.
            self.assertLess(time.time() - start, 5)
        self.assertEqual(server.log_lines()[-1]["event"], "stopped")

    def test_sigint_stops_an_idle_server(self):
        server = Server()
        server.request("GET", "/healthz")
        self.assertEqual(server.stop(signal.SIGINT, timeout=10), 0)


if __name__ == "__main__":
    unittest.main()
