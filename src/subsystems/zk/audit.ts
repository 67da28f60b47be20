/**
 * The auditor: checks a folder of step proofs (proof-store.ts) as a third party would, with nothing but the files
 * (and, when given, the training split): every proof verifies under the verification key; each step's old-weights
 * commitment is the previous step's new one (the first, the initial commitment); each batch commitment is the
 * published one for that step, and — with the data — the commitment of those rows; the public learning rate is the
 * run's; the steps run 1…n without a gap and end at the final commitment. `fail-fast` stops at the first failure,
 * `continue` lists them all.
 */
import { batchCommitment, loadHasher } from './commitments.js';
import { toField } from './fixed-point.js';
import { listSteps, readBatches, readManifestFile, readStep } from './proof-store.js';
import { verifyStep } from './snark/prove.js';
import { parsePublic } from './step.js';

export type AuditMode = 'fail-fast' | 'continue';

export interface AuditFailure {
  readonly step: number;
  readonly check: 'missing' | 'proof' | 'chain' | 'batch' | 'data' | 'learning-rate' | 'final';
  readonly message: string;
}

export interface AuditReport {
  readonly dir: string;
  readonly steps: number;
  readonly verified: number;
  readonly ok: boolean;
  readonly firstFailure: AuditFailure | null;
  readonly failures: readonly AuditFailure[];
  readonly setup: string;
  readonly verifyMs: number;
}

export interface AuditOptions {
  readonly mode?: AuditMode;
  /** The training rows (fixed point, features then target) to recompute batch commitments from. */
  readonly fixedRows?: (row: number) => readonly bigint[];
}

/** Audits the proofs in `dir`. */
export async function auditProofs(dir: string, o: AuditOptions = {}): Promise<AuditReport> {
  const manifest = readManifestFile(dir);
  const batches = readBatches(dir);
  const steps = listSteps(dir);
  const h = await loadHasher();
  const failures: AuditFailure[] = [];
  const stop = (): boolean => o.mode !== 'continue' && failures.length > 0;
  let prev = BigInt(manifest.initialCommitment);
  let verified = 0;
  const t0 = performance.now();
  for (let k = 1; k <= steps.length && !stop(); k++) {
    if (steps[k - 1] !== k) {
      failures.push({ step: k, check: 'missing', message: `step ${k}: its proof file is missing (found step ${steps[k - 1]} next)` });
      break;
    }
    const r = readStep(dir, k);
    const pub = parsePublic(r.publicSignals);
    if (!(await verifyStep(manifest.vkey, r.publicSignals, r.proof))) {
      failures.push({ step: k, check: 'proof', message: `step ${k}: the proof does not verify for its public inputs` });
    } else verified++;
    if (pub.cOld !== prev) failures.push({ step: k, check: 'chain', message: `step ${k}: its old-weights commitment is not step ${k - 1}'s new one` });
    if (batches.commitments[k - 1] === undefined || pub.cBatch !== BigInt(batches.commitments[k - 1])) {
      failures.push({ step: k, check: 'batch', message: `step ${k}: its batch commitment is not the published one` });
    } else if (o.fixedRows !== undefined) {
      const rows = batches.rows[k - 1].map((i) => o.fixedRows!(i));
      const c = batchCommitment(h, rows.map((r) => r.slice(0, -1)), rows.map((r) => r[r.length - 1]));
      if (c !== pub.cBatch) failures.push({ step: k, check: 'data', message: `step ${k}: the published batch commitment is not that of training rows ${batches.rows[k - 1].join(', ')}` });
    }
    if (pub.lr !== toField(BigInt(manifest.lr), h.p)) failures.push({ step: k, check: 'learning-rate', message: `step ${k}: learning rate ${pub.lr} is not the run's ${manifest.lr}` });
    prev = pub.cNew;
  }
  if (!stop() && manifest.finalCommitment !== undefined && (steps.length !== manifest.nSteps || BigInt(manifest.finalCommitment) !== prev)) {
    failures.push({ step: steps.length, check: 'final', message: `the run ended at step ${manifest.nSteps ?? '?'} with a final commitment the proven chain (${steps.length} steps) does not reach` });
  }
  const setup = manifest.setup.ptauKind === 'local' ? `local powers of tau 2^${manifest.setup.ptauPower} (${manifest.setup.note})` : `supplied powers of tau 2^${manifest.setup.ptauPower}`;
  return { dir, steps: steps.length, verified, ok: failures.length === 0, firstFailure: failures[0] ?? null, failures, setup, verifyMs: performance.now() - t0 };
}
