import { expectShape, type HostKernel } from './host-kernel.js';
import { nativeKernels } from './native-kernels.js';

/**
 * y = GELU(x + b), exact form u·Φ(u) = ½u(1 + erf(u/√2)) (Hendrycks & Gimpel 2016; PyTorch's nn.GELU), with the
 * bias [C] broadcast over the rows of x [R, C]: one kernel forward, one backward, in place of tfjs' Add, Mul, Mul,
 * Erf, Add, Mul forward and the ~12 ops of their gradients.
 * dy/du = Φ(u) + u·φ(u), φ(u) = exp(−u²/2)/√(2π): the exp that erf needs is the one φ needs, so the forward
 * computes both and hands dy/du to the backward as a second output (exp is most of the cost: ~17 ns a call here).
 */

const SQRT_2PI_INV = 1 / Math.sqrt(2 * Math.PI);

/**
 * erf(z) and exp(−z²) by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), the approximation tfjs' Erf kernels use.
 * Returns erf; exp(−z²) is left in `expOut[0]`.
 */
function erfWithExp(z: number, expOut: Float64Array): number {
  const a = Math.abs(z);
  const t = 1 / (1 + 0.3275911 * a);
  const e = Math.exp(-a * a);
  expOut[0] = e;
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const y = 1 - poly * e;
  return z < 0 ? -y : y;
}

function checkBias(name: string, shapes: ReadonlyArray<readonly number[]>, xAt: number): void {
  const x = shapes[xAt];
  const C = x[x.length - 1];
  const b = shapes[xAt + 1];
  expectShape(b.length === 1 && b[0] === C, name, () => `bias must be [${C}] for x [${x.join(', ')}], got [${b.join(', ')}]`);
}

export const biasGeluKernel: HostKernel = {
  name: 'ParzenBiasGelu',
  inputs: ['x', 'bias'],
  outputShapes: (shapes) => {
    checkBias('ParzenBiasGelu', shapes, 0);
    return [[...shapes[0]], [...shapes[0]]];
  },
  /** Outputs y and dy/du: the backward is then one multiply, with no second exp. */
  compute: ([x, bias], [y, slope]) => {
    const C = bias.length;
    const R = x.length / C;
    const native = nativeKernels();
    if (native !== null) return native.biasGelu(x, bias, y, slope, R, C);
    const scratch = new Float64Array(1);
    for (let r = 0; r < R; r++) {
      for (let c = 0, i = r * C; c < C; c++, i++) {
        const u = x[i] + bias[c];
        const cdf = 0.5 * (1 + erfWithExp(u * Math.SQRT1_2, scratch));
        y[i] = u * cdf;
        slope[i] = cdf + u * scratch[0] * SQRT_2PI_INV;
      }
    }
  },
};

export const biasGeluGradKernel: HostKernel = {
  name: 'ParzenBiasGeluGrad',
  inputs: ['dy', 'slope'],
  outputShapes: (shapes) => {
    expectShape(shapes[0].join(',') === shapes[1].join(','), 'ParzenBiasGeluGrad', () => `dy [${shapes[0].join(', ')}] must match the saved slope [${shapes[1].join(', ')}]`);
    return [[...shapes[1]], [shapes[1][shapes[1].length - 1]]];
  },
  compute: ([dy, slope], [dx, dBias], shapes) => {
    const C = shapes[1][shapes[1].length - 1];
    const R = dy.length / C;
    const native = nativeKernels();
    if (native !== null) return native.biasGeluGrad(dy, slope, dx, dBias, R, C);
    const acc = new Float64Array(C);
    for (let r = 0; r < R; r++) {
      for (let c = 0, i = r * C; c < C; c++, i++) {
        const g = dy[i] * slope[i];
        dx[i] = g;
        acc[c] += g;
      }
    }
    dBias.set(acc);
  },
};
