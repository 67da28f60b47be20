import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, tempStore, tune } from '../cli/cli.js';

test('tune plot draws history, importance, parallel and a trial\'s series as SVG files, and refuses what it cannot write', () => {
  const storage = tempStore();
  const dir = mkdtempSync(join(tmpdir(), 'parzen-plot-'));
  const run = tune(['--objective', fixture('slow-curves'), '--study', 'p', '--storage', storage, '--trials', '12', '--seed', '2'], { env: { PARZEN_TEST_SLEEP_MS: '0' } });
  assert.equal(run.status, 0, run.stderr);
  const expect: Record<string, RegExp[]> = { history: [/best so far/, /trial/], importance: [/importance/], parallel: [/>x</, />y</, />value</], series: [/val_loss/, /train_loss/, /step/] };
  for (const [kind, marks] of Object.entries(expect)) {
    const out = join(dir, `${kind}.svg`);
    const r = tune(['plot', kind, '--study', 'p', '--storage', storage, '--out', out, ...(kind === 'series' ? ['--trial', '3'] : []), '--log-y']);
    assert.equal(r.status, 0, `${kind}: ${r.stderr}`);
    const svg = readFileSync(out, 'utf8');
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, kind);
    for (const m of marks) assert.match(svg, m, `${kind} shows ${m}`);
    assert.ok((svg.match(/<path/g) ?? []).length > 5, `${kind} draws marks`);
  }
  const png = tune(['plot', 'history', '--study', 'p', '--storage', storage, '--out', join(dir, 'h.png')]);
  assert.equal(png.status, 2);
  assert.match(png.stderr, /\.svg/);
  const noTrial = tune(['plot', 'series', '--study', 'p', '--storage', storage, '--out', join(dir, 's.svg')]);
  assert.equal(noTrial.status, 2);
  assert.match(noTrial.stderr, /--trial/);
  const noFolder = tune(['plot', 'history', '--study', 'p', '--storage', storage, '--out', join(dir, 'missing', 'h.svg')]);
  assert.equal(noFolder.status, 2);
  assert.match(noFolder.stderr, /--out .*missing/);
});
