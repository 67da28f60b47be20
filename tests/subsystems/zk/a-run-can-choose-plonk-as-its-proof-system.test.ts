/**
 * `proof_system: plonk` proves every step with PLONK (the universal setup) instead of Groth16: the manifest names PLONK
 * and holds only its key, every proof is PLONK's 768 bytes, and the audit verifies them. (One step: PLONK proves
 * ~10-30x slower than Groth16.)
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditProofs } from '../../../src/subsystems/zk/audit.js';
import { parseZkHyperparams, ZK_DEFAULTS } from '../../../src/subsystems/zk/hyperparams.js';
import { readManifestFile, readStep } from '../../../src/subsystems/zk/proof-store.js';
import { releaseSnarkjs } from '../../../src/subsystems/zk/snark/snarkjs.js';
import { provedRun, TEST_PLONK_SHAPE } from './fixtures.js';

after(releaseSnarkjs);

test('proof_system plonk proves and audits every step under the PLONK key', async () => {
  assert.equal(parseZkHyperparams({ ...ZK_DEFAULTS, proof_system: 'plonk' }).proofSystem, 'plonk');
  assert.equal(parseZkHyperparams(ZK_DEFAULTS).proofSystem, 'groth16');
  const root = mkdtempSync(join(tmpdir(), 'parzen-zk-plonk-run-'));
  const run = join(root, 'run');
  await provedRun(root, run, 1, { shape: TEST_PLONK_SHAPE, system: 'plonk' });
  const m = readManifestFile(run);
  assert.deepEqual({ system: m.system, keys: Object.keys(m.vkeys) }, { system: 'plonk', keys: ['plonk'] });
  assert.deepEqual([readStep(run, 1).proofBytes, readStep(run, 1).system], [768, 'plonk']);
  const audit = await auditProofs(run);
  assert.deepEqual({ ok: audit.ok, systems: audit.systems }, { ok: true, systems: { plonk: 1 } });
});
