import { ConfigError, ObjectiveError, StorageError, toTrialError, TrialPruned } from '../errors.js';
import type { Pruner } from '../pruners/pruner.js';
import { NopPruner } from '../pruners/pruner.js';
import { isExhausted, type Sampler, type SpaceCoverage } from '../samplers/sampler.js';
import type { ParamValue, SearchSpace } from '../space/distributions.js';
import type { Storage, TrialFinish } from '../storage/storage.js';
import { fixedParamsAttrs, trialFixedParams } from '../core/system-attrs.js';
import { rankCompleteTrials } from '../core/ranking.js';
import { requireBestTrial } from './queries.js';
import type { Attrs, Budget, FrozenStudy, FrozenTrial, LogLine, StudyDirection, TrialState } from '../core/frozen.js';
import { prunedAnywayMessage } from '../core/objective-context.js';
import { checkAgainstStudy, Trial } from './trial.js';

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
  /**
   * Claim or create the trial only while the study has fewer COMPLETE + RUNNING trials than this (atomically,
   * across hosts), else throw StorageError STUDY_FULL. Enqueued trials (a reaped trial's retry) are claimed first.
   */
  readonly maxActive?: number;
  /**
   * On a store with leases (PostgreSQL): first fail the study's trials whose lease expired (`reapExpiredLeases`, with
   * `retries` enqueued as WAITING trials this ask may claim), in the ask's own statement where the store can; the
   * failed trials go to `onReaped`. Ignored by stores without leases.
   */
  readonly reapExpired?: { readonly reaper: string; readonly retries: number; readonly onReaped?: (trials: readonly FrozenTrial[]) => void };
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
  readonly #storage: Storage;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  #study: FrozenStudy;
  #trials: readonly FrozenTrial[] = [];
  /** The declared space the last read-first ask checked against the study (the runner passes the same one each time). */
  #checkedSpace: SearchSpace | undefined;

  constructor(opts: { storage: Storage; study: FrozenStudy; sampler: Sampler; pruner?: Pruner }) {
    this.#storage = opts.storage;
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

  /**
   * Start a new trial: claims an enqueued (WAITING) trial if there is one, else creates one, then samples from the
   * study's trials. On a store with `askTrial` (PostgreSQL) the claim or create and the read are one round trip, and
   * the read follows the create, as in Optuna: the sampler sees every trial committed before its own existed.
   */
  async ask(opts: AskOptions = {}): Promise<Trial> {
    const { frozen, trials } = await this.#claimOrCreate(opts);
    this.#trials = trials;
    const ctx = { direction: this.direction, trials };
    const relSpace = this.sampler.inferRelativeSearchSpace(ctx, frozen);
    const relativeParams = Object.keys(relSpace).length > 0 ? this.sampler.sampleRelative(ctx, frozen, relSpace) : {};
    const fixedParams = opts.fixedParams ?? trialFixedParams(frozen) ?? {};
    const trial = new Trial(frozen, {
      storage: this.#storage,
      sampler: this.sampler,
      samplerContext: ctx,
      relativeParams,
      fixedParams,
      prune: (t, step) => this.pruner.prune({ direction: this.direction, trials: this.#trials }, t, step),
    });
    if (opts.space !== undefined) await this.#suggestSpace(trial, opts.space);
    // The next ask must see this trial's params (a grid point it holds, the constant liar), so let them land first.
    await trial.writesSettled();
    return trial;
  }

  /**
   * Suggests every param of a declared space. One that conflicts with a trial the ask read (another host's, committed
   * after this space was last checked) fails the new trial with that error, so nothing is left RUNNING.
   */
  async #suggestSpace(trial: Trial, space: SearchSpace): Promise<void> {
    try {
      for (const [name, d] of Object.entries(space)) trial.suggest(name, d);
    } catch (e) {
      await trial.writesSettled();
      trial.takePendingWrites();
      await this.#storage.finishTrial(trial.trialId, { state: 'FAIL', error: toTrialError(e) });
      throw e;
    }
  }

  /** The trial an ask starts and the study's trials (that one included) for its sampler. */
  async #claimOrCreate(opts: AskOptions): Promise<{ frozen: FrozenTrial; trials: readonly FrozenTrial[] }> {
    const worker = opts.worker ?? null;
    const template = { seed: opts.seed ?? null, codeVersion: opts.codeVersion ?? null, budget: opts.budget ?? null, retryOf: opts.retryOf ?? null, maxActive: opts.maxActive };
    // A retry (fixed params) is a new trial, never a claim of an enqueued one.
    const claimAs = opts.fixedParams === undefined ? (worker ?? 'local') : undefined;
    // A declared space is checked against the study before a trial exists, so a space not checked yet needs the read
    // first; once checked, any conflict can only come from trials committed since, which the ask reads with its
    // trial, and the suggestion of the conflicting param then fails that trial (#suggestSpace).
    const r = opts.reapExpired;
    if (this.#storage.askTrial !== undefined && (opts.space === undefined || opts.space === this.#checkedSpace)) {
      const reap = r === undefined || this.#storage.reapExpiredLeases === undefined ? undefined : { reaper: r.reaper, retries: r.retries };
      const { trial, trials, reaped } = await this.#storage.askTrial(this.studyId, { claimAs, worker, template, reap });
      if (reaped.length > 0) r?.onReaped?.(reaped);
      return { frozen: trial, trials };
    }
    if (r !== undefined && this.#storage.reapExpiredLeases !== undefined) {
      const reaped = await this.#storage.reapExpiredLeases(this.studyId, r.reaper, r.retries);
      if (reaped.length > 0) r.onReaped?.(reaped);
    }
    const before = await this.#storage.getAllTrials(this.studyId);
    for (const [name, distribution] of Object.entries(opts.space ?? {})) {
      checkAgainstStudy(before, { label: `study "${this.name}"`, name, distribution });
    }
    this.#checkedSpace = opts.space;
    // Claiming is a write transaction: only attempt it when the snapshot shows an enqueued trial.
    const mayClaim = claimAs !== undefined && before.some((t) => t.state === 'WAITING');
    const bound = opts.maxActive === undefined ? undefined : { maxActive: opts.maxActive };
    const claimed = mayClaim ? await this.#storage.claimWaitingTrial(this.studyId, claimAs, bound) : undefined;
    const frozen = claimed ?? (await this.#storage.createTrial(this.studyId, { state: 'RUNNING', worker, ...template }));
    // A trial created now was not in the read; a claimed one was (WAITING): its fresh snapshot replaces it.
    return { frozen, trials: claimed === undefined ? before.concat([frozen]) : [...before.filter((t) => t.trialId !== frozen.trialId), frozen] };
  }

  /** How much of the sampler's finite space (a grid) the study's trials hold; null for samplers that never run out. */
  async coverage(): Promise<SpaceCoverage | null> {
    if (this.sampler.coverage === undefined) return null;
    return this.sampler.coverage({ direction: this.direction, trials: await this.getTrials() });
  }

  /**
   * Whether the sampler has no point left that no finished or running trial holds (a grid fully taken), so a new
   * trial could only repeat one. An enqueued (WAITING) trial is still to run, so the study is not exhausted then.
   */
  async isExhausted(): Promise<boolean> {
    if (this.sampler.coverage === undefined) return false;
    const trials = await this.getTrials();
    if (trials.some((t) => t.state === 'WAITING')) return false;
    return isExhausted(this.sampler.coverage({ direction: this.direction, trials }));
  }

  /**
   * Finish a trial. A number completes it; NaN (or a non-number) fails it and throws ObjectiveError
   * OBJECTIVE_VALUE — the failed trial is stored first, so nothing is left RUNNING. After `trial.shouldPrune()` has
   * answered true, a value (or NaN) stores the trial PRUNED with its last reported value: the pruner's decision holds,
   * as Optuna's users expect, and a log line on the trial says so.
   */
  async tell(trial: Trial, result: TellResult): Promise<FrozenTrial> {
    const outcome = typeof result === 'object' && result !== null ? result : null;
    const prunedAnyway = outcome?.state !== 'PRUNED' && outcome?.state !== 'FAIL' && trial.prunedAtStep !== null;
    // Params and attributes still queued (set just before this tell) go with the finish where the store can.
    const finish = this.#finisher(trial);
    try {
      await trial.flush();
      if (prunedAnyway) await this.#storage.appendLogs({ trialId: trial.trialId }, [prunedAnywayLine(trial.prunedAtStep ?? 0, result)]);
    } catch (e) {
      await this.#storage.finishTrial(trial.trialId, { state: 'FAIL', error: toTrialError(e) });
      throw e;
    }
    if (outcome?.state === 'FAIL') {
      return finish({ state: 'FAIL', error: toTrialError(outcome.error) });
    }
    if (outcome?.state === 'PRUNED' || prunedAnyway) {
      return finish({ state: 'PRUNED', value: trial.lastIntermediate()?.value ?? null });
    }
    if (typeof result === 'number' && !Number.isNaN(result)) {
      return finish({ state: 'COMPLETE', value: result });
    }
    const err = new ObjectiveError(
      `trial ${trial.number}: the objective returned ${String(result)}, not a number; ` +
        `return a finite number (or ±Infinity), or throw to fail the trial`,
      { code: 'OBJECTIVE_VALUE' },
    );
    await finish({ state: 'FAIL', error: toTrialError(err) });
    throw err;
  }

  /**
   * How `tell` finishes `trial`: with the writes it still has queued in the same store call (`finishTrialWith`), or
   * plainly. A queued write the store refuses fails the trial, as it does when written on its own.
   */
  #finisher(trial: Trial): (f: TrialFinish) => Promise<FrozenTrial> {
    const storage = this.#storage;
    const plain = (f: TrialFinish): Promise<FrozenTrial> => storage.finishTrial(trial.trialId, f);
    if (storage.finishTrialWith === undefined) return plain;
    const writes = trial.takePendingWrites();
    if (writes.params.length === 0 && writes.attrs.length === 0) return plain;
    const withWrites = storage.finishTrialWith.bind(storage);
    return async (f) => {
      try {
        return await withWrites(trial.trialId, f, writes);
      } catch (e) {
        if (!(e instanceof StorageError) || e.code === 'TRIAL_FINISHED' || e.code === 'TRIAL_NOT_FOUND') throw e;
        await plain({ state: 'FAIL', error: toTrialError(e) });
        throw e;
      }
    };
  }

  /**
   * Run `fn` for `nTrials` trials, one after another. A TrialPruned throw (`trial.prune()`) prunes the trial, and so
   * does returning after `trial.shouldPrune()` answered true; any other throw fails it and (unless `catchErrors`)
   * stops the loop with that error, as Optuna does by default. With a finite sampler (GridSampler) it stops early
   * once every point has a trial (`isExhausted`), as Optuna's grid search does, so no point is run twice.
   */
  async optimize(fn: (trial: Trial) => number | Promise<number>, opts: { nTrials: number; catchErrors?: boolean; ask?: AskOptions }): Promise<void> {
    if (!Number.isInteger(opts.nTrials) || opts.nTrials < 0) {
      throw new ConfigError(`optimize: nTrials must be a non-negative integer, got ${opts.nTrials}`, { code: 'USAGE' });
    }
    for (let i = 0; i < opts.nTrials; i++) {
      if (await this.isExhausted()) return;
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
    return this.#storage.createTrial(this.studyId, { state: 'WAITING', systemAttrs: fixedParamsAttrs(params), userAttrs });
  }

  /**
   * Enqueue a retry of a failed trial: a WAITING trial with the same params, linked to it by `retryOf`. The
   * next `ask` claims it.
   */
  async enqueueRetry(failed: FrozenTrial): Promise<FrozenTrial> {
    return this.#storage.createTrial(this.studyId, { state: 'WAITING', systemAttrs: fixedParamsAttrs(failed.params), retryOf: failed.number });
  }

  /** Record that the process running `trial` is alive (what orphan detection on other hosts reads). */
  async heartbeat(trial: Trial): Promise<void> {
    await this.#storage.recordHeartbeat(trial.trialId);
  }

  async getTrials(states?: readonly TrialState[]): Promise<readonly FrozenTrial[]> {
    return this.#storage.getAllTrials(this.studyId, states === undefined ? undefined : { states });
  }

  /** The best COMPLETE trials, best first. */
  async bestTrials(k = 1): Promise<FrozenTrial[]> {
    return rankCompleteTrials(await this.getTrials(['COMPLETE']), this.direction).slice(0, k);
  }

  /** The best COMPLETE trial; throws StorageError TRIAL_NOT_FOUND if there is none yet. */
  async bestTrial(): Promise<FrozenTrial> {
    return requireBestTrial(await this.getTrials(['COMPLETE']), this);
  }
}

/** The log line on a trial whose objective went on after a prune verdict and returned `result` anyway. */
function prunedAnywayLine(step: number, result: unknown): LogLine {
  return {
    level: 'warn',
    message: prunedAnywayMessage(step, result, 'trial'),
    timestamp: Date.now(),
    data: { prunedAtStep: step },
  };
}
