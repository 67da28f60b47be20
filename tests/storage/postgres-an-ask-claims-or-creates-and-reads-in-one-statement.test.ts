import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import pg from 'pg';
import type { FrozenTrial } from '../../src/core/frozen.js';
import { StorageError } from '../../src/errors.js';
import { RandomSampler } from '../../src/samplers/index.js';
import type { SamplerContext } from '../../src/samplers/sampler.js';
import { float, int, type SearchSpace } from '../../src/space/distributions.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { createStudy } from '../../src/study/create.js';
import { faultProxy } from './pg-fault-proxy.js';
import { pgTestDatabase } from './pg-server.js';

const db = await pgTestDatabase();

/** A RandomSampler that records, for each ask, the trials its sampler was given (numbers and states). */
class RecordingSampler extends RandomSampler {
  readonly seen: (readonly (readonly [number, FrozenTrial['state']])[])[] = [];
  override inferRelativeSearchSpace(...args: unknown[]): SearchSpace {
    const ctx = args[0] as SamplerContext;
    this.seen.push(ctx.trials.map((t) => [t.number, t.state] as const));
    return super.inferRelativeSearchSpace();
  }
}

/** Counts the queries this process sends (one round trip each). */
function countQueries(): { readonly count: () => number; readonly restore: () => void } {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let n = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    n++;
    return original.apply(this, args);
  };
  return { count: () => n, restore: () => (proto.query = original) };
}

test("an ask creates its trial and reads the study in one round trip; its sampler sees every trial committed before it, another host's RUNNING one included", async () => {
  const url = db.freshStoreUrl();
  const mine = await PostgresStorage.open(url);
  const other = await PostgresStorage.open(url);
  try {
    const sampler = new RecordingSampler({ seed: 1 });
    const study = await createStudy({ storage: mine, name: 's', sampler });
    const t0 = await study.ask();
    await study.tell(t0, t0.suggestFloat('x', 0, 1));
    const done = await other.createTrial(study.studyId);
    await other.finishTrial(done.trialId, { state: 'COMPLETE', value: 5 });
    await other.createTrial(study.studyId);
    const queries = countQueries();
    let t3;
    try {
      t3 = await study.ask({ worker: 'w' });
      assert.equal(queries.count(), 1, 'the create and the read went in one statement');
    } finally {
      queries.restore();
    }
    assert.equal(t3.number, 3);
    assert.deepEqual(sampler.seen.at(-1), [[0, 'COMPLETE'], [1, 'COMPLETE'], [2, 'RUNNING'], [3, 'RUNNING']], 'the other host\'s trials, then its own');
    const stored = await other.getTrial(t3.trialId);
    assert.deepEqual([stored.state, stored.worker, stored.datetimeStart !== null], ['RUNNING', 'w', true]);
    await study.tell(t3, 1);
    assert.deepEqual((await study.getTrials()).map((t) => [t.number, t.state]), [[0, 'COMPLETE'], [1, 'COMPLETE'], [2, 'RUNNING'], [3, 'COMPLETE']]);
  } finally {
    await Promise.all([mine.close(), other.close()]);
  }
});

