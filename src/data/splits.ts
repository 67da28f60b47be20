/** The three splits every subsystem's dataset has; held-out data is `val` (tuning, early stopping) and `test`. */
export const SPLIT_NAMES = ['train', 'val', 'test'] as const;

export type SplitName = (typeof SPLIT_NAMES)[number];
