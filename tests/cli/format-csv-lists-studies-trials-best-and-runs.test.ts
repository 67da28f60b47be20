import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempStore, tune } from './cli.js';
import { csvObjects, parseCsv } from './csv-parse.js';
import { NATURAL_PARAMS, wideStudy } from './wide-study.js';

const { storage, trials } = wideStudy();

function csv(args: readonly string[]): string {
  const r = tune([...args, '--format', 'csv', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('trials as CSV: every field, each parameter a params.<name> column in natural order, full precision and full error text', () => {
  const text = csv(['trials', '--study', 'w']);
  assert.deepEqual(parseCsv(text)[0], [
    'number', 'state', 'value', 'started', 'completed', 'run_s', 'total_s',
    ...NATURAL_PARAMS.map((p) => `params.${p}`), 'error', 'worker', 'seed', 'retry_of',
  ]);
  const rows = csvObjects(text);
  assert.equal(rows.length, trials.length);
  for (const [i, t] of trials.entries()) {
    const row = rows[i];
    assert.equal(row['number'], String(t.number));
    assert.equal(row['state'], t.state);
    assert.equal(row['value'], t.value === null ? '' : String(t.value));
    for (const p of NATURAL_PARAMS) assert.equal(Number(row[`params.${p}`]), t.params[p], `params.${p} round-trips exactly`);
    // Quotes, a comma and a line break come back whole: the quoting is right, and nothing is cut at 60 characters.
    assert.equal(row['error'], t.error?.message ?? '');
    assert.equal(row['total_s'], String(t.durationMs! / 1000));
    assert.equal(row['run_s'], String(t.runMs! / 1000));
    assert.equal(row['started'], t.datetimeStart);
    assert.equal(row['seed'], '1');
  }
  assert.ok(rows.some((r) => r['error'].includes('"limit"') && r['error'].includes(',') && r['error'].includes('\n')), 'the fixture gives an error to quote');
});

test('best as CSV is the best rows, best first', () => {
  const rows = csvObjects(csv(['best', '--study', 'w', '--top', '3']));
  const expected = trials.filter((t) => t.state === 'COMPLETE').sort((a, b) => a.value! - b.value!).slice(0, 3);
  assert.deepEqual(rows.map((r) => Number(r['number'])), expected.map((t) => t.number));
});

test('studies as CSV: counts and the best value at full precision, no heading line', () => {
  const [row, ...more] = csvObjects(csv(['studies']));
  assert.deepEqual(more, []);
  const best = Math.min(...trials.filter((t) => t.state === 'COMPLETE').map((t) => t.value!));
  const nFail = trials.filter((t) => t.state === 'FAIL').length;
  assert.deepEqual(
    { ...row, created: undefined },
    { study: 'w', direction: 'minimize', trials: '8', complete: String(8 - nFail), pruned: '0', fail: String(nFail), running: '0', best_value: String(best), best_trial: String(trials.find((t) => t.value === best)!.number), created: undefined },
  );
  assert.match(row['created'], /^\d{4}-\d\d-\d\dT/);
});

test('runs as CSV with no runs is its header alone; the table says how to start one', () => {
  // A store with a study and no runs (query commands never create a store, so one is made first).
  const empty = tempStore();
  assert.equal(tune(['create-study', '--study', 'e', '--storage', empty]).status, 0);
  const r = tune(['runs', '--format', 'csv', '--storage', empty]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(parseCsv(r.stdout), [['run', 'subsystem', 'study', 'trial', 'state', 'value', 'run_s', 'started', 'completed', 'error']]);
  assert.match(tune(['runs', '--storage', empty]).stdout, /no full-training runs yet; start one with `tune train --baseline <baseline\.json>`/);
});

test('--json is the same as --format json', () => {
  for (const args of [['studies'], ['trials', '--study', 'w'], ['best', '--study', 'w'], ['runs']]) {
    const a = tune([...args, '--json', '--storage', storage]);
    const b = tune([...args, '--format', 'json', '--storage', storage]);
    assert.equal(a.status, 0, a.stderr);
    assert.equal(b.stdout, a.stdout);
    JSON.parse(a.stdout);
  }
});
