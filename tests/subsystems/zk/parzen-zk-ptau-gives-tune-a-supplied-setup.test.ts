/**
 * `tune` has no subsystem flags, so PARZEN_ZK_PTAU names a public ceremony's powers of tau for it: the zk prepare step
 * (which `tune` runs before the first trial) registers it as a supplied setup, preferred over a local one; a file that
 * is not a ptau is a ConfigError naming the variable; without one, prepare says that a local setup proves nothing to
 * a third party.
 */
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/errors.js';
import { ensurePtau, listPtau } from '../../../src/subsystems/zk/artifacts/setup.js';
import zk from '../../../src/subsystems/zk/index.js';
import { TEST_PTAU } from './fixtures.js';

const saved = { cache: process.env['PARZEN_ZK_CACHE'], ptau: process.env['PARZEN_ZK_PTAU'] };
afterEach(() => {
  for (const [k, v] of [['PARZEN_ZK_CACHE', saved.cache], ['PARZEN_ZK_PTAU', saved.ptau]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function prepare(ptau: string | undefined): Promise<{ cache: string; logs: string[] }> {
  const root = mkdtempSync(join(tmpdir(), 'parzen-zk-ptau-env-'));
  const cache = join(root, 'cache');
  process.env['PARZEN_ZK_CACHE'] = cache;
  if (ptau === undefined) delete process.env['PARZEN_ZK_PTAU'];
  else process.env['PARZEN_ZK_PTAU'] = ptau;
  const logs: string[] = [];
  await zk.datasets.prepare({ datasetsDir: join(root, 'datasets'), seed: 1, log: (m) => void logs.push(m) });
  return { cache, logs };
}

test('PARZEN_ZK_PTAU registers a supplied powers of tau that the setup then prefers', async () => {
  const { cache, logs } = await prepare(TEST_PTAU);
  assert.deepEqual(listPtau(cache).map((f) => [f.kind, f.power]), [['supplied', 12]]);
  assert.ok(logs.some((m) => /using the supplied powers of tau 2\^12/.test(m)), logs.join('\n'));
  assert.equal((await ensurePtau(cache, 10, () => undefined)).kind, 'supplied');
});

test('a PARZEN_ZK_PTAU that is not a ptau file is a configuration error naming the variable', async () => {
  const bogus = join(mkdtempSync(join(tmpdir(), 'parzen-zk-ptau-bogus-')), 'x.ptau');
  writeFileSync(bogus, 'not a ptau, just text long enough to read a header from'.repeat(2));
  await assert.rejects(prepare(bogus), (e: unknown) => e instanceof ConfigError && /^PARZEN_ZK_PTAU .*x\.ptau: not a powers of tau file/.test(e.message));
});

test('without a supplied file, prepare says a local setup convinces no third party', async () => {
  const { logs } = await prepare(undefined);
  assert.ok(logs.some((m) => /generated on this machine .* convince only someone who trusts this machine.*PARZEN_ZK_PTAU/.test(m)), logs.join('\n'));
});
