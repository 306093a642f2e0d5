import { afterAll, describe, expect, it } from 'vitest';
import type { RabbitSource } from '../src/sources/rabbitmq/rabbitmqSource.js';
import { eventually, recordingSink } from './helpers.js';
import { leftOnBroker, management, queueDepth, rabbitSource, testConnection, unique } from './rabbitmqBroker.js';

const rabbit = testConnection();
const ch = () => rabbit.channel();
const created = { exchanges: [] as string[], queues: [] as string[] };

afterAll(async () => {
  for (const queue of created.queues) await (await ch()).deleteQueue(queue);
  for (const exchange of created.exchanges) await (await ch()).deleteExchange(exchange);
  await rabbit.close();
});

/** An application's stream (streams are durable); `args` for retention. */
async function stream(name = unique('stream'), args: Record<string, unknown> = {}) {
  await (await ch()).assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'stream', ...args } });
  created.queues.push(name);
  return name;
}

/** Appends to a stream through the default exchange, each entry confirmed before the next. */
async function append(name: string, ...bodies: string[]) {
  for (const body of bodies) await rabbit.publish('', name, body);
}

/** Started: `connected` is reported once its stream consumers are attached. */
async function reading(source: RabbitSource) {
  const rec = recordingSink();
  await source.start(rec.sink);
  await eventually(() => (rec.states.includes('connected') ? true : undefined), 20_000, 'connected');
  const bodies = (channel: string) => rec.records.filter((r) => r.channel === channel).map((r) => String(r.value));
  return { ...rec, bodies };
}

const consumersOn = async (queue: string) =>
  (await management<{ queue: { name: string } }[]>('consumers/%2F')).filter((c) => c.queue.name === queue);

