import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, tempStore, tune as tuneIn } from './cli.js';

// Runs write their logs under ./studies of the working folder: keep them out of the repository.
const cwd = mkdtempSync(join(tmpdir(), 'parzen-manage-'));
const tune = (args: readonly string[]) => tuneIn(args, { cwd });

const studies = (storage: string): [string, string, number][] =>
  (JSON.parse(tune(['studies', '--json', '--storage', storage]).stdout) as { name: string; direction: string; nTrials: number }[]).map((s) => [
    s.name,
    s.direction,
    s.nTrials,
  ]);

function expectBadInput(args: string[], message: RegExp): void {
  const r = tune(args);
  assert.equal(r.status, 2, `tune ${args.join(' ')}: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /    at /);
}

test('create-study makes an empty study (creating the store), a run then fills it, and a taken name exits 2 unless --skip-if-exists', () => {
  const storage = tempStore();
  const r = tune(['create-study', '--study', 'made', '--direction', 'maximize', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /created study 'made' \(maximize\)/);
  assert.deepEqual(studies(storage), [['made', 'maximize', 0]]);
  expectBadInput(['create-study', '--study', 'made', '--storage', storage], /a study named "made" already exists; use --skip-if-exists/);
  const skip = tune(['create-study', '--study', 'made', '--skip-if-exists', '--storage', storage]);
  assert.equal(skip.status, 0, skip.stderr);
  expectBadInput(['create-study', '--study', 'made', '--skip-if-exists', '--direction', 'minimize', '--storage', storage], /already exists .* to maximize, not minimize/);
  // A minimizing objective cannot run in a study created to maximize; one created to minimize takes the run.
  expectBadInput(['--objective', fixture('quadratic'), '--study', 'made', '--trials', '1', '--workers', '0', '--storage', storage], /study 'made' was created to maximize/);
  assert.equal(tune(['create-study', '--study', 'q', '--storage', storage]).status, 0);
  const run = tune(['--objective', fixture('quadratic'), '--study', 'q', '--trials', '3', '--workers', '0', '--storage', storage]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(studies(storage), [['made', 'maximize', 0], ['q', 'minimize', 3]]);
  const baseline = JSON.parse(tune(['export-baseline', '--study', 'q', '--json', '--out', `${storage.slice(7)}.q.json`, '--storage', storage]).stdout) as {
    baseline: { objective: string | null };
  };
  assert.equal(baseline.baseline.objective, fixture('quadratic'), 'the first run recorded what the study tunes');
});

test('delete-study needs --yes, says what it would delete, and then removes the study and its trials', () => {
  const storage = tempStore();
  assert.equal(tune(['--objective', fixture('quadratic'), '--study', 'gone', '--trials', '3', '--workers', '0', '--storage', storage]).status, 0);
  assert.equal(tune(['create-study', '--study', 'kept', '--storage', storage]).status, 0);
  expectBadInput(['delete-study', '--study', 'gone', '--storage', storage], /removes study 'gone' and its 3 trials .* add --yes to do it/);
  assert.deepEqual(studies(storage), [['gone', 'minimize', 3], ['kept', 'minimize', 0]]);
  const r = tune(['delete-study', '--study', 'gone', '--yes', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /deleted study 'gone' and its 3 trials/);
  assert.deepEqual(studies(storage), [['kept', 'minimize', 0]]);
  expectBadInput(['delete-study', '--study', 'gone', '--yes', '--storage', storage], /study "gone" does not exist/);
  const missing = `${storage}.missing`;
  expectBadInput(['delete-study', '--study', 'x', '--yes', '--storage', missing], /no study store at .*never creates one/);
  assert.equal(existsSync(missing.slice('sqlite:'.length)), false);
});

test('rename-study keeps the trials under the new name; an unknown study, a taken name and the same name exit 2 and change nothing', () => {
  const storage = tempStore();
  assert.equal(tune(['--objective', fixture('quadratic'), '--study', 'old', '--trials', '3', '--workers', '0', '--storage', storage]).status, 0);
  assert.equal(tune(['create-study', '--study', 'other', '--storage', storage]).status, 0);
  const bestBefore = JSON.parse(tune(['best', '--study', 'old', '--json', '--storage', storage]).stdout) as { number: number; value: number };
  expectBadInput(['rename-study', '--study', 'nope', '--to', 'x', '--storage', storage], /study "nope" does not exist/);
  expectBadInput(['rename-study', '--study', 'old', '--to', 'other', '--storage', storage], /a study named "other" already exists; choose another new name/);
  expectBadInput(['rename-study', '--study', 'old', '--to', 'old', '--storage', storage], /already called 'old'/);
  assert.deepEqual(studies(storage), [['old', 'minimize', 3], ['other', 'minimize', 0]]);
  const r = tune(['rename-study', '--study', 'old', '--to', 'new', '--storage', storage]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /renamed study 'old' to 'new'/);
  assert.deepEqual(studies(storage), [['new', 'minimize', 3], ['other', 'minimize', 0]]);
  assert.deepEqual(JSON.parse(tune(['best', '--study', 'new', '--json', '--storage', storage]).stdout), bestBefore);
  // The renamed study goes on: --resume continues it under the new name.
  const more = tune(['--objective', fixture('quadratic'), '--study', 'new', '--trials', '5', '--resume', '--workers', '0', '--storage', storage]);
  assert.equal(more.status, 0, more.stderr);
  assert.deepEqual(studies(storage), [['new', 'minimize', 5], ['other', 'minimize', 0]]);
});

test('best-trials lists the best trials best first, and its --json is a list even for one', () => {
  const storage = tempStore();
  assert.equal(tune(['--objective', fixture('quadratic'), '--study', 'b', '--trials', '6', '--seed', '2', '--workers', '0', '--storage', storage]).status, 0);
  const all = (JSON.parse(tune(['trials', '--study', 'b', '--json', '--order', 'best', '--storage', storage]).stdout) as { number: number }[]).map((t) => t.number);
  const three = JSON.parse(tune(['best-trials', '--study', 'b', '--top', '3', '--json', '--storage', storage]).stdout) as { number: number }[];
  assert.deepEqual(three.map((t) => t.number), all.slice(0, 3));
  const one = JSON.parse(tune(['best-trials', '--study', 'b', '--json', '--storage', storage]).stdout) as { number: number }[];
  assert.deepEqual(one.map((t) => t.number), all.slice(0, 1));
  const text = tune(['best-trials', '--study', 'b', '--top', '2', '--storage', storage]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /study 'b' \(minimize\), best 2:/);
  expectBadInput(['best-trials', '--study', 'b', '--top', '0', '--storage', storage], /--top must be a positive integer/);
});
