#!/usr/bin/env python3
"""test_pg_outage.py: PostgreSQL stopped and started under load. Clients
keep reading and saving while the test stops PostgreSQL (pg_ctl stop -m fast,
-m immediate, or a SIGKILL of every postgres process) and starts it again;
the one `debrief serve` must answer 503 with a JSON error while the database
is gone (never crash, never hang), /healthz must say 503, and it must come
back by itself, with every acknowledged revision intact.

    DEBRIEF=build/debrief python3 tests/fault/test_pg_outage.py \\
        [--cycles 3] [--down 5] [--clients 6] [--modes fast,immediate,kill] [--json FILE]

Cycles take the modes (by default fast, immediate, kill) in turn. Exit status 0 when all
holds, 1 otherwise (the problems are printed), 2 for a setup failure.
"""

import argparse
import http.client
import os
import random
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from faultlib import (Ledger, Writer, check_json_error, harness, log, setup_people,  # noqa: E402
                      summary_json, verify)

MODES = ("fast", "immediate", "kill")
HANG = 5.0          # an answer slower than this is a hang
RECOVERY = 15.0     # seconds allowed after PostgreSQL is back


def stop_postgres(pg, mode):
    """Stops PG's server the way an operator or a crash would; returns the
    seconds it took."""
    import pgtmp  # harness put its folder on the path
    started = time.monotonic()
    if mode == "kill":
        pg.kill()
    else:
        result = subprocess.run([pgtmp._binary("pg_ctl"), "stop", "-D", pg.data_dir, "-m", mode, "-w", "-t", "30"],
                                capture_output=True, text=True, **pgtmp._as_account(pg._account))
        if result.returncode != 0:
            raise AssertionError("pg_ctl stop -m %s failed: %s" % (mode, result.stderr.strip()))
        # pgtmp started the postmaster: reap it so start_again() starts anew.
        if pg._process is not None:
            pg._process.wait(30)
            pg._process = None
    return time.monotonic() - started


class Reader(threading.Thread):
    """GETs the API's list and one post mortem, and the list page, in a loop;
    records (when, status, seconds) and checks every 503 of the API."""

    def __init__(self, client, pms, stop, rng):
        super().__init__(daemon=True)
        self.client = client
        self.pms = pms
        self.stop = stop
        self.rng = rng
        self.records = []
        self.failures = []

    def run(self):
        while not self.stop.is_set():
            choice = self.rng.random()
            if choice < 0.4 or not self.pms:
                path = "/api/v1/postmortems?limit=20"
            elif choice < 0.8:
                path = "/api/v1/postmortems/" + self.rng.choice(self.pms)
            else:
                path = "/postmortems"
            started = time.monotonic()
            try:
                reply = self.client.get(path)
            except (OSError, http.client.HTTPException) as e:
                self.failures.append("GET %s: no answer (%s) after %.1f s" % (path, e, time.monotonic() - started))
                time.sleep(0.2)
                continue
            took = time.monotonic() - started
            self.records.append((started, reply.status, took))
            if took > HANG:
                self.failures.append("GET %s took %.1f s (status %d)" % (path, took, reply.status))
            if reply.status == 503:
                if path.startswith("/api/"):
                    check_json_error(reply, self.failures, "GET " + path)
                time.sleep(0.05)
            elif reply.status != 200:
                self.failures.append("GET %s answered %r" % (path, reply))


def probe_health(server, failures):
    """(status, seconds) of GET /healthz, or (None, seconds) without answer."""
    started = time.monotonic()
    try:
        reply = server.client().get("/healthz")
    except (OSError, http.client.HTTPException) as e:
        failures.append("/healthz: no answer (%s)" % e)
        return None, time.monotonic() - started
    took = time.monotonic() - started
    if took > HANG:
        failures.append("/healthz took %.1f s" % took)
    if reply.status == 503 and not (isinstance(reply.body, dict) and reply.body.get("status") == "unavailable"):
        failures.append("/healthz 503 without {\"status\":\"unavailable\"}: %r" % (reply,))
    return reply.status, took


