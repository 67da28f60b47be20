// Screenshots of the dashboard's main pages for docs/ (README links them), taken from a real study:
//   npx tsc -p tsconfig.json && node scripts/build-dashboard.mjs && node dist/scripts/dashboard-screenshots.js
// It runs `tune` on tests/cli/fixtures/slow-curves.ts (150 trials, median pruner), then the test tree's toy subsystem
// (a real small network on generated data: 20 trials, export-baseline, `tune train` 25 epochs) into the same store,
// serves it with `tune dashboard`, and photographs the studies, study, trial, runs, run and comparison pages in
// headless Debian Chromium.
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
const toyDir = mkdtempSync(join(tmpdir(), 'parzen-shots-toy-'));
const toy = (args: string[]): void => {
  const r = spawnSync(process.execPath, [resolve('dist/tests/subsystems/fixtures/toy/tune-with-toy.js'), ...args, '--storage', store], { cwd: toyDir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`toy ${args[0]}: ${r.stderr}`);
};
toy(['--subsystem', 'toy', '--trials', '20', '--epochs', '8', '--seed', '1']);
toy(['export-baseline', '--study', 'toy', '--out', join(toyDir, 'baseline.json')]);
toy(['train', '--baseline', join(toyDir, 'baseline.json'), '--epochs', '25', '--backend', 'cpu']);

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
  const shots: [string, string, string, number][] = [
    ['#/', '#studies tbody tr', 'docs/dashboard-studies.png', 900],
    // Tall enough that every plot below the fold is in view (they draw when seen).
    ['#/study/curves', '#timeline[data-trials] canvas', 'docs/dashboard-study.png', 3000],
    ['#/study/curves/trial/40', '[data-series="val_loss"] canvas', 'docs/dashboard-trial.png', 900],
    ['#/runs', '#runs tbody tr', 'docs/dashboard-runs.png', 500],
    ['#/run/1', '[data-series="val_loss"] canvas', 'docs/dashboard-run.png', 900],
    ['#/compare?t=40%40curves&t=41%40curves&t=90%40curves', '[data-compare-metric="val_loss"] canvas', 'docs/dashboard-compare.png', 900],
  ];
  for (const [hash, ready, file, height] of shots) {
    const page = await browser.newPage({ viewport: { width: 1280, height } });
    await page.goto(`${url}${hash}`);
    await page.waitForSelector(ready);
    await page.waitForSelector('#live[data-state="live"]');
    await page.waitForTimeout(300); // let the canvas finish its first frame
    await page.screenshot({ path: file, fullPage: !hash.includes('study/curves') || hash.includes('trial') });
    await page.close();
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
  child.kill('SIGTERM');
}
