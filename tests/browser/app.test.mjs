// app.test.mjs: the web app's journeys in Debian's Chromium.
//
// Each journey starts the real `debrief serve` (SQLite, test clock) on a free
// port, sets up its data through the UI where the journey is about that UI and
// through the JSON API otherwise, walks the pages as people do, and saves a
// screenshot per step into $ARTIFACTS/<journey>/NN-step.png. Throughout,
// every page is watched (webapp.mjs, Watch): no request leaves the server, no
// injected script runs, and every post form of a signed-in page carries a
// csrf_token field.
//
// Environment: DEBRIEF (the binary), DEBRIEF_SOURCE (the repository),
// ARTIFACTS (where screenshots go; default a temporary folder).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    ADMIN, PASSWORD, Api, Journey, closeBrowser, excellent, postmortem, score, serverWithAdmin,
    startServer, submit, until,
} from './webapp.mjs';

after(closeBrowser);

// Runs journey NAME: BODY(journey, admin) on a fresh server (with its admin
// made through the API unless FIRST_RUN), a screenshot of every open page
// when it fails, the Watch's checks when it does not.
async function journey(name, body, { firstRun = false } = {}) {
    let server, admin = null;
    if (firstRun)
        server = await startServer();
    else
        ({ server, admin } = await serverWithAdmin());
    const j = new Journey(name, server);
    try {
        await body(j, admin);
    } catch (e) {
        for (const c of j.contexts)
            for (const p of c.pages())
                await j.shot(p, 'failure').catch(() => {});
        throw e;
    } finally {
        await j.close();
    }
    j.watch.check();
}

// A form of PAGE posting to a path ending in ACTION.
const form = (page, action) => page.locator(`form[action$="${action}"]`).first();

// The field labelled LABEL in SCOPE, else the one named NAME.
const field = (scope, label, name) => scope.getByLabel(label).or(scope.locator(`[name="${name}"]`)).first();

// Everything PAGE shows, with the values of its text fields.
const shown = (page) => page.evaluate(() => document.body.innerText + '\n' +
    [...document.querySelectorAll('textarea, input')].map((e) => e.value).join('\n'));

// Signs PAGE in through /signin as NAME.
async function signInThroughPage(j, page, name, password) {
    await j.open(page, '/signin');
    await field(page, /name/i, 'name').fill(name);
    await field(page, /password/i, 'password').fill(password);
    await j.shot(page, 'sign-in');
    await submit(page, page, /sign in|log in/i);
}

