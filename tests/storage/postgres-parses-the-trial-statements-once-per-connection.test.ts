import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { RandomSampler } from '../../src/samplers/index.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { createStudy } from '../../src/study/create.js';
import { pgTestDatabase } from './pg-server.js';

const db = await pgTestDatabase();

/** Counts the Parse messages pg sends (one per unnamed statement run, one per named statement per connection). */
function countParses(): { readonly count: () => number; readonly restore: () => void } {
  const proto = pg.Connection.prototype as unknown as { parse: (...args: unknown[]) => unknown };
  const original = proto.parse;
  let n = 0;
  proto.parse = function (this: unknown, ...args: unknown[]) {
    n++;
    return original.apply(this, args);
  };
  return { count: () => n, restore: () => (proto.parse = original) };
}

test('a trial lifecycle (ask, suggests, attributes, values, tell) sends its statements named, so the server parses each once per connection', async () => {
  const storage = await PostgresStorage.open(db.freshStoreUrl(), { poolSize: 1 });
  const parses = countParses();
  try {
    const study = await createStudy({ storage, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    const lifecycle = async (i: number): Promise<void> => {
      const t = await study.ask();
      const x = t.suggestFloat('x', 0, 1);
      t.suggestCategorical('c', ['a', 'b']);
      t.setUserAttr('i', i);
      t.report(0, x);
      await study.tell(t, x);
    };
    for (let i = 0; i < 3; i++) await lifecycle(i);
    const afterWarmUp = parses.count();
    for (let i = 3; i < 23; i++) await lifecycle(i);
    // Unnamed, each of the 20 lifecycles would parse its read, create, value batch and finish again: 80 parses.
    assert.equal(parses.count() - afterWarmUp, 0, 'no statement of the hot path was parsed again');
    const trials = await study.getTrials();
    assert.equal(trials.length, 23);
    assert.ok(trials.every((t) => t.state === 'COMPLETE' && t.intermediateValues.get(0) === t.value));
  } finally {
    parses.restore();
    await storage.close();
  }
});
