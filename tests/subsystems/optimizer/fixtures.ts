import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attrs, AttrValue, Budget } from '../../../src/core/frozen.js';
import type { ObjectiveContext } from '../../../src/study/objective.js';
import { writeSplit } from '../../../src/subsystems/optimizer/dataset/hdf5-split.js';
import { optimizerSubsystem } from '../../../src/subsystems/optimizer/index.js';
import { tinySplit } from './model/fixtures.js';

/** Real HDF5 splits of tiny circuits under `<tmp>/optimizer/`; returns the datasets root. */
export async function tinyDatasets(sizes = { train: 24, val: 8, test: 12 }): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'parzen-gat-'));
  for (const [name, n] of Object.entries(sizes)) {
    await writeSplit(join(root, 'optimizer', `${name}.h5`), tinySplit(n, name, 5), { seed: 5, split: name });
  }
  return root;
}

/** Small-architecture params over the subsystem's full defaults, so a trial takes seconds. */
export const TINY_PARAMS: Readonly<Record<string, unknown>> = {
  ...optimizerSubsystem.defaults.full,
  hidden_dim: 16, num_layers: 2, num_heads: 4, dropout: 0.1, learning_rate: 3e-3, batch_size: 4, tuning_val_circuits: 8, backend: 'wasm',
};

/** A recording ObjectiveContext, as the runner would give an in-process trial. */
export interface Recorder {
  readonly ctx: ObjectiveContext & { readonly datasetsDir: string };
  readonly reports: Array<[number, number]>;
  readonly metrics: Array<[number, Readonly<Record<string, number>>]>;
  readonly attrs: Record<string, AttrValue>;
  readonly logs: Array<{ message: string; data?: Attrs }>;
}

export function recorder(datasetsDir: string, o: { budget?: Budget; prune?: () => boolean; signal?: AbortSignal } = {}): Recorder {
  const r: Omit<Recorder, 'ctx'> = { reports: [], metrics: [], attrs: {}, logs: [] };
  const ctx: Recorder['ctx'] = {
    trialNumber: 0,
    seed: 123,
    budget: o.budget ?? { epochs: 2, batchCap: 3 },
    signal: o.signal ?? new AbortController().signal,
    datasetsDir,
    report: (step, value) => void r.reports.push([step, value]),
    metrics: (step, values) => void r.metrics.push([step, values]),
    log: (_level, message, data) => void r.logs.push({ message, data }),
    progress: () => undefined,
    setAttr: (key, value) => {
      r.attrs[key] = value;
    },
    shouldPrune: o.prune ?? (() => false),
  };
  return { ...r, ctx };
}
