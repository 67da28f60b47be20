import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import assert from 'node:assert/strict';
import { fixture, tempStore } from '../cli/cli.js';
import { startTune } from '../cli/background.js';
import { openStorage } from '../../src/storage/open.js';
import { listTrials } from '../../src/study/queries.js';
import { BROWSER_TEST_MS, ensureDashboardBuilt, launchChromium, openPage, startDashboardCli } from './browser.js';

const STUDY = 'live';
/** A page-side test of the trial table's row count (the page's DOM, written as source: the tests have no DOM types). */
const countIs = (cmp: string): string => `Number(document.querySelector('#trial-count')?.dataset.count) ${cmp}`;

test('while tune writes to the store, the study page shows new trials without a reload, the brush filters the table, and a trial shows its metric series', { timeout: BROWSER_TEST_MS }, async () => {
  ensureDashboardBuilt();
  const storage = tempStore();
  const objective = ['--objective', fixture('slow-curves'), '--study', STUDY, '--storage', storage, '--seed', '3'];
  // Chromium starts while a first run writes the store (the dashboard needs it to exist: it never creates one); in
  // this process (--workers 0), as 3 trials need no pool. The run the page watches below has its worker threads.
  const first = startTune([...objective, '--trials', '3', '--workers', '0']);
  const browser = await launchChromium();
  try {
    const firstEnded = await first.exited;
    assert.equal(firstEnded.code, 0, first.stderr());
    await showsTheRunningStudy(browser, storage, objective);
  } finally {
    await browser.close();
  }
});

async function showsTheRunningStudy(browser: Browser, storage: string, objective: readonly string[]): Promise<void> {
  const dashboard = await startDashboardCli(storage);
  try {
    const page = await openPage(browser);
    await page.goto(`${dashboard.url}#/study/${STUDY}`);
    await page.waitForSelector('#live[data-state="live"]');
    await page.waitForFunction(countIs('=== 3'));
    await page.evaluate("window.samePage = 'not reloaded'");

    // A second run adds 24 trials to the same SQLite file while the page is open.
    const run = startTune([...objective, '--trials', '24'], { PARZEN_TEST_SLEEP_MS: '30' });
    await page.waitForFunction(countIs('> 3'));
    const ended = await run.exited;
    assert.equal(ended.code, 0, run.stderr());
    assert.doesNotMatch(run.stderr(), /locked|SQLITE_BUSY/i, 'the dashboard never blocks the running study');
    await page.waitForFunction(countIs('=== 27'));
    assert.equal(await page.evaluate('window.samePage'), 'not reloaded');
    await page.locator('#intermediate').scrollIntoViewIfNeeded();
    await page.waitForSelector('#intermediate canvas');
    await page.evaluate('window.scrollTo(0, 0)'); // the brush below aims at the parallel chart where the page first shows it
    const reader = await openStorage(storage, { readOnly: true });
    const { total } = await listTrials(reader, STUDY, { states: ['COMPLETE'] }).finally(() => reader.close());
    assert.equal(total, 27, 'every write of the running study landed');

    // Brush the first parallel axis (x ∈ [0, 1]) from its top to its middle: the table keeps only x ≥ ~0.5.
    const box = (await page.locator('#parallel').boundingBox())!;
    const axisX = box.x + 50;
    const top = box.y + 40;
    const bottom = box.y + box.height - 30;
    await page.mouse.move(axisX, top + 1);
    await page.mouse.down();
    await page.mouse.move(axisX, (top + bottom) / 2, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(countIs('< 27'));
    const xs = await page.$$eval('#trials tbody tr', (rows) => rows.map((r) => Number(r.children[5]?.textContent)));
    assert.ok(xs.length > 0 && xs.every((x) => x >= 0.45), `brushed rows have x ≥ 0.5: ${xs.join(', ')}`);

    // A trial page draws one chart per named series, on a step axis.
    await page.goto(`${dashboard.url}#/study/${STUDY}/trial/5`);
    await page.waitForSelector('[data-series="val_loss"] canvas');
    await page.waitForSelector('[data-series="train_loss"] canvas');
    assert.match((await page.textContent('#trial-facts')) ?? '', /COMPLETE/);
  } finally {
    assert.equal(await dashboard.stop(), 0);
  }
}
