import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, tempStore, tune } from '../cli/cli.js';

test('tune plot draws history, importance, parallel and series as SVG, a PNG through headless Chromium, and refuses what it cannot write', { timeout: 120_000 }, () => {
  const storage = tempStore();
  const dir = mkdtempSync(join(tmpdir(), 'parzen-plot-'));
  const run = tune(['--objective', fixture('slow-curves'), '--study', 'p', '--storage', storage, '--trials', '12', '--seed', '2'], { env: { PARZEN_TEST_SLEEP_MS: '0' } });
  assert.equal(run.status, 0, run.stderr);
  const expect: Record<string, RegExp[]> = { history: [/best so far/, /trial/], importance: [/importance/], parallel: [/>x</, />y</, />value</], series: [/val_loss/, /train_loss/, /step/] };
  for (const [kind, marks] of Object.entries(expect)) {
    const out = join(dir, `${kind}.svg`);
    const r = tune(['plot', kind, '--study', 'p', '--storage', storage, '--out', out, ...(kind === 'series' ? ['--trial', '3'] : []), ...(kind === 'heatmap' ? ['--pair', 'x,y'] : []), ...(kind === 'history' ? ['--log-y'] : [])]);
    assert.equal(r.status, 0, `${kind}: ${r.stderr}`);
    const svg = readFileSync(out, 'utf8');
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, kind);
    for (const m of marks) assert.match(svg, m, `${kind} shows ${m}`);
    assert.ok((svg.match(/<path/g) ?? []).length > 5, `${kind} draws marks`);
  }
  // PNG: rasterised by Debian's Chromium (the browser tests need it too); without one, an error that says how to get one.
  if (existsSync('/usr/bin/chromium')) {
    const png = tune(['plot', 'history', '--study', 'p', '--storage', storage, '--out', join(dir, 'h.png'), '--width', '640', '--height', '360'], { env: { PARZEN_CHROMIUM: '/usr/bin/chromium' } });
    assert.equal(png.status, 0, png.stderr);
    const bytes = readFileSync(join(dir, 'h.png'));
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    assert.equal(bytes.readUInt32BE(16), 640, 'as wide as asked');
    assert.equal(bytes.readUInt32BE(20), 360, 'as high as asked');
  }
  const noChromium = tune(['plot', 'history', '--study', 'p', '--storage', storage, '--out', join(dir, 'n.png')], { env: { PARZEN_CHROMIUM: undefined, PATH: dir } });
  assert.equal(noChromium.status, 2);
  assert.match(noChromium.stderr, /headless Chromium and none was found.*apt-get install chromium.*PARZEN_CHROMIUM.*\.svg/);
  assert.equal(existsSync(join(dir, 'n.png')), false);
  const gif = tune(['plot', 'history', '--study', 'p', '--storage', storage, '--out', join(dir, 'h.gif')]);
  assert.equal(gif.status, 2);
  assert.match(gif.stderr, /\*\.svg or \*\.png/);
  const badPair = tune(['plot', 'heatmap', '--study', 'p', '--storage', storage, '--out', join(dir, 'b.svg'), '--pair', 'x,nope']);
  assert.equal(badPair.status, 2);
  assert.match(badPair.stderr, /no param 'nope'; its params are x, y/);
  const noTrial = tune(['plot', 'series', '--study', 'p', '--storage', storage, '--out', join(dir, 's.svg')]);
  assert.equal(noTrial.status, 2);
  assert.match(noTrial.stderr, /--trial/);
  const noFolder = tune(['plot', 'history', '--study', 'p', '--storage', storage, '--out', join(dir, 'missing', 'h.svg')]);
  assert.equal(noFolder.status, 2);
  assert.match(noFolder.stderr, /--out .*missing/);
});
