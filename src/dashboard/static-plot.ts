import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';
import type { Storage } from '../storage/storage.js';
import { getImportance, getTrialDetail, listTrials } from '../study/queries.js';
import { trialRow } from './api.js';
import { historyOption, importanceOption, parallelOption, seriesOption, type ChartOption } from './chart-options.js';
import { edfOption, pairHeatmapOption, sliceOption, timelineOption } from './study-plots.js';
import type { TrialRow, WireDistribution } from './wire.js';

export const PLOT_KINDS = ['history', 'importance', 'parallel', 'series', 'slice', 'edf', 'timeline', 'heatmap'] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];

export interface PlotOptions {
  readonly study: string;
  readonly kind: PlotKind;
  /** For `series`: the trial whose metric series are drawn. */
  readonly trial?: number;
  /** For `heatmap`: the two params (default: the two most important by PED-ANOVA). */
  readonly pair?: readonly [string, string];
  readonly excludePruned?: boolean;
  readonly excludeFailed?: boolean;
  readonly logY?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** The slice of ECharts' API that server-side rendering uses. */
interface SsrChart {
  setOption(option: object): void;
  renderToSVGString(): string;
  dispose(): void;
}
interface EChartsSsr {
  init(dom: null, theme: null, opts: { renderer: 'svg'; ssr: true; width: number; height: number }): SsrChart;
}

/**
 * A study's chart as an SVG document, drawn by ECharts' server-side SVG renderer from the same options the
 * dashboard draws on its canvas (`tune plot`: for CI logs, papers, a README). No browser, no DOM.
 * @example writeFileSync('history.svg', await studyPlotSvg(storage, { study: 'b', kind: 'history' }));
 */
export async function studyPlotSvg(storage: Storage, o: PlotOptions): Promise<string> {
  return renderSvg(await plotOption(storage, o), o.width ?? 900, o.height ?? 500);
}

async function plotOption(storage: Storage, o: PlotOptions): Promise<ChartOption> {
  if (o.kind === 'importance') return importanceOption((await getImportance(storage, o.study)).result);
  if (o.kind === 'series') {
    if (o.trial === undefined) throw new ConfigError('`tune plot series` needs --trial N: the trial whose metric series to draw', { code: 'USAGE' });
    const { series } = await getTrialDetail(storage, o.study, o.trial);
    if (Object.keys(series).length === 0) throw new ConfigError(`trial #${o.trial} of study '${o.study}' recorded no metric series (ctx.metrics); pick another with \`tune trials --study ${o.study}\``, { code: 'USAGE' });
    return seriesOption(series);
  }
  const { study, trials } = await listTrials(storage, o.study);
  const rows = trials.filter((t) => !(o.excludePruned === true && t.state === 'PRUNED') && !(o.excludeFailed === true && t.state === 'FAIL')).map(trialRow);
  if (o.kind === 'history') return historyOption(rows, study.direction, o.logY === true);
  if (o.kind === 'edf') return edfOption(rows, o.logY === true);
  if (o.kind === 'timeline') return timelineOption(rows, Date.now());
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.distributions)))].sort();
  const dists: Record<string, WireDistribution> = {};
  for (const t of trials) Object.assign(dists, t.distributions);
  if (o.kind === 'slice') return sliceOption(rows, names, dists, o.logY === true);
  if (o.kind === 'heatmap') return heatmap(storage, o, rows, names, dists, study.direction);
  return parallelOption(rows.filter((t) => t.s === 'COMPLETE' || t.s === 'PRUNED'), names, dists);
}

async function heatmap(storage: Storage, o: PlotOptions, rows: readonly TrialRow[], names: readonly string[], dists: Record<string, WireDistribution>, direction: 'minimize' | 'maximize'): Promise<ChartOption> {
  let pair = o.pair;
  if (pair === undefined) {
    const ranked = (await getImportance(storage, o.study)).result.importances.map((r) => r.param);
    if (ranked.length < 2) throw new ConfigError(`\`tune plot heatmap\` needs two params; study '${o.study}' has ${ranked.length} that every COMPLETE trial shares: name them with --pair x,y`, { code: 'USAGE' });
    pair = [ranked[0], ranked[1]];
  }
  for (const p of pair) if (!names.includes(p)) throw new ConfigError(`--pair: study '${o.study}' has no param '${p}'; its params are ${names.join(', ')}`, { code: 'USAGE' });
  return pairHeatmapOption(rows, pair[0], pair[1], dists, direction);
}

function renderSvg(option: ChartOption, width: number, height: number): string {
  // The CommonJS build (dist/echarts.js) is one file: loading it costs ~0.1 s and only `tune plot` pays it.
  const echarts = createRequire(import.meta.url)('echarts') as EChartsSsr;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    const { dataZoom: _interactiveOnly, ...still } = option;
    chart.setOption({ ...still, backgroundColor: '#ffffff' });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
