/**
 * Tables of the broad sampler benchmark from its results (scripts/bench/broad/results/*.jsonl, written by
 * sampler-broad.js): per problem and mark the mean best value of every sampler; per part (selection, held-out) the
 * mean normalised regret, average rank and win counts with 95% bootstrap intervals; the default choice by the rule
 * stated in docs/benchmarks/samplers.md, made on the selection part only.
 *
 *   node dist/scripts/bench/sampler-broad-report.js [--part select|holdout|all] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { autoSamplerName } from '../../src/samplers/make.js';
import { Rng } from '../../src/util/rng.js';
import { loadRecords } from './broad/cache.js';
import { type Interval, bootstrap, differenceInterval, mean, normalisedRegret, ranks, resampledMean, verdict } from './broad/stats.js';
import { type Problem, loadProblems } from './problems/index.js';

const MARKS = [12, 25, 50, 100];
/** Columns: parzen's TPE default, GP and auto, the TPE default before the Halton start-up, random; Optuna 3.1's three. */
const COLUMNS = ['tpe', 'gp', 'auto', 'tpe-old', 'random', 'optuna-tpe', 'optuna-mtpe', 'optuna-random'];
const CANDIDATES = ['tpe', 'auto', 'gp'];
/** A problem enters the report once these have run on it (on the same seeds); the other columns join where they have run on those seeds. */
const REQUIRED = ['tpe', 'gp', 'random', 'optuna-tpe'];

/** problem → column → mark → best value per seed (seeds common to every column, in order). */
type Data = Map<string, Record<string, Record<number, number[]>>>;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function collect(problems: readonly Problem[]): { data: Data; seeds: Map<string, number[]> } {
  const bySampler = new Map<string, Map<number, Record<string, number>>>();
  for (const r of loadRecords()) {
    const key = `${r.problem}\u0000${r.sampler}`;
    if (!bySampler.has(key)) bySampler.set(key, new Map());
    bySampler.get(key)?.set(r.seed, r.curve);
  }
  const data: Data = new Map();
  const seeds = new Map<string, number[]>();
  const run = COLUMNS.filter((c) => c !== 'auto');
  const complete = (m: Map<number, Record<string, number>>, seed: number): boolean => m.has(seed) && MARKS.every((k) => String(k) in (m.get(seed) ?? {}));
  for (const p of problems) {
    const maps = new Map(run.map((s) => [s, bySampler.get(`${p.name}\u0000${s}`) ?? new Map<number, Record<string, number>>()]));
    const first = maps.get(REQUIRED[0]) as Map<number, Record<string, number>>;
    const common = [...first.keys()].filter((seed) => REQUIRED.every((r) => complete(maps.get(r) as Map<number, Record<string, number>>, seed))).sort((a, b) => a - b);
    if (common.length === 0) continue;
    const cols: Record<string, Record<number, number[]>> = {};
    for (const [s, m] of maps) {
      if (common.every((seed) => complete(m, seed))) cols[s] = Object.fromEntries(MARKS.map((k) => [k, common.map((seed) => (m.get(seed) as Record<string, number>)[String(k)])]));
    }
    // auto at budget m is whichever sampler makeSampler('auto') builds for m trials over this space.
    cols.auto = Object.fromEntries(MARKS.map((m) => [m, cols[autoSamplerName(p.space, m)][m]]));
    data.set(p.name, cols);
    seeds.set(p.name, common);
  }
  return { data, seeds };
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : Math.abs(v) >= 0.01 ? v.toFixed(4) : v.toExponential(2));
const fmtI = (i: Interval): string => `${fmt(i.estimate)} [${fmt(i.low)}, ${fmt(i.high)}]`;

interface Summary {
  readonly regret: Record<string, number>;
  readonly rank: Record<string, number>;
  /** Candidate − tpe in mean normalised regret, 95% bootstrap interval (seeds resampled within each problem). */
  readonly vsTpe: Record<string, Interval>;
}

