import { getJson, studyPath, type Importance, type StudyTrials, type TrialRow } from './api.js';
import { chartIn } from './charts.js';
import { h } from './dom.js';
import { historyOption, importanceOption, insideBrush, intermediateOption, parallelOption, topPercent } from '../chart-options.js';
import { edfOption, pairHeatmapOption, sliceOption, timelineOption } from '../study-plots.js';
import type { IntermediateCurve } from '../wire.js';
import { TrialTable } from './trial-table.js';

interface Toggles {
  excludePruned: boolean;
  excludeFailed: boolean;
  logY: boolean;
  /** Show only the best this-many percent of COMPLETE trials (100: all trials). */
  topPct: number;
}

/**
 * A study: optimization history (best-so-far line, log-y), parallel coordinates whose brush filters the table,
 * importance (PED-ANOVA, or fANOVA on request, computed by the server), slice, pair heat map, EDF, timeline, and the
 * trial table. Returns its refresh for live updates.
 */
export async function renderStudy(view: HTMLElement, name: string): Promise<() => Promise<void>> {
  const toggles: Toggles = { excludePruned: false, excludeFailed: false, logY: false, topPct: 100 };
  const brush = new Map<number, [number, number][]>();
  const table = new TrialTable(name);
  const chart = (id: string, cls = 'chart'): HTMLElement => h('div', { class: cls, id });
  const els = { history: chart('history'), parallel: chart('parallel'), importance: chart('importance'), intermediate: chart('intermediate'), slice: chart('slice', 'chart tall'), heatmap: chart('heatmap'), timeline: chart('timeline'), edf: chart('edf') };
  const method = h('select', { id: 'importance-method' }, h('option', { value: 'ped-anova' }, 'PED-ANOVA'), h('option', { value: 'fanova' }, 'fANOVA (random forest)'));
  method.addEventListener('change', () => void drawImportance());
  const pairX = h('select', { id: 'pair-x' });
  const pairY = h('select', { id: 'pair-y' });
  for (const s of [pairX, pairY]) s.addEventListener('change', () => drawPair(visible()));
  const heading = h('h1', {}, `Study ${name}`);
  const summary = h('span', { id: 'study-summary', class: 'muted' });
  view.replaceChildren(
    heading,
    h('div', { class: 'toolbar' }, toggle('exclude-pruned', 'exclude pruned', (v) => ((toggles.excludePruned = v), draw())), toggle('exclude-failed', 'exclude failed', (v) => ((toggles.excludeFailed = v), draw())), toggle('log-y', 'log y', (v) => ((toggles.logY = v), draw())), topBox((pct) => ((toggles.topPct = pct), draw())), summary),
    h('div', { class: 'grid' }, card('Optimization history', els.history), h('div', { class: 'card' }, h('h2', {}, 'Hyperparameter importance ', method), els.importance)),
    card('Parallel coordinates (drag on an axis to filter the table)', els.parallel),
    // Just below the first screen, the cheap plots (bins, one sorted line); below the fold, the slice plot (a panel
    // per param, every trial in each) and the intermediate values, the largest download (trials × steps).
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Best value per bin of ', pairX, ' × ', pairY), els.heatmap),
      card('Empirical distribution of COMPLETE values (EDF)', els.edf)),
    card('Slice: value against each parameter (darker: later trials; hollow: pruned)', els.slice),
    card('Intermediate values (ctx.report) of the trials shown', els.intermediate),
    card('Timeline of trials per worker', els.timeline),
    h('h2', {}, 'Trials'),
    table.element,
  );
  let data: StudyTrials | undefined;
  let curves: IntermediateCurve[] = [];
  let names: string[] = [];
  const parallel = chartIn(els.parallel);
  parallel.on('axisareaselected', (e: unknown) => {
    const { parallelAxisId, intervals } = e as { parallelAxisId: string; intervals: [number, number][] };
    brush.set(Number(parallelAxisId.slice(3)), intervals);
    drawTable();
  });
  const visible = (): TrialRow[] => {
    const kept = (data?.trials ?? []).filter((t) => !(toggles.excludePruned && t.s === 'PRUNED') && !(toggles.excludeFailed && t.s === 'FAIL'));
    return data === undefined ? kept : [...topPercent(kept, data.study.direction, toggles.topPct)];
  };
  const drawTable = (): void => {
    const rows = visible();
    table.update(brush.size === 0 ? rows : rows.filter((t) => insideBrush(t, names, data!.distributions, brush)), names, data!.distributions);
  };
  const drawCurves = (rows: readonly TrialRow[]): void => {
    chartIn(els.intermediate).setOption(intermediateOption(curves, new Set(rows.map((t) => t.n)), toggles.logY), { notMerge: true });
    els.intermediate.dataset.curves = String(curves.length);
  };
  /** Every trial's intermediate values (10,000 trials × their steps): fetched only once their plot is seen. */
  const loadCurves = async (): Promise<void> => {
    curves = await getJson<IntermediateCurve[]>(`${studyPath(name)}/intermediate`);
    drawCurves(visible());
  };
  const drawPair = (rows: readonly TrialRow[]): void => {
    if (data === undefined) return;
    const el = chartIn(els.heatmap);
    if (pairX.value === '' || pairY.value === '' || pairX.value === pairY.value) {
      el.clear();
      els.heatmap.dataset.pair = '';
      return;
    }
    el.setOption(pairHeatmapOption(rows, pairX.value, pairY.value, data.distributions, data.study.direction), { notMerge: true });
    els.heatmap.dataset.pair = `${pairX.value}×${pairY.value}`;
  };
  function draw(): void {
    if (data === undefined) return;
    const rows = visible();
    chartIn(els.history).setOption(historyOption(rows, data.study.direction, toggles.logY), { notMerge: true });
    parallel.setOption(parallelOption(rows.filter((t) => t.s === 'COMPLETE' || t.s === 'PRUNED'), names, data.distributions), { replaceMerge: ['series'] });
    drawTable();
    els.history.dataset.trials = String(rows.length);
    summary.textContent = `${data.study.direction} · ${data.trials.length} trials`;
    // The plots below the fold are drawn once they scroll into view, one per task, so the table and the first charts
    // paint first and a click between plots is answered at once (a 10,000-trial study takes a second to draw them).
    const seq = ++drawSeq;
    requestAnimationFrame(() => setTimeout(() => drawBelow(rows, seq), 0));
  }
  let drawSeq = 0;
  let lastRows: readonly TrialRow[] = [];
  const seen = new Set<Element>();
  const observer = new IntersectionObserver((entries) => {
    const fresh = entries.filter((e) => e.isIntersecting && !seen.has(e.target));
    for (const e of fresh) seen.add(e.target);
    if (fresh.length > 0) drawBelow(lastRows, drawSeq);
    if (fresh.some((e) => e.target === els.intermediate)) void loadCurves();
  });
  for (const el of [els.slice, els.heatmap, els.edf, els.timeline, els.intermediate]) observer.observe(el);
  function drawBelow(rows: readonly TrialRow[], seq: number): void {
    const d = data;
    if (d === undefined) return;
    lastRows = rows;
    const plots: [HTMLElement, () => void][] = [
      [els.slice, () => chartIn(els.slice).setOption(sliceOption(rows, names, d.distributions, toggles.logY), { notMerge: true })],
      [els.heatmap, () => drawPair(rows)],
      [els.edf, () => chartIn(els.edf).setOption(edfOption(rows, toggles.logY), { notMerge: true })],
      [els.timeline, () => chartIn(els.timeline).setOption(timelineOption(rows, Date.now()), { notMerge: true })],
      [els.intermediate, () => drawCurves(rows)],
    ];
    // How many trials each plot was given (tests read it; a canvas cannot be read back).
    const jobs = plots.filter(([el]) => seen.has(el)).map(([el, job]) => () => ((el.dataset.trials = String(rows.length)), job()));
    const next = (): void => {
      if (seq !== drawSeq) return; // a newer draw took over
      jobs.shift()?.();
      if (jobs.length > 0) setTimeout(next, 0);
    };
    next();
  }
  let pedAnova: Importance | undefined;
  /** PED-ANOVA comes with every refresh (milliseconds); fANOVA grows a forest, so it is asked for only when chosen. */
  const drawImportance = async (): Promise<void> => {
    const imp = method.value === 'fanova' ? await getJson<Importance>(`${studyPath(name)}/importance/fanova`) : pedAnova;
    if (imp === undefined) return;
    chartIn(els.importance).setOption(importanceOption(imp), { notMerge: true });
    els.importance.dataset.method = imp.method;
    els.importance.dataset.top = imp.importances[0]?.param ?? '';
  };
  const refresh = async (): Promise<void> => {
    const [trials, imp] = await Promise.all([getJson<StudyTrials>(`${studyPath(name)}/trials`), getJson<Importance>(`${studyPath(name)}/importance`)]);
    pedAnova = imp;
    data = trials;
    const fresh = Object.keys(trials.distributions).sort();
    if (fresh.join('\0') !== names.join('\0')) {
      names = fresh;
      brush.clear();
      parallel.clear();
      choosePair(pairX, pairY, names, imp);
    }
    draw();
    await drawImportance();
    if (seen.has(els.intermediate)) await loadCurves();
  };
  await refresh();
  return refresh;
}

