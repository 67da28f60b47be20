import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBigStudy } from './big-study.js';
import { ensureDashboardBuilt, launchChromium, startDashboardCli } from './browser.js';

// 3,000 trials keep this test inside its time on a busy machine; the 10,000-trial load time is measured by
// scripts/bench/dashboard-load.ts (docs/BENCHMARKS.md).
const N = 3_000;

test('a 3,000-trial study page loads, pages its table 50 rows at a time, filters by state, sorts, and reports how long it took', { timeout: 120_000 }, async (t) => {
  ensureDashboardBuilt();
  const file = join(mkdtempSync(join(tmpdir(), 'parzen-dash-')), 'big.db');
  // Chromium starts while the store is written (both take seconds on a busy machine).
  const [writeMs, browser] = await Promise.all([writeBigStudy(file, 'big', N), launchChromium()]);
  const dashboard = await startDashboardCli(`sqlite:${file}`);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, bypassCSP: true });
    const started = performance.now();
    await page.goto(`${dashboard.url}#/study/big`);
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${N}' && document.querySelectorAll('#history canvas, #parallel canvas, #importance canvas').length >= 3`, undefined, { timeout: 60_000 });
    const loadMs = performance.now() - started;
    t.diagnostic(`${N}-trial study page: table and three charts drawn ${Math.round(loadMs)} ms after navigation (store written in ${Math.round(writeMs)} ms)`);
    assert.equal(await page.$$eval('#trials tbody tr', (rows) => rows.length), 50, `one page of 50 rows, not ${N}`);
    assert.match((await page.textContent('#trial-count')) ?? '', new RegExp(`page 1 of ${N / 50}`));
    await page.selectOption('#state-filter', 'FAIL');
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${N / 50}'`);
    // Export takes the rows shown (all 60 FAIL trials, not the 50 on this page), as RFC 4180 CSV and as JSON.
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = readFileSync(await csvDownload.path(), 'utf8').split('\r\n').filter((l) => l !== '');
    assert.equal(csv[0], 'number,state,value,duration_ms,params.act,params.dropout,params.layers,params.lr');
    assert.equal(csv.length, 1 + N / 50);
    assert.ok(csv.slice(1).every((l) => l.split(',')[1] === 'FAIL'));
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    assert.equal((JSON.parse(readFileSync(await jsonDownload.path(), 'utf8')) as unknown[]).length, N / 50);
    await page.check('#exclude-failed');
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '0'`);
    await page.uncheck('#exclude-failed');
    await page.selectOption('#state-filter', '');
    // Top 10 % of the COMPLETE trials (all but the 2 % FAIL and the other PRUNED ones: 2,820 of 3,000) is 282 rows.
    await page.fill('#top-pct', '10');
    await page.dispatchEvent('#top-pct', 'change');
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '282'`);
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
