import { ConfigError } from '../errors.js';

/**
 * Search-space distributions: a discriminated union on `kind`.
 *
 * Internal representation (what samplers and storage see): floats and ints are their own value, a categorical
 * is the index of its choice. External representation (what objectives see): the value itself.
 * Log scaling is a sampler concern (TPE works in log space for `log: true`), not part of the internal value,
 * as in Optuna.
 */
export type CategoricalChoice = string | number | boolean | null;
export type ParamValue = CategoricalChoice;

export interface FloatDistribution {
  readonly kind: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  /** Grid spacing from `low`; `null` for a continuous range. */
  readonly step: number | null;
}

export interface IntDistribution {
  readonly kind: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  /** Spacing from `low`; 1 unless given. */
  readonly step: number;
}

export interface CategoricalDistribution<C extends CategoricalChoice = CategoricalChoice> {
  readonly kind: 'categorical';
  readonly choices: readonly C[];
}

export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;
export type SearchSpace = Readonly<Record<string, Distribution>>;

/** The parameter types an objective receives for a declared space. */
export type ParamsOf<S extends SearchSpace> = {
  readonly [K in keyof S]: S[K] extends CategoricalDistribution<infer C> ? C : number;
};

export interface RangeOptions {
  log?: boolean;
  step?: number;
}

/**
 * A float range. `float(1e-5, 5e-4, { log: true })` samples uniformly in log space.
 * @example space: { dropout: float(0.05, 0.3), lr: float(1e-5, 5e-4, { log: true }) }
 */
export function float(low: number, high: number, options: RangeOptions = {}): FloatDistribution {
  return Object.freeze({ kind: 'float', low, high, log: options.log ?? false, step: options.step ?? null });
}

/**
 * An integer range, both ends included.
 * @example space: { num_layers: int(3, 8), batch: int(16, 256, { log: true }) }
 */
export function int(low: number, high: number, options: RangeOptions = {}): IntDistribution {
  return Object.freeze({ kind: 'int', low, high, log: options.log ?? false, step: options.step ?? 1 });
}

/**
 * One of a fixed list of choices; the objective's parameter type is the union of the choices.
 * @example space: { hidden_dim: categorical([128, 256, 384]), act: categorical(['relu', 'gelu']) }
 */
export function categorical<const C extends CategoricalChoice>(choices: readonly C[]): CategoricalDistribution<C> {
  return Object.freeze({ kind: 'categorical', choices: Object.freeze([...choices]) });
}

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Distributions that passed {@link validateDistribution} and can never change (frozen, with frozen choices): a
 * study's stored distributions are shared by every trial that uses them, and each trial's write checks them again.
 */
const knownValid = new WeakSet<object>();

/** Whether `d` passed {@link validateDistribution} before and cannot have changed since. */
export function isKnownValid(d: unknown): d is Distribution {
  return typeof d === 'object' && d !== null && knownValid.has(d);
}

/** Throws a ConfigError naming `path` (e.g. `subsystems.optimizer.space.num_layers`) and the fix. */
export function validateDistribution(path: string, d: unknown): asserts d is Distribution {
  if (isKnownValid(d)) return;
  checkDistribution(path, d);
  const choices = (d as { choices?: unknown }).choices;
  if (Object.isFrozen(d) && (choices === undefined || Object.isFrozen(choices))) knownValid.add(d as object);
}

/**
 * Whether `d` is a distribution with exactly `known`'s fields and values (no other keys), so that it is as valid
 * as `known`, compatible with it, and stored as the same canonical JSON. A cheap test for the usual suggest, which
 * builds a new object equal to the one the study already holds for that name; never throws on malformed input.
 */
export function sameFields(known: Distribution, d: unknown): boolean {
  if (typeof d !== 'object' || d === null) return false;
  const x = d as Record<string, unknown>;
  if (x.kind !== known.kind) return false;
  if (known.kind === 'categorical') {
    const c = x.choices;
    if (!Array.isArray(c) || c.length !== known.choices.length) return false;
    for (let i = 0; i < c.length; i++) if (c[i] !== known.choices[i]) return false;
    return Object.keys(x).length === 2;
  }
  return x.low === known.low && x.high === known.high && x.log === known.log && x.step === known.step && Object.keys(x).length === 5;
}

