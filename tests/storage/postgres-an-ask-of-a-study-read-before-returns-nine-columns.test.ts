import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { categorical, float } from '../../src/space/distributions.js';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import { pgTestDatabase } from './pg-server.js';

const db = await pgTestDatabase();

/** The names of the prepared statements every pg client in this process runs while `fn` runs. */
async function statementsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; names: string[] }> {
  const names: string[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const name = (args[0] as { name?: unknown } | undefined)?.name; // a prepared config's name is on its prototype
    if (typeof name === 'string') names.push(name);
    return original.apply(this, args);
  };
  try {
    return { value: await fn(), names };
  } finally {
    proto.query = original;
  }
}

test('once the study was read, the ask is the lean one (9 columns); every trial it returns equals another host\'s full read, field for field', async () => {
  const url = db.freshStoreUrl();
  const mine = await PostgresStorage.open(url);
  const other = await PostgresStorage.open(url);
  try {
    const { studyId } = await mine.createStudy({ name: 's', direction: 'minimize' });
    const template = { seed: 11, codeVersion: 'v2', budget: { epochs: 4, lr: null }, retryOf: null };
    const first = await statementsDuring(() => mine.askTrial(studyId, { claimAs: 'w', worker: 'w', template }));
    assert.ok(first.names.includes('parzen_ask_trial') && !first.names.includes('parzen_ask_lean'), 'a first read: the 30-column ask');
    await mine.finishTrialWith(first.value.trial.trialId, { state: 'COMPLETE', value: 1 }, { params: [{ name: 'x', distribution: float(0, 1), internal: 0.5 }], attrs: [] });

    // The usual ask: the trial created, built from what was sent.
    const usual = await statementsDuring(() => mine.askTrial(studyId, { claimAs: 'w', worker: 'w', template }));
    assert.ok(usual.names.includes('parzen_ask_lean') && !usual.names.includes('parzen_ask_trial'), `the lean ask, not the full one: ${usual.names.join(', ')}`);
    assert.deepEqual(usual.value.trials.map((t) => [t.number, t.state]), [[0, 'COMPLETE'], [1, 'RUNNING']]);
    assert.deepEqual(usual.value.trial, await other.getTrial(usual.value.trial.trialId));
    assert.deepEqual(
      [usual.value.trial.worker, usual.value.trial.seed, usual.value.trial.codeVersion, usual.value.trial.budget, usual.value.trial.params, usual.value.trial.userAttrs],
      ['w', 11, 'v2', { epochs: 4, lr: null }, {}, {}],
    );
    assert.ok(Object.isFrozen(usual.value.trial) && Object.isFrozen(usual.value.trial.budget), 'frozen, budget included');
    await mine.setTrialIntermediateValue(usual.value.trial.trialId, 0, -Infinity);
    await mine.finishTrialWith(usual.value.trial.trialId, { state: 'FAIL', error: { message: 'boom', stack: 'at f', code: 'E1' } }, {
      params: [{ name: 'y', distribution: float(-1, 1), internal: 0.25 }, { name: 'b', distribution: categorical(['p', 'q']), internal: 1 }],
      attrs: [{ kind: 'user', key: 'k', value: [1, 'two'] }, { kind: 'system', key: '__proto__', value: { n: 3 } }],
    });

    // Other hosts' trials above the cursor (params, values, attributes, an infinite value): the read as JSON.
    const theirs = await other.createTrial(studyId, { params: { c: { distribution: categorical(['a', 'b']), internal: 1 } }, worker: 'o' });
    const done = await other.createTrial(studyId, {});
    await other.setTrialIntermediateValue(done.trialId, 3, 0.5);
    await other.setTrialIntermediateValue(done.trialId, 1, Infinity);
    await other.setTrialAttrs(done.trialId, [{ kind: 'user', key: 'u', value: 'v' }]);
    await other.finishTrial(done.trialId, { state: 'COMPLETE', value: Infinity });
    const read = await statementsDuring(() => mine.askTrial(studyId, { claimAs: 'w', worker: 'w', template }));
    assert.ok(read.names.includes('parzen_ask_lean'));
    const all = await other.getAllTrials(studyId);
    assert.deepEqual(read.value.trials, all, 'every trial, as a full read returns it');
    assert.deepEqual(all.map((t) => [t.number, t.state]), [[0, 'COMPLETE'], [1, 'FAIL'], [2, 'RUNNING'], [3, 'COMPLETE'], [4, 'RUNNING']]);
    assert.deepEqual(read.value.trials[2].params, { c: 'b' });
    assert.deepEqual([read.value.trials[3].value, [...read.value.trials[3].intermediateValues]], [Infinity, [[1, Infinity], [3, 0.5]]]);
    assert.equal(read.value.trial.number, 4);

    // The RUNNING trial of the other host is read again (its id sent back as seen unfinished) once it finished.
    await other.finishTrial(theirs.trialId, { state: 'PRUNED' });
    await mine.finishTrial(read.value.trial.trialId, { state: 'COMPLETE', value: 0 });
    const again = await mine.askTrial(studyId, { claimAs: 'w', worker: 'w', template });
    assert.deepEqual(again.trials, await other.getAllTrials(studyId));
    assert.equal(again.trials[2].state, 'PRUNED');
  } finally {
    await Promise.all([mine.close(), other.close()]);
  }
});

test('parzen_ask_lean returns 9 columns: the usual ask one row with the number and no JSON; a refusal its status', async () => {
  const url = db.freshStoreUrl();
  const store = await PostgresStorage.open(url);
  const schema = new URL(url).searchParams.get('schema') as string;
  const pool = new pg.Pool({ connectionString: db.url, options: `-c search_path=${schema}` });
  try {
    const { studyId } = await store.createStudy({ name: 's', direction: 'minimize' });
    let n = 0;
    const ask = (study: number, after: number) =>
      pool.query(`SELECT * FROM parzen_ask_lean($1::bigint, NULL, 'w', 5, NULL, NULL, NULL, NULL, 60000, NULL, $3::text, false, $2::bigint, '{}', '{}', NULL, 0)`, [
        study, after, `tok${String(n++)}`,
      ]);
    const a = await ask(studyId, 0);
    assert.deepEqual(a.fields.map((f) => f.name), ['ask_status', 'ask_n_active', 'ask_trial', 'ask_claimed', 'ask_reaped', 'name', 'maxId', 'ask_number', 'trial']);
    assert.equal(a.rows.length, 1);
    assert.deepEqual([a.rows[0].ask_status, a.rows[0].ask_number, a.rows[0].trial, a.rows[0].name], ['ok', '0', null, 's']);
    const b = await ask(studyId, 0);
    assert.deepEqual(b.rows.map((r: { ask_number: unknown; trial: { number: number } }) => [r.ask_number, r.trial.number]), [[null, 0], [null, 1]], 'another trial above the cursor: the read as JSON');
    const c = await ask(studyId + 1000, 0);
    assert.deepEqual([c.rows.length, c.rows[0].ask_status, c.rows[0].ask_trial, c.rows[0].trial], [1, 'no_study', null, null]);
  } finally {
    await pool.end();
    await store.close();
  }
});
