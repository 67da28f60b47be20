/**
 * Does the optimizer's graph network learn every target? Trains a fresh network with the subsystem's own
 * training pipeline (trainModel with the optimizer engine: AdamW, warmup + cosine, clipping) on the generated datasets and reports test R²
 * and MAE per target beside the training-mean predictor's. A quality figure, not a speed benchmark: it is how
 * architecture changes are compared (docs/benchmarks/gnn.md).
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/gnn-learning.js [--hidden 64 --layers 3 --heads 4 \
 *     --batch-size 8 --lr 1e-3 --epochs 3 --seed 42 --datasets datasets]
 *
 * Generates datasets/optimizer (the default 2000/400/400 tuning sizes, seed 42) when it is missing.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../src/ml/backend.js';
import { ensureDatasets } from '../../src/subsystems/optimizer/dataset/generate.js';
import { OUTPUT_NAMES, evaluateTest } from '../../src/subsystems/optimizer/evaluate.js';
import { prepareSplit } from '../../src/subsystems/optimizer/feature-stats.js';
import { parseHyperparams } from '../../src/subsystems/optimizer/hyperparams.js';
import { trainModel } from '../../src/subsystems/harness.js';
import { optimizerEngine } from '../../src/subsystems/optimizer/engine.js';
import { loadSplit, loadTrainingData } from '../../src/subsystems/optimizer/train.js';

const { values } = parseArgs({
  options: {
    hidden: { type: 'string', default: '64' },
    layers: { type: 'string', default: '3' },
    heads: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '8' },
    lr: { type: 'string', default: '1e-3' },
    epochs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '42' },
    datasets: { type: 'string', default: 'datasets' },
  },
});
const seed = Number(values.seed);
const datasetsDir = values.datasets ?? 'datasets';

await ensureDatasets(join(datasetsDir, 'optimizer'), { seed: 42 });
await initBackend('wasm');
const data = await loadTrainingData(datasetsDir);
const hp = parseHyperparams({
  hidden_dim: Number(values.hidden), num_layers: Number(values.layers), num_heads: Number(values.heads),
  dropout: 0.1, learning_rate: Number(values.lr), batch_size: Number(values['batch-size']), weight_decay: 0.01,
  clip_norm: 1, warmup: 0.05, min_lr_ratio: 0.1, patience: null, tuning_val_circuits: 96, backend: 'wasm',
});
const started = performance.now();
const epochs: { epoch: number; trainLoss: number; valLoss: number }[] = [];
const { model, result } = await trainModel({
  engine: optimizerEngine, hp, data, epochs: Number(values.epochs), batchCap: null, seed, mode: 'full',
  onEpoch: (r) => {
    epochs.push({ epoch: r.epoch + 1, trainLoss: r.trainLoss, valLoss: r.valLoss });
    process.stderr.write(`epoch ${r.epoch + 1}: train ${r.trainLoss.toFixed(4)} val ${r.valLoss.toFixed(4)} (${r.seconds.toFixed(0)} s)\n`);
  },
});
const test = prepareSplit(await loadSplit(datasetsDir, 'test'), data.stats);
const scores = evaluateTest(model, test, data.train.split, hp.batchSize);
model.dispose();
const r2 = Object.fromEntries(OUTPUT_NAMES.map((n) => [n, { model: scores[`${n}_r2`], trainingMean: scores[`${n}_mean_baseline_r2`], mae: scores[`${n}_mae`] }]));
console.log(JSON.stringify({
  hp: { hidden: hp.hiddenDim, layers: hp.numLayers, heads: hp.numHeads, batchSize: hp.batchSize, lr: hp.learningRate },
  epochs, bestValLoss: result.bestValLoss, wallSeconds: (performance.now() - started) / 1000, testCircuits: test.split.nCircuits, r2,
}, null, 2));
