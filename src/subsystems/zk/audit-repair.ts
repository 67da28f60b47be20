/**
 * The audit modes that mend what they can before they judge (`tune audit --mode retry|fallback`), for the party that
 * trained the run and still holds its private witnesses (proof-store.ts):
 *   retry     a step whose proof is the problem — its file missing or unreadable, left unproved by the `continue`
 *             policy, or a proof that does not verify — is re-proved from its stored witness with the run's system
 *             (Groth16 unless it chose PLONK) and the proving key whose verification key the manifest holds (PLONK's
 *             universal keys are set up again from the ptau if need be); retryable failures (the prover failed, not a
 *             witness that violates the circuit) are tried again after 1 s, 2 s, 4 s, 8 s (baseDelayMs·2^k) up to
 *             maxAttempts, then RetriesExhaustedError
 *   fallback  as retry, then, when the run's system cannot (its key is gone, broken or another setup's, or retries
 *             ran out), with the other one, whose verification key is added to the manifest — another real proof,
 *             never placeholder bytes
 * Then the whole audit runs again, so a re-proved step must still chain, match its published batch and the run's
 * learning rate: re-proving cannot launder a wrong step, and failures that are about the statement itself (chain,
 * batch, data, learning rate, base) are only reported. A forged witness fails witness generation under every system
 * and is not retried. The record a re-proof replaces is kept (steps/NNNNNN.replaced-<time>.json).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProofError } from '../../errors.js';
import { circuitKey, readCompiled } from './artifacts/compile.js';
import { ensureKeys, type CircuitKeys, type ProofSystem, type PtauFile } from './artifacts/setup.js';
import { auditProofs, type AuditFailure, type AuditOptions, type AuditReport } from './audit.js';
import { ArtifactsNotFoundError, ProofGenerationError, WitnessError } from './errors.js';
import { otherSystem } from './prover.js';
import { listSteps, readManifestFile, readStep, readWitness, replaceStep, witnessFile, writeManifestFile, type ProofManifest } from './proof-store.js';
import { proofBytes, proveStep, verifyStep, type WitnessInput } from './snark/prove.js';
import { withRetries } from './snark/retry.js';
import type { VerificationKey } from './snark/snarkjs.js';

export type RepairMode = 'retry' | 'fallback';

/** The failures a new proof of the same witness can mend. */
const REPAIRABLE: ReadonlySet<AuditFailure['check']> = new Set(['missing', 'malformed', 'unproved', 'proof']);

export interface RepairOptions extends Pick<AuditOptions, 'fixedRows'> {
  readonly mode: RepairMode;
  readonly cacheDir: string;
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly log: (m: string) => void;
  readonly signal?: AbortSignal;
}

