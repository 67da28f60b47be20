/** The graph network's gathers and segment sums now live in the shared ML kit (ml/kernels/gather-rows.ts). */
export { gatherRows, segmentSum } from '../../../ml/kernels/gather-rows.js';
