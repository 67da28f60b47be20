/**
 * Tables of the broad sampler benchmark from its results (scripts/bench/broad/results/*.jsonl, written by
 * sampler-broad.js): per problem and mark the mean best value of every sampler; per part (selection, held-out) the
 * mean normalised regret, average rank and win counts with 95% bootstrap intervals; the default chosen on the
 * selection part only, by the rule in `choose` (stated in docs/benchmarks/samplers.md before the runs).
 *
 *   node dist/scripts/bench/sampler-broad-report.js [--part select|holdout|all] [--default tpe|auto] [--extra col,col]
 *       [--json out.json] [--list] [--vs-random] [--replace candidate:incumbent]
 *       [--first 0 --seeds 50] [--random sampled|exact] [--power 0.1 --plan 50] [--marks 12,100] [--against 0:50]
 *       [--accept a,b:incumbent] [--versus incumbent]
 *
 * `--extra`: more columns and candidates — variants run by sampler-broad.js, or rules of broad/rules.ts.
 * `--replace auto-yj:auto`: session 23's rule for replacing a default, on the selection part (`replaceDefault`).
 * `--accept auto-A,auto-B:auto`: session 29's declared acceptance rule on the selection part (`acceptRule`), at
 * `--marks` (default 12,100) on the seeds of `--first/--seeds`.
 * `--vs-random`: the default against random search on every seed both reached (more seeds than the peers ran);
 * `--first f --seeds n` keep seeds f … f+n−1 only, `--random exact` takes random search's exact expected best on the
 * lookup tables (broad/cell-probabilities.ts) instead of its runs. `--power 0.1 [--plan 50]`: seeds needed to detect
 * a gain of 10% of random search's regret, and the gain `--plan` seeds detect (session 28's protocol); `--marks`: only these.
 * `--against 0:50`: the default's and random search's means on the `--first/--seeds` range against those on seeds 0–49.
 * `--versus auto`: the default (`--default X`) against that column per problem and mark on the same seed range
 * (session 29's held-out condition: X − auto entirely above 0 nowhere).
 *
 * Each mark uses the seeds every required sampler has reached it on (a 12-trial run counts at 12 only), so the
 * 100-trial columns may rest on fewer seeds than the 12-trial ones; the seed counts are printed.
 */
import { writeFileSync } from 'node:fs';
import type { Rng } from '../../src/util/rng.js';
import { type RunRecord, loadRecords } from './broad/cache.js';
import { ruleColumn } from './broad/rules.js';
import { type Interval, bootstrap, differenceInterval, mean, normalisedRegret, ranks, resampledMean, verdict } from './broad/stats.js';
import { consistencyTable, powerTable, versusColumn, versusRandom } from './broad/versus-random.js';
import { type Problem, loadProblems } from './problems/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const MARKS = [12, 25, 50, 100];
/** parzen's TPE default, GP and auto, the TPE default before the Halton start-up, random; Optuna 3.1's three. */
const BASE_COLUMNS = ['tpe', 'gp', 'auto', 'tpe-old', 'random', 'optuna-tpe', 'optuna-mtpe', 'optuna-random'];
/** `--extra a,b`: more columns (benchmark variants, or rules of broad/rules.ts), also candidates of the choice. */
const EXTRA = arg('extra', '').split(',').filter((c) => c !== '');
const COLUMNS = [...BASE_COLUMNS, ...EXTRA.filter((c) => !BASE_COLUMNS.includes(c))];
const ALL_CANDIDATES = ['tpe', 'auto', 'gp', ...EXTRA.filter((c) => !['tpe', 'auto', 'gp'].includes(c))];
/** A problem enters a mark's tables once these reached the mark on the same seeds; other columns join where they did too. */
const REQUIRED = ['tpe', 'gp', 'random', 'optuna-tpe'];

/** Best value per seed (the cell's seeds, in order) for each column present. */
type Cell = { readonly seeds: number[]; readonly cols: Record<string, number[]> };
/** problem → mark → cell. */
type Data = Map<string, Map<number, Cell>>;

