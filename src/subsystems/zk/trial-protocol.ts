/**
 * Messages between a trial on a worker thread and the child process that runs it (trial-bridge.ts ⇄
 * trial-process.ts). snarkjs and circomlibjs cannot load on a worker thread at all — their `web-worker` dependency
 * takes any non-main thread for one of its own workers — so a pooled trial proves in a child process.
 */
import type { Attrs, AttrValue, LogLevel } from '../../core/frozen.js';
import type { TrialProgress } from '../../core/objective-context.js';
import type { TrainingBudget } from '../subsystem.js';

export type ToChild =
  | { readonly type: 'start'; readonly params: Readonly<Record<string, unknown>>; readonly trialNumber: number; readonly seed: number; readonly budget: TrainingBudget; readonly datasetsDir: string; readonly trialDir?: string }
  | { readonly type: 'prune-answer'; readonly prune: boolean }
  | { readonly type: 'abort' };

export type FromChild =
  | { readonly type: 'metrics'; readonly step: number; readonly values: Readonly<Record<string, number>> }
  | { readonly type: 'report'; readonly step: number; readonly value: number }
  | { readonly type: 'progress'; readonly p: TrialProgress }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string; readonly data?: Attrs }
  | { readonly type: 'attr'; readonly key: string; readonly value: AttrValue }
  | { readonly type: 'should-prune' }
  | { readonly type: 'done'; readonly value: number }
  | { readonly type: 'pruned'; readonly message: string }
  | { readonly type: 'failed'; readonly code: string | null; readonly message: string; readonly stack: string | null };
