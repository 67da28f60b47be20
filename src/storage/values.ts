import { StorageError } from '../errors.js';
import type { AttrValue, Attrs } from '../core/frozen.js';

/**
 * How a REAL column's value is to be read. SQLite can hold ±Infinity in a REAL, but not every driver and
 * tool round-trips it (JSON exports, some bindings turn it into NULL or a huge finite number), so, as
 * Optuna's RDB storage does (`TrialValueModel.value_type`), the kind of value is stored beside it and the
 * REAL column holds 0 for the infinities.
 */
export type ValueType = 'FINITE' | 'INF_POS' | 'INF_NEG';
export const VALUE_TYPES = ['FINITE', 'INF_POS', 'INF_NEG'] as const;

/** A number ready for a (value REAL, value_type TEXT) column pair. */
export interface EncodedValue {
  readonly value: number;
  readonly valueType: ValueType;
}

/**
 * Checks `value` is a number and not NaN, and splits it into the stored pair.
 * @param what names the value in the error, e.g. `intermediate value at step 3 of trial 7`.
 */
export function encodeValue(value: unknown, what: string): EncodedValue {
  if (typeof value !== 'number') {
    throw new StorageError(`${what}: expected a number, got ${describe(value)}`);
  }
  if (Number.isNaN(value)) {
    throw new StorageError(`${what} is NaN, which the store refuses; report a finite number or ±Infinity instead`);
  }
  if (value === Infinity) return { value: 0, valueType: 'INF_POS' };
  if (value === -Infinity) return { value: 0, valueType: 'INF_NEG' };
  return { value, valueType: 'FINITE' };
}

/** Inverse of {@link encodeValue}; a NULL value stays null. */
export function decodeValue(value: number | null, valueType: string | null): number | null {
  if (valueType === 'INF_POS') return Infinity;
  if (valueType === 'INF_NEG') return -Infinity;
  return value;
}

/** Steps are non-negative integers, as in Optuna's `trial.report(value, step)`. */
export function checkStep(step: unknown, what: string): number {
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw new StorageError(`${what}: step must be a non-negative integer, got ${describe(step)}`);
  }
  return step;
}

/**
 * Validates that an attribute survives JSON unchanged and returns its JSON text. `JSON.stringify` would
 * silently turn NaN/Infinity into null and drop `undefined`; the store refuses them instead.
 */
export function encodeAttr(key: string, value: AttrValue, what: string): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new StorageError(`${what}: attribute key must be a non-empty string, got ${describe(key)}`);
  }
  checkJsonSafe(value, `${what} attribute "${key}"`);
  return JSON.stringify(value);
}

/** Same check for a whole attribute record (config, result, log data); returns its JSON text. */
export function encodeAttrs(attrs: Attrs, what: string): string {
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) {
    throw new StorageError(`${what}: expected a plain object, got ${describe(attrs)}`);
  }
  checkJsonSafe(attrs, what);
  return JSON.stringify(attrs);
}

function checkJsonSafe(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new StorageError(`${path}: ${value} cannot be stored as JSON; store a finite number or a string such as "Infinity"`);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkJsonSafe(v, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkJsonSafe(v, `${path}.${k}`);
    return;
  }
  throw new StorageError(`${path}: ${describe(value)} is not JSON (use strings, finite numbers, booleans, null, arrays, objects)`);
}

/** Freezes a JSON-like value and everything inside it, so snapshots cannot be edited by callers. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Parses stored attribute JSON into a frozen value. */
export function decodeJson<T>(json: string): T {
  return deepFreeze(JSON.parse(json) as T);
}

export function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // Circular structures cannot be described as JSON; their type still helps the caller.
    return `a ${typeof value}`;
  }
}
