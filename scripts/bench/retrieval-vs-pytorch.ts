/**
 * parzen's dense retriever against the same encoder in PyTorch 1.13 (Debian python3-torch) on the same batches, in one
 * run: parzen trains `--steps` steps (wasm backend) and writes those exact batches to a JSON file; the peer trains
 * the same number of steps on them with one thread (OMP/OpenBLAS pinned to 1). Reports steps/s of each and the ratio.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/retrieval-vs-pytorch.js [--steps 100 --datasets datasets \
 *     --embed-dim 64 --output-dim 64 --encoder-layers 0 --python /usr/bin/python3]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../src/ml/backend.js';
import { trainModel } from '../../src/subsystems/harness.js';
import { ensureRetrievalDataset } from '../../src/subsystems/retrieval/dataset/prepare.js';
import { sifLogWeights, vocabSize } from '../../src/subsystems/retrieval/dataset/vocab.js';
import { retrievalEngine } from '../../src/subsystems/retrieval/engine.js';
import { parseHyperparams } from '../../src/subsystems/retrieval/hyperparams.js';
import retrieval from '../../src/subsystems/retrieval/index.js';
import type { TripleBatch } from '../../src/subsystems/retrieval/model/batch.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '100' },
    datasets: { type: 'string', default: 'datasets' },
    'embed-dim': { type: 'string', default: '64' },
    'output-dim': { type: 'string', default: '64' },
    'encoder-layers': { type: 'string', default: '0' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});
const steps = Number(values.steps);
const datasetsDir = values.datasets ?? 'datasets';
await ensureRetrievalDataset(join(datasetsDir, 'retrieval'), { seed: 42 });
const hp = parseHyperparams({
  ...retrieval.defaults.full, embed_dim: Number(values['embed-dim']), output_dim: Number(values['output-dim']), encoder_layers: Number(values['encoder-layers']),
  dropout: 0, warmup: 0, min_lr_ratio: 1, clip_norm: null, weight_decay: 0, backend: 'wasm',
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
const { model } = await trainModel({
  engine, hp, data, epochs: 1, batchCap: steps, seed: 42, mode: 'tune',
  onStep: (s) => {
    if (s.step === 0) first = performance.now();
    last = performance.now();
  },
});
model.dispose();
const n = Math.min(steps, seen.length);
const parzen = { backend, steps: n, train_seconds: (last - first) / 1000, steps_per_s: (n - 1) / ((last - first) / 1000) };
const file = join(tmpdir(), `parzen-retrieval-batches-${process.pid}.json`);
const plain = (t: TripleBatch['queries']) => ({ n: t.n, len: t.len, ids: Array.from(t.ids), mask: Array.from(t.mask) });
writeFileSync(file, JSON.stringify({
  config: { vocab_size: vocabSize(data.dataset.vocab), embed_dim: hp.embedDim, output_dim: hp.outputDim, encoder_layers: hp.encoderLayers, lr: hp.projectionLearningRate, temperature: hp.temperature, isotropy_weight: hp.isotropyWeight, reg_weight: hp.regWeight },
  term_log_weights: Array.from(sifLogWeights(data.dataset.vocab)),
  batches: seen.slice(0, n).map((b) => ({ queries: plain(b.queries), positives: plain(b.positives), negatives: plain(b.negatives) })),
}));
const r = spawnSync(values.python ?? '/usr/bin/python3', [resolve('scripts/bench/peers/torch_retrieval.py'), '--batches', file, '--threads', '1'], {
  encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
});
if (r.status !== 0) throw new Error(`peer failed: ${r.stderr}`);
const peer = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
console.log(JSON.stringify({
  config: { embed_dim: hp.embedDim, output_dim: hp.outputDim, encoder_layers: hp.encoderLayers, batch_size: hp.batchSize, max_doc_len: hp.maxDocLen, steps: n },
  parzen, peer, ratio_steps_per_s: parzen.steps_per_s / peer['steps_per_s'],
}, null, 2));
