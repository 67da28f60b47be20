import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineFile, exportedBaseline } from '../baseline/fixtures.js';
import { tune } from './cli.js';

const noStack = (stderr: string): void => assert.ok(stderr.trim() !== '' && !stderr.includes('    at '), `expected one paragraph, no stack trace:\n${stderr}`);

test('tune train --help describes --train-workers', () => {
  const help = tune(['train', '--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout.replace(/\s+/g, ' '), /--train-workers data-parallel worker threads: each trains on its share of every batch/);
});

for (const bad of ['0', '-2', '1.5', '65', 'two']) {
  test(`--train-workers ${bad} exits 2 naming the flag and the range, before the store is opened`, () => {
    const cwd = mkdtempSync(join(tmpdir(), 'parzen-train-workers-'));
    const db = join(cwd, 'tuning.db');
    const r = tune(['train', '--baseline', baselineFile(exportedBaseline('cllm')), '--storage', `sqlite:${db}`, '--train-workers', bad], { cwd });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--train-workers: expected an integer from 1 to 64 \(the worker threads that share each batch\), got /);
    noStack(r.stderr);
    assert.ok(!existsSync(db));
  });
}

// fhe is outside the training kit; retrieval is on it, but its engine does not split batches (no trainShares).
for (const [subsystem, config] of [['fhe', { epochs: 2 }], ['retrieval', { epochs: 1 }]] as const) {
  test(`--train-workers 2 on a subsystem that does not split its batches (${subsystem}) exits 2 before any dataset or run`, () => {
    const cwd = mkdtempSync(join(tmpdir(), 'parzen-train-workers-'));
    const storage = `sqlite:${join(cwd, 'tuning.db')}`;
    const r = tune(['train', '--baseline', baselineFile(exportedBaseline(subsystem, config)), '--storage', storage, '--train-workers', '2'], { cwd });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`--train-workers: subsystem '${subsystem}' does not train data-parallel \\(only subsystems whose engine splits each batch among workers do, such as optimizer and cllm\\); use --train-workers 1`));
    noStack(r.stderr);
    assert.ok(!existsSync(join(cwd, 'datasets')), 'no dataset is prepared');
  });
}
