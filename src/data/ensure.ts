import { DatasetError } from '../errors.js';

/** What `ensureDataset` did. */
export interface EnsureResult<M> {
  readonly generated: boolean;
  /** Why it generated (the first problem found), or null when the existing files were kept. */
  readonly reason: string | null;
  readonly manifest: M | null;
}

/**
 * "Generate only when missing", the rule every subsystem's `prepare` follows: keep a dataset that is there and
 * valid (whatever its size or seed), else generate it. `findProblem` returns why the dataset is unusable, or null;
 * a DatasetError it throws counts as such a reason, anything else propagates.
 * @example
 * await ensureDataset({ findProblem: () => firstMissing(dir), generate: () => generateDatasets({ dir }) });
 */
export async function ensureDataset<M>(o: { findProblem(): Promise<string | null>; generate(): Promise<M> }): Promise<EnsureResult<M>> {
  let reason: string | null;
  try {
    reason = await o.findProblem();
  } catch (e) {
    if (!(e instanceof DatasetError)) throw e;
    reason = e.message;
  }
  if (reason === null) return { generated: false, reason: null, manifest: null };
  return { generated: true, reason, manifest: await o.generate() };
}
