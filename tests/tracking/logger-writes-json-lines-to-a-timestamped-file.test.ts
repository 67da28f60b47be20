import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudyLogger, latestLogFile, listLogFiles } from '../../src/tracking/logger.js';

test('the logger writes pino JSON lines to <log dir>/<ISO timestamp>.log, creating the folder', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'parzen-logs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'tuning.db.logs', 'optimizer');
  const { logger, file } = createStudyLogger({ dir, startedAt: new Date('2025-03-04T05:06:07.089Z') });
  assert.equal(file, join(dir, '2025-03-04T05-06-07.089Z.log'));
  logger.info({ trial: 3, value: 0.42 }, 'trial complete');
  logger.debug('below the default level');
  logger.warn({ trial: 4 }, 'trial pruned');
  // Writes are synchronous: the lines are on disk without a flush.
  const lines = readFileSync(join(dir, '2025-03-04T05-06-07.089Z.log'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 2);
  assert.deepEqual(
    lines.map((l) => [l.level, l.msg, l.trial]),
    [
      [30, 'trial complete', 3],
      [40, 'trial pruned', 4],
    ],
  );
  assert.equal(lines[0].value, 0.42);
  assert.match(String(lines[0].time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('each run gets its own file, listed oldest first; the latest is the last run', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'parzen-logs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(listLogFiles(dir), []);
  const later = createStudyLogger({ dir, level: 'debug', startedAt: new Date('2025-03-05T00:00:00.000Z') });
  const earlier = createStudyLogger({ dir, startedAt: new Date('2025-03-04T23:59:59.999Z') });
  later.logger.debug('debug is written at level debug');
  // A run's file exists from the start, before its first line.
  assert.deepEqual(listLogFiles(dir), [join(dir, '2025-03-04T23-59-59.999Z.log'), join(dir, '2025-03-05T00-00-00.000Z.log')]);
  assert.deepEqual([earlier.file, later.file], listLogFiles(dir));
  assert.equal(latestLogFile(dir), later.file);
  assert.match(readFileSync(join(dir, '2025-03-05T00-00-00.000Z.log'), 'utf8'), /debug is written at level debug/);
});
