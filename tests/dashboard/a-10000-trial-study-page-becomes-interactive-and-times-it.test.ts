import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBigStudy } from './big-study.js';
import { BROWSER_TEST_MS, ensureDashboardBuilt, launchChromium, openPage, startDashboardCli } from './browser.js';

// The size. The time is reported, not asserted (the suite must pass on a busy machine): docs/BENCHMARKS.md
// keeps the figures, with scripts/bench/dashboard-load.ts for repeated runs beside an earlier build of the page.
const N = 10_000;

test('a 10,000-trial study page served by tune dashboard draws its table and first charts, and reports how long it took', { timeout: BROWSER_TEST_MS }, async (t) => {
  ensureDashboardBuilt();
  const file = join(mkdtempSync(join(tmpdir(), 'parzen-dash-10k-')), 'big.db');
  const [writeMs, browser] = await Promise.all([writeBigStudy(file, 'big', N), launchChromium()]);
  const dashboard = await startDashboardCli(`sqlite:${file}`);
  try {
    const page = await openPage(browser);
    const started = performance.now();
    await page.goto(`${dashboard.url}#/study/big`);
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${N}' && document.querySelectorAll('#history canvas, #parallel canvas, #importance canvas').length >= 3`);
    const loadMs = performance.now() - started;
    t.diagnostic(`${N}-trial study page interactive ${Math.round(loadMs)} ms after navigation (store written in ${Math.round(writeMs)} ms)`);
    assert.equal(await page.$$eval('#trials tbody tr', (rows) => rows.length), 50, 'the table shows its first page');
    assert.equal(await page.getAttribute('#history', 'data-trials'), String(N), 'the history plot was given every trial');
  } finally {
    await browser.close();
    await dashboard.stop();
  }
});
