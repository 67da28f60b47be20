/**
 * Seeded random arithmetic circuits: the homomorphic-encryption / proof circuits the optimizer subsystem
 * learns to parameterise. A circuit is a DAG whose nodes are numbered in topological order (every edge goes
 * from a lower to a higher index), built layer by layer with random widths and random skip connections so
 * that depth, width and fan-in vary from circuit to circuit.
 */
import type { Rng } from '../../../util/rng.js';

/** Gate kinds, in the order of the one-hot block of `NODE_FEATURES`. */
export const GATE_TYPES = ['input', 'const', 'add', 'sub', 'mul_plain', 'mul_ct', 'rotate'] as const;
export type GateType = (typeof GATE_TYPES)[number];

export const GATE_INPUT = 0;
export const GATE_CONST = 1;
export const GATE_ADD = 2;
export const GATE_SUB = 3;
/** Ciphertext × plaintext constant: no relinearisation, does not count towards multiplicative depth. */
export const GATE_MUL_PLAIN = 4;
/** Ciphertext × ciphertext: needs relinearisation; the only gate that raises multiplicative depth. */
export const GATE_MUL_CT = 5;
export const GATE_ROTATE = 6;

/** Largest operand count of a gate (multi-operand additions sum up to this many ciphertexts). */
export const MAX_FAN_IN = 4;

/** One generated circuit. Node arrays have `nNodes` entries, edge arrays `nEdges`. */
export interface Circuit {
  readonly nNodes: number;
  readonly nEdges: number;
  /** Index into `GATE_TYPES`. */
  readonly gate: Uint8Array;
  /** Longest path (in gates) from any source; sources are 0. */
  readonly depth: Int32Array;
  /** Longest path counting only ct×ct multiplications (`GATE_MUL_CT`). */
  readonly multDepth: Int32Array;
  readonly fanIn: Int32Array;
  readonly fanOut: Int32Array;
  /** 1 for circuit outputs: every gate whose value nothing else consumes. */
  readonly isOutput: Uint8Array;
  /** Edge `e` feeds `edgeSrc[e]` into operand slot `edgePos[e]` of `edgeDst[e]`; `edgeSrc[e] < edgeDst[e]`. */
  readonly edgeSrc: Int32Array;
  readonly edgeDst: Int32Array;
  readonly edgePos: Uint8Array;
  /** 1 when the operand was drawn from a layer older than the previous one (a skip connection). */
  readonly edgeSkip: Uint8Array;
  /** Longest path over the whole circuit, in gates. */
  readonly circuitDepth: number;
  /** Multiplicative depth of the circuit: the largest `multDepth` of any node. */
  readonly circuitMultDepth: number;
  /** Number of ct×ct multiplications (the gates that need relinearisation and cost proof constraints). */
  readonly nMults: number;
}

/** Shape of the random process; the defaults give ~250 nodes on average. */
export interface CircuitShape {
  /** Node count aimed at is uniform in [minNodes, maxNodes) (constants included; the result lands close). */
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Number of gate layers is uniform in [minLayers, maxLayers]. */
  readonly minLayers: number;
  readonly maxLayers: number;
}

export const DEFAULT_CIRCUIT_SHAPE: CircuitShape = { minNodes: 140, maxNodes: 360, minLayers: 3, maxLayers: 36 };

/** Per-circuit knobs drawn once, so circuits differ in style as well as size. */
interface Style {
  readonly nInputs: number;
  readonly widths: number[];
  readonly skipProb: number;
  /** Unnormalised weights of add, sub, mul_plain, mul_ct, rotate. */
  readonly gateWeights: number[];
  readonly constOperandProb: number;
}

const GATE_CHOICES = [GATE_ADD, GATE_SUB, GATE_MUL_PLAIN, GATE_MUL_CT, GATE_ROTATE];

