import { hostname } from 'node:os';
import { toTrialError } from '../../errors.js';
import type { FrozenTrial } from '../../core/frozen.js';
import { studySeed } from '../../core/system-attrs.js';
import { makeSampler } from '../../samplers/make.js';
import type { SamplerName } from '../../samplers/names.js';
import type { SearchSpace } from '../../space/distributions.js';
import { parseSpaceJson } from '../../space/space-json.js';
import type { Storage } from '../../storage/storage.js';
import { loadStudy } from '../../study/create.js';
import { formatNumber, trialToJson } from '../format.js';
import { print, printJson, usage, withCommandStorage } from './shared.js';

/**
 * `tune ask` and `tune tell`: Optuna's ask-and-tell from the shell, for objectives that run outside parzen.
 * `ask` starts a trial and prints `{"number": …, "params": {…}}`; the caller evaluates it and reports the result
 * with `tell`. An asked trial stays RUNNING until told; note that a `tune` run on the same study treats a RUNNING
 * trial without heartbeats as orphaned after two minutes.
 */

interface StoreArgs {
  readonly storage?: string;
  readonly config?: string;
}

export async function askCommand(a: StoreArgs & { study: string; space?: string; sampler: SamplerName; seed?: number }): Promise<void> {
  const given = a.space === undefined ? undefined : parseSpaceJson(a.space, '--space');
  await withCommandStorage(a, async (storage) => {
    const info = await storage.getStudy(a.study);
    const space = given ?? spaceOfTrials(a.study, await storage.getAllTrials(info.studyId));
    const seed = a.seed ?? studySeed(info) ?? Math.floor(Math.random() * 2 ** 31);
    // Constant liar: trials asked and not yet told count as running, so back-to-back asks spread out.
    const sampler = makeSampler(a.sampler, { seed, space, constantLiar: true });
    const study = await loadStudy({ name: a.study, storage, sampler });
    const trial = await study.ask({ worker: `tune ask@${hostname()}`, seed });
    try {
      for (const [name, d] of Object.entries(space)) trial.suggest(name, d);
      await trial.flush();
    } catch (e) {
      // Never leave a RUNNING trial behind for a question that could not be asked.
      await storage.finishTrial(trial.trialId, { state: 'FAIL', error: toTrialError(e) });
      throw e;
    }
    printJson({ number: trial.number, params: trial.params });
  }, { access: 'write' });
}

/**
 * Without --space: the parameters of the study's trials, each with its latest distribution (a study run by
 * `tune`, or told before, already has them).
 */
function spaceOfTrials(studyName: string, trials: readonly FrozenTrial[]): SearchSpace {
  const space: Record<string, FrozenTrial['distributions'][string]> = {};
  for (const t of trials) Object.assign(space, t.distributions);
  if (Object.keys(space).length === 0) {
    throw usage(
      `--space: study '${studyName}' has no trials to take the search space from; give it as JSON, ` +
        `e.g. --space '{"x": {"kind": "float", "low": -3, "high": 3}, "act": {"kind": "categorical", "choices": ["relu", "gelu"]}}'`,
    );
  }
  return space;
}

type TellState = 'COMPLETE' | 'PRUNED' | 'FAIL';

export async function tellCommand(
  a: StoreArgs & { study: string; trial: number; value?: string; state?: TellState; skipIfFinished: boolean; json: boolean },
): Promise<void> {
  const value = a.value === undefined ? undefined : parseValue(a.value);
  const state: TellState = a.state ?? (value !== undefined ? 'COMPLETE' : missingOutcome());
  if (state === 'COMPLETE' && value === undefined) throw usage('--state COMPLETE needs --value <objective value>');
  if (state === 'FAIL' && value !== undefined) throw usage('--state FAIL takes no --value; a trial with a value is told COMPLETE (or PRUNED)');
  await withCommandStorage(a, async (storage) => {
    const trial = await findTrial(storage, a.study, a.trial);
    if (trial.state === 'COMPLETE' || trial.state === 'PRUNED' || trial.state === 'FAIL') {
      const was = `trial ${a.trial} of study '${a.study}' is already ${trial.state}${trial.value === null ? '' : ` (value ${formatNumber(trial.value)})`}`;
      if (a.skipIfFinished) return print(`${was}; left as it is (--skip-if-finished)`);
      throw usage(`${was}, and finished trials do not change; nothing was written (pass --skip-if-finished to make this a no-op)`);
    }
    const done = await storage.finishTrial(trial.trialId, { state, value: state === 'FAIL' ? null : value });
    if (a.json) return printJson(trialToJson(done));
    print(`trial ${done.number} of study '${a.study}': ${done.state}${done.value === null ? '' : `, value ${formatNumber(done.value)}`}`);
  }, { access: 'write' });
}

function missingOutcome(): never {
  throw usage('tell needs the outcome: --value <objective value> (COMPLETE), or --state PRUNED or --state FAIL');
}

/** A finite number, or ±Infinity spelled inf/Infinity; NaN is not a result (a failed evaluation is --state FAIL). */
function parseValue(text: string): number {
  const t = text.trim().toLowerCase();
  const v = /^[+-]?inf(inity)?$/.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : t === '' ? NaN : Number(t);
  if (Number.isNaN(v)) {
    throw usage(`--value must be a number (inf and -inf allowed), got '${text}'; an evaluation that failed is told with --state FAIL`);
  }
  return v;
}

async function findTrial(storage: Storage, studyName: string, number: number): Promise<FrozenTrial> {
  const study = await storage.getStudy(studyName);
  const trial = await storage.findTrialByNumber(study.studyId, number);
  if (trial !== undefined) return trial;
  const n = (await storage.getAllTrials(study.studyId)).length;
  throw usage(`--trial: study '${studyName}' has no trial ${number} (${n === 0 ? 'it has no trials yet' : `its trials are 0–${n - 1}`}); ask one with \`tune ask --study ${studyName}\``);
}
