import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connect, type ConsumeMessage } from 'amqplib';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import type { IPublishPacket } from 'mqtt';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NameTaken, openShopOnBrokers } from '../src/demoBrokers/index.js';
import { eventually, freePort } from './helpers.js';
import { appClient, MQTT_URL } from './mqttBroker.js';
import { NATS_URL, natsApp, privateNats } from './natsBroker.js';

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = 'redis://127.0.0.1:6379';
const brokers = () => ({
  kafka: inject('kafkaBrokers'),
  rabbitmq: AMQP_URL,
  redis: REDIS_URL,
  nats: NATS_URL,
  mqtt: MQTT_URL,
});
const root = join(import.meta.dirname, '../..');

/** Names of exchanges and queues on vhost `/` that start with `prefix`, from the management API. */
async function onRabbit(prefix: string): Promise<string[]> {
  const headers = { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` };
  const names = await Promise.all(
    ['exchanges', 'queues'].map(async (what) => {
      const res = await fetch(`http://127.0.0.1:15672/api/${what}/%2F`, { headers });
      return ((await res.json()) as { name: string }[]).map((x) => x.name);
    }),
  );
  return names.flat().filter((n) => n.startsWith(prefix));
}

type Published = { orderId: string; correlationId: string };
const orderOf = (json: string) => (JSON.parse(json) as { orderId?: string }).orderId ?? '';
const text = (v: IHeaders[string]) => (Array.isArray(v) ? String(v[0]) : v === undefined ? '' : String(v));

