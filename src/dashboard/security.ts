import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { posix } from 'node:path';

/**
 * The dashboard's guards. It only reads, but a study's params and logs are private: it binds 127.0.0.1 by default,
 * checks the Host header (so a DNS-rebinding page cannot reach it through a name it controls), sends no CORS
 * headers, and on any other address asks for a random token printed at start (`?token=` once, then a cookie).
 */

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase());
}

export interface AccessPolicy {
  /** null on a loopback bind. */
  readonly token: string | null;
  /** Host header values accepted, lower case, with the port; null accepts any (a wildcard bind, where the token guards). */
  readonly hosts: ReadonlySet<string> | null;
}

export const TOKEN_COOKIE = 'parzen_dashboard_token';

/** The policy for a server bound to `host`:`port`. */
export function accessPolicy(host: string, port: number): AccessPolicy {
  const token = isLoopback(host) ? null : randomBytes(24).toString('base64url');
  if (host === '0.0.0.0' || host === '::') return { token, hosts: null };
  const names = [...LOOPBACK, host.includes(':') && !host.startsWith('[') ? `[${host}]` : host];
  return { token, hosts: new Set(names.filter((n) => n !== '::1').map((n) => `${n.toLowerCase()}:${port}`)) };
}

export type Verdict = { readonly ok: true; readonly setCookie: boolean } | { readonly ok: false; readonly status: 400 | 403 | 405; readonly reason: string };

/** Whether `req` may be answered. */
export function checkRequest(req: IncomingMessage, url: URL, policy: AccessPolicy): Verdict {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ok: false, status: 405, reason: 'the dashboard is read-only: only GET and HEAD' };
  const host = (req.headers.host ?? '').toLowerCase();
  if (policy.hosts !== null && !policy.hosts.has(host)) return { ok: false, status: 403, reason: `unexpected Host header '${host}'` };
  if (policy.token === null) return { ok: true, setCookie: false };
  const given = url.searchParams.get('token');
  if (given !== null && sameSecret(given, policy.token)) return { ok: true, setCookie: true };
  if (sameSecret(cookie(req, TOKEN_COOKIE) ?? '', policy.token)) return { ok: true, setCookie: false };
  return { ok: false, status: 403, reason: 'missing or wrong access token: open the URL `tune dashboard` printed (it ends in ?token=…)' };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** A URL path as a static file name: decoded, normalised; any `..` segment, backslash or NUL is refused (undefined). */
export function staticName(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined; // malformed %-escapes name no file
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) return undefined;
  const norm = posix.normalize(decoded);
  if (!norm.startsWith('/')) return undefined;
  return norm === '/' ? 'index.html' : norm.slice(1);
}

/** Headers every answer carries: no sniffing, no framing, scripts and data from this origin only. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
};
