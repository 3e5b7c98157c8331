// webapp.mjs: what the browser journeys of the web app share.
//
// startServer() runs the real `debrief serve` on a free port of 127.0.0.1
// with a fresh SQLite database and the test clock; Api talks JSON to it with a
// bearer token; Browser opens Chromium contexts for one person each, watched
// by a Watch: every request must stay on the server, every page must run no
// injected script (window.__x, dialogs, CSP reports), and every post form,
// signed in or not (setup and sign-in tie theirs to a cookie), must carry a
// csrf_token field. Journey numbers each step's
// screenshot into $ARTIFACTS/<journey>/NN-step.png.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

// Absolute: the server runs in its own folder.
export const DEBRIEF = process.env.DEBRIEF && path.resolve(process.env.DEBRIEF);
export const SOURCE = process.env.DEBRIEF_SOURCE;
export const ARTIFACTS = process.env.ARTIFACTS || fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-app-'));
export const ADMIN = { name: 'admin', password: 'admin-password-1' };
export const PASSWORD = 'password-123';

function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A running server: base URL, port, log; stop() ends it and removes its folder.
export async function startServer() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-app-srv-'));
    const port = await freePort();
    const log = fs.openSync(path.join(dir, 'server.log'), 'w');
    const proc = spawn(DEBRIEF, ['serve', '--listen', `127.0.0.1:${port}`, '--db', `sqlite:${dir}/x.db`,
                                 '--test-clock'],
                       { cwd: dir, stdio: ['ignore', 'ignore', log] });
    const base = `http://127.0.0.1:${port}`;
    let exited = null;
    proc.on('exit', (code, signal) => { exited = signal || code; });
    proc.on('error', (e) => { exited = e.message; });
    const server = {
        base, port, dir,
        log: () => fs.readFileSync(path.join(dir, 'server.log'), 'utf8'),
        async stop() {
            if (exited === null) {
                proc.kill('SIGTERM');
                for (let i = 0; i < 50 && exited === null; i++)
                    await sleep(100);
                if (exited === null)
                    proc.kill('SIGKILL');
            }
            fs.closeSync(log);
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
    for (let i = 0; i < 100; i++) {
        if (exited !== null)
            throw new Error(`debrief serve exited (${exited}):\n${server.log()}`);
        try {
            const r = await fetch(base + '/healthz');
            if (r.status === 200)
                return server;
        } catch { /* not listening yet */ }
        await sleep(100);
    }
    await server.stop();
    throw new Error('debrief serve did not answer /healthz within 10 s');
}

// The JSON API as one user, with a bearer token.
export class Api {
    constructor(server, token) {
        this.server = server;
        this.token = token;
    }

    async call(method, route, body) {
        const headers = { Authorization: `Bearer ${this.token}` };
        if (body !== undefined)
            headers['Content-Type'] = 'application/json';
        const r = await fetch(this.server.base + route, {
            method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await r.text();
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { json = text; }
        return { status: r.status, body: json };
    }

    // METHOD ROUTE that must answer one of the 2xx statuses; its body.
    async ok(method, route, body) {
        const r = await this.call(method, route, body);
        assert.ok(r.status >= 200 && r.status < 300,
                  `${method} ${route} answered ${r.status}: ${JSON.stringify(r.body)}`);
        return r.body;
    }

    async advanceClock(seconds) {
        return this.ok('POST', '/api/v1/test/clock', { advance_seconds: seconds });
    }

    async createUser(name, role, teams) {
        await this.ok('POST', '/api/v1/users', { name, password: PASSWORD, role, teams });
        return Api.signIn(this.server, name, PASSWORD);
    }

    async createPm(markdown, extra = {}) {
        return this.ok('POST', '/api/v1/postmortems', { markdown, ...extra });
    }

    async pm(id) {
        return this.ok('GET', `/api/v1/postmortems/${encodeURIComponent(id)}`);
    }

    // A new session and token of NAME, as an Api.
    static async signIn(server, name, password) {
        const s = await sessionOf(server, name, password);
        const r = await fetch(server.base + '/api/v1/tokens', {
            method: 'POST',
            headers: { Cookie: `debrief_session=${s.cookie}`, 'X-CSRF-Token': s.csrf,
                       'Content-Type': 'application/json' },
            body: JSON.stringify({ label: 'browser tests' }),
        });
        const body = await r.json();
        assert.equal(r.status, 201, `token for ${name}: ${JSON.stringify(body)}`);
        const api = new Api(server, body.token);
        api.name = name;
        api.password = password;
        return api;
    }
}

// A session of NAME through POST /api/v1/session: {cookie, csrf}.
export async function sessionOf(server, name, password) {
    const r = await fetch(server.base + '/api/v1/session', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, password }),
    });
    const body = await r.json();
    assert.equal(r.status, 200, `sign-in of ${name}: ${JSON.stringify(body)}`);
    const cookie = /debrief_session=([^;]+)/.exec(r.headers.get('set-cookie') || '');
    assert.ok(cookie, 'the session answer sets no debrief_session cookie');
    return { cookie: cookie[1], csrf: body.csrf_token };
}

