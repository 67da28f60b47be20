#!/usr/bin/env node
// A real BEIR-layout retrieval dataset from the manual pages installed on this machine (offline, no download):
//   node scripts/make-beir-corpus.mjs --out DIR [--seed 42] [--man-dir /usr/share/man] [--sections 1,2,3,4,5,6,7,8]
//        [--exclude '^gcloud'] [--max-words 200] [--max-docs N] [--dev-fraction 0.15] [--test-fraction 0.15]
// One page is one document: title = the page name ("ls(1)"), text = its DESCRIPTION section as plain text (roff read
// here, no groff), cut at a sentence end after about --max-words words. Its query is the NAME line's summary
// ("list directory contents"); pages that share a summary share one query, every one of them relevant. A sentence of
// the description that contains the whole summary is dropped, so no query is found verbatim in its document.
// Queries are split train/dev/test by seed. Writes corpus.jsonl, queries.jsonl, qrels/{train,dev,test}.tsv and a
// README.md with the source, the counts and the licence notes. The output is generated data: do not commit it.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { mdocLine, roffInline } from './make-beir-corpus/roff.mjs';

const USAGE = 'usage: node scripts/make-beir-corpus.mjs --out DIR [--seed 42] [--man-dir /usr/share/man] [--sections 1,2,3,4,5,6,7,8] [--exclude REGEX] [--max-words 200] [--max-docs N] [--dev-fraction 0.15] [--test-fraction 0.15]';