function collect(problems: readonly Problem[], records: readonly RunRecord[], required: readonly string[] = REQUIRED): Data {
  // (problem, sampler) → seed → its runs. A mark is read off the shortest run that reached it: a sampler that
  // fits itself to the budget is run once per budget, and for any other the runs agree (seeded, deterministic).
  const runs = new Map<string, Map<number, RunRecord[]>>();
  for (const r of records) {
    const key = `${r.problem}\u0000${r.sampler}`;
    const m = runs.get(key) ?? new Map<number, RunRecord[]>();
    m.set(r.seed, [...(m.get(r.seed) ?? []), r].sort((a, b) => a.trials - b.trials));
    runs.set(key, m);
  }
  const data: Data = new Map();
  for (const p of problems) {
    const byMark = new Map<number, Cell>();
    for (const mark of MARKS) {
      const at = (s: string, seed: number): number | undefined => {
        const base = ruleColumn(s, p.space, mark, p.when !== undefined);
        return runs.get(`${p.name}\u0000${base}`)?.get(seed)?.find((r) => r.trials >= mark)?.curve[String(mark)];
      };
      const candidates = [...(runs.get(`${p.name}\u0000${required[0]}`)?.keys() ?? [])];
      const seeds = candidates.filter((seed) => required.every((s) => at(s, seed) !== undefined)).sort((a, b) => a - b);
      if (seeds.length === 0) continue;
      const cols: Record<string, number[]> = {};
      // auto (and every rule of broad/rules.ts) at budget m is read off the runs of the sampler it builds for m trials.
      for (const s of COLUMNS) if (seeds.every((seed) => at(s, seed) !== undefined)) cols[s] = seeds.map((seed) => at(s, seed) as number);
      byMark.set(mark, { seeds, cols });
    }
    data.set(p.name, byMark);
  }
  return data;
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : Math.abs(v) >= 0.01 ? v.toFixed(4) : v === 0 ? '0' : v.toExponential(2));
const fmtI = (i: Interval): string => `${fmt(i.estimate)} [${fmt(i.low)}, ${fmt(i.high)}]`;
const cellOf = (data: Data, p: Problem, mark: number): Cell => data.get(p.name)?.get(mark) as Cell;

interface Summary {
  readonly regret: Record<string, number>;
  readonly rank: Record<string, number>;
  /** Column − tpe in mean normalised regret, 95% bootstrap interval (seeds resampled within each problem). */
  readonly vsTpe: Record<string, Interval>;
}

function summarise(problems: readonly Problem[], data: Data, mark: number, columns: readonly string[]): Summary {
  const regret: Record<string, number> = {};
  const rank: Record<string, number> = Object.fromEntries(columns.map((c) => [c, 0]));
  for (const c of columns) {
    regret[c] = mean(problems.map((p) => {
      const cell = cellOf(data, p, mark);
      return normalisedRegret(mean(cell.cols[c]), mean(cell.cols.random), p.optimum);
    }));
  }
  for (const p of problems) {
    const r = ranks(columns.map((c) => mean(cellOf(data, p, mark).cols[c])));
    columns.forEach((c, i) => (rank[c] += r[i] / problems.length));
  }
  const vsTpe: Record<string, Interval> = {};
  for (const c of columns.filter((x) => x !== 'tpe' && x !== 'random' && x !== 'optuna-random')) {
    const stat = (rng: Rng): number => mean(problems.map((p) => {
      const { cols } = cellOf(data, p, mark);
      const a = resampledMean(cols[c], rng);
      // auto shares its draws with the sampler it picks, so it is resampled together with it.
      const b = ruleColumn(c, p.space, mark, p.when !== undefined) === 'tpe' ? a : resampledMean(cols.tpe, rng);
      const rnd = mean(cols.random);
      return normalisedRegret(a, rnd, p.optimum) - normalisedRegret(b, rnd, p.optimum);
    }));
    vsTpe[c] = bootstrap(stat, regret[c] - regret.tpe);
  }
  return { regret, rank, vsTpe };
}

function perProblemTable(problems: readonly Problem[], data: Data, mark: number, columns: readonly string[], def: string): void {
  console.log(`\n#### Mean best value after ${mark} trials (noiseless value of the incumbent; lower is better)\n`);
  console.log(`| problem | family | seeds | f* | ${columns.join(' | ')} | ${def} − optuna-tpe [95% CI] | ${def} vs random |`);
  console.log(`|---|---|---:|---:|${columns.map(() => '---:').join('|')}|---|---|`);
  for (const p of problems) {
    const { seeds, cols } = cellOf(data, p, mark);
    const dOpt = differenceInterval(cols[def], cols['optuna-tpe']);
    const dRnd = differenceInterval(cols[def], cols.random);
    console.log(`| ${p.name} | ${p.family} | ${seeds.length} | ${fmt(p.optimum)} | ${columns.map((c) => fmt(mean(cols[c]))).join(' | ')} | ${fmtI(dOpt)} ${verdict(dOpt)} | ${verdict(dRnd)} |`);
  }
}

