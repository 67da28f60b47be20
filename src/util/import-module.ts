import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type ImportFailure = { readonly kind: 'missing'; readonly path: string } | { readonly kind: 'broken'; readonly path: string; readonly cause: unknown };

/**
 * Import a user module (`.ts`, `.mts`, `.js`, `.mjs`) by path. TypeScript goes through tsx's loader, which is only
 * loaded here, on demand. Returns the module namespace or a typed failure, for the caller to turn into its own
 * error (ConfigError for tuning.config.ts, ObjectiveError for --objective).
 */
export async function importUserModule(path: string): Promise<{ ok: true; module: Record<string, unknown>; path: string } | { ok: false; failure: ImportFailure }> {
  const abs = resolve(path);
  if (!existsSync(abs)) return { ok: false, failure: { kind: 'missing', path: abs } };
  try {
    const url = pathToFileURL(abs).href;
    if (/\.(c|m)?tsx?$/.test(abs)) {
      const { tsImport } = await import('tsx/esm/api');
      return { ok: true, module: (await tsImport(url, import.meta.url)) as Record<string, unknown>, path: abs };
    }
    return { ok: true, module: (await import(url)) as Record<string, unknown>, path: abs };
  } catch (cause) {
    return { ok: false, failure: { kind: 'broken', path: abs, cause } };
  }
}

/** One line describing why an import failed, for error messages. */
export function describeImportFailure(f: ImportFailure): string {
  if (f.kind === 'missing') return `${f.path} does not exist`;
  const msg = f.cause instanceof Error ? f.cause.message : String(f.cause);
  return `${f.path} failed to load: ${msg.split('\n').slice(0, 6).join(' ').trim()}`;
}
