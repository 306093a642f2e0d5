import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCli, resolveConfig, sourcesOf } from '../../config.js';
import { redisPlugin, type RedisConfig } from './plugin.js';

const parse = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  resolveConfig(buildCli().exitOverride().parse(args, { from: 'user' }), env);

const configFile = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'flowscope-redis-')), 'flowscope.yaml');
  writeFileSync(path, text);
  return path;
};

describe('redis plugin configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads flags and their environment variables', () => {
    vi.stubEnv('FLOWSCOPE_REDIS_URL', 'redis://127.0.0.1:6380');
    vi.stubEnv('FLOWSCOPE_REDIS_STREAMS', 'orders,pay:*');
    vi.stubEnv('FLOWSCOPE_REDIS_NAME', 'cache');
    const r = parse(['--redis-from', 'orders=earliest', '--redis-pubsub', 'notify.*']);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(sourcesOf(r.config, 'redis')).toEqual([
      expect.objectContaining({
        cluster: 'cache',
        url: 'redis://127.0.0.1:6380',
        streams: ['orders', 'pay:*'],
        from: { kind: 'latest' },
        start: { orders: { kind: 'earliest' } },
        pubsub: ['notify.*'],
      }),
    ]);
  });

  it('takes the password of a redis: entry from the environment, and names the field when it is missing', () => {
    const file = configFile('redis:\n  - url: redis://cache:6379\n    password: { env: REDIS_PW }\n    from: 15m\n');
    const ok = parse(['--config', file], { REDIS_PW: 'pw' });
    if (!ok.ok) throw new Error(ok.errors.join('\n'));
    expect(sourcesOf(ok.config, 'redis')).toEqual([
      expect.objectContaining({ cluster: 'redis', password: 'pw', from: { kind: 'ago', ms: 900_000 } }),
    ]);
    const missing = parse(['--config', file]);
    expect(!missing.ok && missing.errors).toEqual(['redis[0].password: environment variable REDIS_PW is not set']);
    expect(() => parse(['--redis', 'redis://x:1', '--redis-from', 'soon'])).toThrow(/"soon" is not a start position/);
  });

  it('has a downtime gap only when reading starts at the latest entry', () => {
    const config = (from: RedisConfig['from']): RedisConfig => ({
      kind: 'redis',
      cluster: 'c',
      url: 'redis://h:1',
      streams: ['*'],
      from,
    });
    expect(redisPlugin.downtimeGap?.(config({ kind: 'latest' }), 1000, 2000)).toMatchObject({
      reason: 'not-running',
      from: 1000,
      until: 2000,
    });
    expect(redisPlugin.downtimeGap?.(config({ kind: 'earliest' }), 1000, 2000)).toBeUndefined();
    expect(redisPlugin.describe(config({ kind: 'latest' }))).toBe('Redis c (h:1)');
  });
});
