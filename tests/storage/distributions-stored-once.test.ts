import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { categorical, float } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../src/storage/storage.js';

/** Issue 16, item 11: a 10k-choice categorical was copied into every trial's parameter row (2.4 MB after 30 trials). */
const CHOICES = Array.from({ length: 10000 }, (_, i) => `v${i}`);
const LIST_BYTES = JSON.stringify(categorical(CHOICES)).length;

const dir = mkdtempSync(join(tmpdir(), 'parzen-stored-once-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `n` finished trials, each with the big categorical (a fresh but equal object every time, as suggest* makes) and a float. */
async function writeTrials(s: Storage, n: number): Promise<number> {
  const study = await s.createStudy({ name: 'big', direction: 'minimize' });
  for (let i = 0; i < n; i++) {
    const t = await s.createTrial(study.studyId, { params: { token: { distribution: categorical(CHOICES), internal: i } } });
    await s.setTrialParam(t.trialId, 'x', float(0, 1), i / n);
    await s.finishTrial(t.trialId, { state: 'COMPLETE', value: i });
  }
  return study.studyId;
}

async function fileSizeAfter(n: number): Promise<number> {
  const file = join(dir, `size-${n}.db`);
  const s = await SqliteStorage.open(file);
  await writeTrials(s, n);
  await s.close(); // checkpoints the WAL into the file
  return statSync(file).size;
}

test('29 more trials with a 10,000-choice categorical add less to the SQLite file than one copy of its choice list', async () => {
  const growth = (await fileSizeAfter(30)) - (await fileSizeAfter(1));
  assert.ok(growth < LIST_BYTES, `the file grew ${growth} bytes over 29 trials; one choice list is ${LIST_BYTES} bytes`);
});

test('the SQLite store keeps one distributions row per distinct distribution of a study and none in trial_params', async () => {
  const file = join(dir, 'rows.db');
  const s = await SqliteStorage.open(file);
  await writeTrials(s, 5);
  await s.close();
  const db = new Database(file, { readonly: true });
  try {
    assert.equal(db.prepare('SELECT COUNT(*) FROM trial_params').pluck().get(), 10);
    assert.deepEqual(db.prepare('SELECT json FROM distributions ORDER BY distribution_id').pluck().all(), [
      JSON.stringify(categorical(CHOICES)),
      JSON.stringify(float(0, 1)),
    ]);
  } finally {
    db.close();
  }
});

for (const [name, open] of [
  ['InMemoryStorage', async () => new InMemoryStorage()],
  ['SqliteStorage', async () => SqliteStorage.open(join(dir, 'shared.db'))],
] as const) {
  test(`${name}: trials that use one distribution share one frozen copy of it in memory, not a copy each`, async () => {
    const s: Storage = await open();
    try {
      const studyId = await writeTrials(s, 4);
      const all = await s.getAllTrials(studyId);
      const first = all[0].distributions.token;
      assert.ok(all.every((t) => t.distributions.token === first), 'every trial holds the same object');
      assert.equal((await s.getTrial(all[3].trialId)).distributions.token, first);
      assert.ok(Object.isFrozen(first));
    } finally {
      await s.close();
    }
  });
}
