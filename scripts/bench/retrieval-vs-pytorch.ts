/**
 * parzen's dense retriever against the same encoder in PyTorch 1.13 (Debian python3-torch) on the same batches, in one
 * run: parzen trains `--steps` steps (wasm backend) and writes those exact batches to a JSON file; the peer trains
 * the same number of steps on them with one thread (OMP/OpenBLAS pinned to 1). Reports steps/s of each and the ratio,
 * and the CPU seconds (user + sys) each spent in its timed steps.
 *
 * With `--subword-buckets N` (> 0) both encoders add hashed character n-gram features: the batches carry, per token,
 * the buckets of its word (computed by parzen's SubwordTable), and the peer pools them with nn.EmbeddingBag(mode='mean').
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/retrieval-vs-pytorch.js [--steps 100 --datasets datasets \
 *     --embed-dim 128 --output-dim 128 --encoder-layers 0 --subword-buckets 0 --python /usr/bin/python3]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../src/ml/backend.js';
import { trainModel } from '../../src/subsystems/harness.js';
import { ensureRetrievalDataset } from '../../src/subsystems/retrieval/dataset/prepare.js';
import { sifLogWeights, vocabSize, wordIds } from '../../src/subsystems/retrieval/dataset/vocab.js';
import { retrievalEngine } from '../../src/subsystems/retrieval/engine.js';
import { parseHyperparams } from '../../src/subsystems/retrieval/hyperparams.js';
import retrieval from '../../src/subsystems/retrieval/index.js';
import type { TripleBatch } from '../../src/subsystems/retrieval/model/batch.js';
import { subwordTable } from '../../src/subsystems/retrieval/train.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '100' },
    datasets: { type: 'string', default: 'datasets' },
    'embed-dim': { type: 'string', default: '128' },
    'output-dim': { type: 'string', default: '128' },
    'encoder-layers': { type: 'string', default: '0' },
    'subword-buckets': { type: 'string', default: '0' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});
const steps = Number(values.steps);
const datasetsDir = values.datasets ?? 'datasets';
await ensureRetrievalDataset(join(datasetsDir, 'retrieval'), { seed: 42 });
const hp = parseHyperparams({
  ...retrieval.defaults.full, embed_dim: Number(values['embed-dim']), output_dim: Number(values['output-dim']), encoder_layers: Number(values['encoder-layers']),
  subword_buckets: Number(values['subword-buckets']), dropout: 0, warmup: 0, min_lr_ratio: 1, clip_norm: null, weight_decay: 0, backend: 'wasm',
});
const { backend } = await initBackend('wasm');
const data = await retrievalEngine.loadData(datasetsDir, hp);
const seen: TripleBatch[] = [];
const engine = { ...retrievalEngine, trainBatches: function* (d: typeof data, h: typeof hp, o: { seed: number; epoch: number }) {
  for (const b of retrievalEngine.trainBatches(d, h, o)) {
    seen.push(b);
    yield b;
  }
} };
let first = 0;
let last = 0;
let cpuFirst = process.cpuUsage();
let cpuLast = process.cpuUsage();
const { model } = await trainModel({
  engine, hp, data, epochs: 1, batchCap: steps, seed: 42, mode: 'tune',
  onStep: (s) => {
    if (s.step === 0) {
      first = performance.now();
      cpuFirst = process.cpuUsage();
    }
    last = performance.now();
    cpuLast = process.cpuUsage();
  },
});
model.dispose();
const n = Math.min(steps, seen.length);
const cpuSeconds = (cpuLast.user + cpuLast.system - cpuFirst.user - cpuFirst.system) / 1e6;
const parzen = { backend, steps: n, train_seconds: (last - first) / 1000, steps_per_s: (n - 1) / ((last - first) / 1000), cpu_seconds: cpuSeconds, steps_per_cpu_s: (n - 1) / cpuSeconds };
const subwords = subwordTable(hp, data.tokenizer);
const file = join(tmpdir(), `parzen-retrieval-batches-${process.pid}.json`);
// Word ids as the word embedding reads them; with subwords, each token's n-gram buckets as EmbeddingBag's flat
// input and offsets (padding: an empty bag).
const ngrams = (ids: Int32Array) => {
  const bags = Array.from(ids, (id) => (subwords === null ? new Int32Array(0) : subwords.bucketsOf(id)));
  const offsets: number[] = [];
  const flat: number[] = [];
  for (const b of bags) {
    offsets.push(flat.length);
    flat.push(...b);
  }
  return { ngram_ids: flat, ngram_offsets: offsets };
};
const plain = (t: TripleBatch['queries']) => ({ n: t.n, len: t.len, ids: Array.from(wordIds(t.ids, data.tokenizer.size)), mask: Array.from(t.mask), ...ngrams(t.ids) });
writeFileSync(file, JSON.stringify({
  config: { vocab_size: vocabSize(data.dataset.vocab), embed_dim: hp.embedDim, output_dim: hp.outputDim, encoder_layers: hp.encoderLayers, subword_buckets: hp.subwordBuckets, lr: hp.projectionLearningRate, temperature: hp.temperature, isotropy_weight: hp.isotropyWeight, reg_weight: hp.regWeight },
  term_log_weights: Array.from(sifLogWeights(data.dataset.vocab)),
  batches: seen.slice(0, n).map((b) => ({ queries: plain(b.queries), positives: plain(b.positives), negatives: plain(b.negatives) })),
}));
const r = spawnSync(values.python ?? '/usr/bin/python3', [resolve('scripts/bench/peers/torch_retrieval.py'), '--batches', file, '--threads', '1'], {
  encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
});
if (r.status !== 0) throw new Error(`peer failed: ${r.stderr}`);
const peer = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
console.log(JSON.stringify({
  config: { embed_dim: hp.embedDim, output_dim: hp.outputDim, encoder_layers: hp.encoderLayers, subword_buckets: hp.subwordBuckets, batch_size: hp.batchSize, max_doc_len: hp.maxDocLen, steps: n },
  parzen, peer, ratio_steps_per_s: parzen.steps_per_s / peer['steps_per_s'], ratio_steps_per_cpu_s: parzen.steps_per_cpu_s / peer['steps_per_cpu_s'],
}, null, 2));
