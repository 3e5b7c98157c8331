#!/usr/bin/env python3
"""test_page_cache.py: the server's page cache (src/serve/page_cache.c)
never shows a stale report, against the real server on SQLite. A second
server on the same database runs with --cache-mb 0: after each change (a
new revision, a new version of an attachment the report draws, a move of
the workflow, a new day for the date rules) the cached server's report,
review and API analysis equal the uncached server's and show the change.
A restricted post mortem viewed by its team is still a 404 for an outsider,
on the page and in the API; --cache-mb is checked and documented."""

import datetime as dt
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))
from harness import DEBRIEF, ApiCase, main, postmortem, unique  # noqa: E402

PM = "/api/v1/postmortems"
OCTETS = {"Content-Type": "application/octet-stream"}
METRIC_CHART = '<figure class="chart metric-chart">'


def text_of(reply):
    body = reply.body
    return body.decode("utf-8") if isinstance(body, bytes) else str(body)


def report_part(page):
    """The drawn report and the review panel: what the cache keeps."""
    report = re.search(r'<div class="primary report">\n.*?(<div class="debrief-report">.*?)</div>\n<aside',
                       page, re.S)
    review = re.search(r'<section class="panel" aria-labelledby="review-heading">.*?</section>',
                       page, re.S)
    assert report and review, page[:2000]
    return report.group(1), review.group(0)


def metrics_csv(values):
    rows = ["time,p99"] + ["2026-03-10T14:%02d:00Z,%d" % (5 * i, v) for i, v in enumerate(values)]
    return ("\n".join(rows) + "\n").encode()


def with_metrics(slug, team, actions=None):
    text = postmortem(slug, team=team, actions=actions)
    return text.replace("visibility:", "metrics:\n  - file: metrics/p99.csv\n    title: p99\nvisibility:", 1)


