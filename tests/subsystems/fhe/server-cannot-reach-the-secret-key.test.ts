import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSeal } from '../../../src/subsystems/fhe/ckks/seal.js';
import { deriveCkksParams } from '../../../src/subsystems/fhe/ckks/params.js';
import { DataOwner } from '../../../src/subsystems/fhe/owner/data-owner.js';

// Tests run from dist/tests; the sources they check sit at the same relative place under the repository root.
const here = dirname(fileURLToPath(import.meta.url));
const fheSrc = resolve(here, '../../../../src/subsystems/fhe');

/** Every source file reachable from `entry` through relative imports (type-only imports included). */
function moduleGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else seen.add(`package:${spec}`);
    }
  };
  visit(entry);
  return seen;
}

test('the training server imports nothing from owner/ and no module it reaches names a secret key or a decryptor', () => {
  const serverFiles = readdirSync(join(fheSrc, 'server')).filter((f) => f.endsWith('.ts'));
  assert.ok(serverFiles.length >= 2);
  for (const f of serverFiles) {
    const graph = moduleGraph(join(fheSrc, 'server', f));
    for (const m of graph) {
      assert.ok(!m.includes(`${join('fhe', 'owner')}`), `server/${f} reaches ${m}`);
      assert.ok(!/secret-key|decryptor|key-generator/.test(m), `server/${f} reaches ${m}`);
      if (!m.startsWith('package:')) assert.doesNotMatch(readFileSync(m, 'utf8'), /SecretKey|Decryptor|KeyGenerator|\.decrypt\(/, `${m} (reached from server/${f})`);
    }
  }
});

test('the check sees an owner import when there is one (the owner module reaches its secret key)', () => {
  const graph = [...moduleGraph(join(fheSrc, 'owner', 'data-owner.ts'))];
  assert.ok(graph.some((m) => m.includes('secret-key')));
});

test('the keys handed to the server are exactly the public, relinearisation and Galois keys', async () => {
  const seal = await loadSeal();
  const owner = DataOwner.create(seal, deriveCkksParams({ polyModulusDegree: 8192, scaleBits: 24, depthPerIteration: 6 }), [1]);
  try {
    const keys = owner.serverKeys;
    assert.deepEqual(Object.keys(keys).sort(), ['galoisKeys', 'publicKey', 'relinKeys']);
    assert.ok(Object.isFrozen(keys));
    assert.deepEqual(Object.keys(owner), [], 'the owner exposes no fields: its secret key is a #private member');
  } finally {
    owner.delete();
  }
});
