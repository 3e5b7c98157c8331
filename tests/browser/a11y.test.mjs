// a11y.test.mjs: every page of the web app checked for accessibility and
// for a phone, in Debian's Chromium.
//
// One server (SQLite, test clock) is filled through the JSON API with teams,
// people, post mortems in every state (one from examples/excellent.md with
// its findings), comments and action items. Then every page — sign in,
// first-run setup, the list and its filters, a post mortem, its history and
// diff, the editor, new and the triage answer, the merge page of a stale save,
// the actions board, a person, patterns, the admin pages, tokens, the 404
// page — is opened at a laptop viewport (1280x800) and at a phone's
// (390x844, touch, 2x), and on each:
//   - axe-core runs with the WCAG 2.1 A and AA rules: a serious or critical
//     violation fails the test; every violation is printed (rule, target,
//     help address), and the counts by rule close the output;
//   - the keyboard: the first Tab stop is the skip link, which moves focus to
//     the main content, and every Tab stop shows its focus (an outline or a
//     box shadow that the element does not have unfocused);
//   - the page does not scroll sideways (wide tables, code and charts scroll
//     inside their own box);
//   - a full-page screenshot goes to $ARTIFACTS/a11y/<page>-<viewport>.png.
// The Watch of webapp.mjs also holds: no request off the server, no script
// refused or failing.
//
// Environment: DEBRIEF (the binary), DEBRIEF_SOURCE (the repository),
// ARTIFACTS (the folder holding a11y/; default a temporary folder), and
// A11Y_PAGES, a regular expression: only the pages whose names match it
// (names as in the screenshots: signin, list, postmortem, merge…).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
    ADMIN, Journey, PASSWORD, closeBrowser, excellent, postmortem, serverWithAdmin, startServer, submit,
} from './webapp.mjs';

after(closeBrowser);

// axe-core's source, from tests/browser/node_modules (package-lock.json).
function axeSource() {
    let file;
    try {
        file = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
    } catch {
        throw new Error('axe-core is not installed: run `npm ci` in tests/browser');
    }
    return fs.readFileSync(file, 'utf8');
}
const AXE = axeSource();
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// Also run, and printed without failing: axe's best practices (landmarks,
// heading order, one h1).
const TAGS = [...WCAG, 'best-practice'];
const FAILING = new Set(['serious', 'critical']);

const VIEWPORTS = {
    laptop: { viewport: { width: 1280, height: 800 } },
    phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

// The most Tab stops followed on one page: enough to pass the header, the
// page's own controls and reach the footer on all but the longest pages.
const MAX_STOPS = 50;

// axe-core's violations of TAGS on PAGE, as [{id, impact, help, helpUrl,
// wcag: whether a WCAG 2.1 A or AA rule, targets}].
async function axeViolations(page) {
    if (!(await page.evaluate(() => typeof window.axe !== 'undefined')))
        await page.evaluate(AXE);
    return page.evaluate(async ([tags, wcag]) => {
        const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags },
                                                   resultTypes: ['violations'], preload: false });
        return r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            wcag: v.tags.some((t) => wcag.includes(t)),
            targets: v.nodes.map((n) => n.target.join(' ')),
        }));
    }, [TAGS, WCAG]);
}

// Puts the keyboard's starting point at the top of PAGE, as when it has just
// loaded with nothing focused (the sign-in page focuses its first field).
async function fromTheTop(page) {
    await page.evaluate(() => {
        const start = document.createElement('span');
        start.tabIndex = -1;
        document.body.prepend(start);
        start.focus();
        start.remove();
        window.scrollTo(0, 0);
    });
}

