import type { AttrValue, StudyDirection } from '../core/frozen.js';

/** The baseline format this version reads and writes. */
export const BASELINE_FORMAT = 1;

/** A promoted trial: the config full training starts from, and where it came from. */
export interface Baseline {
  readonly parzenBaseline: typeof BASELINE_FORMAT;
  readonly subsystem: string | null;
  readonly objective: string | null;
  readonly metric: string | null;
  readonly direction: StudyDirection;
  /** Full-training defaults with the best trial's params merged over them; what `tune train` runs. */
  readonly config: Readonly<Record<string, AttrValue>>;
  /** The best trial's sampled params alone. */
  readonly params: Readonly<Record<string, AttrValue>>;
  readonly provenance: {
    readonly study: string;
    readonly storage: string;
    readonly trialNumber: number;
    readonly value: number;
    readonly seed: number | null;
    readonly objectiveSeed: number | null;
    readonly budget: Readonly<Record<string, number | null>> | null;
    readonly trialCodeVersion: string | null;
    readonly completedAt: string | null;
    readonly exportedAt: string;
    readonly exportedBy: string;
  };
}
