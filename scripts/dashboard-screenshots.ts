// Screenshots of the dashboard's main pages for docs/ (README links them), taken from a real study:
//   npx tsc -p tsconfig.json && node scripts/build-dashboard.mjs && node dist/scripts/dashboard-screenshots.js
// It runs `tune` on tests/cli/fixtures/slow-curves.ts (150 trials, median pruner), serves the store with
// `tune dashboard`, and photographs the studies, study and trial pages in headless Debian Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = resolve('dist/src/cli/bin.js');
const store = `sqlite:${join(mkdtempSync(join(tmpdir(), 'parzen-shots-')), 'tuning.db')}`;
const run = spawnSync(process.execPath, [bin, '--objective', resolve('tests/cli/fixtures/slow-curves.ts'), '--study', 'curves', '--trials', '150', '--seed', '7', '--pruner', 'median', '--storage', store], {
  encoding: 'utf8',
  env: { ...process.env, PARZEN_TEST_SLEEP_MS: '0' },
});
if (run.status !== 0 && run.status !== 1) throw new Error(run.stderr);

const child = spawn(process.execPath, [bin, 'dashboard', '--storage', store, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((res) => {
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /(http:\/\/\S+)/.exec(out);
    if (m !== null) res(m[1]);
  });
});
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const shots: [string, string, string][] = [
    ['#/', '#studies tbody tr', 'docs/dashboard-studies.png'],
    ['#/study/curves', '#importance canvas', 'docs/dashboard-study.png'],
    ['#/study/curves/trial/40', '[data-series="val_loss"] canvas', 'docs/dashboard-trial.png'],
  ];
  for (const [hash, ready, file] of shots) {
    await page.goto(`${url}${hash}`);
    await page.waitForSelector(ready);
    await page.waitForSelector('#live[data-state="live"]');
    await page.waitForTimeout(300); // let the canvas finish its first frame
    await page.screenshot({ path: file, fullPage: hash.includes('trial') });
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
  child.kill('SIGTERM');
}
