/**
 * "Better than random search on every problem" (issue 15): per problem and mark, the default's mean best against
 * random search's, with the 95% percentile-bootstrap interval of the difference (seeds resampled; the two samplers'
 * streams are unrelated, so unpaired). Random search's side is either its seeded runs (`sampled`) or, on a lookup
 * table, its exact expected best (`exact`, broad/cell-probabilities.ts): then only the default's seeds are resampled.
 * "Better" is the interval entirely below 0. Also the power calculation of session 28's protocol
 * (docs/benchmarks/samplers.md, "Session 28, protocol"): how many seeds detect a given share of random search's regret.
 */
import { type RunRecord } from './cache.js';
import { exactRandomCurve } from './cell-probabilities.js';
import { ruleColumn } from './rules.js';
import { type Interval, bootstrap, differenceInterval, mean, resampledMean, verdict } from './stats.js';
import type { Problem } from '../problems/index.js';

export interface SeedRange {
  readonly first: number;
  /** Seeds first … first + nSeeds − 1. */
  readonly nSeeds: number;
}

/** Seed → a mark's value, on the seeds of `range` a column reached it on (a run counts at every mark up to its length). */
function valuesAt(records: readonly RunRecord[], p: Problem, column: string, mark: number, range: SeedRange): Map<number, number> {
  const base = ruleColumn(column, p.space, mark, p.when !== undefined);
  const bySeed = new Map<number, number>();
  for (const r of records) {
    if (r.sampler !== base || r.problem !== p.name || r.trials < mark) continue;
    if (r.seed < range.first || r.seed >= range.first + range.nSeeds || bySeed.has(r.seed)) continue;
    bySeed.set(r.seed, r.curve[String(mark)]);
  }
  return bySeed;
}

/** The values on the seeds both maps hold, in seed order. */
const onSeeds = (m: Map<number, number>, seeds: readonly number[]): number[] => seeds.map((s) => m.get(s) as number);

const sd = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

/** One problem at one mark: the default's values, random search's (none when exact) and its expected best. */
interface Comparison {
  readonly def: readonly number[];
  readonly random: readonly number[];
  /** Random search's expected best − f*: exact on a table under `exact`, else the mean of its runs. */
  readonly randomRegret: number;
  readonly exact: boolean;
  /** P(random search finds f*), exact tables only. */
  readonly pStar?: number;
}

function compare(records: readonly RunRecord[], p: Problem, def: string, mark: number, range: SeedRange, ref: 'exact' | 'sampled'): Comparison | undefined {
  const d = valuesAt(records, p, def, mark, range);
  if (ref === 'exact' && p.grid !== undefined) {
    if (d.size < 2) return undefined;
    const e = exactRandomCurve(p, [mark]).get(mark) as { regret: number; pStar: number };
    return { def: onSeeds(d, [...d.keys()].sort((a, b) => a - b)), random: [], randomRegret: e.regret, exact: true, pStar: e.pStar };
  }
  // Sampled: the seeds both reached (a run cut short leaves the two on the same seeds).
  const r = valuesAt(records, p, 'random', mark, range);
  const seeds = [...d.keys()].filter((s) => r.has(s)).sort((a, b) => a - b);
  if (seeds.length < 2) return undefined;
  const rv = onSeeds(r, seeds);
  return { def: onSeeds(d, seeds), random: rv, randomRegret: mean(rv) - p.optimum, exact: false };
}

/** The 95% interval of the default's mean best − random search's. */
function interval(c: Comparison, optimum: number): Interval {
  if (!c.exact) return differenceInterval(c.def, c.random);
  const ref = optimum + c.randomRegret;
  return bootstrap((rng) => resampledMean(c.def, rng) - ref, mean(c.def) - ref);
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : Math.abs(v) >= 0.01 ? v.toFixed(4) : v === 0 ? '0' : v.toExponential(2));
const fmtI = (i: Interval): string => `${fmt(i.estimate)} [${fmt(i.low)}, ${fmt(i.high)}]`;

