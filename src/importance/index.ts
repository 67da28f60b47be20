export { pedAnovaImportance, topTrials, type PedAnovaOptions, type ImportanceResult, type ParamImportance } from './ped-anova.js';
export { fanovaImportance, type FanovaOptions, type FanovaResult, type FanovaImportance } from './fanova.js';
