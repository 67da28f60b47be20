import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';

/** The built single-page app (scripts/build-dashboard.mjs writes it beside this module, in public/). */
export const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

export interface StaticFile {
  readonly type: string;
  readonly bytes: Buffer;
}

/**
 * Every file of the app, read once at start: a request can only ever name one of these (a lookup in a map, never a
 * path joined onto the disk), so no request path reaches any other file.
 */
export function loadStaticFiles(dir = PUBLIC_DIR): ReadonlyMap<string, StaticFile> {
  if (!existsSync(join(dir, 'index.html')) || !existsSync(join(dir, 'app.js'))) {
    throw new ConfigError(`the dashboard's page is not built (no ${join(dir, 'app.js')}); run \`npm run build\` (or \`node scripts/build-dashboard.mjs\`) in the parzen folder`);
  }
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type !== undefined) files.set(name, { type, bytes: readFileSync(join(dir, name)) });
  }
  return files;
}
