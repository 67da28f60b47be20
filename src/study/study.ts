import { ConfigError, describeError, ObjectiveError, ParzenError, StorageError, TrialPruned } from '../errors.js';
import type { Pruner } from '../pruners/pruner.js';
import { NopPruner } from '../pruners/pruner.js';
import type { Sampler } from '../samplers/sampler.js';
import type { ParamValue, SearchSpace } from '../space/distributions.js';
import type { Storage } from '../storage/storage.js';
import { rankCompleteTrials } from './best.js';
import type { Attrs, Budget, FrozenStudy, FrozenTrial, StudyDirection, TrialError, TrialState } from './frozen.js';
import { Trial } from './trial.js';

export interface AskOptions {
  /** Suggest every parameter of this space right away (declared-space objectives). */
  readonly space?: SearchSpace;
  readonly worker?: string | null;
  readonly seed?: number | null;
  readonly codeVersion?: string | null;
  readonly budget?: Budget | null;
  /** Parameter values to reuse (a retry); suggestions for these names return them. */
  readonly fixedParams?: Readonly<Record<string, ParamValue>>;
  readonly retryOf?: number | null;
}

export type TellResult = number | { readonly state: 'PRUNED' } | { readonly state: 'FAIL'; readonly error: unknown };

/**
 * A study: a named series of trials in a store, sampled by one sampler, judged by one pruner.
 * @example
 * const study = await createStudy({ sampler: new TPESampler({ seed: 1 }), direction: 'minimize' });
 * await study.optimize((t) => (t.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 50 });
 * console.log(study.bestTrial().params);
 */
export class Study {
  readonly storage: Storage;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  #study: FrozenStudy;
  #trials: readonly FrozenTrial[] = [];

  constructor(opts: { storage: Storage; study: FrozenStudy; sampler: Sampler; pruner?: Pruner }) {
    this.storage = opts.storage;
    this.#study = opts.study;
    this.sampler = opts.sampler;
    this.pruner = opts.pruner ?? new NopPruner();
  }

  get name(): string {
    return this.#study.name;
  }
  get studyId(): number {
    return this.#study.studyId;
  }
  get direction(): StudyDirection {
    return this.#study.direction;
  }
  get info(): FrozenStudy {
    return this.#study;
  }

