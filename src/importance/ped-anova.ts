import { ConfigError } from '../errors.js';
import type { FrozenTrial, StudyDirection } from '../core/frozen.js';
import type { Distribution } from '../space/distributions.js';
import { intersectionSearchSpace } from '../samplers/tpe/search-space.js';
import { gridCounts } from './grid-counts.js';
import { scottParzenPmf } from './scott-parzen.js';

/**
 * PED-ANOVA (Watanabe, Bansal & Hutter, "PED-ANOVA: Efficiently Quantifying Hyperparameter Importance in
 * Arbitrary Subspaces", IJCAI 2023). The importance of a parameter for reaching the top `baselineQuantile` of
 * values is the Pearson divergence between the density of the top trials and the density of all trials
 * (`evaluateOnLocal`, the default: the region the study searched) or the uniform density over the declared range:
 * D = Σ_x p_all(x) · (p_top(x) / p_all(x) − 1)². It is closed form, so 10,000 trials take milliseconds.
 */
export interface PedAnovaOptions {
  /** The top fraction of COMPLETE trials the importance explains (default 0.1). */
  readonly baselineQuantile?: number;
  /** Compare with the trials' own density (true, default) or with the whole declared range (false). */
  readonly evaluateOnLocal?: boolean;
  /** Grid points per numeric range (default 50). */
  readonly nSteps?: number;
  /** Weight of the prior kernel (default 1). */
  readonly priorWeight?: number;
}

export interface ParamImportance {
  readonly param: string;
  /** Share of the total (the importances sum to 1). */
  readonly importance: number;
}

export interface ImportanceResult {
  readonly method: 'ped-anova';
  /** COMPLETE trials with every parameter below. */
  readonly nTrials: number;
  /** How many of them the top quantile holds. */
  readonly nTopTrials: number;
  /** Most important first. */
  readonly importances: readonly ParamImportance[];
}

const MIN_TOP_TRIALS = 2;

/**
 * Importances of the parameters every COMPLETE trial shares (single-valued ranges left out).
 * @example const { importances } = pedAnovaImportance(trials, 'minimize'); // [{ param: 'x0', importance: 0.8 }, …]
 */
export function pedAnovaImportance(trials: readonly FrozenTrial[], direction: StudyDirection, o: PedAnovaOptions = {}): ImportanceResult {
  const opts = checkOptions(o);
  const complete = trials.filter((t) => t.state === 'COMPLETE' && t.value !== null && !Number.isNaN(t.value));
  const space = Object.entries(intersectionSearchSpace(complete));
  const equal = (nTop: number): ImportanceResult => ({ method: 'ped-anova', nTrials: complete.length, nTopTrials: nTop, importances: sortDesc(space.map(([param]) => ({ param, importance: 1 / space.length }))) });
  if (space.length === 0) return { method: 'ped-anova', nTrials: complete.length, nTopTrials: 0, importances: [] };
  if (complete.length <= MIN_TOP_TRIALS) return equal(complete.length);
  const top = topTrials(complete, direction, opts.baselineQuantile);
  const raw = space.map(([param, d]) => ({ param, importance: pearsonDivergence({ top, all: complete, param, d, ...opts }) }));
  const sum = raw.reduce((s, r) => s + r.importance, 0);
  if (!(sum > 0)) return equal(top.length);
  return { method: 'ped-anova', nTrials: complete.length, nTopTrials: top.length, importances: sortDesc(raw.map((r) => ({ param: r.param, importance: r.importance / sum }))) };
}

function sortDesc(xs: ParamImportance[]): ParamImportance[] {
  return xs.sort((a, b) => b.importance - a.importance || a.param.localeCompare(b.param));
}

/** The trials at or better than the `q`-quantile value (inverted CDF), and never fewer than MIN_TOP_TRIALS. */
export function topTrials(trials: readonly FrozenTrial[], direction: StudyDirection, q: number): FrozenTrial[] {
  const sign = direction === 'minimize' ? 1 : -1;
  const loss = (t: FrozenTrial): number => sign * (t.value as number);
  const sorted = trials.map(loss).sort((a, b) => a - b);
  const cutoff = Math.max(sorted[MIN_TOP_TRIALS - 1], sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]);
  return trials.filter((t) => loss(t) <= cutoff);
}

interface DivergenceInput {
  readonly top: readonly FrozenTrial[];
  readonly all: readonly FrozenTrial[];
  readonly param: string;
  readonly d: Distribution;
  readonly evaluateOnLocal: boolean;
  readonly nSteps: number;
  readonly priorWeight: number;
}

function pearsonDivergence(x: DivergenceInput): number {
  const kind = x.d.kind === 'categorical' ? 'categorical' : 'numeric';
  const pTop = scottParzenPmf(gridCounts(x.top, x.param, x.d, x.nSteps), kind, x.priorWeight);
  const pBase = x.evaluateOnLocal ? scottParzenPmf(gridCounts(x.all, x.param, x.d, x.nSteps), kind, x.priorWeight) : new Float64Array(pTop.length).fill(1 / pTop.length);
  let div = 0;
  for (let i = 0; i < pTop.length; i++) {
    const base = pBase[i] + 1e-12;
    div += base * ((pTop[i] + 1e-12) / base - 1) ** 2;
  }
  return div;
}

function checkOptions(o: PedAnovaOptions): Required<PedAnovaOptions> {
  const q = o.baselineQuantile ?? 0.1;
  if (!(q > 0 && q <= 1)) throw new ConfigError(`importance baselineQuantile must be in (0, 1], got ${q}: 0.1 explains the top 10 %`, { code: 'USAGE' });
  const nSteps = o.nSteps ?? 50;
  if (!Number.isSafeInteger(nSteps) || nSteps < 2) throw new ConfigError(`importance nSteps must be an integer ≥ 2, got ${nSteps}`, { code: 'USAGE' });
  const priorWeight = o.priorWeight ?? 1;
  if (!(priorWeight >= 0 && Number.isFinite(priorWeight))) throw new ConfigError(`importance priorWeight must be a finite number ≥ 0, got ${priorWeight}`, { code: 'USAGE' });
  return { baselineQuantile: q, evaluateOnLocal: o.evaluateOnLocal ?? true, nSteps, priorWeight };
}
