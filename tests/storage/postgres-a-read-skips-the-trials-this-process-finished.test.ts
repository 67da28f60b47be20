import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { RandomSampler } from '../../src/samplers/index.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { createStudy } from '../../src/study/create.js';
import { pgTestDatabase } from './pg-server.js';

const db = await pgTestDatabase();

/** The trials each ask's read (the named statement `parzen_ask_trial` or `parzen_ask_lean`: the create, then the incremental read) returned, in order. */
function watchReads(): { readonly rows: number[]; readonly restore: () => void } {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const rows: number[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    const q = args[0] as { name?: string } | undefined;
    if (q?.name === 'parzen_ask_trial' && result instanceof Promise) {
      void result.then((r: pg.QueryResult<{ trialId: number | null }>) => rows.push(r.rows.filter((x) => x.trialId !== null).length), () => undefined);
    }
    // The lean ask (migration 11, rows as arrays): its trials as JSON (column 8), or the one it created (its number, column 7).
    if (q?.name === 'parzen_ask_lean' && result instanceof Promise) {
      void result.then((r: pg.QueryResult<unknown[]>) => rows.push(r.rows.filter((x) => x[8] !== null || x[7] !== null).length), () => undefined);
    }
    return result;
  };
  return { rows, restore: () => (proto.query = original) };
}

test("an ask reads no trial this process finished itself, and still reads every other host's new trial", async () => {
  const url = db.freshStoreUrl();
  const mine = await PostgresStorage.open(url);
  const other = await PostgresStorage.open(url);
  const reads = watchReads();
  try {
    const study = await createStudy({ storage: mine, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    const lifecycle = async (): Promise<void> => {
      const t = await study.ask();
      await study.tell(t, t.suggestFloat('x', 0, 1));
    };
    await lifecycle();
    await lifecycle();
    await lifecycle();
    assert.deepEqual(reads.rows, [1, 1, 1], 'each ask read only the trial it created: the others are the ones it finished');

    // Another host's trials, one finished and one left RUNNING, created between two of ours.
    const done = await other.createTrial(study.studyId);
    await other.finishTrial(done.trialId, { state: 'COMPLETE', value: 5 });
    const running = await other.createTrial(study.studyId);
    await lifecycle();
    await lifecycle();
    assert.deepEqual(reads.rows.slice(3), [3, 2], "the other host's two trials and its own, then the other's RUNNING one again and its own");

    const all = await study.getTrials();
    assert.deepEqual(all.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6], 'every trial, dense, ordered by number');
    assert.deepEqual(all.filter((t) => t.state === 'RUNNING').map((t) => t.trialId), [running.trialId]);
    assert.equal(all.find((t) => t.trialId === done.trialId)?.value, 5);
  } finally {
    reads.restore();
    await mine.close();
    await other.close();
  }
});
