#!/usr/bin/env python3
"""test_load.py: the team server under mixed load, then beside hundreds of
slow and idle connections.

Phase 1: CONNECTIONS keep-alive connections (asyncio, raw HTTP/1.1) send a
mix of signed-in pages (cookie), API reads, searches, lists and revision
saves for SECONDS; no answer may be 5xx, none may be lost, and the server's
VmRSS (sampled from /proc/PID/status) must stay flat once warm.
Phase 2: a few clients measure their latency alone, then again while SLOW
connections are held open (a third idle, a third sending a request's
headers one byte a second, a third sending a body one byte a second; any
the server closes is opened again at once); they must all be served, with
a p99 under a second.

    DEBRIEF=build/debrief python3 tests/load/test_load.py \\
        [--seconds 300] [--connections 200] [--slow 300] [--backend sqlite|postgres]

Exit status 0 when all holds, 1 otherwise (the reasons are printed), 2 for a
setup failure. --json FILE keeps the figures.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fault"))

from faultlib import PASSWORD, expect, harness, log, session_of, summary_json, vm_rss_kib  # noqa: E402
from faultlib import Client  # noqa: E402

HOST = "127.0.0.1"
WORDS = ["cache", "replica", "certificate", "deploy", "quota", "dns", "kafka", "throttle", "failover", "cron"]
REQUEST_TIMEOUT = 30.0
# Share of each kind of request in phase 1.
MIX = [("page_view", 22), ("page_list", 8), ("page_search", 5), ("api_get", 18), ("api_list", 8),
       ("api_search", 10), ("api_revisions", 5), ("page_actions", 4), ("save", 20)]


class Seeded:
    """The people and post mortems the load works on."""

    def __init__(self, server, authors, postmortems, rng):
        expect(Client(server).post("/api/v1/setup", {"name": "admin", "password": PASSWORD}), 201, "setup")
        admin = self.token_of(server, "admin")[1]
        expect(admin.post("/api/v1/teams", {"name": "sre"}), 201, "team")
        self.cookies, self.tokens = [], []
        for i in range(authors):
            name = "author%d" % i
            expect(admin.post("/api/v1/users", {"name": name, "password": PASSWORD, "role": "author",
                                                "teams": ["sre"]}), 201, "user")
            cookie, client = self.token_of(server, name)
            self.cookies.append(cookie)
            self.tokens.append(client.token)
        self.pms = []
        for i in range(postmortems):
            slug = "load-%d" % i
            text = markdown(slug, rng)
            reply = expect(Client(server, token=self.tokens[i % authors]).post(
                "/api/v1/postmortems", {"markdown": text}), 201, "create")
            self.pms.append(reply.body["id"])

    @staticmethod
    def token_of(server, name):
        reply = expect(Client(server).post("/api/v1/session", {"name": name, "password": PASSWORD}), 200, "sign-in")
        cookie = session_of(reply)
        session = Client(server, cookie=cookie, csrf=reply.body.get("csrf_token"))
        token = expect(session.post("/api/v1/tokens", {"label": "load"}), 201, "token").body["token"]
        return cookie, Client(server, token=token)


def markdown(slug, rng):
    words = " ".join(rng.sample(WORDS, 3))
    note = rng.randbytes(120).hex()
    return harness.postmortem(slug, team="sre", words="It involved %s. Note %s." % (words, note))


# ---- HTTP/1.1 on asyncio streams ----

class Closed(Exception):
    """The server closed the connection or did not answer in time."""


async def read_response(reader):
    """(status, headers, body) of one response; Closed when the connection
    ends first."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError) as e:
        raise Closed("no response: %s" % type(e).__name__)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    try:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = b""
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    break
                body += await reader.readexactly(size)
                await reader.readexactly(2)
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        else:
            body = await reader.read()
    except (asyncio.IncompleteReadError, ConnectionError) as e:
        raise Closed("short body: %s" % type(e).__name__)
    return status, headers, body


