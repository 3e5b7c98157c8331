#!/usr/bin/env python3
"""generate.py: a set of post mortems whose true categories, dates and
figures are known, with what `debrief patterns` must say about them.

    generate.py OUT_DIR [--count N] [--seed S]

writes OUT_DIR/postmortems/*.md and OUT_DIR/expected.json. The documents
span two years (2024-10-01 to 2026-09-30) and are written the ways teams
write them: front matter incident times in several zones (some right at a
quarter's edge, where the local day and the UTC day differ), timelines with
dated entries only, a `created` date only, a date in the file name only, or
no date at all; causes as prose, as contributing factors or as why chains;
action items in tables, some done and some open. Each category has several
wordings, and near misses ("there were no recent deployments", "the
rollback worked") sit beside them. Some action items repeat an earlier post
mortem's item in other words.

expected.json holds, for each run in "runs" (its command-line arguments),
what the JSON report must contain, computed from the truth here with the
rules of docs/debrief.1: periods, patterns, repeated and stale action
items, trends (review scores excepted: the test takes them from
`debrief lint`) and each post mortem's date, period and categories.
Standard library only; the same seed gives the same files.
"""

import argparse
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
import json
import os
import random
import re
from zoneinfo import ZoneInfo

TODAY = dt.date(2026, 10, 15)
START = dt.date(2024, 10, 1)
END = dt.date(2026, 9, 30)
STALE_DAYS = 45
IN_ONE_PERIOD = 3
PERIODS_RUNNING = 2
SIMILARITY = 0.6

CATEGORIES = ["monitoring-gap", "test-gap", "staging-drift", "manual-error", "deployment",
              "dependency", "capacity", "config-change", "rollback-failure", "peak-traffic"]

# How often each category is drawn at random; rollback-failure and
# peak-traffic are placed by hand (RARE) to exercise the recurrence rule.
WEIGHTS = {"monitoring-gap": 0.25, "test-gap": 0.2, "staging-drift": 0.08, "manual-error": 0.1,
           "deployment": 0.2, "dependency": 0.12, "capacity": 0.15, "config-change": 0.15}
RARE = [("rollback-failure", dt.date(2025, 2, 11)), ("rollback-failure", dt.date(2025, 5, 20)),
        ("rollback-failure", dt.date(2025, 11, 4)), ("peak-traffic", dt.date(2024, 11, 29)),
        ("peak-traffic", dt.date(2026, 4, 10)), ("peak-traffic", dt.date(2026, 4, 20)),
        ("peak-traffic", dt.date(2026, 6, 5))]