function drawStyle(rng: Rng, shape: CircuitShape): Style {
  const targetNodes = rng.uniform(shape.minNodes, shape.maxNodes);
  const nInputs = 2 + rng.int(15);
  const nLayers = shape.minLayers + rng.int(shape.maxLayers - shape.minLayers + 1);
  const gateWeights = [rng.uniform(0.15, 0.4), rng.uniform(0.03, 0.15), rng.uniform(0.05, 0.25), rng.uniform(0.03, 0.3), rng.uniform(0.03, 0.2)];
  const constOperandProb = rng.uniform(0, 0.15);
  // Each mul_plain brings a fresh constant node, and some add/sub take one: budget gates so that gates plus
  // constants land near the target.
  const total = gateWeights.reduce((a, b) => a + b, 0);
  const constPerGate = (gateWeights[2] + (gateWeights[0] + gateWeights[1]) * constOperandProb) / total;
  const nGates = Math.max(nLayers, Math.round((targetNodes - nInputs) / (1 + constPerGate)));
  // Exponential draws normalised to the budget: a flat Dirichlet(1) split of the gates over the layers.
  const raw = Array.from({ length: nLayers }, () => -Math.log(1 - rng.random()) + 0.1);
  const rawSum = raw.reduce((a, b) => a + b, 0);
  const widths = raw.map((r) => Math.max(1, Math.round((nGates * r) / rawSum)));
  return { nInputs, widths, skipProb: rng.uniform(0.05, 0.45), gateWeights, constOperandProb };
}

/** Growable node/edge storage; capacities are exact upper bounds computed from the style, so no resizing. */
class Builder {
  nNodes = 0;
  nEdges = 0;
  readonly gate: Uint8Array;
  readonly depth: Int32Array;
  readonly multDepth: Int32Array;
  readonly fanIn: Int32Array;
  readonly fanOut: Int32Array;
  readonly edgeSrc: Int32Array;
  readonly edgeDst: Int32Array;
  readonly edgePos: Uint8Array;
  readonly edgeSkip: Uint8Array;

  constructor(maxNodes: number, maxEdges: number) {
    this.gate = new Uint8Array(maxNodes);
    this.depth = new Int32Array(maxNodes);
    this.multDepth = new Int32Array(maxNodes);
    this.fanIn = new Int32Array(maxNodes);
    this.fanOut = new Int32Array(maxNodes);
    this.edgeSrc = new Int32Array(maxEdges);
    this.edgeDst = new Int32Array(maxEdges);
    this.edgePos = new Uint8Array(maxEdges);
    this.edgeSkip = new Uint8Array(maxEdges);
  }

  addSource(gate: number): number {
    const id = this.nNodes++;
    this.gate[id] = gate;
    return id;
  }

  /** Appends a gate over `operands` and derives its depth and multiplicative depth from them. */
  addGate(gate: number, operands: readonly number[], skips: readonly boolean[]): number {
    const id = this.nNodes++;
    this.gate[id] = gate;
    let depth = 0;
    let multDepth = 0;
    for (let pos = 0; pos < operands.length; pos++) {
      const src = operands[pos];
      const e = this.nEdges++;
      this.edgeSrc[e] = src;
      this.edgeDst[e] = id;
      this.edgePos[e] = pos;
      this.edgeSkip[e] = skips[pos] ? 1 : 0;
      this.fanOut[src]++;
      if (this.depth[src] > depth) depth = this.depth[src];
      if (this.multDepth[src] > multDepth) multDepth = this.multDepth[src];
    }
    this.fanIn[id] = operands.length;
    this.depth[id] = depth + 1;
    this.multDepth[id] = gate === GATE_MUL_CT ? multDepth + 1 : multDepth;
    return id;
  }
}

/** Picks ciphertext operands: mostly from the previous layer (values not yet consumed first), sometimes older. */
class OperandPicker {
  #pending: number[];
  readonly #prev: readonly number[];
  readonly #older: readonly (readonly number[])[];

  constructor(
    layers: readonly (readonly number[])[],
    private readonly fanOut: Int32Array,
    private readonly rng: Rng,
    private readonly skipProb: number,
  ) {
    this.#prev = layers[layers.length - 1];
    this.#older = layers.slice(0, -1);
    this.#pending = rng.shuffle(this.#prev.slice());
  }

