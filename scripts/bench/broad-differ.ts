/**
 * Which runs of the broad benchmark differ (docs/benchmarks/samplers.md, "Session 29"). Two uses:
 *
 *   node dist/scripts/bench/broad-differ.js --columns auto,auto-B [--marks 12,100] [--first 0 --seeds 20]
 *     per problem and mark, the (problem, seed) runs whose best differs between two columns (rules of broad/rules.ts
 *     read the run of the column they pick), and how many of them are lower / higher under the second column;
 *   node dist/scripts/bench/broad-differ.js --rerun /tmp/s29-same
 *     every run in a scratch results directory against the stored run of the same sampler, problem and seed, at
 *     every mark both reached: the check that stored results are the same code's before they are reused.
 */
import { type RunRecord, loadRecords } from './broad/cache.js';
import { ruleColumn } from './broad/rules.js';
import { loadProblems } from './problems/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function usage(msg: string): never {
  console.error(`broad-differ: ${msg}`);
  process.exit(2);
}

/** Value at `mark` of the first stored run of (sampler, problem, seed) that reached it. */
function indexed(records: readonly RunRecord[]): (sampler: string, problem: string, seed: number, mark: number) => number | undefined {
  const by = new Map<string, RunRecord[]>();
  for (const r of records) {
    const k = `${r.sampler}\u0000${r.problem}\u0000${r.seed}`;
    by.set(k, [...(by.get(k) ?? []), r]);
  }
  return (s, p, seed, mark) => by.get(`${s}\u0000${p}\u0000${seed}`)?.find((r) => r.trials >= mark)?.curve[String(mark)];
}

function rerun(dir: string): void {
  const stored = indexed(loadRecords());
  let compared = 0;
  let differ = 0;
  let missing = 0;
  for (const r of loadRecords(dir)) {
    for (const [m, v] of Object.entries(r.curve)) {
      const s = stored(r.sampler, r.problem, r.seed, Number(m));
      if (s === undefined) {
        missing++;
        continue;
      }
      compared++;
      if (s !== v) {
        differ++;
        console.log(`differs: ${r.sampler} ${r.problem} seed ${r.seed} @${m}: ${v} (rerun) vs ${s} (stored)`);
      }
    }
  }
  console.log(`${compared} (run, mark) values compared, ${differ} differ; ${missing} with no stored run to compare`);
}

function columns(pair: string): void {
  const [a, b] = pair.split(',');
  if (a === undefined || b === undefined) usage(`--columns: expected two names, got '${pair}'`);
  const marks = arg('marks', '12,100').split(',').map(Number);
  const first = Number(arg('first', '0'));
  const nSeeds = Number(arg('seeds', '20'));
  if (![first, nSeeds, ...marks].every((v) => Number.isSafeInteger(v) && v >= 0)) usage('--marks, --first and --seeds take non-negative integers');
  const value = indexed(loadRecords());
  for (const p of loadProblems([], { skipUnrecorded: true })) {
    const parts: string[] = [];
    for (const mark of marks) {
      const [ca, cb] = [a, b].map((c) => ruleColumn(c, p.space, mark, p.when !== undefined));
      let n = 0;
      let lower = 0;
      let higher = 0;
      let both = 0;
      for (let seed = first; seed < first + nSeeds; seed++) {
        const [va, vb] = [value(ca, p.name, seed, mark), value(cb, p.name, seed, mark)];
        if (va === undefined || vb === undefined) continue;
        both++;
        if (va === vb) continue;
        n++;
        if (vb < va) lower++;
        else higher++;
      }
      if (both > 0) parts.push(`@${mark} ${ca} vs ${cb}: ${n} of ${both} differ (${lower} lower, ${higher} higher under ${b})`);
    }
    if (parts.length > 0) console.log(`${p.name}: ${parts.join('; ')}`);
  }
}

const dir = arg('rerun', '');
const pair = arg('columns', '');
if ((dir === '') === (pair === '')) usage('give either --rerun <results dir> or --columns a,b');
if (dir !== '') rerun(dir);
else columns(pair);
