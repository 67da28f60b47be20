/** Binary classification scores of a logistic model on standardised rows (the owner computes them in plaintext). */

export interface BinaryScores {
  readonly accuracy: number;
  readonly auc: number;
  readonly logLoss: number;
}

const EPS = 1e-12;

/** σ(w·(1, x)) for each row; w[0] is the bias. */
export function predictProba(w: ArrayLike<number>, x: readonly Float64Array[]): Float64Array {
  return Float64Array.from(x, (row) => {
    let s = w[0];
    for (let j = 0; j < row.length; j++) s += w[j + 1] * row[j];
    return 1 / (1 + Math.exp(-s));
  });
}

/** Area under the ROC curve by the rank-sum (Mann–Whitney) statistic, ties given their mean rank. */
export function auc(p: Float64Array, y: Uint8Array): number {
  const idx = Array.from(p, (_, i) => i).sort((a, b) => p[a] - p[b]);
  const ranks = new Float64Array(p.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && p[idx[j + 1]] === p[idx[i]]) j++;
    for (let k = i; k <= j; k++) ranks[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) {
    nPos++;
    rankSum += ranks[i];
  }
  const nNeg = y.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export function scoreBinary(w: ArrayLike<number>, x: readonly Float64Array[], y: Uint8Array): BinaryScores {
  return scoreProbabilities(predictProba(w, x), y);
}

/** Accuracy (threshold ½), AUC and mean log loss of predicted probabilities `p` of the positive class. */
export function scoreProbabilities(p: Float64Array, y: Uint8Array): BinaryScores {
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < p.length; i++) {
    if ((p[i] >= 0.5 ? 1 : 0) === y[i]) correct++;
    const q = Math.min(Math.max(p[i], EPS), 1 - EPS);
    loss -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return { accuracy: correct / p.length, auc: auc(p, y), logLoss: loss / p.length };
}
