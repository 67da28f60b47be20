/**
 * The error function and its complement in double precision: a port of FreeBSD's msun `s_erf.c`
 * (Sun Microsystems, 1993), the same rational approximations Optuna 3.1 vendors in `_tpe/_erf.py`.
 * JavaScript has no `Math.erf`; the truncated normal in `truncnorm.ts` needs both erf and an erfc that stays
 * accurate in the far tail (erfc(x) for x up to ~27), where `1 - erf(x)` would cancel to zero.
 */

const ERX = 8.45062911510467529297e-1;
const EFX = 1.28379167095512586316e-1;
// |x| < 0.84375
const PP = [1.28379167095512558561e-1, -3.25042107247001499370e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5];
const QQ = [3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.96022827877536812320e-6];
// 0.84375 <= |x| < 1.25
const PA = [-2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.16637559486879084300e-3];
const QA = [1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.19844998467991074170e-2];
// 1.25 <= |x| < 1/0.35
const RA = [-9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592];
const SA = [1.96512716674392571292e1, 1.37657754143519042600e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2];
// 1/0.35 <= |x| < 28
const RB = [-9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2];
const SB = [3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1];

/** c[0] + s·c[1] + s²·c[2] + … (Horner). */
function poly(c: readonly number[], s: number): number {
  let r = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) r = r * s + c[i];
  return r;
}

/** 1 + s·c[0] + s²·c[1] + … */
function poly1(c: readonly number[], s: number): number {
  return 1 + s * poly(c, s);
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** x with the low 32 bits of its mantissa cleared (msun's SET_LOW_WORD(z, 0)), so z*z is exact. */
function truncateLowWord(x: number): number {
  f64[0] = x;
  u32[LOW_WORD] = 0;
  return f64[0];
}

/** erfc(|x|)·|x| for |x| in [1.25, 28): exp(-x² - 0.5625 + R/S) with the square split for accuracy. */
function tailTimesX(ax: number): number {
  const s = 1 / (ax * ax);
  const rs = ax < 1 / 0.35 ? poly(RA, s) / poly1(SA, s) : poly(RB, s) / poly1(SB, s);
  const z = truncateLowWord(ax);
  return Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + rs);
}

/** The error function erf(x) = 2/√π ∫₀ˣ e^{-t²} dt, to within about one ulp. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x + EFX * x;
    const z = x * x;
    return x + x * (poly(PP, z) / poly1(QQ, z));
  }
  const sign = x < 0 ? -1 : 1;
  if (ax < 1.25) {
    const s = ax - 1;
    return sign * (ERX + poly(PA, s) / poly1(QA, s));
  }
  if (ax >= 6) return sign;
  return sign * (1 - tailTimesX(ax) / ax);
}

/** The complementary error function erfc(x) = 1 - erf(x), accurate in the upper tail (no cancellation). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -56) return 1 - x;
    const z = x * x;
    const y = poly(PP, z) / poly1(QQ, z);
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const pq = poly(PA, s) / poly1(QA, s);
    return x >= 0 ? 1 - ERX - pq : 1 + ERX + pq;
  }
  if (ax < 28) {
    if (x < 0 && ax >= 6) return 2;
    const r = tailTimesX(ax) / ax;
    return x > 0 ? r : 2 - r;
  }
  return x > 0 ? 0 : 2;
}
