import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, type CliResult } from '../cli/cli.js';
import { BROWSER_TEST_MS } from './browser.js';
import { PLOTS_STUDY, writeStudyWithRun } from './study-with-runs.js';

/** The real `tune` in a child process, not waited for synchronously, so the independent runs below go at once. */
function tune(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Promise<CliResult> {
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter((e): e is [string, string] => e[1] !== undefined));
  const child = spawn(process.execPath, [BIN, ...args], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

const MARKS: Record<string, RegExp[]> = { history: [/best so far/, /trial/], importance: [/importance/], parallel: [/>lr</, />dropout</, />value</], series: [/val_loss/, /train_loss/, /step/] };

test('tune plot draws history, importance, parallel and series as SVG, a PNG through headless Chromium, and refuses what it cannot write', { timeout: BROWSER_TEST_MS }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-plot-'));
  // 40 trials of four params, each COMPLETE one with train_loss/val_loss series (trial 0 among them).
  await writeStudyWithRun(join(dir, 'p.db'), 40);
  const study = ['--study', PLOTS_STUDY, '--storage', `sqlite:${join(dir, 'p.db')}`];
  const plot = (kind: string, out: string, extra: readonly string[] = [], env: Readonly<Record<string, string | undefined>> = {}): Promise<CliResult> =>
    tune(['plot', kind, ...study, '--out', join(dir, out), ...extra], env);
  const svgs = Object.keys(MARKS).map((kind) => plot(kind, `${kind}.svg`, kind === 'series' ? ['--trial', '0'] : kind === 'history' ? ['--log-y'] : []));
  // PNG: rasterised by Debian's Chromium (the browser tests need it too); without one, an error that says how to get one.
  const png = existsSync('/usr/bin/chromium') ? plot('history', 'h.png', ['--width', '640', '--height', '360'], { PARZEN_CHROMIUM: '/usr/bin/chromium' }) : undefined;
  const [noChromium, gif, badPair, noTrial, noFolder] = await Promise.all([
    plot('history', 'n.png', [], { PARZEN_CHROMIUM: undefined, PATH: dir }),
    plot('history', 'h.gif'),
    plot('heatmap', 'b.svg', ['--pair', 'lr,nope']),
    plot('series', 's.svg'),
    plot('history', join('missing', 'h.svg')),
  ]);
  const drawn = await Promise.all(svgs);
  Object.keys(MARKS).forEach((kind, i) => {
    assert.equal(drawn[i].status, 0, `${kind}: ${drawn[i].stderr}`);
    const svg = readFileSync(join(dir, `${kind}.svg`), 'utf8');
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, kind);
    for (const m of MARKS[kind]) assert.match(svg, m, `${kind} shows ${m}`);
    assert.ok((svg.match(/<path/g) ?? []).length > 5, `${kind} draws marks`);
  });
  if (png !== undefined) {
    const r = await png;
    assert.equal(r.status, 0, r.stderr);
    const bytes = readFileSync(join(dir, 'h.png'));
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    assert.equal(bytes.readUInt32BE(16), 640, 'as wide as asked');
    assert.equal(bytes.readUInt32BE(20), 360, 'as high as asked');
  }
  assert.equal(noChromium.status, 2);
  assert.match(noChromium.stderr, /headless Chromium and none was found.*apt-get install chromium.*PARZEN_CHROMIUM.*\.svg/);
  assert.equal(existsSync(join(dir, 'n.png')), false);
  assert.equal(gif.status, 2);
  assert.match(gif.stderr, /\*\.svg or \*\.png/);
  assert.equal(badPair.status, 2);
  assert.match(badPair.stderr, /no param 'nope'; its params are act, dropout, layers, lr/);
  assert.equal(noTrial.status, 2);
  assert.match(noTrial.stderr, /--trial/);
  assert.equal(noFolder.status, 2);
  assert.match(noFolder.stderr, /--out .*missing/);
});
