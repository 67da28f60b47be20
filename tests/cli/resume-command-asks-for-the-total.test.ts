import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resumeCommand } from '../../src/cli/commands/resume-command.js';

test('the resume command keeps every argument but gives --trials as the total and adds --resume once', () => {
  assert.equal(resumeCommand(['--objective', 'b.ts', '--trials', '10', '--study', 'b'], 14), 'tune --objective b.ts --study b --trials 14 --resume');
  assert.equal(resumeCommand(['run', '--trials=10', '--resume', '--workers', '2'], 10), 'tune run --workers 2 --trials 10 --resume');
  assert.equal(resumeCommand(['--resume', 'true', '--no-resume', '--seed', '3'], 12), 'tune --seed 3 --trials 12 --resume');
});

test('arguments a shell would split or expand are quoted', () => {
  assert.equal(resumeCommand(['--study', "my study's", '--storage', 'sqlite:/tmp/a b/x.db'], 5), `tune --study 'my study'\\''s' --storage 'sqlite:/tmp/a b/x.db' --trials 5 --resume`);
});
