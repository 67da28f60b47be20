/**
 * The circuits there are (one per step kind) and the shapes they are compiled for: the model, features d, rows per
 * step, fractional bits F and, for LoRA, the adapter rank. `mainCircom` instantiates the step template for a shape;
 * `circuitSources` lists the source files it includes (their text is part of the cache key).
 */
import { LORA_CIRCOM } from './lora-circom.js';
import { SGD_COMMON_CIRCOM } from './sgd-common-circom.js';
import { SGD_FULL_CIRCOM } from './sgd-full-circom.js';

/** linear / logistic: full SGD (every weight moves); lora: frozen base, rank-`rank` adapters move. */
export type ModelKind = 'linear' | 'logistic' | 'lora';

/** The shape a circuit is compiled for. */
export interface CircuitShape {
  readonly model: ModelKind;
  /** Features per row. */
  readonly d: number;
  /** Rows per step; a power of two. */
  readonly batch: number;
  /** Fractional bits F. */
  readonly fracBits: number;
  /** LoRA adapter rank (0 for full SGD). */
  readonly rank: number;
}

/** Value bits VB: every fixed-point value lies in [-2^VB, 2^VB), i.e. |real| < 2^(VB − F) = 256. */
export function valueBits(shape: Pick<CircuitShape, 'fracBits'>): number {
  return shape.fracBits + 8;
}

/** Parameters the commitment chain carries: d + 1 weights (full SGD), or R·d + R adapter values (LoRA). */
export function nParams(shape: CircuitShape): number {
  return shape.model === 'lora' ? shape.rank * shape.d + shape.rank : shape.d + 1;
}

/** Public inputs, in the circuit's order. */
export function publicNames(shape: CircuitShape): readonly string[] {
  return shape.model === 'lora' ? ['cOld', 'cNew', 'cBatch', 'lr', 'cBase'] : ['cOld', 'cNew', 'cBatch', 'lr'];
}

/** A shape's name in folders and logs: `linear-d4-b4-f16`, `lora2-d4-b4-f16`. */
export function shapeLabel(shape: CircuitShape): string {
  const m = shape.model === 'lora' ? `lora${shape.rank}` : shape.model;
  return `${m}-d${shape.d}-b${shape.batch}-f${shape.fracBits}`;
}

/** The source files a shape's circuit includes, by file name. */
export function circuitSources(shape: CircuitShape): Readonly<Record<string, string>> {
  return shape.model === 'lora' ? { 'sgd_common.circom': SGD_COMMON_CIRCOM, 'lora.circom': LORA_CIRCOM } : { 'sgd_common.circom': SGD_COMMON_CIRCOM, 'sgd_full.circom': SGD_FULL_CIRCOM };
}

/** The main component for `shape`, its public inputs named. */
export function mainCircom(shape: CircuitShape): string {
  const lb = Math.log2(shape.batch);
  const vb = valueBits(shape);
  const [include, instance] =
    shape.model === 'lora'
      ? ['lora.circom', `LoraStep(${shape.d}, ${shape.rank}, ${lb}, ${shape.fracBits}, ${vb})`]
      : ['sgd_full.circom', `SgdFullStep(${shape.d}, ${lb}, ${shape.fracBits}, ${vb}, ${shape.model === 'logistic' ? 1 : 0})`];
  return `pragma circom 2.0.0;\n\ninclude "${include}";\n\ncomponent main {public [${publicNames(shape).join(', ')}]} = ${instance};\n`;
}