function fail(message) {
  process.stderr.write(`make-beir-corpus: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function options() {
  let v;
  try {
    ({ values: v } = parseArgs({
      options: {
        out: { type: 'string' }, seed: { type: 'string', default: '42' }, 'man-dir': { type: 'string', default: '/usr/share/man' },
        sections: { type: 'string', default: '1,2,3,4,5,6,7,8' }, exclude: { type: 'string', default: '^gcloud' },
        'max-words': { type: 'string', default: '200' }, 'max-docs': { type: 'string' },
        'dev-fraction': { type: 'string', default: '0.15' }, 'test-fraction': { type: 'string', default: '0.15' },
      },
    }));
  } catch (e) {
    fail(e.message);
  }
  const int = (k, min) => {
    const n = Number(v[k]);
    if (!Number.isInteger(n) || n < min) fail(`--${k}: expected an integer ≥ ${min}, got ${JSON.stringify(v[k])}`);
    return n;
  };
  const frac = (k) => {
    const n = Number(v[k]);
    if (!(n > 0 && n < 0.5)) fail(`--${k}: expected a number in (0, 0.5), got ${JSON.stringify(v[k])}`);
    return n;
  };
  if (v.out === undefined) fail('--out: give the folder to write the dataset to');
  if (!existsSync(v['man-dir'])) fail(`--man-dir ${v['man-dir']}: no such folder`);
  const sections = v.sections.split(',').map((s) => s.trim());
  if (sections.some((s) => !/^[1-9]$/.test(s))) fail(`--sections: expected digits 1-9 separated by commas, got ${JSON.stringify(v.sections)}`);
  let exclude = null;
  try {
    exclude = v.exclude === '' ? null : new RegExp(v.exclude);
  } catch (e) {
    fail(`--exclude: not a regular expression (${e.message})`);
  }
  return {
    out: v.out, seed: int('seed', 0), manDir: v['man-dir'], sections, exclude, maxWords: int('max-words', 20),
    maxDocs: v['max-docs'] === undefined ? Infinity : int('max-docs', 10), devFraction: frac('dev-fraction'), testFraction: frac('test-fraction'),
  };
}

/** Deterministic PRNG (mulberry32) for the seeded shuffle. */
function rng(seed) {
  let a = (seed ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(xs, seed) {
  const r = rng(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** installed file → Debian package, from dpkg's file lists (empty off Debian). */
function packageOwners() {
  const dir = '/var/lib/dpkg/info';
  const out = new Map();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.list')) continue;
    const pkg = f.slice(0, -'.list'.length).replace(/:[a-z0-9]+$/, '');
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line.includes('/man/')) out.set(line, pkg);
  }
  return out;
}

/** Regular files (not symlinks: those are aliases of another page) of the chosen sections, sorted. */
function pageFiles(o) {
  const out = [];
  for (const s of o.sections) {
    const dir = join(o.manDir, `man${s}`);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (o.exclude?.test(name)) continue;
      const path = join(dir, name);
      if (lstatSync(path).isFile()) out.push({ path, name, section: s });
    }
  }
  return out;
}

function readSource(path) {
  const raw = readFileSync(path);
  const bytes = path.endsWith('.gz') ? gunzipSync(raw) : raw;
  return bytes.toString('utf8');
}

const IGNORED_BLOCKS = { '.de': '..', '.ig': '..', '.TS': '.TE', '.EQ': '.EN', '.Vb': '.Ve', '.EX': '.EE', '.PS': '.PE' };
const BREAKS = new Set(['PP', 'LP', 'P', 'TP', 'TQ', 'IP', 'HP', 'sp', 'Sp', 'br', 'SS', 'Pp', 'Lp', 'It', 'Bl', 'El', 'Bd', 'Ed', 'Ss', 'nf', 'fi']);
const FONT_JOIN = new Set(['BR', 'RB', 'IR', 'RI', 'BI', 'IB']);
const FONT_SPACE = new Set(['B', 'I', 'SM', 'SB', 'R']);

/** Splits a macro line's arguments the way roff does: blanks separate, double quotes group. */
function macroArgs(rest) {
  const out = [];
  const re = /"((?:[^"]|"")*)"?|(\S+)/g;
  let m;
  while ((m = re.exec(rest)) !== null) out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]);
  return out;
}

/**
 * A page's sections (NAME, DESCRIPTION, …) as paragraphs of plain text. man(7) and mdoc(7) macros; macro
 * definitions, tables, equations and verbatim code blocks are skipped; unknown requests are dropped.
 */
export function pageSections(src) {
  const sections = new Map();
  let current = null;
  let para = [];
  let skipUntil = null;
  let tagNext = false;
  const mdoc = /^\.(?:Dd|Sh)\b/m.test(src);
  let nm = null;
  const flush = () => {
    const t = para.join(' ').replace(/\s+/g, ' ').trim();
    if (current !== null && t.length > 0) sections.get(current).push(t);
    para = [];
  };
  const lines = src.replace(/\r\n?/g, '\n').replace(/\\\n/g, '').split('\n');
  for (const line of lines) {
    if (skipUntil !== null) {
      if (line.startsWith(skipUntil)) skipUntil = null;
      continue;
    }
    if (/^[.']\s*\\"/.test(line) || line.startsWith('\\"')) continue;
    const control = /^[.']\s*([A-Za-z][A-Za-z0-9]*|\S+)\s*(.*)$/.exec(line);
    if (control === null) {
      para.push(roffInline(line));
      continue;
    }
    const [, name, rest] = control;
    const block = IGNORED_BLOCKS[`.${name}`];
    if (block !== undefined) {
      skipUntil = block;
      continue;
    }
    if (name === 'SH' || name === 'Sh') {
      flush();
      current = roffInline(macroArgs(rest).join(' ')).toUpperCase().trim();
      if (!sections.has(current)) sections.set(current, []);
      continue;
    }
    if (BREAKS.has(name)) {
      flush();
      // The tag of .TP is the next line; of .IP its first argument (a bullet or a number alone is no text).
      if (name === 'TP') tagNext = true;
      const tag = name === 'IP' || name === 'It' || name === 'SS' || name === 'Ss' ? (name === 'It' ? mdocLine(rest) : roffInline(macroArgs(rest)[0] ?? '')) : '';
      if (/[\p{L}\p{N}]{2}/u.test(tag)) para.push(tag);
      continue;
    }
    let text = null;
    if (FONT_JOIN.has(name)) text = macroArgs(rest).map(roffInline).join('');
    else if (FONT_SPACE.has(name)) text = macroArgs(rest).map(roffInline).join(' ');
    else if (mdoc && name === 'Nm') {
      nm ??= roffInline(macroArgs(rest)[0] ?? '');
      text = rest.trim().length === 0 ? nm : mdocLine(`${name} ${rest}`);
    } else if (mdoc && /^[A-Z][a-z]{1,2}$/.test(name)) text = mdocLine(`${name} ${rest}`);
    if (text === null) continue;
    para.push(text);
    if (tagNext) {
      tagNext = false;
      flush();
    }
  }
  flush();
  return sections;
}

/** "ls, dir \- list directory contents" → "list directory contents"; null without a summary. */
export function nameSummary(nameParas) {
  const t = nameParas.join(' ').replace(/\s+/g, ' ').trim();
  const m = /^(.*?)\s+(?:-+|–|—|\\-)\s+(.+)$/.exec(t);
  return m === null ? null : m[2].trim();
}

const wordsOf = (t) => t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Sentences of the description, none containing the summary's words in a row, cut after about maxWords words. */
export function documentText(paras, summary, maxWords) {
  const needle = ` ${wordsOf(summary).join(' ')} `;
  const out = [];
  let n = 0;
  for (const p of paras) {
    for (const s of p.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'(])/u)) {
      const w = wordsOf(s);
      if (w.length === 0 || ` ${w.join(' ')} `.includes(needle)) continue;
      out.push(s);
      n += w.length;
      if (n >= maxWords) return out.join(' ');
    }
  }
  return out.join(' ');
}

function pageRecord(f, owners, o, skipped) {
  const src = readSource(f.path);
  if (/^\s*\.so\s/m.test(src.split('\n').find((l) => l.trim().length > 0 && !l.startsWith('.\\"')) ?? '')) return skip(skipped, 'an alias page (.so)');
  const sections = pageSections(src);
  const summary = nameSummary(sections.get('NAME') ?? []);
  if (summary === null || wordsOf(summary).length < 2) return skip(skipped, 'no NAME summary of 2+ words');
  const description = sections.get('DESCRIPTION');
  if (description === undefined) return skip(skipped, 'no DESCRIPTION section');
  const text = documentText(description, summary, o.maxWords);
  if (wordsOf(text).length < 10) return skip(skipped, 'a DESCRIPTION under 10 words once sentences holding the summary are dropped');
  const page = f.name.replace(/\.gz$/, '').replace(/\.[0-9][a-z0-9]*$/i, '');
  const pageSection = (/\.([0-9][a-z0-9]*)(?:\.gz)?$/i.exec(f.name) ?? [null, f.section])[1];
  return { id: `${page}.${pageSection}`, title: `${page}(${pageSection})`, text, summary, package: owners.get(f.path) ?? null };
}

function skip(skipped, why) {
  skipped.set(why, (skipped.get(why) ?? 0) + 1);
  return null;
}

/** Documents (unique ids, unique texts) and queries (one per distinct summary, every page that has it relevant). */
function collect(o) {
  const owners = packageOwners();
  const skipped = new Map();
  const seenText = new Set();
  const seenId = new Set();
  const docs = [];
  for (const f of pageFiles(o)) {
    const r = pageRecord(f, owners, o, skipped);
    if (r === null) continue;
    const h = createHash('sha1').update(r.text).digest('hex');
    if (seenText.has(h) || seenId.has(r.id)) {
      skip(skipped, 'the same id or description as an earlier page');
      continue;
    }
    seenText.add(h);
    seenId.add(r.id);
    docs.push(r);
  }
  const kept = o.maxDocs < docs.length ? shuffle(docs, o.seed ^ 0xd0c).slice(0, o.maxDocs).sort((a, b) => (a.id < b.id ? -1 : 1)) : docs;
  const bySummary = new Map();
  for (const d of kept) {
    const key = wordsOf(d.summary).join(' ');
    const q = bySummary.get(key) ?? { text: d.summary, relevant: [] };
    q.relevant.push(d.id);
    bySummary.set(key, q);
  }
  const queries = [...bySummary.values()].map((q, i) => ({ _id: `q${i}`, ...q }));
  return { docs: kept, queries, skipped, scanned: pageFiles(o).length, found: docs.length };
}

function splitQueries(queries, o) {
  const order = shuffle(queries, o.seed);
  const nDev = Math.round(order.length * o.devFraction);
  const nTest = Math.round(order.length * o.testFraction);
  return { dev: order.slice(0, nDev), test: order.slice(nDev, nDev + nTest), train: order.slice(nDev + nTest) };
}

function qrels(qs) {
  const rows = qs.flatMap((q) => q.relevant.map((d) => `${q._id}\t${d}\t1`));
  return ['query-id\tcorpus-id\tscore', ...rows].join('\n') + '\n';
}

function readme(o, c, splits) {
  const packages = new Set(c.docs.map((d) => d.package).filter((p) => p !== null));
  const count = (qs) => `${qs.length} queries, ${qs.reduce((a, q) => a + q.relevant.length, 0)} relevant pairs`;
  return [
    '# Manual pages as a BEIR-layout retrieval dataset',
    '',
    `Generated ${new Date().toISOString()} by \`node scripts/make-beir-corpus.mjs ${process.argv.slice(2).join(' ')}\` from the manual pages`,
    `installed under ${o.manDir} (sections ${o.sections.join(', ')}${o.exclude === null ? '' : `; file names matching /${o.exclude.source}/ left out`}).`,
    '',
    '- corpus.jsonl: one document per page: `_id` "name.section", `title` "name(section)", `text` the DESCRIPTION section',
    `  as plain text, cut at a sentence end after about ${o.maxWords} words; \`metadata.package\` the Debian package that installed it.`,
    '- queries.jsonl: the NAME line\'s summary ("list directory contents"); pages sharing a summary share the query.',
    '  A description sentence holding the whole summary is dropped, so no query appears verbatim in a relevant document.',
    `- qrels/{train,dev,test}.tsv: queries split by seed ${o.seed} (dev ${o.devFraction}, test ${o.testFraction}, train the rest), score 1.`,
    '',
    `Counts: ${c.scanned} page files scanned, ${c.found} usable, ${c.docs.length} documents kept from ${packages.size} packages;`,
    `train ${count(splits.train)}; dev ${count(splits.dev)}; test ${count(splits.test)}.`,
    'Pages left out:',
    ...[...c.skipped.entries()].map(([why, n]) => `- ${n}: ${why}`),
    '',
    '## Licence',
    '',
    'Each page keeps the licence of the package that installed it (GPL, BSD, MIT, the Linux man-pages licence, the Perl',
    'licence, …): see /usr/share/doc/<package>/copyright for the package named in `metadata.package`. This folder is',
    'derived from them on this machine for local evaluation and is not to be redistributed or committed.',
    '',
  ].join('\n');
}

function jsonl(rows) {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

function main() {
  const o = options();
  const c = collect(o);
  if (c.docs.length < 10) fail(`--man-dir ${o.manDir}: only ${c.docs.length} usable pages (need 10); is the man-db content installed?`);
  const splits = splitQueries(c.queries, o);
  mkdirSync(join(o.out, 'qrels'), { recursive: true });
  writeFileSync(join(o.out, 'corpus.jsonl'), jsonl(c.docs.map((d) => ({ _id: d.id, title: d.title, text: d.text, metadata: { package: d.package } }))));
  writeFileSync(join(o.out, 'queries.jsonl'), jsonl(c.queries.map((q) => ({ _id: q._id, text: q.text }))));
  for (const s of ['train', 'dev', 'test']) writeFileSync(join(o.out, 'qrels', `${s}.tsv`), qrels(splits[s]));
  writeFileSync(join(o.out, 'README.md'), readme(o, c, splits));
  process.stdout.write(`${o.out}: ${c.docs.length} documents, ${c.queries.length} queries (train ${splits.train.length}, dev ${splits.dev.length}, test ${splits.test.length}) from ${c.scanned} page files\n`);
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) main();
