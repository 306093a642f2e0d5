import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeadLettered, type Consumer as AppConsumer, type FlowEvent } from '@flowscope/shared';
import type { Options } from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { normalize } from '../src/ingest/normalize.js';
import type { RabbitSource } from '../src/sources/rabbitmq/rabbitmqSource.js';
import { allEvents, api, eventually, freePort, recordingSink, sourceStatus, startFlowscope } from './helpers.js';
import { AMQP_URL, leftOnBroker, queueDepth, rabbitSource, testConnection, unique } from './rabbitmqBroker.js';

const rabbit = testConnection();
const ch = () => rabbit.channel();
const created = { exchanges: [] as string[], queues: [] as string[] };

async function exchange(type: string, args: Record<string, unknown> = {}) {
  const name = unique(type);
  await (await ch()).assertExchange(name, type, { durable: false, arguments: args });
  created.exchanges.push(name);
  return name;
}

/** An application's queue bound to `exchange` (the binding mirror mode copies). */
async function appQueue(exchange: string, routingKey = '', args: Record<string, unknown> = {}) {
  const queue = unique('app');
  await (await ch()).assertQueue(queue, { durable: false });
  await (await ch()).bindQueue(queue, exchange, routingKey, args);
  created.queues.push(queue);
  return queue;
}

/** Everything waiting in `queue`, taken as the application would. */
async function drain(queue: string): Promise<string[]> {
  const bodies: string[] = [];
  for (
    let msg = await (await ch()).get(queue, { noAck: true });
    msg;
    msg = await (await ch()).get(queue, { noAck: true })
  )
    bodies.push(msg.content.toString());
  return bodies;
}

async function tapping(source: RabbitSource) {
  const rec = recordingSink();
  await source.start(rec.sink);
  await eventually(() => (rec.states.includes('connected') ? true : undefined), 20_000, 'connected');
  const bodies = () => rec.records.map((r) => String(r.value));
  return { ...rec, bodies };
}

type Envelope = Options.Publish & { exchange?: string; routingKey?: string };
const send = ({ exchange = '', routingKey = '', ...options }: Envelope, body: string | Buffer) =>
  rabbit.publish(exchange, routingKey, body, options);

afterAll(async () => {
  for (const queue of created.queues) await (await ch()).deleteQueue(queue);
  for (const exchange of created.exchanges) await (await ch()).deleteExchange(exchange);
  await rabbit.close();
});

