import { ConfigError } from '../../../errors.js';

/** Architecture of the graph attention network; the tuned hyperparameters plus the data's input sizes. */
export interface GatConfig {
  readonly hiddenDim: number;
  readonly numLayers: number;
  readonly numHeads: number;
  /** Dropout on attention coefficients and layer outputs while training (GAT §2.2). */
  readonly dropout: number;
  readonly nodeInputDim: number;
  readonly edgeInputDim: number;
  /** Per-circuit statistics the readout appends to the pooled node states (`GRAPH_INPUT_DIM`). */
  readonly graphInputDim: number;
  readonly outputDim: number;
}

const positiveInt = (field: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ConfigError(`${field}: expected a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
};

/**
 * Validates an architecture, naming the parameter and the fix.
 * @example validateGatConfig({ hiddenDim: 384, numLayers: 8, numHeads: 8, dropout: 0.1, nodeInputDim: 12, edgeInputDim: 7, graphInputDim: 175, outputDim: 6 })
 */
export function validateGatConfig(c: GatConfig): GatConfig {
  positiveInt('hidden_dim', c.hiddenDim);
  positiveInt('num_layers', c.numLayers);
  positiveInt('num_heads', c.numHeads);
  positiveInt('nodeInputDim', c.nodeInputDim);
  positiveInt('edgeInputDim', c.edgeInputDim);
  positiveInt('graphInputDim', c.graphInputDim);
  positiveInt('outputDim', c.outputDim);
  if (c.hiddenDim % c.numHeads !== 0) {
    throw new ConfigError(
      `hidden_dim ${c.hiddenDim} is not divisible by num_heads ${c.numHeads}; each head takes hidden_dim / num_heads channels, pick values that divide`,
    );
  }
  if (typeof c.dropout !== 'number' || !(c.dropout >= 0 && c.dropout < 1)) {
    throw new ConfigError(`dropout: expected a number in [0, 1), got ${JSON.stringify(c.dropout)}`);
  }
  return c;
}
