/**
 * `tune retrieve` end to end through the CLI: a one-trial retrieval study on a few Moby Dick chapters given as
 * --documents, export-baseline, a one-epoch `tune train`, then the top documents of that run for a query.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { documentsDir } from '../subsystems/retrieval/fixtures.js';
import { tune } from './cli.js';

const cwd = mkdtempSync(join(tmpdir(), 'parzen-retrieve-cli-'));
const config = join(cwd, 'retrieval.config.mjs');
writeFileSync(config, [
  `import { categorical } from ${JSON.stringify(resolve('dist/src/index.js'))};`,
  `export default { storage: 'sqlite:${join(cwd, 'tuning.db')}', subsystems: { retrieval: {`,
  `  tuning: { trials: 1, epochs: 1, batchCap: 4, seed: 1 },`,
  `  full: { epochs: 1, max_doc_len: 48, max_query_len: 24 },`,
  `  space: { embed_dim: categorical([16]), output_dim: categorical([16]), batch_size: categorical([8]) },`,
  `} } };`,
].join('\n'));
const run = (args: readonly string[]): ReturnType<typeof tune> => tune([...args, '--config', config], { cwd, timeoutMs: 600_000 });

const prepared = run(['datasets', 'prepare', 'retrieval', '--documents', documentsDir(6)]);
assert.equal(prepared.status, 0, prepared.stderr);
assert.equal(run(['--subsystem', 'retrieval', '--trials', '1', '--study', 'rc', '--seed', '1', '--workers', '0']).status, 0);
const baseline = join(cwd, 'rc.json');
assert.equal(run(['export-baseline', '--study', 'rc', '--out', baseline]).status, 0);
const trained = run(['train', '--baseline', baseline]);
assert.equal(trained.status, 0, trained.stderr);

test('tune train ends with the dense, untrained, BM25, RRF and hybrid rows', () => {
  const printed = `${trained.stdout}\n${trained.stderr}`;
  for (const row of ['dense', 'untrained encoder', 'bm25', 'RRF (equal)', 'hybrid (interp.)']) assert.match(printed, new RegExp(`\\n\\s*${row.replace(/[()]/g, '\\$&')}\\s+\\d\\.\\d{4}`), row);
  assert.match(printed, /BM25 weight \d\.\d\d, dense \d\.\d\d, chosen on validation/);
});

test('tune retrieve --run prints k ranked documents of that run, for each system', () => {
  for (const system of ['dense', 'bm25', 'hybrid']) {
    const r = run(['retrieve', '--run', '1', '--query', 'the whale and the sea', '--k', '3', '--system', system]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], new RegExp(`^${system} top 3 of \\d+ documents for "the whale and the sea" \\(run 1\\):$`));
    assert.equal(lines.length, 4, r.stdout);
    lines.slice(1).forEach((l, i) => assert.match(l, new RegExp(`^ ${i + 1}\\. -?\\d+\\.\\d{4}  \\S+  `)));
  }
});

test('tune retrieve with an empty query or a run that does not exist is a usage error naming the flag', () => {
  const empty = run(['retrieve', '--run', '1', '--query', ' ']);
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /--query: is empty/);
  const missing = run(['retrieve', '--run', '99', '--query', 'whale']);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /99/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
});