export interface VersusRandomOptions {
  readonly def: string;
  readonly marks: readonly number[];
  readonly range: SeedRange;
  readonly ref: 'exact' | 'sampled';
}

/** The per-problem table and the tally at each mark; `ref: 'exact'` prints random search's P(f*) on the tables. */
export function versusRandom(part: readonly Problem[], records: readonly RunRecord[], o: VersusRandomOptions): void {
  const { def, marks, range } = o;
  console.log(`\n#### ${def} against random search, seeds ${range.first}–${range.first + range.nSeeds - 1} (random search ${o.ref === 'exact' ? 'exact on the tables, its runs elsewhere' : 'from its runs'}; 95% bootstrap interval of the difference of means)\n`);
  console.log(`| problem | ${marks.map((m) => `@${m}: seeds, ${def} − random [95% CI]; in random's regret`).join(' | ')} |`);
  console.log(`|---|${marks.map(() => '---').join('|')}|`);
  const tally = new Map(marks.map((m) => [m, { better: 0, worse: 0, tie: 0 }]));
  for (const p of part) {
    const cells = marks.map((m) => {
      const c = compare(records, p, def, m, range, o.ref);
      if (c === undefined) return '–';
      const iv = interval(c, p.optimum);
      const v = verdict(iv);
      const t = tally.get(m) as { better: number; worse: number; tie: number };
      t[v === 'better' ? 'better' : v === 'worse' ? 'worse' : 'tie']++;
      const share = c.randomRegret > 0 ? ` (${((100 * iv.estimate) / c.randomRegret).toFixed(1)}%)` : '';
      const exact = c.exact ? `; random exact, regret ${fmt(c.randomRegret)}, P(f*) ${(c.pStar as number).toFixed(4)}` : '';
      return `${c.def.length}, ${fmtI(iv)}${share} ${v}${exact}`;
    });
    console.log(`| ${p.name} | ${cells.join(' | ')} |`);
  }
  console.log(`\n${marks.map((m) => { const t = tally.get(m) as { better: number; worse: number; tie: number }; return `@${m}: better ${t.better}, worse ${t.worse}, tie ${t.tie}`; }).join('; ')}`);
}

/** z_{0.975} + z_{0.80}: a two-sided 95% test with 80% power (normal approximation). */
const Z = 1.959964 + 0.841621;

/**
 * Seeds per sampler needed to detect a gain of `fraction` of random search's regret, from the spread on `range`
 * (n = Z² (s_def² + s_random²) / δ², s_random = 0 where random search's curve is exact), and the gain `nPlan` seeds
 * can detect, as a share of random search's regret.
 */
export function powerTable(part: readonly Problem[], records: readonly RunRecord[], o: VersusRandomOptions & { readonly fraction: number; readonly nPlan: number }): void {
  console.log(`\n#### Power: seeds to detect ${o.def} ahead by ${(100 * o.fraction).toFixed(0)}% of random search's regret (spread from seeds ${o.range.first}–${o.range.first + o.range.nSeeds - 1}; two-sided 95%, power 80%)\n`);
  console.log(`| problem | ${o.marks.map((m) => `@${m}: seeds; s.d. ${o.def} / random; random's regret; observed gain; seeds needed; gain ${o.nPlan} seeds detect`).join(' | ')} |`);
  console.log(`|---|${o.marks.map(() => '---').join('|')}|`);
  for (const p of part) {
    const cells = o.marks.map((m) => {
      const c = compare(records, p, o.def, m, o.range, o.ref);
      if (c === undefined) return '–';
      const v = sd(c.def) ** 2 + (c.exact ? 0 : sd(c.random) ** 2);
      const gain = (p.optimum + c.randomRegret - mean(c.def)) / c.randomRegret;
      const need = c.randomRegret > 0 ? Math.ceil((Z * Z * v) / (o.fraction * c.randomRegret) ** 2) : Infinity;
      const detect = (Z * Math.sqrt(v / o.nPlan)) / c.randomRegret;
      return `${c.def.length}; ${fmt(sd(c.def))} / ${c.exact ? 'exact' : fmt(sd(c.random))}; ${fmt(c.randomRegret)}; ${(100 * gain).toFixed(0)}%; **${need}**; ${(100 * detect).toFixed(1)}%`;
    });
    console.log(`| ${p.name} | ${cells.join(' | ')} |`);
  }
}

/**
 * Whether new seeds agree with old ones: per problem and mark, `def`'s and random search's mean best on the `old`
 * seeds and on `o.range`, and the 95% interval of new − old (seeds resampled independently; a difference whose
 * interval excludes 0 would say that one of the two seed sets is off).
 */
export function consistencyTable(part: readonly Problem[], records: readonly RunRecord[], o: VersusRandomOptions & { readonly old: SeedRange }): void {
  const span = (r: SeedRange): string => `${r.first}–${r.first + r.nSeeds - 1}`;
  console.log(`\n#### Seeds ${span(o.range)} against seeds ${span(o.old)}: mean best (seeds), new − old [95% CI]\n`);
  console.log(`| problem | ${o.marks.map((m) => `@${m} ${o.def}: old; new; new − old | @${m} random: old; new; new − old`).join(' | ')} |`);
  console.log(`|---|${o.marks.map(() => '---|---').join('|')}|`);
  for (const p of part) {
    const cells = o.marks.flatMap((m) => [o.def, 'random'].map((col) => {
      const [a, b] = [o.old, o.range].map((r) => [...valuesAt(records, p, col, m, r).values()]);
      if (a.length < 2 || b.length < 2) return '–';
      const iv = differenceInterval(b, a);
      return `${fmt(mean(a))} (${a.length}); ${fmt(mean(b))} (${b.length}); ${fmtI(iv)}${verdict(iv) === 'tie' ? '' : ' **differs**'}`;
    }));
    console.log(`| ${p.name} | ${cells.join(' | ')} |`);
  }
}

/**
 * A candidate against the default, per problem and mark, on the seeds of `o.range` both reached: the 95% interval of
 * mean best(candidate) − mean best(incumbent), seeds resampled independently (`differenceInterval`); "worse" = the
 * interval entirely above 0. Problems where both read the same run say so (the difference is 0 by construction).
 * Session 29's held-out condition for a candidate to become the default (docs/benchmarks/samplers.md).
 */
export function versusColumn(part: readonly Problem[], records: readonly RunRecord[], o: VersusRandomOptions & { readonly incumbent: string }): void {
  console.log(`\n#### ${o.def} against ${o.incumbent}, seeds ${o.range.first}–${o.range.first + o.range.nSeeds - 1} (95% bootstrap interval of the difference of means; unpaired)\n`);
  console.log(`| problem | ${o.marks.map((m) => `@${m}: seeds; ${o.def} − ${o.incumbent} [95% CI]`).join(' | ')} |`);
  console.log(`|---|${o.marks.map(() => '---').join('|')}|`);
  const worse = new Map(o.marks.map((m) => [m, 0]));
  for (const p of part) {
    const cells = o.marks.map((m) => {
      const cond = p.when !== undefined;
      if (ruleColumn(o.def, p.space, m, cond) === ruleColumn(o.incumbent, p.space, m, cond)) return 'same runs';
      const [a, b] = [o.def, o.incumbent].map((c) => valuesAt(records, p, c, m, o.range));
      const seeds = [...a.keys()].filter((s) => b.has(s)).sort((x, y) => x - y);
      if (seeds.length < 2) return '–';
      const iv = differenceInterval(onSeeds(a, seeds), onSeeds(b, seeds));
      if (iv.low > 0) worse.set(m, (worse.get(m) as number) + 1);
      return `${seeds.length}; ${fmtI(iv)} ${verdict(iv)}`;
    });
    console.log(`| ${p.name} | ${cells.join(' | ')} |`);
  }
  console.log(`\n${o.marks.map((m) => `@${m}: ${o.def} worse than ${o.incumbent} (interval above 0) on ${worse.get(m)}`).join('; ')}`);
}
