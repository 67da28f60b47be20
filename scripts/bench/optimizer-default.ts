/**
 * The optimizer subsystem's 12-trial study with the new sampler default against the old one (issue 15): the same
 * seed, data, space and training budget, one study per sampler in its own SQLite store; prints the best value of
 * each and every trial's value. The old default is TPE with 10 uniform start-up trials (the default before the
 * quasi-random start-up, `tpe-old` of the broad benchmark); the new one is whatever `--sampler auto` builds.
 *
 *   npx tsc -p tsconfig.json
 *   nice -n 19 node dist/scripts/bench/optimizer-default.js --which new|old [--trials 12] [--seed 42]
 *       [--epochs 2] [--batch-cap 50] [--workers 1] [--dir /tmp/parzen-optimizer-default]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeSampler } from '../../src/samplers/make.js';
import { TPESampler } from '../../src/samplers/index.js';
import { tune, type TuneOptions } from '../../src/runner/tune.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function usage(msg: string): never {
  console.error(`optimizer-default: ${msg}`);
  process.exit(2);
}

const FACTORIES: Record<string, NonNullable<TuneOptions['samplerFactory']>> = {
  new: (o) => makeSampler('auto', o),
  old: (o) => new TPESampler({ seed: o.seed, startup: 'random', nStartupTrials: 10, constantLiar: o.constantLiar }),
};

async function main(): Promise<void> {
  const which = arg('which', '');
  if (!(which in FACTORIES)) usage(`--which: expected new or old, got '${which}'`);
  const nums = ['trials', 'seed', 'epochs', 'batch-cap', 'workers'].map((k) => Number(arg(k, { trials: '12', seed: '42', epochs: '2', 'batch-cap': '50', workers: '1' }[k] as string)));
  if (!nums.every((v) => Number.isSafeInteger(v) && v >= 0)) usage('--trials, --seed, --epochs, --batch-cap and --workers take non-negative integers');
  const [trials, seed, epochs, batchCap, workers] = nums;
  const dir = arg('dir', '/tmp/parzen-optimizer-default');
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const s = await tune({
    subsystem: 'optimizer', study: `optimizer_${which}`, storage: `sqlite:${join(dir, `${which}.db`)}`,
    trials, seed, epochs, batchCap, workers, samplerFactory: FACTORIES[which],
    onInfo: (m) => console.error(m),
  });
  const values = s.ran.map((t) => `${t.number}:${t.value === null ? t.state : t.value.toFixed(5)}`);
  console.log(JSON.stringify({
    which, trials, seed, epochs, batchCap, minutes: +((Date.now() - t0) / 60000).toFixed(1),
    best: s.best?.value ?? null, bestTrial: s.best?.number ?? null, bestParams: s.best?.params ?? null, values,
  }));
}

try {
  await main();
} catch (e) {
  console.error(`optimizer-default: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
