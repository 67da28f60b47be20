/**
 * Natural order for names with numbers in them: `p2` before `p10`, `layer_9_units` before `layer_10_units`.
 * Runs of digits compare by value (any length: compared as digit strings, so no precision is lost), everything else
 * by code unit; on a tie (`p01` vs `p1`) the plain string order decides, so the order is total and stable.
 */
export function naturalCompare(a: string, b: string): number {
  const x = chunks(a);
  const y = chunks(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = compareChunk(x[i], y[i]);
    if (c !== 0) return c;
  }
  if (x.length !== y.length) return x.length - y.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `names` in natural order (a new array). */
export function naturalSort(names: Iterable<string>): string[] {
  return [...names].sort(naturalCompare);
}

function chunks(s: string): string[] {
  return s.match(/\d+|\D+/g) ?? [];
}

function compareChunk(a: string, b: string): number {
  const aDigits = /^\d/.test(a);
  const bDigits = /^\d/.test(b);
  // A number sorts before text at the same position (`p1` < `pa`), as in most file managers.
  if (aDigits !== bDigits) return aDigits ? -1 : 1;
  const [u, v] = aDigits ? [stripZeros(a), stripZeros(b)] : [a, b];
  // Digit strings without leading zeros: the longer is the larger number; of equal length, string order is value order.
  if (aDigits && u.length !== v.length) return u.length - v.length;
  return u < v ? -1 : u > v ? 1 : 0;
}

function stripZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}
