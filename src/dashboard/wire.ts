/**
 * What the dashboard's JSON API sends, shared by the server (api.ts), the page (app/) and the static plots: one
 * definition, no DOM, no Node. ±Infinity travel as strings (JSON has none); `num` reads them back.
 */
export type WireState = 'WAITING' | 'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL';
export type WireParam = string | number | boolean | null;
export type Num = number | 'Infinity' | '-Infinity' | 'NaN';

export type WireDistribution =
  | { readonly kind: 'float' | 'int'; readonly low: number; readonly high: number; readonly log: boolean; readonly step: number | null }
  | { readonly kind: 'categorical'; readonly choices: readonly WireParam[] };

/** One trial as the study page needs it, in few bytes (10,000 of them load at once). */
export interface TrialRow {
  readonly n: number;
  readonly s: WireState;
  readonly v: Num | null;
  readonly p: Readonly<Record<string, WireParam>>;
  readonly t0: number | null;
  readonly t1: number | null;
  readonly w: string | null;
}

export interface WireImportance {
  readonly method: 'ped-anova' | 'fanova';
  readonly nTrials: number;
  /** PED-ANOVA only: how many trials the top quantile holds. */
  readonly nTopTrials?: number;
  readonly importances: readonly { readonly param: string; readonly importance: number }[];
}

/** One trial's intermediate values (`ctx.report`), in step order. */
export interface IntermediateCurve {
  readonly n: number;
  readonly points: readonly (readonly [number, Num])[];
}

export function num(v: Num | null): number | null {
  if (v === null) return null;
  return typeof v === 'number' ? v : Number(v);
}
