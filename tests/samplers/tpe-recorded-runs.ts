/**
 * Seeded TPE runs whose every suggestion was recorded (tests/samplers/fixtures/tpe-recorded-suggestions.json) before
 * the sampler's observations became incremental and its scoring windowed: the test replays them and demands the
 * same bits. Each run drives one sampler through the Study's protocol over a growing trial list, with trials
 * finishing out of order, pruned and failed ones, conditional parameters and the constant liar.
 * Regenerate (only when a change is meant to alter suggestions): node dist/tests/samplers/tpe-recorded-runs.js --write
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { categorical, float, int } from '../../src/space/distributions.js';
import type { Distribution, ParamValue, SearchSpace } from '../../src/space/distributions.js';
import type { FrozenTrial, StudyDirection, TrialState } from '../../src/core/frozen.js';
import { OPTUNA31_TPE_OPTIONS, TPESampler } from '../../src/samplers/index.js';
import type { Sampler, TPESamplerOptions } from '../../src/samplers/index.js';
import { Rng } from '../../src/util/rng.js';

/** Relative to the repository root, where the tests run. */
export const FIXTURE = resolve('tests/samplers/fixtures/tpe-recorded-suggestions.json');

const MIXED: SearchSpace = {
  hidden: categorical([128, 256, 384]),
  layers: int(3, 8),
  batch: int(8, 512, { log: true }),
  dropout: float(0.05, 0.3, { step: 0.05 }),
  lr: float(1e-5, 5e-4, { log: true }),
  x: float(-5, 5),
};
const PLANE: SearchSpace = { x: float(-5, 5), y: float(-5, 5) };

export interface RecordedRun {
  readonly name: string;
  readonly options: TPESamplerOptions;
  readonly space: SearchSpace;
  readonly nTrials: number;
  readonly direction: StudyDirection;
  /** Trials kept RUNNING at once (finished in random order), the pruned and failed shares. */
  readonly nParallel: number;
  readonly pruneShare: number;
  readonly failShare: number;
  /** Parameters a trial has only when `hidden` is 256: conditional spaces. */
  readonly conditional: boolean;
}

export const RUNS: readonly RecordedRun[] = [
  { name: 'defaults, mixed space, serial', options: { seed: 1 }, space: MIXED, nTrials: 150, direction: 'minimize', nParallel: 1, pruneShare: 0, failShare: 0, conditional: false },
  { name: 'Optuna 3.1 preset, mixed, pruned and failed, 3 in flight', options: { ...OPTUNA31_TPE_OPTIONS, seed: 2 }, space: MIXED, nTrials: 150, direction: 'maximize', nParallel: 3, pruneShare: 0.2, failShare: 0.05, conditional: true },
  { name: 'defaults, constant liar, conditional, 4 in flight', options: { seed: 3, constantLiar: true }, space: MIXED, nTrials: 150, direction: 'minimize', nParallel: 4, pruneShare: 0.1, failShare: 0.05, conditional: true },
  { name: 'defaults, plane, to 1,100 trials', options: { seed: 4 }, space: PLANE, nTrials: 1100, direction: 'minimize', nParallel: 2, pruneShare: 0, failShare: 0, conditional: false },
  { name: 'univariate, plane, to 1,100 trials', options: { seed: 5, multivariate: false }, space: PLANE, nTrials: 1100, direction: 'minimize', nParallel: 1, pruneShare: 0.05, failShare: 0, conditional: false },
];

function frozen(number: number, state: TrialState, params: Record<string, ParamValue>, dists: Record<string, Distribution>, value: number | null, iv: Map<number, number>): FrozenTrial {
  return {
    trialId: number + 1, studyId: 1, number, state, value, params, distributions: dists,
    intermediateValues: iv, userAttrs: {}, systemAttrs: {}, datetimeStart: null, datetimeComplete: null,
    heartbeat: null, error: null, worker: null, seed: null, codeVersion: null, budget: null, retryOf: null,
  };
}

function objective(p: Record<string, ParamValue>): number {
  let v = 0;
  for (const [k, x] of Object.entries(p)) v += typeof x === 'number' ? Math.sin(x * (k.length + 1)) + (k === 'x' || k === 'y' ? x * x * 0.1 : 0) : 0;
  if (p.hidden === 256) v -= 0.5;
  return v;
}

/** Suggests every parameter of trial `number` as the Study does: relative first, then independent for the rest. */
function ask(sampler: Sampler, trials: FrozenTrial[], number: number, run: RecordedRun): Record<string, ParamValue> {
  const ctx = { direction: run.direction, trials: [...trials] };
  let running = frozen(number, 'RUNNING', {}, {}, null, new Map());
  ctx.trials[number] = running;
  const rel = sampler.inferRelativeSearchSpace(ctx, running);
  const params: Record<string, ParamValue> = {};
  const dists: Record<string, Distribution> = {};
  const relative = Object.keys(rel).length > 0 ? sampler.sampleRelative(ctx, running, rel) : {};
  for (const [name, d] of Object.entries(run.space)) {
    if (run.conditional && name !== 'hidden' && name !== 'x' && params.hidden !== 256) continue;
    params[name] = name in relative && name in rel ? relative[name] : sampler.sampleIndependent(ctx, running, name, d);
    dists[name] = d;
    running = frozen(number, 'RUNNING', { ...params }, { ...dists }, null, new Map());
    ctx.trials[number] = running;
  }
  trials[number] = running;
  return params;
}

/** Every trial's parameters in number order, as suggested. */
export function replay(run: RecordedRun): Record<string, ParamValue>[] {
  const sampler = new TPESampler(run.options);
  const rng = new Rng(99, run.nTrials, 0);
  const trials: FrozenTrial[] = [];
  const suggested: Record<string, ParamValue>[] = [];
  const inFlight: number[] = [];
  const finishOne = (): void => {
    const number = inFlight.splice(rng.int(inFlight.length), 1)[0];
    const t = trials[number];
    const value = objective(t.params);
    const u = rng.random();
    const iv = new Map([[0, value + 1], [1, value + 0.5]]);
    if (u < run.failShare) trials[number] = frozen(number, 'FAIL', t.params, t.distributions, null, new Map());
    else if (u < run.failShare + run.pruneShare) trials[number] = frozen(number, 'PRUNED', t.params, t.distributions, null, u < run.failShare + run.pruneShare / 2 ? iv : new Map([[0, value + 1]]));
    else trials[number] = frozen(number, 'COMPLETE', t.params, t.distributions, value, new Map());
  };
  for (let number = 0; number < run.nTrials; number++) {
    while (inFlight.length >= run.nParallel) finishOne();
    suggested.push(ask(sampler, trials, number, run));
    inFlight.push(number);
  }
  return suggested;
}

if (process.argv.includes('--write')) {
  const out = Object.fromEntries(RUNS.map((r) => [r.name, replay(r)]));
  writeFileSync(FIXTURE, JSON.stringify(out) + '\n');
  console.log(`wrote ${FIXTURE}`);
}
