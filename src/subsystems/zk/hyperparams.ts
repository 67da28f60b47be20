/**
 * The zk subsystem's hyperparameters (snake_case keys, as in tuning.config.ts and baseline configs); every error is a
 * ConfigError naming the key. Light: no proving code is imported here.
 */
import { paramReader } from '../../ml/hyperparams.js';
import type { ProofSystem } from './artifacts/setup.js';
import type { ModelKind } from './circuit/shapes.js';
import type { ProofPolicy } from './prover.js';

export interface ZkHyperparams {
  /** linear / logistic (full SGD) or lora (rank `rank` adapters on a frozen base). */
  readonly model: ModelKind;
  /** LoRA rank; 0 for full SGD. */
  readonly rank: number;
  readonly learningRate: number;
  /** Rows per step: a power of two from 2 to 8 (a circuit is compiled per batch size). */
  readonly batchSize: number;
  /** Fractional bits F of the fixed-point numbers (values must stay within ±256). */
  readonly fracBits: number;
  /** How many of the dataset's features the model uses (from the first). */
  readonly nFeatures: number;
  /** Proved SGD steps per epoch (the tuning budget's batch cap lowers it further). */
  readonly steps: number;
  /** Attempts per proof when the prover fails in a way worth retrying. */
  readonly maxAttempts: number;
  /** What a failed proof does (prover.ts): fail-fast, retry, continue or fallback (to PLONK). */
  readonly proofPolicy: ProofPolicy;
  /** The system every step is proved with: groth16 (default) or plonk; `fallback` falls back to the other. */
  readonly proofSystem: ProofSystem;
}

export const ZK_DEFAULTS = {
  epochs: 2,
  model: 'linear',
  learning_rate: 0.3,
  batch_size: 4,
  frac_bits: 16,
  n_features: 4,
  steps: 8,
  max_attempts: 3,
  proof_policy: 'retry',
  proof_system: 'groth16',
} as const;

const POLICIES: readonly string[] = ['fail-fast', 'retry', 'continue', 'fallback'];
const MODEL = /^(linear|logistic|lora-([1-9]))$/;

/** `linear`, `logistic` or `lora-R` as kind and rank. */
export function parseModel(v: unknown): { model: ModelKind; rank: number } | null {
  const m = typeof v === 'string' ? MODEL.exec(v) : null;
  if (m === null) return null;
  return m[2] !== undefined ? { model: 'lora', rank: Number(m[2]) } : { model: m[1] as ModelKind, rank: 0 };
}

export function parseZkHyperparams(params: Readonly<Record<string, unknown>>): ZkHyperparams {
  const read = paramReader('zk', params);
  const model = parseModel(params['model']);
  if (model === null) throw read.fail('model', `expected linear, logistic or lora-R (R the adapter rank, e.g. lora-1), got ${JSON.stringify(params['model'])}`);
  const system = params['proof_system'] ?? 'groth16';
  if (system !== 'groth16' && system !== 'plonk') throw read.fail('proof_system', `expected groth16 (the default: 256-byte proofs) or plonk (a universal setup, ~10-30x slower to prove), got ${JSON.stringify(system)}`);
  const policy = params['proof_policy'];
  if (typeof policy !== 'string' || !POLICIES.includes(policy)) throw read.fail('proof_policy', `expected one of ${POLICIES.join(', ')}, got ${JSON.stringify(policy)}`);
  const hp: ZkHyperparams = {
    ...model,
    learningRate: read.number('learning_rate', (v) => v > 0 && v < 16, 'a number in (0, 16)'),
    batchSize: read.number('batch_size', (v) => v === 2 || v === 4 || v === 8, 'one of 2, 4, 8 (the batch sizes the step circuit is compiled for)'),
    fracBits: read.number('frac_bits', (v) => Number.isInteger(v) && v >= 8 && v <= 24, 'an integer from 8 to 24'),
    nFeatures: read.number('n_features', (v) => Number.isInteger(v) && v >= 1 && v <= 8, 'an integer from 1 to 8'),
    steps: read.positiveInt('steps'),
    maxAttempts: read.positiveInt('max_attempts'),
    proofPolicy: policy as ProofPolicy,
    proofSystem: system,
  };
  // Poseidon hashes at most 16 inputs: the adapters and their salt must fit one commitment.
  if (hp.model === 'lora' && hp.rank * (hp.nFeatures + 1) + 1 > 16) {
    throw read.fail('model', `lora-${hp.rank} on ${hp.nFeatures} features has ${hp.rank * (hp.nFeatures + 1)} adapter values, more than the 15 one Poseidon commitment holds; lower the rank or n_features`);
  }
  return hp;
}
