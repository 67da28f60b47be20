#!/usr/bin/env node
// Builds the dashboard page as it was at a commit, for dashboard-load.ts's peer (the same store served with an
// earlier page, timed in the same run): `node scripts/bench/build-page-at.mjs 25ac4de /tmp/old-public`.
// git archive → a temporary tree → esbuild with this checkout's node_modules and the settings of build-dashboard.mjs.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const [commit, outArg] = process.argv.slice(2);
if (commit === undefined || outArg === undefined) {
  console.error('usage: node scripts/bench/build-page-at.mjs <commit> <out dir>');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tree = mkdtempSync(join(tmpdir(), 'parzen-page-at-'));
execFileSync('sh', ['-c', `git -C "${root}" archive "${commit}" src/dashboard | tar -x -C "${tree}"`], { stdio: 'inherit' });
const app = join(tree, 'src/dashboard/app');
const out = resolve(outArg);
mkdirSync(out, { recursive: true });
await build({ entryPoints: [join(app, 'main.ts')], bundle: true, minify: true, format: 'esm', target: 'es2020', outfile: join(out, 'app.js'), nodePaths: [join(root, 'node_modules')], logLevel: 'warning' });
for (const f of ['index.html', 'app.css']) copyFileSync(join(app, f), join(out, f));
console.log(`built the page at ${commit} into ${out}`);