function summaryTable(problems: readonly Problem[], data: Data, mark: number, columns: readonly string[]): Summary {
  const s = summarise(problems, data, mark, columns);
  const means = (p: Problem, c: string): number => mean(cellOf(data, p, mark).cols[c]);
  const count = (f: (p: Problem) => boolean): number => problems.filter(f).length;
  const sig = (c: string, peer: string, v: 'better' | 'worse'): number => count((p) => verdict(differenceInterval(cellOf(data, p, mark).cols[c], cellOf(data, p, mark).cols[peer])) === v);
  const n = problems.length;
  const nSeeds = problems.map((p) => cellOf(data, p, mark).seeds.length);
  console.log(`\n| sampler @${mark} (${n} problems, ${Math.min(...nSeeds)}–${Math.max(...nSeeds)} seeds) | mean norm. regret | avg rank (of ${columns.length}) | − tpe in norm. regret [95% CI] | ≤ optuna-tpe (mean) | better / worse than optuna-tpe (CI) | < random (mean) | better / worse than random (CI) |`);
  console.log('|---|---:|---:|---|---|---|---|---|');
  for (const c of columns) {
    const d = s.vsTpe[c];
    const iv = d === undefined ? '–' : `${d.estimate.toFixed(3)} [${d.low.toFixed(3)}, ${d.high.toFixed(3)}]`;
    console.log(`| ${c} | ${s.regret[c].toFixed(3)} | ${s.rank[c].toFixed(2)} | ${iv} | ${count((p) => means(p, c) <= means(p, 'optuna-tpe'))}/${n} | ${sig(c, 'optuna-tpe', 'better')} / ${sig(c, 'optuna-tpe', 'worse')} | ${count((p) => means(p, c) < means(p, 'random'))}/${n} | ${sig(c, 'random', 'better')} / ${sig(c, 'random', 'worse')} |`);
  }
  return s;
}

