/**
 * Issue 13: how long the dashboard's study page takes to become interactive for a large study. Writes `n` finished
 * trials (tests/dashboard/big-study.ts: 4 params, 5 % PRUNED, 2 % FAIL) into a SQLite file, serves it with
 * startDashboard (what `tune dashboard` runs), and times in headless Debian Chromium, `repeats` times with a fresh
 * page each, from navigation until the table shows every trial and the history, parallel-coordinates and importance
 * charts have drawn. Prints one JSON line.
 * Usage: npx tsc -p tsconfig.json && node scripts/build-dashboard.mjs && node dist/scripts/bench/dashboard-load.js [n=10000] [repeats=3]
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
const file = join(mkdtempSync(join(tmpdir(), 'parzen-dash-bench-')), 'big.db');
const writeMs = await writeBigStudy(file, 'big', n);
const storage = await openStorage(`sqlite:${file}`, { readOnly: true });
const startedAt = performance.now();
const dashboard = await startDashboard({ storage, host: '127.0.0.1', port: 0 });
const serverStartMs = performance.now() - startedAt;
const browser = await launchChromium();
const loads: number[] = [];
try {
  for (let i = 0; i < repeats; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, bypassCSP: true });
    const t0 = performance.now();
    await page.goto(`${dashboard.url}#/study/big`);
    await page.waitForFunction(`document.querySelector('#trial-count')?.dataset.count === '${n}' && document.querySelectorAll('#history canvas, #parallel canvas, #importance canvas').length >= 3`, undefined, { timeout: 120_000 });
    loads.push(Math.round(performance.now() - t0));
    await page.close();
  }
} finally {
  await browser.close();
  await dashboard.close();
  await storage.close();
}
console.log(JSON.stringify({ n, writeMs: Math.round(writeMs), serverStartMs: Math.round(serverStartMs), pageLoadMs: loads }));
