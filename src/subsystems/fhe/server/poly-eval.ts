/**
 * p(t) = c0 + Σ_{k odd} c_k t^k on a ciphertext, with a fixed depth (params.ts `sigmoidDepth`) and every term landing
 * on exactly `targetScale` at the same last level before the sum: t², t⁴, t⁶ are squared up once; the term of
 * degree k ≥ 3 is (c_k·t)·t^(k−1), the constant folded into the shallow factor at the scale that makes the product
 * hit the target (ops.ts `multiplyPlain` encodes at target·q/scale).
 */
import type { CkksContext } from '../ckks/context.js';
import { add, addPlain, levelOf, modSwitchTo, multiply, multiplyPlain } from '../ckks/ops.js';
import { sigmoidDepth } from '../ckks/params.js';
import { free, type CipherText, type RelinKeys } from '../ckks/seal.js';

/** Even powers t², t⁴, t⁶ that a degree-d odd polynomial needs. */
function evenPowers(k: CkksContext, t: CipherText, degree: number, relin: RelinKeys): Map<number, CipherText> {
  const powers = new Map<number, CipherText>();
  powers.set(2, multiply(k, 'sigmoid t^2', t, t, relin));
  if (degree >= 5) {
    const p2 = powers.get(2) as CipherText;
    powers.set(4, multiply(k, 'sigmoid t^4', p2, p2, relin));
  }
  if (degree >= 7) {
    const p4 = powers.get(4) as CipherText;
    const p2 = modSwitchTo(k, 'sigmoid t^6', powers.get(2) as CipherText, levelOf(k, p4));
    powers.set(6, multiply(k, 'sigmoid t^6', p4, p2, relin));
    p2.delete();
  }
  return powers;
}

function oddTerm(k: CkksContext, o: { t: CipherText; coefficient: number; power: CipherText; targetScale: number; relin: RelinKeys }): CipherText {
  const powerLevel = levelOf(k, o.power);
  const factorScale = (o.targetScale * k.chain[powerLevel].prime) / o.power.scale;
  const scaled = multiplyPlain(k, 'sigmoid c_k·t', o.t, o.coefficient, factorScale);
  const aligned = modSwitchTo(k, 'sigmoid c_k·t', scaled, powerLevel);
  const term = multiply(k, 'sigmoid term', aligned, o.power, o.relin);
  free(scaled, aligned);
  return term;
}

/** p(t) at level(t) + sigmoidDepth(degree), scale targetScale. `coefficients[k]` for k = 0..degree (even k > 0 ignored). */
export function evalOddPolynomial(k: CkksContext, t: CipherText, coefficients: readonly number[], o: { targetScale: number; relin: RelinKeys }): CipherText {
  const degree = coefficients.length - 1;
  const lastLevel = levelOf(k, t) + sigmoidDepth(degree);
  const powers = evenPowers(k, t, degree, o.relin);
  const linear = multiplyPlain(k, 'sigmoid c_1·t', t, coefficients[1], o.targetScale);
  let sum = modSwitchTo(k, 'sigmoid c_1·t', linear, lastLevel);
  linear.delete();
  for (let d = 3; d <= degree; d += 2) {
    const term = oddTerm(k, { t, coefficient: coefficients[d], power: powers.get(d - 1) as CipherText, targetScale: o.targetScale, relin: o.relin });
    const aligned = modSwitchTo(k, 'sigmoid sum', term, lastLevel);
    const next = add(k, 'sigmoid sum', sum, aligned);
    free(term, aligned, sum);
    sum = next;
  }
  free(...powers.values());
  const out = addPlain(k, 'sigmoid c_0', sum, coefficients[0]);
  sum.delete();
  return out;
}
