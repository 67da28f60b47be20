/** Regression metrics on row-major `[rows, cols]` predictions, one column at a time. */

/** MAE and coefficient of determination R² = 1 − SS_res / SS_tot of one column. */
export interface ColumnScore {
  readonly mae: number;
  readonly r2: number;
}

/** Scores column `col` of row-major `[rows, cols]` predictions against the truth. */
export function scoreColumn(pred: Float32Array, truth: Float32Array, cols: number, col: number): ColumnScore {
  const rows = truth.length / cols;
  let mean = 0;
  for (let r = 0; r < rows; r++) mean += truth[r * cols + col];
  mean /= rows;
  let abs = 0;
  let ssRes = 0;
  let ssTot = 0;
  for (let r = 0; r < rows; r++) {
    const y = truth[r * cols + col];
    const e = pred[r * cols + col] - y;
    abs += Math.abs(e);
    ssRes += e * e;
    ssTot += (y - mean) ** 2;
  }
  // A constant column has SS_tot = 0: R² is undefined there; report 1 for an exact fit, else −∞ (stored explicitly).
  const r2 = ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : Number.NEGATIVE_INFINITY;
  return { mae: abs / rows, r2 };
}
