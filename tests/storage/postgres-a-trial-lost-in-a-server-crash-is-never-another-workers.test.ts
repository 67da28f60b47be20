import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { StorageError } from '../../src/errors.js';
import { float } from '../../src/space/distributions.js';
import { checkFinish } from '../../src/storage/checks.js';
import { openStorage } from '../../src/storage/open.js';
import { NO_ATTRS, NO_PARAMS, createTrialCall, finishTrialCall } from '../../src/storage/postgres/trial-calls.js';
import { pgTestDatabase } from './pg-server.js';

const db = await pgTestDatabase();
const lost = (e: unknown): boolean => e instanceof StorageError && e.code === 'TRIAL_LOST' && /no longer in the store: the database server lost it/.test(e.message);

/** A store and an admin client on its schema, for playing the server's part in a crash. */
async function store(): Promise<{ url: string; admin: pg.Pool; close: () => Promise<void> }> {
  const url = db.freshStoreUrl();
  const schema = new URL(url).searchParams.get('schema') ?? '';
  const admin = new pg.Pool({ connectionString: db.url, options: `-c search_path=${schema}`, max: 1 });
  return { url, admin, close: () => admin.end() };
}

test('a RUNNING trial the server lost in a crash, its id and number taken by another worker since, refuses every write of its creator and keeps the other trial untouched', async () => {
  const s = await store();
  const a = await openStorage(s.url);
  try {
    const { studyId } = await a.createStudy({ name: 's', direction: 'minimize' });
    const t = await a.createTrial(studyId);
    // What a crash before the create's WAL reached disk leaves, once another worker created a trial: the study's
    // counter and the id sequence went back, so that worker's trial has the lost one's id and number.
    await s.admin.query('BEGIN');
    await s.admin.query('DELETE FROM trials WHERE trial_id = $1', [t.trialId]);
    await s.admin.query(
      `INSERT INTO trials (trial_id, study_id, number, state, datetime_start, worker, lease_expires, write_token, owner_token)
       VALUES ($1, $2, $3, 'RUNNING', 0, 'other-host:7', now() + interval '1 hour', 'other:1', 'other:1')`,
      [t.trialId, studyId, t.number],
    );
    await s.admin.query('COMMIT');

    await assert.rejects(a.recordHeartbeat(t.trialId), lost);
    await assert.rejects(a.setTrialIntermediateValue(t.trialId, 1, 0.5), lost);
    await assert.rejects(a.setTrialParam(t.trialId, 'x', float(0, 1), 0.5), lost);
    await assert.rejects(a.setTrialAttr(t.trialId, 'user', 'k', 1), lost);
    await assert.rejects(a.appendMetrics({ trialId: t.trialId }, [{ name: 'loss', step: 0, value: 1 }]), lost);
    await assert.rejects(a.finishTrial(t.trialId, { state: 'COMPLETE', value: 1 }), lost);

    const other = await a.getTrial(t.trialId);
    assert.deepEqual([other.state, other.worker, other.value, Object.keys(other.params).length, other.intermediateValues.size], ['RUNNING', 'other-host:7', null, 0, 0]);
    const { rows } = await s.admin.query<{ n: string }>('SELECT (SELECT COUNT(*) FROM trial_attrs) + (SELECT COUNT(*) FROM trial_metrics) AS n');
    assert.equal(Number(rows[0].n), 0, 'no attribute or metric landed on the other worker\'s trial');
    // Another process (no create token of its own for this trial) may still finish it, as the contract allows.
    const b = await openStorage(s.url);
    try {
      assert.equal((await b.finishTrial(t.trialId, { state: 'COMPLETE', value: 2 })).value, 2);
    } finally {
      await b.close();
    }
  } finally {
    await a.close();
    await s.close();
  }
});

test('a RUNNING trial the server lost whose id nobody took is TRIAL_LOST too, and the study goes on with dense numbers', async () => {
  const s = await store();
  const a = await openStorage(s.url);
  try {
    const { studyId } = await a.createStudy({ name: 's', direction: 'minimize' });
    const t = await a.createTrial(studyId);
    await s.admin.query('DELETE FROM trials WHERE trial_id = $1', [t.trialId]);
    await s.admin.query('UPDATE studies SET next_trial_number = $1 WHERE study_id = $2', [t.number, studyId]);
    await assert.rejects(a.finishTrial(t.trialId, { state: 'COMPLETE', value: 1 }), lost);
    const next = await a.createTrial(studyId);
    assert.equal(next.number, t.number, 'the lost number is used again');
    assert.equal((await a.finishTrial(next.trialId, { state: 'COMPLETE', value: 3 })).state, 'COMPLETE');
  } finally {
    await a.close();
    await s.close();
  }
});

test('only a RUNNING trial\'s create commits asynchronously: an enqueued trial\'s create and every finish commit durably', async () => {
  const s = await store();
  const a = await openStorage(s.url);
  try {
    const { studyId } = await a.createStudy({ name: 's', direction: 'minimize' });
    const c = await s.admin.connect();
    const setting = async (): Promise<string> => (await c.query<{ s: string }>("SELECT current_setting('synchronous_commit') AS s")).rows[0].s;
    const create = (state: 'RUNNING' | 'WAITING', token: string) =>
      createTrialCall(c, { studyId, template: { state }, now: 0, leaseMs: 60_000, params: NO_PARAMS, attrs: NO_ATTRS, token, retry: false });
    try {
      // Inside an explicit transaction, to read the setting the function left for its commit.
      await c.query('BEGIN');
      await create('WAITING', 't:1');
      assert.equal(await setting(), 'on');
      const running = await create('RUNNING', 't:2');
      assert.equal(await setting(), 'off');
      await finishTrialCall(c, {
        ref: { trialId: running.trialId, owner: 't:2', label: 'trial' },
        finish: checkFinish('trial', { state: 'COMPLETE', value: 1 }),
        params: NO_PARAMS,
        attrs: NO_ATTRS,
        now: 1,
        token: 't:3',
        retry: false,
      });
      assert.equal(await setting(), 'on', 'the finish carries the result: durable whatever came before it in the transaction');
      await c.query('ROLLBACK');
      assert.equal(await setting(), 'on', 'local to the transaction');
    } finally {
      c.release();
    }
  } finally {
    await a.close();
    await s.close();
  }
});
