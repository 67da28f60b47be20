/**
 * TPE's own cost per suggestion as the study grows: the lifecycle of pg-suggest-cost.ts (ask, two float suggests,
 * tell) on an in-memory store holding `n` COMPLETE trials, for each size, CPU time per lifecycle
 * (`process.cpuUsage`, so the other jobs on a shared machine do not count) and the ratio to the first size.
 * Small enough to run under `node --cpu-prof` for the profile of one size.
 * Usage: npx tsc -p tsconfig.json && node dist/scripts/bench/tpe-suggest-scaling.js [sizes=1000,20000] [nLifecycles=40]
 */
import { float } from '../../src/space/distributions.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import { TPESampler } from '../../src/samplers/index.js';
import { createStudy } from '../../src/study/create.js';
import type { Study } from '../../src/study/study.js';
import { Rng } from '../../src/util/rng.js';

const sizes = (process.argv[2] ?? '1000,20000').split(',').map(Number);
const nLifecycles = Number(process.argv[3] ?? 40);

async function lifecycle(study: Study): Promise<void> {
  const t = await study.ask();
  const x = t.suggestFloat('x', -5, 5);
  const y = t.suggestFloat('y', -5, 5);
  await study.tell(t, x * x + y * y);
}

/** An in-memory study holding `n` COMPLETE trials of (x, y) uniform on [-5, 5]², seeded so every run stores the same. */
async function studyWith(n: number): Promise<Study> {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, name: 's', sampler: new TPESampler({ seed: 4 }) });
  const d = float(-5, 5);
  const rng = new Rng(7, n, 0);
  for (let k = 0; k < n; k++) {
    const [x, y] = [rng.random() * 10 - 5, rng.random() * 10 - 5];
    const t = await storage.createTrial(study.studyId, { params: { x: { distribution: d, internal: x }, y: { distribution: d, internal: y } } });
    await storage.finishTrial(t.trialId, { state: 'COMPLETE', value: x * x + y * y });
  }
  await lifecycle(study); // compiled before timing
  return study;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const studies = await Promise.all(sizes.map(studyWith));
const perSize = sizes.map(() => ({ cpu: 0, wall: 0 }));
// Sizes taken in turn, so load swings fall on each alike.
for (let i = 0; i < nLifecycles; i++) {
  for (const [k, study] of studies.entries()) {
    const c0 = cpuMs();
    const w0 = performance.now();
    await lifecycle(study);
    perSize[k].wall += performance.now() - w0;
    perSize[k].cpu += cpuMs() - c0;
  }
}
console.log(`node ${process.version}; ${nLifecycles} lifecycles (ask, 2 suggests, tell) per size, in memory, TPESampler defaults`);
console.log('| stored trials | CPU per lifecycle | wall per lifecycle | CPU ratio to the first size |');
console.log('| --- | --- | --- | --- |');
for (const [k, n] of sizes.entries()) {
  const cpu = perSize[k].cpu / nLifecycles;
  console.log(`| ${n} | ${cpu.toFixed(2)} ms | ${(perSize[k].wall / nLifecycles).toFixed(2)} ms | ${(cpu / (perSize[0].cpu / nLifecycles)).toFixed(2)}x |`);
}