// A fresh server with its first admin, made through the API.
export async function serverWithAdmin() {
    const server = await startServer();
    const r = await fetch(server.base + '/api/v1/setup', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(ADMIN),
    });
    assert.equal(r.status, 201, `setup: ${await r.text()}`);
    const admin = await Api.signIn(server, ADMIN.name, ADMIN.password);
    return { server, admin };
}

// Everything one journey's pages did that they must not: requests off the
// server, injected scripts that ran, post forms without a CSRF field.
export class Watch {
    constructor(server) {
        this.server = server;
        this.outside = [];
        this.dialogs = [];
        this.csp = [];
        this.noCsrf = [];
        this.scripted = [];
        this.errors = [];
        this.requests = 0;
    }

    allowed(url) {
        return url.startsWith(this.server.base + '/') || url === this.server.base ||
               url.startsWith('data:') || url === 'about:blank';
    }

    attach(page) {
        page.on('request', (r) => {
            this.requests++;
            if (!this.allowed(r.url()))
                this.outside.push(`${r.url()} (from ${page.url()})`);
        });
        page.on('dialog', async (d) => {
            this.dialogs.push(`${d.type()}: ${d.message()} on ${page.url()}`);
            await d.dismiss().catch(() => {});
        });
        page.on('console', (m) => {
            const text = m.text();
            if (/Content Security Policy/i.test(text))
                this.csp.push(`${text} on ${page.url()}`);
        });
        page.on('pageerror', (e) => this.errors.push(`${e.message} on ${page.url()}`));
        page.on('load', () => this.inspect(page).catch(() => {}));
    }

    // Looks at what PAGE shows now: window.__x, and post forms without a
    // CSRF field.
    async inspect(page) {
        const url = page.url();
        if (!url.startsWith(this.server.base))
            return;
        const found = await page.evaluate(() => ({
            x: typeof window.__x !== 'undefined',
            forms: [...document.querySelectorAll('form')]
                .filter((f) => (f.getAttribute('method') || 'get').toLowerCase() === 'post')
                .filter((f) => !f.querySelector('input[name="csrf_token"]'))
                .map((f) => f.getAttribute('action') || '(no action)'),
        })).catch(() => null);
        if (!found)
            return; /* the page went on to another one, or is not HTML */
        if (found.x && !this.scripted.includes(`window.__x is set on ${url}`))
            this.scripted.push(`window.__x is set on ${url}`);
        if (found.forms.length) {
            const entry = `${url}: ${found.forms.join(', ')}`;
            if (!this.noCsrf.includes(entry))
                this.noCsrf.push(entry);
        }
    }

    // Fails with everything seen so far.
    check() {
        assert.deepEqual(this.outside, [], 'a page asked for something outside the server');
        assert.deepEqual(this.dialogs, [], 'a dialog opened');
        assert.deepEqual(this.scripted, [], 'an injected script ran');
        assert.deepEqual(this.csp, [], 'a script was refused by the CSP (something injected tried to run)');
        assert.deepEqual(this.noCsrf, [], 'a post form has no csrf_token field');
        assert.deepEqual(this.errors, [], "a page's script failed");
    }
}

let browserPromise = null;

export function browser() {
    if (!browserPromise) {
        browserPromise = chromium.launch({
            executablePath: '/usr/bin/chromium',
            headless: true,
            args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                   '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        });
    }
    return browserPromise;
}

export async function closeBrowser() {
    if (browserPromise) {
        const b = await browserPromise;
        browserPromise = null;
        await b.close();
    }
}

// One journey: its server, its screenshots, its people in their own
// browser contexts, and its Watch.
export class Journey {
    constructor(name, server) {
        this.name = name;
        this.server = server;
        this.dir = path.join(ARTIFACTS, name);
        fs.rmSync(this.dir, { recursive: true, force: true });
        fs.mkdirSync(this.dir, { recursive: true });
        this.step = 0;
        this.watch = new Watch(server);
        this.contexts = [];
    }

    // A browser context (a person) signed in as NAME with a session cookie,
    // or nobody when NAME is null. OPTIONS go to newContext (javaScriptEnabled…).
    async person(name, password = PASSWORD, options = {}) {
        const b = await browser();
        const context = await b.newContext({ viewport: { width: 1200, height: 900 }, ...options });
        this.contexts.push(context);
        if (name) {
            const s = await sessionOf(this.server, name, password);
            await context.addCookies([{ name: 'debrief_session', value: s.cookie, url: this.server.base }]);
        }
        context.setDefaultTimeout(20000);
        context.on('page', (p) => this.watch.attach(p));
        return context.newPage();
    }

    // Opens ROUTE in PAGE; fails clearly when the page is not built yet
    // (501) or answers another status than EXPECT.
    async open(page, route, expect = 200) {
        const r = await page.goto(this.server.base + route, { waitUntil: 'load' });
        const status = r ? r.status() : 0;
        assert.notEqual(status, 501, `GET ${route} is not built yet (501)`);
        assert.equal(status, expect, `GET ${route} answered ${status}, not ${expect}`);
        await this.watch.inspect(page);
        return r;
    }

    // A screenshot of PAGE as the next step, named STEP.
    async shot(page, step) {
        this.step++;
        const file = `${String(this.step).padStart(2, '0')}-${step}.png`;
        await page.screenshot({ path: path.join(this.dir, file), fullPage: true });
    }

    async close() {
        for (const c of this.contexts)
            await c.close().catch(() => {});
        await this.server.stop();
    }
}

// Clicks the button NAME (a string or RegExp) in SCOPE and waits for the
// page it leads to; fails clearly when the answer is a stub 501.
export async function submit(page, scope, name) {
    const button = scope.getByRole('button', { name }).first();
    const [response] = await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        button.click(),
    ]);
    const status = response ? response.status() : 0;
    assert.notEqual(status, 501, `the form behind "${name}" on ${page.url()} is not built yet (501)`);
    return response;
}

