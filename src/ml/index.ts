/** The ML runtime shared by every training subsystem: backend choice, training loop, checkpoints. */
export { initBackend, currentRuntime, BACKEND_CHOICES, type BackendChoice, type MlRuntime, type Tf } from './backend.js';
export { train } from './train-loop.js';
export type { TrainableModel, TrainOptions, TrainResult, EpochRecord, StepInfo, StopReason, EarlyStoppingOptions } from './train-types.js';
export { lrAt, resolveLrSchedule, type LrSchedule, type LrScheduleOptions } from './lr-schedule.js';
export { clipByGlobalNorm, globalNorm } from './clip.js';
export { Adam, type AdamOptions } from './adam.js';
export { EarlyStopping } from './early-stopping.js';
export { saveCheckpoint, loadCheckpoint, type CheckpointManifest, type CheckpointTag } from './checkpoint.js';
export { registerWasmKernelShims, WASM_KERNEL_SHIMS } from './kernels/register.js';
