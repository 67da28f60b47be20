import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { provedRun, testCacheDir } from './fixtures.js';

after(releaseSnarkjs);

const BIN = fileURLToPath(new URL('../../../src/cli/bin.js', import.meta.url));

function tune(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, PARZEN_ZK_CACHE: testCacheDir() }, timeout: 600_000 }); // a hang guard only: under load one audit takes over 30 s
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('tune audit --dir exits 0 on a proved run and 1 naming the step whose proof was tampered with', async () => {
  const root = mkdtempSync(join(tmpdir(), 'parzen-zk-cli-audit-'));
  const good = join(root, 'proofs');
  const datasets = await provedRun(root, good, 2);
  const ok = tune(['audit', '--dir', good, '--datasets-dir', datasets]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /2\/2 proofs verify; batch data recomputed from the training split/);
  assert.match(ok.stdout, /setup: local powers of tau/);
  const bad = join(root, 'bad');
  cpSync(good, bad, { recursive: true });
  const file = join(bad, 'steps', '000002.json');
  const rec = JSON.parse(readFileSync(file, 'utf8')) as { publicSignals: string[] };
  rec.publicSignals[3] = String(BigInt(rec.publicSignals[3]) + 1n);
  writeFileSync(file, JSON.stringify(rec));
  const failed = tune(['audit', '--dir', bad, '--datasets-dir', datasets]);
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /^tune: audit failed: step 2: the groth16 proof does not verify/m);
  assert.doesNotMatch(failed.stderr, /\n\s+at /, 'no stack trace');
});
