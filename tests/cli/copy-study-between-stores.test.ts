import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { categorical, float, int } from '../../src/space/distributions.js';
import { openStorage } from '../../src/storage/open.js';
import type { Storage } from '../../src/storage/storage.js';
import { tune } from './cli.js';

const x = float(-3, 3);
const n = int(1, 5);
const act = categorical(['relu', 'gelu']);

/**
 * A source study with a trial in every state and every kind of record: params of three kinds, values (±Infinity
 * included), intermediate values, user and system attributes, heartbeats, an error, worker, seed, code version,
 * budget, a retry link, metric series and logs; written through the library on a manual clock, so each
 * timestamp is distinct and known.
 */
async function sourceStore(dir: string): Promise<string> {
  let now = Date.UTC(2025, 0, 1);
  const tick = (): number => (now += 1000);
  const s = await openStorage(`sqlite:${join(dir, 'source.db')}`, { clock: () => now });
  const study = await s.createStudy({ name: 'src', direction: 'maximize', userAttrs: { owner: 'ana' }, systemAttrs: { seed: 11, metric: 'acc' } });
  const params = (i: number) => ({ x: { distribution: x, internal: i / 2 - 1.5 }, n: { distribution: n, internal: 1 + (i % 5) }, act: { distribution: act, internal: i % 2 } });
  const outcomes = ['COMPLETE', 'COMPLETE', 'PRUNED', 'FAIL', 'COMPLETE', 'RUNNING', 'WAITING'] as const;
  for (const [i, outcome] of outcomes.entries()) {
    tick();
    const t = await s.createTrial(study.studyId, {
      state: outcome === 'WAITING' ? 'WAITING' : 'RUNNING',
      params: params(i),
      userAttrs: { note: `trial ${i}` },
      systemAttrs: { objective_seed: 100 + i },
      worker: `host:${4000 + i}`,
      seed: 11,
      codeVersion: 'parzen@0.1.0+abc',
      budget: { epochs: 3, batchCap: null },
      retryOf: i === 4 ? 3 : null,
    });
    if (outcome === 'WAITING') continue;
    for (let step = 0; step < 3; step++) await s.setTrialIntermediateValue(t.trialId, step, i + step / 10);
    await s.appendMetrics({ trialId: t.trialId }, [
      { name: 'train_loss', step: 0, value: 1 / (i + 1), timestamp: tick() },
      { name: 'val_loss', step: 0, value: i === 1 ? Infinity : 0.5, timestamp: tick() },
    ]);
    await s.appendLogs({ trialId: t.trialId }, [{ level: 'info', message: `epoch 0 of trial ${i}`, timestamp: tick(), data: { lr: 0.01 } }]);
    tick();
    await s.recordHeartbeat(t.trialId);
    tick();
    if (outcome === 'COMPLETE') await s.finishTrial(t.trialId, { state: 'COMPLETE', value: i === 4 ? -Infinity : i * 2 });
    if (outcome === 'PRUNED') await s.finishTrial(t.trialId, { state: 'PRUNED' });
    if (outcome === 'FAIL') await s.finishTrial(t.trialId, { state: 'FAIL', error: { message: 'diverged', stack: 'Error: diverged\n  at run', code: 'NUMERIC' } });
  }
  await s.close();
  return `sqlite:${join(dir, 'source.db')}`;
}

/** Everything about a study's trials that a copy must keep (ids are the store's own). */
async function contents(url: string, name: string) {
  const s: Storage = await openStorage(url, { readOnly: true });
  try {
    const study = await s.getStudy(name);
    const trials = await s.getAllTrials(study.studyId);
    const withoutIds = ({ trialId: _t, studyId: _s, ...rest }: FrozenTrial) => rest;
    return {
      study: { direction: study.direction, createdAt: study.createdAt, userAttrs: study.userAttrs, systemAttrs: study.systemAttrs },
      trials: await Promise.all(
        trials.map(async (t) => ({ ...withoutIds(t), metrics: await s.getMetrics({ trialId: t.trialId }), logs: await s.getLogs({ trialId: t.trialId }) })),
      ),
    };
  } finally {
    await s.close();
  }
}

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
