import { describe, expect, it } from 'vitest';
import { describeRedisError } from './errors.js';

describe('Redis errors as problems a person can act on', () => {
  it('names a cluster node as such (Redis Cluster is not read yet) instead of a generic failure', () => {
    const problem = describeRedisError(new Error('MOVED 3999 127.0.0.1:6381'), '127.0.0.1:6379');
    expect(problem).toMatchObject({ reason: 'misconfigured', message: expect.stringMatching(/Redis Cluster/) });
    expect(problem.hint).toMatch(/standalone server/);
  });

  it('tells refused credentials, missing permissions and TLS apart, without the URL credentials', () => {
    const auth = describeRedisError(
      new Error('WRONGPASS invalid username-password pair, redis://app:s3cret@db:6379'),
      'db:6379',
    );
    expect(auth.reason).toBe('auth-failed');
    expect(JSON.stringify(auth)).not.toContain('s3cret');
    expect(
      describeRedisError(new Error("NOPERM this user has no permissions to run the 'xread' command"), 'db:6379'),
    ).toMatchObject({ reason: 'misconfigured', hint: expect.stringMatching(/\+xread/) });
    expect(describeRedisError(new Error('self-signed certificate in certificate chain'), 'db:6380').reason).toBe(
      'tls-failed',
    );
  });
});
