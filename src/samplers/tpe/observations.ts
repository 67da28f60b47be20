/**
 * What TPE learns from each trial, as typed-array columns kept across suggestions: every trial's rank key
 * (Optuna 3.1 `_get_observation_pairs`), its loss, its number, and each parameter's internal value. A finished
 * trial never changes, so the columns of the leading run of finished trials are built once, as trials finish,
 * and a suggestion reads them instead of walking every trial object; only the trials after that run (RUNNING
 * ones, and those that finished after the first unfinished one) are read afresh each time.
 */
import type { Distribution, ParamValue } from '../../space/distributions.js';
import { distributionsEqual } from '../../space/distributions.js';
import { type FrozenTrial, type StudyDirection, isFinished } from '../../core/frozen.js';

/**
 * A trial's rank key (lower is better), compared as (step, value):
 * COMPLETE → (-∞, ±value); PRUNED → (-last step, ±value at that step), so trials pruned later rank ahead of
 * those pruned earlier, all behind every complete trial; PRUNED with no reports → (1, 0); RUNNING under the
 * constant liar → (+∞, +∞), the worst possible. ± makes maximisation a minimisation. null: not used.
 */
export function rankKey(t: FrozenTrial, sign: number, constantLiar: boolean): [number, number] | null {
  if (t.state === 'COMPLETE') return t.value === null ? null : [-Infinity, sign * t.value];
  if (t.state === 'PRUNED') {
    if (t.intermediateValues.size === 0) return [1, 0];
    let step = -Infinity;
    for (const s of t.intermediateValues.keys()) if (s > step) step = s;
    const v = t.intermediateValues.get(step) as number;
    return [-step, Number.isNaN(v) ? Infinity : sign * v];
  }
  if (t.state === 'RUNNING' && constantLiar) return [Infinity, Infinity];
  return null;
}

/**
 * The internal value of `name` in a trial, or NaN when the trial lacks it or its value does not fit `d` (a range
 * that changed between trials). Categoricals map to the index of the choice in `d`.
 */
export function internalValue(t: FrozenTrial, name: string, d: Distribution): number {
  // A missing name reads as undefined (or an Object.prototype member), which no check below accepts.
  const v: unknown = t.params[name];
  if (d.kind === 'categorical') {
    const i = d.choices.indexOf(v as ParamValue);
    return i < 0 ? NaN : i;
  }
  return typeof v === 'number' && v >= d.low && v <= d.high ? v : NaN;
}

/** The trials TPE uses (those with a rank key), in list order, as columns. */
export interface Observations {
  /** Rank key (step, value) of each used trial. */
  readonly steps: Float64Array;
  readonly keys: Float64Array;
  readonly numbers: Float64Array;
  /** The value as a loss (negated when maximising) for COMPLETE trials; NaN for the others. */
  readonly losses: Float64Array;
  /** COMPLETE and PRUNED trials among them (RUNNING ones under the constant liar are not counted). */
  readonly nFinished: number;
  /** Each used trial's internal value of `name` under `d` (`internalValue`), one entry per used trial. */
  readonly column: (name: string, d: Distribution) => Float64Array;
}

export interface ObserveOptions {
  readonly direction: StudyDirection;
  readonly constantLiar: boolean;
  /** The trial being sampled: never an observation of itself. */
  readonly exclude: number;
}

/** A Float64Array that grows by doubling; `view()` is the filled part. */
class Column {
  data = new Float64Array(64);
  n = 0;
  push(v: number): void {
    if (this.n === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.n++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.n);
  }
}

interface ParamColumn {
  readonly d: Distribution;
  readonly values: Column;
}

/**
 * A cached prefix followed by this call's tail: the prefix's view itself when the tail is empty (the usual case;
 * a column's filled part never changes, so the view stays valid), else a new array.
 */
function joined(prefix: Float64Array, tail: readonly number[]): Float64Array {
  if (tail.length === 0) return prefix;
  const out = new Float64Array(prefix.length + tail.length);
  out.set(prefix);
  for (let i = 0; i < tail.length; i++) out[prefix.length + i] = tail[i];
  return out;
}

/**
 * The columns of one study's trials, kept across calls (one per sampler). `observe` is exact: it returns what a
 * fresh walk over `trials` would, and starts over when `trials` does not continue the list seen before (another
 * study, a trial missing) or the direction changed.
 */
export class ObservationColumns {
  /** trials[0, cursor) are finished; the used ones among them are in the columns below. */
  #cursor = 0;
  #last: { studyId: number; trialId: number } | null = null;
  #sign = 0;
  /** Position in the trial list of each used trial of the prefix, to read parameters on demand. */
  #positions = new Column();
  #steps = new Column();
  #keys = new Column();
  #numbers = new Column();
  #losses = new Column();
  #nFinished = 0;
  #params = new Map<string, ParamColumn>();

