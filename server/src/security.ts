import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthLimiter } from './authLimiter.js';

export const TOKEN_COOKIE = 'flowscope_token';

export type SecurityOptions = {
  readonly token: string;
  readonly host: string;
  /** The port actually bound (known after listen). */
  port: number;
  readonly allowedOrigins: readonly string[];
  /** Wrong tokens per remote address: past a burst they are refused (429) before anything else. */
  readonly wrongTokens: AuthLimiter;
};

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Host names a browser may use to reach us; anything else is a DNS-rebinding attempt. */
function allowedHostNames(o: SecurityOptions): string[] {
  return LOOPBACK_NAMES.includes(o.host) || o.host === '::1' ? LOOPBACK_NAMES : [o.host, ...LOOPBACK_NAMES];
}

export function hostAllowed(hostHeader: string | undefined, o: SecurityOptions): boolean {
  if (!hostHeader) return false;
  return allowedHostNames(o).some((h) => hostHeader === `${h}:${o.port}` || (o.port === 80 && hostHeader === h));
}

/** Same-origin requests, and origins the user allowed explicitly; requests without Origin pass. */
export function originAllowed(origin: string | undefined, o: SecurityOptions): boolean {
  if (origin === undefined) return true;
  if (o.allowedOrigins.includes(origin)) return true;
  return allowedHostNames(o).some((h) => origin === `http://${h}:${o.port}`);
}

export function tokenMatches(candidate: string | undefined, o: SecurityOptions): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(o.token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request presents: bearer header, cookie set at first visit, or `?token=`. */
export function presentedToken(headers: IncomingHttpHeaders, url?: string): string | undefined {
  const auth = headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const cookie = readCookie(headers.cookie, TOKEN_COOKIE);
  if (cookie) return cookie;
  return url ? tokenFromUrl(url) : undefined;
}

export function tokenFromUrl(url: string): string | undefined {
  return new URL(url, 'http://x').searchParams.get('token') ?? undefined;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Headers for every response: no framing, no sniffing, scripts only from ourselves. */
export const securityHeaders: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};
