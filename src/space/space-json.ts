import { ConfigError } from '../errors.js';
import { categorical, float, int, validateSpace, type Distribution, type SearchSpace } from './distributions.js';

/**
 * A search space given as JSON on the command line (`tune ask --space`), in either spelling:
 *
 * - parzen's, the form trials store their distributions in:
 *   `{"x": {"kind": "float", "low": -3, "high": 3}, "act": {"kind": "categorical", "choices": ["relu", "gelu"]}}`
 *   (`log` defaults to false, `step` to none for floats and 1 for ints);
 * - Optuna's, as `optuna ask --search-space` takes it:
 *   `{"x": {"name": "FloatDistribution", "attributes": {"low": -3, "high": 3}}}`.
 *
 * @example parseSpaceJson('{"lr": {"kind": "float", "low": 1e-5, "high": 1e-1, "log": true}}', '--space')
 */
export function parseSpaceJson(text: string, flag: string): SearchSpace {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${flag}: not valid JSON (${(e as Error).message}); give an object such as '{"x": {"kind": "float", "low": 0, "high": 1}}'`, {
      code: 'USAGE',
    });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${flag}: expected an object of parameter distributions, e.g. '{"x": {"kind": "float", "low": 0, "high": 1}}'`, { code: 'USAGE' });
  }
  const space = Object.fromEntries(Object.entries(raw).map(([name, d]) => [name, toDistribution(`${flag}.${name}`, d)]));
  validateSpace(flag, space);
  return space;
}

const OPTUNA_KINDS: Readonly<Record<string, 'float' | 'int' | 'categorical'>> = {
  FloatDistribution: 'float',
  IntDistribution: 'int',
  CategoricalDistribution: 'categorical',
};

function toDistribution(path: string, d: unknown): Distribution {
  if (typeof d !== 'object' || d === null || Array.isArray(d)) {
    throw new ConfigError(`${path}: expected a distribution object such as {"kind": "float", "low": 0, "high": 1}`, { code: 'SPACE_INVALID' });
  }
  const x = d as Record<string, unknown>;
  if (typeof x['name'] === 'string' && typeof x['attributes'] === 'object' && x['attributes'] !== null) {
    const kind = OPTUNA_KINDS[x['name']];
    if (kind === undefined) {
      throw new ConfigError(`${path}: unknown Optuna distribution "${x['name']}"; use FloatDistribution, IntDistribution or CategoricalDistribution`, {
        code: 'SPACE_INVALID',
      });
    }
    return fromFields(path, kind, x['attributes'] as Record<string, unknown>);
  }
  return fromFields(path, x['kind'], x);
}

/** Fills the defaults the constructors apply; validateSpace then checks every field with its path. */
function fromFields(path: string, kind: unknown, f: Record<string, unknown>): Distribution {
  const fail = (msg: string): never => {
    throw new ConfigError(`${path}: ${msg}`, { code: 'SPACE_INVALID' });
  };
  if (kind === 'categorical') {
    if (!Array.isArray(f['choices'])) return fail('a categorical distribution needs "choices": a non-empty array');
    return categorical(f['choices'] as never[]);
  }
  if (kind !== 'float' && kind !== 'int') return fail(`"kind" must be "float", "int" or "categorical", got ${JSON.stringify(kind)}`);
  const log = f['log'] ?? false;
  if (typeof log !== 'boolean') return fail(`"log" must be true or false, got ${JSON.stringify(log)}`);
  const step = f['step'] ?? undefined;
  const options = { log, step: step as number | undefined };
  return kind === 'float' ? float(f['low'] as number, f['high'] as number, options) : int(f['low'] as number, f['high'] as number, options);
}
