/**
 * How closely one training step's gradients of the optimizer's GAT agree between the fused kernels and the stock ops,
 * in one process, on one generated batch: the loss of each and the worst max-relative difference over variables
 * (max |fused − stock| / max |stock| per variable). A check on the numerics of the fused and C kernels, not a speed
 * benchmark: a tied maximum in the readout sends each gradient to one node (ml/kernels/max-over-rows.ts), so a
 * rounding change can move a gradient by far more than the rounding.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/gat-grad-agreement.js [--hidden 384 --layers 8 --heads 8 --dropout 0.1]
 */
import { parseArgs } from 'node:util';
import { initBackend } from '../../src/ml/backend.js';
import { useFusedKernels } from '../../src/ml/kernels/fused.js';
import { batches, EDGE_INPUT_DIM, type GraphBatch } from '../../src/subsystems/optimizer/batching.js';
import { buildSplit, createLabeller } from '../../src/subsystems/optimizer/dataset/index.js';
import { featureStats, GRAPH_INPUT_DIM, prepareSplit } from '../../src/subsystems/optimizer/feature-stats.js';
import { GatModel } from '../../src/subsystems/optimizer/model/gat-model.js';

const { values } = parseArgs({
  options: {
    hidden: { type: 'string', default: '384' },
    layers: { type: 'string', default: '8' },
    heads: { type: 'string', default: '8' },
    dropout: { type: 'string', default: '0.1' },
  },
});

const { tf, matmul } = await initBackend('wasm');
const split = buildSplit({ nCircuits: 16, seed: 42, split: 'train', labeller: createLabeller() });
const prepared = prepareSplit(split, featureStats(split));
const batch = batches(prepared, { batchSize: 4, seed: 42, epoch: 0, shuffle: true }).next().value as GraphBatch;

/** The loss and every variable's gradient (in variable order) of one step from seed 42. */
function step(fused: boolean): { loss: number; grads: Array<[string, Float32Array]> } {
  useFusedKernels(fused);
  const config = { hiddenDim: Number(values.hidden), numLayers: Number(values.layers), numHeads: Number(values.heads), dropout: Number(values.dropout), nodeInputDim: 12, edgeInputDim: EDGE_INPUT_DIM, graphInputDim: GRAPH_INPUT_DIM, outputDim: 6 };
  const model = new GatModel(config, 42);
  const vars = [...model.variables];
  const { value, grads } = tf.variableGrads(() => model.loss(batch, true), vars);
  const out = { loss: value.dataSync()[0], grads: vars.map((v): [string, Float32Array] => [v.name, Float32Array.from(grads[v.name].dataSync() as Float32Array)]) };
  tf.dispose([value, ...Object.values(grads)]);
  model.dispose();
  return out;
}

const fused = step(true);
const stock = step(false);
let worst = { rel: 0, name: '' };
fused.grads.forEach(([name, g], i) => {
  const ref = stock.grads[i][1];
  let diff = 0;
  let scale = 0;
  for (let j = 0; j < ref.length; j++) {
    diff = Math.max(diff, Math.abs(g[j] - ref[j]));
    scale = Math.max(scale, Math.abs(ref[j]));
  }
  const rel = diff / Math.max(scale, 1e-12);
  if (rel > worst.rel) worst = { rel, name };
});
console.log(JSON.stringify({ matmul, nodes: batch.nNodes, edges: batch.nEdges, lossFused: fused.loss, lossStock: stock.loss, worstMaxRelGradDiff: worst.rel, worstVariable: worst.name }));
