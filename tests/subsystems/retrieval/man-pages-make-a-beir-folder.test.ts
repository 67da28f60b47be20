/** scripts/make-beir-corpus.mjs: man pages (man(7) and mdoc(7), gzipped or not) → a BEIR folder `--beir` reads; no query leaks into its document. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readRetrievalDataset } from '../../../src/subsystems/retrieval/dataset/files.js';
import { ensureRetrievalDataset } from '../../../src/subsystems/retrieval/dataset/prepare.js';

const SCRIPT = fileURLToPath(new URL('../../../../scripts/make-beir-corpus.mjs', import.meta.url));
const TOPICS = ['whales', 'harpoons', 'compasses', 'lanterns', 'anchors', 'sails', 'ropes', 'barrels', 'maps', 'oars', 'hulls', 'masts', 'decks', 'knots', 'tides', 'gulls', 'reefs', 'storms', 'ports', 'logs'];

function manPage(name: string, topic: string): string {
  return [
    '.\\" a comment line',
    `.TH ${name.toUpperCase()} 1 "2026" "test"`,
    '.SH NAME',
    `${name} \\- count the ${topic} in a ship`,
    '.SH SYNOPSIS',
    `.B ${name}`,
    '.SH DESCRIPTION',
    `\\fB${name}\\fR will count the ${topic} in a ship.`,
    `It reads the manifest of every hold and prints, for each deck, how many \\fI${topic}\\fP were found there.`,
    '.PP',
    'Counting stops at the first error\\(em a missing hold\\- and the exit status says so.',
    '.TS',
    'tab(;); l l. table;cells',
    '.TE',
    '.SH "SEE ALSO"',
    '.BR ls (1)',
  ].join('\n');
}

const MDOC = ['.Dd May 1, 2026', '.Dt STOW 1', '.Os', '.Sh NAME', '.Nm stow', '.Nd put the cargo below deck', '.Sh DESCRIPTION', 'The', '.Nm', 'utility moves every crate named on the command line into the hold.', 'With', '.Fl v', 'it names each crate as it goes, as', '.Xr ls 1', 'does for files.'].join('\n');

function manDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'parzen-man-'));
  mkdirSync(join(root, 'man1'));
  TOPICS.forEach((t, i) => writeFileSync(join(root, 'man1', `count${i}.1.gz`), gzipSync(manPage(`count${i}`, t))));
  writeFileSync(join(root, 'man1', 'stow.1'), MDOC);
  writeFileSync(join(root, 'man1', 'alias.1'), '.so man1/count0.1\n');
  symlinkSync('count1.1.gz', join(root, 'man1', 'link.1.gz'));
  writeFileSync(join(root, 'man1', 'bare.1'), '.TH BARE 1\n.SH NAME\nbare \\- a page without a description\n.SH OPTIONS\nNone.\n');
  return root;
}

function make(man: string, seed: number): string {
  const out = join(mkdtempSync(join(tmpdir(), 'parzen-man-beir-')), 'beir');
  const r = spawnSync(process.execPath, [SCRIPT, '--man-dir', man, '--out', out, '--seed', String(seed), '--dev-fraction', '0.2', '--test-fraction', '0.2'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return out;
}

const lines = (f: string): Array<Record<string, unknown>> => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

test('man pages become a BEIR folder: summary → description, aliases and pages without a description left out', () => {
  const out = make(manDir(), 42);
  const corpus = lines(join(out, 'corpus.jsonl'));
  const queries = lines(join(out, 'queries.jsonl'));
  assert.deepEqual(corpus.map((d) => d['_id']).sort(), [...TOPICS.map((_, i) => `count${i}.1`), 'stow.1'].sort());
  const count3 = corpus.find((d) => d['_id'] === 'count3.1');
  assert.equal(count3?.['title'], 'count3(1)');
  assert.equal(count3?.['text'], 'It reads the manifest of every hold and prints, for each deck, how many lanterns were found there. Counting stops at the first error— a missing hold- and the exit status says so.');
  const stow = corpus.find((d) => d['_id'] === 'stow.1');
  assert.equal(stow?.['text'], 'The stow utility moves every crate named on the command line into the hold. With -v it names each crate as it goes, as ls(1) does for files.');
  assert.ok(queries.some((q) => q['text'] === 'put the cargo below deck'));
  const readme = readFileSync(join(out, 'README.md'), 'utf8');
  assert.match(readme, /## Licence/);
  assert.match(readme, /1: an alias page \(\.so\)/);
  assert.match(readme, /1: no DESCRIPTION section/);
});

test('no query is found verbatim in a document it is relevant to', () => {
  const out = make(manDir(), 42);
  const text = new Map(lines(join(out, 'corpus.jsonl')).map((d) => [d['_id'], String(d['text']).toLowerCase()]));
  const query = new Map(lines(join(out, 'queries.jsonl')).map((q) => [q['_id'], String(q['text']).toLowerCase()]));
  const pairs = ['train', 'dev', 'test'].flatMap((s) => readFileSync(join(out, 'qrels', `${s}.tsv`), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')));
  assert.equal(pairs.length, TOPICS.length + 1);
  for (const [qid, did] of pairs) assert.ok(!(text.get(did) ?? '').includes(query.get(qid) ?? '?'), `query ${qid} is inside ${did}`);
});

test('the splits are a function of the seed, and --beir reads the folder into a dataset', async () => {
  const man = manDir();
  const a = make(man, 1);
  const b = make(man, 1);
  const c = make(man, 2);
  assert.equal(readFileSync(join(a, 'qrels', 'test.tsv'), 'utf8'), readFileSync(join(b, 'qrels', 'test.tsv'), 'utf8'));
  assert.notEqual(readFileSync(join(a, 'qrels', 'test.tsv'), 'utf8'), readFileSync(join(c, 'qrels', 'test.tsv'), 'utf8'));
  const ds = join(mkdtempSync(join(tmpdir(), 'parzen-man-ds-')), 'retrieval');
  await ensureRetrievalDataset(ds, { beir: a, seed: 1 });
  const read = readRetrievalDataset(ds);
  assert.equal(read.manifest.kind, 'beir');
  assert.equal(read.corpus.length, TOPICS.length + 1);
  assert.deepEqual([read.splits.train.length, read.splits.val.length, read.splits.test.length], [13, 4, 4]);
});

test('a missing --out or a bad --sections is a usage error naming the flag', () => {
  const noOut = spawnSync(process.execPath, [SCRIPT, '--man-dir', manDir()], { encoding: 'utf8' });
  assert.equal(noOut.status, 2);
  assert.match(noOut.stderr, /--out: give the folder/);
  const bad = spawnSync(process.execPath, [SCRIPT, '--out', join(tmpdir(), 'x'), '--sections', '1,x'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--sections: expected digits/);
});
