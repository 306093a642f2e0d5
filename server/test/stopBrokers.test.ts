import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectAmqp } from 'amqplib';
import { createClient } from 'redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually, TOKEN } from './helpers.js';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createQueue, deleteQueues, fauxqs, KEYS, snsOf, sqsOf, tapQueues } from './awsBroker.js';
import { appClient, MQTT_URL, sessionPresent } from './mqttBroker.js';
import { connectionNames, consumerNames, natsApp } from './natsBroker.js';
import { AMQP_URL, flowscopeOnBroker, unique } from './rabbitmqBroker.js';
import { killLeftovers, received, start, storedEvents } from './startCommand.js';

const run = randomBytes(3).toString('hex');
const TAP_PREFIX = 'flowscope-tap-';
const REDIS_URL = 'redis://127.0.0.1:6379';
const scratch = mkdtempSync(join(tmpdir(), 'flowscope-stop-brokers-'));

afterEach(killLeftovers);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('Ctrl-C on the start command, tapping Redis Streams and RabbitMQ', () => {
  it('stops cleanly and leaves no connection, queue or binding of Flowscope on either broker', async () => {
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    const amqp = await connectAmqp(AMQP_URL);
    const ch = await amqp.createChannel();
    const stream = `flowscope-stop-${run}:orders`;
    const exchange = unique('stop');
    const appQueue = unique('stop-app');
    await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
    await ch.assertQueue(appQueue, { durable: false });
    await ch.bindQueue(appQueue, exchange, 'order.*');
    // Taps of other Flowscope processes on the machine's Redis (a developer's, a bench) are not ours.
    const others = new Set((await redis.clientList()).map((c) => c.name));
    const tapClients = async () =>
      (await redis.clientList()).filter((c) => c.name.startsWith(TAP_PREFIX) && !others.has(c.name)).map((c) => c.name);
    try {
      await redis.xAdd(stream, '*', { payload: JSON.stringify({ orderId: `R-${run}` }) });
      const dataDir = join(scratch, 'brokers');
      const app = start('node', [
        ...['--redis', REDIS_URL, '--streams', `flowscope-stop-${run}:*`, '--redis-from', 'earliest'],
        ...['--rabbitmq', AMQP_URL, '--exchanges', exchange, '--rabbitmq-name', `stop-${run}`],
        ...['--data-dir', dataDir, '--port', '0', '--token', TOKEN],
      ]);
      const url = await app.url;
      // Both taps are on their brokers before the Ctrl-C, or "nothing left" would prove nothing.
      await eventually(async () => ((await tapClients()).length > 0 ? true : undefined), 30_000, 'the Redis tap');
      await eventually(
        async () => ((await flowscopeOnBroker()).some((x) => x.startsWith('binding')) ? true : undefined),
        30_000,
        'the RabbitMQ tap bound to the exchange',
      );
      ch.publish(exchange, 'order.placed', Buffer.from(JSON.stringify({ orderId: `R-${run}` })));
      await eventually(async () => ((await received(url)) >= 2 ? true : undefined), 30_000, 'both events');
      app.ctrlC();
      const exit = await app.exited;
      expect(exit, app.output()).toMatchObject({ code: 0, signal: null, groupAlive: false });
      expect(storedEvents(dataDir)).toEqual({ rows: 2, ids: 2 });
      expect(await tapClients()).toEqual([]);
      // The management API samples connections every few seconds: give it that long to agree.
      await eventually(
        async () => ((await flowscopeOnBroker()).length === 0 ? true : undefined),
        15_000,
        'a bare broker',
      );
      // The application's queue got its message, untouched by the tap and its stop.
      expect((await ch.checkQueue(appQueue)).messageCount).toBe(1);
    } finally {
      await ch.deleteQueue(appQueue).catch(() => undefined);
      await ch.deleteExchange(exchange).catch(() => undefined);
      await amqp.close();
      await redis.del(stream);
      redis.destroy();
    }
  }, 240_000);
});

