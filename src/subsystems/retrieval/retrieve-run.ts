/** `tune retrieve`: the top documents of a finished retrieval run (its config, the dataset's vocabulary, its best checkpoint). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { OpenedRun } from '../subsystem.js';
import { vocabHash } from './dataset/vocab.js';
import { parseHyperparams } from './hyperparams.js';
import type { Hit } from './search/top-k.js';

export interface RetrievedDocs {
  readonly runId: number;
  readonly query: string;
  readonly system: 'dense' | 'bm25' | 'hybrid';
  readonly corpusSize: number;
  readonly hits: ReadonlyArray<{ readonly id: string; readonly score: number; readonly text: string }>;
}

/**
 * @example await retrieveFromRun(opened, { query: 'the white whale', k: 5, system: 'dense', defaults })
 */
export async function retrieveFromRun(opened: OpenedRun, o: { query: string; k: number; system: RetrievedDocs['system']; defaults: Readonly<Record<string, unknown>> }): Promise<RetrievedDocs> {
  const { run, checkpointDir } = opened;
  if (!(Number.isInteger(o.k) && o.k >= 1)) throw new ConfigError(`--k: must be a positive integer, got ${o.k}`, { code: 'USAGE' });
  if (o.query.trim().length === 0) throw new ConfigError('--query: is empty; give the text to search for', { code: 'USAGE' });
  if (run.state !== 'COMPLETE' || !existsSync(join(checkpointDir, 'best.json'))) {
    throw new ConfigError(`--run ${run.runId}: the run is ${run.state} and has no best checkpoint in ${checkpointDir}; retrieve with a COMPLETE run (tune runs lists them)`, { code: 'USAGE' });
  }
  // A run recorded before subword features existed has no subword_buckets key: it was trained without them, so
  // today's default (on) must not be filled in, or its checkpoint would not fit the model.
  const hp = parseHyperparams({ ...o.defaults, ...('subword_buckets' in run.config ? {} : { subword_buckets: 0 }), ...run.config });
  const [{ initBackend }, { loadCheckpoint }, { loadRetrievalData }, { createRetriever }, { Bm25Index }, { DenseIndex, embedAll }, { interpolateScores, reciprocalRankFusion }] = await Promise.all([
    import('../../ml/backend.js'), import('../../ml/checkpoint.js'), import('./data.js'), import('./train.js'), import('./search/bm25.js'), import('./search/dense.js'), import('./search/fusion.js'),
  ]);
  const { tf } = await initBackend(hp.backend);
  const data = await loadRetrievalData(opened.datasetsDir, hp);
  const want = run.result?.['vocab_hash'];
  if (typeof want === 'string' && want !== vocabHash(data.dataset.vocab)) {
    throw new ConfigError(`--run ${run.runId}: the dataset in ${data.dir} was rebuilt since the run trained (its vocabulary differs); prepare the run's dataset again (${String(run.result?.['dataset_source'])}) or train a new run`, { code: 'USAGE' });
  }
  const depth = Math.max(o.k, 100);
  const bm25 = () => new Bm25Index(data.corpusTexts, { k1: hp.bm25K1, b: hp.bm25B }).search(o.query, depth);
  const dense = async () => {
    const model = createRetriever(hp, data, 0);
    try {
      await loadCheckpoint(tf, { dir: checkpointDir, tag: 'best', variables: model.variables });
      const index = new DenseIndex(embedAll(model, data.corpusTokens), hp.outputDim);
      try {
        return index.search(embedAll(model, [data.tokenizer.encode(o.query, hp.maxQueryLen)]), depth)[0];
      } finally {
        index.dispose();
      }
    } finally {
      model.dispose();
    }
  };
  // The hybrid interpolates with the BM25 weight the run chose on validation (runs from before it: plain RRF).
  const w = run.result?.['fusion_bm25_weight'];
  const hybrid = async (): Promise<Hit[]> => (typeof w === 'number' ? interpolateScores([bm25(), await dense()], { depth, weights: [w, 1 - w] }) : reciprocalRankFusion([bm25(), await dense()], { k: hp.rrfK, depth }));
  const hits = o.system === 'bm25' ? bm25() : o.system === 'dense' ? await dense() : await hybrid();
  return {
    runId: run.runId, query: o.query, system: o.system, corpusSize: data.corpusTexts.length,
    hits: hits.slice(0, o.k).map((h) => ({ id: data.dataset.corpus[h.doc].id, score: h.score, text: data.corpusTexts[h.doc] })),
  };
}
