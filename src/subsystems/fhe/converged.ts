/**
 * A plaintext logistic regression fitted to convergence (exact sigmoid, Newton–Raphson / IRLS with a small ridge
 * λ‖w‖²/2 on the non-bias weights so separable data still converges): the ceiling the encrypted model is shown beside.
 */
import { solve } from './sigmoid.js';

export function fitLogisticNewton(x: readonly Float64Array[], y: Uint8Array, o: { ridge?: number; maxIter?: number } = {}): Float64Array {
  const ridge = o.ridge ?? 1e-2;
  const d = (x[0]?.length ?? 0) + 1;
  let w = new Float64Array(d);
  for (let it = 0; it < (o.maxIter ?? 50); it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < x.length; i++) {
      let s = w[0];
      for (let j = 1; j < d; j++) s += w[j] * x[i][j - 1];
      const p = 1 / (1 + Math.exp(-s));
      const r = p - y[i];
      const h = p * (1 - p);
      for (let a = 0; a < d; a++) {
        const xa = a === 0 ? 1 : x[i][a - 1];
        grad[a] += r * xa;
        for (let b = 0; b <= a; b++) hess[a][b] += h * xa * (b === 0 ? 1 : x[i][b - 1]);
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < a; b++) hess[b][a] = hess[a][b];
      if (a > 0) {
        grad[a] += ridge * w[a];
        hess[a][a] += ridge;
      }
      hess[a][a] += 1e-9;
    }
    const step = solve(hess, grad);
    w = Float64Array.from(w, (v, a) => v - step[a]);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return w;
}
