/**
 * A minimal in-memory study for benchmarks: runs a Sampler through the same protocol the Study uses
 * (inferRelativeSearchSpace → sampleRelative → sampleIndependent for the rest) over a plain trial list, so
 * sampler cost and quality are measured without storage in the way.
 */
import type { ParamValue, SearchSpace } from '../../src/space/distributions.js';
import type { FrozenTrial, StudyDirection } from '../../src/core/frozen.js';
import type { Sampler } from '../../src/samplers/sampler.js';

function frozen(number: number, state: FrozenTrial['state'], params: Record<string, ParamValue>, space: SearchSpace, value: number | null): FrozenTrial {
  return {
    trialId: number + 1, studyId: 1, number, state, value, params, distributions: space,
    intermediateValues: new Map(), userAttrs: {}, systemAttrs: {}, datetimeStart: null, datetimeComplete: null,
    heartbeat: null, error: null, worker: null, seed: null, codeVersion: null, budget: null, retryOf: null,
  };
}

/** Asks the sampler for every parameter of `space` for the next trial of `history`. */
export function askParams(sampler: Sampler, history: readonly FrozenTrial[], space: SearchSpace, direction: StudyDirection): Record<string, ParamValue> {
  const number = history.length;
  const running = frozen(number, 'RUNNING', {}, {}, null);
  const ctx = { direction, trials: [...history, running] };
  const rel = sampler.inferRelativeSearchSpace(ctx, running);
  const params: Record<string, ParamValue> = Object.keys(rel).length > 0 ? { ...sampler.sampleRelative(ctx, running, rel) } : {};
  for (const [name, d] of Object.entries(space)) {
    if (!(name in params)) params[name] = sampler.sampleIndependent(ctx, frozen(number, 'RUNNING', params, {}, null), name, d);
  }
  return params;
}

/**
 * Runs `nTrials` trials; `onTrial(i, best)` is called after trial i (1-based) with the best value so far.
 */
export function runDirect(opts: {
  sampler: Sampler;
  space: SearchSpace;
  objective: (p: Readonly<Record<string, ParamValue>>) => number;
  nTrials: number;
  onTrial?: (i: number, best: number) => void;
}): FrozenTrial[] {
  const history: FrozenTrial[] = [];
  let best = Infinity;
  for (let i = 0; i < opts.nTrials; i++) {
    const params = askParams(opts.sampler, history, opts.space, 'minimize');
    const value = opts.objective(params);
    best = Math.min(best, value);
    history.push(frozen(i, 'COMPLETE', params, opts.space, value));
    opts.onTrial?.(i + 1, best);
  }
  return history;
}
