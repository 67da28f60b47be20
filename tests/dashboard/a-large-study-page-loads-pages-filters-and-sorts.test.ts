import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigStudyState, writeBigStudy } from './big-study.js';
import { BROWSER_TEST_MS, ensureDashboardBuilt, launchChromium, openPage, startDashboardCli } from './browser.js';

// 1,000 trials (20 pages) are enough to page, filter, export and sort; writing more only costs the suite time (3,000
// took 22 s of a loaded machine). The 10,000-trial load time is measured by scripts/bench/dashboard-load.ts in the
// same browser (docs/BENCHMARKS.md).
const N = 1_000;
const N_FAIL = Array.from({ length: N }, (_, i) => bigStudyState(i)).filter((s) => s === 'FAIL').length;
const N_COMPLETE = Array.from({ length: N }, (_, i) => bigStudyState(i)).filter((s) => s === 'COMPLETE').length;

test('a 1,000-trial study page loads, pages its table 50 rows at a time, filters by state, sorts, and reports how long it took', { timeout: BROWSER_TEST_MS }, async (t) => {
  ensureDashboardBuilt();
  const file = join(mkdtempSync(join(tmpdir(), 'parzen-dash-')), 'big.db');
  // Chromium starts while the store is written (both take seconds on a busy machine).
  const [writeMs, browser] = await Promise.all([writeBigStudy(file, 'big', N), launchChromium()]);
  const dashboard = await startDashboardCli(`sqlite:${file}`);
  try {
    const page = await openPage(browser);
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    const started = performance.now();
    await page.goto(`${dashboard.url}#/study/big`);
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${N}' && document.querySelectorAll('#history canvas, #parallel canvas, #importance canvas').length >= 3`);
    const loadMs = performance.now() - started;
    t.diagnostic(`${N}-trial study page: table and three charts drawn ${Math.round(loadMs)} ms after navigation (store written in ${Math.round(writeMs)} ms)`);
    // The first paint stays cheap: the plots below the fold (1000 px high: the slice panels, the intermediate values,
    // the timeline), and every trial's intermediate values, wait until seen.
    assert.deepEqual(await page.$$eval('#slice canvas, #timeline canvas, #intermediate canvas', (cs) => cs.map((c) => c.closest('.chart')?.id)), []);
    assert.ok(!fetched.some((p) => p.endsWith('/intermediate')), `fetched before scrolling: ${fetched.join(' ')}`);
    await page.locator('#intermediate').scrollIntoViewIfNeeded();
    // (This study reports none: the plot's curves arrive, as an empty list, only now.)
    await page.waitForFunction(`document.querySelector('#intermediate')?.dataset.curves === '0'`);
    assert.ok(fetched.some((p) => p.endsWith('/intermediate')));
    await page.evaluate('window.scrollTo(0, 0)');
    assert.equal(await page.$$eval('#trials tbody tr', (rows) => rows.length), 50, `one page of 50 rows, not ${N}`);
    assert.match((await page.textContent('#trial-count')) ?? '', new RegExp(`page 1 of ${N / 50}`));
    await page.selectOption('#state-filter', 'FAIL');
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${N_FAIL}'`);
    // Export takes the rows shown (every FAIL trial, not just those on this page), as RFC 4180 CSV and as JSON.
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = readFileSync(await csvDownload.path(), 'utf8').split('\r\n').filter((l) => l !== '');
    assert.equal(csv[0], 'number,state,value,duration_ms,params.act,params.dropout,params.layers,params.lr');
    assert.equal(csv.length, 1 + N_FAIL);
    assert.ok(csv.slice(1).every((l) => l.split(',')[1] === 'FAIL'));
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    assert.equal((JSON.parse(readFileSync(await jsonDownload.path(), 'utf8')) as unknown[]).length, N_FAIL);
    await page.check('#exclude-failed');
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '0'`);
    await page.uncheck('#exclude-failed');
    await page.selectOption('#state-filter', '');
    // Top 10 % of the COMPLETE trials (all but the 2 % FAIL and the other PRUNED ones: 940 of 1,000) is 94 rows.
    assert.equal(N_COMPLETE, 940);
    await page.fill('#top-pct', '10');
    await page.dispatchEvent('#top-pct', 'change');
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${N_COMPLETE / 10}'`);
    await page.fill('#top-pct', '100');
    await page.dispatchEvent('#top-pct', 'change');
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${N}'`);
    // Sorting by value ascending puts the best COMPLETE trial first.
    await page.click('th[data-sort="v"]');
    const firstValue = Number(await page.textContent('#trials tbody tr:first-child td:nth-child(4)'));
    const best = Number(await page.evaluate(`fetch('/api/studies').then((r) => r.json()).then((s) => s[0].bestValue)`));
    assert.ok(Math.abs(firstValue - best) <= Math.abs(best) * 1e-5 + 1e-9, `first row ${firstValue} is the best ${best}`);
  } finally {
    await browser.close();
    await dashboard.stop();
  }
});
