import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tune } from './cli.js';
import { contents, sourceStore } from './study-contents.js';

test('copy-study copies every trial with params, distributions, values, intermediate values, attributes, states, timings, metrics and logs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-copy-'));
  const from = await sourceStore(dir);
  const before = createHash('sha256').update(readFileSync(join(dir, 'source.db'))).digest('hex');
  const to = `sqlite:${join(dir, 'target.db')}`;
  const r = tune(['copy-study', '--study', 'src', '--from-storage', from, '--to-storage', to, '--to-study', 'dst']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /copied study 'src' \(7 trials\) from sqlite:.*source\.db to 'dst' in sqlite:.*target\.db/);
  const [a, b] = [await contents(from, 'src'), await contents(to, 'dst')];
  assert.equal(b.trials.length, 7);
  assert.deepEqual(b.trials.map((t) => t.state), ['COMPLETE', 'COMPLETE', 'PRUNED', 'FAIL', 'COMPLETE', 'RUNNING', 'WAITING']);
  assert.deepEqual(b, a);
  assert.equal(createHash('sha256').update(readFileSync(join(dir, 'source.db'))).digest('hex'), before, 'the source is only read');
  // The copy is a study like any other: its queries answer, best first.
  const best = JSON.parse(tune(['best', '--study', 'dst', '--json', '--storage', to]).stdout) as { number: number; value: number };
  assert.equal(best.number, 1);
});

test('copy-study refuses an unknown study, a taken name and a copy onto itself with exit 2, and changes neither store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-copy-errors-'));
  const from = await sourceStore(dir);
  const to = `sqlite:${join(dir, 'target.db')}`;
  assert.equal(tune(['create-study', '--study', 'taken', '--storage', to]).status, 0);
  const cases: [string[], RegExp][] = [
    [['--study', 'nope', '--to-storage', to], /study "nope" does not exist/],
    [['--study', 'src', '--to-study', 'taken', '--to-storage', to], /a study named "taken" already exists; choose another name for the copy \(--to-study\)/],
    [['--study', 'src', '--to-storage', from], /same store and --to-study is the same name 'src'/],
    [['--study', 'src', '--to-storage', from.replace('sqlite:', 'sqlite:///').replace('sqlite:////', 'sqlite:////')], /same store/],
  ];
  for (const [args, message] of cases) {
    const r = tune(['copy-study', '--from-storage', from, ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /    at /);
  }
  const studies = (url: string) => (JSON.parse(tune(['studies', '--json', '--storage', url]).stdout) as { name: string; nTrials: number }[]).map((s) => [s.name, s.nTrials]);
  assert.deepEqual(studies(to), [['taken', 0]]);
  assert.deepEqual(studies(from), [['src', 7]]);
  // Within one store, under a new name, it is a duplicate.
  const dup = tune(['copy-study', '--study', 'src', '--from-storage', from, '--to-storage', from, '--to-study', 'src-2']);
  assert.equal(dup.status, 0, dup.stderr);
  assert.deepEqual(studies(from), [['src', 7], ['src-2', 7]]);
});