  /** Start a new trial: claims an enqueued (WAITING) trial if there is one, else creates one, then samples. */
  async ask(opts: AskOptions = {}): Promise<Trial> {
    const worker = opts.worker ?? null;
    const before = await this.storage.getAllTrials(this.studyId);
    // Claiming is a write transaction: only attempt it when the snapshot shows an enqueued trial.
    const mayClaim = opts.fixedParams === undefined && before.some((t) => t.state === 'WAITING');
    const claimed = mayClaim ? await this.storage.claimWaitingTrial(this.studyId, worker ?? 'local') : undefined;
    const frozen =
      claimed ??
      (await this.storage.createTrial(this.studyId, {
        state: 'RUNNING',
        worker,
        seed: opts.seed ?? null,
        codeVersion: opts.codeVersion ?? null,
        budget: opts.budget ?? null,
        retryOf: opts.retryOf ?? null,
      }));
    const trials = [...before.filter((t) => t.trialId !== frozen.trialId), frozen];
    this.#trials = trials;
    const ctx = { direction: this.direction, trials };
    const relSpace = this.sampler.inferRelativeSearchSpace(ctx, frozen);
    const relativeParams = Object.keys(relSpace).length > 0 ? this.sampler.sampleRelative(ctx, frozen, relSpace) : {};
    const enqueued = frozen.systemAttrs['fixed_params'];
    const fixedParams = opts.fixedParams ?? (isParamRecord(enqueued) ? enqueued : {});
    const trial = new Trial(frozen, {
      storage: this.storage,
      sampler: this.sampler,
      samplerContext: ctx,
      relativeParams,
      fixedParams,
      prune: (t, step) => this.pruner.prune({ direction: this.direction, trials: this.#trials }, t, step),
    });
    if (opts.space !== undefined) for (const [name, d] of Object.entries(opts.space)) trial.suggest(name, d);
    return trial;
  }

  /**
   * Finish a trial. A number completes it; NaN (or a non-number) fails it and throws ObjectiveError
   * OBJECTIVE_VALUE — the failed trial is stored first, so nothing is left RUNNING.
   */
  async tell(trial: Trial, result: TellResult): Promise<FrozenTrial> {
    try {
      await trial.flush();
    } catch (e) {
      await this.storage.finishTrial(trial.trialId, { state: 'FAIL', error: toTrialError(e) });
      throw e;
    }
    if (typeof result === 'number' && !Number.isNaN(result)) {
      return this.storage.finishTrial(trial.trialId, { state: 'COMPLETE', value: result });
    }
    if (typeof result === 'object' && result !== null && result.state === 'PRUNED') {
      return this.storage.finishTrial(trial.trialId, { state: 'PRUNED', value: trial.lastIntermediate()?.value ?? null });
    }
    if (typeof result === 'object' && result !== null && result.state === 'FAIL') {
      return this.storage.finishTrial(trial.trialId, { state: 'FAIL', error: toTrialError(result.error) });
    }
    const err = new ObjectiveError(
      `trial ${trial.number}: the objective returned ${String(result)}, not a number; ` +
        `return a finite number (or ±Infinity), or throw to fail the trial`,
      { code: 'OBJECTIVE_VALUE' },
    );
    await this.storage.finishTrial(trial.trialId, { state: 'FAIL', error: toTrialError(err) });
    throw err;
  }

  /**
   * Run `fn` for `nTrials` trials, one after another. A TrialPruned throw prunes the trial; any other throw
   * fails it and (unless `catchErrors`) stops the loop with that error, as Optuna does by default.
   */
  async optimize(fn: (trial: Trial) => number | Promise<number>, opts: { nTrials: number; catchErrors?: boolean; ask?: AskOptions }): Promise<void> {
    if (!Number.isInteger(opts.nTrials) || opts.nTrials < 0) {
      throw new ConfigError(`optimize: nTrials must be a non-negative integer, got ${opts.nTrials}`, { code: 'USAGE' });
    }
    for (let i = 0; i < opts.nTrials; i++) {
      const trial = await this.ask(opts.ask);
      let result: TellResult;
      try {
        result = await fn(trial);
      } catch (e) {
        if (e instanceof TrialPruned) {
          await this.tell(trial, { state: 'PRUNED' });
          continue;
        }
        await this.tell(trial, { state: 'FAIL', error: e });
        if (opts.catchErrors === true) continue;
        throw e;
      }
      await this.tell(trial, result);
    }
  }

  /** Enqueue a trial with fixed parameter values; the next `ask` picks it up (Optuna's enqueue_trial). */
  async enqueueTrial(params: Readonly<Record<string, ParamValue>>, userAttrs?: Attrs): Promise<FrozenTrial> {
    return this.storage.createTrial(this.studyId, { state: 'WAITING', systemAttrs: { fixed_params: params }, userAttrs });
  }

  async getTrials(states?: readonly TrialState[]): Promise<readonly FrozenTrial[]> {
    return this.storage.getAllTrials(this.studyId, states === undefined ? undefined : { states });
  }

  /** The best COMPLETE trials, best first. */
  async bestTrials(k = 1): Promise<FrozenTrial[]> {
    return rankCompleteTrials(await this.getTrials(['COMPLETE']), this.direction).slice(0, k);
  }

  /** The best COMPLETE trial; throws StorageError if there is none yet. */
  async bestTrial(): Promise<FrozenTrial> {
    const [best] = await this.bestTrials(1);
    if (best === undefined) {
      throw new StorageError(`study '${this.name}' has no COMPLETE trial yet; run \`tune --study ${this.name}\` first`, {
        code: 'TRIAL_NOT_FOUND',
      });
    }
    return best;
  }
}

function isParamRecord(x: unknown): x is Record<string, ParamValue> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Any thrown value → the error record stored on a failed trial. */
export function toTrialError(e: unknown): TrialError {
  if (isTrialError(e)) return e;
  const { message, stack } = describeError(e);
  const code = e instanceof ParzenError ? e.code : e instanceof Error ? e.name : null;
  return { message, stack, code };
}

/** A TrialError record (already converted, e.g. sent back by a worker thread), as opposed to a thrown value. */
function isTrialError(e: unknown): e is TrialError {
  if (typeof e !== 'object' || e === null || e instanceof Error) return false;
  const x = e as Record<string, unknown>;
  return typeof x.message === 'string' && (x.stack === null || typeof x.stack === 'string') && (x.code === null || typeof x.code === 'string');
}
