#!/usr/bin/env node
// Builds the dashboard's single-page app into dist/src/dashboard/public/ (beside the compiled server, which
// serves only the files it finds there): src/dashboard/app/main.ts bundled with a tree-shaken ECharts by esbuild,
// plus index.html and app.css. Runs at `npm install` (prepare) and before the tests; no network, no CDN.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(root, 'src/dashboard/app');
const out = join(root, 'dist/src/dashboard/public');
mkdirSync(out, { recursive: true });
const started = performance.now();
await build({
  entryPoints: [join(app, 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  outfile: join(out, 'app.js'),
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const f of ['index.html', 'app.css']) copyFileSync(join(app, f), join(out, f));
const kib = (statSync(join(out, 'app.js')).size / 1024).toFixed(0);
console.log(`dashboard: built ${join('dist/src/dashboard/public', 'app.js')} (${kib} KiB) in ${Math.round(performance.now() - started)} ms`);