test('an enqueued trial is claimed by the ask in the same statement, with its fixed params, and once only when the reply is lost', async () => {
  const url = db.freshStoreUrl();
  const proxy = await faultProxy(url);
  const store = await PostgresStorage.open(proxy.url);
  const direct = await PostgresStorage.open(url);
  try {
    const study = await createStudy({ storage: store, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    await study.enqueueTrial({ x: 0.25 });
    proxy.arm('parzen_ask_trial', 'afterReply');
    const t = await study.ask({ worker: 'w1' });
    assert.equal(proxy.nCut, 1, 'the connection was cut after the server committed the claim');
    assert.equal(t.number, 0, 'the enqueued trial, not a new one');
    assert.equal(t.suggestFloat('x', 0, 1), 0.25);
    assert.deepEqual((await direct.getAllTrials(study.studyId)).map((x) => [x.number, x.state, x.worker]), [[0, 'RUNNING', 'w1']], 'claimed once, nothing created');
    await study.tell(t, 0.25);
    // The study read before: the lean ask (migration 11), whose retry finds its trial by token and reads it as JSON.
    proxy.arm('parzen_ask_lean', 'afterReply');
    const next = await study.ask();
    assert.equal(proxy.nCut, 2);
    assert.equal(next.number, 1, 'nothing waits: a new trial, created once');
    assert.deepEqual((await direct.getAllTrials(study.studyId)).map((x) => [x.number, x.state]), [[0, 'COMPLETE'], [1, 'RUNNING']]);
  } finally {
    await Promise.all([store.close(), direct.close()]);
    await proxy.close();
  }
});

test('a retry (fixed params) is created, never a claim; under maxActive a full study is STUDY_FULL with nothing created', async () => {
  const url = db.freshStoreUrl();
  const store = await PostgresStorage.open(url);
  try {
    const study = await createStudy({ storage: store, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    await study.enqueueTrial({ x: 0.5 });
    const retry = await study.ask({ fixedParams: { x: 0.75 }, retryOf: 0 });
    assert.deepEqual([retry.number, retry.suggestFloat('x', 0, 1)], [1, 0.75], 'a new trial beside the enqueued one');
    await assert.rejects(study.ask({ maxActive: 1 }), (e: unknown) => e instanceof StorageError && e.code === 'STUDY_FULL' && /study "s"/.test(e.message));
    assert.deepEqual((await study.getTrials()).map((t) => [t.number, t.state, t.retryOf]), [[0, 'WAITING', null], [1, 'RUNNING', 0]]);
    const claimed = await study.ask({ maxActive: 2 });
    assert.equal(claimed.number, 0, 'under the bound, the enqueued trial is claimed');
  } finally {
    await store.close();
  }
});

test('with a declared space checked once, later asks are one statement too; a conflict another host committed since fails the new trial, leaving nothing RUNNING', async () => {
  const url = db.freshStoreUrl();
  const mine = await PostgresStorage.open(url);
  const other = await PostgresStorage.open(url);
  try {
    const study = await createStudy({ storage: mine, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    // Another host's trial, its params not written yet when this process checks its space against the study.
    const foreign = await other.createTrial(study.studyId);
    const space = { x: float(0, 1) };
    await study.tell(await study.ask({ space }), 0.5);
    const queries = countQueries();
    try {
      const t = await study.ask({ space });
      assert.equal(queries.count(), 2, "the ask's one statement, then the declared params' write");
      await study.tell(t, 0.25);
    } finally {
      queries.restore();
    }
    await other.setTrialParams(foreign.trialId, [{ name: 'x', distribution: int(0, 3), internal: 1 }]);
    await other.finishTrial(foreign.trialId, { state: 'COMPLETE', value: 1 });
    await assert.rejects(study.ask({ space }), (e: unknown) => e instanceof StorageError && e.code === 'PARAM_CONFLICT');
    assert.deepEqual((await other.getAllTrials(study.studyId)).map((t) => [t.number, t.state]), [[0, 'COMPLETE'], [1, 'COMPLETE'], [2, 'COMPLETE'], [3, 'FAIL']]);
  } finally {
    await Promise.all([mine.close(), other.close()]);
  }
});

test("a shared study's ask reaps expired leases in the same statement: the dead host's trial reads FAIL and the ask claims its retry", async () => {
  const url = db.freshStoreUrl();
  const dead = await PostgresStorage.open(url, { leaseMs: 150 });
  const live = await PostgresStorage.open(url, { leaseMs: 60_000 });
  try {
    const study = await createStudy({ storage: live, name: 's', sampler: new RandomSampler({ seed: 1 }) });
    const first = await study.ask();
    await study.tell(first, first.suggestFloat('x', 0, 1)); // so this process has read x's distribution once
    const lost = await dead.createTrial(study.studyId, { worker: 'dead-host' });
    await dead.setTrialParams(lost.trialId, [{ name: 'x', distribution: float(0, 1), internal: 0.125 }]);
    await sleep(400);
    const reaped: FrozenTrial[] = [];
    const queries = countQueries();
    let t;
    try {
      t = await study.ask({ worker: 'live-host', reapExpired: { reaper: 'live-host', retries: 1, onReaped: (ts) => reaped.push(...ts) } });
      assert.equal(queries.count(), 1, 'reap, claim and read in one statement');
    } finally {
      queries.restore();
    }
    assert.deepEqual(reaped.map((x) => [x.number, x.state, x.error?.code]), [[1, 'FAIL', 'WORKER']]);
    assert.deepEqual([t.number, t.suggestFloat('x', 0, 1)], [2, 0.125], "the retry the reap enqueued, claimed with the dead trial's params");
    assert.equal((await live.getTrial(t.trialId)).retryOf, 1);
    const again = await study.ask({ worker: 'live-host', reapExpired: { reaper: 'live-host', retries: 1, onReaped: (ts) => reaped.push(...ts) } });
    assert.equal(again.number, 3, 'nothing left to reap or claim: a new trial');
    assert.equal(reaped.length, 1);
  } finally {
    await Promise.all([dead.close(), live.close()]);
  }
});
