/** The lattice security estimator and the parameter search built on it. */
export {
  estimateLwe,
  deltaBkz,
  logDeltaBkz,
  secretStd,
  validateLweParameters,
  MIN_BLOCK_SIZE,
  type LweEstimate,
  type LweParameters,
  type SecretDistribution,
  type SvpCostModel,
} from './primal-usvp.js';
export { searchParameters, MIN_RING_DIMENSION, MAX_RING_DIMENSION, type CircuitShape, type LatticeParameters } from './param-search.js';
export { parseModulus } from './modulus.js';
export { formatEstimate } from './format.js';
export { proofSizeBytes, type ProofSizeInput } from './proof-size.js';
