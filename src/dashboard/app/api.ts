/** What the server's JSON API answers (src/dashboard/api.ts); ±Infinity arrive as strings. */
import type { Num, TrialRow, WireDistribution, WireImportance, WireParam, WireState } from '../wire.js';

export { num } from '../wire.js';
export type { Num, TrialRow };
export type TrialState = WireState;
export type ParamValue = WireParam;
export type Distribution = WireDistribution;
export type Importance = WireImportance;

export interface StudyOverview {
  name: string;
  direction: 'minimize' | 'maximize';
  nTrials: number;
  counts: Record<TrialState, number>;
  bestValue: Num | null;
  bestTrialNumber: number | null;
  lastActivityMs: number | null;
  systemAttrs: Record<string, unknown>;
}

export interface StudyTrials {
  study: { name: string; direction: 'minimize' | 'maximize' };
  distributions: Record<string, Distribution>;
  trials: TrialRow[];
}

export interface TrialDetail {
  study: { name: string; direction: string };
  trial: {
    number: number; state: TrialState; value: Num | null; params: Record<string, ParamValue>;
    datetimeStart: string | null; datetimeComplete: string | null; durationMs: number | null; runMs: number | null;
    intermediateValues: Record<string, Num>; error: { message: string; stack: string | null; code: string | null } | null;
    worker: string | null; seed: number | null; budget: Record<string, number | null> | null; userAttrs: Record<string, unknown>;
  };
  series: Record<string, { step: number; value: number; timestamp: number }[]>;
  logs: { level: string; message: string; timestamp: number }[];
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({ error: res.statusText }))) as { error?: string };
    throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  }
  return (await res.json()) as T;
}

export const studyPath = (name: string): string => `/api/studies/${encodeURIComponent(name)}`;

/** A full-training run as /api/runs sends it (FrozenRun as JSON). */
export interface RunInfo {
  runId: number;
  studyName: string | null;
  /** The study trial it trained; null for runs stored before runs recorded it. */
  trialNumber: number | null;
  subsystem: string;
  state: 'RUNNING' | 'COMPLETE' | 'FAIL';
  config: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error: { message: string; stack: string | null; code: string | null } | null;
  datetimeStart: string;
  datetimeComplete: string | null;
  codeVersion: string | null;
}

export interface TrialBrief {
  number: number;
  value: Num | null;
  params: Record<string, ParamValue>;
}

export interface RunDetail {
  run: RunInfo;
  series: Record<string, { step: number; value: number; timestamp: number }[]>;
  logs: { level: string; message: string; timestamp: number }[];
  /**
   * The study it came from (null: the run names no study still in the store) and the trial it trained: the one the
   * run records (`recorded`), or for older runs the trial whose params it trained with (`params`).
   */
  source: { study: string; direction: 'minimize' | 'maximize'; matchedBy: 'recorded' | 'params'; trial: TrialBrief | null; best: TrialBrief | null } | null;
}

export const runPath = (id: number): string => `/api/runs/${id}`;
