import { DatasetError } from '../../errors.js';
import { shareRange, type Share, type ShareOf } from '../../ml/data-parallel/shares.js';
import { Rng } from '../../util/rng.js';
import type { TokenBatch } from './model/gpt.js';

/** The batch of windows starting at `starts`: inputs ids[s .. s+T), targets ids[s+1 .. s+T]. */
export function windowBatch(ids: Uint16Array, starts: readonly number[], time: number): TokenBatch {
  const tokens = new Int32Array(starts.length * time);
  const targets = new Int32Array(starts.length * time);
  starts.forEach((s, b) => {
    for (let t = 0; t < time; t++) {
      tokens[b * time + t] = ids[s + t];
      targets[b * time + t] = ids[s + t + 1];
    }
  });
  return { batch: starts.length, time, tokens, targets };
}

function checkLength(ids: Uint16Array, time: number, split: string): number {
  const last = ids.length - time - 1;
  if (last < 0) throw new DatasetError(`cllm ${split} split: ${ids.length} tokens is shorter than block_size ${time} + 1; use a larger corpus or a smaller block_size`);
  return last;
}

/** Training batch `i`'s dropout seed: a function of the run's seed, the epoch and the batch's index only. */
function dropoutSeed(o: { seed: number; epoch: number }, i: number): number {
  return new Rng(o.seed, o.epoch, i, 0xd20).nextUint32();
}

/**
 * `steps` batches of `batchSize` windows at random offsets drawn from Rng(seed, epoch): nanoGPT's get_batch. Each
 * carries its dropout seed, and its windows are keyed 0…batchSize−1 (model/window-dropout.ts).
 */
export function* randomBatches(ids: Uint16Array, o: { batchSize: number; time: number; steps: number; seed: number; epoch: number }): Generator<TokenBatch> {
  const last = checkLength(ids, o.time, 'train');
  const rng = new Rng(o.seed, o.epoch, 3);
  for (let i = 0; i < o.steps; i++) {
    const starts = Array.from({ length: o.batchSize }, () => rng.int(last + 1));
    yield { ...windowBatch(ids, starts, o.time), dropoutSeed: dropoutSeed(o, i) };
  }
}

/**
 * Data-parallel training: replica `share.rank`'s windows of each of `randomBatches`' batches (the same offsets
 * drawn from the same Rng, cut by ml/data-parallel/shares.ts), so the replicas together train on exactly its batches;
 * each share's windows keep their indices in the whole batch and its dropout seed, so they draw its dropout masks.
 */
export function* randomShares(ids: Uint16Array, o: { batchSize: number; time: number; steps: number; seed: number; epoch: number; share: ShareOf }): Generator<Share<TokenBatch>> {
  const last = checkLength(ids, o.time, 'train');
  const rng = new Rng(o.seed, o.epoch, 3);
  for (let i = 0; i < o.steps; i++) {
    const all = Array.from({ length: o.batchSize }, () => rng.int(last + 1));
    const [lo, hi] = shareRange(all.length, o.share);
    const seed = dropoutSeed(o, i);
    const batch = lo === hi ? null : { ...windowBatch(ids, all.slice(lo, hi), o.time), dropoutSeed: seed, windowKeys: Int32Array.from({ length: hi - lo }, (_, b) => lo + b) };
    yield { batch, examples: hi - lo };
  }
}

/** `n` window offsets spread evenly over the split (the same ones for every trial), fewer when it is short. */
export function evenStarts(ids: Uint16Array, time: number, n: number, split: string): number[] {
  const last = checkLength(ids, time, split);
  const count = Math.min(n, last + 1);
  const stride = count > 1 ? last / (count - 1) : 0;
  return Array.from({ length: count }, (_, i) => Math.round(i * stride));
}
