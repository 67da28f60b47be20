import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readBaseline } from '../../src/baseline/baseline.js';
import { ConfigError } from '../../src/errors.js';
import { baselineFile, exportedBaseline } from './fixtures.js';

const REMOVE = Symbol('remove');

/** The exported baseline with the field at `path` (dotted) set to `value`, or removed. */
function variant(path: string, value: unknown): Record<string, unknown> {
  const b = structuredClone(exportedBaseline());
  const keys = path.split('.');
  const last = keys.pop() as string;
  let at: Record<string, unknown> = b;
  for (const k of keys) at = at[k] as Record<string, unknown>;
  if (value === REMOVE) delete at[last];
  else at[last] = value;
  return b;
}

/** readBaseline fails with one ConfigError paragraph naming `field`, the file, and the fix. */
function rejects(value: unknown, field: string, problem: RegExp): void {
  const file = baselineFile(value);
  assert.throws(
    () => readBaseline(file),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.code, 'CONFIG_INVALID');
      assert.ok(e.message.startsWith(`baseline ${file}: "${field}" `), e.message);
      assert.match(e.message, problem);
      assert.match(e.message, /tune export-baseline --study <name> --out /);
      assert.ok(!e.message.includes('\n'), 'one paragraph');
      return true;
    },
  );
}

test('an exported baseline reads back as it was written', () => {
  const b = exportedBaseline();
  assert.deepEqual(readBaseline(baselineFile(b)), b);
});

test('null seeds (a study without a seed) are accepted', () => {
  const b = variant('provenance.seed', null);
  (b['provenance'] as Record<string, unknown>)['objectiveSeed'] = null;
  assert.equal(readBaseline(baselineFile(b)).provenance.objectiveSeed, null);
});

test('a baseline without provenance names the field (it crashed full training with a TypeError before)', () => {
  rejects(variant('provenance', REMOVE), 'provenance', /nothing \(the field is missing\)/);
  rejects(variant('provenance', 'trial 7'), 'provenance', /must be the object export-baseline writes/);
});

test('each provenance field train reads is checked: study, trialNumber, seed, objectiveSeed', () => {
  rejects(variant('provenance.study', REMOVE), 'provenance.study', /must name the study/);
  rejects(variant('provenance.study', '  '), 'provenance.study', /must name the study/);
  rejects(variant('provenance.trialNumber', -1), 'provenance.trialNumber', /an integer ≥ 0\); got -1/);
  rejects(variant('provenance.trialNumber', '7'), 'provenance.trialNumber', /got "7"/);
  rejects(variant('provenance.objectiveSeed', REMOVE), 'provenance.objectiveSeed', /must be an integer, or null/);
  rejects(variant('provenance.seed', 1.5), 'provenance.seed', /got 1\.5/);
});

test('the format marker, the subsystem and the config are checked', () => {
  rejects(variant('parzenBaseline', REMOVE), 'parzenBaseline', /must be 1 \(the baseline format\)/);
  rejects(variant('parzenBaseline', 2), 'parzenBaseline', /got 2: this is not a parzen baseline, or one of another version/);
  rejects(variant('subsystem', 42), 'subsystem', /must name a subsystem, e\.g\. "optimizer"; got 42/);
  rejects(variant('config', REMOVE), 'config', /must be an object of hyperparameters/);
  rejects(variant('config', [1, 2]), 'config', /got \[1,2\]/);
  rejects(variant('config.hidden_dim', { a: 1 }), 'config.hidden_dim', /must be a number, string, boolean or null/);
  rejects([1, 2, 3], '(top level)', /must be a JSON object/);
});

test('a baseline of an --objective study says full training runs subsystems', () => {
  const file = baselineFile({ ...exportedBaseline(), subsystem: null, objective: '/work/objective.ts' });
  assert.throws(() => readBaseline(file), (e: unknown) => e instanceof ConfigError && /has no "subsystem"; full training runs parzen subsystems/.test(e.message));
});

test('a file that is missing or not JSON names the file', () => {
  const missing = join(baselineFile('{}'), '..', 'nope.json');
  assert.throws(() => readBaseline(missing), (e: unknown) => e instanceof ConfigError && e.message.includes(`baseline ${missing} cannot be read`));
  const broken = baselineFile('{ "parzenBaseline": 1, ');
  assert.throws(() => readBaseline(broken), (e: unknown) => e instanceof ConfigError && e.message.includes(`baseline ${broken} is not valid JSON`));
});

test('a long bad value is shortened in the message', () => {
  rejects(variant('config.hidden_dim', ['a'.repeat(200)]), 'config.hidden_dim', /got \["a{50,}\.\.\./);
});
