/**
 * `tune audit --mode retry` (auditAndRepair) on real failures: steps left unproved because the Groth16 proving key
 * was cut short are re-proved from their stored witnesses with backoff once the key is whole again; with the key still
 * broken retries run out and the audit fails naming the first step; a forged witness is not retried and fails; a
 * valid witness of another run's step proves, but the audit then rejects the chain — re-proving cannot launder a step.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditProofs } from '../../../src/subsystems/zk/audit.js';
import { auditAndRepair, type RepairOptions } from '../../../src/subsystems/zk/audit-repair.js';
import { witnessFile } from '../../../src/subsystems/zk/proof-store.js';
import { releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { privateCache, provedRun, TEST_PLONK_SHAPE, testKeys } from './fixtures.js';

after(releaseSnarkjs);

const shape = TEST_PLONK_SHAPE;

/** A private cache whose Groth16 proving key is cut to a third (a real proving failure), and a run of 2 steps left unproved by it. */
async function unprovedRun(name: string): Promise<{ run: string; cache: string; mend(): void }> {
  const c = await privateCache();
  const whole = (await testKeys(shape, 'groth16')).zkey;
  truncateSync(c.groth16.zkey, Math.floor(readFileSync(c.groth16.zkey).length / 3));
  const run = join(c.dir, name);
  await provedRun(c.dir, run, 2, { shape, cacheDir: c.dir, policy: 'continue' });
  return { run, cache: c.dir, mend: () => copyFileSync(whole, c.groth16.zkey) };
}

const options = (cacheDir: string, logs: string[], extra: Partial<RepairOptions> = {}): RepairOptions => ({
  mode: 'retry', cacheDir, maxAttempts: 3, baseDelayMs: 2, log: (m) => void logs.push(m), ...extra,
});

test('steps left unproved by a broken key are re-proved from their witnesses after a backoff once the key is mended', async () => {
  const { run, cache, mend } = await unprovedRun('run');
  const before = await auditProofs(run);
  assert.deepEqual({ step: before.firstFailure?.step, check: before.firstFailure?.check }, { step: 1, check: 'unproved' });
  const logs: string[] = [];
  const r = await auditAndRepair(run, options(cache, logs, { log: (m) => (logs.push(m), /retrying in/.test(m) && mend()) }));
  assert.equal(r.ok, true, JSON.stringify(r.failures));
  assert.deepEqual(r.repairs.map((x) => [x.step, x.check, x.system, x.attempts]), [[1, 'unproved', 'groth16', 2], [2, 'unproved', 'groth16', 1]]);
  assert.deepEqual({ verified: r.verified, systems: r.systems }, { verified: 2, systems: { groth16: 2 } });
  assert.deepEqual(logs.flatMap((m) => /retrying in (\d+) ms/.exec(m)?.[1] ?? []), ['2']);
  const kept = readdirSync(join(run, 'steps')).filter((f) => f.includes('.replaced-'));
  assert.equal(kept.length, 2, 'the unproved records are kept beside the new ones');
  assert.equal((await auditProofs(run)).ok, true, 'a plain audit now passes too');
});

test('with the key still broken every attempt fails, retries run out with the last error, and the audit names step 1', async () => {
  const { run, cache } = await unprovedRun('still-broken');
  const logs: string[] = [];
  const r = await auditAndRepair(run, options(cache, logs));
  assert.equal(r.ok, false);
  assert.deepEqual({ step: r.firstFailure?.step, check: r.firstFailure?.check }, { step: 1, check: 'unproved' });
  assert.deepEqual(r.repairs.map((x) => [x.step, x.system, x.attempts, x.error?.code]), [[1, null, 3, 'RETRIES_EXHAUSTED'], [2, null, 3, 'RETRIES_EXHAUSTED']]);
  assert.match(r.repairs[0].error?.message ?? '', /after 3 attempts; last error: Groth16 proving failed/);
  assert.deepEqual(logs.flatMap((m) => /step 1: groth16 attempt \d failed .*retrying in (\d+) ms/.exec(m)?.[1] ?? []), ['2', '4']);
});

test('a forged witness is not retried, and a valid witness of another run proves but breaks the chain', async () => {
  const root = mkdtempSync(join(tmpdir(), 'parzen-zk-repair-forged-'));
  const [a, b] = [join(root, 'a'), join(root, 'b')];
  await provedRun(root, a, 2, { shape });
  await provedRun(root, b, 2, { shape });
  const stepFile = join(a, 'steps', '000002.json');
  const rec = JSON.parse(readFileSync(stepFile, 'utf8')) as { proof: { pi_a: string[] } };
  rec.proof.pi_a = [rec.proof.pi_a[1], rec.proof.pi_a[0], rec.proof.pi_a[2]];
  writeFileSync(stepFile, JSON.stringify(rec));
  const witness = JSON.parse(readFileSync(witnessFile(a, 2), 'utf8')) as { wNew: string[] };
  witness.wNew[0] = String(BigInt(witness.wNew[0]) + 1n);
  writeFileSync(witnessFile(a, 2), JSON.stringify(witness));
  const { dir: cache } = await privateCache();
  const forged = await auditAndRepair(a, options(cache, []));
  assert.deepEqual(forged.repairs.map((x) => [x.step, x.attempts, x.error?.code]), [[2, 1, 'WITNESS_FAILED']]);
  assert.deepEqual({ step: forged.firstFailure?.step, check: forged.firstFailure?.check }, { step: 2, check: 'proof' });

  cpSync(witnessFile(b, 2), witnessFile(a, 2));
  const laundered = await auditAndRepair(a, options(cache, []));
  assert.deepEqual(laundered.repairs.map((x) => [x.step, x.system]), [[2, 'groth16']]);
  assert.equal(laundered.verified, 2, "the new proof is valid for run b's step");
  assert.deepEqual(laundered.failures.map((f) => `${f.step}:${f.check}`), ['2:chain', '2:final']);
  assert.ok(existsSync(join(a, 'steps', '000002.json')));
});