  /** Returns a node id and whether it came through a skip connection. */
  pick(): { id: number; skip: boolean } {
    if (this.#older.length > 0 && this.rng.random() < this.skipProb) return { id: this.#pickOlder(), skip: true };
    const fresh = this.#pending.pop();
    if (fresh !== undefined) return { id: fresh, skip: false };
    return { id: this.#prev[this.rng.int(this.#prev.length)], skip: false };
  }

  /** A node of an older layer, preferring (three tries) one nothing consumes yet, so few values dangle. */
  #pickOlder(): number {
    let id = -1;
    for (let attempt = 0; attempt < 3; attempt++) {
      const layer = this.#older[this.rng.int(this.#older.length)];
      id = layer[this.rng.int(layer.length)];
      if (this.fanOut[id] === 0) break;
    }
    return id;
  }
}

function operandCount(gate: number, rng: Rng): number {
  if (gate === GATE_ROTATE || gate === GATE_MUL_PLAIN) return 1;
  if (gate === GATE_ADD) {
    // Multi-operand sums (inner products, linear layers): 2 operands usually, up to MAX_FAN_IN.
    let k = 2;
    while (k < MAX_FAN_IN && rng.random() < 0.3) k++;
    return k;
  }
  return 2;
}

/** Emits one gate of `gateType` into `b`, adding its constant operand first when it takes one. */
function emitGate(b: Builder, gateType: number, picker: OperandPicker, rng: Rng, style: Style): number {
  const nCt = operandCount(gateType, rng);
  const operands: number[] = [];
  const skips: boolean[] = [];
  for (let i = 0; i < nCt; i++) {
    let choice = picker.pick();
    // Re-draw a repeated operand once (x − x, x + x are rare in real circuits); squaring x·x stays possible.
    if (operands.includes(choice.id)) choice = picker.pick();
    operands.push(choice.id);
    skips.push(choice.skip);
  }
  const wantsConst = gateType === GATE_MUL_PLAIN || ((gateType === GATE_ADD || gateType === GATE_SUB) && rng.random() < style.constOperandProb);
  if (wantsConst) {
    // The constant is numbered just before its gate, keeping the topological numbering.
    operands.push(b.addSource(GATE_CONST));
    skips.push(false);
  }
  return b.addGate(gateType, operands, skips);
}

/**
 * Generates one random circuit from `rng`. Same rng state → same circuit, bit for bit.
 *
 * @example
 * const c = generateCircuit(new Rng(42, 0));
 * console.log(c.nNodes, c.circuitMultDepth, c.nMults);
 */
export function generateCircuit(rng: Rng, shape: CircuitShape = DEFAULT_CIRCUIT_SHAPE): Circuit {
  const style = drawStyle(rng, shape);
  const nGates = style.widths.reduce((a, b) => a + b, 0);
  // Upper bounds: each gate adds at most one constant and MAX_FAN_IN + 1 edges.
  const b = new Builder(style.nInputs + 2 * nGates, nGates * (MAX_FAN_IN + 1));
  const layers: number[][] = [Array.from({ length: style.nInputs }, () => b.addSource(GATE_INPUT))];
  for (const width of style.widths) {
    const picker = new OperandPicker(layers, b.fanOut, rng, style.skipProb);
    const layer: number[] = [];
    for (let i = 0; i < width; i++) {
      const gateType = GATE_CHOICES[rng.choice(style.gateWeights)];
      layer.push(emitGate(b, gateType, picker, rng, style));
    }
    layers.push(layer);
  }
  return finish(b);
}

/** Trims the builder's arrays and derives outputs and circuit-level statistics. */
function finish(b: Builder): Circuit {
  const n = b.nNodes;
  const isOutput = new Uint8Array(n);
  let circuitDepth = 0;
  let circuitMultDepth = 0;
  let nMults = 0;
  for (let i = 0; i < n; i++) {
    const gate = b.gate[i];
    if (gate !== GATE_INPUT && gate !== GATE_CONST && b.fanOut[i] === 0) isOutput[i] = 1;
    if (gate === GATE_MUL_CT) nMults++;
    if (b.depth[i] > circuitDepth) circuitDepth = b.depth[i];
    if (b.multDepth[i] > circuitMultDepth) circuitMultDepth = b.multDepth[i];
  }
  const m = b.nEdges;
  return {
    nNodes: n,
    nEdges: m,
    gate: b.gate.subarray(0, n),
    depth: b.depth.subarray(0, n),
    multDepth: b.multDepth.subarray(0, n),
    fanIn: b.fanIn.subarray(0, n),
    fanOut: b.fanOut.subarray(0, n),
    isOutput,
    edgeSrc: b.edgeSrc.subarray(0, m),
    edgeDst: b.edgeDst.subarray(0, m),
    edgePos: b.edgePos.subarray(0, m),
    edgeSkip: b.edgeSkip.subarray(0, m),
    circuitDepth,
    circuitMultDepth,
    nMults,
  };
}
