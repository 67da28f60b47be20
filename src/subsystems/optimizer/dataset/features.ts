/**
 * Node and edge feature rows of a circuit, written straight into the flat float32 arrays of a split.
 * The column order is part of the file format (`FORMAT_VERSION` in hdf5-split.ts): change it, bump that.
 */
import { GATE_TYPES, MAX_FAN_IN, type Circuit } from './circuit.js';
import { EDGE_FEATURE_COUNT, NODE_FEATURE_COUNT } from './types.js';

/**
 * Node feature columns, in order:
 * - 0–6 `is_<gate>`: one-hot gate type (input, const, add, sub, mul_plain, mul_ct, rotate);
 * - 7 `depth_norm`: longest path from a source ÷ the circuit's depth, in [0, 1];
 * - 8 `mult_depth`: ct×ct multiplications on the longest such path into the node ÷ `MULT_DEPTH_SCALE`
 *   (absolute, not per circuit, so a readout can recover the circuit's multiplicative depth);
 * - 9 `fan_in`: operands ÷ `MAX_FAN_IN`;
 * - 10 `fan_out`: ln(1 + consumers) (fan-out is heavy-tailed);
 * - 11 `is_output`: 1 for circuit outputs.
 */
export const NODE_FEATURES = [
  'is_input',
  'is_const',
  'is_add',
  'is_sub',
  'is_mul_plain',
  'is_mul_ct',
  'is_rotate',
  'depth_norm',
  'mult_depth',
  'fan_in',
  'fan_out',
  'is_output',
] as const satisfies readonly string[] & { length: typeof NODE_FEATURE_COUNT };

/**
 * Edge feature columns, in order:
 * - 0 `operand_position`: operand slot ÷ (`MAX_FAN_IN` − 1) (order matters for sub and rotate);
 * - 1 `depth_gap`: (depth(dst) − depth(src)) ÷ the circuit's depth;
 * - 2 `src_mult_depth`: the source's multiplicative depth ÷ `MULT_DEPTH_SCALE`;
 * - 3 `is_skip`: 1 when the operand skips at least one layer;
 * - 4 `gcn_weight`: 1 / √((deg(src) + 1)(deg(dst) + 1)), deg = fan-in + fan-out: the symmetric normalisation
 *   with self-loops of Kipf & Welling, "Semi-Supervised Classification with Graph Convolutional Networks"
 *   (ICLR 2017), eq. 2, precomputed so a message-passing layer can use it as an edge weight.
 */
export const EDGE_FEATURES = ['operand_position', 'depth_gap', 'src_mult_depth', 'is_skip', 'gcn_weight'] as const satisfies readonly string[] & {
  length: typeof EDGE_FEATURE_COUNT;
};

/** Divisor of multiplicative depths in the features: typical circuits stay below it, so values stay ≲ 1. */
export const MULT_DEPTH_SCALE = 16;

const IDX_DEPTH = GATE_TYPES.length;
const IDX_MULT_DEPTH = IDX_DEPTH + 1;
const IDX_FAN_IN = IDX_DEPTH + 2;
const IDX_FAN_OUT = IDX_DEPTH + 3;
const IDX_OUTPUT = IDX_DEPTH + 4;

/**
 * Writes `circuit.nNodes` rows of `NODE_FEATURES` into `out` starting at row `row`.
 * `out` must have room for them (the caller sizes it).
 */
export function writeNodeFeatures(circuit: Circuit, out: Float32Array, row: number): void {
  const depthScale = 1 / Math.max(1, circuit.circuitDepth);
  let o = row * NODE_FEATURE_COUNT;
  for (let i = 0; i < circuit.nNodes; i++, o += NODE_FEATURE_COUNT) {
    out.fill(0, o, o + IDX_DEPTH);
    out[o + circuit.gate[i]] = 1;
    out[o + IDX_DEPTH] = circuit.depth[i] * depthScale;
    out[o + IDX_MULT_DEPTH] = circuit.multDepth[i] / MULT_DEPTH_SCALE;
    out[o + IDX_FAN_IN] = circuit.fanIn[i] / MAX_FAN_IN;
    out[o + IDX_FAN_OUT] = Math.log1p(circuit.fanOut[i]);
    out[o + IDX_OUTPUT] = circuit.isOutput[i];
  }
}

/**
 * Writes `circuit.nEdges` rows of `EDGE_FEATURES` into `features` and (src, dst) pairs into `index`, both
 * starting at edge row `row`.
 */
export function writeEdges(circuit: Circuit, index: Int32Array, features: Float32Array, row: number): void {
  const depthScale = 1 / Math.max(1, circuit.circuitDepth);
  const { depth, fanIn, fanOut } = circuit;
  let o = row * EDGE_FEATURE_COUNT;
  let p = row * 2;
  for (let e = 0; e < circuit.nEdges; e++, o += EDGE_FEATURE_COUNT, p += 2) {
    const src = circuit.edgeSrc[e];
    const dst = circuit.edgeDst[e];
    index[p] = src;
    index[p + 1] = dst;
    features[o] = circuit.edgePos[e] / (MAX_FAN_IN - 1);
    features[o + 1] = (depth[dst] - depth[src]) * depthScale;
    features[o + 2] = circuit.multDepth[src] / MULT_DEPTH_SCALE;
    features[o + 3] = circuit.edgeSkip[e];
    features[o + 4] = 1 / Math.sqrt((fanIn[src] + fanOut[src] + 1) * (fanIn[dst] + fanOut[dst] + 1));
  }
}