describe('RabbitMQ tap in mirror mode', () => {
  it('sees what every exchange type routes, and applications get exactly the same messages as without it', async () => {
    const topic = await exchange('topic');
    const fanout = await exchange('fanout');
    const direct = await exchange('direct');
    const headers = await exchange('headers');
    const upstream = await exchange('direct'); // bound to the topic exchange: exchange-to-exchange
    await (await ch()).bindExchange(topic, upstream, 'orders.shipped');
    const queues = [
      await appQueue(topic, 'orders.*'),
      await appQueue(fanout),
      await appQueue(direct, 'pay'),
      await appQueue(headers, '', { 'x-match': 'all', kind: 'refund' }),
    ];
    const round = async (tag: string) => {
      await send({ exchange: topic, routingKey: 'orders.placed' }, `${tag} topic routed`);
      await send({ exchange: topic, routingKey: 'stock.low' }, `${tag} topic unrouted`);
      await send({ exchange: fanout }, `${tag} fanout routed`);
      await send({ exchange: direct, routingKey: 'pay' }, `${tag} direct routed`);
      await send({ exchange: direct, routingKey: 'refund' }, `${tag} direct unrouted`);
      await send({ exchange: headers, headers: { kind: 'refund' } }, `${tag} headers routed`);
      await send({ exchange: headers, headers: { kind: 'pay' } }, `${tag} headers unrouted`);
      await send({ exchange: upstream, routingKey: 'orders.shipped' }, `${tag} upstream routed`);
      await send({ exchange: upstream, routingKey: 'other' }, `${tag} upstream unrouted`);
      return Promise.all(queues.map(async (q) => (await drain(q)).map((b) => b.replace(`${tag} `, ''))));
    };

    const without = await round('before');
    const source = rabbitSource([topic, fanout, direct, headers, upstream]);
    const tap = await tapping(source);
    try {
      const withTap = await round('during');
      expect(withTap).toEqual(without);
      expect(without.flat()).toContain('upstream routed');
      const routed = ['topic', 'fanout', 'direct', 'headers', 'upstream'].map((t) => `during ${t} routed`);
      await eventually(() => (tap.bodies().length >= routed.length ? true : undefined), 10_000, 'tapped');
      await new Promise((r) => setTimeout(r, 300));
      expect(tap.bodies().sort()).toEqual(routed.sort());
      const upstreamCopy = tap.records.find((r) => String(r.value) === 'during upstream routed');
      expect(upstreamCopy?.channel).toBe(upstream);
      expect(upstreamCopy?.headers['amqp.routing-key']).toBe('orders.shipped');
    } finally {
      await source.stop();
    }
    expect(await leftOnBroker()).toEqual([]);
  });

  it('leaves alternate exchanges and mandatory returns as they were (a wildcard tap would not)', async () => {
    const alternate = await exchange('fanout');
    const withAlternate = await exchange('topic', { 'alternate-exchange': alternate });
    const unroutedQueue = await appQueue(alternate);
    await appQueue(withAlternate, 'known.#');
    const strict = await exchange('topic');
    await appQueue(strict, 'somebody');
    // Bound to `strict`, where nothing takes relay.x: a mandatory publish still comes back.
    const relay = await exchange('topic');
    await (await ch()).bindExchange(strict, relay, 'relay.#');
    const returned: string[] = [];
    rabbit.onReturn((msg) => returned.push(msg.content.toString()));
    const check = async (source: RabbitSource) => {
      const tap = await tapping(source);
      try {
        await send({ exchange: withAlternate, routingKey: 'unknown.x' }, 'to nobody');
        await send({ exchange: strict, routingKey: 'nobody', mandatory: true }, 'must come back');
        await send({ exchange: relay, routingKey: 'relay.x', mandatory: true }, 'relayed nowhere');
        await send({ exchange: strict, routingKey: 'somebody' }, 'strict routed');
        await eventually(() => (tap.bodies().includes('strict routed') ? true : undefined), 10_000, 'tapped');
        await new Promise((r) => setTimeout(r, 300));
        return { alternate: await queueDepth(rabbit, unroutedQueue), tapped: tap.bodies() };
      } finally {
        await source.stop();
        await drain(unroutedQueue);
      }
    };

    const mirror = await check(rabbitSource([withAlternate, strict, relay]));
    expect(mirror.alternate).toBe(1);
    await eventually(() => (returned.length === 2 ? true : undefined), 5000, 'basic.return');
    expect(returned.sort()).toEqual(['must come back', 'relayed nowhere']);
    // The tap follows the alternate exchange, so it sees the unroutable message too.
    expect(mirror.tapped.sort()).toEqual(['strict routed', 'to nobody']);

    returned.length = 0;
    const wildcard = await check(rabbitSource([withAlternate, strict, relay], { wildcard: true }));
    expect(wildcard.alternate).toBe(0);
    expect(returned).toEqual([]);
    expect(wildcard.tapped).toContain('must come back');
    expect(await leftOnBroker()).toEqual([]);
  });

  it('reports reconnecting when its connection is lost, records the gap, and taps again', async () => {
    const topic = await exchange('topic');
    await appQueue(topic, '#');
    const source = rabbitSource([topic]);
    const tap = await tapping(source);
    try {
      const auth = `Basic ${Buffer.from('guest:guest').toString('base64')}`;
      const connections = await eventually(async () => {
        const res = await fetch('http://127.0.0.1:15672/api/connections', { headers: { authorization: auth } });
        const all = (await res.json()) as { name: string; client_properties?: { connection_name?: string } }[];
        const ours = all.filter((c) => c.client_properties?.connection_name === source.connectionName);
        return ours.length > 0 ? ours : undefined;
      });
      for (const c of connections)
        await fetch(`http://127.0.0.1:15672/api/connections/${encodeURIComponent(c.name)}`, {
          method: 'DELETE',
          headers: { authorization: auth },
        });
      const down = await eventually(() => tap.reports.find((r) => r.state === 'reconnecting'), 10_000, 'reconnecting');
      expect(down.problem?.hint).toMatch(/reconnects/);
      await eventually(
        () => (tap.states.lastIndexOf('connected') > tap.states.indexOf('reconnecting') ? true : undefined),
        20_000,
        'connected again',
      );
      expect(tap.gaps[0]?.detail).toMatch(/not copied/);
      await send({ exchange: topic, routingKey: 'after' }, 'after the reconnect');
      await eventually(() => (tap.bodies().includes('after the reconnect') ? true : undefined), 10_000, 'tapped again');
    } finally {
      await source.stop();
    }
    expect(await leftOnBroker()).toEqual([]);
  });
});