function summarise(problems: readonly Problem[], data: Data, mark: number, columns: readonly string[]): Summary {
  const regretOf = (p: Problem, c: string, means: (col: string) => number): number => normalisedRegret(means(c), means('random'), p.optimum);
  const regret: Record<string, number> = {};
  const rankSum: Record<string, number> = Object.fromEntries(columns.map((c) => [c, 0]));
  for (const c of columns) regret[c] = mean(problems.map((p) => regretOf(p, c, (col) => mean(data.get(p.name)?.[col][mark] ?? []))));
  for (const p of problems) {
    const r = ranks(columns.map((c) => mean(data.get(p.name)?.[c][mark] ?? [])));
    columns.forEach((c, i) => (rankSum[c] += r[i]));
  }
  const vsTpe: Record<string, Interval> = {};
  for (const c of columns.filter((x) => x !== 'tpe' && x !== 'random' && x !== 'optuna-random')) {
    const stat = (rng: Rng): number => mean(problems.map((p) => {
      const cols = data.get(p.name) as Record<string, Record<number, number[]>>;
      // auto shares its draws with the sampler it picks, so it is resampled together with it.
      const a = resampledMean(cols[c][mark], rng);
      const b = c === 'auto' && autoSamplerName(p.space, mark) === 'tpe' ? a : resampledMean(cols.tpe[mark], rng);
      const rnd = mean(cols.random[mark]);
      return normalisedRegret(a, rnd, p.optimum) - normalisedRegret(b, rnd, p.optimum);
    }));
    vsTpe[c] = bootstrap(stat, regret[c] - regret.tpe);
  }
  return { regret, rank: Object.fromEntries(columns.map((c) => [c, rankSum[c] / problems.length])), vsTpe };
}

function perProblemTable(problems: readonly Problem[], data: Data, seeds: Map<string, number[]>, mark: number, columns: readonly string[]): void {
  console.log(`\n#### Mean best value after ${mark} trials (noiseless value of the incumbent; lower is better)\n`);
  console.log(`| problem | family | seeds | f* | ${columns.join(' | ')} | default − optuna-tpe [95% CI] | default vs random |`);
  console.log(`|---|---|---:|---:|${columns.map(() => '---:').join('|')}|---|---|`);
  for (const p of problems) {
    const cols = data.get(p.name) as Record<string, Record<number, number[]>>;
    const dOpt = differenceInterval(cols[DEFAULT][mark], cols['optuna-tpe'][mark]);
    const dRnd = differenceInterval(cols[DEFAULT][mark], cols.random[mark]);
    console.log(`| ${p.name} | ${p.family} | ${seeds.get(p.name)?.length} | ${fmt(p.optimum)} | ${columns.map((c) => fmt(mean(cols[c][mark]))).join(' | ')} | ${fmtI(dOpt)} ${verdict(dOpt)} | ${verdict(dRnd)} |`);
  }
}

/** The default the selection rule picks (set by --default after the choice; the rule itself is printed by the selection part). */
const DEFAULT = arg('default', 'tpe');