# Causes, as people write them; {s} is a service.
CAUSES = {
    "monitoring-gap": [
        "No alert covered the {s} queue depth, so the backlog grew for 40 minutes before anyone looked.",
        "The {s} health check did not detect the hung worker threads because it only probes the HTTP port.",
        "The error rate of {s} was not monitored; it was on no dashboard at all.",
        "The problem was first reported by customers through support, not by our alerts.",
        "Disk latency on the {s} hosts went unnoticed for two days.",
        "We had no visibility into the retries between {s} and its callers.",
    ],
    "test-gap": [
        "The new parser in {s} had no tests for empty payloads.",
        "Our integration tests did not cover the path where {s} receives a partial response.",
        "The retry branch in {s} was never tested, and it looped without end.",
        "The unit tests of {s} did not exercise timestamps before 1970.",
        "The data script for {s} was not covered by any test.",
    ],
    "staging-drift": [
        "The change worked in staging because the staging {s} database holds only a few thousand rows.",
        "Staging runs a single {s} replica, so it does not match the sharded production setup.",
        "The bug only happens in production, where {s} sits behind the regional load balancer.",
        "There is a large difference between staging and production {s} data volumes.",
        "We could not reproduce the failure in staging because its {s} cache is much smaller.",
    ],
    "manual-error": [
        "An engineer accidentally ran the cleanup script against the production {s} database.",
        "A typo in a hostname sent {s} traffic to a decommissioned cluster.",
        "Renewing the {s} certificate relied on someone remembering to run a command every 90 days.",
        "An operator forgot to drain the {s} node before rebooting it.",
        "Failing over {s} is a manual procedure of eleven steps, and step seven was skipped.",
    ],
    "deployment": [
        "A bad deploy of {s} shipped a build without its static assets.",
        "Release 4.2 of {s} introduced a regression in request handling.",
        "The new version of {s} was rolled out to every region at once.",
        "The errors started minutes after the {s} deployment.",
        "The deploy pipeline of {s} has no canary stage.",
    ],
    "dependency": [
        "The upstream geocoding provider of {s} had an outage and answered every request with errors.",
        "A third-party SDK used by {s} started rejecting our calls after the vendor's breaking change.",
        "The external payment provider was degraded for an hour, and {s} waited on it.",
        "The DNS provider's outage left {s} unable to resolve its database host.",
        "{s} depends on an upstream inventory service that timed out during its own incident.",
    ],
    "capacity": [
        "The {s} connection pool was exhausted at 200 connections.",
        "The {s} hosts ran out of disk space because log rotation had stopped.",
        "Memory pressure on the {s} nodes caused repeated OOM kills.",
        "{s} hit its API quota with the cloud vendor during the nightly import.",
        "A sudden traffic surge doubled the load on {s}.",
    ],
    "config-change": [
        "A configuration change lowered the {s} request timeout from 30 to 3 seconds.",
        "The {s} feature flag was flipped for all users instead of one percent.",
        "A misconfigured firewall rule blocked traffic from {s} to its cache.",
        "The {s} retry threshold was changed to zero in the shared YAML file.",
    ],
    "rollback-failure": [
        "The rollback of {s} failed because the schema migration had already dropped the old column.",
        "We were unable to roll back {s} since the previous image had been deleted from the registry.",
        "{s} had no rollback plan for the data migration.",
        "Reverting the {s} release did not restore service, because the cache still held bad entries.",
        "An irreversible schema migration meant {s} could not return to the old version.",
    ],
    "peak-traffic": [
        "The {s} migration was started during the evening peak.",
        "We deployed {s} at peak hours on Black Friday.",
        "A maintenance job for {s} ran during the holiday sale.",
        "During peak traffic, an engineer restarted the {s} cluster to apply a patch.",
    ],
}

# Sentences of no category, some of them near misses.
FILLER = [
    "{s} serves about 1,200 requests per second at midday.",
    "Requests to {s} returned HTTP 503 for the affected users.",
    "The on-call engineer was paged and joined the bridge within five minutes.",
    "The alert for {s} fired within two minutes, as expected.",
    "There were no recent deployments to {s} before the incident.",
    "Capacity was not a factor: {s} had plenty of headroom.",
    "The rollback of an earlier {s} change worked and restored service.",
    "Tests caught a similar bug in {s} last month.",
    "We ruled out a dependency outage early on.",
    "Staging and production run the same {s} version.",
]

# Action items per category; {s} {t} {x} make each one unique.
ACTIONS = {
    "monitoring-gap": ["Add an alert on {s} {t} {x}", "Create a dashboard panel for {s} {t} {x}",
                       "Page on-call about {s} {t} {x}"],
    "test-gap": ["Write integration tests for {s} {t} {x}", "Add regression tests for {s} {t} {x}"],
    "staging-drift": ["Load production-like data into staging {s} {t} {x}",
                      "Make staging {s} {t} {x} match production"],
    "manual-error": ["Automate the {s} {t} {x} renewal", "Add a confirmation prompt to {s} {t} {x}"],
    "deployment": ["Add a canary stage to {s} {t} {x}", "Give {s} {t} {x} a bake time"],
    "dependency": ["Add a fallback for {s} {t} {x}", "Put circuit breakers around {s} {t} {x}"],
    "capacity": ["Raise the {s} {t} {x} limits", "Add capacity to {s} {t} {x}"],
    "config-change": ["Validate {s} {t} {x} config in CI", "Review each {s} {t} {x} config change"],
    "rollback-failure": ["Test the rollback of {s} {t} {x}", "Write a rollback runbook for {s} {t} {x}"],
    "peak-traffic": ["Put a change freeze on {s} {t} {x}",
                     "Schedule {s} {t} {x} migrations outside peak hours"],
}
NEUTRAL_ACTIONS = ["Document {s} {t} {x} recovery steps", "Share the {s} {t} {x} summary with support",
                   "Update the {s} {t} {x} ownership page"]

