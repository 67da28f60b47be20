import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { float } from '../../src/space/distributions.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';

test('getAllTrials reuses cached finished trials and re-reads unfinished and new ones written by another process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-cache-'));
  const file = join(dir, 'c.db');
  const reader = await SqliteStorage.open(file);
  const writer = await SqliteStorage.open(file);
  try {
    const study = await writer.createStudy({ name: 's', direction: 'minimize' });
    const done = await writer.createTrial(study.studyId);
    await writer.finishTrial(done.trialId, { state: 'COMPLETE', value: 1 });
    const running = await writer.createTrial(study.studyId);
    const first = await reader.getAllTrials(study.studyId);
    assert.deepEqual(first.map((t) => t.state), ['COMPLETE', 'RUNNING']);

    await writer.setTrialParam(running.trialId, 'x', float(0, 1), 0.5);
    await writer.finishTrial(running.trialId, { state: 'COMPLETE', value: 0.5 });
    await writer.createTrial(study.studyId);
    const second = await reader.getAllTrials(study.studyId);
    assert.deepEqual(second.map((t) => [t.number, t.state]), [[0, 'COMPLETE'], [1, 'COMPLETE'], [2, 'RUNNING']]);
    assert.deepEqual(second[1].params, { x: 0.5 });
    assert.equal(second[0], first[0], 'the finished trial is the very same cached snapshot, not a re-read');

    // Proof that finished trials are not read again: change a finished row behind the store's back (something
    // the Storage API refuses to do); the cached snapshot stays as it was read.
    const raw = new Database(file);
    raw.prepare('UPDATE trials SET value = 99 WHERE trial_id = ?').run(done.trialId);
    raw.close();
    assert.equal((await reader.getAllTrials(study.studyId))[0].value, 1);
    assert.equal((await writer.getTrial(done.trialId)).value, 1);
  } finally {
    await reader.close();
    await writer.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('intermediate values reported together are committed together and each promise waits for the commit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-group-'));
  const storage = await SqliteStorage.open(join(dir, 'g.db'));
  try {
    const study = await storage.createStudy({ name: 's', direction: 'minimize' });
    const trial = await storage.createTrial(study.studyId);
    const other = await storage.createTrial(study.studyId);
    await storage.finishTrial(other.trialId, { state: 'FAIL' });
    const results = await Promise.allSettled([
      ...Array.from({ length: 100 }, (_, s) => storage.setTrialIntermediateValue(trial.trialId, s, s / 10)),
      storage.setTrialIntermediateValue(other.trialId, 0, 1),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 100);
    const refused = results[100];
    assert.ok(refused.status === 'rejected' && (refused.reason as { code?: string }).code === 'TRIAL_FINISHED', 'one bad value fails alone');
    assert.equal((await storage.getTrial(trial.trialId)).intermediateValues.size, 100);
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
