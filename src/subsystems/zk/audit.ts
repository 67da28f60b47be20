/**
 * The auditor: checks a folder of step proofs (proof-store.ts) as a third party would, with nothing but the files
 * (and, when given, the training split): every proof verifies under the verification key; each step's old-weights
 * commitment is the previous step's new one (the first, the initial commitment); each batch commitment is the
 * published one for that step, and — with the data — the commitment of those rows; the public learning rate is the
 * run's; a LoRA step's base commitment is the run's frozen base; the steps run 1…n without a gap, each proved (not
 * left unproved by the `continue` policy), and end at the final commitment. Each proof is checked under the
 * verification key of its own system (Groth16, or PLONK where a step fell back). `fail-fast` stops at the first
 * failure, `continue` lists them all; `retry` and `fallback` re-prove the steps whose proofs fail (audit-repair.ts).
 */
import { batchCommitment, loadHasher } from './commitments.js';
import { toField } from './fixed-point.js';
import { listSteps, readBatches, readManifestFile, readStep, type ProofManifest, type StepRecord } from './proof-store.js';
import { verifyStep } from './snark/prove.js';
import { parsePublic } from './step.js';

/** How the audit goes on after a failure: fail-fast and continue only check; retry and fallback (audit-repair.ts) re-prove. */
export type AuditMode = 'fail-fast' | 'continue' | 'retry' | 'fallback';
/** The modes that only check. */
export type CheckMode = 'fail-fast' | 'continue';
export const AUDIT_MODES: readonly AuditMode[] = ['fail-fast', 'continue', 'retry', 'fallback'];

export interface AuditFailure {
  readonly step: number;
  readonly check: 'missing' | 'malformed' | 'unproved' | 'proof' | 'chain' | 'batch' | 'data' | 'learning-rate' | 'base' | 'final';
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
  /** Steps proved with each system. */
  readonly systems: Readonly<Record<string, number>>;
}

export interface AuditOptions {
  readonly mode?: CheckMode;
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
  const systems: Record<string, number> = {};
  const t0 = performance.now();
  for (let k = 1; k <= steps.length && !stop(); k++) {
    if (steps[k - 1] !== k) {
      failures.push({ step: k, check: 'missing', message: `step ${k}: its proof file is missing (found step ${steps[k - 1]} next)` });
      break;
    }
    const r = readRecord(dir, k, failures);
    if (r === null) break;
    const pub = parsePublic(r.publicSignals);
    const proofFailure = await checkProof(manifest, r);
    if (proofFailure !== null) failures.push(proofFailure);
    else {
      verified++;
      systems[r.system!] = (systems[r.system!] ?? 0) + 1;
    }
    if (manifest.baseCommitment !== undefined && (pub.cBase === undefined || pub.cBase !== BigInt(manifest.baseCommitment))) {
      failures.push({ step: k, check: 'base', message: `step ${k}: its base commitment is not the run's frozen base (a LoRA step must leave the base as it was)` });
    }
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
  const n = manifest.nSteps;
  if (!stop() && n !== undefined && steps.length < n && !failures.some((f) => f.check === 'missing' || f.check === 'malformed')) {
    failures.push({ step: steps.length + 1, check: 'missing', message: `step ${steps.length + 1}: its proof file is missing (the run ended at step ${n})` });
  }
  if (!stop() && manifest.finalCommitment !== undefined && (steps.length !== manifest.nSteps || BigInt(manifest.finalCommitment) !== prev)) {
    failures.push({ step: steps.length, check: 'final', message: `the run ended at step ${manifest.nSteps ?? '?'} with a final commitment the proven chain (${steps.length} steps) does not reach` });
  }
  const setup = manifest.setup.ptauKind === 'local' ? `local powers of tau 2^${manifest.setup.ptauPower} (${manifest.setup.note})` : `supplied powers of tau 2^${manifest.setup.ptauPower}`;
  return { dir, steps: steps.length, verified, ok: failures.length === 0, firstFailure: failures[0] ?? null, failures, setup, verifyMs: performance.now() - t0, systems };
}

/** Step k's record, or null after noting why it cannot be read (a forged or truncated file). */
function readRecord(dir: string, k: number, failures: AuditFailure[]): StepRecord | null {
  try {
    const r = readStep(dir, k);
    if (!Array.isArray(r.publicSignals) || r.publicSignals.length < 4) throw new Error('it lacks the public inputs');
    return r;
  } catch (e) {
    failures.push({ step: k, check: 'malformed', message: `step ${k}: its proof file cannot be read (${e instanceof Error ? e.message : String(e)})` });
    return null;
  }
}

async function checkProof(manifest: ProofManifest, r: StepRecord): Promise<AuditFailure | null> {
  const k = r.step;
  if (r.proof === null || r.system === null) {
    return { step: k, check: 'unproved', message: `step ${k}: left unproved during training (${r.error?.message ?? 'no proof'})` };
  }
  const vkey = manifest.vkeys[r.system];
  if (vkey === undefined) return { step: k, check: 'proof', message: `step ${k}: proved with ${r.system}, for which the manifest holds no verification key` };
  if (!(await verifyStep(vkey, r.publicSignals, r.proof))) return { step: k, check: 'proof', message: `step ${k}: the ${r.system} proof does not verify for its public inputs` };
  return null;
}