export interface StepRepair {
  readonly step: number;
  /** What the first audit found wrong with the step. */
  readonly check: AuditFailure['check'];
  /** The system that re-proved it; null when it could not be re-proved (`error` says why). */
  readonly system: ProofSystem | null;
  readonly attempts: number;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface RepairedAudit extends AuditReport {
  readonly repairs: readonly StepRepair[];
}

const sameKey = (a: VerificationKey, b: VerificationKey): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The cached Groth16 keys whose verification key is the manifest's: the only ones a re-proof can be checked under. */
export function groth16KeysOf(cacheDir: string, manifest: ProofManifest): CircuitKeys {
  const want = manifest.vkeys.groth16;
  // The manifest names the circuit of the run's own system; a PLONK run's Groth16 circuit is the --O2 one of its shape.
  const key = manifest.system === 'groth16' ? manifest.circuitKey : circuitKey(manifest.shape, 'O2');
  const circuitDir = join(cacheDir, 'circuits', key);
  const searched: string[] = [];
  const setups = existsSync(circuitDir) ? readdirSync(circuitDir).filter((f) => f.startsWith('groth16-')) : [];
  if (setups.length === 0) searched.push(join(circuitDir, 'groth16-*'));
  for (const s of setups) {
    const vkeyPath = join(circuitDir, s, 'vkey.json');
    const zkey = join(circuitDir, s, 'circuit.zkey');
    searched.push(vkeyPath);
    if (want === undefined || !existsSync(vkeyPath) || !existsSync(zkey)) continue;
    const vkey = JSON.parse(readFileSync(vkeyPath, 'utf8')) as VerificationKey;
    if (!sameKey(vkey, want)) continue;
    const setup = JSON.parse(readFileSync(join(circuitDir, s, 'setup.json'), 'utf8')) as { ptau: string; ptauKind: PtauFile['kind']; power: number };
    return { system: 'groth16', circuit: readCompiled(circuitDir, manifest.shape, 'O2'), zkey, vkey, vkeyPath, ptau: { path: setup.ptau, kind: setup.ptauKind, power: setup.power } };
  }
  throw new ArtifactsNotFoundError(
    `the Groth16 proving key of this run's verification key (circuit ${key})`,
    searched,
    'point PARZEN_ZK_CACHE at the zk cache the run was proved with, or re-prove with --mode fallback (PLONK)',
  );
}

async function keysFor(system: ProofSystem, manifest: ProofManifest, o: RepairOptions): Promise<CircuitKeys> {
  return system === 'groth16' ? groth16KeysOf(o.cacheDir, manifest) : ensureKeys(o.cacheDir, manifest.shape, 'plonk', o.log);
}

/** Proves `input` with `keys`, checked under `trusted` (the manifest's key of that system), retrying what may pass. */
async function proveChecked(keys: CircuitKeys, trusted: VerificationKey, input: WitnessInput, step: number, o: RepairOptions, count: () => void) {
  const { value } = await withRetries(
    async () => {
      count();
      const p = await proveStep(keys, input);
      const t0 = performance.now();
      if (!(await verifyStep(trusted, p.publicSignals, p.proof))) {
        throw new ProofGenerationError(`step ${step}: the new ${keys.system} proof does not verify under the run's verification key (${keys.vkeyPath} is another setup's)`, { retryable: false });
      }
      return { ...p, verifyMs: performance.now() - t0 };
    },
    {
      maxAttempts: o.maxAttempts,
      baseDelayMs: o.baseDelayMs,
      ...(o.signal !== undefined ? { signal: o.signal } : {}),
      onRetry: (attempt, e, delayMs) => o.log(`zk audit: step ${step}: ${keys.system} attempt ${attempt} failed (${e.message}); retrying in ${delayMs} ms`),
    },
  );
  return value;
}

/** The epoch of step k: its own record's, else the nearest earlier readable step's, else 1. */
function epochOf(dir: string, k: number): number {
  for (let j = k; j >= 1; j--) {
    try {
      return readStep(dir, j).epoch;
    } catch {
      continue; // unreadable or missing: look further back
    }
  }
  return 1;
}

/** Re-proves step `f.step` from its witness and replaces its record; what happened, as a StepRepair. */
async function repairStep(dir: string, f: Pick<AuditFailure, 'step' | 'check'>, o: RepairOptions): Promise<StepRepair> {
  let attempts = 0;
  const count = (): void => void attempts++;
  try {
    const input = readWitness(dir, f.step);
    const manifest = readManifestFile(dir);
    const attempt = async (system: ProofSystem) => {
      const keys = await keysFor(system, manifest, o);
      return { keys, p: await proveChecked(keys, manifest.vkeys[system] ?? keys.vkey, input, f.step, o, count) };
    };
    let r: Awaited<ReturnType<typeof attempt>>;
    try {
      r = await attempt(manifest.system);
    } catch (e) {
      if (o.mode !== 'fallback' || !(e instanceof ProofError) || e instanceof WitnessError) throw e;
      const other = otherSystem(manifest.system);
      o.log(`zk audit: step ${f.step}: ${manifest.system} cannot re-prove it (${e.message}); proving it with ${other} (mode fallback)`);
      r = await attempt(other);
      if (manifest.vkeys[other] === undefined) await writeManifestFile(dir, { ...manifest, vkeys: { ...manifest.vkeys, [other]: r.keys.vkey } });
    }
    const { p, keys } = r;
    await replaceStep(dir, {
      step: f.step, epoch: epochOf(dir, f.step), system: keys.system, proof: p.proof, publicSignals: p.publicSignals,
      witnessMs: p.witnessMs, proveMs: p.proveMs, verifyMs: p.verifyMs, proofBytes: proofBytes(p.proof), attempts, reprovedAt: new Date().toISOString(),
    });
    o.log(`zk audit: step ${f.step} (${f.check}) re-proved with ${keys.system} in ${attempts} attempt(s)`);
    return { step: f.step, check: f.check, system: keys.system, attempts };
  } catch (e) {
    if (!(e instanceof ProofError)) throw e;
    o.log(`zk audit: step ${f.step} (${f.check}) could not be re-proved: ${e.message}`);
    return { step: f.step, check: f.check, system: null, attempts, error: { code: e.code, message: e.message } };
  }
}

/** The steps re-proving could mend in `report`: proof failures, and steps the run ended with but whose files are gone. */
function mendable(dir: string, report: AuditReport): Pick<AuditFailure, 'step' | 'check'>[] {
  const out = report.failures.filter((f) => REPAIRABLE.has(f.check)).map((f) => ({ step: f.step, check: f.check }));
  const nSteps = readManifestFile(dir).nSteps;
  if (nSteps !== undefined && report.failures.some((f) => f.check === 'final')) {
    const have = new Set(listSteps(dir));
    const named = new Set(out.map((f) => f.step));
    for (let k = 1; k <= nSteps; k++) if (!have.has(k) && !named.has(k) && existsSync(witnessFile(dir, k))) out.push({ step: k, check: 'missing' });
  }
  return out;
}

/**
 * Audits `dir`, re-proves every step whose proof fails (each at most once), and audits again, until nothing new is
 * found to re-prove; the last audit lists every failure left.
 */
export async function auditAndRepair(dir: string, o: RepairOptions): Promise<RepairedAudit> {
  const check = (): Promise<AuditReport> => auditProofs(dir, { mode: 'continue', ...(o.fixedRows !== undefined ? { fixedRows: o.fixedRows } : {}) });
  const repairs: StepRepair[] = [];
  const tried = new Set<number>();
  let report = await check();
  for (;;) {
    const todo = mendable(dir, report).filter((f) => !tried.has(f.step));
    if (todo.length === 0) break;
    for (const f of todo) {
      tried.add(f.step);
      repairs.push(await repairStep(dir, f, o));
    }
    report = await check();
  }
  return { ...report, repairs: repairs.sort((a, b) => a.step - b.step) };
}
