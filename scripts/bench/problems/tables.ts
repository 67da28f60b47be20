/**
 * Real tuning problems recorded once as lookup tables (data/*.json, made by data/make_tables.py from scikit-learn
 * models on scikit-learn's bundled datasets). A suggestion is scored at its nearest grid point: in log space for a
 * log-scaled parameter, linearly otherwise, exactly for a categorical. The table's minimum is the optimum.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Distribution, type ParamValue, categorical, float, int } from '../../../src/space/distributions.js';
import { type Family, type Params, type Problem, exact } from './problem.js';

interface TableParam {
  readonly name: string;
  readonly kind: 'log' | 'int' | 'float' | 'cat';
  readonly values: readonly ParamValue[];
}

interface Table {
  readonly name: string;
  readonly model: string;
  readonly dataset: string;
  readonly metric: string;
  readonly params: readonly TableParam[];
  readonly values: readonly number[];
}

export const TABLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../scripts/bench/problems/data');

/** An integer grid spanning more than a decade with uneven gaps is searched on a log scale. */
const logInt = (v: readonly number[]): boolean => v[0] > 0 && v[v.length - 1] / v[0] > 10 && v[1] - v[0] !== v[v.length - 1] - v[v.length - 2];

function distribution(p: TableParam): Distribution {
  if (p.kind === 'cat') return categorical(p.values);
  const v = p.values as readonly number[];
  const [lo, hi] = [v[0], v[v.length - 1]];
  if (p.kind === 'log') return float(lo, hi, { log: true });
  if (p.kind === 'float') return float(lo, hi);
  return int(lo, hi, { log: logInt(v) });
}

/** Index of the grid value nearest to `x` (in log space for log-scaled parameters). */
function nearest(p: TableParam, d: Distribution, x: ParamValue): number {
  if (p.kind === 'cat') return p.values.indexOf(x);
  const f = d.kind !== 'categorical' && d.log ? Math.log : (v: number) => v;
  let best = 0;
  for (let i = 1; i < p.values.length; i++) {
    if (Math.abs(f(p.values[i] as number) - f(x as number)) < Math.abs(f(p.values[best] as number) - f(x as number))) best = i;
  }
  return best;
}

/** Whether the table file of a table problem has been recorded. */
export const tableRecorded = (name: string): boolean => existsSync(join(TABLE_DIR, `${name}.json`));

type TableProblem = Problem & { readonly grid: NonNullable<Problem['grid']> };

function tableProblem(file: string, family: Family, split: 'select' | 'holdout'): TableProblem {
  if (!tableRecorded(file)) throw new Error(`${join(TABLE_DIR, file)}.json is missing; record it with: cd ${TABLE_DIR} && /usr/bin/python3 make_tables.py ${file}`);
  const t = JSON.parse(readFileSync(join(TABLE_DIR, `${file}.json`), 'utf8')) as Table;
  const expected = t.params.reduce((n, p) => n * p.values.length, 1);
  if (t.values.length !== expected) throw new Error(`${file}.json: ${t.values.length} values for a grid of ${expected} points; re-run make_tables.py ${file}`);
  const dists = t.params.map(distribution);
  const cellOf = (p: Params): number => {
    let index = 0;
    t.params.forEach((tp, j) => (index = index * tp.values.length + nearest(tp, dists[j], p[tp.name])));
    return index;
  };
  const evaluate = (p: Params): ReturnType<typeof exact> => exact(t.values[cellOf(p)]);
  return {
    name: t.name,
    family,
    split,
    description: `${t.model} on ${t.dataset}, ${t.metric} (${expected}-point table)`,
    space: Object.fromEntries(t.params.map((p, j) => [p.name, dists[j]])),
    evaluate,
    optimum: Math.min(...t.values),
    grid: { cellOf, values: t.values, axes: Object.fromEntries(t.params.map((p) => [p.name, p.values])) },
  };
}

/**
 * A conditional SVM table (svm_kernels_wine, svm_kernels_cancer) is searched with its conditions: gamma unused by
 * linear, degree only for poly.
 */
function svmKernels(file: string, split: 'select' | 'holdout'): Problem {
  const table = tableProblem(file, 'tabular', split);
  return {
    ...table,
    when: { gamma: (p) => p.kernel !== 'linear', degree: (p) => p.kernel === 'poly' },
    // The table repeats the unused parameters' rows, so any grid value scores an inactive parameter the same.
    evaluate: (p, noise) => table.evaluate({ gamma: 1e-4, degree: 2, ...p }, noise),
    grid: { ...table.grid, cellOf: (p) => table.grid.cellOf({ gamma: 1e-4, degree: 2, ...p }) },
  };
}

/** The table problems by name, each read from its file only when asked for. */
export const TABLE_PROBLEMS: Readonly<Record<string, () => Problem>> = {
  svm_rbf_cancer: () => tableProblem('svm_rbf_cancer', 'tabular', 'select'),
  svm_kernels_wine: () => svmKernels('svm_kernels_wine', 'holdout'),
  rf_cancer: () => tableProblem('rf_cancer', 'tabular', 'select'),
  gb_diabetes: () => tableProblem('gb_diabetes', 'tabular', 'holdout'),
  knn_wine: () => tableProblem('knn_wine', 'tabular', 'select'),
  elasticnet_diabetes: () => tableProblem('elasticnet_diabetes', 'tabular', 'holdout'),
  mlp_digits: () => tableProblem('mlp_digits', 'neural', 'holdout'),
  // Session 29b (s29-samp2): all in the selection part, of the kinds where `auto` runs TPE (a conditional space,
  // fewer than 4 parameters); samplers.md, "Session 29b, declaration".
  svm_kernels_cancer: () => svmKernels('svm_kernels_cancer', 'select'),
  logreg_cancer: () => tableProblem('logreg_cancer', 'tabular', 'select'),
  knn_cancer: () => tableProblem('knn_cancer', 'tabular', 'select'),
  elasticnet_iris: () => tableProblem('elasticnet_iris', 'tabular', 'select'),
  elasticnet_linnerud: () => tableProblem('elasticnet_linnerud', 'tabular', 'select'),
};
