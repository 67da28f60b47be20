export { pedAnovaImportance, topTrials, type PedAnovaOptions, type ImportanceResult, type ParamImportance } from './ped-anova.js';
