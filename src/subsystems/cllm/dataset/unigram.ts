/**
 * The unigram baseline: the entropy H = −Σ p(c) ln p(c) of the token distribution of `ids`, in nats per token.
 * A model that predicts each token's overall frequency, ignoring context, scores exactly this cross-entropy on
 * the data it was counted on; a language model must do better.
 */
export function unigramEntropyNats(ids: ArrayLike<number>, vocabSize: number): number {
  const counts = new Float64Array(vocabSize);
  for (let i = 0; i < ids.length; i++) counts[ids[i]] += 1;
  let h = 0;
  for (const c of counts) {
    if (c > 0) {
      const p = c / ids.length;
      h -= p * Math.log(p);
    }
  }
  return h;
}