describe('RabbitMQ dead letters', () => {
  it("taps a bound queue's dead-letter exchange, and a rejected message shows as dead-lettered", async () => {
    const jobs = await exchange('direct');
    const dlx = await exchange('fanout');
    const work = unique('work');
    await (await ch()).assertQueue(work, { durable: false, arguments: { 'x-dead-letter-exchange': dlx } });
    created.queues.push(work);
    await (await ch()).bindQueue(work, jobs, 'run');
    const dlq = await appQueue(dlx);
    const source = rabbitSource([jobs]);
    const tap = await tapping(source);
    try {
      await send({ exchange: jobs, routingKey: 'run' }, 'job that fails');
      // The application rejects it without requeueing: RabbitMQ dead-letters it.
      const app = await ch();
      const msg = await eventually(async () => (await app.get(work)) || undefined, 5000, 'the job');
      app.nack(msg, false, false);
      const dead = await eventually(() => tap.records.find((r) => r.channel === dlx), 10_000, 'the dead letter');
      expect(String(dead.value)).toBe('job that fails');
      const event = normalize(dead, { broker: 'rabbitmq', cluster: 'test' }, Date.now(), { maxPayloadBytes: 1024 });
      expect(isDeadLettered(event)).toBe(true);
      expect(String(event.headers['x-death'])).toContain(work);
      expect(await queueDepth(rabbit, dlq)).toBe(1);
    } finally {
      await source.stop();
    }
  });
});

describe('RabbitMQ without the management API', () => {
  it('says what it cannot see, and taps exchanges named exactly only when wildcards are chosen', async () => {
    const topic = await exchange('topic');
    await appQueue(topic, 'seen.#');
    const nowhere = { url: `http://127.0.0.1:${await freePort()}`, username: 'guest', password: 'guest' };
    const mirror = rabbitSource([topic], { management: nowhere });
    const blind = await tapping(mirror);
    try {
      const report = blind.reports.find((r) => r.state === 'connected');
      expect(report?.problem?.reason).toBe('misconfigured');
      expect(report?.problem?.message).toMatch(/Nothing is tapped/);
      expect(report?.problem?.hint).toMatch(/rabbitmq-plugins enable rabbitmq_management/);
      expect(`${mirror.target} ${report?.problem?.message}`).not.toMatch(/:guest@/);
      // Nothing bound: an unseen binding is not copied, so applications cannot be affected.
      await send({ exchange: topic, routingKey: 'seen.0' }, 'not copied');
      await new Promise((r) => setTimeout(r, 500));
      expect(blind.records).toEqual([]);
    } finally {
      await mirror.stop();
    }

    const wildcard = rabbitSource([topic], { management: nowhere, wildcard: true });
    const tap = await tapping(wildcard);
    try {
      expect(tap.reports.find((r) => r.state === 'connected')?.problem?.message).toMatch(/named exactly/);
      await send({ exchange: topic, routingKey: 'seen.1' }, 'seen without the API');
      await eventually(() => (tap.bodies().includes('seen without the API') ? true : undefined), 10_000, 'tapped');
    } finally {
      await wildcard.stop();
    }
  });
});

describe('RabbitMQ through Flowscope', () => {
  it('turns AMQP properties into correlation, producer and type, and shows application queues as consumers', async () => {
    const topic = await exchange('topic');
    const queue = await appQueue(topic, 'payments.#');
    const server = await startFlowscope(['--rabbitmq', AMQP_URL, '--exchanges', topic, '--rabbitmq-name', 'it']);
    try {
      await eventually(
        async () => ((await sourceStatus(server, 'rabbitmq:it'))?.state === 'connected' ? true : undefined),
        20_000,
        'connected',
      );
      const sentAt = Math.floor(Date.now() / 1000) - 60;
      for (let i = 0; i < 3; i++)
        await send(
          {
            exchange: topic,
            routingKey: 'payments.captured',
            correlationId: 'C-42',
            appId: 'billing',
            type: 'PaymentCaptured',
            timestamp: sentAt,
          },
          JSON.stringify({ amount: i }),
        );
      const event = await eventually(
        async () => (await allEvents(server)).find((e) => e.channel === topic),
        10_000,
        'event',
      );
      expect(event.producer).toBe('billing');
      expect(event.type).toBe('PaymentCaptured');
      expect(event.correlation.keys).toContainEqual({ name: 'correlationId', value: 'C-42' });
      expect(event.timestamp).toBe(sentAt * 1000);

      // An application holds one message without acknowledging it yet.
      const holder = await ch();
      const held = await eventually(async () => (await holder.get(queue)) || undefined, 5000, 'a message');
      const app = await eventually(
        async () => {
          const { body } = await api<{ consumers: AppConsumer[] }>(server, '/api/consumers');
          const q = body.consumers.find((c) => c.id === queue);
          return q?.lag === 2 && q.channels[0]?.unacked === 1 ? q : undefined;
        },
        30_000,
        'the application queue with 2 ready and 1 unacked',
      );
      expect(app).toMatchObject({
        broker: 'rabbitmq',
        kind: 'queue',
        channels: [{ channel: queue, lag: 2, unacked: 1 }],
      });
      holder.nack(held, false, true);
      // Only queues bound to tapped exchanges, and never Flowscope's own.
      const { body } = await api<{ consumers: AppConsumer[] }>(server, '/api/consumers');
      expect(body.consumers.filter((c) => c.broker === 'rabbitmq').map((c) => c.id)).toEqual([queue]);
    } finally {
      await server.close();
    }
    expect(await queueDepth(rabbit, queue)).toBe(3);
    expect(await leftOnBroker()).toEqual([]);
  });
});

