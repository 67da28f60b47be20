import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, StorageError } from '../../src/errors.js';
import type { LogLevel } from '../../src/core/frozen.js';
import { createStudyLogger, latestLogFile } from '../../src/tracking/logger.js';

test('an unknown level is a usage error listing the levels', () => {
  assert.throws(
    () => createStudyLogger({ studyDir: tmpdir(), level: 'verbose' as LogLevel }),
    (e: unknown) => e instanceof ConfigError && e.code === 'USAGE' && /'verbose'.*trace, debug, info/.test(e.message),
  );
});

test('a study directory that cannot hold logs/ is a StorageError naming it', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'parzen-logs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const notADir = join(root, 'file');
  writeFileSync(notADir, 'x');
  assert.throws(
    () => createStudyLogger({ studyDir: notADir }),
    (e: unknown) => e instanceof StorageError && e.message.includes(join(notADir, 'logs')),
  );
});

test('asking for the latest log of a study never run is a usage error', (t) => {
  const studyDir = mkdtempSync(join(tmpdir(), 'parzen-logs-'));
  t.after(() => rmSync(studyDir, { recursive: true, force: true }));
  assert.throws(() => latestLogFile(studyDir), (e: unknown) => e instanceof ConfigError && /no log files under/.test(e.message));
});
