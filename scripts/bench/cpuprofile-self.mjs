// Self time by function in a V8 CPU profile (`node --cpu-prof`), largest first: what a run spent where.
// Usage: node scripts/bench/cpuprofile-self.mjs <file.cpuprofile> [top=30] [substring to keep]
import { readFileSync } from 'node:fs';

const [file, topArg, keep] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node scripts/bench/cpuprofile-self.mjs <file.cpuprofile> [top=30] [substring to keep]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const top = Number(topArg ?? 30);
const sampledUs = new Map();
profile.samples.forEach((id, i) => sampledUs.set(id, (sampledUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const self = new Map();
let totalMs = 0;
for (const node of profile.nodes) {
  const ms = (sampledUs.get(node.id) ?? 0) / 1000;
  totalMs += ms;
  const f = node.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + ms);
}
console.log(`${totalMs.toFixed(0)} ms sampled; self ms by function:`);
for (const [key, ms] of [...self].filter(([k]) => keep === undefined || k.includes(keep)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${ms.toFixed(1).padStart(9)}  ${key}`);
}
