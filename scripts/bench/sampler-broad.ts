/**
 * The broad sampler benchmark (issue 15): every sampler on every problem of scripts/bench/problems/ for each seed,
 * resumable: each finished (sampler, problem, seed) run is one line of scripts/bench/broad/results/<sampler>.jsonl
 * and is skipped when the script runs again. Report: sampler-broad-report.js.
 *
 *   npx tsc -p tsconfig.json
 *   nice -n 10 node dist/scripts/bench/sampler-broad.js [--first 0] [--seeds 20] [--trials 100]
 *       [--samplers tpe,gp,random,tpe-old,optuna-tpe,optuna-mtpe,optuna-random] [--problems name,name] [--out dir]
 *
 * Samplers: `tpe` parzen's TPE default (8 Halton start-up trials), `gp` the GPSampler without output warping (its
 * default until session 23; `gp-yj` is the default now), `random`, `tpe-old` the TPE
 * default before the quasi-random start-up (10 uniform start-up trials), and Optuna 3.1's TPESampler, multivariate
 * TPESampler and RandomSampler (`optuna-…`, Debian's python3-optuna through scripts/bench/peers/optuna_ask_tell.py).
 * `auto` is not a column of its own: at budget m it is TPE with ⌈m/2⌉ ≤ 10 start-up trials (`tpe-h6` at 12, `tpe-h10`
 * from 20) or the GP (`gp-iso-h4` below 20 trials, `gp-yj` from 20; makeSampler's autoChoice), and none of those looks
 * at the budget, so the report reads its m-trial result off their runs (scripts/bench/broad/rules.ts; the `auto` rule is
 * makeSampler's choice up to session 29b, `auto-Bn03` its choice since 29c: TPE with `tiedValues: 'near'`). `--samplers auto`
 * runs, on each problem, only the column `auto` picks there at `--trials` (recorded under that column's name); so does
 * any other rule of broad/rules.ts named in `--samplers` (`auto-B`, …). `tpe-h4/h6/h10/u8/age/g10` are the TPE variants of session 22's
 * selection (docs/benchmarks/samplers.md, "The default becomes `auto`"). The parzen columns, later sessions' candidates
 * with them, are in broad/samplers.ts.
 */
import { RESULTS_DIR, type RunRecord, appendRecord, loadRecords, recordKey } from './broad/cache.js';
import { OptunaPeer, runParzen } from './broad/drivers.js';
import { PARZEN_SAMPLERS } from './broad/samplers.js';
import { RULES, ruleColumn } from './broad/rules.js';
import { PROBLEM_NAMES, loadProblems } from './problems/index.js';

export const OPTUNA_SAMPLERS = ['optuna-tpe', 'optuna-mtpe', 'optuna-random'] as const;
export const MARKS = [12, 25, 50, 100] as const;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function usage(msg: string): never {
  console.error(`sampler-broad: ${msg}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const first = Number(arg('first', '0'));
  const nSeeds = Number(arg('seeds', '20'));
  const trials = Number(arg('trials', '100'));
  if (![first, nSeeds, trials].every((v) => Number.isSafeInteger(v) && v >= 0)) usage('--first, --seeds and --trials take non-negative integers');
  const known = [...Object.keys(PARZEN_SAMPLERS), ...OPTUNA_SAMPLERS];
  const samplers = arg('samplers', known.join(',')).split(',').filter((s) => s !== '');
  for (const s of samplers) {
    if (RULES[s] === undefined && !known.includes(s)) usage(`--samplers: unknown sampler '${s}'; expected a rule of broad/rules.ts (${Object.keys(RULES).join(', ')}) or some of ${known.join(', ')}`);
  }
  const wanted = arg('problems', '').split(',').filter((s) => s !== '');
  for (const w of wanted) if (!PROBLEM_NAMES.includes(w)) usage(`--problems: unknown problem '${w}'; expected names from ${PROBLEM_NAMES.join(', ')}`);
  const problems = loadProblems(wanted);
  const marks = MARKS.filter((m) => m <= trials);
  const out = arg('out', RESULTS_DIR);
  const done = new Set(loadRecords(out).filter((r) => r.trials >= trials).map((r) => recordKey(r.sampler, r.problem, r.seed)));
  const peer = samplers.some((s) => s.startsWith('optuna-')) ? new OptunaPeer() : null;
  const total = samplers.length * problems.length * nSeeds;
  let n = 0;
  const started = Date.now();
  // Seeds outermost: a run cut short leaves every problem with the same seeds.
  for (let seed = first; seed < first + nSeeds; seed++) {
    for (const problem of problems) {
      for (const name of samplers) {
        n++;
        const sampler = ruleColumn(name, problem.space, trials, problem.when !== undefined);
        if (!(sampler in PARZEN_SAMPLERS) && !sampler.startsWith('optuna-')) usage(`--samplers: rule '${name}' picks '${sampler}' on ${problem.name}, which is no column of broad/samplers.ts`);
        if (done.has(recordKey(sampler, problem.name, seed))) continue;
        const t0 = performance.now();
        const curve = sampler.startsWith('optuna-')
          ? await (peer as OptunaPeer).run(sampler.slice('optuna-'.length), problem, seed, trials, marks)
          : runParzen(PARZEN_SAMPLERS[sampler](seed, problem), problem, seed, trials, marks);
        const rec: RunRecord = { sampler, problem: problem.name, seed, trials, curve, seconds: +((performance.now() - t0) / 1000).toFixed(3) };
        appendRecord(rec, out);
        done.add(recordKey(sampler, problem.name, seed));
      }
    }
    console.error(`seed ${seed} done: ${n}/${total} runs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  peer?.close();
}

try {
  await main();
} catch (e) {
  console.error(`sampler-broad: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
