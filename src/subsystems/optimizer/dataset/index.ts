/**
 * Circuit datasets of the optimizer subsystem: generation, features, labels, HDF5 files and normalisation.
 * Importing this module does not load h5wasm; `readSplit` / `writeSplit` load it on first use.
 */
export type { CircuitSplit } from './types.js';
export { EDGE_FEATURE_COUNT, METRIC_NAMES, NODE_FEATURE_COUNT, TARGET_NAMES } from './types.js';
export { DEFAULT_CIRCUIT_SHAPE, GATE_TYPES, MAX_FAN_IN, generateCircuit, type Circuit, type CircuitShape, type GateType } from './circuit.js';
export { EDGE_FEATURES, MULT_DEPTH_SCALE, NODE_FEATURES } from './features.js';
export { TARGET_SECURITY_BITS, createLabeller, type CircuitLabels, type Labeller } from './labels.js';
export { SplitBuilder, buildSplit, circuitRng, type BuildSplitOptions } from './build-split.js';
export { REGENERATE_HINT, validateSplit } from './validate-split.js';
export { FORMAT_VERSION, readSplit, writeSplit, type LoadedSplit, type SplitAttrs } from './hdf5-split.js';
export {
  DEFAULT_SEED,
  FULL_SIZES,
  SPLIT_NAMES,
  TUNING_SIZES,
  ensureDatasets,
  generateDatasets,
  type DatasetManifest,
  type GenerateOptions,
  type GenerateProgress,
  type SplitName,
} from './generate.js';
export {
  LOG2_COLUMNS,
  computeNormalisation,
  denormaliseLabels,
  normaliseLabels,
  type ColumnNorm,
  type LabelNormalisation,
} from './normalisation.js';
