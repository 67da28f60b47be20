import { createHash } from 'node:crypto';
import type { Distribution } from '../space/distributions.js';
import { deepFreeze } from './values.js';

/**
 * How a distribution is stored: once per study, as canonical JSON, found again by the SHA-256 of that JSON.
 * A trial's parameter refers to it instead of carrying its own copy, so a 10,000-choice categorical costs its
 * choice list once per study rather than once per trial (issue 16, item 11). Both backends use this, so they
 * agree on which distributions are "the same".
 */
export interface StoredDistribution {
  /** Canonical JSON: known keys in the constructors' order, any others after them sorted. */
  readonly json: string;
  /** Hex SHA-256 of `json`: the key a study's distributions are looked up by. */
  readonly hash: string;
}

/** The order `float()`, `int()` and `categorical()` write their keys in; JSON.stringify of theirs is canonical. */
const KEY_ORDER: readonly string[] = ['kind', 'low', 'high', 'log', 'step', 'choices'];

/**
 * Canonical JSON of a distribution: the same JSON.stringify gives for one made by `float()`/`int()`/
 * `categorical()`, and one text for distributions that differ only in the order of their keys.
 */
export function canonicalDistributionJson(d: Distribution): string {
  const src = d as unknown as Record<string, unknown>;
  const keys = Object.keys(src); // what JSON.stringify would write: own enumerable keys
  if (inKeyOrder(keys)) return JSON.stringify(src); // every constructor-made distribution
  const ordered = [...KEY_ORDER.filter((k) => keys.includes(k)), ...keys.filter((k) => !KEY_ORDER.includes(k)).sort()];
  const out: Record<string, unknown> = {};
  for (const k of ordered) out[k] = src[k];
  return JSON.stringify(out);
}

function inKeyOrder(keys: readonly string[]): boolean {
  let last = -1;
  for (const k of keys) {
    const i = KEY_ORDER.indexOf(k);
    if (i <= last) return false;
    last = i;
  }
  return true;
}

/** Already-computed keys of immutable distributions: a study's space hands the same frozen object to every trial. */
const known = new WeakMap<Distribution, StoredDistribution>();

/**
 * Hashes of short JSON texts: `suggestFloat` and friends build a fresh (equal) object per trial, which the
 * WeakMap cannot recognise. A pure function's memo, emptied when full, so it cannot go stale or grow unbounded.
 */
const shortHashes = new Map<string, string>();
const SHORT_JSON = 512;
const MAX_SHORT_HASHES = 4096;

/** The stored form of `d` (which the caller has validated). */
export function storedDistribution(d: Distribution): StoredDistribution {
  const cached = known.get(d);
  if (cached) return cached;
  const json = canonicalDistributionJson(d);
  const stored = Object.freeze({ json, hash: hashOf(json) });
  if (isImmutable(d)) known.set(d, stored);
  return stored;
}

function hashOf(json: string): string {
  if (json.length > SHORT_JSON) return sha256(json);
  let hash = shortHashes.get(json);
  if (hash === undefined) {
    if (shortHashes.size >= MAX_SHORT_HASHES) shortHashes.clear();
    shortHashes.set(json, (hash = sha256(json)));
  }
  return hash;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Parses stored JSON into the frozen distribution every trial that uses it shares. */
export function parseStoredDistribution(json: string): Distribution {
  return deepFreeze(JSON.parse(json) as Distribution);
}

/**
 * Whether `d` can never change, so its key may be remembered: it is frozen, and so is every object it holds.
 * Choices are primitives (validateDistribution checks), so a frozen `choices` array is enough.
 */
function isImmutable(d: Distribution): boolean {
  if (!Object.isFrozen(d)) return false;
  return Object.values(d).every((v) => typeof v !== 'object' || v === null || (Array.isArray(v) && Object.isFrozen(v) && v === (d as { choices?: unknown }).choices));
}
