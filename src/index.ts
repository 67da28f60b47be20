/**
 * parzen's public API. Everything not re-exported here is internal.
 * @example
 * import { createStudy, TPESampler, float } from 'parzen';
 */
export { ConfigError, DatasetError, ObjectiveError, ParzenError, StorageError, TrainingError, TrialPruned, WorkerError } from './errors.js';
export type { ErrorCode } from './errors.js';
export { categorical, float, int } from './space/distributions.js';
export type { CategoricalDistribution, Distribution, FloatDistribution, IntDistribution, ParamsOf, ParamValue, SearchSpace } from './space/distributions.js';
export { defineConfig } from './config/define.js';
export type { ParzenConfig, SubsystemConfig, TuningSettings } from './config/define.js';
export { defineObjective } from './study/objective.js';
export type { ObjectiveContext, ObjectiveDefinition } from './study/objective.js';
export { createStudy, loadStudy } from './study/create.js';
export type { CreateStudyOptions } from './study/create.js';
export { Study } from './study/study.js';
export { Trial } from './study/trial.js';
export type { FrozenRun, FrozenStudy, FrozenTrial, StudyDirection, TrialState } from './core/frozen.js';
export { DEFAULT_TPE_OPTIONS, GPSampler, GridSampler, OPTUNA31_TPE_OPTIONS, QMCSampler, RandomSampler, TPESampler } from './samplers/index.js';
export type { GPSamplerOptions, QMCSamplerOptions, TPESamplerOptions } from './samplers/index.js';
export { createPruner, HyperbandPruner, MedianPruner, PercentilePruner, SuccessiveHalvingPruner } from './pruners/index.js';
export type { Sampler, SamplerContext } from './samplers/sampler.js';
export type { Pruner, PrunerContext } from './pruners/pruner.js';
export { openStorage } from './storage/open.js';
export type { Storage, StorageOptions } from './storage/storage.js';
export { tune } from './runner/tune.js';
export type { TuneOptions, TuneSummary } from './runner/tune.js';
export { listStudies, listTrials, getBestTrials, getTrialDetail, listRuns, getRunDetail } from './study/queries.js';
export type { MetricSeries, RunDetail, TrialDetail, TrialPage, TrialQueryOptions } from './study/queries.js';
export { buildBaseline, readBaseline, writeBaseline } from './baseline/baseline.js';
export type { Baseline } from './baseline/baseline.js';
export { runFullTraining } from './baseline/full-train.js';
export type { FullTrainingOptions } from './baseline/full-train.js';
export { loadSubsystem, registerSubsystem, subsystemNames } from './subsystems/registry.js';
export { defineTrainingSubsystem, trainModel } from './subsystems/harness.js';
export type { EngineModel, TrainingEngine, TrainingSubsystemSpec } from './subsystems/harness.js';
export type {
  CommandIo,
  CommandOption,
  OpenedRun,
  FullTrainContext,
  FullTrainResult,
  PrepareOptions,
  PrepareResult,
  Subsystem,
  SubsystemCommand,
  SubsystemDatasets,
  SubsystemTrialContext,
  TrainingBudget,
} from './subsystems/subsystem.js';
export { paramReader, parseTrainingHyperparams, TRAINING_DEFAULTS } from './ml/hyperparams.js';
export type { TrainingHyperparams } from './ml/hyperparams.js';
