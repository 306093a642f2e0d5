/**
 * Wrong access tokens, counted per remote address (see ADR 0028). A request with the right token
 * never reaches this: every local client shares 127.0.0.1, and a hostile local process must not
 * lock the user's browser out. Beside security.ts, not in http/, because the live socket uses it too.
 */
export type AuthLimiterOptions = {
  /** Wrong attempts an address may make at once before it is refused (default 20). */
  readonly burst?: number;
  /** The time in which an address earns `burst` attempts back (default 10 s). */
  readonly windowMs?: number;
  /** Addresses remembered at most; the least recently seen is forgotten first (default 10,000). */
  readonly maxAddresses?: number;
  readonly now?: () => number;
};

/** A wrong token's verdict: answered as unauthorized, or refused for a while without looking further. */
export type WrongTokenVerdict = { readonly limited: false } | { readonly limited: true; readonly retryAfterMs: number };

/** An address's allowance: a token bucket that refills at `burst` per `windowMs`. */
type Bucket = { tokens: number; at: number };

export class AuthLimiter {
  readonly burst: number;
  readonly windowMs: number;
  private readonly maxAddresses: number;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();
  private refusedTotal = 0;

  constructor(o: AuthLimiterOptions = {}) {
    this.burst = o.burst ?? 20;
    this.windowMs = o.windowMs ?? 10_000;
    this.maxAddresses = o.maxAddresses ?? 10_000;
    this.now = o.now ?? Date.now;
  }

  /** Counts a wrong (or missing) token from `address` and says whether it is over its allowance. */
  wrongToken(address: string): WrongTokenVerdict {
    const now = this.now();
    const perMs = this.burst / this.windowMs;
    const previous = this.buckets.get(address);
    const bucket: Bucket = previous
      ? { tokens: Math.min(this.burst, previous.tokens + (now - previous.at) * perMs), at: now }
      : { tokens: this.burst, at: now };
    // Delete and set again: the map's order is then least recently seen first, which goes first when full.
    this.buckets.delete(address);
    if (this.buckets.size >= this.maxAddresses) this.buckets.delete(this.buckets.keys().next().value as string);
    this.buckets.set(address, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { limited: false };
    }
    this.refusedTotal += 1;
    return { limited: true, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
  }

  /** Addresses remembered, and wrong attempts refused since start. */
  stats(): { addresses: number; refused: number } {
    return { addresses: this.buckets.size, refused: this.refusedTotal };
  }
}

/** What a refused client is told, over HTTP (with `Retry-After`) and on the socket handshake alike. */
export function tooManyWrongTokens(limiter: AuthLimiter, retryAfterMs: number) {
  const retryAfterS = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return {
    retryAfterS,
    body: {
      error: 'too-many-wrong-tokens',
      message: `Too many wrong access tokens from this address (more than ${limiter.burst} in ${limiter.windowMs / 1000} s); wrong attempts are refused for ${retryAfterS} s.`,
      hint: 'Open the URL the server printed at startup (it carries the token), or send "Authorization: Bearer <token>" with that token: the right token is always accepted.',
    },
  };
}

/** The error a live socket's handshake with a wrong token fails with, counted against its address. */
export function wrongTokenError(limiter: AuthLimiter, address: string): Error {
  const verdict = limiter.wrongToken(address);
  if (!verdict.limited) return new Error('unauthorized: open the URL the server printed (it carries the access token)');
  const { retryAfterS, body } = tooManyWrongTokens(limiter, verdict.retryAfterMs);
  // Starts with "unauthorized" as the plain refusal does, so the web app shows the same advice.
  return Object.assign(new Error(`unauthorized (${body.error}): ${body.message} ${body.hint}`), {
    data: { ...body, retryAfterS },
  });
}
