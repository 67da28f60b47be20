/**
 * The zk subsystem: linear or logistic regression (full SGD) or LoRA adapters on a frozen base, trained by SGD in
 * fixed point where every step carries a Groth16 proof (PLONK as the fallback system; circom2 + snarkjs) that the
 * new parameters are the old ones moved by the gradient of the committed batch at the public learning rate;
 * `tune audit` checks the proofs and the commitment chain. Light: the circuit, snarkjs and circomlibjs
 * load inside a trial, never when this module is imported.
 * @example
 * npx tune --subsystem zk --trials 2 --study z --seed 42
 */
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { paramReader } from '../../ml/hyperparams.js';
import { categorical, float } from '../../space/distributions.js';
import type { PrepareOptions, PrepareResult, Subsystem } from '../subsystem.js';
import { auditCommand } from './commands.js';
import { parseZkHyperparams, ZK_DEFAULTS } from './hyperparams.js';

async function prepare(opts: PrepareOptions): Promise<PrepareResult> {
  const [{ ensureTabular }, { zkCacheDir }, { registerPtau, listPtau }, { LOCAL_SETUP_WARNING, PTAU_ENV }] = await Promise.all([
    import('./dataset/tabular.js'), import('./artifacts/cache-dir.js'), import('./artifacts/setup.js'), import('./snark/ptau.js'),
  ]);
  const dir = join(opts.datasetsDir, 'zk');
  const csv = opts.args?.['csv'] as string | undefined;
  const r = await ensureTabular(dir, opts.seed, csv);
  if (r.generated) opts.log(`zk dataset written to ${dir} (${r.reason ?? 'missing'})`, { dir });
  // `tune datasets prepare zk --ptau FILE`, or PARZEN_ZK_PTAU for `tune` (which prepares before the first trial).
  const flag = opts.args?.['ptau'] as string | undefined;
  const env = process.env[PTAU_ENV];
  const ptau = flag ?? (env !== undefined && env !== '' ? env : undefined);
  if (ptau !== undefined) {
    const f = registerPtau(zkCacheDir(), ptau, flag !== undefined ? '--ptau' : PTAU_ENV);
    opts.log(`zk: using the supplied powers of tau 2^${f.power} (${ptau}) for circuits up to 2^${f.power} constraints; larger ones get a local setup`);
  } else if (!listPtau(zkCacheDir()).some((f) => f.kind === 'supplied')) {
    opts.log(`zk: ${LOCAL_SETUP_WARNING}`);
  }
  return { dir, generated: r.generated, reason: r.reason };
}

const zk: Subsystem = {
  name: 'zk',
  description: 'linear / logistic regression or LoRA adapters by fixed-point SGD with a Groth16 (or PLONK) proof of every step (circom2 + snarkjs)',
  metric: 'val_loss',
  direction: 'minimize',
  defaultSpace: {
    model: categorical(['linear', 'logistic', 'lora-1']),
    learning_rate: float(0.05, 1, { log: true }),
    batch_size: categorical([2, 4]),
    frac_bits: categorical([12, 16]),
    steps: categorical([4, 8]),
  },
  defaults: { tuning: { epochs: 2, batchCap: 8 }, full: ZK_DEFAULTS },
  datasets: {
    prepare,
    prepareOptions: {
      csv: { type: 'string', describe: 'your own CSV (header row, numeric columns, target last) instead of the default breast-cancer features' },
      ptau: { type: 'string', describe: "a public ceremony's powers of tau file; without it the setup is generated locally and proves nothing to a third party" },
    },
  },
  commands: [auditCommand],
  // On a worker thread snarkjs cannot load (trial-protocol.ts): the trial proves in a child process there.
  objective: async (params, ctx) =>
    isMainThread ? (await import('./engine.js')).zkObjective(params, ctx) : (await import('./trial-bridge.js')).runTrialInChild(params, ctx),
  validateConfig: (config) => {
    const merged = { ...ZK_DEFAULTS, ...config };
    parseZkHyperparams(merged);
    paramReader('zk', merged).positiveInt('epochs');
  },
  fullTrain: async (config, ctx) => (await import('./engine.js')).zkFullTrain(config, ctx),
};

export default Object.freeze(zk);
