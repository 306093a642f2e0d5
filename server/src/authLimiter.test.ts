import { describe, expect, it } from 'vitest';
import { AuthLimiter, tooManyWrongTokens, wrongTokenError } from './authLimiter.js';

/** A limiter on a clock the test moves. */
function limiterAt(o: { burst?: number; windowMs?: number; maxAddresses?: number } = {}) {
  let now = 1_000_000;
  const limiter = new AuthLimiter({ ...o, now: () => now });
  return { limiter, advance: (ms: number) => (now += ms) };
}

const attempts = (limiter: AuthLimiter, address: string, n: number) =>
  Array.from({ length: n }, () => limiter.wrongToken(address));

describe('AuthLimiter', () => {
  it('lets a burst of wrong tokens through as unauthorized, then refuses further ones with a wait', () => {
    const { limiter } = limiterAt({ burst: 20, windowMs: 10_000 });
    expect(attempts(limiter, '127.0.0.1', 20).every((v) => !v.limited)).toBe(true);
    const next = limiter.wrongToken('127.0.0.1');
    expect(next).toEqual({ limited: true, retryAfterMs: 500 }); // one attempt back every 10 s / 20
    expect(limiter.stats().refused).toBe(1);
  });

  it('gives attempts back over time, at most a burst', () => {
    const { limiter, advance } = limiterAt({ burst: 20, windowMs: 10_000 });
    attempts(limiter, 'a', 25);
    advance(1_000); // two attempts earned back
    expect(attempts(limiter, 'a', 3).map((v) => v.limited)).toEqual([false, false, true]);
    advance(60_000); // a long quiet time earns a burst back, not more
    expect(attempts(limiter, 'a', 21).filter((v) => v.limited)).toHaveLength(1);
  });

  it('counts each address on its own', () => {
    const { limiter } = limiterAt({ burst: 3 });
    attempts(limiter, 'flooder', 10);
    expect(limiter.wrongToken('someone else').limited).toBe(false);
    expect(limiter.wrongToken('flooder').limited).toBe(true);
  });

  it('remembers a bounded number of addresses, forgetting the least recently seen', () => {
    const { limiter } = limiterAt({ burst: 1, maxAddresses: 100 });
    attempts(limiter, 'kept', 2);
    for (let i = 0; i < 10_000; i++) {
      limiter.wrongToken(`10.0.${i >> 8}.${i & 255}`);
      if (i % 50 === 0) limiter.wrongToken('kept'); // seen again and again: stays remembered
    }
    expect(limiter.stats().addresses).toBe(100);
    expect(limiter.wrongToken('kept').limited).toBe(true);
    expect(limiter.wrongToken('10.0.0.0').limited).toBe(false); // forgotten long ago: a fresh burst
  });

  it('says what happened and what to do, with a wait of whole seconds', () => {
    const { limiter } = limiterAt();
    const refusal = tooManyWrongTokens(limiter, 1_200);
    expect(refusal.retryAfterS).toBe(2);
    expect(refusal.body.error).toBe('too-many-wrong-tokens');
    expect(refusal.body.message).toContain('more than 20 in 10 s');
    expect(refusal.body.hint).toContain('right token is always accepted');
  });

  it('refuses a socket handshake as unauthorized, and past the burst with the reason and wait as data', () => {
    const { limiter } = limiterAt({ burst: 1 });
    expect(wrongTokenError(limiter, 'a').message).toMatch(/^unauthorized: open the URL/);
    const limited = wrongTokenError(limiter, 'a') as Error & { data?: { error: string; retryAfterS: number } };
    expect(limited.message).toMatch(/^unauthorized \(too-many-wrong-tokens\)/);
    expect(limited.data).toMatchObject({ error: 'too-many-wrong-tokens', retryAfterS: 10 });
  });
});