// Follows the keyboard through PAGE: the skip link, then, when WALK, every
// Tab stop up to MAX_STOPS. Returns the problems found, as strings.
async function keyboardProblems(page, walk) {
    const problems = [];
    // How each focusable element looks unfocused, before any Tab.
    await fromTheTop(page);
    await page.evaluate(() => {
        const ring = (e) => {
            const s = getComputedStyle(e);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : 'none';
            return `${outline} | ${s.boxShadow}`;
        };
        window.__ring = ring;
        window.__unfocused = new Map();
        for (const e of document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]'))
            window.__unfocused.set(e, ring(e));
    });
    const where = () => page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body)
            return null;
        const r = e.getBoundingClientRect();
        const name = `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''}` +
                     ` "${(e.innerText || e.value || e.getAttribute('aria-label') || e.name || '').trim().slice(0, 40)}"`;
        const before = window.__unfocused.get(e);
        // Past its year, a date field's focus is on Chromium's own calendar
        // button inside it, which draws its own ring; the field itself is
        // no longer :focus.
        const picker = /^(date|time|datetime-local)$/.test(e.type) && !e.matches(':focus');
        return {
            name, skip: e.classList.contains('skip'), picker,
            ringed: before !== undefined && window.__ring(e) !== before,
            focusedRing: window.__ring(e),
            shown: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
                   r.left < innerWidth && r.top < innerHeight,
        };
    });

    await page.keyboard.press('Tab');
    const first = await where();
    if (!first || !first.skip) {
        problems.push(`the first Tab stop is ${first ? first.name : 'nothing'}, not the skip link`);
    } else {
        if (!first.shown)
            problems.push('the skip link is not on screen when focused');
        if (!first.ringed)
            problems.push(`the skip link shows no focus ring (${first.focusedRing})`);
        await page.keyboard.press('Enter');
        const landed = await page.evaluate(() => {
            const main = document.querySelector('main');
            const e = document.activeElement;
            return { hash: location.hash, inMain: !!main && (e === main || main.contains(e)) };
        });
        if (!landed.inMain)
            problems.push(`the skip link did not move focus to the main content (hash ${landed.hash})`);
        else {
            await page.keyboard.press('Tab');
            const next = await page.evaluate(() => {
                const main = document.querySelector('main');
                const e = document.activeElement;
                const focusable = main.querySelector('a[href], button, input:not([type="hidden"]), select, textarea, summary');
                return { inMain: main.contains(e) && e !== main, any: !!focusable };
            });
            if (next.any && !next.inMain)
                problems.push('Tab after the skip link does not go to the main content');
        }
        // Start over from the top for the walk.
        await page.evaluate(() => history.replaceState(null, '', location.pathname + location.search));
        await fromTheTop(page);
        await page.keyboard.press('Tab');
    }

    if (!walk)
        return problems;
    for (let i = 0; i < MAX_STOPS; i++) {
        const at = await where();
        if (!at || (i > 0 && at.skip))
            break; /* past the last stop, or round to the first again */
        if (!at.ringed && !at.picker)
            problems.push(`no visible focus on ${at.name} (focused: ${at.focusedRing})`);
        await page.keyboard.press('Tab');
    }
    return problems;
}

