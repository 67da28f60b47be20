/**
 * Shared set-up of the zk tests: the smallest circuit shapes (2 features, batch 2; PLONK's a single feature), a cache
 * folder shared by every zk test file (compiling and the setups happen once per machine, not per file), seeded with
 * the committed test-only powers of tau (tests/subsystems/zk/fixtures/test-pow12.ptau, made by
 * scripts/zk/make-test-ptau.ts) and the committed compiled circuits and keys (scripts/zk/make-test-keys.ts).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { circuitKey } from '../../../src/subsystems/zk/artifacts/compile.js';
import { ensureKeys, type CircuitKeys, type ProofSystem } from '../../../src/subsystems/zk/artifacts/setup.js';
import type { CircuitShape } from '../../../src/subsystems/zk/circuit/shapes.js';
import type { Hasher } from '../../../src/subsystems/zk/commitments.js';
import type { ProofPolicy } from '../../../src/subsystems/zk/prover.js';
import { fullModel, loraModel, type StepModel } from '../../../src/subsystems/zk/model.js';
import type { Batch } from '../../../src/subsystems/zk/sgd-reference.js';
import { weightCommitment } from '../../../src/subsystems/zk/commitments.js';
import { Rng } from '../../../src/util/rng.js';

export const TEST_SHAPE: CircuitShape = { model: 'linear', d: 2, batch: 2, fracBits: 16, rank: 0 };
export const TEST_LOGISTIC: CircuitShape = { ...TEST_SHAPE, model: 'logistic' };
export const TEST_LORA: CircuitShape = { ...TEST_SHAPE, model: 'lora', rank: 1 };
/** PLONK counts addition gates: its test circuit is the smallest there is (3,940 gates, within the fixture's 2^12). */
export const TEST_PLONK_SHAPE: CircuitShape = { model: 'linear', d: 1, batch: 2, fracBits: 8, rank: 0 };

/** Every (shape, system) whose compiled circuit and keys are committed. */
export const FIXTURE_CIRCUITS: readonly (readonly [CircuitShape, ProofSystem])[] = [
  [TEST_SHAPE, 'groth16'],
  [TEST_LOGISTIC, 'groth16'],
  [TEST_LORA, 'groth16'],
  [TEST_PLONK_SHAPE, 'groth16'],
  [TEST_PLONK_SHAPE, 'plonk'],
];

/** The committed fixture, found from the compiled test (dist/tests/…) or the source tree alike. */
export const TEST_PTAU = fileURLToPath(new URL('../../../../tests/subsystems/zk/fixtures/test-pow12.ptau', import.meta.url));

/** The committed compiled test circuit and keys (scripts/zk/make-test-keys.ts), gzipped, by circuit key. */
export const TEST_KEYS_DIR = fileURLToPath(new URL('../../../../tests/subsystems/zk/fixtures/keys', import.meta.url));

function gzFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? gzFiles(join(dir, f)) : f.endsWith('.gz') ? [join(dir, f)] : []));
}

/** Unpacks a committed circuit and its keys into the cache when they match the current circuit (else they are built). */
function installTestKeys(cache: string, key: string): void {
  const from = join(TEST_KEYS_DIR, key);
  const to = join(cache, 'circuits', key);
  if (existsSync(join(to, 'info.json')) || !existsSync(from)) return;
  const scratch = `${to}.fixture-${process.pid}`;
  for (const f of gzFiles(from)) {
    const target = join(scratch, relative(from, f).slice(0, -3));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, gunzipSync(readFileSync(f)));
  }
  try {
    renameSync(scratch, to);
  } catch {
    rmSync(scratch, { recursive: true, force: true }); // another test file installed them first
  }
}

/** The shared test cache, with the fixture ptau in it; also sets PARZEN_ZK_CACHE for code that reads it. */
export function testCacheDir(): string {
  const dir = join(tmpdir(), 'parzen-zk-test-cache');
  const ptau = join(dir, 'ptau', 'local-pow12.ptau');
  if (!existsSync(ptau)) {
    mkdirSync(join(dir, 'ptau'), { recursive: true });
    const tmp = `${ptau}.${process.pid}`;
    copyFileSync(TEST_PTAU, tmp);
    renameSync(tmp, ptau);
  }
  for (const [shape, system] of FIXTURE_CIRCUITS) installTestKeys(dir, circuitKey(shape, system === 'plonk' ? 'O1' : 'O2'));
  process.env['PARZEN_ZK_CACHE'] = dir;
  return dir;
}

/** Compiled circuit and keys of `shape` (made once, then read from the cache). */
export async function testKeys(shape: CircuitShape = TEST_SHAPE, system: ProofSystem = 'groth16'): Promise<CircuitKeys> {
  return ensureKeys(testCacheDir(), shape, system, () => undefined);
}