describe('RabbitMQ streams by offset', () => {
  it('reads a stream from where it is told, named by offsets, and takes nothing from it', async () => {
    const orders = await stream();
    await append(orders, 'a', 'b', 'c');
    const earliest = rabbitSource([], { streams: [orders], from: { kind: 'earliest' } });
    const tap = await reading(earliest);
    let offsets: string[] = [];
    try {
      await eventually(() => (tap.bodies(orders).length === 3 ? true : undefined), 10_000, 'three entries');
      expect(tap.bodies(orders)).toEqual(['a', 'b', 'c']);
      offsets = tap.records.map((r) => r.messageId ?? '');
      for (const r of tap.records) expect(r.messageId).toBe(r.headers['x-stream-offset']);
      // One consumer of Flowscope's own on the stream (the API shows it after its statistics sample).
      await eventually(async () => ((await consumersOn(orders)).length === 1 ? true : undefined), 10_000, 'consumer');
    } finally {
      await earliest.stop();
    }
    await eventually(async () => ((await consumersOn(orders)).length === 0 ? true : undefined), 5000, 'no consumer');

    // From an offset: that entry and the ones after it, with the same ids as before.
    const fromB = rabbitSource([], {
      streams: [orders],
      start: { [orders]: { kind: 'offset', offset: offsets[1] ?? '' } },
    });
    const second = await reading(fromB);
    try {
      await eventually(() => (second.bodies(orders).length === 2 ? true : undefined), 10_000, 'two entries');
      expect(second.records.map((r) => r.messageId)).toEqual(offsets.slice(1));
    } finally {
      await fromB.stop();
    }

    // From latest (the default): only what is appended once it reads.
    const latest = rabbitSource([], { streams: [orders] });
    const third = await reading(latest);
    try {
      await append(orders, 'd');
      await eventually(() => (third.bodies(orders).length > 0 ? true : undefined), 10_000, 'the new entry');
      await new Promise((r) => setTimeout(r, 300));
      expect(third.bodies(orders)).toEqual(['d']);
    } finally {
      await latest.stop();
    }
    expect(await leftOnBroker()).toEqual([]);
  });

  it('resumes after a lost connection: what was appended meanwhile is read, nothing twice, no gap', async () => {
    const orders = await stream();
    const source = rabbitSource([], { streams: [orders] });
    const tap = await reading(source);
    try {
      await append(orders, 'before');
      await eventually(() => (tap.bodies(orders).includes('before') ? true : undefined), 10_000, 'before');
      const auth = `Basic ${Buffer.from('guest:guest').toString('base64')}`;
      const ours = await eventually(async () => {
        const all =
          await management<{ name: string; client_properties?: { connection_name?: string } }[]>('connections');
        return all.find((c) => c.client_properties?.connection_name === source.connectionName);
      });
      await fetch(`http://127.0.0.1:15672/api/connections/${encodeURIComponent(ours.name)}`, {
        method: 'DELETE',
        headers: { authorization: auth },
      });
      await append(orders, 'while down');
      await eventually(() => tap.reports.find((r) => r.state === 'reconnecting'), 10_000, 'reconnecting');
      await eventually(
        () => (tap.states.lastIndexOf('connected') > tap.states.indexOf('reconnecting') ? true : undefined),
        20_000,
        'connected again',
      );
      await append(orders, 'after');
      await eventually(() => (tap.bodies(orders).includes('after') ? true : undefined), 10_000, 'after');
      expect(tap.bodies(orders)).toEqual(['before', 'while down', 'after']);
      expect(tap.gaps).toEqual([]);
    } finally {
      await source.stop();
    }
  });

  it('says which named streams are missing or are queues, never creates one, and never consumes a queue', async () => {
    const missing = unique('no-such-stream');
    const classic = unique('classic');
    await (await ch()).assertQueue(classic, { durable: false });
    created.queues.push(classic);
    await rabbit.publish('', classic, 'kept for the application');
    const source = rabbitSource([], { streams: [missing, classic] });
    const tap = await reading(source);
    try {
      const report = tap.reports.find((r) => r.state === 'connected');
      expect(report?.problem?.reason).toBe('topic-not-found');
      expect(report?.problem?.message).toContain(`No stream ${missing}`);
      expect(report?.problem?.message).toContain(`${classic} is a queue, not a stream`);
      expect(report?.problem?.hint).toMatch(/never creates a stream/);
      await new Promise((r) => setTimeout(r, 1200)); // a few binding refreshes
      expect(await consumersOn(classic)).toEqual([]);
    } finally {
      await source.stop();
    }
    expect(await queueDepth(rabbit, classic)).toBe(1);
    const queues = await management<{ name: string }[]>('queues/%2F');
    expect(queues.map((q) => q.name)).not.toContain(missing);
  });

  it('picks up a stream created later that matches a pattern', async () => {
    const prefix = unique('later');
    const source = rabbitSource([], { streams: [`/^${prefix}/`], from: { kind: 'earliest' } });
    const tap = await reading(source);
    try {
      const audit = await stream(`${prefix}-audit`);
      await append(audit, 'first entry');
      await eventually(() => (tap.bodies(audit).length > 0 ? true : undefined), 10_000, 'the new stream read');
      expect(tap.bodies(audit)).toEqual(['first entry']);
    } finally {
      await source.stop();
    }
  });

  it("does not also copy a stream's messages through its exchange (each would show twice)", async () => {
    const exchange = unique('topic');
    await (await ch()).assertExchange(exchange, 'topic', { durable: false });
    created.exchanges.push(exchange);
    const orders = await stream();
    await (await ch()).bindQueue(orders, exchange, 'orders.#');
    const payments = unique('app');
    await (await ch()).assertQueue(payments, { durable: false });
    created.queues.push(payments);
    await (await ch()).bindQueue(payments, exchange, 'pay.#');
    const source = rabbitSource([exchange], { streams: [orders], from: { kind: 'earliest' } });
    const tap = await reading(source);
    try {
      await rabbit.publish(exchange, 'orders.placed', 'an order');
      await rabbit.publish(exchange, 'pay.captured', 'a payment');
      await eventually(() => (tap.records.length >= 2 ? true : undefined), 10_000, 'both');
      await new Promise((r) => setTimeout(r, 300));
      expect(tap.records.map((r) => [r.channel, String(r.value)]).sort()).toEqual(
        [
          [orders, 'an order'],
          [exchange, 'a payment'],
        ].sort(),
      );
    } finally {
      await source.stop();
    }
  });

  it('records entries removed by retention before it read them as a gap', async () => {
    // Tiny segments and retention: each confirmed entry is a chunk, old segments go.
    const small = await stream(unique('trimmed'), {
      'x-max-length-bytes': 20_000,
      'x-stream-max-segment-size-bytes': 5_000,
    });
    await append(small, ...Array.from({ length: 60 }, (_, i) => `${i}`.padEnd(1000, '.')));
    const source = rabbitSource([], { streams: [small], from: { kind: 'offset', offset: '0' } });
    const tap = await reading(source);
    try {
      const gap = await eventually(() => tap.gaps[0], 10_000, 'a gap');
      const first = await eventually(() => tap.records[0], 10_000, 'the first retained entry');
      expect(gap).toMatchObject({ reason: 'trimmed', channel: small, fromOffset: '0' });
      expect(BigInt(gap.untilOffset ?? '0')).toBeLessThan(BigInt(first.messageId ?? '0'));
      expect(gap.detail).toMatch(/removed by its retention/);
    } finally {
      await source.stop();
    }
  });
});
