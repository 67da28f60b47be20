import { join } from 'node:path';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { categorical, float, int } from '../../src/space/distributions.js';
import { openStorage } from '../../src/storage/open.js';
import type { Storage } from '../../src/storage/storage.js';

const x = float(-3, 3);
const n = int(1, 5);
const act = categorical(['relu', 'gelu']);

/**
 * A source study with a trial in every state and every kind of record: params of three kinds, values (±Infinity
 * included), intermediate values, user and system attributes, heartbeats, an error, worker, seed, code version,
 * budget, a retry link, metric series and logs; written through the library on a manual clock, so each
 * timestamp is distinct and known.
 */
export async function sourceStore(dir: string): Promise<string> {
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
export async function contents(url: string, name: string) {
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

