import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tune, type CliResult } from '../../cli/cli.js';
import { corpusFile, TINY_PARAMS } from './fixtures.js';

function json<T>(r: CliResult): T {
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

test('tune datasets prepare cllm --corpus, tune train, then tune generate repeats its text for a seed', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parzen-cllm-cli-'));
  const storage = ['--storage', `sqlite:${join(cwd, 'tuning.db')}`];
  const missing = join(cwd, 'no-such-notes');
  const bad = tune(['datasets', 'prepare', 'cllm', '--corpus', missing], { cwd });
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, new RegExp(`--corpus ${missing}: no such file or folder`));
  assert.doesNotMatch(bad.stderr, /\n\s+at /, 'a user fault prints no stack trace');
  assert.equal(json<{ generated: boolean }>(tune(['datasets', 'prepare', 'cllm', '--corpus', corpusFile(), '--json'], { cwd })).generated, true);

  const baseline = join(cwd, 'baseline.json');
  writeFileSync(baseline, JSON.stringify({
    parzenBaseline: 1, subsystem: 'cllm', objective: null, metric: 'val_loss', direction: 'minimize',
    config: { ...TINY_PARAMS, epochs: 2, steps_per_epoch: 3 }, params: {},
    provenance: { study: 'hand', trialNumber: 0, seed: 1, objectiveSeed: 1 },
  }));
  const run = json<{ runId: number; state: string; result: Record<string, unknown> }>(tune(['train', '--baseline', baseline, '--backend', 'wasm', '--json', ...storage], { cwd, timeoutMs: 60_000 }));
  assert.equal(run.state, 'COMPLETE');
  for (const k of ['test_loss', 'test_bits_per_char', 'unigram_nats', 'beats_unigram']) assert.ok(Object.hasOwn(run.result, k), k);

  const generate = (seed: number): { text: string; tokens: number } =>
    json(tune(['generate', '--run', String(run.runId), '--prompt', 'Call me', '--tokens', '24', '--temperature', '1', '--top-k', '10', '--seed', String(seed), '--json', ...storage], { cwd }));
  const a = generate(3);
  assert.equal(a.tokens, 24);
  assert.equal([...a.text].length, 24);
  assert.deepEqual(generate(3), a);
  const unknown = tune(['generate', '--run', String(run.runId), '--prompt', 'Call me ☃', ...storage], { cwd });
  assert.equal(unknown.status, 2, unknown.stderr);
  assert.match(unknown.stderr, /--prompt: character "☃"/);
});
