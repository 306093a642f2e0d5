import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { Consumer, FlowEvent, Gap, Topology } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootLogger } from '../src/log.js';
import { RedisSource } from '../src/sources/redis/redisSource.js';
import { allEvents, api, eventually, recordingSink, sourceStatus, startFlowscope } from './helpers.js';

const URL = 'redis://127.0.0.1:6379';
const run = randomBytes(3).toString('hex');
const prefix = `flowscope-it-${run}`;
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

const flowscopeConnections = async () =>
  (await redis.clientList()).filter((c) => c.name.startsWith('flowscope-tap-')).map((c) => c.id);

const eventsOn = async (server: Parameters<typeof allEvents>[0], channel: string) =>
  (await allEvents(server)).filter((e) => e.channel === channel).sort((a, b) => a.seq - b.seq);

/** What an application reading through its own group gets: entries (as their `payload`) and how many are pending. */
async function appReads(stream: string, payloads: string[]) {
  await redis.xGroupCreate(stream, 'billing-app', '$', { MKSTREAM: true });
  for (const payload of payloads) await redis.xAdd(stream, '*', { payload });
  const reply = await redis.xReadGroup('billing-app', 'worker-1', { key: stream, id: '>' }, { COUNT: 100 });
  const got = (reply as { messages: { message: Record<string, string> }[] }[] | null)?.[0]?.messages ?? [];
  const pending = await redis.xPending(stream, 'billing-app');
  return { got: got.map((m) => m.message.payload), pending: pending.pending };
}

