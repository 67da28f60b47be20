/**
 * Output warping for the GP: the Yeo–Johnson power transform (Yeo & Johnson 2000, Biometrika 87(4)) of the
 * standardised targets, its λ fitted by maximum likelihood, as HEBO does (Cowen-Rivers et al. 2022, JAIR 74,
 * "HEBO: pushing the limits of sample-efficient hyper-parameter optimisation", §4.1). A GP assumes Gaussian
 * targets; an objective with a heavy tail (a quartic term far from the optimum, a few narrow deep wells) leaves
 * most standardised values squeezed near one number, the fitted mean flat and expected improvement driven by the
 * variance alone, i.e. close to random search. The transform is monotone, so the incumbent and the order of the
 * trials are unchanged.
 */

/** ψ(y; λ), the Yeo–Johnson transform of one value. */
export function yeoJohnson(y: number, lambda: number): number {
  if (y >= 0) return Math.abs(lambda) < 1e-9 ? Math.log1p(y) : ((y + 1) ** lambda - 1) / lambda;
  return Math.abs(lambda - 2) < 1e-9 ? -Math.log1p(-y) : -((1 - y) ** (2 - lambda) - 1) / (2 - lambda);
}

/**
 * The profile log-likelihood of λ for a normal fit to ψ(y; λ): −n/2·log σ̂²(λ) + (λ − 1)·Σ sign(y)·log(1 + |y|)
 * (Yeo & Johnson 2000, eq. 3.1, the mean and variance maximised out).
 */
export function yeoJohnsonLogLikelihood(y: ArrayLike<number>, lambda: number): number {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yeoJohnson(y[i], lambda) / n;
  let v = 0;
  let jacobian = 0;
  for (let i = 0; i < n; i++) {
    v += (yeoJohnson(y[i], lambda) - mean) ** 2 / n;
    jacobian += Math.sign(y[i]) * Math.log1p(Math.abs(y[i]));
  }
  return -0.5 * n * Math.log(Math.max(v, 1e-300)) + (lambda - 1) * jacobian;
}

/** The range searched for λ: wide enough to straighten a quartic tail, narrow enough that ψ of a standardised value stays finite. */
const LAMBDA_LOW = -1;
const LAMBDA_HIGH = 3;

/** The maximum-likelihood λ by golden-section search over [−1, 3] (the likelihood is unimodal in λ in practice). */
export function fitYeoJohnsonLambda(y: ArrayLike<number>): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [a, b] = [LAMBDA_LOW, LAMBDA_HIGH];
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = yeoJohnsonLogLikelihood(y, c);
  let fd = yeoJohnsonLogLikelihood(y, d);
  for (let it = 0; it < 40; it++) {
    if (fc >= fd) {
      [b, d, fd] = [d, c, fc];
      c = b - ratio * (b - a);
      fc = yeoJohnsonLogLikelihood(y, c);
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + ratio * (b - a);
      fd = yeoJohnsonLogLikelihood(y, d);
    }
  }
  return (a + b) / 2;
}

/**
 * Targets standardised to mean 0 and standard deviation 1 (σ floored so a flat history stays finite); the GP's
 * arithmetic from before warping, kept as it was so unwarped suggestions stay the same bit for bit.
 */
export function standardise(values: ArrayLike<number>): Float64Array {
  const xs = Array.from(values);
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
  return Float64Array.from(xs, (v) => (v - mean) / Math.max(sd, 1e-12));
}

/** Standardise, warp by the fitted Yeo–Johnson transform, standardise again. */
export function warpTargets(values: ArrayLike<number>): Float64Array {
  const z = standardise(values);
  const lambda = fitYeoJohnsonLambda(z);
  return standardise(Float64Array.from(z, (v) => yeoJohnson(v, lambda)));
}
