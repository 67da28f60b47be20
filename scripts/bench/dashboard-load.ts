/**
 * Issue 13: how long the dashboard's study page takes to become interactive for a large study. Writes `n` finished
 * trials (tests/dashboard/big-study.ts: 4 params, 5 % PRUNED, 2 % FAIL) into a SQLite file, serves it with
 * startDashboard (what `tune dashboard` runs), and times in headless Debian Chromium, `repeats` times with a fresh
 * page each, from navigation until the table shows every trial and the history, parallel-coordinates and importance
 * charts have drawn (`pageLoadMs`, the figure measured since the first version; the plots below the fold draw when
 * scrolled to), then how long a state filter takes to redraw the table (`filterMs`: the page answers input), and,
 * on a second page 4,400 px tall (the whole study page in view), until every plot has its canvas (slice, pair heat
 * map, EDF, timeline, intermediate values: `allPlotsMs`). Prints one JSON line.
 * With a third argument, a folder holding another build of the page (index.html, app.js, app.css: e.g. an earlier
 * commit's), a second server serves that build from the same store and each repeat times both, alternating, so the
 * two are measured under the same load (`peerPageLoadMs`).
 * Usage: npx tsc -p tsconfig.json && node scripts/build-dashboard.mjs && node dist/scripts/bench/dashboard-load.js [n=10000] [repeats=3] [peerPublicDir]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDashboard } from '../../src/dashboard/server.js';
import { openStorage } from '../../src/storage/open.js';
import { writeBigStudy } from '../../tests/dashboard/big-study.js';
import { launchChromium } from '../../tests/dashboard/browser.js';

const n = Number(process.argv[2] ?? 10_000);
const repeats = Number(process.argv[3] ?? 3);
const peerDir = process.argv[4];
const file = join(mkdtempSync(join(tmpdir(), 'parzen-dash-bench-')), 'big.db');
const writeMs = await writeBigStudy(file, 'big', n);
const storage = await openStorage(`sqlite:${file}`, { readOnly: true });
const startedAt = performance.now();
const dashboard = await startDashboard({ storage, host: '127.0.0.1', port: 0 });
const serverStartMs = performance.now() - startedAt;
const peer = peerDir === undefined ? undefined : await startDashboard({ storage, host: '127.0.0.1', port: 0, publicDir: peerDir });
const peerLoads: number[] = [];
const browser = await launchChromium();
const loads: number[] = [];
const allPlots: number[] = [];
const filters: number[] = [];
try {
  for (let i = 0; i < repeats; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, bypassCSP: true });
    const t0 = performance.now();
    await page.goto(`${dashboard.url}#/study/big`);
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${n}' && document.querySelectorAll('#history canvas, #parallel canvas, #importance canvas').length >= 3`, undefined, { timeout: 120_000 });
    loads.push(Math.round(performance.now() - t0));
    const f0 = performance.now();
    await page.selectOption('#state-filter', 'FAIL');
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${n / 50}'`, undefined, { timeout: 60_000 });
    filters.push(Math.round(performance.now() - f0));
    await page.close();
    const tall = await browser.newPage({ viewport: { width: 1280, height: 4400 }, bypassCSP: true });
    const a0 = performance.now();
    await tall.goto(`${dashboard.url}#/study/big`);
    await tall.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${n}' && ['history', 'parallel', 'importance', 'slice', 'heatmap', 'edf', 'timeline', 'intermediate'].every((id) => document.querySelector('#' + id + ' canvas')) && document.querySelector('#timeline')?.dataset.trials === '${n}'`, undefined, { timeout: 120_000 });
    allPlots.push(Math.round(performance.now() - a0));
    await tall.close();
    if (peer !== undefined) {
      const p = await browser.newPage({ viewport: { width: 1280, height: 1000 }, bypassCSP: true });
      const p0 = performance.now();
      await p.goto(`${peer.url}#/study/big`);
      await p.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${n}' && document.querySelectorAll('#history canvas, #parallel canvas, #importance canvas').length >= 3`, undefined, { timeout: 120_000 });
      peerLoads.push(Math.round(performance.now() - p0));
      await p.close();
    }
  }
} finally {
  await peer?.close();
  await browser.close();
  await dashboard.close();
  await storage.close();
}
console.log(JSON.stringify({ n, writeMs: Math.round(writeMs), serverStartMs: Math.round(serverStartMs), pageLoadMs: loads, allPlotsMs: allPlots, filterMs: filters, ...(peer === undefined ? {} : { peerPublicDir: peerDir, peerPageLoadMs: peerLoads }) }));
