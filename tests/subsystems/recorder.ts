import type { Attrs, AttrValue } from '../../src/core/frozen.js';
import { TrialPruned } from '../../src/errors.js';
import type { TrialProgress } from '../../src/core/objective-context.js';
import type { FullTrainContext, SubsystemTrialContext, TrainingBudget } from '../../src/subsystems/subsystem.js';

/** A recording trial context, as the runner gives an in-process trial, and what the subsystem sent to it. */
export interface Recorder {
  readonly ctx: SubsystemTrialContext;
  readonly reports: Array<[number, number]>;
  readonly metrics: Array<[number, Readonly<Record<string, number>>]>;
  readonly progress: TrialProgress[];
  readonly attrs: Record<string, AttrValue>;
  readonly logs: Array<{ message: string; data?: Attrs }>;
  /** The same recorders as a full-training context writing checkpoints to `checkpointDir`. */
  fullTrainContext(checkpointDir: string): FullTrainContext;
}

export function recorder(datasetsDir: string, o: { budget?: TrainingBudget; prune?: () => boolean; signal?: AbortSignal; seed?: number } = {}): Recorder {
  const r: Omit<Recorder, 'ctx' | 'fullTrainContext'> = { reports: [], metrics: [], progress: [], attrs: {}, logs: [] };
  const ctx: SubsystemTrialContext = {
    trialNumber: 0,
    seed: o.seed ?? 123,
    budget: o.budget ?? { epochs: 2, batchCap: 3 },
    signal: o.signal ?? new AbortController().signal,
    datasetsDir,
    report: (step, value) => void r.reports.push([step, value]),
    metrics: (step, values) => void r.metrics.push([step, values]),
    log: (_level, message, data) => void r.logs.push({ message, data }),
    progress: (p) => void r.progress.push(p),
    setAttr: (key, value) => {
      r.attrs[key] = value;
    },
    shouldPrune: o.prune ?? (() => false),
    prune: (message) => {
      throw new TrialPruned(message);
    },
  };
  const { trialNumber: _t, report: _r, shouldPrune: _s, prune: _p, budget: _b, ...base } = ctx;
  return { ...r, ctx, fullTrainContext: (checkpointDir) => ({ ...base, checkpointDir }) };
}