function partReport(label: string, problems: readonly Problem[], data: Data, seeds: Map<string, number[]>, json: Record<string, unknown>): void {
  console.log(`\n### ${label}: ${problems.length} problems (${problems.map((p) => p.name).join(', ')})`);
  const out: Record<string, unknown> = {};
  const columns = COLUMNS.filter((c) => problems.every((p) => data.get(p.name)?.[c] !== undefined));
  const left = COLUMNS.filter((c) => !columns.includes(c));
  if (left.length > 0) console.log(`\n(not yet run on every problem of this part on the same seeds, so left out: ${left.join(', ')})`);
  for (const mark of MARKS) {
    const s = summarise(problems, data, mark, columns);
    const asGood = (c: string, peer: string): number => problems.filter((p) => mean(data.get(p.name)?.[c][mark] ?? []) <= mean(data.get(p.name)?.[peer][mark] ?? [])).length;
    const sig = (c: string, peer: string, v: 'better' | 'worse'): number => problems.filter((p) => verdict(differenceInterval(data.get(p.name)?.[c][mark] ?? [], data.get(p.name)?.[peer][mark] ?? [])) === v).length;
    console.log(`\n| sampler @${mark} | mean norm. regret | avg rank (of ${columns.length}) | − tpe in norm. regret [95% CI] | ≤ optuna-tpe (mean) | better / worse than optuna-tpe (CI) | < random (mean) | better / worse than random (CI) |`);
    console.log('|---|---:|---:|---|---|---|---|---|');
    for (const c of columns) {
      const d = s.vsTpe[c];
      console.log(`| ${c} | ${s.regret[c].toFixed(3)} | ${s.rank[c].toFixed(2)} | ${d === undefined ? '–' : `${d.estimate.toFixed(3)} [${d.low.toFixed(3)}, ${d.high.toFixed(3)}]`} | ${asGood(c, 'optuna-tpe')}/${problems.length} | ${sig(c, 'optuna-tpe', 'better')} / ${sig(c, 'optuna-tpe', 'worse')} | ${problems.filter((p) => mean(data.get(p.name)?.[c][mark] ?? []) < mean(data.get(p.name)?.random[mark] ?? [])).length}/${problems.length} | ${sig(c, 'random', 'better')} / ${sig(c, 'random', 'worse')} |`);
    }
    out[mark] = s;
  }
  for (const mark of MARKS) perProblemTable(problems, data, seeds, mark, columns);
  json[label] = out;
}

/**
 * The rule, fixed before the selection part was looked at: the candidate with the lowest mean normalised regret over
 * the four marks on the selection part replaces the TPE default only if its 95% interval against TPE lies below 0
 * at one mark or more and above 0 at none.
 */
function choose(problems: readonly Problem[], data: Data): string {
  const per = Object.fromEntries(MARKS.map((m) => [m, summarise(problems, data, m, [...CANDIDATES, 'random'])]));
  const score = (c: string): number => mean(MARKS.map((m) => per[m].regret[c]));
  const best = [...CANDIDATES].sort((a, b) => score(a) - score(b))[0];
  console.log(`\nSelection part, mean normalised regret over marks ${MARKS.join('/')}: ${CANDIDATES.map((c) => `${c} ${score(c).toFixed(3)}`).join(', ')}`);
  if (best === 'tpe') return 'tpe';
  const ivs = MARKS.map((m) => per[m].vsTpe[best]);
  const chosen = ivs.some((i) => i.high < 0) && !ivs.some((i) => i.low > 0) ? best : 'tpe';
  console.log(`${best} − tpe per mark: ${ivs.map((i, k) => `@${MARKS[k]} ${i.estimate.toFixed(3)} [${i.low.toFixed(3)}, ${i.high.toFixed(3)}]`).join('; ')} → default: ${chosen}`);
  return chosen;
}

function main(): void {
  const problems = loadProblems([], { skipUnrecorded: true });
  const { data, seeds } = collect(problems);
  const have = problems.filter((p) => data.has(p.name));
  const missing = problems.filter((p) => !data.has(p.name)).map((p) => p.name);
  const part = arg('part', 'all');
  const json: Record<string, unknown> = {};
  const nSeeds = [...seeds.values()].map((s) => s.length);
  console.log(`${have.length} problems with results (missing: ${missing.join(', ') || 'none'}); seeds per problem ${Math.min(...nSeeds)}–${Math.max(...nSeeds)}; default column: ${DEFAULT}`);
  const select = have.filter((p) => p.split === 'select');
  const holdout = have.filter((p) => p.split === 'holdout');
  json.choice = choose(select, data);
  if (part === 'select' || part === 'all') partReport('Selection part', select, data, seeds, json);
  if (part === 'holdout' || part === 'all') partReport('Held-out part', holdout, data, seeds, json);
  const out = arg('json', '');
  if (out !== '') writeFileSync(out, JSON.stringify(json, null, 1));
}

main();
