import { parentPort, workerData } from 'node:worker_threads';
import type { FrozenTrial } from '../core/frozen.js';
import { fanovaImportance } from '../importance/index.js';

/**
 * fANOVA for the dashboard, on a worker thread: growing the forest takes seconds on a large study, and on the server's
 * own thread it would hold up every page and the live stream meanwhile. The trials arrive by structured clone.
 */
const { trials } = workerData as { trials: readonly FrozenTrial[] };
parentPort!.postMessage(fanovaImportance(trials));
