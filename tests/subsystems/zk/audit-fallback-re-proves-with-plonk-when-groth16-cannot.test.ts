/**
 * `tune audit --mode fallback` on a real loss: a run's step 2 proof is corrupted and the Groth16 setup it was proved
 * with is gone from the cache. `--mode retry` cannot re-prove it and names the paths it searched; `--mode fallback`
 * (through the CLI) re-proves it with PLONK — a real 768-byte proof, its key added to the manifest — and the audit
 * passes with one step under each system.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditProofs } from '../../../src/subsystems/zk/audit.js';
import { auditAndRepair } from '../../../src/subsystems/zk/audit-repair.js';
import { readManifestFile, readStep } from '../../../src/subsystems/zk/proof-store.js';
import { releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { privateCache, provedRun, TEST_PLONK_SHAPE } from './fixtures.js';

after(releaseSnarkjs);

const BIN = fileURLToPath(new URL('../../../src/cli/bin.js', import.meta.url));

test('a step whose Groth16 key is gone is re-proved with PLONK under --mode fallback, and the audit passes', async () => {
  const c = await privateCache();
  const run = join(c.dir, 'run');
  const datasets = await provedRun(c.dir, run, 2, { shape: TEST_PLONK_SHAPE, cacheDir: c.dir });
  const file = join(run, 'steps', '000002.json');
  const rec = JSON.parse(readFileSync(file, 'utf8')) as { proof: { pi_c: string[] } };
  rec.proof.pi_c = [rec.proof.pi_c[1], rec.proof.pi_c[0], rec.proof.pi_c[2]];
  writeFileSync(file, JSON.stringify(rec));
  rmSync(dirname(c.groth16.zkey), { recursive: true });

  const retried = await auditAndRepair(run, { mode: 'retry', cacheDir: c.dir, maxAttempts: 2, baseDelayMs: 1, log: () => undefined });
  assert.equal(retried.ok, false);
  assert.deepEqual(retried.repairs.map((r) => [r.step, r.system, r.error?.code]), [[2, null, 'ARTIFACTS_NOT_FOUND']]);
  assert.match(retried.repairs[0].error?.message ?? '', /Groth16 proving key .* not found \(searched: .*groth16-\*\); .*--mode fallback/);

  const cli = spawnSync(process.execPath, [BIN, 'audit', '--dir', run, '--datasets-dir', datasets, '--mode', 'fallback', '--backoff-ms', '1'], {
    encoding: 'utf8', env: { ...process.env, PARZEN_ZK_CACHE: c.dir }, timeout: 600_000, // a hang guard only: a PLONK proof takes minutes under load
  });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /re-proved step 2 \(proof\) with plonk in 1 attempt/);
  assert.match(cli.stdout, /proved with: groth16 1, plonk 1/);
  assert.equal(readStep(run, 2).proofBytes, 768);
  assert.deepEqual(Object.keys(readManifestFile(run).vkeys).sort(), ['groth16', 'plonk']);
  const audit = await auditProofs(run);
  assert.deepEqual({ ok: audit.ok, systems: audit.systems }, { ok: true, systems: { groth16: 1, plonk: 1 } });
});
