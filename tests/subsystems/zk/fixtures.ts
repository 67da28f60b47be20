/**
 * Shared set-up of the zk tests: the smallest circuit shape (2 features, batch 2), a cache folder shared by every
 * zk test file (compiling and the Groth16 setup happen once per machine, not per file), seeded with the committed
 * test-only powers of tau (tests/subsystems/zk/fixtures/test-pow11.ptau, made by scripts/zk/make-test-ptau.ts).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { circuitKey, ensureCircuit } from '../../../src/subsystems/zk/artifacts/compile.js';
import { ensureGroth16Keys, type CircuitKeys } from '../../../src/subsystems/zk/artifacts/setup.js';
import type { CircuitShape } from '../../../src/subsystems/zk/circuit/sgd-linear-circom.js';
import type { StepData } from '../../../src/subsystems/zk/sgd-reference.js';
import { Rng } from '../../../src/util/rng.js';

export const TEST_SHAPE: CircuitShape = { d: 2, batch: 2, fracBits: 16 };

/** The committed fixture, found from the compiled test (dist/tests/…) or the source tree alike. */
export const TEST_PTAU = fileURLToPath(new URL('../../../../tests/subsystems/zk/fixtures/test-pow11.ptau', import.meta.url));

/** The committed compiled test circuit and keys (scripts/zk/make-test-keys.ts), gzipped, by circuit key. */
export const TEST_KEYS_DIR = fileURLToPath(new URL('../../../../tests/subsystems/zk/fixtures/keys', import.meta.url));

function gzFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? gzFiles(join(dir, f)) : f.endsWith('.gz') ? [join(dir, f)] : []));
}

/** Unpacks the committed circuit and keys into the cache when they match the current circuit (else they are built). */
function installTestKeys(cache: string): void {
  const key = circuitKey(TEST_SHAPE);
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
  const ptau = join(dir, 'ptau', 'local-pow11.ptau');
  if (!existsSync(ptau)) {
    mkdirSync(join(dir, 'ptau'), { recursive: true });
    const tmp = `${ptau}.${process.pid}`;
    copyFileSync(TEST_PTAU, tmp);
    renameSync(tmp, ptau);
  }
  installTestKeys(dir);
  process.env['PARZEN_ZK_CACHE'] = dir;
  return dir;
}

/** Compiled circuit and Groth16 keys of TEST_SHAPE (made once, then read from the cache). */
export async function testKeys(): Promise<CircuitKeys> {
  const dir = testCacheDir();
  return ensureGroth16Keys(dir, await ensureCircuit(dir, TEST_SHAPE, () => undefined), () => undefined);
}

/** A random in-range step of `shape`: weights, features and targets in (-2, 2), learning rate in (0, 0.5). */
export function randomStep(shape: CircuitShape, seed: number): StepData {
  const rng = new Rng(seed, 0);
  const fx = (lo: number, hi: number): bigint => BigInt(Math.round(rng.uniform(lo, hi) * 2 ** shape.fracBits));
  return {
    w: Array.from({ length: shape.d + 1 }, () => fx(-2, 2)),
    x: Array.from({ length: shape.batch }, () => Array.from({ length: shape.d }, () => fx(-2, 2))),
    y: Array.from({ length: shape.batch }, () => fx(-2, 2)),
    lr: fx(0.01, 0.5),
  };
}

/** Proves `steps` SGD steps of the test shape on the default dataset into `dir` (one epoch); returns the datasets root. */
export async function provedRun(root: string, dir: string, steps: number): Promise<string> {
  const [{ ensureTabular }, { loadZkData }, { parseZkHyperparams, ZK_DEFAULTS }, { formatOf }, { openSession }, { trainProved }] = await Promise.all([
    import('../../../src/subsystems/zk/dataset/tabular.js'),
    import('../../../src/subsystems/zk/data.js'),
    import('../../../src/subsystems/zk/hyperparams.js'),
    import('../../../src/subsystems/zk/sgd-reference.js'),
    import('../../../src/subsystems/zk/session.js'),
    import('../../../src/subsystems/zk/train.js'),
  ]);
  await testKeys();
  const datasets = join(root, 'datasets');
  await ensureTabular(join(datasets, 'zk'), 5);
  const hp = parseZkHyperparams({ ...ZK_DEFAULTS, n_features: 2, batch_size: 2, frac_bits: 16, steps });
  const data = loadZkData(datasets, 2, formatOf(TEST_SHAPE));
  const session = await openSession({ cacheDir: testCacheDir(), shape: TEST_SHAPE, log: () => undefined, retry: { maxAttempts: 1, baseDelayMs: 1 } });
  await trainProved({ hp, data, session, shape: TEST_SHAPE, epochs: 1, stepCap: null, seed: 9, dir, signal: new AbortController().signal, onEpoch: () => false });
  return datasets;
}
