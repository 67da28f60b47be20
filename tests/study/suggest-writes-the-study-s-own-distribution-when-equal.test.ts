import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { categorical, float, int, type Distribution } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import type { TrialParamInput } from '../../src/storage/storage.js';
import { createStudy } from '../../src/study/create.js';
import type { Study } from '../../src/study/study.js';

/** A real in-memory store that keeps the params each write was given, by name. */
class RecordingStorage extends InMemoryStorage {
  readonly written = new Map<string, Distribution[]>();
  override async setTrialParams(trialId: number, params: readonly TrialParamInput[]): Promise<void> {
    for (const p of params) this.written.set(p.name, [...(this.written.get(p.name) ?? []), p.distribution]);
    return super.setTrialParams(trialId, params);
  }
}

/** A study whose trial 0 suggested x = float(0, 1), n = int(1, 4) and c = categorical(['a', 'b']), finished. */
async function studyOnRecorder(): Promise<{ study: Study; storage: RecordingStorage }> {
  const storage = new RecordingStorage();
  const study = await createStudy({ storage, name: 's' });
  const t = await study.ask();
  t.suggestFloat('x', 0, 1);
  t.suggestInt('n', 1, 4);
  t.suggestCategorical('c', ['a', 'b']);
  await study.tell(t, 1);
  return { study, storage };
}

test('a suggest equal to the distribution the study holds for that name writes the study\'s own object (stored and hashed once), the trial keeping the one given', async () => {
  const { study, storage } = await studyOnRecorder();
  const trial = await study.ask();
  // What the study's trials hold, as the ask read them (the store's snapshot of trial 0).
  const held = (await study.getTrials())[0].distributions;
  const given = { x: float(0, 1), n: int(1, 4), c: categorical(['a', 'b']) };
  for (const [name, d] of Object.entries(given)) trial.suggest(name, d);
  await study.tell(trial, 2);
  for (const [name, d] of Object.entries(given)) {
    const written = storage.written.get(name)?.[1];
    assert.equal(written, held[name], `${name}: the study's own distribution object is written`);
    assert.notEqual(written, d);
    assert.deepEqual(written, d);
    assert.equal(trial.distributions[name], d, `${name}: the trial reports the distribution it was given`);
  }
  const stored = (await study.getTrials())[1];
  assert.deepEqual(stored.distributions, { x: float(0, 1), n: int(1, 4), c: categorical(['a', 'b']) });
});

test('a suggest with the same fields and one more key is written as given: it is not the same stored distribution', async () => {
  const { study, storage } = await studyOnRecorder();
  const trial = await study.ask();
  const withNote = Object.freeze({ ...float(0, 1), note: 'mine' }) as Distribution;
  trial.suggest('x', withNote);
  await study.tell(trial, 2);
  assert.equal(storage.written.get('x')?.[1], withNote);
});

test('a hand-written range equal to the study\'s but missing its step is still refused SPACE_INVALID, and one of other bounds is checked and written as given', async () => {
  const { study, storage } = await studyOnRecorder();
  const trial = await study.ask();
  const noStep = { kind: 'int', low: 1, high: 4, log: false } as unknown as Distribution;
  assert.throws(
    () => trial.suggest('n', noStep),
    (e: unknown) => e instanceof ConfigError && e.code === 'SPACE_INVALID' && /step is missing/.test(e.message),
  );
  const wider = float(0, 2);
  trial.suggest('x', wider);
  await study.tell(trial, 2);
  assert.equal(storage.written.get('x')?.[1], wider);
});