/** A random in-range step of `shape`: parameters, features and targets in (-2, 2) (logistic targets 0/1), learning rate in (0, 0.5). */
export interface RandomStep {
  readonly model: StepModel;
  readonly params: readonly bigint[];
  readonly batch: Batch;
  readonly lr: bigint;
}

export function randomStep(shape: CircuitShape, seed: number, hasher: Hasher): RandomStep {
  const rng = new Rng(seed, 0);
  const fx = (lo: number, hi: number): bigint => BigInt(Math.round(rng.uniform(lo, hi) * 2 ** shape.fracBits));
  const nParams = shape.model === 'lora' ? shape.rank * (shape.d + 1) : shape.d + 1;
  const params = Array.from({ length: nParams }, () => fx(-2, 2));
  const x = Array.from({ length: shape.batch }, () => Array.from({ length: shape.d }, () => fx(-2, 2)));
  const y = Array.from({ length: shape.batch }, () => (shape.model === 'logistic' ? BigInt(rng.uniform(0, 1) < 0.5 ? 0 : 1) << BigInt(shape.fracBits) : fx(-2, 2)));
  let model: StepModel;
  if (shape.model === 'lora') {
    const weights = Array.from({ length: shape.d + 1 }, () => fx(-2, 2));
    const salt = 12345n + BigInt(seed);
    model = loraModel(shape, { weights, salt, commitment: weightCommitment(hasher, weights, salt) });
  } else model = fullModel(shape);
  return { model, params, batch: { x, y }, lr: fx(0.01, 0.5) };
}

export interface ProvedRunOptions {
  /** The circuit shape (default TEST_SHAPE); its committed keys are used. */
  readonly shape?: CircuitShape;
  /** The zk cache to prove with (default the shared test cache). */
  readonly cacheDir?: string;
  readonly policy?: ProofPolicy;
  /** The run's proof system (default groth16). */
  readonly system?: ProofSystem;
  /** The training seed: runs with the same seed publish the same batches. */
  readonly seed?: number;
}

/** Proves `steps` SGD steps on the default dataset into `dir` (one epoch, fail-fast unless told); returns the datasets root. */
export async function provedRun(root: string, dir: string, steps: number, o: ProvedRunOptions = {}): Promise<string> {
  const [{ ensureTabular }, { loadZkData }, { parseZkHyperparams, ZK_DEFAULTS }, { formatOf }, { AutoProver }, { trainProved }, { loadHasher }] = await Promise.all([
    import('../../../src/subsystems/zk/dataset/tabular.js'),
    import('../../../src/subsystems/zk/data.js'),
    import('../../../src/subsystems/zk/hyperparams.js'),
    import('../../../src/subsystems/zk/sgd-reference.js'),
    import('../../../src/subsystems/zk/prover.js'),
    import('../../../src/subsystems/zk/train.js'),
    import('../../../src/subsystems/zk/commitments.js'),
  ]);
  const shape = o.shape ?? TEST_SHAPE;
  await testKeys(shape, o.system);
  const datasets = join(root, 'datasets');
  await ensureTabular(join(datasets, 'zk'), 5);
  const hp = parseZkHyperparams({ ...ZK_DEFAULTS, n_features: shape.d, batch_size: shape.batch, frac_bits: shape.fracBits, steps });
  const data = loadZkData(datasets, shape.d, formatOf(shape));
  const prover = new AutoProver({ cacheDir: o.cacheDir ?? testCacheDir(), shape, policy: o.policy ?? 'fail-fast', system: o.system ?? 'groth16', maxAttempts: 1, baseDelayMs: 1, log: () => undefined });
  const hasher = await loadHasher();
  await trainProved({ hp, data, model: fullModel(shape), prover, hasher, epochs: 1, stepCap: null, seed: o.seed ?? 9, dir, signal: new AbortController().signal, onEpoch: () => false });
  return datasets;
}

/** A private copy of the test cache's ptau and the compiled circuits of TEST_PLONK_SHAPE (Groth16 and PLONK keys), to break. */
export async function privateCache(): Promise<{ dir: string; groth16: CircuitKeys; plonk: CircuitKeys }> {
  const keys = { groth16: await testKeys(TEST_PLONK_SHAPE, 'groth16'), plonk: await testKeys(TEST_PLONK_SHAPE, 'plonk') };
  const dir = mkdtempSync(join(tmpdir(), 'parzen-zk-private-cache-'));
  cpSync(join(testCacheDir(), 'ptau'), join(dir, 'ptau'), { recursive: true });
  for (const k of [keys.groth16, keys.plonk]) cpSync(k.circuit.dir, join(dir, 'circuits', basename(k.circuit.dir)), { recursive: true });
  const at = (k: CircuitKeys): CircuitKeys => ({ ...k, zkey: join(dir, 'circuits', basename(k.circuit.dir), relative(k.circuit.dir, k.zkey)) });
  return { dir, groth16: at(keys.groth16), plonk: at(keys.plonk) };
}
