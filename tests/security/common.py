"""common.py: what the security tests share: the API harness (tests/api),
browser-like form posts, the plan of one request for every route of
src/serve/router.c, and checks of pages for live injected markup.

By hand: DEBRIEF=build/debrief python3 tests/security/test_access.py [-k NAME]"""

import html.parser
import json
import os
import re
import secrets
import sys
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))

from harness import sample_body, sample_path, unique  # noqa: E402

FORM = "application/x-www-form-urlencoded"


def text_of(reply):
    body = reply.body
    if isinstance(body, bytes):
        return body.decode(errors="replace")
    return json.dumps(body)


def whole(reply):
    """Status, every header and the body of REPLY as one text (what may not
    carry a secret)."""
    heads = "\n".join("%s: %s" % kv for kv in reply.headers.items())
    return "%d\n%s\n%s" % (reply.status, heads, text_of(reply))


def form(client, path, fields, csrf=True):
    """POSTs FIELDS (dict or pairs) urlencoded as a browser's form does, with
    the session's csrf_token as a field when CSRF. Without a session, the
    sign-in and setup forms carry a form token equal to their debrief_form
    cookie, as a browser's would."""
    fields = list(fields.items()) if isinstance(fields, dict) else list(fields)
    headers = {"Content-Type": FORM, "X-CSRF-Token": None}
    if csrf and client.csrf:
        fields.append(("csrf_token", client.csrf))
    elif csrf and not client.cookie and path in ("/signin", "/setup"):
        token = secrets.token_hex(32)
        headers["Cookie"] = "debrief_form=" + token
        fields.append(("csrf_token", token))
    return client.request("POST", path, raw=urllib.parse.urlencode(fields), headers=headers)


# ---- One request for every route ----

# For each page route of router.c: (query or None, form fields or None)
# from a context C of ids and names. The API routes use harness.sample_path
# and sample_body.
PAGE_SAMPLES = {
    ("GET", "/"): lambda c: ("", None),
    ("GET", "/static/:file"): lambda c: ("", None),
    ("GET", "/setup"): lambda c: ("", None),
    ("POST", "/setup"): lambda c: (None, {"name": "late-admin", "password": "password-123",
                                          "confirm": "password-123"}),
    ("GET", "/signin"): lambda c: ("", None),
    ("POST", "/signin"): lambda c: (None, {"name": c["user"], "password": c["password"]}),
    ("POST", "/signout"): lambda c: (None, {}),
    ("GET", "/postmortems"): lambda c: ("q=" + c["search"], None),
    ("POST", "/postmortems"): lambda c: (None, {"title": "Made in the matrix", "owner_team": c["owner_team"],
                                                "date": "2026-05-01", "severity": "SEV3",
                                                "visibility": "public"}),
    ("GET", "/new"): lambda c: ("", None),
    ("POST", "/triage"): lambda c: (None, {"customer_facing": "yes"}),
    ("POST", "/preview"): lambda c: (None, {"markdown": c["markdown"], "id": c["pm"], "base_revision": "1"}),
    ("GET", "/postmortems/:id"): lambda c: ("", None),
    ("GET", "/postmortems/:id/edit"): lambda c: ("", None),
    ("POST", "/postmortems/:id/edit"): lambda c: (None, {"markdown": c["markdown"], "base_revision": "2"}),
    ("GET", "/postmortems/:id/history"): lambda c: ("", None),
    ("GET", "/postmortems/:id/diff"): lambda c: ("from=1&to=2", None),
    ("POST", "/postmortems/:id/transitions"): lambda c: (None, {"to": "review"}),
    ("POST", "/postmortems/:id/approvals"): lambda c: (None, {"note": "fine"}),
    ("POST", "/postmortems/:id/comments"): lambda c: (None, {"body": "A comment from the matrix."}),
    ("POST", "/postmortems/:id/redacted"): lambda c: (None, {}),
    ("POST", "/postmortems/:id/files"): lambda c: (None, {"name": "metrics/matrix.csv", "content": "a,b\n"}),
    ("POST", "/postmortems/:id/actions/:number"): lambda c: (None, {"status": "done",
                                                                    "link": "https://t.example/1"}),
    ("GET", "/actions"): lambda c: ("status=all&postmortem=" + c["pm"], None),
    ("GET", "/people/:name"): lambda c: ("", None),
    ("GET", "/patterns"): lambda c: ("", None),
    ("GET", "/feed.atom"): lambda c: ("", None),
    ("GET", "/admin/users"): lambda c: ("", None),
    ("POST", "/admin/users"): lambda c: (None, {"name": unique("matrix-user"), "password": "password-123",
                                                "role": "viewer", "teams": ""}),
    ("POST", "/admin/users/:name"): lambda c: (None, {"role": "viewer"}),
    ("GET", "/admin/teams"): lambda c: ("", None),
    ("POST", "/admin/teams"): lambda c: (None, {"name": unique("matrix-team")}),
    ("POST", "/admin/teams/:name/members"): lambda c: (None, {"action": "add", "user": c["member"]}),
    ("GET", "/tokens"): lambda c: ("", None),
    ("POST", "/tokens"): lambda c: (None, {"label": "matrix"}),
    ("POST", "/tokens/:id/revoke"): lambda c: (None, {}),
}

