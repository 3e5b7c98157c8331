#!/usr/bin/env python3
"""test_kill.py: parallel clients save revisions while the server is killed
with SIGKILL at random moments and restarted on the same database; every
revision it acknowledged must come back byte for byte, numbered 1..N with
no gap, no duplicate and no text that no client sent.

    DEBRIEF=build/debrief python3 tests/fault/test_kill.py \\
        [--backend sqlite|postgres|both] [--rounds 20] [--clients 8] [--seed N]

Exit status 0 when every round verified clean, 1 otherwise (the problems
are printed), 2 for a setup failure.

--sabotage proves the check can fail: after the first kill it damages the
SQLite file behind the server's back (cuts one acknowledged revision in
half, deletes another) and exits 0 only when the check names both.
"""

import argparse
import os
import random
import sqlite3
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from faultlib import (Ledger, Writer, harness, log, refresh_bases, setup_people,  # noqa: E402
                      summary_json, verify)


def sabotage(database, ledger):
    """Damages two acknowledged revisions in the SQLite file (the server is
    down): cuts one in half and deletes the newest of another post mortem.
    Returns [(pm, revision, how)]."""
    with ledger.lock:
        acked = set(ledger.acked)
    db = sqlite3.connect(database.url[len("sqlite:"):])
    try:
        rows = db.execute("SELECT p.slug, r.postmortem_id, r.number FROM revisions r "
                          "JOIN postmortems p ON p.id = r.postmortem_id "
                          "ORDER BY r.postmortem_id, r.number").fetchall()
        newest = {}
        for slug, pid, number in rows:
            newest[pid] = (slug, pid, number)
        gone = next(row for row in newest.values() if (row[0], row[2]) in acked)
        cut = next(row for row in rows if (row[0], row[2]) in acked and row[1] != gone[1])
        db.executescript("DROP TRIGGER revisions_never_change; DROP TRIGGER revisions_never_go;")
        db.execute("UPDATE revisions SET markdown = substr(markdown, 1, length(markdown) / 2) "
                   "WHERE postmortem_id = ? AND number = ?", (cut[1], cut[2]))
        db.execute("DELETE FROM revisions WHERE postmortem_id = ? AND number = ?", (gone[1], gone[2]))
        db.commit()
        return [(cut[0], cut[2], "cut"), (gone[0], gone[2], "deleted")]
    finally:
        db.close()


def run_backend(backend, rounds, writers, rng, max_delay, damage=False, min_delay=0.05):
    """ROUNDS kill rounds on a fresh database of BACKEND; returns a dict of
    figures with a "problems" list."""
    database = harness.Database(backend, "kill")
    server = harness.Server(database.url)
    ledger = Ledger()
    figures = {"backend": backend, "rounds": 0, "problems": [], "kills_in_flight": 0,
               "delays": [], "restart_seconds": []}
    try:
        admin, clients = setup_people(server, writers)
        bases = [dict() for _ in range(writers)]
        for round_no in range(1, rounds + 1):
            stop = threading.Event()
            threads = [Writer("r%dw%d" % (round_no, i), clients[i].on(server), ledger, bases[i], "sre",
                              random.Random(rng.random()), stop) for i in range(writers)]
            for t in threads:
                t.start()
            delay = rng.uniform(min_delay, max(min_delay, max_delay))
            time.sleep(delay)
            in_doubt_before = ledger.in_doubt
            server.kill()
            stop.set()
            for t in threads:
                t.join(60)
                if t.is_alive():
                    figures["problems"].append("round %d: writer %s still waiting 60 s after the kill"
                                               % (round_no, t.name))
            figures["kills_in_flight"] += ledger.in_doubt - in_doubt_before
            if damage and round_no == 1:
                figures["damaged"] = sabotage(database, ledger)
            for t in threads:
                figures["problems"].extend("round %d: %s" % (round_no, f) for f in t.failures)
            started = time.monotonic()
            server = harness.Server(database.url)
            figures["restart_seconds"].append(round(time.monotonic() - started, 3))
            admin = admin.on(server)
            problems, revisions, acked = verify(admin, ledger)
            figures["problems"].extend("round %d: %s" % (round_no, p) for p in problems)
            for i in range(writers):
                refresh_bases(admin, bases[i], list(bases[i]))
            figures["rounds"] = round_no
            figures["delays"].append(round(delay, 2))
            log("%s round %d: killed after %.2f s, %d acknowledged so far, %d revisions read back "
                "(%d acknowledged ones), %d problems"
                % (backend, round_no, delay, len(ledger.acked), revisions, acked, len(problems)))
            if len(figures["problems"]) > 50:
                break
        figures.update(acknowledged=len(ledger.acked), revisions_verified=revisions, acked_verified=acked,
                       post_mortems=len(ledger.pms()), requests_without_answer=ledger.in_doubt,
                       refused=ledger.refused)
    finally:
        if figures["problems"] and not damage:
            sys.stdout.write("---- the end of the last server's log\n%s\n" % server.log_tail(20))
        server.stop()
        database.drop()
    return figures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backend", default="both", choices=("sqlite", "postgres", "both"))
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--max-delay", type=float, default=2.5, help="longest wait before a kill, seconds")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--sabotage", action="store_true", help="damage the file and expect the check to see it")
    args = ap.parse_args()
    if args.sabotage:
        return run_sabotage(args)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    log("seed %d (--seed %d repeats the delays)" % (seed, seed))
    rng = random.Random(seed)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results = []
    failed = False
    for backend in backends:
        figures = run_backend(backend, args.rounds, args.clients, rng, args.max_delay)
        figures["seed"] = seed
        results.append(figures)
        for p in figures["problems"]:
            print("PROBLEM %s: %s" % (backend, p))
        print("%s: %d rounds, %d revisions acknowledged, %d revisions read back and verified "
              "(%d acknowledged), %d post mortems, %d requests cut by a kill, restart %.2f s at most"
              % (backend, figures["rounds"], figures.get("acknowledged", 0), figures.get("revisions_verified", 0),
                 figures.get("acked_verified", 0), figures.get("post_mortems", 0),
                 figures.get("requests_without_answer", 0), max(figures["restart_seconds"] or [0])))
        failed = failed or bool(figures["problems"]) or figures["rounds"] < args.rounds
    summary_json(args.json, results)
    return 1 if failed else 0


def run_sabotage(args):
    rng = random.Random(args.seed if args.seed is not None else 1)
    figures = run_backend("sqlite", 2, args.clients, rng, args.max_delay, damage=True, min_delay=1.0)
    found = figures["problems"]
    wanted = {"cut": "acknowledged text changed", "deleted": "acknowledged, now missing"}
    missed = []
    for pm, number, how in figures.get("damaged", []):
        tag = "%s revision %d: %s" % (pm, number, wanted[how])
        if not any(tag in p for p in found):
            missed.append("the check did not see revision %d of %s %s" % (number, pm, how))
    for p in found:
        print("seen: %s" % p)
    for m in missed:
        print("FAIL: %s" % m)
    if not figures.get("damaged"):
        print("FAIL: nothing was damaged")
        return 1
    return 1 if missed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print("test_kill: %s" % e, file=sys.stderr)
        sys.exit(2)