// The review score shown on PAGE: a [data-score] element, an element with
// the class or id "score", or the number after the word "score".
export async function score(page) {
    return page.evaluate(() => {
        const el = document.querySelector('[data-score]');
        if (el) {
            const v = parseInt(el.getAttribute('data-score'), 10);
            if (!Number.isNaN(v))
                return v;
        }
        for (const sel of ['#score', '.score', 'output[name="score"]', 'meter']) {
            const e = document.querySelector(sel);
            if (!e)
                continue;
            const m = /(\d{1,3})/.exec(e.getAttribute('value') || e.textContent || '');
            if (m)
                return parseInt(m[1], 10);
        }
        const m = /score\D{0,12}(\d{1,3})/i.exec(document.body.innerText || '');
        return m ? parseInt(m[1], 10) : null;
    });
}

// Waits until CHECK() holds (polled), up to MS; its last value.
export async function until(check, ms = 20000, what = 'the condition') {
    const end = Date.now() + ms;
    let last;
    for (;;) {
        last = await check();
        if (last)
            return last;
        if (Date.now() > end)
            assert.fail(`${what} did not hold within ${ms} ms`);
        await sleep(100);
    }
}

// The Markdown of a small but complete post mortem (as tests/api/harness.py
// writes it): front matter id SLUG, owner TEAM, restricted when RESTRICTED,
// ACTIONS [description, owner, due, status] rows, WORDS in the summary.
export function postmortem(slug, { title, team, restricted = false, actions, severity = 'SEV2',
                                   service = 'checkout-api', words = '', started = '2026-03-10' } = {}) {
    title = title || `Checkout errors after the ${slug} deploy`;
    actions = actions || [['Add a canary stage to the checkout deploy', '@alice', '2026-04-01', 'open'],
                          ['Alert on the checkout error rate above 2%', '@bob', '2026-03-20', 'done']];
    const lines = ['---', `id: ${slug}`, `title: ${JSON.stringify(title)}`, 'status: draft',
                   `severity: ${severity}`];
    if (team)
        lines.push(`owner_team: ${team}`);
    lines.push(`visibility: ${restricted ? 'restricted' : 'public'}`, 'services:', `  - ${service}`,
               'tags:', '  - deployment', 'timezone: UTC', 'incident:',
               `  trigger: ${started}T14:02:00Z`, `  impact_start: ${started}T14:04:00Z`,
               `  detected: ${started}T14:15:00Z`, `  mitigated: ${started}T14:45:00Z`,
               `  resolved: ${started}T14:45:00Z`, '---', '');
    const body = `# ${title}

## Summary

On ${started} a deploy of ${service} raised the checkout error rate to 12% for
41 minutes. ${words}

## Impact

About 3,100 shoppers could not pay; no money was taken twice.

## Timeline

| Time (UTC) | Event |
|---|---|
| 14:02 | The deploy of ${service} starts |
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

`;
    let table = '| # | Action | Owner | Due | Priority | Lesson | Status | Link |\n|---|---|---|---|---|---|---|---|\n';
    actions.forEach(([d, o, due, st], i) => { table += `| ${i + 1} | ${d} | ${o} | ${due} | P1 | #1 | ${st} | |\n`; });
    return lines.join('\n') + body + (actions.length ? table : 'None.\n');
}

// The excellent example post mortem with its metric files left out (the
// server has no files beside it), given ID and owner TEAM.
export function excellent(id, team) {
    const text = fs.readFileSync(path.join(SOURCE, 'examples', 'excellent.md'), 'utf8');
    return text
        .replace(/^id: .*$/m, `id: ${id}`)
        .replace(/^owner_team: .*$/m, `owner_team: ${team}`)
        .replace(/^status: .*$/m, 'status: draft')
        .replace(/^metrics:\n(?:[ \t]+.*\n)*/m, '');
}
