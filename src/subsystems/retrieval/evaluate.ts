/**
 * Scoring on a held-out split, every system on the same queries and corpus: the trained dense model, the same
 * encoder untrained (its initial weights), BM25 (k1, b from the config), the plain reciprocal rank fusion of BM25
 * and dense, and the hybrid: their score interpolation with the BM25 weight chosen on validation. Imports TensorFlow.js.
 */
import type { RankedQuery } from '../../ml/metrics/ranking.js';
import type { RetrievalData } from './data.js';
import type { RetrievalHyperparams } from './hyperparams.js';
import type { DenseRetriever } from './model/retriever.js';
import { Bm25Index } from './search/bm25.js';
import { DenseIndex, embedAll } from './search/dense.js';
import { chooseFusionWeight, fuseAll } from './search/fusion.js';
import { RANK_DEPTH, scoreRankings, type RetrievalScores } from './search/scores.js';
import type { Hit } from './search/top-k.js';

function ranked(data: RetrievalData, hits: readonly Hit[][], relevant: ReadonlyArray<ReadonlySet<string>>): RankedQuery[] {
  return hits.map((h, i) => ({ ranked: h.map((x) => data.dataset.corpus[x.doc].id), relevant: relevant[i] }));
}

/** The dense model's top-`RANK_DEPTH` documents for every query of `split`. */
export function denseHits(model: DenseRetriever, data: RetrievalData, split: 'val' | 'test'): Hit[][] {
  const index = new DenseIndex(embedAll(model, data.corpusTokens), model.config.outputDim);
  try {
    return index.search(embedAll(model, data.splits[split].queries), RANK_DEPTH);
  } finally {
    index.dispose();
  }
}

/** Validation MRR@10 of the dense model: the tuning metric. */
export function denseMrr10(model: DenseRetriever, data: RetrievalData, split: 'val' | 'test' = 'val'): number {
  return scoreRankings(ranked(data, denseHits(model, data, split), data.splits[split].relevant))['mrr_at_10'];
}

export interface SystemScores {
  readonly dense: RetrievalScores;
  readonly untrained: RetrievalScores;
  readonly bm25: RetrievalScores;
  /** Plain reciprocal rank fusion of BM25 and dense (equal weights, k = rrf_k). */
  readonly rrf: RetrievalScores;
  /** Score interpolation of BM25 and dense, its weight chosen on validation. */
  readonly hybrid: RetrievalScores;
}

function bm25Hits(index: Bm25Index, data: RetrievalData, split: 'val' | 'test'): Hit[][] {
  return data.dataset.splits[split].map((q) => index.search(q.query, RANK_DEPTH));
}

/** MRR@10 + Recall@10 of fused rankings: what the hybrid's fusion weight is chosen by on validation. */
function fusionObjective(data: RetrievalData, rel: ReadonlyArray<ReadonlySet<string>>): (fused: Hit[][]) => number {
  return (fused) => {
    const s = scoreRankings(ranked(data, fused, rel));
    return s['mrr_at_10'] + s['recall_at_10'];
  };
}

/**
 * Every system's scores on `split`; `untrained` is a model with the trained one's initial weights. The hybrid's
 * BM25 weight is chosen on the validation split (never on `split` = test) by MRR@10 + Recall@10.
 */
export function compareSystems(o: { model: DenseRetriever; untrained: DenseRetriever; data: RetrievalData; hp: RetrievalHyperparams; split: 'val' | 'test' }): { scores: SystemScores; fusionWeight: number } {
  const { data, split } = o;
  const rel = data.splits[split].relevant;
  const bm25 = new Bm25Index(data.corpusTexts, { k1: o.hp.bm25K1, b: o.hp.bm25B });
  const fusion = { method: 'interpolation' as const, k: o.hp.rrfK, depth: RANK_DEPTH };
  const { weight } = chooseFusionWeight(bm25Hits(bm25, data, 'val'), denseHits(o.model, data, 'val'), fusionObjective(data, data.splits.val.relevant), fusion);
  const sparse = bm25Hits(bm25, data, split);
  const dense = denseHits(o.model, data, split);
  const scores = {
    dense: scoreRankings(ranked(data, dense, rel)),
    untrained: scoreRankings(ranked(data, denseHits(o.untrained, data, split), rel)),
    bm25: scoreRankings(ranked(data, sparse, rel)),
    rrf: scoreRankings(ranked(data, fuseAll(sparse, dense, 0.5, { ...fusion, method: 'rrf' }), rel)),
    hybrid: scoreRankings(ranked(data, fuseAll(sparse, dense, weight, fusion), rel)),
  };
  return { scores, fusionWeight: weight };
}

const COLUMNS = [['mrr_at_10', 'MRR@10'], ['ndcg_at_10', 'nDCG@10'], ['recall_at_1', 'R@1'], ['recall_at_5', 'R@5'], ['recall_at_10', 'R@10'], ['recall_at_100', 'R@100']] as const;

const LABELS: Readonly<Record<keyof SystemScores, string>> = { dense: 'dense', untrained: 'untrained encoder', bm25: 'bm25', rrf: 'RRF (equal)', hybrid: 'hybrid (interp.)' };

/** The systems side by side, one line each (what `tune train` prints under the run's results). */
export function scoreTable(s: SystemScores, title: string): string[] {
  const pad = (x: string, n: number): string => x.padEnd(n);
  const head = `${pad(title, 18)}${COLUMNS.map(([, h]) => h.padStart(8)).join('')}`;
  const rows = (Object.keys(s) as Array<keyof SystemScores>).map((name) => `${pad(LABELS[name], 18)}${COLUMNS.map(([k]) => s[name][k].toFixed(4).padStart(8)).join('')}`);
  return [head, ...rows];
}