def run(args):
    rng = random.Random(args.seed)
    database = harness.Database("postgres", "outage")
    pg = harness.postgres_server()
    server = harness.Server(database.url)
    pid = server.proc.pid
    ledger = Ledger()
    problems = []
    cycles = []
    stop = threading.Event()
    try:
        admin, clients = setup_people(server, args.clients)
        writers = [Writer("w%d" % i, clients[i], ledger, {}, "sre", random.Random(rng.random()), stop,
                          create_share=0.1, keep_going_on_error=True) for i in range(args.clients)]
        for w in writers:
            w.start()
        time.sleep(1.0)
        with ledger.lock:  # only those whose creation was acknowledged: others may be in flight
            pms = sorted(ledger.created)
        readers = [Reader(admin, pms, stop, random.Random(rng.random())) for _ in range(args.readers)]
        for r in readers:
            r.start()
        for n in range(args.cycles):
            mode = args.modes[n % len(args.modes)]
            time.sleep(args.up)
            acked_before = len(ledger.acked)
            t_stop = time.monotonic()
            stop_seconds = stop_postgres(pg, mode)
            t_down = time.monotonic()
            health = []
            while time.monotonic() - t_down < args.down:
                health.append(probe_health(server, problems))
                time.sleep(0.25)
            if not server.alive():
                problems.append("cycle %d (%s): debrief serve died while PostgreSQL was down" % (n + 1, mode))
                break
            t_start = time.monotonic()
            pg.start_again()
            t_up = time.monotonic()
            healthy_after = None
            while time.monotonic() - t_up < RECOVERY:
                status, _ = probe_health(server, problems)
                if status == 200:
                    healthy_after = time.monotonic() - t_up
                    break
                time.sleep(0.1)
            acked_at_up = len(ledger.acked)
            write_after = None
            while time.monotonic() - t_up < RECOVERY:
                if len(ledger.acked) > acked_at_up:
                    write_after = time.monotonic() - t_up
                    break
                time.sleep(0.05)
            window = [(t, s, took) for r in readers for (t, s, took) in list(r.records) if t_stop <= t <= t_start]
            statuses = {}
            for _, s, _ in window:
                statuses[s] = statuses.get(s, 0) + 1
            cycle = {"mode": mode, "stop_seconds": round(stop_seconds, 2),
                     "healthz_while_down": [s for s, _ in health],
                     "healthz_503": sum(1 for s, _ in health if s == 503),
                     "reads_while_down": statuses,
                     "slowest_read_while_down_ms": round(max((x for _, _, x in window), default=0) * 1000, 1),
                     "slowest_healthz_while_down_ms": round(max((x for _, x in health), default=0) * 1000, 1),
                     "healthy_after_start_seconds": None if healthy_after is None else round(healthy_after, 2),
                     "first_write_after_start_seconds": None if write_after is None else round(write_after, 2),
                     "acked_before_stop": acked_before}
            cycles.append(cycle)
            log("cycle %d (%s): PostgreSQL stopped in %.2f s; /healthz while down %s; reads while down %s "
                "(slowest %.1f ms); healthy %s s and first save %s s after PostgreSQL started"
                % (n + 1, mode, stop_seconds, cycle["healthz_while_down"], statuses,
                   cycle["slowest_read_while_down_ms"],
                   cycle["healthy_after_start_seconds"], cycle["first_write_after_start_seconds"]))
            if cycle["healthz_503"] == 0:
                problems.append("cycle %d (%s): /healthz never answered 503 while PostgreSQL was down"
                                % (n + 1, mode))
            if statuses.get(503, 0) == 0:
                problems.append("cycle %d (%s): no read saw a 503 while PostgreSQL was down" % (n + 1, mode))
            if healthy_after is None:
                problems.append("cycle %d (%s): /healthz not 200 within %.0f s of PostgreSQL's start"
                                % (n + 1, mode, RECOVERY))
            if write_after is None:
                problems.append("cycle %d (%s): no save acknowledged within %.0f s of PostgreSQL's start"
                                % (n + 1, mode, RECOVERY))
        time.sleep(args.up)
        stop.set()
        for t in writers + readers:
            t.join(60)
            if t.is_alive():
                problems.append("a client still waits 60 s after the end")
        for t in writers + readers:
            problems.extend(t.failures)
            problems.extend("answer after %.1f s (status %d)" % s for s in getattr(t, "slow", []))
        if server.proc.pid != pid or not server.alive():
            problems.append("debrief serve is not the process started at the beginning")
        found, revisions, acked = verify(admin, ledger)
        problems.extend(found)
        statuses = {}
        for t in writers:
            for s, c in t.statuses.items():
                statuses[s] = statuses.get(s, 0) + c
        for r in readers:
            for _, s, _ in r.records:
                statuses[s] = statuses.get(s, 0) + 1
        figures = {"cycles": cycles, "acknowledged": len(ledger.acked), "revisions_verified": revisions,
                   "acked_verified": acked, "statuses": statuses, "problems": problems}
    except BaseException:
        sys.stdout.write("---- the end of the server's log\n%s\n" % server.log_tail(20))
        raise
    finally:
        stop.set()
        server.stop()
        if problems:
            kept = os.path.join(tempfile.gettempdir(), "debrief-pg-outage-%d.log" % os.getpid())
            with open(kept, "w") as f:
                f.write(server.final_log or "")
            sys.stdout.write("---- the server's log is kept in %s; its end:\n%s\n" % (kept, server.log_tail(20)))
        database.drop()
    return figures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cycles", type=int, default=3)
    ap.add_argument("--up", type=float, default=3.0, help="seconds of load between outages")
    ap.add_argument("--down", type=float, default=5.0, help="seconds PostgreSQL stays down")
    ap.add_argument("--clients", type=int, default=6, help="writers")
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--modes", default=",".join(MODES),
                    help="how PostgreSQL is stopped, in turn (comma-separated: %s)" % ", ".join(MODES))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not args.modes or set(args.modes) - set(MODES):
        ap.error("--modes: each of %s" % ", ".join(MODES))
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    log("seed %d" % args.seed)
    figures = run(args)
    figures["seed"] = args.seed
    summary_json(args.json, figures)
    for p in figures["problems"][:100]:
        print("PROBLEM: %s" % p)
    print("postgres outage: %d cycles (%s), %d revisions acknowledged, %d read back and verified (%d acknowledged), "
          "statuses %s, %d problems"
          % (len(figures["cycles"]), ", ".join(c["mode"] for c in figures["cycles"]), figures["acknowledged"],
             figures["revisions_verified"], figures["acked_verified"], figures["statuses"],
             len(figures["problems"])))
    return 1 if figures["problems"] or len(figures["cycles"]) < args.cycles else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print("test_pg_outage: %s" % e, file=sys.stderr)
        sys.exit(2)