function checkDistribution(path: string, d: unknown): asserts d is Distribution {
  const fail = (msg: string): never => {
    throw new ConfigError(`${path}: ${msg}`, { code: 'SPACE_INVALID' });
  };
  if (typeof d !== 'object' || d === null || !('kind' in d)) {
    return fail('expected a distribution made with float(), int() or categorical()');
  }
  const x = d as Record<string, unknown>;
  if (x.kind === 'categorical') {
    if (!Array.isArray(x.choices) || x.choices.length === 0) return fail('categorical() needs a non-empty array of choices');
    const seen = new Set<string>();
    for (const c of x.choices as unknown[]) {
      const ok = c === null || ['string', 'number', 'boolean'].includes(typeof c);
      if (!ok) return fail(`choice ${JSON.stringify(c)} is not a string, number, boolean or null`);
      if (typeof c === 'number' && !Number.isFinite(c)) return fail(`choice ${c} is not a finite number`);
      const key = `${typeof c}:${String(c)}`;
      if (seen.has(key)) return fail(`choice ${JSON.stringify(c)} appears twice; list each choice once`);
      seen.add(key);
    }
    return;
  }
  if (x.kind !== 'float' && x.kind !== 'int') return fail(`unknown distribution kind ${JSON.stringify(x.kind)}`);
  checkRangeShape(x, fail);
  const { low, high, log, step } = x;
  if (!isFiniteNumber(low)) return fail(`low must be a finite number, got ${String(low)}`);
  if (!isFiniteNumber(high)) return fail(`high must be a finite number, got ${String(high)}`);
  if (low > high) return fail(`low ${low} > high ${high}; swap them`);
  if (x.kind === 'int' && (!Number.isInteger(low) || !Number.isInteger(high))) {
    return fail(`int() bounds must be integers, got low ${low}, high ${high}; use float() for real values`);
  }
  if (log === true && low <= 0) return fail(`log scale needs low > 0, got ${low}; raise low or drop { log: true }`);
  if (step !== null && step !== undefined) {
    if (!isFiniteNumber(step) || step <= 0) return fail(`step must be a positive number, got ${String(step)}`);
    if (x.kind === 'int' && !Number.isInteger(step)) return fail(`int() step must be an integer, got ${step}`);
    if (log === true && (x.kind === 'float' || step !== 1)) {
      return fail('step and { log: true } cannot be combined; choose one');
    }
  }
}

/**
 * A range written by hand (`{ kind: 'float', low: 0, high: 1 }`) must still have every field float()/int() set:
 * a missing `step` is not "no step" — samplers would put values on a grid of `undefined` and sample NaN.
 */
function checkRangeShape(x: Record<string, unknown>, fail: (msg: string) => never): void {
  const kind = x.kind as 'float' | 'int';
  const bounds = isFiniteNumber(x.low) && isFiniteNumber(x.high) ? `${x.low}, ${x.high}` : 'low, high';
  const made = `${kind}(${bounds}${x.log === true ? ', { log: true }' : ''})`;
  const missing = kind === 'float' ? "log: false, step: null" : 'log: false, step: 1';
  const handMade = (field: string): never =>
    fail(
      `${field} is ${x[field] === undefined ? 'missing' : `${JSON.stringify(x[field])}`}; make the distribution with ${made} from 'parzen' ` +
        `(or, written by hand, give every field: { kind: '${kind}', low, high, ${missing} })`,
    );
  if (typeof x.log !== 'boolean') handMade('log');
  if (kind === 'float' && x.step !== null && typeof x.step !== 'number') handMade('step');
  if (kind === 'int' && typeof x.step !== 'number') handMade('step');
}

/** Validates every entry of a space, naming `${path}.${name}` on failure. */
export function validateSpace(path: string, space: unknown): asserts space is SearchSpace {
  if (typeof space !== 'object' || space === null || Array.isArray(space)) {
    throw new ConfigError(`${path}: expected an object of parameter distributions, e.g. { lr: float(1e-5, 1e-2, { log: true }) }`, {
      code: 'SPACE_INVALID',
    });
  }
  const entries = Object.entries(space);
  if (entries.length === 0) throw new ConfigError(`${path}: the search space is empty; declare at least one parameter`, { code: 'SPACE_INVALID' });
  for (const [name, d] of entries) validateDistribution(`${path}.${name}`, d);
}

