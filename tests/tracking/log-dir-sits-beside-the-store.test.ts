import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { legacyStudyLogDir, studyFolderName, studyLogDir } from '../../src/tracking/log-dir.js';

test('a SQLite store files its studies\' logs in <database>.logs/<study>, whatever the working folder', () => {
  assert.equal(studyLogDir('sqlite:/tmp/x/tuning.db', 'optimizer', '/elsewhere'), '/tmp/x/tuning.db.logs/optimizer');
  assert.equal(studyLogDir('sqlite:////tmp/x/tuning.db', 'optimizer', '/elsewhere'), '/tmp/x/tuning.db.logs/optimizer');
  assert.equal(studyLogDir('sqlite:studies/tuning.db', 'optimizer', '/repo'), '/repo/studies/tuning.db.logs/optimizer');
  assert.equal(studyLogDir('sqlite:///studies/tuning.db', 'optimizer', '/repo'), '/repo/studies/tuning.db.logs/optimizer');
});

test('two stores never share a study\'s logs, even in one folder', () => {
  assert.notEqual(studyLogDir('sqlite:/tmp/x/a.db', 's'), studyLogDir('sqlite:/tmp/x/b.db', 's'));
});

test('a memory: store keeps no log files', () => {
  assert.equal(studyLogDir('memory:', 'optimizer'), null);
  assert.equal(studyLogDir('memory://', 'optimizer'), null);
});

test('a PostgreSQL store keeps its trials\' logs in the store, so no folder is named for them', () => {
  assert.equal(studyLogDir('postgresql://u@h/db', 's'), null);
  assert.equal(studyLogDir('postgres://u@h/db', 's'), null);
});

test('a store without files beside it is a usage error', () => {
  assert.throws(() => studyLogDir('mysql://u@h/db', 's'), (e: unknown) => e instanceof ConfigError && e.code === 'USAGE' && /mysql: store keeps no log files/.test(e.message));
  assert.throws(() => studyLogDir('tuning.db', 's'), (e: unknown) => e instanceof ConfigError && /has no scheme/.test(e.message));
});

test('a study name becomes one folder name that cannot climb out, one-to-one', () => {
  assert.equal(studyFolderName('optimizer_v2-final.3'), 'optimizer_v2-final.3');
  assert.equal(studyFolderName('a/b'), 'a%2Fb');
  assert.equal(studyFolderName('..'), '%2E.');
  assert.equal(studyFolderName('.hidden'), '%2Ehidden');
  assert.equal(studyFolderName('50% lr'), '50%25%20lr');
  assert.equal(studyFolderName('é'), '%C3%A9');
  const names = ['a/b', 'a%2Fb', 'a b', 'a%20b', '.', '%2E'];
  assert.equal(new Set(names.map(studyFolderName)).size, names.length);
  assert.equal(studyLogDir('sqlite:/s/t.db', '../../etc'), join('/s/t.db.logs', '%2E.%2F..%2Fetc'));
});

test('logs filed the old way are found under <studies dir>/<study>/logs', () => {
  assert.equal(legacyStudyLogDir('studies', 'optimizer'), join('studies', 'optimizer', 'logs'));
});
