import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startKafka } from '../../scripts/kafka.mjs';
import { rootLogger } from '../src/log.js';
import { KafkaSource, TAP_GROUP_PREFIX } from '../src/sources/kafka/kafkaSource.js';
import type { ChannelEntry, Flow, FlowEvent, FlowSummary } from '@flowscope/shared';
import {
  allEvents,
  api,
  eventsAtLeast,
  eventually,
  everyEvent,
  freePort,
  KAFKA_READ_ONLY_APIS,
  sourceStatus,
  startFlowscope,
} from './helpers.js';

const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'flowscope-test', brokers: [brokers], logLevel: logLevel.NOTHING });
const run = randomBytes(3).toString('hex');
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
});

async function createTopics(...topics: string[]) {
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 2 })), waitForLeaders: true });
}

/** Committed offsets of every group Flowscope created, for the given topics. */
async function tapGroupOffsets(topics: string[]) {
  const { groups } = await admin.listGroups();
  const ours = groups.filter((g) => g.groupId.startsWith(TAP_GROUP_PREFIX));
  const offsets = await Promise.all(ours.map((g) => admin.fetchOffsets({ groupId: g.groupId, topics })));
  return {
    groups: ours.map((g) => g.groupId),
    offsets: offsets.flat().flatMap((t) => t.partitions.map((p) => p.offset)),
  };
}

