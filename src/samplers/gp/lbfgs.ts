/**
 * A small L-BFGS maximiser (Nocedal & Wright 2006, Algorithm 7.4 with a backtracking Armijo line search), box-
 * clamped to [−bound, bound] per coordinate. Deterministic: the same function and start give the same result.
 */

export interface LbfgsOptions {
  readonly maxIterations: number;
  /** Every coordinate is kept in [−bound, bound]. */
  readonly bound: number;
  /** Pairs of (s, y) kept for the inverse-Hessian estimate. */
  readonly memory?: number;
}

type Objective = (x: Float64Array) => { value: number; grad: Float64Array };

const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i], 0);

/** The two-loop recursion: H·g for the current inverse-Hessian estimate (of the negated objective). */
function direction(g: Float64Array, ss: Float64Array[], ys: Float64Array[]): Float64Array {
  const q = Float64Array.from(g);
  const alphas: number[] = [];
  for (let i = ss.length - 1; i >= 0; i--) {
    const a = dot(ss[i], q) / dot(ys[i], ss[i]);
    alphas[i] = a;
    for (let k = 0; k < q.length; k++) q[k] -= a * ys[i][k];
  }
  if (ss.length > 0) {
    const last = ss.length - 1;
    const gamma = dot(ss[last], ys[last]) / dot(ys[last], ys[last]);
    for (let k = 0; k < q.length; k++) q[k] *= gamma;
  }
  for (let i = 0; i < ss.length; i++) {
    const b = dot(ys[i], q) / dot(ys[i], ss[i]);
    for (let k = 0; k < q.length; k++) q[k] += ss[i][k] * (alphas[i] - b);
  }
  return q;
}

/** Maximises `f` from `start`; returns the best point found. */
export function lbfgsMaximise(f: Objective, start: Float64Array, o: LbfgsOptions): Float64Array {
  const m = o.memory ?? 5;
  const clamp = (v: number): number => Math.max(-o.bound, Math.min(o.bound, v));
  let x: Float64Array = Float64Array.from(start, clamp);
  let cur = f(x);
  if (!Number.isFinite(cur.value)) return x;
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  for (let it = 0; it < o.maxIterations; it++) {
    // Work on −f so the recursion's usual minimisation form applies: descent direction −H·(−g) = H·g.
    const negGrad = cur.grad.map((v) => -v);
    let dir = direction(negGrad, ss, ys).map((v) => -v);
    if (dot(dir, cur.grad) <= 0) dir = Float64Array.from(cur.grad);
    let step = 1;
    let next: { x: Float64Array; value: number; grad: Float64Array } | null = null;
    for (let tries = 0; tries < 20; tries++, step *= 0.5) {
      const cand = x.map((v, k) => clamp(v + step * dir[k]));
      const r = f(cand);
      if (Number.isFinite(r.value) && r.value >= cur.value + 1e-4 * step * dot(dir, cur.grad)) {
        next = { x: cand, ...r };
        break;
      }
    }
    if (next === null) break;
    const s = next.x.map((v, k) => v - x[k]);
    const y = cur.grad.map((v, k) => v - next.grad[k]); // gradient of −f: −g_new − (−g_old)
    if (dot(s, y) > 1e-12) {
      ss.push(s);
      ys.push(y);
      if (ss.length > m) {
        ss.shift();
        ys.shift();
      }
    }
    const improved = next.value - cur.value;
    x = next.x;
    cur = next;
    if (improved < 1e-9 * Math.max(1, Math.abs(cur.value))) break;
  }
  return x;
}
