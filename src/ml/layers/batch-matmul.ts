/**
 * a[i] · b[i] for every i of [N, m, k] × [N, k, n] → [N, m, n]; moved to ml/kernels/matmul.ts (which also takes
 * transpose flags), re-exported here for the callers that import it from layers/.
 */
export { batchMatMul } from '../kernels/matmul.js';