describe('Redis Streams', () => {
  it('tails entries as events with correlation, picks up a new stream, and records trimmed entries as a gap', async () => {
    const orders = `${prefix}:orders`;
    const trimmed = `${prefix}:trimmed`;
    await redis.xAdd(orders, '*', { payload: '{"before":true}' }); // before the start: not read (latest)
    for (let i = 0; i < 10; i++) await redis.xAdd(trimmed, '*', { n: String(i) });
    await redis.xTrim(trimmed, 'MAXLEN', 4);
    const server = await startFlowscope([
      ...['--redis', URL, '--streams', `${prefix}:*`, '--redis-name', `it-${run}`],
      ...['--redis-from', `${trimmed}=earliest`],
    ]);
    try {
      await eventually(async () =>
        (await sourceStatus(server, `redis:it-${run}`))?.state === 'connected' ? true : undefined,
      );
      const id = await redis.xAdd(orders, '*', {
        payload: JSON.stringify({ orderId: `o-${run}`, total: 12 }),
        correlationId: `c-${run}`,
      });
      const [event] = await eventually(async () => {
        const found = await eventsOn(server, orders);
        return found.length > 0 ? found : undefined;
      });
      expect(event?.timestamp).toBe(Number(id.split('-')[0]));
      expect(event?.correlation.keys).toEqual(
        expect.arrayContaining([
          { name: 'orderId', value: `o-${run}` },
          { name: 'correlationId', value: `c-${run}` },
        ]),
      );
      // The four entries left of the trimmed stream are read; the six trimmed before are a gap.
      expect(await eventually(async () => ((await eventsOn(server, trimmed)).length === 4 ? true : undefined))).toBe(
        true,
      );
      const gaps = (await api<{ gaps: Gap[] }>(server, '/api/gaps')).body.gaps.filter((g) => g.channel === trimmed);
      expect(gaps).toEqual([
        expect.objectContaining({ reason: 'trimmed', detail: expect.stringMatching(/^.+: 6 entries/) }),
      ]);

      const late = `${prefix}:late`;
      await redis.xAdd(late, '*', { payload: '{"late":1}' });
      await redis.xAdd(late, '*', { payload: '{"late":2}' });
      const picked = await eventually(
        async () => {
          const found = await eventsOn(server, late);
          return found.length === 2 ? found : undefined;
        },
        15_000,
        'the new stream, from its first entry',
      );
      expect(picked.map((e) => e.payload.value)).toEqual(['{"late":1}', '{"late":2}']);
    } finally {
      await server.close();
    }
  });

  it("leaves an application's group as it was, shows it with pending and lag, survives CLIENT KILL, and leaves nothing behind", async () => {
    const payloads = ['{"p":1}', '{"p":2}', '{"p":3}'];
    const without = await appReads(`${prefix}:pay-alone`, payloads);
    const stream = `${prefix}:pay`;
    const before = new Set(await flowscopeConnections());
    const server = await startFlowscope([
      ...['--redis', URL, '--streams', stream, '--redis-name', `g-${run}`],
      ...['--redis-from', 'earliest', '--redis-group-refresh', '500ms'],
    ]);
    try {
      await eventually(async () =>
        (await sourceStatus(server, `redis:g-${run}`))?.state === 'connected' ? true : undefined,
      );
      const withFlowscope = await appReads(stream, payloads);
      expect(withFlowscope).toEqual(without);
      expect(withFlowscope).toEqual({ got: payloads, pending: 3 });

      const group = await eventually(async () => {
        const { consumers } = (await api<{ consumers: Consumer[] }>(server, '/api/consumers')).body;
        return consumers.find((c) => c.source === `redis:g-${run}` && c.id === 'billing-app');
      });
      expect(group).toMatchObject({ broker: 'redis', kind: 'consumer-group', service: 'billing-app' });
      expect(group.channels).toEqual([expect.objectContaining({ channel: stream, unacked: 3, lag: 0 })]);
      expect(group.members.map((m) => m.clientId)).toEqual(['worker-1']);
      // On the map: the group consumes the stream.
      const { body: map } = await api<Topology>(server, '/api/topology');
      expect(map.edges.find((e) => e.target === 'service:billing-app')).toMatchObject({
        source: `channel:redis/g-${run}/${stream}`,
        kind: 'consumes',
        evidence: ['consumer-group'],
        consumers: ['billing-app'],
      });

      await eventually(async () => ((await eventsOn(server, stream)).length === 3 ? true : undefined));
      const ours = (await flowscopeConnections()).filter((id) => !before.has(id));
      expect(ours.length).toBeGreaterThan(0);
      for (const id of ours) await redis.clientKill({ filter: 'ID', id: Number(id) });
      for (const payload of ['{"p":4}', '{"p":5}']) await redis.xAdd(stream, '*', { payload });
      const all = await eventually(
        async () => {
          const found = await eventsOn(server, stream);
          return found.length >= 5 ? found : undefined;
        },
        20_000,
        'the entries added while the connection was down',
      );
      await new Promise((r) => setTimeout(r, 1000));
      const texts = (await eventsOn(server, stream)).map((e: FlowEvent) => e.payload.value);
      expect(texts).toEqual(['{"p":1}', '{"p":2}', '{"p":3}', '{"p":4}', '{"p":5}']);
      expect(all).toHaveLength(5);
      // It read them on new connections of its own.
      const now = await flowscopeConnections();
      expect(now.filter((id) => !before.has(id) && !ours.includes(id)).length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
    expect(await redis.xInfoGroups(stream)).toEqual([expect.objectContaining({ name: 'billing-app' })]);
    expect((await flowscopeConnections()).filter((id) => !before.has(id))).toEqual([]);
  });

  it('shows reconnecting with a reason and a hint when its connection is killed, and resumes after the last entry seen', async () => {
    const stream = `${prefix}:killed`;
    await redis.xAdd(stream, '*', { payload: '{"k":1}' });
    const source = new RedisSource(
      { cluster: 'kill', url: URL, streams: [stream], from: { kind: 'earliest' }, streamRefreshMs: 500 },
      rootLogger,
    );
    const rec = recordingSink();
    await source.start(rec.sink);
    try {
      await eventually(() => (rec.records.length === 1 ? true : undefined));
      const ours = (await redis.clientList()).filter((c) => c.name === source.connectionName);
      for (const c of ours) await redis.clientKill({ filter: 'ID', id: Number(c.id) });
      await redis.xAdd(stream, '*', { payload: '{"k":2}' });
      const down = await eventually(() => rec.reports.find((r) => r.state === 'reconnecting'));
      expect(down.problem).toMatchObject({
        reason: 'unreachable',
        hint: expect.stringMatching(/resumes after the last entry/),
      });
      await eventually(() => (rec.records.length >= 2 ? true : undefined));
      await redis.xAdd(stream, '*', { payload: '{"k":3}' });
      await eventually(() => (rec.records.length >= 3 ? true : undefined));
      expect(rec.records.map((r) => Buffer.from(r.value ?? '').toString())).toEqual(['{"k":1}', '{"k":2}', '{"k":3}']);
      expect(rec.states.at(-1)).toBe('connected');
    } finally {
      await source.stop();
    }
  });

  it('taps Pub/Sub channels by pattern when asked, beside an application subscriber, and records a lost subscription as a gap', async () => {
    const channel = `${prefix}.notify.email`;
    const app = redis.duplicate();
    await app.connect();
    const appGot: string[] = [];
    await app.subscribe(channel, (message) => void appGot.push(message));
    const before = new Set(await flowscopeConnections());
    const server = await startFlowscope([
      ...['--redis', URL, '--streams', `${prefix}:nothing`, '--redis-name', `ps-${run}`],
      ...['--redis-pubsub', `${prefix}.notify.*`],
    ]);
    try {
      const status = await eventually(async () => {
        const found = await sourceStatus(server, `redis:ps-${run}`);
        return found?.state === 'connected' ? found : undefined;
      });
      // The configured stream does not exist: said, with a hint, and never created.
      expect(status.error).toMatchObject({
        reason: 'topic-not-found',
        hint: expect.stringMatching(/never creates streams/),
      });
      expect(await redis.exists(`${prefix}:nothing`)).toBe(0);
      await eventually(async () => ((await redis.publish(channel, '{"n":1}')) === 2 ? true : undefined)); // the app and Flowscope
      await redis.publish(channel, '{"n":2}');
      await eventually(async () => ((await eventsOn(server, channel)).length >= 2 ? true : undefined));

      for (const id of (await flowscopeConnections()).filter((c) => !before.has(c)))
        await redis.clientKill({ filter: 'ID', id: Number(id) });
      const gap = await eventually(async () =>
        (await api<{ gaps: Gap[] }>(server, '/api/gaps')).body.gaps.find((g) => g.source === `redis:ps-${run}`),
      );
      expect(gap).toMatchObject({ reason: 'not-running', detail: expect.stringMatching(/Pub\/Sub keeps nothing/) });
      await redis.publish(channel, '{"n":3}');
      const texts = await eventually(async () => {
        const found = (await eventsOn(server, channel)).map((e) => e.payload.value);
        return found.includes('{"n":3}') ? found : undefined;
      });
      expect(texts.filter((t) => t !== '{"n":1}')).toEqual(['{"n":2}', '{"n":3}']);
      expect(appGot.filter((t) => t !== '{"n":1}')).toEqual(['{"n":2}', '{"n":3}']);
    } finally {
      await server.close();
      app.destroy();
    }
  });

  it('names refused credentials without showing them anywhere', async () => {
    const server = await startFlowscope([
      '--redis',
      'redis://flowscope:s3cret-pw@127.0.0.1:6379',
      '--redis-name',
      `auth-${run}`,
    ]);
    try {
      const status = await eventually(async () => {
        const s = await sourceStatus(server, `redis:auth-${run}`);
        return s?.state === 'disconnected' ? s : undefined;
      });
      expect(status.error?.reason).toBe('auth-failed');
      expect(status.target).toBe('127.0.0.1:6379 · *');
      const everything = JSON.stringify([
        (await api(server, '/api/health')).body,
        (await api(server, '/api/export/asyncapi')).body,
      ]);
      expect(everything).not.toContain('s3cret-pw');
    } finally {
      await server.close();
    }
  });
});
