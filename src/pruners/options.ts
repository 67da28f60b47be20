import { ConfigError } from '../errors.js';

/**
 * Validation of pruner options at the boundary. Options may come from typed code, from `tuning.config.ts` or
 * from the CLI, so every value is checked at run time and every message names the pruner, the option and the
 * fix ("MedianPruner option `nStartupTrials`: must be an integer ≥ 0, got -1").
 */

/** Options as they arrive from untyped sources (config files, CLI flags). */
export type RawOptions = Readonly<Record<string, unknown>>;

/** Throws when `options` is not a plain object or holds a key the pruner does not know (a typo, usually). */
export function checkOptionKeys(pruner: string, options: unknown, known: readonly string[]): RawOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(`${pruner} options: must be an object such as { ${known[0]}: … }, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ConfigError(`${pruner} option \`${key}\` is unknown; the options are ${known.map((k) => `\`${k}\``).join(', ')}`);
    }
  }
  return options as RawOptions;
}

/** An integer option with a lower bound; `undefined` takes the default. */
export function intOption(pruner: string, options: RawOptions, name: string, fallback: number, min: number): number {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ConfigError(`${pruner} option \`${name}\`: must be an integer ≥ ${min}, got ${describe(v)}`);
  }
  return v;
}

/** A finite number option within [min, max]; required when `fallback` is undefined. */
export function numberOption(
  pruner: string,
  options: RawOptions,
  name: string,
  range: { readonly min: number; readonly max: number; readonly fallback?: number },
): number {
  const v = options[name];
  if (v === undefined) {
    if (range.fallback !== undefined) return range.fallback;
    throw new ConfigError(`${pruner} option \`${name}\` is required: give a number in [${range.min}, ${range.max}]`);
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || v < range.min || v > range.max) {
    throw new ConfigError(`${pruner} option \`${name}\`: must be a number in [${range.min}, ${range.max}], got ${describe(v)}`);
  }
  return v;
}

/** An option that is either the string 'auto' or an integer ≥ `min`. */
export function autoOrIntOption(pruner: string, options: RawOptions, name: string, min: number): number | 'auto' {
  const v = options[name];
  if (v === undefined || v === 'auto') return 'auto';
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ConfigError(`${pruner} option \`${name}\`: must be 'auto' or an integer ≥ ${min}, got ${describe(v)}`);
  }
  return v;
}

/** A boolean option. */
export function boolOption(pruner: string, options: RawOptions, name: string, fallback: boolean): boolean {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') {
    throw new ConfigError(`${pruner} option \`${name}\`: must be true or false, got ${describe(v)}`);
  }
  return v;
}

/** A string option (free text). */
export function stringOption(pruner: string, options: RawOptions, name: string, fallback: string): string {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new ConfigError(`${pruner} option \`${name}\`: must be a string, got ${describe(v)}`);
  return v;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}
