// render.test.mjs: each example's report, opened in Debian's Chromium.
//
// Renders every examples/*.md with the real `debrief render`, opens the page
// from a file: URL in headless Chromium (playwright-core, no downloaded
// browser), saves a screenshot as a test artifact, and checks what a reader
// would see: the timeline chart and every metric graph drawn as SVG with a
// size, and not one request made beyond the page itself.
//
// Environment: DEBRIEF (the binary), DEBRIEF_SOURCE (the repository),
// ARTIFACTS (where screenshots go; default a temporary folder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const debrief = process.env.DEBRIEF;
const source = process.env.DEBRIEF_SOURCE;
const artifacts = process.env.ARTIFACTS || fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-browser-'));
const examples = path.join(source, 'examples');
fs.mkdirSync(artifacts, { recursive: true });

function launch() {
    return chromium.launch({
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
}

// The page of FILE rendered into a temporary folder, as a file: URL.
function render(file) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-page-')),
                          path.basename(file, '.md') + '.html');
    execFileSync(debrief, ['render', '--today', '2026-11-26', '-o', out, file]);
    return out;
}

const pages = fs.readdirSync(examples).filter((f) => f.endsWith('.md') && f !== 'README.md');

for (const name of pages) {
    test(`${name} renders with its charts and makes no request`, async () => {
        const file = render(path.join(examples, name));
        const url = 'file://' + file;
        const browser = await launch();
        try {
            const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
            const requests = [];
            page.on('request', (r) => requests.push(r.url()));
            await page.goto(url, { waitUntil: 'load' });
            await page.screenshot({ path: path.join(artifacts, name.replace(/\.md$/, '.png')), fullPage: true });

            const outside = requests.filter((u) => u !== url && !u.startsWith('data:'));
            assert.deepEqual(outside, [], 'the page asked the network for something');

            const charts = await page.$$eval('svg', (svgs) => svgs.map((s) => {
                const r = s.getBoundingClientRect();
                return { cls: s.getAttribute('class') || '', width: r.width, height: r.height };
            }));
            const drawn = charts.filter((c) => c.width > 0 && c.height > 0);
            assert.ok(drawn.length > 0, 'no SVG is drawn on the page');
            const timeline = charts.filter((c) => /timeline/.test(c.cls));
            assert.ok(timeline.length === 1 && timeline[0].width > 0 && timeline[0].height > 0,
                      'the timeline chart is not drawn');

            const declared = (fs.readFileSync(path.join(examples, name), 'utf8')
                .match(/^metrics:\n((?:\s+-[^\n]*\n|\s{4,}[^\n]*\n)*)/m) || ['', ''])[1]
                .split('\n').filter((l) => /^\s+- file:/.test(l)).length;
            const graphs = charts.filter((c) => /metric/.test(c.cls));
            assert.equal(graphs.length, declared, 'one graph per metrics entry');
            for (const g of graphs)
                assert.ok(g.width > 0 && g.height > 0, 'a metric graph has no size');
        } finally {
            await browser.close();
            fs.rmSync(path.dirname(file), { recursive: true, force: true });
        }
    });
}
