import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootLogger } from '../src/log.js';
import { RedisSource } from '../src/sources/redis/redisSource.js';
import { eventually, recordingSink } from './helpers.js';

const URL = 'redis://127.0.0.1:6379';
const prefix = `flowscope-it-${randomBytes(3).toString('hex')}`;
const redis = createClient({ url: URL });

beforeAll(async () => {
  await redis.connect();
});
afterAll(async () => {
  const keys: string[] = [];
  for await (const page of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) keys.push(...page);
  if (keys.length > 0) await redis.del(keys);
  redis.destroy();
});

describe("Flowscope's own lag on Redis Streams", () => {
  it('counts the entries after the last one read: the whole backlog before reading from earliest, 0 once caught up', async () => {
    const stream = `${prefix}:orders`;
    for (let i = 0; i < 1500; i += 1) await redis.xAdd(stream, '*', { payload: JSON.stringify({ orderId: `O-${i}` }) });
    const { sink, records, lags } = recordingSink();
    const source = new RedisSource(
      { cluster: 'lag', url: URL, streams: [stream], from: { kind: 'earliest' }, streamRefreshMs: 500 },
      rootLogger,
    );
    await source.start(sink);
    try {
      // The first reading follows the stream's XINFO, before the first XREAD.
      const first = await eventually(() => lags[0], 20_000, 'a first lag reading');
      expect(first).toEqual([{ channel: stream, records: 1500 }]);
      await eventually(() => (records.length >= 1500 ? true : undefined), 20_000, 'every entry');
      const last = await eventually(
        () => {
          const latest = lags.at(-1)?.[0];
          return latest?.records === 0 ? latest : undefined;
        },
        20_000,
        'a reading caught up',
      );
      expect(last.lastTimestamp).toBe(Number(records.at(-1)?.messageId?.split('-')[0]));
    } finally {
      await source.stop();
    }
  });
});
