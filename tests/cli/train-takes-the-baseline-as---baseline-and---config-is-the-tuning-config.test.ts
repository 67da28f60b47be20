import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, tempStore, tune } from './cli.js';

test('tune train --config with a baseline file is refused with the --baseline spelling, and nothing is run', () => {
  const storage = tempStore();
  assert.equal(tune(['--objective', fixture('quadratic'), '--trials', '3', '--study', 'e', '--seed', '3', '--workers', '0', '--storage', storage]).status, 0);
  const out = join(mkdtempSync(join(tmpdir(), 'parzen-baseline-')), 'e.json');
  assert.equal(tune(['export-baseline', '--study', 'e', '--out', out, '--storage', storage]).status, 0);
  const r = tune(['train', '--config', out, '--storage', storage]);
  assert.equal(r.status, 2);
  assert.equal(
    r.stderr,
    `tune: --config names the tuning config (tuning.config.ts) in \`tune train\` as in every command, and ${out} looks like a baseline: pass it as \`tune train --baseline ${out}\`\n`,
  );
  assert.equal(tune(['runs', '--json', '--storage', storage]).stdout.trim(), '[]');
});

test('tune train without --baseline says it is required and how to write one', () => {
  const r = tune(['train', '--storage', 'memory:']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^tune: --baseline FILE is required by `tune train`: the baseline to train from \(write one with `tune export-baseline --study <name>`\)\n$/);
});

test('tune train --baseline reads the baseline (its errors name the baseline file, never --config)', () => {
  const missing = join(tmpdir(), 'parzen-no-such-baseline.json');
  const r = tune(['train', '--baseline', missing, '--storage', 'memory:']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`baseline ${missing.replaceAll('.', '\\.')} cannot be read.*tune export-baseline`));
  assert.doesNotMatch(r.stderr, /--config/);
});

test('--config means the tuning config in every command that takes it', () => {
  const commands = [[], ['studies'], ['trials'], ['best'], ['export-baseline'], ['train'], ['runs'], ['logs'], ['datasets', 'prepare', 'optimizer'], ['datasets', 'generate', 'optimizer']];
  for (const cmd of commands) {
    const help = tune([...cmd, '--help']);
    assert.equal(help.status, 0, help.stderr);
    const line = help.stdout.split('\n').find((l) => /^\s+--config\b/.test(l));
    assert.ok(line !== undefined, `tune ${cmd.join(' ')} takes --config`);
    assert.match(line, /tuning config file/, `tune ${cmd.join(' ')}: ${line}`);
  }
});
