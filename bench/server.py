"""server.py: the team server's benchmark, for bench/run.

debrief serve, with the generated post mortems imported, answers wrk at 64
connections; Debian's nginx, started as the current user on a private port
from a temporary configuration, serves the very bytes debrief answered (saved
to a file) in the same run, and is the reference. Then revision saves with
parallel clients, and the server's memory after the load.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

HOST = "127.0.0.1"
PASSWORD = "bench-password-1"
CONNECTIONS = 64
WARM_UP = 2  # seconds of the same load before each measured run, not counted
P99_MS = 10.0  # the p99 latency target; a miss is explained by a note


class ServerError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        reply = conn.getresponse()
        return reply.status, reply.getheaders(), reply.read()
    finally:
        conn.close()


def wait_for(port, path, proc, what):
    for _ in range(300):
        if proc.poll() is not None:
            raise ServerError(f"{what} exited {proc.returncode} at start")
        try:
            if request(port, "GET", path)[0] < 500:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise ServerError(f"{what} did not answer on port {port}")


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sign_in(port, name):
    """The session cookie of NAME, through the sign-in form as a browser posts it."""
    token = secrets.token_hex(32)
    body = urllib.parse.urlencode({"name": name, "password": PASSWORD, "csrf_token": token})
    status, headers, text = request(port, "POST", "/signin", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": "debrief_form=" + token})
    for k, v in headers:
        m = re.match(r"\s*debrief_session=([^;]+)", v) if k.lower() == "set-cookie" else None
        if m:
            return "debrief_session=" + m.group(1)
    raise ServerError(f"sign-in answered {status} with no session: {text[:200]!r}")


def wrk(url, seconds, headers=()):
    """Requests per second, p99 latency in ms, the count of non-2xx answers, of
    requests wrk gave up on after its 2 s timeout (not in the latencies), and
    wrk's latency distribution as text ("50% 0.61ms, …, 99% 2.04ms, max 9.1ms")."""
    argv = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    for h in headers:
        argv += ["-H", h]
    out = subprocess.run(argv + [url], capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = re.search(r"Requests/sec:\s*([\d.]+)", out)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if not rps or not p99:
        raise ServerError(f"wrk printed no figures: {out[-400:]}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    late = re.search(r"Socket errors:.*timeout (\d+)", out)
    spread = [f"{q}% {v}" for q, v in re.findall(r"^\s*(50|75|90|99)%\s+(\S+)\s*$", out, re.M)]
    most = re.search(r"^\s*Latency\s+\S+\s+\S+\s+(\S+)", out, re.M)
    spread += [f"max {most.group(1)}"] if most else []
    return (float(rps.group(1)), float(p99.group(1)) * scale, int(bad.group(1)) if bad else 0,
            int(late.group(1)) if late else 0, ", ".join(spread))


class Nginx:
    """Debian's nginx serving ROOT on a private port, as the current user."""

    def __init__(self, root, work):
        self.root, self.work, self.port = root, work, free_port()

    def __enter__(self):
        os.makedirs(self.work, exist_ok=True)
        conf = os.path.join(self.work, "nginx.conf")
        user = "user root;\n" if os.getuid() == 0 else ""
        with open(conf, "w") as f:
            f.write(f"""{user}worker_processes auto;
daemon off;
pid {self.work}/nginx.pid;
error_log {self.work}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log {self.work}/access.log;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {self.work}/body;
    proxy_temp_path {self.work}/proxy;
    fastcgi_temp_path {self.work}/fastcgi;
    uwsgi_temp_path {self.work}/uwsgi;
    scgi_temp_path {self.work}/scgi;
    types {{ text/html html; application/json json; }}
    server {{
        listen {HOST}:{self.port};
        root {self.root};
    }}
}}
""")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen([nginx, "-e", os.path.join(self.work, "error.log"), "-p", self.work,
                                      "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.port, "/", self.proc, "nginx")
        return self

    def __exit__(self, *exc):
        stop(self.proc)


class Serve:
    """debrief serve on DB, on a private port; its log goes to a file, as a
    production server's would."""

    def __init__(self, debrief, db, work):
        self.debrief, self.db, self.work, self.port = debrief, db, work, free_port()

    def __enter__(self):
        self.log = open(os.path.join(self.work, "serve.log"), "wb")
        self.proc = subprocess.Popen([self.debrief, "serve", "--listen", f"{HOST}:{self.port}",
                                      "--db", self.db], stdout=self.log, stderr=self.log,
                                     cwd=self.work)
        wait_for(self.port, "/healthz", self.proc, "debrief serve")
        # The probe's log line may be written just after its answer; what is
        # measured from log_size() on must not count it.
        deadline = time.monotonic() + 10
        while slow_requests(self.log.name, 0, self.log_size(), 0.0)[0] == 0:
            if time.monotonic() > deadline:
                self.__exit__()
                raise ServerError("debrief serve logged no request in 10 s after answering one")
            time.sleep(0.01)
        return self

    def log_size(self):
        """Where the server's log ends now, in bytes."""
        return os.path.getsize(self.log.name)

    def memory(self):
        """(resident now, peak resident) in KiB, from /proc."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            status = dict(line.split(":", 1) for line in f if ":" in line)
        return int(status["VmRSS"].split()[0]), int(status["VmHWM"].split()[0])

    def __exit__(self, *exc):
        stop(self.proc)
        self.log.close()


def load(debrief, db, docs):
    """Teams, the user 'bench' (admin) and every post mortem under DOCS into DB;
    returns the import's wall time and an API token."""
    teams = set()
    for name in os.listdir(docs):
        if name.endswith(".md"):
            with open(os.path.join(docs, name), encoding="utf-8") as f:
                for line in f:
                    if line.startswith("owner_team:"):
                        teams.add(line.split(":", 1)[1].strip())
                        break
                    if line.startswith("# "):
                        break
    for team in sorted(teams | {"sre"}):
        subprocess.run([debrief, "team", "add", team, "--db", db], check=True, capture_output=True)
    subprocess.run([debrief, "user", "add", "bench", "--role", "admin", "--team", "sre", "--db", db],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    start = time.perf_counter()
    p = subprocess.run([debrief, "import", docs, "--team", "sre", "--db", db], capture_output=True,
                       text=True)
    seconds = time.perf_counter() - start
    if p.returncode != 0:
        raise ServerError(f"import exited {p.returncode}: {p.stderr[-400:]}")
    token = subprocess.run([debrief, "user", "token", "bench", "--label", "bench", "--db", db],
                           capture_output=True, text=True, check=True).stdout.strip()
    return seconds, token


def saves(port, token, ids, seconds):
    """Revision saves per second: one client per id, each saving its own post
    mortem again and again on top of its newest revision."""
    auth = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    done, failed = [0] * len(ids), [0] * len(ids)
    stop_at = time.perf_counter() + seconds

    def client(i, pm):
        status, _, body = request(port, "GET", f"/api/v1/postmortems/{pm}", headers=auth)
        if status != 200:
            failed[i] += 1
            return
        doc = json.loads(body)
        revision, markdown = doc["revision"], doc["markdown"]
        n = 0
        while time.perf_counter() < stop_at:
            n += 1
            text = markdown + f"\n<!-- bench save {n} -->\n"
            status, _, body = request(port, "PUT", f"/api/v1/postmortems/{pm}",
                                      body=json.dumps({"markdown": text, "base_revision": revision}),
                                      headers=auth)
            if status != 200:
                failed[i] += 1
                continue
            revision = json.loads(body)["revision"]
            done[i] += 1

    threads = [threading.Thread(target=client, args=(i, pm)) for i, pm in enumerate(ids)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return sum(done) / (time.perf_counter() - start), sum(failed)


def bench_backend(t, debrief, db, label, docs, work, seconds, fmt):
    """One backend: import, the pages and the API against nginx, saves, memory."""
    secs, mib = fmt
    import_s, token = load(debrief, db, docs)
    count = sum(1 for n in os.listdir(docs) if n.endswith(".md"))
    t.row(f"{label}: import {count} post mortems", secs(import_s), f"({count / import_s:.0f} docs/s)")
    ids = sorted(n[:-3] for n in os.listdir(docs) if n.endswith(".md"))
    pm = ids[len(ids) // 2]
    static = os.path.join(work, "static")
    os.makedirs(static, exist_ok=True)
    os.chmod(work, 0o755)
    os.chmod(static, 0o755)
    with Serve(debrief, db, work) as serve:
        cookie = sign_in(serve.port, "bench")
        before = serve.memory()
        targets = [("post mortem page", f"/postmortems/{pm}", "Cookie: " + cookie, "page.html", True),
                   ("list page", "/postmortems", "Cookie: " + cookie, "list.html", False),
                   ("search page (q=cache)", "/postmortems?q=cache", "Cookie: " + cookie,
                    "search.html", False),
                   ("API GET /api/v1/postmortems/ID", f"/api/v1/postmortems/{pm}",
                    "Authorization: Bearer " + token, "api.json", False)]
        for what, path, header, name, primary in targets:
            k, v = header.split(": ", 1)
            status, _, body = request(serve.port, "GET", path, headers={k: v})
            if status != 200:
                raise ServerError(f"GET {path} answered {status}: {body[:200]!r}")
            with open(os.path.join(static, name), "wb") as f:
                f.write(body)
            os.chmod(os.path.join(static, name), 0o644)
            # Each side is warmed with the same load first (WARM_UP seconds,
            # not counted): the figures are of a server serving, not of each
            # thread's first visit after a start (its caches empty).
            url = f"http://{HOST}:{serve.port}{path}"
            wrk(url, WARM_UP, [header])
            logged = serve.log_size()
            mine = wrk(url, seconds, [header])
            with Nginx(static, os.path.join(work, "nginx-" + name)) as ngx:
                wrk(f"http://{HOST}:{ngx.port}/{name}", WARM_UP)
                ref = wrk(f"http://{HOST}:{ngx.port}/{name}", seconds)
            if mine[2] or ref[2]:
                raise ServerError(f"{what}: {mine[2]} (debrief) and {ref[2]} (nginx) non-2xx answers")
            ratio = mine[0] / ref[0] if ref[0] else 0.0
            t.row(f"{label}: {what} ({len(body) / 1024:.0f} KiB), req/s vs nginx",
                  f"{mine[0]:,.0f}/s", f"{ref[0]:,.0f}/s", f"{ratio:.3f}x" if ratio < 0.1 else f"{ratio:.2f}x", ">= 0.75x", ratio >= 0.75)
            late = f", {mine[3]} timed out" if mine[3] else ""
            t.row(f"{label}: {what}, p99 latency", f"{mine[1]:.2f} ms{late}", f"{ref[1]:.2f} ms",
                  None, f"< {P99_MS:g} ms", mine[1] < P99_MS and not mine[3])
            if mine[1] >= P99_MS:
                t.note(f"{label} {what}: wrk's latencies {mine[4]}; " +
                       server_side(slow_requests(serve.log.name, logged, serve.log_size(), P99_MS)))
        clients = 8
        rate, failed = saves(serve.port, token, ids[:clients], seconds)
        t.row(f"{label}: revision saves, {clients} parallel clients", f"{rate:,.0f}/s",
              f"({failed} failed)", None, "no failure", failed == 0)
        after = serve.memory()
        t.row(f"{label}: server memory, idle and peak under load", mib(before[0]), mib(after[1]),
              f"{after[1] / before[0]:.2f}x" if before[0] else None, None, None)


def slow_requests(log, start, end, ms):
    """Of the requests debrief serve logged between bytes START and END of its
    log file LOG: how many, how many took MS or more by its own clock, the
    slowest (ms), and the times of the first and last of those (None when
    none did)."""
    with open(log, "rb") as f:
        f.seek(start)
        lines = f.read(end - start).splitlines()
    count, slow, slowest = 0, [], 0.0
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("event") != "request":
            continue
        count += 1
        took = float(entry.get("duration_ms", 0))
        slowest = max(slowest, took)
        if took >= ms:
            slow.append(entry.get("time", "?"))
    return count, len(slow), slowest, (slow[0], slow[-1]) if slow else None


def server_side(figures):
    """What the server's own log says of a measured load, as a note's text:
    FIGURES from slow_requests() with P99_MS."""
    count, slow, slowest, when = figures
    text = f"by the server's own clock {slow:,} of its {count:,} requests took {P99_MS:g} ms or more"
    if when:
        text += f" (the first at {when[0]}, the last at {when[1]})"
    return text + f", the slowest {slowest:.1f} ms"


def bench_server(t, debrief, work, gen, quick, fmt):
    count = 200 if quick else 10000
    seconds = 2 if quick else 10
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not os.access("/usr/sbin/" + tool, os.X_OK):
            raise ServerError(f"'{tool}' is missing (scripts/install-bench-deps installs it)")
    docs = os.path.join(work, "server-docs")
    gen(docs, count)
    t.section(f"Server: {count} post mortems, wrk -t2 -c{CONNECTIONS} -d{seconds}s --latency, "
              "nginx serving the same bytes as the reference")
    sq = os.path.join(work, "server-sqlite")
    os.makedirs(sq)
    bench_backend(t, debrief, "sqlite:" + os.path.join(sq, "debrief.db"), "SQLite", docs, sq, seconds, fmt)

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                    "tests", "pg"))
    from pgtmp import PgServer  # noqa: E402  the test suite's private PostgreSQL server
    pgw = os.path.join(work, "server-postgres")
    os.makedirs(pgw)
    with PgServer() as pg:
        url = pg.create_database("bench")
        bench_backend(t, debrief, url, "PostgreSQL", docs, pgw, seconds, fmt)