function partReport(label: string, part: readonly Problem[], data: Data, def: string, json: Record<string, unknown>): void {
  console.log(`\n### ${label}`);
  const out: Record<string, unknown> = {};
  const perMark = MARKS.map((mark) => {
    const problems = part.filter((p) => data.get(p.name)?.has(mark) === true);
    const columns = COLUMNS.filter((c) => problems.every((p) => cellOf(data, p, mark).cols[c] !== undefined));
    return { mark, problems, columns };
  });
  for (const { mark, problems, columns } of perMark) {
    if (problems.length === 0) continue;
    const left = COLUMNS.filter((c) => !columns.includes(c));
    const missing = part.filter((p) => !problems.includes(p)).map((p) => p.name);
    if (left.length > 0 || missing.length > 0) console.log(`\n@${mark}: ${missing.length > 0 ? `no results yet for ${missing.join(', ')}; ` : ''}${left.length > 0 ? `left out (not run on every problem's seeds): ${left.join(', ')}` : ''}`);
    out[mark] = summaryTable(problems, data, mark, columns);
  }
  for (const { mark, problems, columns } of perMark) if (problems.length > 0) perProblemTable(problems, data, mark, columns, def);
  json[label] = out;
}

/**
 * The rule, fixed before the runs: on the selection part, the candidate (tpe, auto, gp) with the lowest mean
 * normalised regret averaged over the four marks replaces the TPE default only if its 95% interval against TPE lies
 * below 0 at one mark or more and above 0 at none.
 */
function choose(problems: readonly Problem[], data: Data): string {
  const marks = MARKS.filter((m) => problems.some((p) => data.get(p.name)?.has(m) === true));
  // Candidates run on fewer seeds than tpe, gp and random (session 23's, on seeds 0–9) are judged by --replace instead.
  // Problems without tpe/gp/random runs at a mark (the tables of session 29b) are not part of that mark's choice.
  const complete = (c: string): boolean => marks.every((m) => problems.filter((p) => data.get(p.name)?.has(m) === true).every((p) => data.get(p.name)?.get(m)?.cols[c] !== undefined));
  const CANDIDATES = ALL_CANDIDATES.filter(complete);
  const per = new Map(marks.map((m) => [m, summarise(problems.filter((p) => data.get(p.name)?.has(m) === true), data, m, [...CANDIDATES, 'random'])]));
  const score = (c: string): number => mean(marks.map((m) => per.get(m)?.regret[c] as number));
  const best = [...CANDIDATES].sort((a, b) => score(a) - score(b))[0];
  const seeds = marks.map((m) => problems.filter((p) => data.get(p.name)?.has(m) === true).map((p) => data.get(p.name)?.get(m)?.seeds.length as number));
  console.log(`\nSelection part (problems × seeds per mark: ${marks.map((m, k) => `@${m} ${seeds[k].length} × ${Math.min(...seeds[k])}–${Math.max(...seeds[k])}`).join(', ')}), mean normalised regret averaged over the marks: ${CANDIDATES.map((c) => `${c} ${score(c).toFixed(3)}`).join(', ')}`);
  for (const m of marks) {
    const sm = per.get(m) as Summary;
    console.log(`  @${m}: ${CANDIDATES.map((c) => `${c} ${sm.regret[c].toFixed(3)}${c === 'tpe' ? '' : ` (− tpe ${sm.vsTpe[c].estimate.toFixed(3)} [${sm.vsTpe[c].low.toFixed(3)}, ${sm.vsTpe[c].high.toFixed(3)}])`}`).join(', ')}; random ${sm.regret.random.toFixed(3)}`);
  }
  if (best === 'tpe') {
    console.log('→ default: tpe (the lowest mean; nothing to replace)');
    return 'tpe';
  }
  const ivs = marks.map((m) => per.get(m)?.vsTpe[best] as Interval);
  const chosen = ivs.some((i) => i.high < 0) && !ivs.some((i) => i.low > 0) ? best : 'tpe';
  console.log(`${best} − tpe: ${ivs.map((i, k) => `@${marks[k]} ${i.estimate.toFixed(3)} [${i.low.toFixed(3)}, ${i.high.toFixed(3)}]`).join('; ')} → default: ${chosen}`);
  return chosen;
}

/** One mark of candidate − incumbent on the selection part: mean normalised regrets and the 95% interval of the difference. */
interface VersusRow {
  readonly mark: number;
  readonly n: number;
  readonly seeds: readonly number[];
  readonly cand: number;
  readonly inc: number;
  readonly iv: Interval;
}

/**
 * Per mark, the mean normalised regret of `candidate` and `incumbent` over the problems both reached, and the 95%
 * bootstrap interval of the difference: seeds resampled within each problem, independently per column; a problem
 * where both read the same run contributes exactly 0.
 */
function versusIncumbent(part: readonly Problem[], records: readonly RunRecord[], candidate: string, incumbent: string, marks: readonly number[]): VersusRow[] {
  const data = collect(part, records, ['random', incumbent, candidate]);
  return marks.map((mark) => {
    const problems = part.filter((p) => data.get(p.name)?.get(mark)?.cols[candidate] !== undefined && data.get(p.name)?.get(mark)?.cols[incumbent] !== undefined);
    const nr = (p: Problem, col: string, rng?: Rng): number => {
      const { cols } = cellOf(data, p, mark);
      return normalisedRegret(rng === undefined ? mean(cols[col]) : resampledMean(cols[col], rng), mean(cols.random), p.optimum);
    };
    const point = mean(problems.map((p) => nr(p, candidate) - nr(p, incumbent)));
    const stat = (rng: Rng): number => mean(problems.map((p) => {
      const same = ruleColumn(candidate, p.space, mark, p.when !== undefined) === ruleColumn(incumbent, p.space, mark, p.when !== undefined);
      return same ? 0 : nr(p, candidate, rng) - nr(p, incumbent, rng);
    }));
    const seeds = problems.map((p) => cellOf(data, p, mark).seeds.length);
    return { mark, n: problems.length, seeds, cand: mean(problems.map((p) => nr(p, candidate))), inc: mean(problems.map((p) => nr(p, incumbent))), iv: bootstrap(stat, point) };
  });
}

function printRows(candidate: string, incumbent: string, per: readonly VersusRow[]): void {
  console.log(`\n${candidate} against ${incumbent} (mean normalised regret; ${candidate} − ${incumbent} [95% CI]):`);
  for (const r of per) console.log(`  @${r.mark} (${r.n} problems, ${Math.min(...r.seeds)}–${Math.max(...r.seeds)} seeds): ${r.cand.toFixed(3)} vs ${r.inc.toFixed(3)}, ${r.iv.estimate.toFixed(3)} [${r.iv.low.toFixed(3)}, ${r.iv.high.toFixed(3)}]`);
}

/**
 * Session 23's rule, stated before its runs were read (docs/benchmarks/samplers.md): `candidate` replaces the default
 * `incumbent` if, on the selection part, its mean normalised regret averaged over the four marks is lower and at no
 * mark does the 95% bootstrap interval of candidate − incumbent lie above 0 (a principled change that costs nothing
 * measurable is taken; one that is worse somewhere is not).
 */
function replaceDefault(part: readonly Problem[], records: readonly RunRecord[], candidate: string, incumbent: string, marks: readonly number[] = MARKS): void {
  const per = versusIncumbent(part, records, candidate, incumbent, marks);
  printRows(candidate, incumbent, per);
  const lower = mean(per.map((r) => r.cand)) < mean(per.map((r) => r.inc));
  const harm = per.some((r) => r.iv.low > 0);
  console.log(`  over the marks ${mean(per.map((r) => r.cand)).toFixed(3)} vs ${mean(per.map((r) => r.inc)).toFixed(3)} → ${lower && !harm ? `replace ${incumbent} by ${candidate}` : `keep ${incumbent}`}`);
}

/**
 * The rule declared in docs/benchmarks/samplers.md ("Session 29, declaration", after session 28's wording): a
 * candidate is accepted only if, on the selection part, the 95% interval of candidate − incumbent lies below 0 at
 * one mark or more and above 0 at none; of those accepted, the lowest mean normalised regret over the marks is
 * chosen; none accepted, the incumbent stays. `replaceDefault`'s verdict is printed beside it, for information.
 */
function acceptRule(part: readonly Problem[], records: readonly RunRecord[], candidates: readonly string[], incumbent: string, marks: readonly number[]): string {
  const accepted: { c: string; score: number }[] = [];
  for (const c of candidates) {
    const per = versusIncumbent(part, records, c, incumbent, marks);
    printRows(c, incumbent, per);
    const ok = per.some((r) => r.iv.high < 0) && !per.some((r) => r.iv.low > 0);
    const score = mean(per.map((r) => r.cand));
    const lower = score < mean(per.map((r) => r.inc));
    console.log(`  over the marks ${score.toFixed(3)} vs ${mean(per.map((r) => r.inc)).toFixed(3)} → ${ok ? 'accepted' : 'not accepted'} (session 23's replaceDefault, for information: ${lower && !per.some((r) => r.iv.low > 0) ? 'would replace' : 'would keep'})`);
    if (ok) accepted.push({ c, score });
  }
  const chosen = accepted.sort((a, b) => a.score - b.score)[0]?.c ?? incumbent;
  console.log(`\naccepted: ${accepted.length === 0 ? 'none' : accepted.map((a) => `${a.c} (${a.score.toFixed(3)})`).join(', ')} → ${chosen === incumbent ? `${incumbent} stays` : `chosen: ${chosen}`}`);
  return chosen;
}

/** The problem list of docs/benchmarks/samplers.md. */
function listProblems(problems: readonly Problem[]): void {
  const kinds = (p: Problem): string => {
    const ds = Object.values(p.space);
    const n = (f: (d: (typeof ds)[number]) => boolean): number => ds.filter(f).length;
    const parts = [
      [n((d) => d.kind === 'float' && !d.log && d.step === null), 'float'],
      [n((d) => d.kind === 'float' && d.log), 'log-float'],
      [n((d) => d.kind === 'float' && d.step !== null), 'step-float'],
      [n((d) => d.kind === 'int' && !d.log), 'int'],
      [n((d) => d.kind === 'int' && d.log), 'log-int'],
      [n((d) => d.kind === 'categorical'), 'categorical'],
    ] as const;
    return parts.filter(([k]) => k > 0).map(([k, name]) => `${k} ${name}`).join(', ') + (p.when !== undefined ? ' (conditional)' : '');
  };
  console.log('| problem | family | part | parameters | what | f* |');
  console.log('|---|---|---|---|---|---:|');
  for (const p of problems) console.log(`| ${p.name} | ${p.family} | ${p.split} | ${kinds(p)} | ${p.description} | ${fmt(p.optimum)} |`);
}

function main(): void {
  const problems = loadProblems([], { skipUnrecorded: true });
  if (process.argv.includes('--list')) return listProblems(problems);
  const records = loadRecords();
  const data = collect(problems, records);
  const part = arg('part', 'all');
  const def = arg('default', 'tpe');
  if (!ALL_CANDIDATES.includes(def)) throw new Error(`--default: expected one of ${ALL_CANDIDATES.join(', ')}, got '${def}'`);
  const json: Record<string, unknown> = {};
  const select = problems.filter((p) => p.split === 'select');
  const holdout = problems.filter((p) => p.split === 'holdout');
  console.log(`${problems.length} problems (${select.length} selection, ${holdout.length} held out); per-problem columns compare '${def}'`);
  // The choice needs only parzen's candidates and random search, so it uses every seed those reached.
  json.choice = choose(select, collect(select, records, ['tpe', 'gp', 'random']));
  if (part === 'select' || part === 'all') partReport(`Selection part (${select.map((p) => p.name).join(', ')})`, select, data, def, json);
  if (part === 'holdout' || part === 'all') partReport(`Held-out part (${holdout.map((p) => p.name).join(', ')})`, holdout, data, def, json);
  const accept = arg('accept', '');
  if (accept !== '') {
    const [list, incumbent] = accept.split(':');
    const cands = (list ?? '').split(',').filter((c) => c !== '');
    if (incumbent === undefined || cands.length === 0 || ![...cands, incumbent].every((c) => COLUMNS.includes(c))) {
      throw new Error(`--accept a,b:incumbent: every name must be a column (give them in --extra), got '${accept}'`);
    }
    const marks = arg('marks', '12,100').split(',').map(Number);
    if (!marks.every((m) => MARKS.includes(m))) throw new Error(`--marks: expected some of ${MARKS.join(',')}, got '${arg('marks', '')}'`);
    const first = Number(arg('first', '0'));
    const nSeeds = Number(arg('seeds', String(Number.MAX_SAFE_INTEGER)));
    if (![first, nSeeds].every((v) => Number.isSafeInteger(v) && v >= 0)) throw new Error('--first and --seeds take non-negative integers');
    const inRange = records.filter((r) => r.seed >= first && r.seed < first + nSeeds);
    json.accepted = acceptRule(select, inRange, cands, incumbent, marks);
  }
  const replace = arg('replace', '');
  if (replace !== '') {
    const [candidate, incumbent] = replace.split(':');
    if (!COLUMNS.includes(candidate) || !COLUMNS.includes(incumbent)) throw new Error(`--replace candidate:incumbent: both must be columns (give them in --extra), got '${replace}'`);
    replaceDefault(select, records, candidate, incumbent);
  }
  if (process.argv.includes('--vs-random') || arg('power', '') !== '' || arg('against', '') !== '' || arg('versus', '') !== '') {
    const marks = arg('marks', MARKS.join(',')).split(',').map(Number);
    if (!marks.every((m) => MARKS.includes(m))) throw new Error(`--marks: expected some of ${MARKS.join(',')}, got '${arg('marks', '')}'`);
    const vs = { def, marks, range: { first: Number(arg('first', '0')), nSeeds: Number(arg('seeds', String(Number.MAX_SAFE_INTEGER))) }, ref: arg('random', 'sampled') };
    if (vs.ref !== 'exact' && vs.ref !== 'sampled') throw new Error(`--random: expected exact or sampled, got '${vs.ref}'`);
    if (![vs.range.first, vs.range.nSeeds].every((v) => Number.isSafeInteger(v) && v >= 0)) throw new Error('--first and --seeds take non-negative integers');
    const o = { ...vs, ref: vs.ref as 'exact' | 'sampled' };
    const shown = part === 'select' ? select : holdout;
    if (process.argv.includes('--vs-random')) versusRandom(shown, records, o);
    const incumbent = arg('versus', '');
    if (incumbent !== '') {
      if (!COLUMNS.includes(incumbent)) throw new Error(`--versus: expected a column (give it in --extra), got '${incumbent}'`);
      versusColumn(shown, records, { ...o, incumbent });
    }
    const old = arg('against', '');
    if (old !== '') {
      const [first, nSeeds] = old.split(':').map(Number);
      if (![first, nSeeds].every((v) => Number.isSafeInteger(v) && v >= 0)) throw new Error(`--against first:count: expected two non-negative integers, got '${old}'`);
      consistencyTable(shown, records, { ...o, old: { first, nSeeds } });
    }
    if (arg('power', '') !== '') powerTable(shown, records, { ...o, fraction: Number(arg('power', '')), nPlan: Number(arg('plan', '50')) });
  }
  const out = arg('json', '');
  if (out !== '') writeFileSync(out, JSON.stringify(json, null, 1));
}

try {
  main();
} catch (e) {
  console.error(`sampler-broad-report: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
