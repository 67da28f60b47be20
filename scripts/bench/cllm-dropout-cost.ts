/**
 * CPU per cllm training step (forward + backward) with keyed dropout masks (a batch with a dropout seed, as training
 * batches carry: model/window-dropout.ts) against seeded tfjs masks (no seed), alternated, on the wasm backend.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench/cllm-dropout-cost.js [--steps 15] [--rounds 2] [--dropout 0.1]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/ml/backend.js';
import { GptModel } from '../../src/subsystems/cllm/model/gpt.js';
import type { TokenBatch } from '../../src/subsystems/cllm/model/gpt.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '2' },
    dropout: { type: 'string', default: '0.1' },
  },
});
const steps = Number(values.steps);
const rounds = Number(values.rounds);
const dropout = Number(values.dropout);
if (!(Number.isInteger(steps) && steps > 0 && Number.isInteger(rounds) && rounds > 0 && dropout > 0 && dropout < 1)) {
  console.error('cllm-dropout-cost: --steps and --rounds take positive integers, --dropout a rate in (0, 1)');
  process.exit(2);
}

await initBackend('wasm');
const [B, T] = [12, 64];
const model = new GptModel({ vocabSize: 65, blockSize: T, nLayer: 4, nHead: 4, nEmbd: 128, dropout }, 1);
const tokens = Int32Array.from({ length: B * T }, (_, i) => (i * 7) % 65);
const targets = Int32Array.from({ length: B * T }, (_, i) => (i * 7 + 1) % 65);

function step(batch: TokenBatch): void {
  const { value, grads } = tf.variableGrads(() => model.loss(batch, true), model.variables as tf.Variable[]);
  value.dataSync();
  tf.dispose([value, ...Object.values(grads)]);
}

for (let r = 1; r <= rounds; r++) {
  for (const keyed of [false, true]) {
    const batch: TokenBatch = { batch: B, time: T, tokens, targets, ...(keyed ? { dropoutSeed: 5 + r } : {}) };
    step(batch);
    step(batch);
    const t0 = process.cpuUsage();
    for (let i = 0; i < steps; i++) step(batch);
    const u = process.cpuUsage(t0);
    console.log(`round ${r} ${keyed ? 'keyed ' : 'seeded'}: ${((u.user + u.system) / steps / 1000).toFixed(1)} ms CPU per step`);
  }
}
