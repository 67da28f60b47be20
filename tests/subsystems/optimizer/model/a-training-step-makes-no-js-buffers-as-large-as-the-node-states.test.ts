import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packBatch } from '../../../../src/subsystems/optimizer/batching.js';
import { fusedGatLayerActive } from '../../../../src/subsystems/optimizer/model/fused-gat-layer.js';
import { GatModel } from '../../../../src/subsystems/optimizer/model/gat-model.js';
import { TINY_CONFIG, tinyPrepared, wasmRuntime } from './fixtures.js';

/**
 * Regression (issue 17, session 29): a graph-network training step on wasm made ~14 MB of JS ArrayBuffers at the
 * tuned size (a fresh Float32Array per keyed dropout mask, the readout's dataSync copies and gradient buffers, the
 * stock slice kernel copying the gradient out of the heap under a concat). V8 counts them as external memory and
 * ran a full collection every other step, whose concurrent marking took the CPU a second data-parallel replica
 * needs. Now masks, readout and gradients are written into and read from the wasm heap. This counts the buffers
 * at least as large as one node-state tensor that JS makes during forward + backward with keyed dropout.
 */

const TYPED = ['Float32Array', 'Float64Array', 'Int32Array', 'Uint8Array'] as const;

/** Run `fn`, counting the typed arrays of ≥ `minBytes` made with a fresh buffer or by `slice`; returns their sites. */
function largeBuffersDuring(minBytes: number, fn: () => void): string[] {
  const seen: string[] = [];
  const g = globalThis as unknown as Record<string, unknown>;
  const natives = TYPED.map((name) => g[name] as new (...a: unknown[]) => ArrayBufferView);
  const proto = Object.getPrototypeOf(Uint8Array.prototype) as { slice: (...a: unknown[]) => ArrayBufferView };
  const slice = proto.slice;
  const note = (kind: string, bytes: number): void => {
    if (bytes >= minBytes) seen.push(`${kind} of ${bytes} B at ${(new Error().stack ?? '').split('\n')[3]?.trim()}`);
  };
  TYPED.forEach((name, i) => {
    g[name] = new Proxy(natives[i], {
      construct(target, args, newTarget) {
        const made = Reflect.construct(target, args, newTarget === g[name] ? target : newTarget) as ArrayBufferView;
        if (!(args[0] instanceof ArrayBuffer || args[0] instanceof SharedArrayBuffer)) note(`new ${name}`, made.byteLength);
        return made;
      },
    });
  });
  proto.slice = function (this: ArrayBufferView, ...args: unknown[]) {
    const copy = slice.apply(this, args);
    note('slice', copy.byteLength);
    return copy;
  };
  try {
    fn();
  } finally {
    TYPED.forEach((name, i) => {
      g[name] = natives[i];
    });
    proto.slice = slice;
  }
  return seen;
}

test('a training step with keyed dropout makes no JS buffer as large as the node states (masks, readout and gradients stay in the wasm heap)', async () => {
  const { tf } = await wasmRuntime();
  assert.ok(fusedGatLayerActive(), 'the fused layer should be active on wasm');
  const data = tinyPrepared(6, 11);
  const config = { ...TINY_CONFIG, hiddenDim: 64, numLayers: 3, dropout: 0.2 };
  const model = new GatModel(config, 9);
  const batch = { ...packBatch(data, [0, 1, 2, 3, 4, 5]), dropoutSeed: 777 };
  const step = (): void => {
    const { value, grads } = tf.variableGrads(() => model.loss(batch, true), [...model.variables]);
    value.dispose();
    tf.dispose(Object.values(grads));
  };
  step(); // warm-up: kernels and host moments of the first call are not what a steady step makes
  const minBytes = batch.nNodes * config.hiddenDim * 4;
  const seen = largeBuffersDuring(minBytes, () => {
    step();
    step();
  });
  model.dispose();
  assert.deepEqual(seen, [], `JS buffers of ≥ ${minBytes} B (one [${batch.nNodes}, ${config.hiddenDim}] float32 tensor) made during two steps`);
});