class Conn:
    """One keep-alive connection, opened again when the server closes it."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None
        self.opened = 0

    async def request(self, method, path, headers, body=b""):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port, limit=1 << 24)
            self.opened += 1
        head = "%s %s HTTP/1.1\r\nHost: %s:%d\r\n" % (method, path, HOST, self.port)
        for k, v in headers.items():
            head += "%s: %s\r\n" % (k, v)
        if body or method in ("POST", "PUT"):
            head += "Content-Length: %d\r\n" % len(body)
        self.writer.write(head.encode() + b"\r\n" + body)
        try:
            await self.writer.drain()
            status, hdrs, data = await asyncio.wait_for(read_response(self.reader), REQUEST_TIMEOUT)
        except (ConnectionError, Closed, asyncio.TimeoutError):
            self.close()
            raise
        if hdrs.get("connection", "").lower() == "close":
            self.close()
        return status, hdrs, data

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Stats:
    def __init__(self):
        self.latency = {}      # kind -> [seconds]
        self.status = {}       # status -> count
        self.by_kind = {}      # kind -> {status: count}
        self.errors = {}       # what -> count (no answer, timeouts)
        self.samples_5xx = []

    def add(self, kind, status, seconds):
        self.latency.setdefault(kind, []).append(seconds)
        self.status[status] = self.status.get(status, 0) + 1
        k = self.by_kind.setdefault(kind, {})
        k[status] = k.get(status, 0) + 1

    def error(self, what):
        self.errors[what] = self.errors.get(what, 0) + 1

    def all_latencies(self):
        return sorted(x for v in self.latency.values() for x in v)

    def requests(self):
        return sum(self.status.values())


def pct(sorted_values, p):
    if not sorted_values:
        return None
    i = min(len(sorted_values) - 1, int(round(p / 100.0 * (len(sorted_values) - 1))))
    return sorted_values[i]


def ms(x):
    return None if x is None else round(x * 1000, 2)


# ---- Phase 1: the mixed load ----

async def mixed_client(n, port, seeded, deadline, stats, rng, kinds):
    conn = Conn(port)
    own = seeded.pms[n % len(seeded.pms)]
    base = None
    cookie = "debrief_session=" + seeded.cookies[n % len(seeded.cookies)]
    token = seeded.tokens[(n * 7) % len(seeded.tokens)]
    owner_token = seeded.tokens[(n % len(seeded.pms)) % len(seeded.tokens)]
    while time.monotonic() < deadline:
        kind = rng.choice(kinds)
        pm = rng.choice(seeded.pms)
        word = rng.choice(WORDS)
        body = b""
        method = "GET"
        headers = {"Cookie": cookie} if kind.startswith("page_") else {"Authorization": "Bearer " + token}
        if kind == "page_view":
            path = "/postmortems/" + pm
        elif kind == "page_list":
            path = "/postmortems"
        elif kind == "page_search":
            path = "/postmortems?" + urllib.parse.urlencode({"q": word})
        elif kind == "page_actions":
            path = "/actions"
        elif kind == "api_get":
            path = "/api/v1/postmortems/" + pm
        elif kind == "api_list":
            path = "/api/v1/postmortems?limit=50"
        elif kind == "api_search":
            path = "/api/v1/postmortems?" + urllib.parse.urlencode({"q": word})
        elif kind == "api_revisions":
            path = "/api/v1/postmortems/%s/revisions" % pm
        else:
            if base is None:
                try:
                    status, _, data = await conn.request("GET", "/api/v1/postmortems/%s/revisions" % own,
                                                         {"Authorization": "Bearer " + owner_token})
                except (ConnectionError, Closed, asyncio.TimeoutError, OSError) as e:
                    stats.error("save base: %s" % type(e).__name__)
                    continue
                if status != 200:
                    stats.error("save base: status %d" % status)
                    continue
                base = json.loads(data)["items"][-1]["revision"]
            method = "PUT"
            path = "/api/v1/postmortems/" + own
            headers = {"Authorization": "Bearer " + owner_token, "Content-Type": "application/json"}
            body = json.dumps({"markdown": markdown(own, rng), "base_revision": base}).encode()
        started = time.monotonic()
        try:
            status, hdrs, data = await conn.request(method, path, headers, body)
        except asyncio.TimeoutError:
            stats.error("%s: no answer within %.0f s" % (kind, REQUEST_TIMEOUT))
            continue
        except (ConnectionError, Closed, OSError) as e:
            stats.error("%s: connection lost (%s)" % (kind, e))
            continue
        stats.add(kind, status, time.monotonic() - started)
        if status >= 500 and len(stats.samples_5xx) < 20:
            stats.samples_5xx.append("%s %s -> %d %r" % (method, path, status, data[:200]))
        if kind == "save":
            if status == 200:
                base = json.loads(data)["revision"]
            elif status == 409:
                base = None


async def sample_memory(pid, every, deadline, samples, t0):
    while time.monotonic() < deadline:
        try:
            samples.append((round(time.monotonic() - t0, 1), vm_rss_kib(pid)))
        except OSError:
            samples.append((round(time.monotonic() - t0, 1), None))
            return
        await asyncio.sleep(every)


async def phase_mixed(port, pid, seeded, seconds, connections, every, rng, without=()):
    stats = Stats()
    kinds = [k for k, w in MIX for _ in range(w) if k not in without]
    t0 = time.monotonic()
    deadline = t0 + seconds
    samples = []
    tasks = [asyncio.create_task(mixed_client(i, port, seeded, deadline, stats, random.Random(rng.random()), kinds))
             for i in range(connections)]
    tasks.append(asyncio.create_task(sample_memory(pid, every, deadline + every / 2, samples, t0)))
    await asyncio.gather(*tasks)
    samples.append((round(time.monotonic() - t0, 1), vm_rss_kib(pid)))
    return stats, time.monotonic() - t0, samples


# ---- Phase 2: slow and idle connections ----

class SlowCounts:
    def __init__(self):
        self.open = 0
        self.opened = 0
        self.closed_by_server = 0
        self.refused = 0
        self.held_seconds = []   # how long each closed one was held before the server closed it
        self.answers = {}        # what the server said before closing: status line -> count


async def slow_connection(mode, port, until, counts):
    """Holds one connection in MODE ("idle", "headers", "body") until UNTIL,
    opening it again whenever the server closes it."""
    while time.monotonic() < until:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            counts.refused += 1
            await asyncio.sleep(1)
            continue
        counts.open += 1
        counts.opened += 1
        opened = time.monotonic()
        pending = asyncio.ensure_future(reader.read(4096))
        try:
            if mode == "headers":
                writer.write(b"GET /postmortems HTTP/1.1\r\nHost: x\r\n")
            elif mode == "body":
                writer.write(b"POST /api/v1/lint HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 1000000\r\n\r\n{\"markdown\":\"")
            await writer.drain()
            while time.monotonic() < until and not pending.done():
                await asyncio.wait([pending], timeout=1.0)
                if pending.done():
                    break
                if mode == "headers":
                    writer.write(b"X")
                elif mode == "body":
                    writer.write(b"a")
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        counts.open -= 1
        if pending.done() or time.monotonic() < until:
            counts.closed_by_server += 1
            counts.held_seconds.append(time.monotonic() - opened)
            said = b""
            if pending.done() and not pending.cancelled() and pending.exception() is None:
                said = pending.result()
            line = said.split(b"\r\n", 1)[0].decode("latin-1")[:40] or "(closed, nothing said)"
            counts.answers[line] = counts.answers.get(line, 0) + 1
        else:
            pending.cancel()
        writer.close()


async def measured_clients(port, seeded, seconds, clients, rng):
    stats = Stats()
    kinds = ["page_view", "page_list", "api_get", "api_search", "save"]
    deadline = time.monotonic() + seconds
    await asyncio.gather(*[mixed_client(1000 + i, port, seeded, deadline, stats, random.Random(rng.random()), kinds)
                           for i in range(clients)])
    return stats


async def phase_slow(port, seeded, slow, seconds, clients, rng):
    baseline = await measured_clients(port, seeded, min(10.0, seconds / 2), clients, rng)
    counts = SlowCounts()
    settle = 3.0
    until = time.monotonic() + settle + seconds
    modes = ("idle", "headers", "body")
    holders = [asyncio.create_task(slow_connection(modes[i % 3], port, until, counts)) for i in range(slow)]
    await asyncio.sleep(settle)
    open_at_start = counts.open
    during = await measured_clients(port, seeded, seconds, clients, rng)
    open_at_end = counts.open
    await asyncio.gather(*holders)
    return baseline, during, counts, open_at_start, open_at_end


# ---- Judgement and report ----

def latency_summary(stats):
    lat = stats.all_latencies()
    return {"requests": len(lat), "p50_ms": ms(pct(lat, 50)), "p90_ms": ms(pct(lat, 90)),
            "p99_ms": ms(pct(lat, 99)), "max_ms": ms(lat[-1] if lat else None),
            "statuses": {str(k): v for k, v in sorted(stats.status.items())}, "errors": stats.errors}


def memory_verdict(samples, cache_mb):
    """(figures, problem or None): flat means no growth past warm-up beyond
    what the page cache may still take (its cap) and a quarter of the warm
    size; a leak of even a few hundred bytes a request shows far beyond."""
    kib = [(t, v) for t, v in samples if v is not None]
    if len(kib) < 3:
        return {"samples": kib}, "too few memory samples"
    warm_i = max(1, len(kib) // 5)
    warm = kib[warm_i][1]
    tail = [v for _, v in kib[-max(1, len(kib) // 3):]]
    half = kib[len(kib) // 2:]
    slope = 0.0
    if len(half) >= 2:
        ts = [t for t, _ in half]
        vs = [v for _, v in half]
        mt, mv = statistics.fmean(ts), statistics.fmean(vs)
        den = sum((t - mt) ** 2 for t in ts)
        slope = sum((t - mt) * (v - mv) for t, v in zip(ts, vs)) / den * 60 / 1024 if den else 0.0
    figures = {"first_kib": kib[0][1], "warm_kib": warm, "max_kib": max(v for _, v in kib),
               "last_kib": kib[-1][1], "second_half_slope_mib_per_min": round(slope, 2),
               "samples": kib}
    limit = warm + cache_mb * 1024 + warm // 4
    if max(tail) > limit:
        return figures, ("memory grew from %d KiB when warm to %d KiB at the end (limit %d KiB)"
                         % (warm, max(tail), limit))
    return figures, None


def run(args):
    rng = random.Random(args.seed)
    database = harness.Database(args.backend, "load")
    server = harness.Server(database.url, ["--cache-mb", str(args.cache_mb)])
    problems = []
    result = {"backend": args.backend, "seconds": args.seconds, "connections": args.connections,
              "slow_connections": args.slow, "seed": args.seed, "without": args.without}
    try:
        pms = max(args.postmortems, args.connections)
        log("seeding %d post mortems" % pms)
        seeded = Seeded(server, 10, pms, rng)
        rss_start = vm_rss_kib(server.proc.pid)
        log("phase 1: %d connections for %d s (VmRSS %d KiB)" % (args.connections, args.seconds, rss_start))
        stats, took, samples = asyncio.run(phase_mixed(server.port, server.proc.pid, seeded, args.seconds,
                                                       args.connections, args.sample, rng, args.without))
        mixed = latency_summary(stats)
        mixed["requests_per_second"] = round(stats.requests() / took, 1)
        mixed["by_kind"] = {k: {"requests": sum(v.values()),
                                "statuses": {str(s): c for s, c in sorted(v.items())},
                                "p50_ms": ms(pct(sorted(stats.latency[k]), 50)),
                                "p99_ms": ms(pct(sorted(stats.latency[k]), 99))}
                            for k, v in sorted(stats.by_kind.items())}
        memory, memory_problem = memory_verdict(samples, args.cache_mb)
        result["mixed"] = mixed
        result["memory"] = memory
        log("phase 1: %d requests (%.0f/s), statuses %s, errors %s, p50 %s ms, p99 %s ms"
            % (mixed["requests"], mixed["requests_per_second"], mixed["statuses"], mixed["errors"],
               mixed["p50_ms"], mixed["p99_ms"]))
        log("memory (KiB): first %d, warm %d, max %d, last %d; slope over the second half %.2f MiB/min"
            % (memory["first_kib"], memory["warm_kib"], memory["max_kib"], memory["last_kib"],
               memory["second_half_slope_mib_per_min"]))
        bad = {s: c for s, c in stats.status.items() if s >= 500}
        if bad:
            problems.append("phase 1: %d answers were 5xx %s, e.g. %s" % (sum(bad.values()), bad,
                                                                       stats.samples_5xx[:3]))
        other = {s: c for s, c in stats.status.items() if s not in (200,) and s < 500}
        if other:
            problems.append("phase 1: answers other than 200: %s (by kind: %s)"
                            % (other, {k: v for k, v in stats.by_kind.items() if set(v) - {200}}))
        if stats.errors:
            problems.append("phase 1: requests without an answer: %s" % stats.errors)
        if memory_problem and not os.environ.get("DEBRIEF_SANITIZED"):
            problems.append("phase 1: " + memory_problem)
        if not server.alive():
            problems.append("the server died during phase 1")
        if args.slow:
            log("phase 2: %d slow connections for %d s beside %d clients" % (args.slow, args.slow_seconds,
                                                                               args.slow_clients))
            baseline, during, counts, open_start, open_end = asyncio.run(
                phase_slow(server.port, seeded, args.slow, args.slow_seconds, args.slow_clients, rng))
            result["slow"] = {
                "baseline": latency_summary(baseline), "during": latency_summary(during),
                "held_open_at_start": open_start, "held_open_at_end": open_end,
                "opened": counts.opened, "closed_by_server": counts.closed_by_server, "refused": counts.refused,
                "held_before_server_closed_s": (
                    {"min": round(min(counts.held_seconds), 1), "max": round(max(counts.held_seconds), 1)}
                    if counts.held_seconds else None),
                "server_said_before_closing": counts.answers}
            s = result["slow"]
            log("phase 2: alone p50 %s ms p99 %s ms (%d requests); with %d slow connections held (%d at the end, "
                "%d closed by the server, %d refused) p50 %s ms p99 %s ms max %s ms (%d requests), statuses %s"
                % (s["baseline"]["p50_ms"], s["baseline"]["p99_ms"], s["baseline"]["requests"], open_start,
                   open_end, counts.closed_by_server, counts.refused, s["during"]["p50_ms"], s["during"]["p99_ms"],
                   s["during"]["max_ms"], s["during"]["requests"], s["during"]["statuses"]))
            if counts.answers:
                log("phase 2: the server closed slow connections saying %s after %s s"
                    % (counts.answers, s["held_before_server_closed_s"]))
            if during.errors or baseline.errors:
                problems.append("phase 2: requests without an answer: %s %s" % (baseline.errors, during.errors))
            if set(during.status) - {200} or set(baseline.status) - {200}:
                problems.append("phase 2: answers other than 200: %s" % during.status)
            if during.requests() < max(20, baseline.requests() // 10):
                problems.append("phase 2: only %d requests served beside the slow connections (%d alone)"
                                % (during.requests(), baseline.requests()))
            p99 = pct(during.all_latencies(), 99)
            if p99 is None or p99 > args.p99_limit:
                problems.append("phase 2: p99 %s ms beside the slow connections (limit %d ms)"
                                % (ms(p99), args.p99_limit * 1000))
            if open_start < args.slow * 0.9:
                problems.append("phase 2: only %d of %d slow connections could be held open"
                                % (open_start, args.slow))
        if not server.alive():
            problems.append("the server died")
        result["rss_end_kib"] = vm_rss_kib(server.proc.pid) if server.alive() else None
    finally:
        if problems:
            sys.stdout.write("---- the end of the server's log\n%s\n" % server.log_tail(10))
        code = server.stop()
        if code != 0:
            problems.append("debrief serve exited %s after SIGTERM" % code)
        database.drop()
    result["problems"] = problems
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--connections", type=int, default=200)
    ap.add_argument("--postmortems", type=int, default=200, help="post mortems seeded (at least one a connection)")
    ap.add_argument("--sample", type=float, default=5.0, help="seconds between memory samples")
    ap.add_argument("--cache-mb", type=int, default=64, help="the server's --cache-mb")
    ap.add_argument("--slow", type=int, default=300, help="slow connections held in phase 2 (0: none)")
    ap.add_argument("--slow-seconds", type=float, default=30)
    ap.add_argument("--slow-clients", type=int, default=20, help="clients measured in phase 2")
    ap.add_argument("--p99-limit", type=float, default=1.0, help="seconds, for phase 2")
    ap.add_argument("--without", action="append", default=[], choices=[k for k, _ in MIX],
                    help="leave this kind of request out of phase 1 (repeatable)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    log("seed %d" % args.seed)
    result = run(args)
    summary_json(args.json, result)
    for p in result["problems"]:
        print("PROBLEM: %s" % p)
    print("load: %s" % ("ok" if not result["problems"] else "%d problems" % len(result["problems"])))
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print("test_load: %s" % e, file=sys.stderr)
        sys.exit(2)
