/**
 * Encrypted training end to end, loaded lazily (it pulls in node-seal): the owner's data is read, the session
 * trains epoch by epoch (an epoch = `iterations` Nesterov steps, capped by the budget), and after each epoch the
 * owner decrypts the weights and scores them on validation beside the float64 twin run from the same start.
 */
import { join } from 'node:path';
import { TrainingError, WorkerError } from '../../errors.js';
import { readSplit } from './dataset/store.js';
import type { Split } from './dataset/splits.js';
import type { FheHyperparams } from './hyperparams.js';
import type { BinaryScores } from './metrics.js';
import { startModelRun, type ModelRun } from './model-run.js';
import { momentumWeights, stepSize } from './nesterov.js';
import type { ScaleHealth } from './session-base.js';
import { fitSigmoid } from './sigmoid.js';

export interface FheData {
  readonly train: Split;
  readonly val: Split;
  readonly test: Split;
}

export function loadFheData(datasetsDir: string, featureScale: number): FheData {
  const dir = join(datasetsDir, 'fhe');
  const scaled = (s: Split): Split => ({ x: s.x.map((r) => r.map((v) => v * featureScale)), y: s.y });
  return { train: scaled(readSplit(dir, 'train')), val: scaled(readSplit(dir, 'val')), test: scaled(readSplit(dir, 'test')) };
}

export interface EpochRecord {
  readonly epoch: number;
  readonly val: BinaryScores;
  readonly plainVal: BinaryScores;
  readonly trainLogLoss: number;
  /** max_j |w_enc − w_plain| over all parameters after this epoch. */
  readonly maxAbsWeightDiff: number;
  /**
   * The noise actually left, measured from the decryption the owner makes anyway: log2(max|w_plain| / max|w_enc −
   * w_plain|), the bits of the parameters the encrypted run still shares with its float64 twin (52 when equal).
   */
  readonly measuredPrecisionBits: number;
  /** Health of the last iteration's state (every iteration's goes to `onIteration`). */
  readonly health: ScaleHealth;
  readonly refreshes: number;
  readonly secondsPerIteration: number;
  readonly iterations: number;
  readonly w: Float64Array;
  readonly plainW: Float64Array;
}

export interface TrainOptions {
  readonly data: FheData;
  readonly hp: FheHyperparams;
  readonly epochs: number;
  /** Iterations per epoch after the budget's cap. */
  readonly iterationsPerEpoch: number;
  readonly signal: AbortSignal;
  /** Draws the poly-network's initial weights (both trainers start from them). */
  readonly seed: number;
  /** After each encrypted iteration: `step` counts iterations across epochs from 0; `health` reads no ciphertext's data. */
  onIteration?(p: { epoch: number; iteration: number; step: number; health: ScaleHealth }): void;
  /** Return true to stop (pruned) after this epoch. */
  onEpoch(r: EpochRecord): boolean | void | Promise<boolean | void>;
  /**
   * What a divergence of the float64 twin does once at least one epoch is done: 'throw' (a trial: the run failed)
   * or 'stop' (full training: keep the epochs so far, as early stopping does, and say why in `stopReason`).
   */
  readonly onDiverge?: 'throw' | 'stop';
}

export interface TrainSummary {
  readonly epochs: readonly EpochRecord[];
  readonly stoppedBy: 'done' | 'pruned' | 'diverged';
  /** The divergence message when `stoppedBy` is 'diverged'. */
  readonly stopReason?: string;
  readonly setupSeconds: { readonly keygen: number; readonly encrypt: number };
  /** The keys and encrypted rows came from an earlier trial in this thread. */
  readonly keysReused: boolean;
  readonly refresh: { readonly refreshes: number; readonly ciphertextsRefreshed: number; readonly bytesToOwner: number; readonly bytesToServer: number };
  readonly rowsPerBlock: number;
  readonly blocks: number;
  readonly levelsPerIteration: number;
  /** The fewest levels any iteration left, and the lowest precision estimate (ScaleHealth) over all iterations. */
  readonly minLevelsLeft: number;
  readonly minEstPrecisionBits: number;
}

export function interrupted(): WorkerError {
  return new WorkerError('fhe: training was interrupted (signal aborted) before it finished', { code: 'INTERRUPTED' });
}

/**
 * Weights past this mean the iterates left the sigmoid's interval (the odd polynomial then pushes them further out)
 * and would soon overflow the last level's 2^(INTEGER_BITS−1) headroom, where decryption silently wraps.
 */
export const MAX_ABS_WEIGHT = 64;

