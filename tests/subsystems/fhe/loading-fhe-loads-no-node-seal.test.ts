import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Modules the compiled file loads when imported: static `import … from` only, following relative ones. */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) staticGraph(resolve(dirname(file), spec), seen);
    else seen.add(`package:${spec}`);
  }
  return seen;
}

test('importing the fhe subsystem (what tune --help does) loads no node-seal: it is imported inside a trial', () => {
  const index = resolve(here, '../../../src/subsystems/fhe/index.js');
  const graph = [...staticGraph(index)];
  assert.ok(graph.length >= 2);
  assert.deepEqual(graph.filter((m) => m.includes('node-seal')), []);
  const session = [...staticGraph(resolve(here, '../../../src/subsystems/fhe/session.js'))];
  assert.ok(session.some((m) => m.endsWith('ckks/seal.js')), 'the check follows imports (session.js reaches the lazy loader)');
});