describe('Ctrl-C on the start command, tapping NATS (JetStream and core) and MQTT', () => {
  it('stops cleanly: every event stored, no connection, consumer or session of Flowscope left', async () => {
    const nats = await natsApp();
    const stream = `FLOWSCOPE_STOP_${run}`;
    const subject = `flowscope.stop.${run}`;
    const topic = `flowscope-it/stop-${run}/orders`;
    const mqtt = await appClient(`flowscope-test-stop-${run}`);
    const others = new Set(await connectionNames(nats.nc));
    const tapConnections = async () =>
      (await connectionNames(nats.nc)).filter((n) => n.startsWith(TAP_PREFIX) && !others.has(n));
    const tapConsumers = async () => (await consumerNames(nats.jsm, stream)).filter((n) => n.startsWith(TAP_PREFIX));
    try {
      await nats.stream(stream, [`${subject}.>`]);
      await nats.js.publish(`${subject}.placed`, JSON.stringify({ orderId: `N-${run}` }));
      const dataDir = join(scratch, 'nats-mqtt');
      const app = start('node', [
        ...['--nats', 'nats://127.0.0.1:4222', '--nats-streams', stream, '--nats-from', 'earliest'],
        ...['--subjects', `${subject}.core`, '--mqtt', MQTT_URL, '--mqtt-topics', `flowscope-it/stop-${run}/#`],
        ...['--data-dir', dataDir, '--port', '0', '--token', TOKEN],
      ]);
      const url = await app.url;
      // Both taps are on their brokers before the Ctrl-C, or "nothing left" would prove nothing.
      await eventually(async () => ((await tapConsumers()).length > 0 ? true : undefined), 30_000, 'the stream tap');
      await eventually(async () => ((await received(url)) >= 1 ? true : undefined), 30_000, 'the stream message');
      nats.nc.publish(`${subject}.core`, JSON.stringify({ orderId: `N-${run}` }));
      // MQTT subscribes after connecting: publish until the tap has one (QoS 1, retained off).
      await eventually(
        async () => {
          await mqtt.publishAsync(topic, JSON.stringify({ orderId: `M-${run}` }), { qos: 1 });
          return (await received(url)) >= 3 ? true : undefined;
        },
        30_000,
        'the core and MQTT messages',
      );
      const accepted = await received(url);
      const events = (await (
        await fetch(`${url}/api/events?limit=500`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).json()) as {
        events: { id: string; source: { broker: string } }[];
      };
      // The MQTT tap's client id is in its events' ids (`mqtt/<name>/<topic>/<client id>-<n>`).
      const mqttTap = /\/(flowscope-tap-[0-9a-f]+)-\d+$/.exec(
        events.events.find((e) => e.source.broker === 'mqtt')?.id ?? '',
      )?.[1];
      expect(mqttTap).toBeDefined();
      expect(await tapConnections()).not.toEqual([]);
      app.ctrlC();
      const exit = await app.exited;
      expect(exit, app.output()).toMatchObject({ code: 0, signal: null, groupAlive: false });
      expect(storedEvents(dataDir)).toEqual({ rows: accepted, ids: accepted });
      await eventually(
        async () => ((await tapConnections()).length === 0 ? true : undefined),
        15_000,
        'no tap connection',
      );
      expect(await tapConsumers()).toEqual([]);
      expect(await sessionPresent(mqttTap ?? '')).toBe(false);
    } finally {
      await mqtt.endAsync();
      await nats.close();
    }
  }, 240_000);
});

describe('Ctrl-C on the start command, tapping AWS SNS through its own queue (fauxqs)', () => {
  it("stops cleanly: every event stored, its queue and subscription gone, the application's queue as it was", async () => {
    const sqs = sqsOf(fauxqs());
    const sns = snsOf(fauxqs());
    const { TopicArn = '' } = await sns.send(new CreateTopicCommand({ Name: `stop-orders-${run}` }));
    const billing = await createQueue(sqs, `stop-billing-${run}`);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: billing.arn }));
    const endpoints = async () =>
      ((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions ?? []).map((x) =>
        x.Endpoint?.split(':').pop(),
      );
    // Taps of other Flowscope processes on the emulator are not ours.
    const others = new Set(await tapQueues(sqs));
    const ours = async () => (await tapQueues(sqs)).filter((q) => !others.has(q));
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    // The standard AWS chain of the started process finds the emulator's keys here.
    process.env.AWS_ACCESS_KEY_ID = KEYS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = KEYS.secretAccessKey;
    try {
      const dataDir = join(scratch, 'aws');
      const app = start('node', [
        ...['--aws-region', 'us-east-1', '--aws-endpoint', fauxqs()],
        ...['--aws-topics', `stop-orders-${run}`, '--aws-queues', `stop-*-${run}`],
        ...['--data-dir', dataDir, '--port', '0', '--token', TOKEN],
      ]);
      const url = await app.url;
      // The tap's queue is subscribed before the Ctrl-C, or "nothing left" would prove nothing.
      await eventually(
        async () => {
          const q = await ours();
          return q.length > 0 && (await endpoints()).includes(q[0]) ? q : undefined;
        },
        30_000,
        "the tap's queue subscribed to the topic",
      );
      await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ orderId: `A-${run}` }) }));
      await eventually(async () => ((await received(url)) >= 1 ? true : undefined), 30_000, 'the published event');
      const accepted = await received(url);
      app.ctrlC();
      const exit = await app.exited;
      expect(exit, app.output()).toMatchObject({ code: 0, signal: null, groupAlive: false });
      expect(storedEvents(dataDir)).toEqual({ rows: accepted, ids: accepted });
      expect(await ours()).toEqual([]);
      expect(await endpoints()).toEqual([`stop-billing-${run}`]);
      // The application's queue got its copy, untaken by the tap.
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: billing.url, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      expect(Attributes?.ApproximateNumberOfMessages).toBe('1');
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      await deleteQueues(sqs, [billing.url]);
      await sns.send(new DeleteTopicCommand({ TopicArn })).catch(() => undefined);
      sqs.destroy();
      sns.destroy();
    }
  }, 240_000);
});
