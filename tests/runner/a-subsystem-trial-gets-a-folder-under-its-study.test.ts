import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AttrValue } from '../../src/core/frozen.js';
import { loadTarget, type TargetSpec } from '../../src/runner/target.js';

const MODULE = new URL('./fixtures/trial-dir-subsystem.js', import.meta.url).href;

async function trialDirOf(spec: TargetSpec, trialNumber: number): Promise<AttrValue | undefined> {
  const target = await loadTarget(spec);
  const attrs: Record<string, AttrValue> = {};
  await target.run({ x: 0.5 }, {
    trialNumber, seed: 1, budget: { epochs: null, batchCap: null }, signal: new AbortController().signal,
    report: () => undefined, metrics: () => undefined, log: () => undefined, progress: () => undefined,
    setAttr: (k, v) => void (attrs[k] = v), shouldPrune: () => false, prune: () => undefined as never,
  });
  return attrs['trial_dir'];
}

test('a subsystem trial gets <studiesDir>/<study>/trials/<number> when the target names the study folder, and none otherwise', async () => {
  const base = { kind: 'subsystem', name: 'trial-dir-probe', module: MODULE, datasetsDir: '/tmp/datasets', defaults: {} } as const;
  assert.equal(await trialDirOf({ ...base, trialsDir: join('/srv', 'studies', 'z', 'trials') }, 7), join('/srv', 'studies', 'z', 'trials', '7'));
  assert.equal(await trialDirOf(base, 7), 'none');
});