// The page's sideways overflow at its viewport, WIDTH wide: null when none,
// else the elements sticking out. (On a phone Chromium widens the layout
// viewport to hold a page too wide, so innerWidth alone would not tell.)
async function sidewaysScroll(page, width) {
    return page.evaluate((width) => {
        const doc = document.documentElement;
        const wide = Math.max(doc.scrollWidth, innerWidth);
        if (wide <= width + 1)
            return null;
        const label = (e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${
            e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''}`;
        // The innermost elements past the edge that no scrolling box
        // within the page holds (one positioned out of the flow may well
        // escape its box).
        const held = (e) => {
            if (/^(absolute|fixed)$/.test(getComputedStyle(e).position))
                return false;
            for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
                if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX) &&
                    p.getBoundingClientRect().right <= width + 1)
                    return true;
            return false;
        };
        const past = [...document.body.querySelectorAll('*')].filter((e) => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.right > width + 1 && !held(e);
        });
        const out = past.filter((e) => !past.some((o) => o !== e && e.contains(o)))
            .map((e) => `${label(e)} (${Math.round(e.getBoundingClientRect().left)}…${
                Math.round(e.getBoundingClientRect().right)})`);
        return `the page is ${wide} px wide, not ${width}: ${out.slice(0, 6).join(', ')}`;
    }, width);
}

// The page's clip for its screenshot: all of it, down to 10,000 CSS pixels
// (Chromium draws nothing taller than 16,384 device pixels, and the merge
// page of a long text takes seconds to shoot at 50,000).
async function tallest(page) {
    const { height, width } = await page.evaluate(() => ({
        height: document.documentElement.scrollHeight, width: innerWidth,
    }));
    return height > 10000 ? { clip: { x: 0, y: 0, width, height: 10000 } } : {};
}

const counts = new Map();   // rule id and impact → nodes seen, over all pages
const failures = [];

// Checks PAGE, shown at VIEW, as NAME: axe, the keyboard, sideways scrolling,
// and a screenshot.
const spent = { axe: 0, layout: 0, shot: 0, keys: 0 };
const ONLY = process.env.A11Y_PAGES ? new RegExp(process.env.A11Y_PAGES) : null;

async function check(j, page, name, view) {
    if (ONLY && !ONLY.test(name))
        return;
    await page.waitForLoadState('load');
    let t = Date.now();
    const lap = (what) => { spent[what] += Date.now() - t; t = Date.now(); };
    const violations = await axeViolations(page);
    lap('axe');
    for (const v of violations) {
        const key = `${v.id} (${v.impact})`;
        counts.set(key, (counts.get(key) || 0) + v.targets.length);
        const line = `${name} [${view}] ${v.impact} ${v.wcag ? '' : 'best-practice '}${v.id}: ${v.help} — ${v.helpUrl}\n` +
                     v.targets.slice(0, 6).map((t) => `      ${t}`).join('\n') +
                     (v.targets.length > 6 ? `\n      … and ${v.targets.length - 6} more` : '');
        console.log(line);
        if (v.wcag && FAILING.has(v.impact))
            failures.push(line);
    }
    const overflow = await sidewaysScroll(page, VIEWPORTS[view].viewport.width);
    if (overflow)
        failures.push(`${name} [${view}] scrolls sideways: ${overflow}`);
    lap('layout');
    await page.screenshot({ path: path.join(j.dir, `${name}-${view}.png`), fullPage: true, scale: 'css',
                           timeout: 20000, ...(await tallest(page)) });
    lap('shot');
    for (const p of await keyboardProblems(page, view === 'laptop'))
        failures.push(`${name} [${view}] keyboard: ${p}`);
    lap('keys');
}

// A page of J's for NAME (or nobody) in a context made with OPTIONS, given
// more time than a journey's: both sizes run at once.
async function person(j, name, password, options) {
    const page = await j.person(name, password, options);
    page.context().setDefaultTimeout(40000);
    return page;
}

// The data every page shows: teams, people, post mortems in each state with
// comments and action items. Returns the ids.
async function fill(admin) {
    await admin.ok('POST', '/api/v1/teams', { name: 'sre' });
    await admin.ok('POST', '/api/v1/teams', { name: 'web' });
    await admin.ok('PUT', '/api/v1/teams/sre/members/admin');
    const alice = await admin.createUser('alice', 'author', ['sre']);
    const rita = await admin.createUser('rita', 'reviewer', ['web']);
    const excellentId = '2026-03-10-eu-card-payments-declined';
    await alice.createPm(excellent(excellentId, 'sre'));
    await alice.ok('PUT', `/api/v1/postmortems/${excellentId}`,
                   { markdown: excellent(excellentId, 'sre') + '\nA follow-up review is booked.\n', base_revision: 1 });
    await alice.ok('POST', `/api/v1/postmortems/${excellentId}/comments`, { body: 'The timeline reads well.' });
    await rita.ok('POST', `/api/v1/postmortems/${excellentId}/comments`,
                  { body: 'Could the second lesson name its owner?' });
    const published = '2026-04-02-search-slow';
    await admin.createPm(postmortem(published, { team: 'web', severity: 'SEV1', service: 'search',
                                                 started: '2026-04-02' }));
    await admin.ok('POST', `/api/v1/postmortems/${published}/transitions`, { to: 'review' });
    await admin.ok('POST', `/api/v1/postmortems/${published}/transitions`,
                   { to: 'published', override: true, reason: 'published for the accessibility checks' });
    const review = '2026-05-01-queue-backlog';
    await alice.createPm(postmortem(review, { team: 'sre', severity: 'SEV3', service: 'queue',
                                              started: '2026-05-01' }));
    await alice.ok('POST', `/api/v1/postmortems/${review}/transitions`, { to: 'review' });
    return { excellentId, published, review };
}

test('every page is accessible, usable with the keyboard and fits a phone', async () => {
    const started = Date.now();
    const fresh = await startServer();
    const { server, admin } = await serverWithAdmin();
    const j = new Journey('a11y', server);
    const first = new Journey('a11y-setup', fresh);
    fs.rmSync(first.dir, { recursive: true, force: true });
    first.dir = j.dir;
    try {
        const ids = await fill(admin);
        const { excellentId: id, published, review } = ids;
        const pages = [
            ['home', '/'],
            ['list', '/postmortems'],
            ['list-filtered', '/postmortems?status=published&severity=SEV1&service=search&team=web&sort=started'],
            ['list-search', '/postmortems?q=checkout'],
            ['postmortem', `/postmortems/${id}`],
            ['postmortem-published', `/postmortems/${published}`],
            ['history', `/postmortems/${id}/history`],
            ['diff', `/postmortems/${id}/diff`],
            ['editor', `/postmortems/${id}/edit`],
            ['new', '/new'],
            ['actions', '/actions'],
            ['actions-done', '/actions?status=done'],
            ['person', '/people/alice'],
            ['patterns', '/patterns'],
            ['admin-users', '/admin/users'],
            ['admin-teams', '/admin/teams'],
            ['tokens', '/tokens'],
            ['not-found', '/postmortems/no-such-id', 404],
            ['not-found-route', '/no/such/page', 404],
        ];
        // Both sizes at once, each in its own contexts.
        const visit = async (view, options) => {
            // Nobody signed in: the sign-in page, and its answer to a wrong password.
            const anonymous = await person(j, null, PASSWORD, options);
            await j.open(anonymous, '/signin');
            await check(j, anonymous, 'signin', view);
            await anonymous.locator('input[name="name"]').fill('alice');
            await anonymous.locator('input[name="password"]').fill('wrong-password');
            await submit(anonymous, anonymous, /sign in/i);
            await check(j, anonymous, 'signin-error', view);
            // The first-run page, on a server with no admin yet.
            const nobody = await person(first, null, PASSWORD, options);
            await first.open(nobody, '/setup');
            await check(first, nobody, 'setup', view);

            const page = await person(j, ADMIN.name, ADMIN.password, options);
            for (const [name, route, status = 200] of pages) {
                await j.open(page, route, status);
                await check(j, page, name, view);
            }
            // The author's view of a post mortem in review: disabled buttons
            // with their reasons.
            const author = await person(j, 'alice', PASSWORD, options);
            await j.open(author, `/postmortems/${review}`);
            await check(j, author, 'postmortem-in-review', view);

            // The triage answer.
            await j.open(page, '/new');
            const triage = page.locator('form[action$="/triage"]').first();
            await triage.getByLabel(/customer/i).first().check();
            await submit(page, triage, /decide|triage|next/i);
            await check(j, page, 'triage-answer', view);

            // The merge page: a save from an older revision.
            await j.open(page, `/postmortems/${id}/edit`);
            await page.locator('input[name="base_revision"]').evaluate((e) => { e.value = '1'; });
            const text = page.locator('textarea[name="markdown"]');
            await text.fill((await text.inputValue()) + '\nA stale edit.\n');
            await submit(page, page, /^save/i);
            await check(j, page, 'merge', view);
        };
        await Promise.all(Object.entries(VIEWPORTS).map(([view, options]) => visit(view, options)));
        console.log(`violations by rule (nodes, all pages and viewports):\n${
            [...counts].sort().map(([k, n]) => `  ${k}: ${n}`).join('\n') || '  none'}`);
        console.log(`checked in ${((Date.now() - started) / 1000).toFixed(1)} s (${
            Object.entries(spent).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ')})`);
        failures.sort();
        assert.deepEqual(failures, [], `accessibility or layout problems:\n${failures.join('\n')}`);
    } finally {
        await first.close();
        await j.close();
    }
    j.watch.check();
    first.watch.check();
});
