import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryStudy } from './helpers.js';
import { TPESampler } from '../../src/samplers/index.js';
import { float, int } from '../../src/space/distributions.js';

async function paramsFor(seed: number): Promise<unknown[]> {
  const study = await memoryStudy({ sampler: new TPESampler({ seed }) });
  const space = { x: float(-5, 5), n: int(1, 10) };
  const out: unknown[] = [];
  for (let i = 0; i < 25; i++) {
    const t = await study.ask({ space });
    out.push(t.params);
    await study.tell(t, ((t.params.x as number) - 1) ** 2 + (t.params.n as number));
  }
  return out;
}

test('the same seed gives the same suggestions trial by trial; another seed does not', async () => {
  const a = await paramsFor(11);
  const b = await paramsFor(11);
  const c = await paramsFor(12);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});