// The id in a /postmortems/ID… address.
const idOf = (url) => (/\/postmortems\/([^/?#]+)/.exec(new URL(url).pathname) || [])[1];

const day = (offset) => new Date(Date.now() + offset * 86400e3).toISOString().slice(0, 10);

// Puts the post mortem ID of API in review and publishes it at once with an
// admin's override.
async function publishNow(admin, id) {
    await admin.ok('POST', `/api/v1/postmortems/${id}/transitions`, { to: 'review' });
    await admin.ok('POST', `/api/v1/postmortems/${id}/transitions`,
                   { to: 'published', override: true, reason: 'published for the browser tests' });
}

test('1. first run: /setup makes the admin, who sets up teams and users', async () => {
    await journey('01-first-run', async (j) => {
        const page = await j.person(null);
        await page.goto(j.server.base + '/');
        await j.shot(page, 'home-before-setup');
        await j.open(page, '/setup');
        await j.shot(page, 'setup');
        await field(page, /name/i, 'name').fill(ADMIN.name);
        for (const p of await page.locator('input[type="password"]').all())
            await p.fill(ADMIN.password);
        await submit(page, page, /create|set up|continue|save/i);
        await j.shot(page, 'after-setup');
        if (new URL(page.url()).pathname === '/signin')
            await signInThroughPage(j, page, ADMIN.name, ADMIN.password);
        const admin = await Api.signIn(j.server, ADMIN.name, ADMIN.password);
        assert.equal((await admin.ok('GET', '/api/v1/users/admin')).role, 'admin');

        await j.open(page, '/admin/teams');
        for (const team of ['sre', 'web']) {
            const f = form(page, '/admin/teams');
            await field(f, /name/i, 'name').fill(team);
            await submit(page, f, /add|create/i);
        }
        await j.shot(page, 'teams');
        const teams = (await admin.ok('GET', '/api/v1/teams')).items.map((t) => t.name);
        assert.deepEqual(teams.sort(), ['sre', 'web']);

        await j.open(page, '/admin/users');
        for (const [name, role] of [['alice', 'author'], ['rita', 'viewer']]) {
            const f = form(page, '/admin/users');
            await field(f, /name/i, 'name').fill(name);
            await field(f, /password/i, 'password').fill(PASSWORD);
            await field(f, /role/i, 'role').selectOption(role);
            await submit(page, f, /add|create/i);
        }
        await j.shot(page, 'users');

        // Roles change on the user's own form; members join on the team's.
        const rita = form(page, '/admin/users/rita');
        await field(rita, /role/i, 'role').selectOption('reviewer');
        await submit(page, rita, /save|change|update/i);
        await j.shot(page, 'role-changed');
        await j.open(page, '/admin/teams');
        for (const [team, user] of [['sre', 'alice'], ['web', 'rita']]) {
            const f = page.locator(`form[action$="/admin/teams/${team}/members"]`)
                .filter({ has: page.locator('input[name="user"]:not([type="hidden"])') }).first();
            await field(f, /user|member|name/i, 'user').fill(user);
            await submit(page, f, /add/i);
        }
        await j.shot(page, 'members');

        const alice = await admin.ok('GET', '/api/v1/users/alice');
        assert.equal(alice.role, 'author');
        assert.deepEqual(alice.teams, ['sre']);
        const r = await admin.ok('GET', '/api/v1/users/rita');
        assert.equal(r.role, 'reviewer');
        assert.deepEqual(r.teams, ['web']);
        // The new people can sign in.
        await Api.signIn(j.server, 'alice', PASSWORD);
    }, { firstRun: true });
});

test('2. an author writes from the triage form until the score rises, and submits it', async () => {
    await journey('02-author-writes', async (j, admin) => {
        await admin.ok('POST', '/api/v1/teams', { name: 'sre' });
        const alice = await admin.createUser('alice', 'author', ['sre']);
        const page = await j.person(null);
        await signInThroughPage(j, page, 'alice', PASSWORD);

        await j.open(page, '/new');
        await j.shot(page, 'new');
        const triage = form(page, '/triage');
        await triage.getByLabel(/customer/i).first().check();
        await submit(page, triage, /decide|triage|next/i);
        assert.match(await shown(page), /required/i, 'the triage answer does not say one is required');
        await j.shot(page, 'triage-answer');
        const create = form(page, '/postmortems');
        await field(create, /title/i, 'title').fill('Checkout declines cards for 41 minutes');
        await submit(page, create, /create|start|write/i);
        await j.shot(page, 'created');
        const id = idOf(page.url());
        assert.ok(id, `the triage form led to ${page.url()}, not a post mortem`);
        assert.equal((await alice.pm(id)).status, 'draft');

        await j.open(page, `/postmortems/${id}/edit`);
        const before = await score(page);
        assert.ok(before !== null, 'the editor shows no score');
        await j.shot(page, 'editor-template');

        // Live: the score follows the text while typing, fix after fix.
        const rises = async (above, what) => until(async () => { const s = await score(page); return s > above && s; },
                                                   20000, `the score rising above ${above} ${what}`);
        const editor = page.getByLabel(/markdown/i).or(page.locator('textarea')).first();
        await editor.fill(postmortem(id, { team: 'sre' }));
        const first = await rises(before, 'after filling in the sections');
        await j.shot(page, 'editor-sections-filled');
        const better = excellent(id, 'sre');
        await editor.fill(better);
        const live = await rises(first, 'after fixing the findings');
        await j.shot(page, 'editor-fixed-live');

        // Without JavaScript: the Preview button shows the same findings.
        const plain = await j.person('alice', PASSWORD, { javaScriptEnabled: false });
        await j.open(plain, `/postmortems/${id}/edit`);
        const plainBefore = await score(plain);
        assert.ok(plainBefore !== null, 'the editor shows no score without JavaScript');
        await plain.locator('textarea').first().fill(better);
        await submit(plain, plain, /preview/i);
        const previewed = await score(plain);
        assert.ok(previewed > plainBefore, `the preview's score ${previewed} is not above ${plainBefore}`);
        await j.shot(plain, 'preview-without-js');

        await submit(page, page, /^save/i);
        await j.shot(page, 'saved');
        const saved = await alice.pm(id);
        assert.equal(saved.revision, 2);
        assert.equal(saved.markdown, better);
        assert.ok(saved.score > before, `the stored score ${saved.score} is not above ${before}`);

        await j.open(page, `/postmortems/${id}`);
        await submit(page, page, /submit for review|to review|submit/i);
        await j.shot(page, 'in-review');
        assert.equal((await alice.pm(id)).status, 'review');
    });
});

test('3. a reviewer of another team comments and approves; publishing waits 24 h', async () => {
    await journey('03-review-publish', async (j, admin) => {
        for (const name of ['sre', 'web'])
            await admin.ok('POST', '/api/v1/teams', { name });
        const alice = await admin.createUser('alice', 'author', ['sre']);
        await admin.createUser('rita', 'reviewer', ['web']);
        await admin.createUser('sam', 'reviewer', ['sre']);
        const id = '2026-03-checkout';
        await alice.createPm(postmortem(id, { team: 'sre' }));
        await alice.ok('POST', `/api/v1/postmortems/${id}/transitions`, { to: 'review' });

        const rita = await j.person('rita');
        await j.open(rita, `/postmortems/${id}`);
        await j.shot(rita, 'reviewer-opens');
        const comments = form(rita, `/postmortems/${id}/comments`);
        await comments.locator('textarea').first().fill('The timeline reads well; approved.');
        await submit(rita, comments, /comment|post|add|send/i);
        assert.match(await shown(rita), /The timeline reads well; approved\./);
        await j.shot(rita, 'commented');
        await submit(rita, form(rita, `/postmortems/${id}/approvals`), /approve/i);
        await j.shot(rita, 'approved');
        const approvals = await alice.ok('GET', `/api/v1/postmortems/${id}/approvals`);
        assert.equal(approvals.counted, 1);
        const listed = await alice.ok('GET', `/api/v1/postmortems/${id}/comments`);
        assert.deepEqual(listed.items.map((c) => c.author), ['rita']);

        // A reviewer of the owner team is told why they may not approve.
        const sam = await j.person('sam');
        await j.open(sam, `/postmortems/${id}`);
        const samApprove = sam.getByRole('button', { name: /approve/i });
        if (await samApprove.count())
            assert.ok(await samApprove.first().isDisabled(), "the owner team's reviewer may press Approve");
        assert.match(await shown(sam), /another team/i);
        await j.shot(sam, 'same-team-reviewer');

        // Before 24 h: Publish is disabled and says why.
        const author = await j.person('alice');
        await j.open(author, `/postmortems/${id}`);
        const publish = author.getByRole('button', { name: /^publish$/i }).first();
        assert.ok(await publish.isDisabled(), 'Publish is enabled before 24 h in review');
        const why = await publish.evaluate((b) => {
            const ids = (b.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
            return [b.textContent, b.title, b.getAttribute('aria-description') || '',
                    ...ids.map((i) => (document.getElementById(i) || {}).textContent || ''),
                    (b.closest('form') || b.parentElement).textContent].join(' ');
        });
        assert.match(why, /in review for .*\d+ h( \d+ min)? to go/, `the disabled Publish button does not say why: ${why}`);
        await j.shot(author, 'publish-disabled');

        await admin.advanceClock(24 * 3600 + 60);
        await j.open(author, `/postmortems/${id}`);
        const ready = author.getByRole('button', { name: /^publish$/i }).first();
        assert.ok(await ready.isEnabled(), 'Publish is still disabled after 24 h');
        await j.shot(author, 'publish-enabled');
        await submit(author, author, /^publish$/i);
        await j.shot(author, 'published');
        assert.equal((await alice.pm(id)).status, 'published');
    });
});

test('4. the action board shows overdue items first; one is marked done with a link', async () => {
    await journey('04-action-board', async (j, admin) => {
        await admin.ok('POST', '/api/v1/teams', { name: 'sre' });
        const alice = await admin.createUser('alice', 'author', ['sre']);
        await alice.createPm(postmortem('2026-05-dns', { team: 'sre', actions: [
            ['Document the failover runbook', '@alice', day(200), 'open'],
            ['Rotate the signing keys', '@alice', day(-60), 'open'],
        ] }));
        await alice.createPm(postmortem('2026-06-queue', { team: 'sre', actions: [
            ['Add retries to the payment client', '@bob', day(-5), 'open'],
        ] }));

        const page = await j.person('alice');
        await j.open(page, '/actions');
        await j.shot(page, 'board');
        const text = await page.evaluate(() => document.body.innerText);
        const order = ['Rotate the signing keys', 'Add retries to the payment client',
                       'Document the failover runbook'].map((d) => text.indexOf(d));
        assert.ok(order.every((i) => i >= 0), `the board misses an item: ${order}`);
        assert.ok(order[0] < order[1] && order[1] < order[2], `not overdue first: ${order}`);

        const link = 'https://tickets.example.com/OPS-12';
        const mark = form(page, '/postmortems/2026-05-dns/actions/2');
        await field(mark, /link/i, 'link').fill(link);
        const status = mark.locator('select[name="status"]');
        if (await status.count())
            await status.selectOption('done');
        await submit(page, mark, /done|mark|save/i);
        await j.shot(page, 'marked-done');
        const items = (await alice.ok('GET', '/api/v1/actions?postmortem=2026-05-dns')).items;
        const done = items.find((i) => i.number === 2);
        assert.equal(done.status, 'done');
        assert.equal(done.link, link);
        await j.open(page, '/actions?status=done');
        await j.shot(page, 'board-done');
        assert.ok(await page.locator(`a[href="${link}"]`).count() > 0, 'the board does not link the done item');

        await j.open(page, '/people/alice');
        await j.shot(page, 'person');
        const mine = await page.evaluate(() => document.body.innerText);
        assert.match(mine, /Document the failover runbook/);
        assert.doesNotMatch(mine, /Add retries to the payment client/);
    });
});

test('5. a restricted post mortem is nowhere in the UI for an outsider', async () => {
    await journey('05-restricted', async (j, admin) => {
        for (const name of ['payments', 'web'])
            await admin.ok('POST', '/api/v1/teams', { name });
        const carol = await admin.createUser('carol', 'author', ['payments']);
        await admin.createUser('bob', 'author', ['web']);
        const secret = '2026-04-card-leak';
        await carol.createPm(postmortem(secret, {
            title: 'Card numbers logged by the fraud service', team: 'payments', restricted: true,
            words: 'The word zanzibarquux is the secret search term.', started: '2026-04-03',
            actions: [['Purge the fraud-service logs', '@carol', '2026-04-10', 'open']],
        }));
        await publishNow(admin, secret);
        const open = '2026-03-cdn-outage';
        await admin.createPm(postmortem(open, { title: 'CDN outage slows every page', team: 'web',
                                                actions: [['Warm the edge cache', '@carol', '2026-04-01', 'open']] }));
        await publishNow(admin, open);

        const hidden = /Card numbers logged|card-leak|zanzibarquux|Purge the fraud-service logs/;
        const bob = await j.person('bob');
        const look = async (route, step, control, words = hidden) => {
            await j.open(bob, route);
            await j.shot(bob, step);
            const text = await bob.content();
            assert.doesNotMatch(text, words, `${route} shows the restricted post mortem`);
            if (control)
                assert.match(text, control, `${route} does not show what it should`);
        };
        await look('/postmortems', 'list', /CDN outage/);
        // The search box holds the word searched for; the results must not.
        await look('/postmortems?q=zanzibarquux', 'search-secret', null,
                   /Card numbers logged|card-leak|Purge the fraud-service logs/);
        await look('/postmortems?q=fraud', 'search-fraud');
        await look('/postmortems?team=payments', 'filter-team');
        await look('/actions', 'board', /Warm the edge cache/);
        await look('/people/carol', 'person', /Warm the edge cache/);
        await look('/patterns', 'patterns');

        await j.open(bob, '/postmortems/no-such-id', 404);
        const missing = (await bob.evaluate(() => document.body.innerText)).replaceAll('no-such-id', 'ID');
        for (const route of ['', '/edit', '/history', '/diff']) {
            await j.open(bob, `/postmortems/${secret}${route}`, 404);
            const text = await bob.content();
            assert.doesNotMatch(text, hidden, `/postmortems/${secret}${route} shows it`);
            if (route === '')
                assert.equal((await bob.evaluate(() => document.body.innerText)).replaceAll(secret, 'ID'),
                             missing, 'the 404 page differs from the one of a missing post mortem');
        }
        await j.shot(bob, 'not-found');

        const feed = await bob.context().request.get(j.server.base + '/feed.atom');
        assert.notEqual(feed.status(), 501, 'GET /feed.atom is not built yet (501)');
        assert.equal(feed.status(), 200);
        const atom = await feed.text();
        assert.match(atom, /CDN outage slows every page/);
        assert.doesNotMatch(atom, hidden, 'the feed shows the restricted post mortem');

        // The owner team sees it, so the checks above can fail.
        const insider = await j.person('carol');
        await j.open(insider, '/postmortems?q=zanzibarquux');
        assert.match(await insider.content(), /Card numbers logged/);
        await j.shot(insider, 'insider-search');
    });
});

test('6. two tabs edit one post mortem: the merge page keeps both edits', async () => {
    await journey('06-merge', async (j, admin) => {
        await admin.ok('POST', '/api/v1/teams', { name: 'sre' });
        const alice = await admin.createUser('alice', 'author', ['sre']);
        const id = '2026-07-cache';
        const original = postmortem(id, { team: 'sre' });
        await alice.createPm(original);

        const a = await j.person('alice');
        const b = await a.context().newPage();
        await j.open(a, `/postmortems/${id}/edit`);
        await j.open(b, `/postmortems/${id}/edit`);
        const editA = (t) => t.replace('no money was taken twice.', 'no money was taken twice. Edit from tab A.');
        const editB = (t) => t.replace('failed its validation.', 'failed its validation. Edit from tab B.');
        const textA = a.locator('textarea').first();
        await textA.fill(editA(await textA.inputValue()));
        await submit(a, a, /^save/i);
        await j.shot(a, 'tab-a-saved');
        assert.match((await alice.pm(id)).markdown, /Edit from tab A/);

        const textB = b.locator('textarea').first();
        await textB.fill(editB(await textB.inputValue()));
        await submit(b, b, /^save/i);
        await j.shot(b, 'tab-b-merge-page');
        const both = await shown(b);
        assert.match(both, /Edit from tab A/, 'the merge page does not show the saved version');
        assert.match(both, /Edit from tab B/, 'the merge page does not show the text of this tab');
        assert.equal((await alice.pm(id)).revision, 2, 'the stale save wrote a revision');

        // The person merges by hand into the editable text and saves.
        const merged = editB(editA(original));
        const editor = b.locator('form[action$="/edit"]')
            .filter({ has: b.locator('textarea:not([readonly])') }).first();
        await editor.locator('textarea:not([readonly])').first().fill(merged);
        await submit(b, editor, /^save/i);
        await j.shot(b, 'merged');
        const now = await alice.pm(id);
        assert.equal(now.revision, 3);
        assert.match(now.markdown, /Edit from tab A/);
        assert.match(now.markdown, /Edit from tab B/);
    });
});

test('7. script and HTML typed into every field never runs', async () => {
    await journey('07-xss', async (j, admin) => {
        const X = '"><svg onload=window.__x=1><script>window.__x=1</script><img src=x onerror=window.__x=1>';
        const short = '<img src=x onerror=window.__x=1>';
        const js = 'javascript:window.__x=1';
        await admin.ok('POST', '/api/v1/teams', { name: 'sre' });
        await admin.ok('PUT', '/api/v1/teams/sre/members/admin');
        const adminPage = await j.person(ADMIN.name, ADMIN.password);
        const pages = [];
        const assertInert = async (page, where) => {
            await page.waitForTimeout(200);
            const bad = await page.evaluate(() => {
                const found = [];
                if (typeof window.__x !== 'undefined')
                    found.push('window.__x is set');
                for (const e of document.querySelectorAll('*')) {
                    for (const a of e.attributes)
                        if (/^on/i.test(a.name))
                            found.push(`<${e.tagName.toLowerCase()} ${a.name}>`);
                    if (e.tagName === 'SCRIPT' && !e.src)
                        found.push('an inline <script>');
                }
                for (const l of document.querySelectorAll('[href], [src], [action], [formaction]'))
                    for (const n of ['href', 'src', 'action', 'formaction'])
                        if (/^\s*javascript:/i.test(l.getAttribute(n) || ''))
                            found.push(`a javascript: ${n}`);
                return found;
            });
            assert.deepEqual(bad, [], `${where} runs or holds injected script`);
        };

        // Names that the rules refuse come back in the form, escaped.
        await j.open(adminPage, '/admin/teams');
        let f = form(adminPage, '/admin/teams');
        await field(f, /name/i, 'name').fill(X);
        await submit(adminPage, f, /add|create/i);
        await assertInert(adminPage, 'the team form with a payload');
        await j.shot(adminPage, 'team-name');
        await j.open(adminPage, '/admin/users');
        f = form(adminPage, '/admin/users');
        await field(f, /name/i, 'name').fill(X);
        await field(f, /password/i, 'password').fill(PASSWORD);
        await submit(adminPage, f, /add|create/i);
        await assertInert(adminPage, 'the user form with a payload');
        await j.shot(adminPage, 'user-name');

        await j.open(adminPage, '/tokens');
        f = form(adminPage, '/tokens');
        await field(f, /label|name/i, 'label').fill(short);
        await submit(adminPage, f, /make|create|add|new/i);
        await assertInert(adminPage, 'the new token');
        await j.shot(adminPage, 'token-label');

        // The search box.
        await j.open(adminPage, '/postmortems');
        await adminPage.getByRole('searchbox').or(adminPage.locator('input[name="q"]')).first().fill(X);
        await Promise.all([adminPage.waitForNavigation(), adminPage.locator('input[name="q"]').first().press('Enter')]);
        await assertInert(adminPage, 'the search results');
        await j.shot(adminPage, 'search');

        // The triage form's title, when it has one.
        await j.open(adminPage, '/new');
        const triage = form(adminPage, '/triage');
        await triage.getByLabel(/customer/i).first().check();
        await submit(adminPage, triage, /decide|triage|next/i);
        const create = form(adminPage, '/postmortems');
        await field(create, /title/i, 'title').fill(X);
        await submit(adminPage, create, /create|start|write/i);
        await assertInert(adminPage, 'the new post mortem with a payload title');
        await j.shot(adminPage, 'triage-title');
        const titled = idOf(adminPage.url());

        // The Markdown: title, text, raw HTML, links, action items.
        const id = '2026-08-xss';
        await admin.createPm(postmortem(id, { team: 'sre' }));
        const evil = postmortem(id, {
            team: 'sre', title: X, service: 'svc', words: `${X} [click me](${js}) <a href="${js}">raw</a>`,
            actions: [[`Fix ${X}`, short, day(-3), 'open'], ['Second item', '@alice', day(10), 'open']],
        }).replace('## Root cause', `## Root cause\n\n<script>window.__x=1</script>\n\n![x](${js})`);
        await j.open(adminPage, `/postmortems/${id}/edit`);
        await adminPage.locator('textarea').first().fill(evil);
        await adminPage.waitForTimeout(500);
        await assertInert(adminPage, 'the editor with live findings');
        await submit(adminPage, adminPage, /^save/i);
        assert.equal((await admin.pm(id)).markdown, evil, 'the payload text was not saved as typed');
        await j.shot(adminPage, 'markdown-saved');

        // A comment, and a link on an action item.
        await j.open(adminPage, `/postmortems/${id}`);
        f = form(adminPage, `/postmortems/${id}/comments`);
        await f.locator('textarea').first().fill(`${X} [click](${js})`);
        await submit(adminPage, f, /comment|post|add|send/i);
        await assertInert(adminPage, 'the comment');
        await j.open(adminPage, '/actions');
        f = form(adminPage, `/postmortems/${id}/actions/2`);
        await field(f, /link/i, 'link').fill(js);
        const status = f.locator('select[name="status"]');
        if (await status.count())
            await status.selectOption('done');
        await submit(adminPage, f, /done|mark|save/i);
        await assertInert(adminPage, 'the board after marking with a javascript: link');
        await publishNow(admin, id);

        // Every page that shows them.
        for (const [route, step] of [
            ['/postmortems', 'list'], [`/postmortems?q=${encodeURIComponent(X)}`, 'search-url'],
            [`/postmortems/${id}`, 'page'], [`/postmortems/${id}/history`, 'history'],
            [`/postmortems/${id}/diff`, 'diff'], [`/postmortems/${id}/edit`, 'editor'],
            ['/actions', 'board'], [`/people/${encodeURIComponent(short)}`, 'person'],
            ['/people/alice', 'person-alice'], ['/patterns', 'patterns'], ['/tokens', 'tokens'],
            ['/admin/users', 'users'], ['/admin/teams', 'teams'], ['/', 'home'],
            ...(titled ? [[`/postmortems/${titled}`, 'titled-page']] : []),
        ]) {
            await j.open(adminPage, route);
            await assertInert(adminPage, route);
            await j.shot(adminPage, step);
            pages.push(route);
        }
        const feed = await adminPage.context().request.get(j.server.base + '/feed.atom');
        assert.equal(feed.status(), 200, 'GET /feed.atom');
        const atom = await feed.text();
        assert.doesNotMatch(atom, /<script|<svg|<img/i, 'the feed holds raw HTML from the text');
    });
});

test('8. no page asks for anything outside the server', async () => {
    await journey('08-no-outside-requests', async (j, admin) => {
        await admin.ok('POST', '/api/v1/teams', { name: 'sre' });
        await admin.ok('PUT', '/api/v1/teams/sre/members/admin');
        const id = '2026-03-10-eu-card-payments-declined';
        await admin.createPm(excellent(id, 'sre'));
        await admin.ok('PUT', `/api/v1/postmortems/${id}`, { markdown: excellent(id, 'sre') + '\nMore.\n',
                                                             base_revision: 1 });
        const anonymous = await j.person(null);
        for (const route of ['/signin', '/setup']) {
            await anonymous.goto(j.server.base + route);
            await j.shot(anonymous, route.slice(1));
        }
        const page = await j.person(ADMIN.name, ADMIN.password);
        const routes = ['/', '/postmortems', '/new', `/postmortems/${id}`, `/postmortems/${id}/edit`,
                        `/postmortems/${id}/history`, `/postmortems/${id}/diff`, '/actions',
                        '/people/admin', '/patterns', '/tokens', '/admin/users', '/admin/teams',
                        '/feed.atom'];
        for (const route of routes) {
            await j.open(page, route);
            await j.shot(page, route.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home');
        }
        // The report's charts are drawn, from the server's own files.
        await j.open(page, `/postmortems/${id}`);
        const svgs = await page.$$eval('svg', (s) => s.filter((e) => e.getBoundingClientRect().width > 0).length);
        assert.ok(svgs > 0, 'the post mortem page draws no chart');
        const sheets = await page.$$eval('link[rel="stylesheet"], script[src]',
                                         (l) => l.map((e) => e.getAttribute('href') || e.getAttribute('src')));
        assert.ok(sheets.some((s) => /^\/static\/style\.css/.test(s)), `no /static/style.css: ${sheets}`);
        assert.ok(j.watch.requests > routes.length, 'the pages were not watched');
    });
});
