// files.test.mjs: the files of a post mortem in Debian's Chromium, against
// the real server on SQLite: with JavaScript, the upload form of the post
// mortem page (static/app.js) PUTs a chosen file to the API with the page's
// CSRF token and the page, reloaded, draws its metric graph; without it,
// the text-file form adds one and the page says which named files are still
// missing. Pages are watched as in app.test.mjs (webapp.mjs, Watch).
//
// Environment: DEBRIEF (the binary), DEBRIEF_SOURCE (the repository),
// ARTIFACTS (where screenshots go; default a temporary folder).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Journey, SOURCE, closeBrowser, serverWithAdmin, submit } from './webapp.mjs';

after(closeBrowser);

const METRIC_CHART = 'figure.metric-chart';
const NAMES = ['metrics/eu-card-declines.csv', 'metrics/fraud-scoring-p99.csv'];

function metrics(name) {
    return fs.readFileSync(path.join(SOURCE, 'examples', name));
}

// The example post mortem as ID, with its two metric files named.
function example(id) {
    return fs.readFileSync(path.join(SOURCE, 'examples', 'excellent.md'), 'utf8')
        .replace(/^id: .*$/m, `id: ${id}`)
        .replace(/^owner_team: .*$/m, 'owner_team: risk');
}

async function journey(name, body) {
    const { server, admin } = await serverWithAdmin();
    const j = new Journey(name, server);
    try {
        await admin.ok('POST', '/api/v1/teams', { name: 'risk' });
        const ann = await admin.createUser('ann', 'author', ['risk']);
        await body(j, ann);
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

const missing = (page) => page.locator('ul.missing-files code').allInnerTexts();

test('a chosen file is uploaded by the script and drawn', async () => {
    await journey('files-script', async (j, ann) => {
        await ann.createPm(example('declines'));
        const page = await j.person('ann');
        await j.open(page, '/postmortems/declines');
        assert.equal(await page.locator(METRIC_CHART).count(), 0);
        assert.deepEqual(await missing(page), NAMES);
        const form = page.locator('form[data-attachments]');
        assert.ok(await form.isVisible(), 'the script shows the file upload form');
        await form.locator('input[type=file]').setInputFiles({
            name: 'eu-card-declines.csv', mimeType: 'text/csv',
            buffer: metrics('metrics/eu-card-declines.csv'),
        });
        await form.getByLabel(/Name in the document/).fill(NAMES[0]);
        await j.shot(page, 'chosen');
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
                           form.getByRole('button', { name: 'Upload' }).click()]);
        await j.shot(page, 'uploaded');
        assert.equal(await page.locator(METRIC_CHART).count(), 1);
        assert.deepEqual(await missing(page), [NAMES[1]]);
        const stored = await ann.ok('GET', '/api/v1/postmortems/declines/attachments');
        assert.deepEqual(stored.attachments.map((a) => [a.name, a.size, a.author]),
                         [[NAMES[0], metrics(NAMES[0]).length, 'ann']]);
        // A refused name is said on the page, and nothing is stored.
        await form.locator('input[type=file]').setInputFiles({
            name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n'),
        });
        await form.getByLabel(/Name in the document/).fill('../outside.csv');
        await form.getByRole('button', { name: 'Upload' }).click();
        await page.locator('.upload-status', { hasText: 'Not uploaded' }).waitFor();
        const after = await ann.ok('GET', '/api/v1/postmortems/declines/attachments');
        assert.equal(after.attachments.length, 1);
    });
});

test('without JavaScript a text file is added through the form', async () => {
    await journey('files-form', async (j, ann) => {
        await ann.createPm(example('declines'));
        const page = await j.person('ann', undefined, { javaScriptEnabled: false });
        await j.open(page, '/postmortems/declines');
        assert.equal(await page.locator('form[data-attachments]').isVisible(), false);
        const form = page.locator('form[action$="/files#files"]');
        await form.getByLabel('Name', { exact: true }).fill(NAMES[1]);
        await form.getByLabel('Content').fill(metrics(NAMES[1]).toString('utf8'));
        await j.shot(page, 'typed');
        await submit(page, form, 'Add the file');
        await j.shot(page, 'added');
        assert.ok(page.url().endsWith('/postmortems/declines#files'), page.url());
        assert.equal(await page.locator(METRIC_CHART).count(), 1);
        assert.deepEqual(await missing(page), [NAMES[0]]);
        assert.ok(await page.locator('#files a[href$="metrics%2Ffraud-scoring-p99.csv"]').count());
    });
});
