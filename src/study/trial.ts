import { ConfigError, StorageError, TrialPruned } from '../errors.js';
import { checkCompatibleDistribution } from '../storage/checks.js';
import {
  categorical,
  distributionsEqual,
  float,
  int,
  isContained,
  isKnownValid,
  sameFields,
  toExternal,
  toInternal,
  validateDistribution,
  type CategoricalChoice,
  type Distribution,
  type ParamValue,
  type RangeOptions,
} from '../space/distributions.js';
import type { Sampler, SamplerContext } from '../samplers/sampler.js';
import type { Storage, TrialAttrInput, TrialParamInput } from '../storage/storage.js';
import type { AttrValue, FrozenTrial } from '../core/frozen.js';

/** What a Trial needs from its study; kept narrow so a Trial never reaches into Study internals. */
export interface TrialDeps {
  readonly storage: Storage;
  readonly sampler: Sampler;
  readonly samplerContext: SamplerContext;
  /** Values the sampler proposed jointly for this trial (relative sampling). */
  readonly relativeParams: Readonly<Record<string, ParamValue>>;
  /** Values fixed in advance (an enqueued trial, a retry). */
  readonly fixedParams: Readonly<Record<string, ParamValue>>;
  readonly prune: (trial: FrozenTrial, step: number) => boolean;
}

/**
 * One running trial, define-by-run: `suggest*` are synchronous (sampling is pure and the study snapshot was taken
 * at `ask`); the writes they cause are queued and awaited by `flush()` (which `Study.tell` calls).
 * @example
 * const trial = await study.ask();
 * const layers = trial.suggestInt('num_layers', 1, 4);
 * const lr = trial.suggestFloat('lr', 1e-5, 1e-1, { log: true });
 * await study.tell(trial, train(layers, lr));
 */
export class Trial {
  readonly number: number;
  readonly trialId: number;
  #frozen: FrozenTrial;
  #deps: TrialDeps;
  #params = new Map<string, ParamValue>();
  #distributions = new Map<string, Distribution>();
  #intermediate = new Map<number, number>();
  #writes: Promise<void> = Promise.resolve();
  /** Params suggested since the last param write: consecutive suggests share one durable write. */
  #pendingParams: TrialParamInput[] = [];
  #pendingAttrs: TrialAttrInput[] = [];
  /** A write is queued that has not started yet: it will take whatever is pending when it does. */
  #writeQueued = false;
  #reports = new Set<Promise<void>>();
  #writeError: unknown = null;
  /** The step at which `shouldPrune()` first answered true; null while it has not. */
  #prunedAtStep: number | null = null;

  constructor(frozen: FrozenTrial, deps: TrialDeps) {
    this.#frozen = frozen;
    this.#deps = deps;
    this.number = frozen.number;
    this.trialId = frozen.trialId;
    for (const [k, v] of Object.entries(frozen.params)) this.#params.set(k, v);
    for (const [k, d] of Object.entries(frozen.distributions)) this.#distributions.set(k, d);
  }