/** Whether an external value lies in the distribution (on its step grid for stepped ranges). */
export function isContained(d: Distribution, value: ParamValue): boolean {
  if (d.kind === 'categorical') return d.choices.some((c) => c === value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (value < d.low || value > d.high) return false;
  if (d.kind === 'int' && !Number.isInteger(value)) return false;
  if (d.step !== null) {
    const k = (value - d.low) / d.step;
    return Math.abs(k - Math.round(k)) < 1e-8;
  }
  return true;
}

/** External value → internal number (categorical → choice index). Throws if the value is not in `d`. */
export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.kind === 'categorical') {
    const i = d.choices.findIndex((c) => c === value);
    if (i < 0) throw new ConfigError(`value ${JSON.stringify(value)} is not one of the choices ${JSON.stringify(d.choices)}`);
    return i;
  }
  if (typeof value !== 'number') throw new ConfigError(`value ${JSON.stringify(value)} is not a number for a ${d.kind} range`);
  return value;
}

/** Internal number → external value. */
export function toExternal(d: Distribution, internal: number): ParamValue {
  if (d.kind === 'categorical') {
    const c = d.choices[internal];
    if (c === undefined && !(internal >= 0 && internal < d.choices.length)) {
      throw new ConfigError(`choice index ${internal} is out of range for ${JSON.stringify(d.choices)}`);
    }
    return c as ParamValue;
  }
  return internal;
}

/** Whether a distribution has exactly one value (samplers skip it). */
export function isSingle(d: Distribution): boolean {
  if (d.kind === 'categorical') return d.choices.length === 1;
  if (d.low === d.high) return true;
  return d.step !== null && d.low + d.step > d.high;
}

/** Structural equality, used to check that a parameter keeps its distribution across trials. */
export function distributionsEqual(a: Distribution, b: Distribution): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'categorical' && b.kind === 'categorical') {
    return a.choices.length === b.choices.length && a.choices.every((c, i) => c === b.choices[i]);
  }
  if (a.kind === 'categorical' || b.kind === 'categorical') return false;
  return a.low === b.low && a.high === b.high && a.log === b.log && a.step === b.step;
}

/**
 * Why `next` cannot be used for a parameter that `previous` already has elsewhere in the same study, or null if it
 * can. Optuna's rule (`distributions.check_distribution_compatibility`): the same kind, the same log scale and the same
 * categorical choices; ranges and steps may differ from trial to trial.
 */
export function distributionIncompatibility(previous: Distribution, next: Distribution): string | null {
  if (previous.kind !== next.kind) return `it is ${article(previous.kind)} ${previous.kind} there and ${article(next.kind)} ${next.kind} here`;
  if (previous.kind === 'categorical' || next.kind === 'categorical') {
    return distributionsEqual(previous, next) ? null : 'its categorical choices differ (choices cannot change within a study)';
  }
  if (previous.log !== next.log) return `it is ${previous.log ? 'log-scaled' : 'linear'} there and ${next.log ? 'log-scaled' : 'linear'} here`;
  return null;
}

const article = (kind: Distribution['kind']): string => (kind === 'int' ? 'an' : 'a');

/** `float(1e-05, 0.1, { log: true })`, `int(1, 3)`, `categorical(["a", "b"])`: a distribution as the DSL writes it. */
export function describeDistribution(d: Distribution): string {
  if (d.kind === 'categorical') {
    const shown = d.choices.slice(0, 5).map((c) => JSON.stringify(c));
    if (d.choices.length > 5) shown.push(`… ${d.choices.length - 5} more`);
    return `categorical([${shown.join(', ')}])`;
  }
  const options: string[] = [];
  if (d.log) options.push('log: true');
  if (d.step !== null && !(d.kind === 'int' && d.step === 1)) options.push(`step: ${d.step}`);
  return `${d.kind}(${d.low}, ${d.high}${options.length > 0 ? `, { ${options.join(', ')} }` : ''})`;
}