SERVICES = ["checkout", "search", "billing", "ledger", "notifications", "auth", "router", "inventory",
            "shipping", "recommendations", "uploads", "reporting", "gateway", "scheduler", "chat",
            "feed", "catalog", "pricing", "invoicing", "geocoder", "mailer", "profiles", "sessions",
            "tokens", "wallet", "orders", "refunds", "tracking", "maps", "exports"]
THINGS = ["indexer", "consumer", "publisher", "resolver", "uploader", "renderer", "importer",
          "exporter", "compactor", "sweeper", "dispatcher", "aggregator", "collector", "archiver",
          "syncer", "replayer", "mirror", "ingester", "planner", "builder", "fetcher", "pruner",
          "signer", "encoder", "decoder", "matcher", "ranker", "tagger", "batcher", "splitter",
          "poller", "notifier", "verifier", "loader", "watcher", "tracer", "limiter", "router",
          "merger", "scanner", "reader", "writer", "worker", "streamer", "parser", "hasher"]
EXTRAS = ["latency", "backlog", "lag", "retries", "errors", "evictions", "stalls", "failures",
          "rejections", "redirects", "handshakes", "cursors", "checkpoints", "leases", "locks",
          "snapshots", "watermarks", "offsets", "heartbeats", "fanout", "throughput", "jitter",
          "drift", "churn", "skew", "staleness", "duplicates", "gaps", "spikes", "resets"]

PEOPLE = ["@adiaz", "@bkim", "@cnovak", "@dokoro", "@eharris", "@fsilva", "@gtanaka", "@hmuller"]
ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles"]

# Quarter and month edges, in zones where the local day is not the UTC day.
EDGES = [(dt.datetime(2025, 3, 31, 23, 30), "America/New_York"),
         (dt.datetime(2025, 7, 1, 0, 30), "Asia/Tokyo"),
         (dt.datetime(2025, 12, 31, 22, 0), "America/Los_Angeles"),
         (dt.datetime(2026, 1, 1, 0, 15), "Europe/Berlin"),
         (dt.datetime(2025, 8, 31, 23, 50), "America/Los_Angeles")]

SMALL_WORDS = set("""a about after again all also an and any are as at be been before but by can do
does each every for from has have if in into is it its make more must new no not of on once only or
our out over per should so such than that the their them then there these they this to up us use via
was we were when where which while will with within would""".split())


# The similarity rule of docs/debrief.1 ("Repeated action items").
def fold(w):
    n = len(w)
    if n > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if n > 5 and w.endswith("ing"):
        w = w[:-3]
    elif n > 4 and w.endswith("ed"):
        w = w[:-2]
    elif n > 3 and w.endswith("s") and w[-2] not in "sui":
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def content_words(text):
    words = set()
    for m in re.finditer(r"[A-Za-z0-9\x80-\U0010ffff]+(?:'[A-Za-z]+)?", text):
        w = m.group(0).split("'")[0].lower()
        if any(c.isdigit() for c in w) or len(w) < 2 or w in SMALL_WORDS:
            continue
        words.add(fold(w))
    return words


_WORDS = {}


def similarity(a, b):
    if a not in _WORDS:
        _WORDS[a] = content_words(a)
    if b not in _WORDS:
        _WORDS[b] = content_words(b)
    x, y = _WORDS[a], _WORDS[b]
    if len(x) < 2 or len(y) < 2:
        return 0.0
    return len(x & y) / len(x | y)


def rounded(numerator, denominator, places):
    """NUMERATOR / DENOMINATOR to PLACES decimals, halves away from zero, as
    the report writes it."""
    q = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1).scaleb(-places),
                                                               rounding=ROUND_HALF_UP)
    return int(q) if q == q.to_integral() else float(q)


def period_of(unit, d):
    return d.year * 12 + d.month - 1 if unit == "month" else d.year * 4 + (d.month - 1) // 3


