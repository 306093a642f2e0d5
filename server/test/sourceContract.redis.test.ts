import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect } from 'vitest';
import { rootLogger } from '../src/log.js';
import { RedisSource } from '../src/sources/redis/redisSource.js';
import { describeEventSource } from './eventSourceContract.js';
import { freePort, tcpForwarder } from './helpers.js';

const REDIS = 'redis://127.0.0.1:6379';
const redis = createClient({ url: REDIS });
const keys: string[] = [];

beforeAll(async () => {
  await redis.connect();
});
afterAll(async () => {
  if (keys.length > 0) await redis.del(keys);
  redis.destroy();
});

/** Commands that leave state on Redis or take entries from applications: none may run while a tap does. */
const FORBIDDEN =
  /^cmdstat_(xreadgroup|xack|xgroup\|.*|xclaim|xautoclaim|xsetid|xdel|monitor|set|hset|lpush|rpush|expire|publish):calls=(\d+)/gm;

/** Server-wide counts of the forbidden commands (INFO commandstats): nothing else here sends them. */
async function forbiddenCalls(): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  return Object.fromEntries([...info.matchAll(FORBIDDEN)].map((m) => [m[1] as string, Number(m[2])]));
}

function stream(): string {
  const key = `flowscope-contract:${randomBytes(4).toString('hex')}`;
  keys.push(key);
  return key;
}

const redisSource = (key: string, url = REDIS) =>
  new RedisSource(
    { cluster: 'contract', url, streams: [key], from: { kind: 'earliest' }, streamRefreshMs: 500 },
    rootLogger,
  );

/** Adds entries with the payload in the `payload` field; an empty field is how a Redis entry carries no payload. */
async function add(key: string, values: readonly (Uint8Array | string | null)[]) {
  for (const value of values)
    await redis.xAdd(key, '*', {
      payload: value === null ? '' : typeof value === 'string' ? value : Buffer.from(value),
    });
}

describeEventSource({
  name: 'redis',
  make: async () => {
    const key = stream();
    await add(key, ['{"created":true}']);
    const source = redisSource(key);
    const callsBefore = await forbiddenCalls();
    return {
      source,
      again: () => redisSource(key),
      feed: (count) =>
        add(
          key,
          Array.from({ length: count }, (_, i) => `{"n":${i}}`),
        ),
      feedPayloads: (values) => add(key, values),
      loseHistory: async () => {
        await add(
          key,
          Array.from({ length: 10 }, (_, i) => `{"lost":${i}}`),
        );
        await redis.xTrim(key, 'MAXLEN', 4);
      },
      readOnly: {
        rule: 'XREAD, XRANGE, XINFO and SCAN only (counted per command by the source, and server-wide in INFO commandstats): no XREADGROUP, XACK, XGROUP, writes; no group or connection left on Redis',
        check: async () => {
          const sent = Object.keys(source.commandCounts());
          expect(sent.filter((c) => !['XREAD', 'XRANGE', 'XINFO STREAM', 'XINFO GROUPS', 'SCAN'].includes(c))).toEqual(
            [],
          );
          expect(await redis.xInfoGroups(key)).toEqual([]);
          expect(await forbiddenCalls()).toEqual(callsBefore);
          const named = (await redis.clientList()).filter((c) => c.name === source.connectionName);
          expect(named).toEqual([]); // its connections are closed
        },
      },
    };
  },
  unreachable: async () => {
    const key = stream();
    const port = await freePort();
    const proxy = tcpForwarder(port, '127.0.0.1:6379');
    return { source: redisSource(key, `redis://127.0.0.1:${port}`), bringBack: proxy.open, cleanup: proxy.close };
  },
});