  observe(trials: readonly FrozenTrial[], o: ObserveOptions): Observations {
    const sign = o.direction === 'minimize' ? 1 : -1;
    if (sign !== this.#sign || !this.#continues(trials)) this.#reset(sign);
    this.#advance(trials);
    if (this.#prefixHas(o.exclude)) return new ObservationColumns().#observeFresh(trials, o, sign);
    return this.#withTail(trials, o, sign);
  }

  #observeFresh(trials: readonly FrozenTrial[], o: ObserveOptions, sign: number): Observations {
    this.#reset(sign);
    return this.#withTail(trials, o, sign);
  }

  #reset(sign: number): void {
    this.#sign = sign;
    this.#cursor = 0;
    this.#last = null;
    // New columns, not emptied ones: observations handed out before hold views of the old ones.
    this.#positions = new Column();
    this.#steps = new Column();
    this.#keys = new Column();
    this.#numbers = new Column();
    this.#losses = new Column();
    this.#nFinished = 0;
    this.#params = new Map();
  }

  #continues(trials: readonly FrozenTrial[]): boolean {
    if (this.#cursor === 0) return true;
    if (this.#cursor > trials.length || this.#last === null) return false;
    const t = trials[this.#cursor - 1];
    return t.studyId === this.#last.studyId && t.trialId === this.#last.trialId;
  }

  /** Folds the finished trials that now follow the prefix into it. */
  #advance(trials: readonly FrozenTrial[]): void {
    let i = this.#cursor;
    for (; i < trials.length && isFinished(trials[i].state); i++) {
      const t = trials[i];
      // Finished trials' keys do not depend on the constant liar.
      const key = rankKey(t, this.#sign, false);
      if (key === null) continue;
      this.#positions.push(i);
      this.#steps.push(key[0]);
      this.#keys.push(key[1]);
      this.#numbers.push(t.number);
      this.#losses.push(t.state === 'COMPLETE' ? key[1] : NaN);
      this.#nFinished++;
    }
    if (i > this.#cursor) {
      this.#cursor = i;
      this.#last = { studyId: trials[i - 1].studyId, trialId: trials[i - 1].trialId };
    }
  }

  #prefixHas(number: number): boolean {
    const numbers = this.#numbers.view();
    for (let i = 0; i < numbers.length; i++) if (numbers[i] === number) return true;
    return false;
  }

  /** The prefix's columns followed by the used trials after it, read from `trials` now. */
  #withTail(trials: readonly FrozenTrial[], o: ObserveOptions, sign: number): Observations {
    const tail: FrozenTrial[] = [];
    const steps: number[] = [];
    const keys: number[] = [];
    const numbers: number[] = [];
    const losses: number[] = [];
    let nFinished = this.#nFinished;
    const positions = this.#positions.view();
    const params = this.#params;
    for (let i = this.#cursor; i < trials.length; i++) {
      const t = trials[i];
      if (t.number === o.exclude) continue;
      const key = rankKey(t, sign, o.constantLiar);
      if (key === null) continue;
      tail.push(t);
      steps.push(key[0]);
      keys.push(key[1]);
      numbers.push(t.number);
      losses.push(t.state === 'COMPLETE' ? key[1] : NaN);
      if (t.state !== 'RUNNING') nFinished++;
    }
    return {
      steps: joined(this.#steps.view(), steps),
      keys: joined(this.#keys.view(), keys),
      numbers: joined(this.#numbers.view(), numbers),
      losses: joined(this.#losses.view(), losses),
      nFinished,
      // Bound to this call's prefix: a later call may extend the columns or start over with new ones.
      column: (name, d) => joined(paramColumn(params, positions, trials, name, d), tail.map((t) => internalValue(t, name, d))),
    };
  }
}

/**
 * The internal values of `name` under `d` of the prefix trials at `positions` in `trials`, extending the cached
 * column in `params` as far as needed.
 */
function paramColumn(params: Map<string, ParamColumn>, positions: Float64Array, trials: readonly FrozenTrial[], name: string, d: Distribution): Float64Array {
  let c = params.get(name);
  if (c === undefined || !distributionsEqual(c.d, d)) params.set(name, (c = { d, values: new Column() }));
  for (let i = c.values.n; i < positions.length; i++) c.values.push(internalValue(trials[positions[i]], name, d));
  return c.values.data.subarray(0, positions.length);
}
