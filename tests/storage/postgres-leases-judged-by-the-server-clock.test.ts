import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { StorageError } from '../../src/errors.js';
import { int } from '../../src/space/distributions.js';
import { openStorage } from '../../src/storage/open.js';
import type { Storage } from '../../src/storage/storage.js';
import { pgTestDatabase } from './pg-server.js';

const db = await pgTestDatabase();
const HOUR = 3_600_000;

/** Two hosts on one store: `a` runs trials, `b` reaps; each may have its own (skewed) clock and lease length. */
async function hosts(opts: { leaseMs: number; skewB?: number }): Promise<{ a: Storage; b: Storage; studyId: number; close: () => Promise<void> }> {
  const url = db.freshStoreUrl();
  const a = await openStorage(url, { leaseMs: opts.leaseMs });
  const b = await openStorage(url, { leaseMs: opts.leaseMs, clock: () => Date.now() + (opts.skewB ?? 0) });
  const { studyId } = await a.createStudy({ name: 's', direction: 'minimize' });
  return { a, b, studyId, close: async () => (await Promise.all([a.close(), b.close()]), undefined) };
}

test('a RUNNING trial whose lease is not renewed is failed by another host once the lease has run out, and its worker cannot write over that', async () => {
  const h = await hosts({ leaseMs: 200 });
  try {
    const t = await h.a.createTrial(h.studyId, { worker: 'other-host:1' });
    const waiting = await h.a.createTrial(h.studyId, { state: 'WAITING' });
    // Waiting longer than the lease can only make it more expired, however slow the machine is.
    await sleep(600);
    const reaped = await h.b.reapExpiredLeases?.(h.studyId, 'reaper:2');
    assert.deepEqual(reaped?.map((r) => [r.number, r.state, r.error?.code]), [[t.number, 'FAIL', 'WORKER']]);
    assert.match(reaped?.[0].error?.message ?? '', /lease of other-host:1 expired at .* \(server time\).*marked failed by reaper:2/);
    assert.equal((await h.b.getTrial(waiting.trialId)).state, 'WAITING', 'a WAITING trial holds no lease');
    await assert.rejects(h.a.finishTrial(t.trialId, { state: 'COMPLETE', value: 1 }), (e: unknown) => e instanceof StorageError && e.code === 'TRIAL_FINISHED');
    await assert.rejects(h.a.recordHeartbeat(t.trialId), (e: unknown) => e instanceof StorageError && e.code === 'TRIAL_FINISHED');
    assert.equal((await h.a.getTrial(t.trialId)).state, 'FAIL');
  } finally {
    await h.close();
  }
});

test('a live trial is never failed by a reaper whose clock runs an hour ahead: the lease is judged by the server', async () => {
  const h = await hosts({ leaseMs: 60_000, skewB: HOUR });
  try {
    const t = await h.a.createTrial(h.studyId, { worker: 'other-host:1' });
    await h.a.recordHeartbeat(t.trialId);
    assert.deepEqual(await h.b.reapExpiredLeases?.(h.studyId, 'skewed:2'), []);
    // The heartbeat-age rule a host without leases would apply, judged by the skewed clock, would call it stale.
    assert.equal((await h.b.findStaleTrials(h.studyId, 60_000)).length, 1);
    assert.equal((await h.a.finishTrial(t.trialId, { state: 'COMPLETE', value: 0.5 })).state, 'COMPLETE');
  } finally {
    await h.close();
  }
});

test('renewing the lease keeps a trial alive past its first lease; a claimed trial gets a lease too', async () => {
  const h = await hosts({ leaseMs: 1000 });
  try {
    const t = await h.a.createTrial(h.studyId);
    await h.a.createTrial(h.studyId, { state: 'WAITING' });
    const claimed = await h.a.claimWaitingTrial(h.studyId, 'w');
    assert.ok(claimed);
    // Three renewals 400 ms apart carry it past its first 1000 ms lease; each is followed at once by a reap that must
    // not fail it (only a stall of a whole second between two statements could).
    for (let i = 0; i < 3; i++) {
      await h.a.recordHeartbeat(t.trialId);
      assert.deepEqual((await h.b.reapExpiredLeases?.(h.studyId, 'r'))?.map((r) => r.trialId).filter((id) => id === t.trialId), []);
      await sleep(400);
    }
    await sleep(1500);
    await h.b.reapExpiredLeases?.(h.studyId, 'r');
    // The claimed trial, never renewed, may have been reaped by any of the reaps above; by now both are.
    for (const id of [t.trialId, claimed.trialId]) assert.equal((await h.b.getTrial(id)).state, 'FAIL');
  } finally {
    await h.close();
  }
});

test('two hosts reaping at once fail each expired trial exactly once', async () => {
  const h = await hosts({ leaseMs: 100 });
  try {
    const made = await Promise.all(Array.from({ length: 12 }, () => h.a.createTrial(h.studyId)));
    await sleep(400);
    const [x, y] = await Promise.all([h.a.reapExpiredLeases?.(h.studyId, 'x'), h.b.reapExpiredLeases?.(h.studyId, 'y')]);
    const ids = [...(x ?? []), ...(y ?? [])].map((t) => t.trialId).sort((p, q) => p - q);
    assert.deepEqual(ids, made.map((t) => t.trialId).sort((p, q) => p - q));
  } finally {
    await h.close();
  }
});

test('hosts reaping at once with retries enqueue exactly one WAITING retry per expired trial, with its params, numbered densely', async () => {
  const h = await hosts({ leaseMs: 100 });
  try {
    const layers = int(1, 8);
    const made = await Promise.all(Array.from({ length: 8 }, (_, i) => h.a.createTrial(h.studyId, { params: { layers: { distribution: layers, internal: 1 + (i % 8) } } })));
    await sleep(400);
    await Promise.all([h.a, h.b, h.a, h.b].map((s, i) => s.reapExpiredLeases?.(h.studyId, `r${i}`, 1)));
    const all = await h.b.getAllTrials(h.studyId);
    assert.deepEqual(all.map((t) => t.number), Array.from({ length: 16 }, (_, i) => i), 'dense numbers, one retry each');
    const waiting = all.filter((t) => t.state === 'WAITING');
    assert.deepEqual(waiting.map((t) => t.retryOf).sort((p, q) => (p ?? 0) - (q ?? 0)), made.map((t) => t.number).sort((p, q) => p - q));
    for (const w of waiting) assert.deepEqual(w.params, all.find((t) => t.number === w.retryOf)?.params);
    // A retry that expires in turn has used its one retry: reaping it enqueues nothing.
    const claimed = await h.a.claimWaitingTrial(h.studyId, 'w');
    assert.ok(claimed && claimed.retryOf !== null);
    await sleep(400);
    const reaped = (await h.b.reapExpiredLeases?.(h.studyId, 'r', 1)) ?? [];
    assert.deepEqual(reaped.map((t) => t.number), [claimed.number]);
    assert.equal((await h.b.getAllTrials(h.studyId)).length, 16);
  } finally {
    await h.close();
  }
});
