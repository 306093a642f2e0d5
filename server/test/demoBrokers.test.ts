import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connect, type ConsumeMessage } from 'amqplib';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NameTaken, openShopOnBrokers } from '../src/demoBrokers/index.js';
import { eventually, freePort } from './helpers.js';

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = 'redis://127.0.0.1:6379';
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

  it("publishes one order's events to Kafka, RabbitMQ and Redis, and deletes what it created on stop", async () => {
    const prefix = `flowscope-test-demo-${randomBytes(3).toString('hex')}.`;
    const kafka = inject('kafkaBrokers');
    const shop = await openShopOnBrokers({ kafka, rabbitmq: AMQP_URL, redis: REDIS_URL, prefix, ordersPerSecond: 10 });
    const amqp = await connect(AMQP_URL);
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
      const placed = await firstRecord(kafka, `${prefix}orders`, orderId);
      expect(placed).toMatchObject<Published>({ orderId, correlationId });
      expect(shop.published()).toEqual({
        kafka: expect.any(Number),
        rabbitmq: expect.any(Number),
        redis: expect.any(Number),
      });
      expect(Math.min(...Object.values(shop.published()))).toBeGreaterThan(0);
    } finally {
      await shop.stop();
      await amqp.close();
    }

    expect(await onRabbit(prefix)).toEqual([]);
    expect(await redis.exists([...shop.names.channels.redis])).toBe(0);
  });

  it('refuses a name that is in use and leaves it and everything else as it was', async () => {
    const prefix = `flowscope-test-demo-${randomBytes(3).toString('hex')}.`;
    await redis.xAdd(`${prefix}shipments`, '*', { payload: '{"mine":true}' });
    try {
      const opening = openShopOnBrokers({
        kafka: inject('kafkaBrokers'),
        rabbitmq: AMQP_URL,
        redis: REDIS_URL,
        prefix,
      });
      await expect(opening).rejects.toBeInstanceOf(NameTaken);
      await expect(opening).rejects.toThrow(`Redis key "${prefix}shipments" already exists`);
      expect(await redis.xLen(`${prefix}shipments`)).toBe(1);
      expect(await onRabbit(prefix)).toEqual([]);
    } finally {
      await redis.del(`${prefix}shipments`);
    }
  });

  it('says how to get RabbitMQ and Redis when they do not answer, before building or starting anything', async () => {
    const [rabbitPort, redisPort] = [await freePort(), await freePort()];
    const run = spawnSync(process.execPath, [join(root, 'scripts/run.mjs'), 'demo-brokers'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        ...process.env,
        FLOWSCOPE_RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${rabbitPort}`,
        FLOWSCOPE_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`RabbitMQ does not answer at 127.0.0.1:${rabbitPort}`);
    expect(run.stderr).toContain(`Redis does not answer at 127.0.0.1:${redisPort}`);
    expect(run.stderr).toContain('sudo apt-get install -y rabbitmq-server redis-server');
    expect(run.stderr).toContain('README.md, "See it on real brokers"');
    expect(run.stderr).not.toMatch(/Building|Starting Kafka/);
  });
});

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
