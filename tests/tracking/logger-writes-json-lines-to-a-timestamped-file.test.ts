import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudyLogger, latestLogFile, listLogFiles } from '../../src/tracking/logger.js';

test('the logger writes pino JSON lines to <studyDir>/logs/<ISO timestamp>.log, creating the folder', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'parzen-logs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const studyDir = join(root, 'studies', 'optimizer');
  const { logger, file } = createStudyLogger({ studyDir, startedAt: new Date('2025-03-04T05:06:07.089Z') });
  assert.equal(file, join(studyDir, 'logs', '2025-03-04T05-06-07.089Z.log'));
  logger.info({ trial: 3, value: 0.42 }, 'trial complete');
  logger.debug('below the default level');
  logger.warn({ trial: 4 }, 'trial pruned');
  // Writes are synchronous: the lines are on disk without a flush.
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
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
  const studyDir = mkdtempSync(join(tmpdir(), 'parzen-logs-'));
  t.after(() => rmSync(studyDir, { recursive: true, force: true }));
  assert.deepEqual(listLogFiles(studyDir), []);
  const later = createStudyLogger({ studyDir, level: 'debug', startedAt: new Date('2025-03-05T00:00:00.000Z') });
  const earlier = createStudyLogger({ studyDir, startedAt: new Date('2025-03-04T23:59:59.999Z') });
  later.logger.debug('debug is written at level debug');
  assert.deepEqual(listLogFiles(studyDir), [earlier.file, later.file]);
  assert.equal(latestLogFile(studyDir), later.file);
  assert.match(readFileSync(later.file, 'utf8'), /debug is written at level debug/);
});
