import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The package root: dist/src/util → three levels up (src/util when run from source → two). */
export const PACKAGE_ROOT = findPackageRoot(here);

function findPackageRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'parzen') return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    dir = dirname(dir);
  }
  return start;
}

let cached: string | undefined;

/**
 * `parzen@<version>+<git sha>[.dirty]`, recorded on every trial and run. The git part is absent when the package is
 * not a git checkout (an npm install), which is normal, not an error.
 */
export function codeVersion(): string {
  if (cached !== undefined) return cached;
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  let git = '';
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    git = `+${sha}${dirty.length > 0 ? '.dirty' : ''}`;
  } catch {
    // Not a git checkout (installed from npm) or git missing: the version alone identifies the code.
    git = '';
  }
  cached = `parzen@${pkg.version}${git}`;
  return cached;
}
