import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, tune } from './cli.js';
import { readerDir, setReaderAccess, tuneAsReader } from './reader.js';

/** A store with one finished study `ro` (5 trials), made by this process, then made read-only to the reader. */
function readOnlyStore(opts: { folderWritable: boolean }): { dir: string; file: string; storage: string } {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-ro-store-'));
  const file = join(dir, 'tuning.db');
  const storage = `sqlite:${file}`;
  const r = tune(['--objective', fixture('quadratic'), '--trials', '5', '--study', 'ro', '--seed', '3', '--storage', storage, '--workers', '0'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  chmodSync(file, 0o444);
  setReaderAccess(dir, { writable: opts.folderWritable });
  return { dir, file, storage };
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function queriesAnswer(storage: string): void {
  const cwd = readerDir({ writable: true });
  const run = (args: string[]) => {
    const r = tuneAsReader([...args, '--storage', storage], { cwd });
    assert.equal(r.status, 0, `tune ${args.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /readonly database|    at /);
    return r.stdout;
  };
  const studies = JSON.parse(run(['studies', '--json'])) as { name: string; nTrials: number }[];
  assert.deepEqual(studies.map((s) => [s.name, s.nTrials]), [['ro', 5]]);
  assert.equal((JSON.parse(run(['trials', '--study', 'ro', '--json'])) as unknown[]).length, 5);
  const best = JSON.parse(run(['best', '--study', 'ro', '--json'])) as { number: number; state: string };
  assert.equal(best.state, 'COMPLETE');
  const bestTrials = JSON.parse(run(['best-trials', '--study', 'ro', '--json'])) as { number: number }[];
  assert.deepEqual(bestTrials.map((t) => t.number), [best.number]);
  assert.deepEqual(JSON.parse(run(['runs', '--json'])), []);
  const out = join(cwd, 'ro.json');
  run(['export-baseline', '--study', 'ro', '--out', out, '--json']);
  assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { provenance: { trialNumber: number } }).provenance.trialNumber, best.number);
}

test('a store in a folder the user may only read (file mode 0444) answers every query command and is left unchanged', () => {
  const { dir, file, storage } = readOnlyStore({ folderWritable: false });
  const before = sha(file);
  const files = readdirSync(dir).sort();
  queriesAnswer(storage);
  assert.equal(sha(file), before);
  assert.deepEqual(readdirSync(dir).sort(), files);
});

test('a store file the user may only read (0444) in a folder they may write answers every query command and keeps its data', () => {
  const { file, storage } = readOnlyStore({ folderWritable: true });
  const before = sha(file);
  queriesAnswer(storage);
  assert.equal(sha(file), before);
});

test('a writing command on a store the user may only read exits 2 saying it is read-only, and the store keeps its trials', () => {
  const { file, storage } = readOnlyStore({ folderWritable: false });
  const before = sha(file);
  const cwd = readerDir({ writable: true });
  const commands = [
    ['--objective', fixture('quadratic'), '--trials', '1', '--study', 'ro', '--resume', '--workers', '0'],
    ['create-study', '--study', 'other'],
    ['delete-study', '--study', 'ro', '--yes'],
    ['rename-study', '--study', 'ro', '--to', 'renamed'],
    ['ask', '--study', 'ro'],
  ];
  for (const args of commands) {
    const r = tuneAsReader([...args, '--storage', storage], { cwd });
    assert.equal(r.status, 2, `tune ${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes(file), r.stderr);
    assert.match(r.stderr, /read-only/);
    assert.doesNotMatch(r.stderr, /    at /);
  }
  assert.equal(sha(file), before);
  assert.equal(existsSync(`${file}-wal`), false);
  const studies = JSON.parse(tune(['studies', '--json', '--storage', storage]).stdout) as { name: string; nTrials: number }[];
  assert.deepEqual(studies.map((s) => [s.name, s.nTrials]), [['ro', 5]]);
});

test('the way out the read-only message names works: copy-study from the read-only store into a writable one, then run there', () => {
  const { file, storage } = readOnlyStore({ folderWritable: false });
  const before = sha(file);
  const cwd = readerDir({ writable: true });
  const mine = `sqlite:${join(cwd, 'mine.db')}`;
  const copied = tuneAsReader(['copy-study', '--study', 'ro', '--from-storage', storage, '--to-storage', mine], { cwd });
  assert.equal(copied.status, 0, copied.stderr);
  const more = tuneAsReader(['--objective', fixture('quadratic'), '--trials', '7', '--study', 'ro', '--resume', '--workers', '0', '--storage', mine], { cwd });
  assert.equal(more.status, 0, more.stderr);
  const studies = JSON.parse(tuneAsReader(['studies', '--json', '--storage', mine], { cwd }).stdout) as { name: string; nTrials: number }[];
  assert.deepEqual(studies.map((s) => [s.name, s.nTrials]), [['ro', 7]]);
  assert.equal(sha(file), before);
});