  /** Parameters suggested so far. */
  get params(): Readonly<Record<string, ParamValue>> {
    return Object.fromEntries(this.#params);
  }

  get distributions(): Readonly<Record<string, Distribution>> {
    return Object.fromEntries(this.#distributions);
  }

  suggestFloat(name: string, low: number, high: number, options: RangeOptions = {}): number {
    return this.suggest(name, float(low, high, options)) as number;
  }

  suggestInt(name: string, low: number, high: number, options: RangeOptions = {}): number {
    return this.suggest(name, int(low, high, options)) as number;
  }

  suggestCategorical<const C extends CategoricalChoice>(name: string, choices: readonly C[]): C {
    return this.suggest(name, categorical(choices)) as C;
  }

  /**
   * Suggest a value for `name` from `distribution`; asking again for the same name returns the same value. Across
   * the study a name keeps its kind, log scale and categorical choices (PARAM_CONFLICT otherwise, as in Optuna).
   */
  suggest(name: string, distribution: Distribution): ParamValue {
    // The usual suggest: a new object with the fields of the one the study's trials already hold for this name. It
    // is compatible with it, goes to the store as that shared one (checked, stored and hashed once), and needs no
    // check of its own once that one was checked (the store checks what it is given).
    const held = studyDistribution(this.#deps.samplerContext.trials, name, this.trialId);
    const same = held !== undefined && sameFields(held, distribution);
    if (!same || !isKnownValid(held)) validateDistribution(`trial ${this.number}: suggest "${name}"`, distribution);
    const existing = this.#distributions.get(name);
    if (existing !== undefined) {
      if (!distributionsEqual(existing, distribution)) {
        throw new ConfigError(
          `trial ${this.number}: parameter '${name}' was already suggested from ${JSON.stringify(existing)}; ` +
            `a second suggest must use the same distribution (got ${JSON.stringify(distribution)})`,
          { code: 'SPACE_INVALID' },
        );
      }
      return this.#params.get(name) as ParamValue;
    }
    if (!same) checkAgainstStudy(this.#deps.samplerContext.trials, { label: `trial ${this.number}`, name, distribution, exceptTrialId: this.trialId });
    const value = this.#pick(name, distribution);
    this.#params.set(name, value);
    this.#distributions.set(name, distribution);
    this.#pendingParams.push({ name, distribution: same ? held : distribution, internal: toInternal(distribution, value) });
    this.#queueWrites();
    return value;
  }

  #pick(name: string, distribution: Distribution): ParamValue {
    const fixed = this.#deps.fixedParams[name];
    if (fixed !== undefined && isContained(distribution, fixed)) return fixed;
    const rel = this.#deps.relativeParams[name];
    if (rel !== undefined && isContained(distribution, rel)) return rel;
    const value = this.#deps.sampler.sampleIndependent(this.#deps.samplerContext, this.#snapshot(), name, distribution);
    // Round-trip through the internal form so the objective sees exactly what the store will hold.
    return toExternal(distribution, toInternal(distribution, value));
  }

  /** Record an intermediate value (what pruners compare). NaN is refused; ±Infinity is kept. */
  report(step: number, value: number): void {
    if (!Number.isInteger(step) || step < 0) {
      throw new ConfigError(`trial ${this.number}: report step must be a non-negative integer, got ${step}`, { code: 'USAGE' });
    }
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new ConfigError(`trial ${this.number}: report(${step}, ${String(value)}): the value must be a number, not NaN`, {
        code: 'USAGE',
      });
    }
    this.#intermediate.set(step, value);
    // Not chained behind earlier writes: reports issued back to back reach the store together and share one
    // durable commit (the SQLite store group-commits values of the same tick).
    const write: Promise<void> = this.#deps.storage
      .setTrialIntermediateValue(this.trialId, step, value)
      .catch((e: unknown) => {
        if (this.#writeError === null) this.#writeError = e;
      })
      .finally(() => this.#reports.delete(write));
    this.#reports.add(write);
  }

  /**
   * Whether the study's pruner would stop this trial at its latest reported step. The idiom is
   * `if (trial.shouldPrune()) trial.prune();`. Once this has answered true the decision holds: a trial finished with a
   * value anyway (`study.tell(trial, value)`, or returning from `optimize`'s function) is stored PRUNED.
   */
  shouldPrune(): boolean {
    const verdict = this.pruneVerdict();
    if (verdict && this.#prunedAtStep === null) this.#prunedAtStep = this.#latestStep();
    return verdict;
  }

  /**
   * The pruner's verdict at the latest reported step, without telling the objective: the study manager asks it after
   * every report a worker streams, whether or not the objective calls `shouldPrune()`, so it must not make a decision hold.
   */
  pruneVerdict(): boolean {
    const step = this.#latestStep();
    return step !== null && this.#deps.prune(this.#snapshot(), step);
  }

  /** The step at which `shouldPrune()` first answered true, or null: a decision that holds (see `shouldPrune`). */
  get prunedAtStep(): number | null {
    return this.#prunedAtStep;
  }

  /**
   * Stop this trial as pruned: throws TrialPruned, which `optimize` (and the CLI's runner) store as PRUNED with the last
   * reported value.
   * @example
   * trial.report(epoch, valLoss);
   * if (trial.shouldPrune()) trial.prune();
   */
  prune(message?: string): never {
    throw new TrialPruned(message ?? `trial ${this.number} pruned at step ${this.#latestStep() ?? 'none'}`);
  }

  #latestStep(): number | null {
    return this.#intermediate.size === 0 ? null : Math.max(...this.#intermediate.keys());
  }

  setUserAttr(key: string, value: AttrValue): void {
    this.#queueAttr({ kind: 'user', key, value });
  }

  setSystemAttr(key: string, value: AttrValue): void {
    this.#queueAttr({ kind: 'system', key, value });
  }

  /** Attributes set together (in one tick) go to the store as one write where it takes several at once. */
  #queueAttr(attr: TrialAttrInput): void {
    this.#pendingAttrs.push(attr);
    this.#queueWrites();
  }

  /**
   * One queued write takes every param and attribute pending when it runs (so those of one tick travel together):
   * in one transaction where the store offers `setTrialWrites`, else params then attributes.
   */
  #queueWrites(): void {
    if (this.#writeQueued) return;
    this.#writeQueued = true;
    this.#enqueue(async () => {
      this.#writeQueued = false;
      const { params, attrs } = { params: this.#pendingParams, attrs: this.#pendingAttrs };
      this.#pendingParams = [];
      this.#pendingAttrs = [];
      const storage = this.#deps.storage;
      if (params.length > 0 && attrs.length > 0 && storage.setTrialWrites !== undefined) return storage.setTrialWrites(this.trialId, { params, attrs });
      if (params.length > 0) await storage.setTrialParams(this.trialId, params);
      if (attrs.length === 0) return;
      if (storage.setTrialAttrs !== undefined) return storage.setTrialAttrs(this.trialId, attrs);
      for (const a of attrs) await storage.setTrialAttr(this.trialId, a.kind, a.key, a.value);
    });
  }

  /** Last reported step and value, for storing a pruned trial. */
  lastIntermediate(): { step: number; value: number } | undefined {
    if (this.#intermediate.size === 0) return undefined;
    const step = Math.max(...this.#intermediate.keys());
    return { step, value: this.#intermediate.get(step) as number };
  }

  /** Wait for the writes queued so far (suggested params, attrs) without consuming a failure: `flush` reports it. */
  async writesSettled(): Promise<void> {
    await this.#writes;
  }

  /**
   * Hands over the params and attributes queued but not sent yet (the write queued for them then sends nothing), for
   * a store that writes them with the trial's finish in one statement (`Storage.finishTrialWith`).
   */
  takePendingWrites(): { params: TrialParamInput[]; attrs: TrialAttrInput[] } {
    const taken = { params: this.#pendingParams, attrs: this.#pendingAttrs };
    this.#pendingParams = [];
    this.#pendingAttrs = [];
    return taken;
  }

  /** Wait for every queued write; rethrows the first write failure. */
  async flush(): Promise<void> {
    await this.#writes;
    if (this.#reports.size > 0) await Promise.all(this.#reports);
    if (this.#writeError !== null) {
      const e = this.#writeError;
      this.#writeError = null;
      throw e instanceof StorageError ? e : new StorageError(`trial ${this.number}: a write failed`, { cause: e });
    }
  }

  #enqueue(write: () => Promise<void>): void {
    this.#writes = this.#writes.then(write).catch((e: unknown) => {
      if (this.#writeError === null) this.#writeError = e;
    });
  }

  #snapshot(): FrozenTrial {
    return Object.freeze({
      ...this.#frozen,
      params: this.params,
      distributions: this.distributions,
      intermediateValues: new Map(this.#intermediate),
    });
  }
}

/** The distribution the first trial of `trials` (but `exceptTrialId`) that has param `name` has it from. */
function studyDistribution(trials: readonly FrozenTrial[], name: string, exceptTrialId: number): Distribution | undefined {
  for (const t of trials) {
    if (t.trialId !== exceptTrialId && Object.hasOwn(t.distributions, name)) return t.distributions[name];
  }
  return undefined;
}

/**
 * Throws PARAM_CONFLICT when `distribution` cannot be used for `name` because another trial of the study (in the
 * snapshot `trials`) has it from an incompatible one. Every earlier use was checked the same way, so comparing with
 * the first one found is enough.
 */
export function checkAgainstStudy(
  trials: readonly FrozenTrial[],
  o: { readonly label: string; readonly name: string; readonly distribution: Distribution; readonly exceptTrialId?: number },
): void {
  for (const t of trials) {
    if (t.trialId === o.exceptTrialId || !Object.hasOwn(t.distributions, o.name)) continue;
    const previous = t.distributions[o.name];
    checkCompatibleDistribution({ label: o.label, name: o.name, next: o.distribution, previous, seenIn: t.number });
    return;
  }
}
