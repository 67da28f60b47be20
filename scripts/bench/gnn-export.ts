/**
 * Writes packed batches and a model's initial weights to `<dir>/batches.bin` + `<dir>/batches.json`, so the
 * PyTorch peer (scripts/bench/peers/torch_gat.py) trains the same architecture from the same weights on the
 * very same batches. Arrays are little-endian float32 / int32, laid end to end; the manifest gives each one's
 * byte offset, element count and dtype.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphBatch } from '../../src/subsystems/optimizer/batching.js';
import type { GatModel } from '../../src/subsystems/optimizer/model/gat-model.js';

export interface ArrayRef {
  readonly offset: number;
  readonly length: number;
  readonly dtype: 'float32' | 'int32';
  readonly shape: readonly number[];
}

class BinWriter {
  readonly chunks: Buffer[] = [];
  bytes = 0;
  add(a: Float32Array | Int32Array, shape: readonly number[]): ArrayRef {
    const ref: ArrayRef = { offset: this.bytes, length: a.length, dtype: a instanceof Float32Array ? 'float32' : 'int32', shape };
    const buf = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    this.chunks.push(Buffer.from(buf));
    this.bytes += buf.byteLength;
    return ref;
  }
}

function batchRefs(w: BinWriter, b: GraphBatch, edgeDim: number): Record<string, ArrayRef | number> {
  return {
    nGraphs: b.nGraphs, nNodes: b.nNodes, nEdges: b.nEdges, maxNodes: b.maxNodes,
    nodeFeatures: w.add(b.nodeFeatures, [b.nNodes, b.nodeFeatures.length / Math.max(b.nNodes, 1)]),
    src: w.add(b.src, [b.nEdges]),
    dst: w.add(b.dst, [b.nEdges]),
    edgeFeatures: w.add(b.edgeFeatures, [b.nEdges, edgeDim]),
    readoutIndex: w.add(b.readoutIndex, [b.nGraphs * b.maxNodes]),
    readoutBias: w.add(b.readoutBias, [b.nGraphs, b.maxNodes]),
    nodeCounts: w.add(b.nodeCounts, [b.nGraphs]),
    graphInputs: w.add(b.graphInputs, [b.nGraphs, b.graphInputs.length / Math.max(b.nGraphs, 1)]),
    targets: w.add(b.targets, [b.nGraphs, 6]),
  };
}

/** Exports `batches` and `model`'s current weights (in variable order, names without the instance prefix). */
export function exportBatches(dir: string, model: GatModel, batches: readonly GraphBatch[]): void {
  const w = new BinWriter();
  const weights = model.variables.map((v) => ({
    name: v.name.replace(/^gat\d+\//, ''),
    ...w.add(v.dataSync() as Float32Array, v.shape),
  }));
  const manifest = {
    format: 'parzen-gnn-batches', version: 2,
    config: model.config,
    weights,
    batches: batches.map((b) => batchRefs(w, b, model.config.edgeInputDim)),
  };
  writeFileSync(join(dir, 'batches.bin'), Buffer.concat(w.chunks));
  writeFileSync(join(dir, 'batches.json'), JSON.stringify(manifest));
}