/**
 * `where` is "after epoch 3" (the decrypted and float64 weights) or "at iteration 7" (the float64 twin alone, checked
 * every iteration: the encrypted run tracks it, so a trial stops at the first sign instead of running on to NaN).
 */
function checkFinite(where: string, ...weights: Float64Array[]): void {
  const worst = Math.max(...weights.flatMap((w) => Array.from(w, Math.abs)));
  if (!(worst <= MAX_ABS_WEIGHT)) {
    throw new TrainingError(
      `fhe: training diverged ${where} (max |w| = ${worst.toPrecision(3)} > ${MAX_ABS_WEIGHT}): z·w left the polynomial sigmoid's interval; ` +
        'lower learning_rate or feature_scale, use lr_schedule decay, or widen sigmoid_bound',
      { code: 'NUMERIC' },
    );
  }
}

const maxAbsDiff = (a: Float64Array, b: Float64Array): number => a.reduce((m, v, j) => Math.max(m, Math.abs(v - b[j])), 0);

/** Bits of the float64 parameters the encrypted ones reproduce, capped at a double's 52. */
export function measuredPrecisionBits(w: Float64Array, plainW: Float64Array): number {
  const scale = plainW.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const diff = maxAbsDiff(w, plainW);
  return diff === 0 || scale === 0 ? 52 : Math.min(52, Math.log2(scale / diff));
}

export async function trainEncrypted(o: TrainOptions): Promise<TrainSummary> {
  if (o.signal.aborted) throw interrupted();
  const { hp, data } = o;
  const nRows = data.train.y.length;
  const sigmoid = fitSigmoid(hp.sigmoidDegree, hp.sigmoidBound);
  const total = o.epochs * o.iterationsPerEpoch;
  const eta = momentumWeights(total);
  const run = await startModelRun(hp, data.train, o.seed);
  try {
    const records: EpochRecord[] = [];
    const worst = { levelsLeft: Infinity, estPrecisionBits: Infinity };
    let t = 0;
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const start = performance.now();
      let health: ScaleHealth | undefined;
      for (let i = 0; i < o.iterationsPerEpoch; i++, t++) {
        if (o.signal.aborted) throw interrupted();
        const input = { sigmoid, bound: hp.sigmoidBound, gamma: stepSize(hp.learningRate, hp.lrSchedule, t, nRows), eta: eta[t] };
        health = run.encrypted.step(input);
        worst.levelsLeft = Math.min(worst.levelsLeft, health.levelsLeft);
        worst.estPrecisionBits = Math.min(worst.estPrecisionBits, health.estPrecisionBits);
        run.plain.step(input);
        try {
          checkFinite(`at iteration ${t + 1} (float64 twin)`, run.plain.params());
        } catch (e) {
          if (o.onDiverge !== 'stop' || records.length === 0) throw e;
          return summary(run, records, 'diverged', worst, (e as Error).message);
        }
        o.onIteration?.({ epoch, iteration: i, step: t, health });
        await new Promise<void>((r) => setImmediate(r));
      }
      const w = run.encrypted.decrypt();
      const plainW = run.plain.params();
      checkFinite(`after epoch ${epoch + 1}`, w, plainW);
      const record: EpochRecord = {
        epoch, w, plainW,
        val: run.score(w, data.val),
        plainVal: run.score(plainW, data.val),
        trainLogLoss: run.score(w, data.train).logLoss,
        maxAbsWeightDiff: maxAbsDiff(w, plainW),
        measuredPrecisionBits: measuredPrecisionBits(w, plainW),
        health: health as ScaleHealth,
        refreshes: run.encrypted.refreshStats.refreshes,
        secondsPerIteration: (performance.now() - start) / 1000 / o.iterationsPerEpoch,
        iterations: t,
      };
      records.push(record);
      if ((await o.onEpoch(record)) === true) return summary(run, records, 'pruned', worst);
    }
    return summary(run, records, 'done', worst);
  } finally {
    run.encrypted.delete();
  }
}

function summary(
  { encrypted: r }: ModelRun, epochs: EpochRecord[], stoppedBy: TrainSummary['stoppedBy'], worst: { levelsLeft: number; estPrecisionBits: number }, stopReason?: string,
): TrainSummary {
  return {
    epochs, stoppedBy, ...(stopReason === undefined ? {} : { stopReason }), setupSeconds: r.setupSeconds, keysReused: r.keysReused, refresh: r.refreshStats,
    rowsPerBlock: r.rowsPerBlock, blocks: r.blocks, levelsPerIteration: r.depth,
    minLevelsLeft: worst.levelsLeft, minEstPrecisionBits: worst.estPrecisionBits,
  };
}
