/**
 * Test fixtures: frozen trials built by hand, and a minimal driver that runs a Sampler through the protocol the
 * study uses (infer relative space → sample relative → sample independent for the rest) on an in-memory list.
 */
import { blankTrial } from '../fixtures/frozen-trial.js';
import type { Distribution, ParamValue, SearchSpace } from '../../src/space/distributions.js';
import type { FrozenTrial, StudyDirection, TrialState } from '../../src/core/frozen.js';
import type { Sampler, SamplerContext } from '../../src/samplers/sampler.js';

export interface TrialSpec {
  number: number;
  state?: TrialState;
  value?: number | null;
  params?: Record<string, ParamValue>;
  distributions?: Record<string, Distribution>;
  intermediate?: ReadonlyArray<readonly [number, number]>;
}

export function frozenTrial(s: TrialSpec): FrozenTrial {
  return blankTrial(s.number, {
    state: s.state ?? 'COMPLETE',
    value: s.value ?? null,
    params: s.params ?? {},
    distributions: s.distributions ?? {},
    intermediateValues: new Map(s.intermediate ?? []),
  });
}

/** Samples every parameter of `space` for a new RUNNING trial appended to `history`. */
export function ask(sampler: Sampler, history: readonly FrozenTrial[], space: SearchSpace, direction: StudyDirection = 'minimize'): Record<string, ParamValue> {
  const number = history.length;
  const running = frozenTrial({ number, state: 'RUNNING' });
  const ctx: SamplerContext = { direction, trials: [...history, running] };
  const rel = sampler.inferRelativeSearchSpace(ctx, running);
  const params: Record<string, ParamValue> = Object.keys(rel).length > 0 ? { ...sampler.sampleRelative(ctx, running, rel) } : {};
  for (const [name, d] of Object.entries(space)) {
    if (!(name in params)) params[name] = sampler.sampleIndependent(ctx, frozenTrial({ number, state: 'RUNNING', params }), name, d);
  }
  return params;
}

/** Runs `nTrials` trials of `objective` and returns the finished history. */
export function optimize(
  sampler: Sampler,
  space: SearchSpace,
  objective: (p: Record<string, ParamValue>) => number,
  nTrials: number,
  direction: StudyDirection = 'minimize',
): FrozenTrial[] {
  const history: FrozenTrial[] = [];
  for (let i = 0; i < nTrials; i++) {
    const params = ask(sampler, history, space, direction);
    history.push(frozenTrial({ number: i, value: objective(params), params, distributions: { ...space } }));
  }
  return history;
}