describe('Kafka source against a real broker', () => {
  it('turns produced records into FlowEvents with keys, headers, correlation and odd payloads intact', async () => {
    const orders = `orders-${run}`;
    const payments = `payments-${run}`;
    await createTopics(orders, payments);
    const server = await startFlowscope([
      '--kafka',
      brokers,
      '--topics',
      `${orders},${payments}`,
      '--from',
      'earliest',
      '--cluster',
      'it',
    ]);
    try {
      const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
      await producer.send({
        topic: orders,
        messages: [
          {
            key: 'A-1',
            value: JSON.stringify({ orderId: 'A-1', total: 30 }),
            headers: { 'correlation-id': 'corr-1', ce_source: 'order-service', ce_type: 'order.placed' },
          },
          { key: null, value: 'plain text, no key' },
          { key: 'bin', value: Buffer.from([0xff, 0xfe, 0x00, 0x10]) },
          { key: 'empty', value: null },
          { key: 'broken', value: '{"orderId": "A-2", ' },
        ],
      });
      await producer.send({
        topic: payments,
        messages: [
          {
            key: Buffer.from([0xca, 0xfe]),
            value: JSON.stringify({ orderId: 'A-1', paymentId: 'P-1' }),
            headers: { traceparent: `00-${trace}-00f067aa0ba902b7-01`, producer: 'payment-service' },
          },
        ],
      });
      await producer.disconnect();

      const events = await eventually(
        async () => {
          const all = await allEvents(server);
          return all.length >= 6 ? all : undefined;
        },
        30_000,
        'six events from Kafka',
      );
      expect(events).toHaveLength(6);

      const byKey = (k: string) => events.find((e) => e.key?.value === k);
      const placed = byKey('A-1');
      expect(placed).toMatchObject({
        source: { broker: 'kafka', cluster: 'it' },
        channel: orders,
        type: 'order.placed',
        producer: 'order-service',
        headers: { 'correlation-id': 'corr-1' },
        payload: { encoding: 'json' },
      });
      expect(placed?.id).toBe(`kafka/it/${orders}/${placed?.partition}/${placed?.offset}`);
      expect(placed?.correlation.keys).toEqual([
        { name: 'correlationId', value: 'corr-1' },
        { name: 'orderId', value: 'A-1' },
      ]);
      expect(events.find((e) => e.channel === orders && !e.key)?.payload).toMatchObject({
        encoding: 'text',
        value: 'plain text, no key',
      });
      expect(byKey('bin')?.payload).toMatchObject({
        encoding: 'binary',
        size: 4,
        value: Buffer.from([0xff, 0xfe, 0x00, 0x10]).toString('base64'),
      });
      expect(byKey('empty')?.payload).toMatchObject({ encoding: 'empty', size: 0 });
      expect(byKey('broken')?.payload.note).toMatch(/does not parse/);

      const payment = events.find((e) => e.channel === payments);
      expect(payment).toMatchObject({
        key: { encoding: 'hex', value: 'cafe' },
        producer: 'payment-service',
        correlation: { traceId: trace },
      });

      // Read-only: Flowscope's group exists while tailing but has committed nothing.
      const { groups, offsets } = await tapGroupOffsets([orders, payments]);
      expect(groups.length).toBeGreaterThan(0);
      expect(offsets.every((o) => o === '-1')).toBe(true);
    } finally {
      await server.close();
    }
    // The group is deleted on stop: nothing of Flowscope stays behind.
    expect(
      (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(TAP_GROUP_PREFIX)),
    ).toEqual([]);
    expect((await tapGroupOffsets([orders, payments])).offsets.every((o) => o === '-1')).toBe(true);
  });

  it('joins one order across three topics with three correlation conventions into one flow', async () => {
    const [checkout, billing, shipping] = ['checkout', 'billing', 'shipping'].map((t) => `${t}-${run}`) as [
      string,
      string,
      string,
    ];
    await createTopics(checkout, billing, shipping);
    const server = await startFlowscope([
      '--kafka',
      brokers,
      '--topics',
      `/^(checkout|billing|shipping)-${run}$/`,
      '--from',
      'earliest',
    ]);
    try {
      const corr = `corr-${run}`;
      const trace = `${run}${'ab'.repeat(13)}`.slice(0, 32);
      const orderId = `X-${run}`;
      const tp = (span: string) => `00-${trace}-${span.padStart(16, '0')}-01`;
      const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      // Header only on the first topic; the validation step also starts a trace (bridge 1).
      await producer.send({
        topic: checkout,
        messages: [
          { value: JSON.stringify({ cart: 3 }), headers: { 'correlation-id': corr, ce_type: 'order.placed' } },
          {
            value: JSON.stringify({ valid: true }),
            headers: { 'correlation-id': corr, traceparent: tp('1'), ce_type: 'order.validated' },
          },
        ],
      });
      // Trace context only on the second; the capture names the order id in its payload (bridge 2).
      await producer.send({
        topic: billing,
        messages: [
          { value: JSON.stringify({ amount: 10 }), headers: { traceparent: tp('2'), ce_type: 'payment.requested' } },
          {
            value: JSON.stringify({ orderId, amount: 10 }),
            headers: { traceparent: tp('3'), ce_type: 'payment.captured' },
          },
        ],
      });
      // Payload field only on the third.
      await producer.send({
        topic: shipping,
        messages: [{ value: JSON.stringify({ orderId, carrier: 'DHL' }), headers: { ce_type: 'shipment.created' } }],
      });
      await producer.disconnect();

      const flows = await eventually(
        async () => {
          const { body } = await api<{ flows: FlowSummary[] }>(server, `/api/flows?key=${orderId}`);
          return body.flows[0]?.eventCount === 5 ? body.flows : undefined;
        },
        60_000,
        'one flow of five events',
      );
      expect(flows).toHaveLength(1);
      for (const key of [corr, trace]) {
        expect(
          (await api<{ flows: FlowSummary[] }>(server, `/api/flows?key=${key}`)).body.flows.map((f) => f.id),
        ).toEqual([flows[0]?.id]);
      }
      const flow = (await api<Flow>(server, `/api/flows/${encodeURIComponent(flows[0]?.id ?? '')}`)).body;
      expect(flow.channels.sort()).toEqual([billing, checkout, shipping].sort());
      expect(flow.keys).toEqual(
        expect.arrayContaining([
          { name: 'correlationId', value: corr },
          { name: 'traceId', value: trace },
          { name: 'orderId', value: orderId },
        ]),
      );
    } finally {
      await server.close();
    }
  });

  it('reads on a thread of its own by default, with the same events as on the main thread, and leaves nothing', async () => {
    const topic = `threaded-${run}`;
    await createTopics(topic);
    const app = `app-${run}`;
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = Array.from({ length: 3000 }, (_, i) => ({
      key: `O-${i % 600}`,
      value:
        i % 500 === 7
          ? Buffer.from([0, 159, 146, 150, i % 256])
          : JSON.stringify({ orderId: `O-${i % 600}`, card: '4111 1111 1111 1111', n: i }),
      headers: { 'correlation-id': `c-${i % 600}`, authorization: 'Bearer secret', ce_type: 'order.step' },
    }));
    await producer.send({ topic, messages });
    await producer.disconnect();
    // An application group, so the consumer reader (served on the thread) has something to show.
    const consumer = kafka.consumer({ groupId: app });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let consumed = 0;
    await consumer.run({ eachMessage: async () => void (consumed += 1) });
    await eventually(async () => (consumed >= 3000 ? true : undefined), 60_000, 'the application read the topic');
    const read = async (...flags: string[]) => {
      const server = await startFlowscope([
        '--kafka',
        brokers,
        '--topics',
        topic,
        '--from',
        'earliest',
        '--group-refresh',
        '1s',
        '--mask',
        'payload:card',
        '--mask',
        'header:authorization',
        ...flags,
      ]);
      try {
        const events = await eventsAtLeast(server, 3000, 60_000, everyEvent);
        const groups = await eventually(
          async () => {
            const { body } = await api<{ consumers: { id: string }[] }>(server, '/api/consumers');
            return body.consumers.some((c) => c.id === app) ? body.consumers : undefined;
          },
          30_000,
          'the application group on the map',
        );
        const { body } = await api<{ channels: ChannelEntry[] }>(server, '/api/catalog');
        const type = body.channels.find((c) => c.name === topic)?.types.find((t) => t.type === 'order.step');
        return { events, groups: groups.map((c) => c.id), type };
      } finally {
        await server.close();
      }
    };
    try {
      const threaded = await read();
      const inline = await read('--no-source-threads');
      const comparable = (events: FlowEvent[]) =>
        events.map(({ seq: _seq, receivedAt: _receivedAt, ...rest }) => rest).sort((a, b) => a.id.localeCompare(b.id));
      expect(threaded.events).toHaveLength(3000);
      expect(comparable(threaded.events)).toEqual(comparable(inline.events));
      // Masks, binary bodies and correlation were applied on the thread.
      const plain = threaded.events.find((e) => e.payload.value.includes('"n":0}'));
      expect(plain?.payload.value).toContain('"card":"[masked]"');
      expect(plain?.headers.authorization).toBe('[masked]');
      expect(plain?.correlation.keys).toEqual(expect.arrayContaining([{ name: 'correlationId', value: 'c-0' }]));
      expect(threaded.events.filter((e) => e.payload.encoding === 'binary')).toHaveLength(6);
      expect(threaded.groups).toContain(app);
      // The catalog learned the same schema from the values parsed on the thread as from its own.
      expect(threaded.type?.samples).toBeGreaterThan(1000);
      expect(threaded.type?.schema).toMatchObject({ properties: { orderId: {}, card: {}, n: {} } });
      // (Partitions interleave differently from run to run: examples and the sample count may differ.)
      const shape = (schema: Record<string, unknown> | undefined) =>
        Object.entries((schema?.properties ?? {}) as Record<string, { type?: unknown }>).map(([k, v]) => [k, v.type]);
      expect(shape(threaded.type?.schema)).toEqual(shape(inline.type?.schema));
      expect(threaded.type?.schema?.required).toEqual(inline.type?.schema?.required);
      expect(threaded.type?.count).toBe(3000);
      // Both stops removed the tap group: nothing of Flowscope is left on the cluster.
      expect((await tapGroupOffsets([topic])).groups).toEqual([]);
    } finally {
      await consumer.disconnect();
    }
  }, 180_000);

  it('sends only the requests tailing needs, and leaves nothing of itself on the cluster', async () => {
    const topic = `readonly-${run}`;
    await createTopics(topic);
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 20 }, (_, i) => ({ value: `{"n":${i}}` })) });
    await producer.disconnect();

    const source = new KafkaSource(
      {
        cluster: 'ro',
        brokers: [brokers],
        topics: [topic],
        from: { kind: 'earliest' },
        topicRefreshMs: 1000,
        groupRefreshMs: 500,
      },
      rootLogger,
    );
    // With its consumer reader, as the Kafka plugin registers it: group readings count too.
    const server = await startFlowscope(['--no-demo'], [{ source, consumers: source.consumerReader(500) }]);
    try {
      await eventually(
        async () => ((await allEvents(server)).length >= 20 ? true : undefined),
        30_000,
        'twenty events',
      );
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain(source.groupId);
      // Consumer groups and lag have been read at least once, so their requests are counted too.
      await eventually(() => (source.requestCounts().ListGroups ? true : undefined), 30_000, 'a group reading');
    } finally {
      await server.close();
    }
    const sent = Object.keys(source.requestCounts());
    // Tailing, and reading consumer groups and lag (ListGroups, DescribeGroups, OffsetFetch).
    expect(sent).toEqual(expect.arrayContaining(['Metadata', 'Fetch', 'JoinGroup', 'ListGroups', 'OffsetFetch']));
    expect(sent.filter((api) => !KAFKA_READ_ONLY_APIS.has(api))).toEqual([]); // never OffsetCommit, Produce, CreateTopics, configs…
    // A clean stop leaves no group behind.
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(source.groupId);
  });

  it('never creates a topic it is told to tail, says it is missing, and picks it up once it exists', async () => {
    const missing = `not-there-${run}`;
    const server = await startFlowscope(['--kafka', brokers, '--topics', missing, '--from', 'earliest']);
    try {
      const status = await eventually(
        async () => {
          const s = await sourceStatus(server, 'kafka:local');
          return s?.error?.reason === 'topic-not-found' ? s : undefined;
        },
        20_000,
        'topic-not-found status',
      );
      expect(status.error?.message).toContain(missing);
      expect(status.error?.hint).toMatch(/never creates topics/);
      expect(await admin.listTopics()).not.toContain(missing);

      // The application creates it: Flowscope starts reading without a restart.
      await createTopics(missing);
      const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      await producer.send({ topic: missing, messages: [{ value: '{"orderId":"late"}' }] });
      await producer.disconnect();
      await eventually(
        async () => ((await allEvents(server)).some((e) => e.channel === missing) ? true : undefined),
        30_000,
        'event on the new topic',
      );
      expect((await sourceStatus(server, 'kafka:local'))?.error).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('keeps running with an unreachable broker, shows why, and connects once the broker is up', async () => {
    const port = await freePort();
    const server = await startFlowscope(['--kafka', `127.0.0.1:${port}`, '--topics', '/.*/']);
    let broker: Awaited<ReturnType<typeof startKafka>> | undefined;
    try {
      const down = await eventually(
        async () => {
          const s = await sourceStatus(server, 'kafka:local');
          return s?.state === 'disconnected' ? s : undefined;
        },
        30_000,
        'disconnected status',
      );
      expect(down.error).toMatchObject({ reason: 'unreachable' });
      expect(down.error?.message).toContain(`127.0.0.1:${port}`);
      expect((await fetch(`${server.url}/api/health`)).status).toBe(401); // still serving

      broker = await startKafka({ port });
      await eventually(
        async () => ((await sourceStatus(server, 'kafka:local'))?.state === 'connected' ? true : undefined),
        60_000,
        'reconnect',
      );
    } finally {
      await server.close();
      await broker?.stop();
    }
  });
});