describe('the demo shop on real brokers (pnpm demo:brokers)', () => {
  const redis = createClient({ url: REDIS_URL });
  beforeAll(async () => {
    await redis.connect();
  });
  afterAll(async () => {
    redis.destroy();
  });

  it("publishes one order's events to all five brokers, and deletes what it created on stop", async () => {
    const prefix = `flowscope-test-demo-${randomBytes(3).toString('hex')}.`;
    const shop = await openShopOnBrokers({ ...brokers(), prefix, ordersPerSecond: 10 });
    const amqp = await connect(AMQP_URL);
    const scanners = await watchScannerAcks(shop.names.channels.mqtt);
    const payments: ConsumeMessage[] = [];
    try {
      // A queue of the test's own sees every payment; the shop's queue is exclusive to it.
      const channel = await amqp.createChannel();
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, `${prefix}payments`, '#');
      await channel.consume(queue, (m) => void (m && payments.push(m)), { noAck: true });
      shop.start();

      // An order that has reached Redis (its notification) after its payment on RabbitMQ.
      const notified = await eventually(async () => {
        const paid = new Set(payments.map((m) => orderOf(m.content.toString())));
        const entries = await redis.xRange(`${prefix}notifications`, '-', '+');
        return (entries ?? []).find((e) => paid.has(orderOf(e.message.payload ?? '{}')));
      }, 20_000);
      const orderId = orderOf(notified.message.payload ?? '{}');
      const payment = payments.find((m) => orderOf(m.content.toString()) === orderId);

      // On RabbitMQ: AMQP properties, routed by event type.
      expect(payment?.fields.routingKey).toMatch(/^payment\./);
      expect(payment?.properties).toMatchObject({ appId: 'payment-service', contentType: 'application/json' });
      expect(payment?.properties.messageId).toEqual(expect.any(String));
      expect(payment?.properties.headers?.['causation-id']).toEqual(expect.any(String));
      const correlationId = String(payment?.properties.correlationId);
      // On Redis: the body in `payload`, the notification service's application headers as fields.
      expect(notified.message).toMatchObject({
        'x-correlation-id': correlationId,
        'app-id': 'notification-service',
        'event-type': 'notification.sent',
      });
      // On Kafka: the order placed, with the same correlation id as a plain header.
      const placed = await firstRecord(inject('kafkaBrokers'), `${prefix}orders`, orderId);
      expect(placed).toMatchObject<Published>({ orderId, correlationId });
      // On NATS: the reservation in the shop's JetStream stream, CloudEvents headers as NATS names them.
      const reserved = await inventoryMessage(`${prefix.replace(/\./g, '-')}inventory`, orderId);
      expect(reserved.subject).toBe(`${prefix}inventory.reserved`);
      expect(reserved.headers).toMatchObject({ 'ce-source': 'inventory-service', 'ce-type': 'inventory.reserved' });
      expect(reserved.headers['Nats-Msg-Id']).toBe(reserved.headers['ce-id']);
      expect(reserved.headers.traceparent).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
      // On MQTT: the warehouse scanner's acknowledgement, joined by correlation data, naming the reservation.
      const ack = await eventually(async () =>
        scanners.acks.find((p) => p.properties?.correlationData?.toString() === correlationId),
      );
      expect(ack.topic).toBe(`${prefix.replace(/\./g, '/')}warehouse/${reserved.warehouse}/picks`);
      expect(ack).toMatchObject({ qos: 1, retain: false });
      expect(ack.properties?.userProperties).toMatchObject({
        'causation-id': reserved.headers['Nats-Msg-Id'],
        'event-type': 'warehouse.pick-acknowledged',
        producer: 'warehouse-scanner',
      });
      expect(Object.keys(shop.published()).sort()).toEqual(['kafka', 'mqtt', 'nats', 'rabbitmq', 'redis']);
      expect(Math.min(...Object.values(shop.published()))).toBeGreaterThan(0);
    } finally {
      await shop.stop();
      await amqp.close();
      await scanners.close();
    }

    expect(await onRabbit(prefix)).toEqual([]);
    expect(await redis.exists([...shop.names.channels.redis])).toBe(0);
    expect(await natsStreams(prefix.replace(/\./g, '-'))).toEqual([]);
    expect(await retainedUnder(`${prefix.replace(/\./g, '/')}#`)).toEqual([]);
  });

  it('refuses a name that is in use and leaves it and everything else as it was', async () => {
    const prefix = `flowscope-test-demo-${randomBytes(3).toString('hex')}.`;
    await redis.xAdd(`${prefix}shipments`, '*', { payload: '{"mine":true}' });
    try {
      const opening = openShopOnBrokers({ ...brokers(), prefix });
      await expect(opening).rejects.toBeInstanceOf(NameTaken);
      await expect(opening).rejects.toThrow(`Redis key "${prefix}shipments" already exists`);
      expect(await redis.xLen(`${prefix}shipments`)).toBe(1);
      expect(await onRabbit(prefix)).toEqual([]);
      expect(await natsStreams(prefix.replace(/\./g, '-'))).toEqual([]);
    } finally {
      await redis.del(`${prefix}shipments`);
    }
  });

  it('refuses a JetStream stream that exists, and deletes what it had declared on RabbitMQ', async () => {
    const prefix = `flowscope-test-demo-${randomBytes(3).toString('hex')}.`;
    const stream = `${prefix.replace(/\./g, '-')}inventory`;
    const app = await natsApp();
    try {
      await app.stream(stream, [`${prefix}mine.>`]);
      await app.js.publish(`${prefix}mine.one`, '{"mine":true}');
      const opening = openShopOnBrokers({ ...brokers(), prefix });
      await expect(opening).rejects.toThrow(`NATS JetStream stream "${stream}" already exists`);
      expect((await app.jsm.streams.info(stream)).state.messages).toBe(1);
      expect(await onRabbit(prefix)).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('says how to get RabbitMQ, Redis, NATS with JetStream and MQTT, before building or starting anything', async () => {
    const [rabbitPort, redisPort, mqttPort] = [await freePort(), await freePort(), await freePort()];
    // A NATS server that answers, but without JetStream.
    const plainNats = await privateNats(['--user', 'demo', '--pass', 'demo']);
    try {
      const run = spawnSync(process.execPath, [join(root, 'scripts/run.mjs'), 'demo-brokers'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
        env: {
          ...process.env,
          FLOWSCOPE_RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${rabbitPort}`,
          FLOWSCOPE_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
          FLOWSCOPE_NATS_URL: `nats://127.0.0.1:${plainNats.port}`,
          FLOWSCOPE_MQTT_URL: `mqtt://127.0.0.1:${mqttPort}`,
        },
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`RabbitMQ does not answer at 127.0.0.1:${rabbitPort}`);
      expect(run.stderr).toContain(`Redis does not answer at 127.0.0.1:${redisPort}`);
      expect(run.stderr).toContain(`NATS at 127.0.0.1:${plainNats.port} runs without JetStream; start it with -js`);
      expect(run.stderr).toContain(`MQTT (Mosquitto) does not answer at 127.0.0.1:${mqttPort}`);
      expect(run.stderr).toContain('sudo apt-get install -y rabbitmq-server redis-server nats-server mosquitto');
      expect(run.stderr).toContain('README.md, "See it on real brokers"');
      expect(run.stderr).not.toMatch(/Building|Starting Kafka/);
    } finally {
      await plainNats.stop();
    }
  });
});

/** Every warehouse scanner acknowledgement published under the shop's MQTT filters, by a subscriber of the test's own. */
async function watchScannerAcks(filters: readonly string[]) {
  const client = await appClient(`flowscope-test-demo-${randomBytes(4).toString('hex')}`);
  const acks: IPublishPacket[] = [];
  client.on('message', (_topic, _payload, packet) => acks.push(packet));
  await client.subscribeAsync([...filters], { qos: 1 });
  return { acks, close: () => client.endAsync() };
}

/** The reservation of an order in a JetStream stream: its subject, headers and warehouse. */
async function inventoryMessage(stream: string, orderId: string) {
  const app = await natsApp();
  try {
    const { state } = await app.jsm.streams.info(stream);
    for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
      const m = await app.jsm.streams.getMessage(stream, { seq });
      const data = m?.json<{ orderId?: string; warehouse?: string }>();
      if (!m || data?.orderId !== orderId || !m.subject.endsWith('.reserved')) continue;
      const headers: Record<string, string> = {};
      for (const key of m.header.keys()) headers[key] = m.header.get(key);
      return { subject: m.subject, headers, warehouse: data.warehouse ?? '' };
    }
    throw new Error(`no reservation of ${orderId} in ${stream}`);
  } finally {
    await app.close();
  }
}

/** JetStream streams whose name starts with `prefix`. */
async function natsStreams(prefix: string): Promise<string[]> {
  const app = await natsApp();
  try {
    const names: string[] = [];
    for await (const name of app.jsm.streams.names()) if (name.startsWith(prefix)) names.push(name);
    return names;
  } finally {
    await app.close();
  }
}

/** Topics with a retained message under a filter: what a new subscriber is handed within a second. */
async function retainedUnder(filter: string): Promise<string[]> {
  const client = await appClient(`flowscope-test-demo-${randomBytes(4).toString('hex')}`);
  const topics: string[] = [];
  client.on('message', (topic, _payload, packet) => void (packet.retain && topics.push(topic)));
  try {
    await client.subscribeAsync(filter);
    await new Promise((r) => setTimeout(r, 1000));
    return topics;
  } finally {
    await client.endAsync();
  }
}

/** The order's first record on a topic (read from the start), as its order id and correlation header. */
async function firstRecord(brokers: string, topic: string, orderId: string): Promise<Published> {
  const kafka = new Kafka({ clientId: 'flowscope-test', brokers: [brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `flowscope-test-demo-${randomBytes(4).toString('hex')}` });
  let found: Published | undefined;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (found || orderOf(message.value?.toString() ?? '{}') !== orderId) return;
        found = { orderId, correlationId: text(message.headers?.['correlation-id']) };
      },
    });
    return await eventually(async () => found, 30_000);
  } finally {
    await consumer.disconnect();
  }
}
