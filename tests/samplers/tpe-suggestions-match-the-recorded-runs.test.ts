import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FIXTURE, RUNS, replay } from './tpe-recorded-runs.js';

// Recorded with the sampler before its observations were kept incrementally (and before windowed scoring): at up to
// 1,100 trials every suggestion must come out bit for bit the same, which JSON's shortest round-trip form preserves.
const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown[]>;

for (const run of RUNS) {
  test(`TPE suggests exactly the recorded parameters: ${run.name}`, () => {
    const expected = recorded[run.name];
    assert.ok(Array.isArray(expected), `no recording named "${run.name}" in ${FIXTURE}`);
    const got = replay(run);
    assert.equal(got.length, expected.length);
    for (let i = 0; i < got.length; i++) assert.deepStrictEqual(got[i], expected[i], `trial ${i}`);
  });
}