class TestPageCache(ApiCase):
    """rae (author, risk-engineering) and oz (author, web, an outsider to
    restricted post mortems of risk-engineering)."""

    backend = "sqlite"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for team in ("risk-engineering", "web"):
            cls.make_team(team)
        cls.rae = cls.make_user("rae", "author", ["risk-engineering"])
        cls.oz = cls.make_user("oz", "author", ["web"])
        cls.r = cls.session_client(cls.rae)
        cls.fresh = cls.start_server(["--cache-mb", "0"])
        cls.r_fresh = cls.session_client(cls.rae, cls.fresh)

    def page(self, client, pm, status=200):
        reply = client.get("/postmortems/" + pm)
        self.assertEqual(reply.status, status, text_of(reply)[:2000])
        return text_of(reply)

    def assert_fresh(self, pm):
        """The cached server shows what the uncached one draws now, twice in
        a row (the second from the cache); returns the report and review."""
        fresh = report_part(self.page(self.r_fresh, pm))
        for _ in range(2):
            self.assertEqual(report_part(self.page(self.r, pm)), fresh)
        api, api_fresh = self.r.get(PM + "/" + pm), self.r_fresh.get(PM + "/" + pm)
        self.assertEqual(api.status, 200, api)
        for key in ("findings", "score", "timeline", "revision"):
            self.assertEqual(api.body[key], api_fresh.body[key], key)
        return fresh

    def test_a_new_revision_is_shown(self):
        pm = self.create_pm(self.r, postmortem(unique("revision"), team="risk-engineering"))
        before = self.assert_fresh(pm)
        self.assertNotIn("quokka", before[0])
        markdown = self.r.get(PM + "/" + pm).body["markdown"]
        saved = self.r.put(PM + "/" + pm, {"markdown": markdown.replace(
            "## Summary\n\n", "## Summary\n\nThe quokka team was paged first. ", 1), "base_revision": 1})
        self.assertEqual(saved.status, 200, saved)
        after = self.assert_fresh(pm)
        self.assertIn("quokka", after[0])
        # The older revision's page is its own, not the newest's.
        old = self.r.get("/postmortems/%s?rev=1" % pm)
        self.assertEqual(old.status, 200, old)
        self.assertNotIn("quokka", report_part(text_of(old))[0])
        self.assertEqual(report_part(text_of(old)), before)

    def test_a_new_attachment_version_is_shown(self):
        pm = self.create_pm(self.r, with_metrics(unique("attachment"), "risk-engineering"))
        missing = self.assert_fresh(pm)
        self.assertNotIn(METRIC_CHART, missing[0])
        path = "%s/%s/attachments/metrics%%2Fp99.csv" % (PM, pm)
        self.assertEqual(self.r.put(path, raw=metrics_csv([120, 480, 130]), headers=OCTETS).status, 201)
        first = self.assert_fresh(pm)
        self.assertIn(METRIC_CHART, first[0])
        self.assertEqual(self.r.put(path, raw=metrics_csv([90, 95, 2400, 100]), headers=OCTETS).status,
                         201)
        second = self.assert_fresh(pm)
        self.assertNotEqual(first[0], second[0])

    def test_a_workflow_move_is_shown(self):
        pm = self.create_pm(self.r, postmortem(unique("move"), team="risk-engineering"))
        draft = self.assert_fresh(pm)
        moved = self.r.post(PM + "/" + pm + "/transitions", {"to": "review"})
        self.assertEqual(moved.status, 200, moved)
        review = self.assert_fresh(pm)
        self.assertNotEqual(draft[0], review[0])
        self.assertIn("review", review[0])

    def test_a_new_day_is_shown(self):
        today = dt.datetime.now(dt.timezone.utc).date()
        due = (today + dt.timedelta(days=2)).isoformat()
        pm = self.create_pm(self.r, postmortem(unique("day"), team="risk-engineering", actions=[
            ("Add a canary stage to the checkout deploy", "@alice", due, "open")]))
        before = self.assert_fresh(pm)
        self.assertNotIn("actions/overdue", before[1])
        self.assertNotIn("actions/overdue", [f["rule"] for f in self.r.get(PM + "/" + pm).body["findings"]])
        for client in (self.admin, self.admin.on(self.fresh)):
            self.assertEqual(client.post("/api/v1/test/clock", {"advance_seconds": 4 * 86400}).status, 200)
        after = self.assert_fresh(pm)
        self.assertIn("actions/overdue", after[1])
        self.assertIn("actions/overdue", [f["rule"] for f in self.r.get(PM + "/" + pm).body["findings"]])

    def test_a_restricted_post_mortem_is_not_served_to_an_outsider(self):
        title = "Restricted cache canary " + unique("t")
        pm = self.create_pm(self.r, postmortem(unique("restricted"), title=title, team="risk-engineering")
                            .replace("visibility: public", "visibility: restricted", 1))
        seen = self.assert_fresh(pm)  # now in the cache
        self.assertIn(title, seen[0])
        oz = self.session_client(self.oz)
        for _ in range(2):
            page = self.page(oz, pm, status=404)
            self.assertNotIn(title, page)
            api = oz.get(PM + "/" + pm)
            self.assertEqual(api.status, 404, api)
            self.assertNotIn(title, text_of(api))
        missing = self.page(oz, unique("no-such-pm"), status=404)
        self.assertEqual(re.sub(r"\s+", " ", page).count("There is no such post mortem"),
                         re.sub(r"\s+", " ", missing).count("There is no such post mortem"))
        # Its own team still reads it from the cache.
        self.assertEqual(report_part(self.page(self.r, pm)), seen)

    def test_cache_mb_is_checked_and_documented(self):
        usage = subprocess.run([DEBRIEF, "serve", "--help"], capture_output=True, text=True)
        self.assertEqual(usage.returncode, 0)
        self.assertIn("--cache-mb N", usage.stdout)
        for bad in ("-1", "lots", ""):
            with self.subTest(value=bad):
                p = subprocess.run([DEBRIEF, "serve", "--cache-mb", bad, "--listen", "127.0.0.1:1",
                                    "--db", "sqlite::memory:"], capture_output=True, text=True, timeout=20)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn("--cache-mb", p.stderr)
        # The uncached server answers like the cached one (every test above).
        self.assertTrue(self.fresh.alive())


if __name__ == "__main__":
    main()