def period_label(unit, p):
    return "%04d-%02d" % (p // 12, p % 12 + 1) if unit == "month" else "%04d-Q%d" % (p // 4, p % 4 + 1)


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) // 2


class Generator:
    def __init__(self, seed, count):
        self.rng = random.Random(seed)
        self.count = count
        self.used = set()
        self.actions = []  # every action text written, for the similarity check
        self.docs = []

    def unique_action(self, template):
        for _ in range(5000):
            s, t, x = (self.rng.choice(SERVICES), self.rng.choice(THINGS), self.rng.choice(EXTRAS))
            if (s, t) in self.used:
                continue
            text = template.format(s=s, t=t, x=x)
            # Well under the rule's 0.6, so that no pair is near the line.
            if all(similarity(text, other) < 0.55 for other in self.actions):
                self.used.add((s, t))
                self.actions.append(text)
                return text
        raise SystemExit("generate.py: no unique action item left; lower --count")

    def plan(self):
        """The truth of every post mortem: date, zone, times, categories, actions."""
        span = (END - START).days
        dates = sorted(START + dt.timedelta(days=self.rng.randrange(span + 1))
                       for _ in range(self.count - len(EDGES) - len(RARE)))
        plans = [{"date": d, "categories": self.draw()} for d in dates]
        for (when, zone) in EDGES:
            plans.append({"date": when.date(), "clock": when.time(), "zone": zone,
                          "categories": self.draw(), "source": "incident"})
        for (cat, d) in RARE:
            plans.append({"date": d, "source": "incident",
                          "categories": sorted(set(self.draw()) | {cat}, key=CATEGORIES.index)})
        self.rng.shuffle(plans)
        kinds = (["timeline"] * 30 + ["created"] * 10 + ["file-name"] * 10 + ["none"] * 3)
        for i, p in enumerate(plans):
            p.setdefault("source", kinds[i] if i < len(kinds) else "incident")
            p.setdefault("zone", self.rng.choice(ZONES) if p["source"] == "incident" else "UTC")
            if "clock" not in p:
                p["clock"] = dt.time(self.rng.randrange(24), self.rng.choice([0, 10, 20, 30, 40, 50]))
            p["severity"] = self.rng.choice([1, 2, 2, 3, 3, 3, 4, 4, None])
            p["detect"] = self.rng.choice([2, 5, 8, 12, 15, 20, 30, 45, 60, 90]) * 60
            p["diagnose"] = self.rng.choice([5, 10, 15, 25, 40]) * 60
            p["mitigate"] = self.rng.choice([10, 15, 20, 30, 45, 60, 120, 180]) * 60
            p["has_diagnosis"] = self.rng.random() > 0.1
            p["style"] = self.rng.choice(["prose", "factors", "whys"])
        return plans

    def draw(self):
        cats = [c for c in WEIGHTS if self.rng.random() < WEIGHTS[c]]
        return sorted(cats[:3], key=CATEGORIES.index)

    def write(self, out_dir):
        plans = self.plan()
        folder = os.path.join(out_dir, "postmortems")
        os.makedirs(folder, exist_ok=True)
        names = set()
        for i, p in enumerate(plans):
            svc = self.rng.choice(SERVICES)
            slug = "%s-%s-%d" % (svc, self.rng.choice(["errors", "outage", "slowness", "failures"]), i)
            name = ("%s-%s.md" % (p["date"].isoformat(), slug) if p["source"] == "file-name"
                    else "pm-%03d-%s.md" % (i, slug))
            assert name not in names
            names.add(name)
            p["path"] = name
            p["actions"] = self.action_items(p)
            lines = self.document(p, svc)
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
        self.docs = plans
        self.add_repeats(folder)

    def action_items(self, p):
        items = []
        for cat in p["categories"]:
            items.append((cat, self.unique_action(self.rng.choice(ACTIONS[cat]))))
        for _ in range(self.rng.randrange(1, 3)):
            items.append((None, self.unique_action(self.rng.choice(NEUTRAL_ACTIONS))))
        self.rng.shuffle(items)
        due = p["date"] + dt.timedelta(days=self.rng.randrange(10, 40))
        return [{"text": t, "category": c, "owner": self.rng.choice(PEOPLE), "due": due,
                 "done": self.rng.random() < 0.55} for (c, t) in items]

    def times(self, p):
        """Local start of impact and the milestones after it, as aware datetimes."""
        zone = ZoneInfo(p["zone"])
        start = dt.datetime.combine(p["date"], p["clock"], tzinfo=zone)
        detected = start + dt.timedelta(seconds=p["detect"])
        diagnosed = detected + dt.timedelta(seconds=p["diagnose"])
        resolved = diagnosed + dt.timedelta(seconds=p["mitigate"])
        trigger = start - dt.timedelta(minutes=3)
        return trigger, start, detected, diagnosed, resolved

    def document(self, p, svc):
        trigger, start, detected, diagnosed, resolved = self.times(p)
        minutes = int((resolved - start).total_seconds() // 60)
        title = "%s returned errors to %d%% of requests for %d minutes" % (
            svc.capitalize(), self.rng.randrange(2, 60), minutes)
        lines = ["---", "title: %s" % title, "status: published"]
        if p["severity"]:
            lines.append("severity: SEV-%d" % p["severity"])
        lines.append("timezone: %s" % p["zone"])
        iso = lambda t: t.isoformat(timespec="seconds")
        if p["source"] == "incident":
            lines += ["incident:", "  trigger: %s" % iso(trigger), "  impact_start: %s" % iso(start),
                      "  detected: %s" % iso(detected), "  resolved: %s" % iso(resolved)]
        if p["source"] == "created":
            lines.append("created: %s" % (p["date"] + dt.timedelta(days=1)).isoformat())
            p["date"] = p["date"] + dt.timedelta(days=1)
        lines += ["---", "", "# %s" % title, "", "## Summary", "",
                  "%s returned errors to part of its traffic for %d minutes. Service came back "
                  "after the on-call engineer intervened." % (svc.capitalize(), minutes), "",
                  "## Timeline", ""]
        dated = p["source"] in ("incident", "timeline")
        fmt = (lambda t: t.strftime("%Y-%m-%d %H:%M")) if dated else (lambda t: t.strftime("%H:%M"))
        if not dated:
            lines += ["All times UTC.", ""]
        lines += ["| Time | Event |", "|---|---|",
                  "| %s | A change to %s starts its rollout. [trigger] |" % (fmt(trigger), svc),
                  "| %s | Errors from %s begin for customers. [customer] |" % (fmt(start), svc),
                  "| %s | The on-call engineer is paged. [detected] |" % fmt(detected)]
        if p["has_diagnosis"]:
            lines.append("| %s | The team finds the cause. [diagnosed] |" % fmt(diagnosed))
        lines += ["| %s | Errors stop. [resolved] |" % fmt(resolved), ""]
        lines += ["## Impact", "", "About %d requests failed." % self.rng.randrange(100, 9000), ""]
        lines += self.causes(p, svc)
        lines += ["## Action items", "", "| # | Action | Owner | Due | Priority | Status | Link |",
                  "|---|---|---|---|---|---|---|"]
        for n, a in enumerate(p["actions"], 1):
            a["number"] = n
            a["line"] = len(lines) + 1
            lines.append("| %d | %s | %s | %s | P2 | %s | %s |" % (
                n, a["text"], a["owner"], a["due"].isoformat(), "done" if a["done"] else "open",
                "https://git.example.com/pr/%d" % self.rng.randrange(1, 99999) if a["done"] else ""))
        # The [customer] entry is the impact start when the front matter has none.
        p["ttd"] = p["detect"]
        p["ttm"] = p["mitigate"] if p["has_diagnosis"] else None
        if p["source"] == "timeline":
            p["date"] = start.date()  # the [customer] entry: the impact start
        return lines

    def causes(self, p, svc):
        sentences = [self.rng.choice(CAUSES[c]).format(s=svc) for c in p["categories"]]
        sentences += [self.rng.choice(FILLER).format(s=svc) for _ in range(self.rng.randrange(1, 3))]
        self.rng.shuffle(sentences)
        sentences = [s[0].upper() + s[1:] for s in sentences]
        out = ["## Root cause", ""]
        if p["style"] == "prose":
            out += [" ".join(sentences), ""]
        elif p["style"] == "factors":
            out += ["The incident had more than one cause.", "", "### Contributing factors", ""]
            out += ["- %s" % s for s in sentences] + [""]
        else:
            for i, s in enumerate(sentences, 1):
                out.append("%d. Why did it happen? -> %s" % (i, s))
            out.append("")
        return out

    def add_repeats(self, folder):
        """Rewrites a later post mortem's item as an earlier one's, in other words."""
        dated = sorted((p for p in self.docs if p["source"] != "none"),
                       key=lambda p: (p["date"], "postmortems/" + p["path"]))
        pairs = 0
        for _ in range(400):
            if pairs == 12:
                break
            i, j = sorted(self.rng.sample(range(len(dated)), 2))
            early, late = dated[i], dated[j]
            if early["date"] >= late["date"] or late.get("repeat") or early.get("repeated"):
                continue
            a = self.rng.choice(early["actions"])
            b = self.rng.choice(late["actions"])
            # The same kind of fix, so that the later post mortem's categories stay true.
            if a.get("repeated") or b.get("repeat_of") or a["category"] != b["category"]:
                continue
            reworded = reword(a["text"])
            path = os.path.join(folder, late["path"])
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            old_row = lines[b["line"] - 1]
            lines[b["line"] - 1] = old_row.replace("| %s |" % b["text"], "| %s |" % reworded, 1)
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            self.actions.remove(b["text"])
            b["text"] = reworded
            b["repeat_of"] = (early, a)
            a["repeated"] = True
            late["repeat"] = True
            pairs += 1
        # No other pair may look alike: the expectations below rely on it.
        every = [(p, a) for p in self.docs for a in p["actions"]]
        for n, (p, a) in enumerate(every):
            for (q, b) in every[n + 1:]:
                s = similarity(a["text"], b["text"])
                intended = a.get("repeat_of", (None, None))[1] is b or b.get("repeat_of", (None, None))[1] is a
                assert intended == (s >= SIMILARITY), (a["text"], b["text"], s)

    def expected(self, unit, since, prefix):
        docs = sorted(self.docs, key=lambda p: (p["source"] == "none", p["date"] if p["source"] != "none"
                                                else dt.date.min, prefix + p["path"]))
        for p in docs:
            p["counted"] = p["source"] != "none" and (since is None or p["date"] >= since)
        counted = [p for p in docs if p["counted"]]
        periods = []
        if counted:
            first = period_of(unit, since) if since else min(period_of(unit, p["date"]) for p in counted)
            last = max(period_of(unit, p["date"]) for p in counted)
            periods = list(range(first, last + 1))
        in_period = {q: [p for p in counted if period_of(unit, p["date"]) == q] for q in periods}
        out = {"periods": [], "patterns": [], "repeated_actions": [], "stale_actions": [],
               "trends": {"time_to_detect": [], "time_to_mitigate": [], "severity": [],
                          "action_completion": []}, "postmortems": []}
        for q in periods:
            ps = in_period[q]
            out["periods"].append({"period": period_label(unit, q), "postmortems": len(ps),
                                   "categories": {c: sum(c in p["categories"] for p in ps)
                                                  for c in CATEGORIES}})
            for key, field in (("time_to_detect", "ttd"), ("time_to_mitigate", "ttm")):
                v = [p[field] for p in ps if p[field] is not None]
                out["trends"][key].append({"period": period_label(unit, q), "incidents": len(v),
                                           "median": median(v) if v else None,
                                           "worst": max(v) if v else None})
            sev = {"period": period_label(unit, q)}
            for s in (1, 2, 3, 4):
                sev["SEV-%d" % s] = sum(p["severity"] == s for p in ps)
            sev["unknown"] = sum(p["severity"] is None for p in ps)
            out["trends"]["severity"].append(sev)
            total = sum(len(p["actions"]) for p in ps)
            done = sum(a["done"] for p in ps for a in p["actions"])
            out["trends"]["action_completion"].append({
                "period": period_label(unit, q), "actions": total, "done": done,
                "rate": rounded(done, total, 4) if total else None})
        patterns = []
        for c in CATEGORIES:
            counts = [sum(c in p["categories"] for p in in_period[q]) for q in periods]
            qualifies = [n >= IN_ONE_PERIOD for n in counts]
            i = 0
            while i < len(counts):
                j = i
                while j < len(counts) and counts[j] > 0:
                    j += 1
                if j - i >= PERIODS_RUNNING:
                    for k in range(i, j):
                        qualifies[k] = True
                i = max(j, i + 1)
            if not any(qualifies):
                continue
            chosen = {periods[k] for k in range(len(periods)) if qualifies[k]}
            members = [prefix + p["path"] for p in counted
                       if c in p["categories"] and period_of(unit, p["date"]) in chosen]
            patterns.append({"category": c, "periods": [period_label(unit, q) for q in sorted(chosen)],
                             "count": len(members), "postmortems": members})
        patterns.sort(key=lambda x: (-x["count"], CATEGORIES.index(x["category"])))
        out["patterns"] = patterns
        for p in counted:
            for a in p["actions"]:
                if "repeat_of" in a:
                    early, b = a["repeat_of"]
                    out["repeated_actions"].append({
                        "postmortem": prefix + p["path"], "line": a["line"], "number": a["number"],
                        "action": a["text"], "repeats": {
                            "postmortem": prefix + early["path"], "line": b["line"],
                            "number": b["number"], "action": b["text"],
                            "status": "done" if b["done"] else "open"},
                        "similarity": rounded(len(_WORDS[a["text"]] & _WORDS[b["text"]]),
                                              len(_WORDS[a["text"]] | _WORDS[b["text"]]), 4)})
        stale = []
        for idx, p in enumerate(counted):
            age = (TODAY - p["date"]).days
            if age <= STALE_DAYS:
                continue
            for a in p["actions"]:
                if not a["done"]:
                    stale.append((-age, docs.index(p), a["line"], {
                        "postmortem": prefix + p["path"], "line": a["line"], "number": a["number"],
                        "action": a["text"], "owner": a["owner"], "due": a["due"].isoformat(),
                        "age_days": age}))
        out["stale_actions"] = [s[3] for s in sorted(stale, key=lambda s: s[:3])]
        for p in docs:
            out["postmortems"].append({
                "path": prefix + p["path"],
                "date": p["date"].isoformat() if p["source"] != "none" else None,
                "date_source": p["source"],
                "period": period_label(unit, period_of(unit, p["date"])) if p["source"] != "none" else None,
                "counted": p["counted"], "categories": p["categories"],
                "severity": "SEV-%d" % p["severity"] if p["severity"] else None,
                "time_to_detect": p["ttd"], "time_to_mitigate": p["ttm"],
                "actions": len(p["actions"]), "actions_done": sum(a["done"] for a in p["actions"])})
        return out


def reword(text):
    """The same fix in other words: articles, plurals and tenses change, the
    content words stay."""
    words = text.split()
    swaps = {"Add": "Adding", "Write": "Writing", "Create": "Creating", "Test": "Testing",
             "Raise": "Raising", "Validate": "Validating", "Review": "Reviewing",
             "Automate": "Automating", "Document": "Documenting", "Share": "Sharing",
             "Update": "Updating", "Load": "Loading", "Give": "Giving", "Page": "Paging",
             "Schedule": "Scheduling"}
    words[0] = swaps.get(words[0], words[0])
    out = " ".join(w for w in words if w.lower() not in ("a", "an", "the"))
    return out + " again"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=4)
    args = ap.parse_args()
    g = Generator(args.seed, args.count)
    g.write(args.out_dir)
    runs = [
        {"args": ["--today", TODAY.isoformat()], "unit": "quarter", "since": None},
        {"args": ["--today", TODAY.isoformat(), "--period", "month", "--since", "2025-01-01"],
         "unit": "month", "since": dt.date(2025, 1, 1)},
    ]
    expected = {"folder": "postmortems", "runs": []}
    for r in runs:
        expected["runs"].append({"args": r["args"],
                                 "expected": g.expected(r["unit"], r["since"], "postmortems/")})
    with open(os.path.join(args.out_dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