/** The pair selects list every parameter; the two most important are chosen first. */
function choosePair(x: HTMLSelectElement, y: HTMLSelectElement, names: readonly string[], imp: Importance): void {
  const ranked = [...imp.importances.map((r) => r.param).filter((p) => names.includes(p)), ...names.filter((p) => !imp.importances.some((r) => r.param === p))];
  for (const [sel, pick] of [[x, ranked[0]], [y, ranked[1]]] as const) {
    const keep = names.includes(sel.value) ? sel.value : (pick ?? '');
    sel.replaceChildren(...names.map((p) => h('option', { value: p }, p)));
    sel.value = keep;
  }
}

function card(title: string, body: HTMLElement): HTMLElement {
  return h('div', { class: 'card' }, h('h2', {}, title), body);
}

function toggle(id: string, label: string, onChange: (on: boolean) => void): HTMLElement {
  const box = h('input', { type: 'checkbox', id });
  box.addEventListener('change', () => onChange(box.checked));
  return h('label', { for: id }, box, ` ${label}`);
}

function topBox(onChange: (pct: number) => void): HTMLElement {
  const box = h('input', { type: 'number', id: 'top-pct', min: 1, max: 100, step: 1, value: 100, style: 'width: 4.5em' });
  box.addEventListener('change', () => {
    const pct = Math.min(100, Math.max(1, Math.round(Number(box.value) || 100)));
    box.value = String(pct);
    onChange(pct);
  });
  return h('label', { for: 'top-pct' }, 'top ', box, ' % of COMPLETE');
}
