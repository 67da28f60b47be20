/**
 * The retrieval subsystem's search cost at 10 000 documents: encoding throughput (docs/s) of the dense encoder,
 * and per-query latency of exact dense search, BM25 and the two hybrids (score interpolation, RRF) over the same corpus.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/retrieval-search.js [--docs 10000 --queries 200 \
 *     --datasets datasets --embed-dim 128 --output-dim 128 --encoder-layers 0 --subword-buckets 0]
 *
 * Encoding is reported per wall second and per CPU second (user + sys of this process: what a loaded machine does
 * not inflate); latencies are wall medians and p95s, so on a busy machine the p95 holds scheduling stalls.
 *
 * The corpus is the default dataset's passages (Moby Dick, built when missing) repeated with a copy number
 * appended until it holds `--docs` documents; the queries are its test queries. The model is untrained: the cost of
 * encoding and searching does not depend on the weights.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../src/ml/backend.js';
import { ensureRetrievalDataset } from '../../src/subsystems/retrieval/dataset/prepare.js';
import { parseHyperparams } from '../../src/subsystems/retrieval/hyperparams.js';
import retrieval from '../../src/subsystems/retrieval/index.js';
import { loadRetrievalData } from '../../src/subsystems/retrieval/data.js';
import { Bm25Index } from '../../src/subsystems/retrieval/search/bm25.js';
import { DenseIndex, embedAll } from '../../src/subsystems/retrieval/search/dense.js';
import { interpolateScores, reciprocalRankFusion } from '../../src/subsystems/retrieval/search/fusion.js';
import { createRetriever } from '../../src/subsystems/retrieval/train.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '10000' },
    queries: { type: 'string', default: '200' },
    datasets: { type: 'string', default: 'datasets' },
    'embed-dim': { type: 'string', default: '128' },
    'output-dim': { type: 'string', default: '128' },
    'encoder-layers': { type: 'string', default: '0' },
    'subword-buckets': { type: 'string', default: '0' },
  },
});
const nDocs = Number(values.docs);
const datasetsDir = values.datasets ?? 'datasets';
await ensureRetrievalDataset(join(datasetsDir, 'retrieval'), { seed: 42 });
const hp = parseHyperparams({ ...retrieval.defaults.full, embed_dim: Number(values['embed-dim']), output_dim: Number(values['output-dim']), encoder_layers: Number(values['encoder-layers']), subword_buckets: Number(values['subword-buckets']), backend: 'wasm' });
const { backend } = await initBackend('wasm');
const data = await loadRetrievalData(datasetsDir, hp);
const texts = Array.from({ length: nDocs }, (_, i) => `${data.corpusTexts[i % data.corpusTexts.length]} copy${Math.floor(i / data.corpusTexts.length)}`);
const tokens = texts.map((t) => data.tokenizer.encode(t, hp.maxDocLen));
const queries = data.dataset.splits.test.slice(0, Number(values.queries)).map((q) => q.query);
const model = createRetriever(hp, data, 1);

const time = <T>(f: () => T): { value: T; s: number; cpuS: number } => {
  const t = performance.now();
  const c = process.cpuUsage();
  const value = f();
  const u = process.cpuUsage(c);
  return { value, s: (performance.now() - t) / 1000, cpuS: (u.user + u.system) / 1e6 };
};
embedAll(model, tokens.slice(0, 256)); // warm the wasm kernels
const enc = time(() => embedAll(model, tokens));
const index = new DenseIndex(enc.value, hp.outputDim);
const bm = time(() => new Bm25Index(texts, { k1: hp.bm25K1, b: hp.bm25B }));
const perQuery = (f: (q: string) => unknown): number[] => queries.map((q) => time(() => f(q)).s * 1000).sort((a, b) => a - b);
const denseSearch = (q: string) => index.search(embedAll(model, [data.tokenizer.encode(q, hp.maxQueryLen)]), 100)[0];
denseSearch(queries[0]);
const dense = perQuery(denseSearch);
const bm25 = perQuery((q) => bm.value.search(q, 100));
const rrf = perQuery((q) => reciprocalRankFusion([bm.value.search(q, 100), denseSearch(q)], { k: 60, depth: 100 }));
// The hybrid `tune train` reports: min-max score interpolation (the weight does not change the cost).
const hybrid = perQuery((q) => interpolateScores([bm.value.search(q, 100), denseSearch(q)], { depth: 100, weights: [0.5, 0.5] }));
const stats = (ms: number[]) => ({ median_ms: ms[Math.floor(ms.length / 2)], p95_ms: ms[Math.floor(ms.length * 0.95)] });
console.log(JSON.stringify({
  backend, docs: nDocs, queries: queries.length, config: { embed_dim: hp.embedDim, output_dim: hp.outputDim, encoder_layers: hp.encoderLayers, subword_buckets: hp.subwordBuckets, max_doc_len: hp.maxDocLen },
  encode_docs_per_s: nDocs / enc.s, encode_seconds: enc.s, encode_docs_per_cpu_s: nDocs / enc.cpuS, encode_cpu_seconds: enc.cpuS, bm25_index_seconds: bm.s,
  query_latency: { dense: stats(dense), bm25: stats(bm25), hybrid_interpolation: stats(hybrid), hybrid_rrf: stats(rrf) },
}, null, 2));
index.dispose();
model.dispose();
