/**
 * A training run's proofs on disk, in one folder (`<run>/proofs/` for `tune train`; a trial's under the zk cache):
 *   manifest.json   circuit shape and key, the verification key of each proof system used, the setup's provenance,
 *                   the learning rate, the commitment of the initial parameters (and, for LoRA, of the frozen base),
 *                   the feature standardisation; `finalCommitment` once done
 *   batches.json    the published batch list, written before the first step: each step's training rows and the
 *                   Poseidon commitment of its fixed-point batch
 *   steps/NNNNNN.json  one per step: the proof system, the proof, its public inputs (cOld, cNew, cBatch, lr[, cBase])
 *                   and its timings — or, for a step left unproved (policy continue), no proof and the error
 *   private/witness/NNNNNN.json  the step's witness input (its private weights, salts and batch with the public
 *                   inputs): what `tune audit --mode retry|fallback` re-proves a failing step from. It reveals what
 *                   the proofs hide — publish the folder without private/.
 * A step re-proved by the audit keeps its earlier record as steps/NNNNNN.replaced-<time>.json. Every file is written
 * atomically.
 */
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeTextAtomically } from '../../data/atomic-write.js';
import type { ProofSystem } from './artifacts/setup.js';
import type { CircuitShape } from './circuit/shapes.js';
import { ArtifactsNotFoundError, WitnessError } from './errors.js';
import type { WitnessInput } from './snark/prove.js';
import type { SnarkProof, VerificationKey } from './snark/snarkjs.js';

export interface Standardisation {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export interface ProofManifest {
  readonly formatVersion: 2;
  /** The system steps are proved with unless a step says otherwise (fallback). */
  readonly system: ProofSystem;
  readonly shape: CircuitShape;
  readonly circuitKey: string;
  /** Verification keys by system: groth16 always, plonk once a step fell back to it. */
  readonly vkeys: Readonly<Partial<Record<ProofSystem, VerificationKey>>>;
  /** LoRA: the commitment of the frozen base, every step's public cBase. */
  readonly baseCommitment?: string;
  readonly setup: { readonly ptauKind: 'supplied' | 'local'; readonly ptauPower: number; readonly note: string };
  /** The fixed-point learning rate every step's public `lr` must equal. */
  readonly lr: string;
  readonly initialCommitment: string;
  readonly standardisation: Standardisation;
  readonly finalCommitment?: string;
  readonly nSteps?: number;
}

export interface PublishedBatches {
  /** Training-split row indices of step k+1's batch. */
  readonly rows: readonly (readonly number[])[];
  /** Their batch commitments (decimal field elements). */
  readonly commitments: readonly string[];
}

export interface StepRecord {
  readonly step: number;
  readonly epoch: number;
  /** null: left unproved (policy continue); `error` says why. */
  readonly system: ProofSystem | null;
  readonly proof: SnarkProof | null;
  readonly publicSignals: readonly string[];
  readonly witnessMs: number;
  readonly proveMs: number;
  readonly verifyMs: number;
  readonly proofBytes: number;
  readonly attempts: number;
  readonly error?: { readonly code: string; readonly message: string };
  /** Set when `tune audit --mode retry|fallback` re-proved the step from its stored witness (ISO time). */
  readonly reprovedAt?: string;
}

const pad = (step: number): string => String(step).padStart(6, '0');
const stepFile = (dir: string, step: number): string => join(dir, 'steps', `${pad(step)}.json`);
/** The private part of a proof folder: never published (it holds the witness). */
export const PRIVATE_DIR = 'private';
export const witnessFile = (dir: string, step: number): string => join(dir, PRIVATE_DIR, 'witness', `${pad(step)}.json`);

export async function writeManifestFile(dir: string, m: ProofManifest): Promise<void> {
  await writeTextAtomically(join(dir, 'manifest.json'), `${JSON.stringify(m, null, 1)}\n`);
}

export async function writeBatches(dir: string, b: PublishedBatches): Promise<void> {
  await writeTextAtomically(join(dir, 'batches.json'), `${JSON.stringify(b)}\n`);
}

export async function writeStep(dir: string, r: StepRecord): Promise<void> {
  await writeTextAtomically(stepFile(dir, r.step), `${JSON.stringify(r)}\n`);
}

export async function writeWitness(dir: string, step: number, input: WitnessInput): Promise<void> {
  await writeTextAtomically(witnessFile(dir, step), `${JSON.stringify(input)}\n`);
}

/** Step `step`'s stored witness input; ArtifactsNotFoundError when the run kept none (or it is not this folder's). */
export function readWitness(dir: string, step: number): WitnessInput {
  const path = witnessFile(dir, step);
  if (!existsSync(path)) throw new ArtifactsNotFoundError(`the witness of step ${step}`, [path], 're-proving needs the private/ folder of the run that trained (publishing strips it); audit the proofs as they are with --mode continue');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    parsed = e instanceof Error ? e.message : String(e);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const why = typeof parsed === 'string' ? parsed : 'not a JSON object';
    throw new WitnessError(`step ${step}: ${path} is not a witness input (${why}); restore it from the run that trained`, { template: null, line: null });
  }
  return parsed as WitnessInput;
}

/** Replaces step `r.step`'s record, keeping the one it replaces as steps/NNNNNN.replaced-<time>.json. */
export async function replaceStep(dir: string, r: StepRecord): Promise<void> {
  const old = stepFile(dir, r.step);
  if (existsSync(old)) renameSync(old, join(dir, 'steps', `${pad(r.step)}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}.json`));
  await writeStep(dir, r);
}

function readJson<T>(path: string, what: string): T {
  if (!existsSync(path)) throw new ArtifactsNotFoundError(what, [path], 'audit a folder that a zk trial or run wrote (it holds manifest.json, batches.json and steps/)');
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A format-1 manifest (linear only, one Groth16 key) read as format 2. */
interface ManifestV1 extends Omit<ProofManifest, 'formatVersion' | 'vkeys' | 'shape'> {
  readonly formatVersion: 1;
  readonly vkey: VerificationKey;
  readonly shape: Omit<CircuitShape, 'model' | 'rank'>;
}

export function readManifestFile(dir: string): ProofManifest {
  const m = readJson<ProofManifest | ManifestV1>(join(dir, 'manifest.json'), 'proof manifest');
  if (m.formatVersion !== 1) return m;
  const { vkey, ...rest } = m;
  return { ...rest, formatVersion: 2, system: 'groth16', vkeys: { groth16: vkey }, shape: { model: 'linear', rank: 0, ...m.shape } };
}

export function readBatches(dir: string): PublishedBatches {
  return readJson<PublishedBatches>(join(dir, 'batches.json'), 'published batch list');
}

/** Step numbers present, ascending. */
export function listSteps(dir: string): number[] {
  const steps = join(dir, 'steps');
  if (!existsSync(steps)) return [];
  return readdirSync(steps)
    .filter((f) => /^\d{6}\.json$/.test(f))
    .map((f) => Number(f.slice(0, 6)))
    .sort((a, b) => a - b);
}

export function readStep(dir: string, step: number): StepRecord {
  const r = readJson<StepRecord>(stepFile(dir, step), `proof of step ${step}`);
  // Format-1 steps were all Groth16 and name no system.
  return r.system === undefined && r.proof !== null ? { ...r, system: 'groth16' } : r;
}
