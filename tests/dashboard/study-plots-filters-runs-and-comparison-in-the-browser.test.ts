import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_TEST_MS, ensureDashboardBuilt, launchChromium, openPage, startDashboardCli } from './browser.js';
import { PLOTS_STUDY, writeStudyWithRun } from './study-with-runs.js';

const N = 150;
/** Page-side expressions (the tests have no DOM types). */
const count = "Number(document.querySelector('#trial-count')?.dataset.count)";
const plotted = (id: string): string => `Number(document.querySelector('#${id}')?.dataset.trials)`;

test('the study page draws fANOVA importance on request, slice, pair heat map, EDF and timeline plots that honour the exclude toggles; the table filters by param ranges; a run page shows its source trial; trials and runs compare on one chart', { timeout: BROWSER_TEST_MS }, async () => {
  ensureDashboardBuilt();
  const file = join(mkdtempSync(join(tmpdir(), 'parzen-dash-')), 'plots.db');
  const [{ best, runId, legacyRunId }, browser] = await Promise.all([writeStudyWithRun(file, N), launchChromium()]);
  const dashboard = await startDashboardCli(`sqlite:${file}`);
  try {
    const page = await openPage(browser);
    await page.goto(`${dashboard.url}#/study/${PLOTS_STUDY}`);
    await page.waitForFunction(`${count} === ${N}`);
    // The plots below the fold draw as they scroll into view.
    assert.equal(await page.$('#timeline canvas'), null, 'not drawn before it is seen');
    for (const id of ['slice', 'heatmap', 'edf', 'timeline']) {
      await page.locator(`#${id}`).scrollIntoViewIfNeeded();
      await page.waitForSelector(`#${id} canvas`);
    }
    // The pair heat map starts on the two most important params, and any other pair can be chosen.
    assert.match((await page.getAttribute('#heatmap', 'data-pair')) ?? '', /^\w+×\w+$/);
    await page.selectOption('#pair-x', 'dropout');
    await page.selectOption('#pair-y', 'layers');
    await page.waitForSelector('#heatmap[data-pair="dropout×layers"]');
    assert.equal(await page.evaluate(plotted('slice')), N);
    // fANOVA on request: the value is dominated by lr ((log10 lr + 2.5)², up to 2.25) in both methods.
    await page.waitForSelector('#importance[data-method="ped-anova"][data-top="lr"]');
    await page.selectOption('#importance-method', 'fanova');
    await page.waitForSelector('#importance[data-method="fanova"][data-top="lr"]');
    // 12 PRUNED (every 10th, but 49, 99 and 149 failed) and 6 FAIL (every 25th) leave every plot and the table when excluded.
    await page.check('#exclude-pruned');
    await page.check('#exclude-failed');
    await page.waitForFunction(`${plotted('slice')} === ${N - 18} && ${plotted('timeline')} === ${N - 18} && ${count} === ${N - 18}`);
    await page.uncheck('#exclude-pruned');
    await page.uncheck('#exclude-failed');
    await page.waitForFunction(`${count} === ${N}`);

    // Param ranges: layers 2–4 and dropout ≥ 0.25; the rows shown all lie inside, and a bad bound is named, not applied.
    await page.click('#param-filter summary');
    await page.fill('[data-param="layers"][data-bound="min"]', '2');
    await page.fill('[data-param="layers"][data-bound="max"]', '4');
    await page.fill('[data-param="dropout"][data-bound="min"]', '0.25');
    await page.dispatchEvent('[data-param="dropout"][data-bound="min"]', 'change');
    await page.waitForFunction(`${count} > 0 && ${count} < ${N / 2}`);
    const header = await page.$$eval('#trials thead th', (ths) => ths.map((th) => th.textContent?.replace(/ [▲▼]$/, '')));
    const col = (name: string): number => header.indexOf(name);
    const rows = await page.$$eval('#trials tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
    assert.ok(rows.every((r) => Number(r[col('layers')]) >= 2 && Number(r[col('layers')]) <= 4 && Number(r[col('dropout')]) >= 0.25), JSON.stringify(rows.slice(0, 3)));
    const filtered = await page.evaluate(count);
    await page.fill('[data-param="lr"][data-bound="max"]', 'abc');
    await page.dispatchEvent('[data-param="lr"][data-bound="max"]', 'change');
    await page.waitForFunction(`document.querySelector('#param-filter-note')?.textContent.includes("lr max 'abc' is not a number")`);
    assert.equal(await page.evaluate(count), filtered);
    await page.selectOption('[data-param="act"]', 'gelu');
    await page.waitForFunction(`${count} < ${filtered} && [...document.querySelectorAll('#trials tbody tr')].every((tr) => tr.textContent.includes('gelu'))`);

    // The runs page links the trial a run recorded; a run stored before runs recorded it shows none.
    await page.goto(`${dashboard.url}#/runs`);
    await page.waitForSelector(`#runs tr[data-run="${runId}"]`);
    assert.equal(await page.textContent(`#runs tr[data-run="${runId}"] a[href="#/study/${PLOTS_STUDY}/trial/${best}"]`), `#${best}`);
    assert.equal(await page.$(`#runs tr[data-run="${legacyRunId}"] a[href*="/trial/"]`), null);
    // The run page: test results, the config, and the trial it came from (the study's best, recorded on the run).
    await page.click(`#runs tr[data-run="${runId}"] a[href="#/run/${runId}"]`);
    await page.waitForSelector('#run-results');
    assert.match((await page.textContent('#run-results')) ?? '', /test_r2\s*0\.91/);
    assert.equal(await page.textContent('#run-trial'), `trial #${best}`);
    assert.equal(await page.getAttribute('#run-trial-how', 'data-how'), 'recorded');
    assert.match((await page.textContent('#run-config')) ?? '', /batch_size64full-training default/);
    await page.waitForSelector('#series [data-series="val_loss"] canvas');
    assert.match((await page.textContent('#run-logs')) ?? '', /restored the best epoch/);

    // The run beside its trial: one chart per metric either recorded, both drawn on it, params side by side.
    await page.click('#run-compare');
    await page.waitForSelector('[data-compare-metric="val_loss"] canvas');
    await page.waitForSelector('[data-compare-metric="intermediate values"] canvas');
    assert.deepEqual(await page.$$eval('#compare-params thead th a', (as) => as.map((a) => a.textContent)), [`${PLOTS_STUDY} #${best}`, `run ${runId}`]);

    // The legacy run still finds its trial, by its params, and says that is how it was found.
    await page.goto(`${dashboard.url}#/run/${legacyRunId}`);
    await page.waitForSelector('#run-trial-how[data-how="params"]');
    assert.equal(await page.textContent('#run-trial'), `trial #${best}`);
    assert.match((await page.textContent('#run-trial-how')) ?? '', /found by matching params/);

    // Two trials ticked in the table open the same comparison.
    await page.goto(`${dashboard.url}#/study/${PLOTS_STUDY}`);
    await page.waitForFunction(`${count} === ${N}`);
    await page.check('#trials tr[data-trial="0"] input[data-compare]');
    await page.check('#trials tr[data-trial="1"] input[data-compare]');
    await page.click('#compare-trials');
    await page.waitForSelector('[data-compare-metric="train_loss"] canvas');
    assert.equal(await page.$$eval('#compare-params thead th a', (as) => as.length), 2);
    await page.fill('#smoothing', '0.8');
    await page.dispatchEvent('#smoothing', 'input');
    await page.waitForSelector('[data-compare-metric="train_loss"] canvas');
  } finally {
    await browser.close();
    await dashboard.stop();
  }
});
