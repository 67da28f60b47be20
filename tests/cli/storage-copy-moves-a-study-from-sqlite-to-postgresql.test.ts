import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pgTestDatabase } from '../storage/pg-server.js';
import { tune } from './cli.js';
import { contents, sourceStore } from './study-contents.js';

const db = await pgTestDatabase();

test('tune storage copy moves a study from SQLite into PostgreSQL with nothing lost, and the query commands read it there', async () => {
  const from = await sourceStore(mkdtempSync(join(tmpdir(), 'parzen-storage-copy-')));
  const to = db.freshStoreUrl();
  const r = tune(['storage', 'copy', '--study', 'src', '--from', from, '--to', to]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /copied study 'src' \(7 trials\) from sqlite:.*source\.db to 'src' in postgresql:/);
  assert.deepEqual(await contents(to, 'src'), await contents(from, 'src'));

  for (const cmd of [['trials', '--json'], ['best', '--json'], ['studies', '--json']]) {
    const args = [cmd[0], ...(cmd[0] === 'studies' ? [] : ['--study', 'src']), ...cmd.slice(1)];
    const [onPg, onSqlite] = [tune([...args, '--storage', to]), tune([...args, '--storage', from])];
    assert.equal(onPg.status, 0, onPg.stderr);
    assert.deepEqual(JSON.parse(onPg.stdout), JSON.parse(onSqlite.stdout), `tune ${args.join(' ')} reads the same on both stores`);
  }
  const again = tune(['storage', 'copy', '--study', 'src', '--from', from, '--to', to]);
  assert.equal(again.status, 2, 'a second copy under the same name is refused');
  assert.match(again.stderr, /a study named "src" already exists; choose another name for the copy \(--to-study\)/);
  const none = tune(['storage']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /tune storage copy --study S --from URL --to URL/);
});
