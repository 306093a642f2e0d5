import { spawnSync } from 'node:child_process';
import { isDeadLettered, type Consumer as AppConsumer } from '@flowscope/shared';
import type { Envelope } from 'rabbitmq-client';
import { afterAll, describe, expect, it } from 'vitest';
import { normalize } from '../src/ingest/normalize.js';
import type { RabbitSource } from '../src/sources/rabbitmq/rabbitmqSource.js';
import { allEvents, api, eventually, freePort, recordingSink, sourceStatus, startFlowscope } from './helpers.js';
import { AMQP_URL, flowscopeOnBroker, queueDepth, rabbitSource, testConnection, unique } from './rabbitmqBroker.js';

const rabbit = testConnection();
const publisher = rabbit.createPublisher({ confirm: true });
const created = { exchanges: [] as string[], queues: [] as string[] };

async function exchange(type: string, args: Record<string, unknown> = {}) {
  const name = unique(type);
  await rabbit.exchangeDeclare({ exchange: name, type, arguments: args });
  created.exchanges.push(name);
  return name;
}

/** An application's queue bound to `exchange` (the binding mirror mode copies). */
async function appQueue(exchange: string, routingKey = '', args: Record<string, unknown> = {}) {
  const queue = unique('app');
  await rabbit.queueDeclare({ queue });
  await rabbit.queueBind({ queue, exchange, routingKey, arguments: args });
  created.queues.push(queue);
  return queue;
}

/** Everything waiting in `queue`, taken as the application would. */
async function drain(queue: string): Promise<string[]> {
  const bodies: string[] = [];
  for (
    let msg = await rabbit.basicGet({ queue, noAck: true });
    msg;
    msg = await rabbit.basicGet({ queue, noAck: true })
  )
    bodies.push(String(msg.body));
  return bodies;
}

async function tapping(source: RabbitSource) {
  const rec = recordingSink();
  await source.start(rec.sink);
  await eventually(() => (rec.states.includes('connected') ? true : undefined), 20_000, 'connected');
  const bodies = () => rec.records.map((r) => String(r.value));
  return { ...rec, bodies };
}

const send = (envelope: Envelope, body: string) => publisher.send(envelope, body);

afterAll(async () => {
  await publisher.close();
  for (const queue of created.queues) await rabbit.queueDelete({ queue });
  for (const exchange of created.exchanges) await rabbit.exchangeDelete({ exchange });
  await rabbit.close();
});

describe('RabbitMQ tap in mirror mode', () => {
  it('sees what every exchange type routes, and applications get exactly the same messages as without it', async () => {
    const topic = await exchange('topic');
    const fanout = await exchange('fanout');
    const direct = await exchange('direct');
    const headers = await exchange('headers');
    const upstream = await exchange('direct'); // bound to the topic exchange: exchange-to-exchange
    await rabbit.exchangeBind({ source: upstream, destination: topic, routingKey: 'orders.shipped' });
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
    expect(await flowscopeOnBroker()).toEqual([]);
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
    await rabbit.exchangeBind({ source: relay, destination: strict, routingKey: 'relay.#' });
    const returned: string[] = [];
    publisher.on('basic.return', (msg) => returned.push(String(msg.body)));
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
    expect(await flowscopeOnBroker()).toEqual([]);
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
    expect(await flowscopeOnBroker()).toEqual([]);
  });
});

describe('RabbitMQ dead letters', () => {
  it("taps a bound queue's dead-letter exchange, and a rejected message shows as dead-lettered", async () => {
    const jobs = await exchange('direct');
    const dlx = await exchange('fanout');
    const work = unique('work');
    await rabbit.queueDeclare({ queue: work, arguments: { 'x-dead-letter-exchange': dlx } });
    created.queues.push(work);
    await rabbit.queueBind({ queue: work, exchange: jobs, routingKey: 'run' });
    const dlq = await appQueue(dlx);
    const source = rabbitSource([jobs]);
    const tap = await tapping(source);
    try {
      await send({ exchange: jobs, routingKey: 'run' }, 'job that fails');
      // The application rejects it without requeueing: RabbitMQ dead-letters it.
      const ch = await rabbit.acquire();
      const msg = await eventually(() => ch.basicGet({ queue: work }), 5000, 'the job');
      ch.basicNack({ deliveryTag: msg.deliveryTag, requeue: false });
      await ch.close();
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
      const ch = await rabbit.acquire();
      const held = await eventually(() => ch.basicGet({ queue }), 5000, 'a message');
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
      ch.basicNack({ deliveryTag: held.deliveryTag, requeue: true });
      await ch.close();
      // Only queues bound to tapped exchanges, and never Flowscope's own.
      const { body } = await api<{ consumers: AppConsumer[] }>(server, '/api/consumers');
      expect(body.consumers.filter((c) => c.broker === 'rabbitmq').map((c) => c.id)).toEqual([queue]);
    } finally {
      await server.close();
    }
    expect(await queueDepth(rabbit, queue)).toBe(3);
    await eventually(async () => ((await flowscopeOnBroker()).length === 0 ? true : undefined), 5000, 'nothing left');
  });
});

describe('RabbitMQ firehose (opt-in)', () => {
  it('sees publishes straight to a queue with their publisher, only once an admin turned tracing on', async () => {
    const queue = unique('direct-queue');
    await rabbit.queueDeclare({ queue });
    created.queues.push(queue);
    const source = rabbitSource([], { firehose: true });
    const tap = await tapping(source);
    try {
      const off = tap.reports.find((r) => r.state === 'connected');
      expect(off?.problem?.message).toMatch(/Tracing is off/);
      expect(off?.problem?.hint).toMatch(/rabbitmqctl trace_on/);
      expect(spawnSync('rabbitmqctl', ['trace_on']).status).toBe(0);
      try {
        await send({ routingKey: queue, correlationId: 'C-7', appId: 'mailer' }, 'straight to the queue');
        const copy = await eventually(() => tap.records.find((r) => r.channel === queue), 10_000, 'the firehose copy');
        expect(String(copy.value)).toBe('straight to the queue');
        expect(copy.headers).toMatchObject({
          'correlation-id': 'C-7',
          'app-id': 'mailer',
          'amqp.publisher-user': 'guest',
        });
      } finally {
        expect(spawnSync('rabbitmqctl', ['trace_off']).status).toBe(0);
      }
      // The application still gets its message: the firehose only copies.
      expect(await queueDepth(rabbit, queue)).toBe(1);
    } finally {
      await source.stop();
    }
  });
});

describe('RabbitMQ restart', () => {
  it('reports reconnecting while the broker is down, records the gap, and taps again after start_app', async () => {
    // Durable, so that they survive the restart (transient exchanges and queues do not).
    const topic = unique('durable');
    await rabbit.exchangeDeclare({ exchange: topic, type: 'topic', durable: true });
    created.exchanges.push(topic);
    const queue = unique('durable-app');
    await rabbit.queueDeclare({ queue, durable: true });
    created.queues.push(queue);
    await rabbit.queueBind({ queue, exchange: topic, routingKey: 'jobs.#' });
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
      await eventually(() => (rabbit.ready ? true : undefined), 20_000, 'the test connection back');
      await send({ exchange: topic, routingKey: 'jobs.after' }, 'after the restart');
      await eventually(() => (tap.bodies().includes('after the restart') ? true : undefined), 10_000, 'tapped');
    } finally {
      await source.stop();
    }
    expect(await flowscopeOnBroker()).toEqual([]);
  });
});