# Page path parameters by (pattern prefix, name) → context key.
PAGE_PARAMS = {"/postmortems/:id": "pm", "/people/:name": "person", "/admin/users/:name": "user",
               "/admin/teams/:name": "team", "/tokens/:id": "token_id", "/static/:file": "static"}


def page_path(route, c):
    out = []
    for i, seg in enumerate(route.pattern.split("/")):
        if seg.startswith(":"):
            prefix = "/".join(route.pattern.split("/")[:i + 1])
            key = "action" if seg == ":number" else PAGE_PARAMS[prefix]
            out.append(urllib.parse.quote(str(c[key]), safe=""))
        else:
            out.append(seg)
    return "/".join(out)


def is_page(route):
    return not (route.pattern.startswith("/api/") or route.pattern in ("/healthz", "/metrics"))


def covered(route):
    """Has the plan a request for ROUTE?"""
    if is_page(route):
        return (route.method, route.pattern) in PAGE_SAMPLES
    return True  # harness.sample_path/sample_body know every API route (a default body at worst)


def send(client, route, c, csrf=True):
    """One request for ROUTE as CLIENT with the values of C; returns the
    Reply."""
    if is_page(route):
        q, fields = PAGE_SAMPLES[(route.method, route.pattern)](c)
        path = page_path(route, c)
        if fields is None:
            return client.request(route.method, path + ("?" + q if q else ""))
        return form(client, path, fields, csrf=csrf)
    return client.request(route.method, sample_path(route, c), json=sample_body(route, c))


# ---- Live markup in HTML ----

URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset"}


class LiveMarkup(html.parser.HTMLParser):
    """Collects what would run in a browser: script elements, on*
    attributes, javascript:/vbscript:/data:text URLs, iframes, objects and
    embeds, and any element or attribute carrying MARKER."""

    def __init__(self, marker):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.found = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs)

    def _tag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "base", "frame", "frameset", "meta") and \
                self._marked(tag, attrs):
            self.found.append("<%s %r>" % (tag, attrs))
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.found.append("<script %r>" % (attrs,))
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append("<%s %s=%r>" % (tag, name, value))
            if name in URL_ATTRS:
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                # An image loaded by <img> runs no script, an SVG one neither.
                inert_image = tag == "img" and name == "src" and scheme.startswith("data:image/")
                if scheme.startswith(("javascript:", "vbscript:", "data:")) and not inert_image:
                    self.found.append("<%s %s=%r>" % (tag, name, value))
            if self.marker and self.marker in name:
                self.found.append("<%s attribute %r>" % (tag, name))
        if self.marker and self.marker in tag:
            self.found.append("<%s>" % tag)

    def _marked(self, tag, attrs):
        return tag in ("iframe", "object", "embed", "base", "frame", "frameset") or \
            any(self.marker in (v or "") for _, v in attrs)


def live_markup(page, marker="xss"):
    """What in PAGE (HTML text) would run or load in a browser (empty when
    nothing)."""
    parser = LiveMarkup(marker)
    parser.feed(page)
    parser.close()
    return parser.found
