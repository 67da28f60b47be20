import { ConfigError } from '../errors.js';
import { BASELINE_FORMAT, type Baseline } from './format.js';

/**
 * Checks a parsed baseline file field by field: every field `tune train` reads, so a hand-edited or truncated
 * file fails here with the field's path and the fix, not later inside full training. Fields train does not read
 * (metric, params, exportedAt, …) are left as they are.
 */
export function checkBaseline(value: unknown, file: string): Baseline & { readonly subsystem: string } {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(`baseline ${file}: "${field}" ${problem}; fix the field, or write the file again with \`tune export-baseline --study <name> --out ${file}\``);
  };
  if (!isRecord(value)) fail('(top level)', `must be a JSON object, got ${describe(value)}`);
  const b = value as Record<string, unknown>;
  if (b['parzenBaseline'] !== BASELINE_FORMAT) {
    fail('parzenBaseline', `must be ${BASELINE_FORMAT} (the baseline format), got ${describe(b['parzenBaseline'])}: this is not a parzen baseline, or one of another version`);
  }
  if ((b['subsystem'] === null || b['subsystem'] === undefined) && typeof b['objective'] === 'string') {
    throw new ConfigError(`baseline ${file} has no "subsystem"; full training runs parzen subsystems (this baseline came from an --objective study)`);
  }
  if (!isName(b['subsystem'])) fail('subsystem', `must name a subsystem, e.g. "optimizer"; got ${describe(b['subsystem'])}`);
  checkConfig(b['config'], fail);
  checkProvenance(b['provenance'], fail);
  return value as unknown as Baseline & { readonly subsystem: string };
}

type Fail = (field: string, problem: string) => never;

function checkConfig(config: unknown, fail: Fail): void {
  if (!isRecord(config)) fail('config', `must be an object of hyperparameters, e.g. { "learning_rate": 0.001, "epochs": 20 }; got ${describe(config)}`);
  for (const [key, v] of Object.entries(config as Record<string, unknown>)) {
    if (v !== null && typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
      fail(`config.${key}`, `must be a number, string, boolean or null; got ${describe(v)}`);
    }
  }
}

function checkProvenance(p: unknown, fail: Fail): void {
  if (!isRecord(p)) fail('provenance', `must be the object export-baseline writes (study, trialNumber, seed, objectiveSeed, …); got ${describe(p)}`);
  const prov = p as Record<string, unknown>;
  if (!isName(prov['study'])) fail('provenance.study', `must name the study the baseline came from; got ${describe(prov['study'])}`);
  const n = prov['trialNumber'];
  if (!Number.isSafeInteger(n) || (n as number) < 0) fail('provenance.trialNumber', `must be the trial's number (an integer ≥ 0); got ${describe(n)}`);
  for (const key of ['seed', 'objectiveSeed'] as const) {
    const v = prov[key];
    if (v !== null && !Number.isSafeInteger(v)) fail(`provenance.${key}`, `must be an integer, or null when the study had none; got ${describe(v)}`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isName = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
