import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import type { LogLevel } from '../../src/core/frozen.js';
import { createStudyLogger, latestLogFile } from '../../src/tracking/logger.js';

test('an unknown level is a usage error listing the levels', () => {
  assert.throws(
    () => createStudyLogger({ dir: tmpdir(), level: 'verbose' as LogLevel }),
    (e: unknown) => e instanceof ConfigError && e.code === 'USAGE' && /'verbose'.*trace, debug, info/.test(e.message),
  );
});

test('asking for the latest log of a study never run is a usage error', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-logs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.throws(() => latestLogFile(dir), (e: unknown) => e instanceof ConfigError && e.message.includes(`no log files under ${dir}`));
});