describe('RabbitMQ payload bytes', () => {
  it('stores and serves every body byte for byte: JSON with odd whitespace and a 20-digit integer, text/plain that is not UTF-8, binary', async () => {
    const topic = await exchange('topic');
    await appQueue(topic, 'bytes.#');
    const bodies: Record<string, { contentType: string; bytes: Buffer }> = {
      json: {
        contentType: 'application/json',
        bytes: Buffer.from('{ "orderId" :"B-1",\n\t"amount":   12345678901234567890 , "tags" : [ ] }\n'),
      },
      text: { contentType: 'text/plain', bytes: Buffer.from([0x68, 0x69, 0x20, 0xc3, 0x28, 0xff, 0xfe, 0x21]) },
      binary: { contentType: 'application/octet-stream', bytes: Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x80, 0x00]) },
    };
    const bytesOf = (e: FlowEvent) =>
      Buffer.from(e.payload.value, e.payload.encoding === 'binary' ? 'base64' : 'utf8').toString('hex');
    const check = (events: FlowEvent[]) => {
      for (const [name, { bytes }] of Object.entries(bodies)) {
        const e = events.find((x) => x.channel === topic && x.key?.value === `bytes.${name}`);
        expect(e?.payload, name).toMatchObject({ size: bytes.length, truncated: false });
        expect(e && bytesOf(e), name).toBe(bytes.toString('hex'));
        expect(e?.payload.sha256, name).toBe(createHash('sha256').update(bytes).digest('hex'));
      }
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-rabbit-bytes-'));
    const args = ['--rabbitmq', AMQP_URL, '--exchanges', topic, '--rabbitmq-name', 'bytes', '--data-dir', dataDir];
    const server = await startFlowscope(args);
    try {
      await eventually(
        async () => ((await sourceStatus(server, 'rabbitmq:bytes'))?.state === 'connected' ? true : undefined),
        20_000,
        'connected',
      );
      for (const [name, { contentType, bytes }] of Object.entries(bodies))
        await send({ exchange: topic, routingKey: `bytes.${name}`, contentType }, bytes);
      const served = await eventually(async () => {
        const events = (await allEvents(server)).filter((e) => e.channel === topic);
        return events.length >= 3 ? events : undefined;
      });
      check(served);
      expect(served.find((e) => e.key?.value === 'bytes.json')?.payload.encoding).toBe('json');
    } finally {
      await server.close();
    }
    // Read back from the store by a second server on the same data directory.
    const again = await startFlowscope(['--no-demo', '--data-dir', dataDir]);
    try {
      check(await allEvents(again));
    } finally {
      await again.close();
    }
  });
});

describe('RabbitMQ restart', () => {
  it('reports reconnecting while the broker is down, records the gap, and taps again after start_app', async () => {
    // Durable, so that they survive the restart (transient exchanges and queues do not).
    const topic = unique('durable');
    await (await ch()).assertExchange(topic, 'topic', { durable: true });
    created.exchanges.push(topic);
    const queue = unique('durable-app');
    await (await ch()).assertQueue(queue, { durable: true });
    created.queues.push(queue);
    await (await ch()).bindQueue(queue, topic, 'jobs.#');
    const source = rabbitSource([topic]);
    const tap = await tapping(source);
    try {
      expect(spawnSync('rabbitmqctl', ['stop_app']).status).toBe(0);
      const down = await eventually(() => tap.reports.find((r) => r.state === 'reconnecting'), 10_000, 'reconnecting');
      expect(down.problem?.reason).toBe('unreachable');
      expect(spawnSync('rabbitmqctl', ['start_app']).status).toBe(0);
      await eventually(
        () => (tap.states.lastIndexOf('connected') > tap.states.indexOf('reconnecting') ? true : undefined),
        30_000,
        'connected again',
      );
      expect(tap.gaps[0]?.detail).toMatch(/not copied/);
      await eventually(async () => ((await rabbit.ready()) ? true : undefined), 20_000, 'the test connection back');
      await send({ exchange: topic, routingKey: 'jobs.after' }, 'after the restart');
      await eventually(() => (tap.bodies().includes('after the restart') ? true : undefined), 10_000, 'tapped');
    } finally {
      await source.stop();
    }
    expect(await leftOnBroker()).toEqual([]);
  });
});
