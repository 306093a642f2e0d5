import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect as connectNats, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import type { Flow } from '@flowscope/shared';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import mqtt, { type MqttClient } from 'mqtt';
import { createClient } from 'redis';
import { AMQP_URL, createTopic, MQTT_URL, NATS_URL, REDIS_URL, waitForTapBinding } from '../fixtures/brokers.js';
import { launchFlowscope, type FlowscopeProcess } from '../fixtures/flowscope.js';
import { flowsByKey, getFlow, sourcesOf } from '../fixtures/flows.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';
import { crossBrokerOrder } from '../scenarios/brokers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The trace view's latency text (web/src/lib/format.ts formatLatency) for hops under 10 s. */
const latencyText = (ms: number) =>
  ms < 1000 ? `+${Math.round(ms)} ms` : `+${(ms / 1000).toFixed(2).replace(/\.?0+$/, '')} s`;

const run = randomBytes(3).toString('hex');
const order = crossBrokerOrder(run);
const { kafka: onKafka, rabbitmq: onRabbit, nats: onNats, mqtt: onMqtt, redis: onRedis } = order;

type Broker = 'kafka' | 'rabbitmq' | 'nats' | 'mqtt' | 'redis';
/** The order's steps in causal order: the broker, the channel Flowscope names, the producing service. */
const steps: readonly { broker: Broker; channel: string; service: string; type: string }[] = [
  { broker: 'kafka', channel: onKafka.topic, service: onKafka.service, type: onKafka.type },
  { broker: 'rabbitmq', channel: onRabbit.exchange, service: onRabbit.service, type: onRabbit.type },
  // A JetStream message's channel is its stream (the subject is its key).
  { broker: 'nats', channel: onNats.stream, service: onNats.service, type: onNats.type },
  { broker: 'mqtt', channel: onMqtt.topic, service: onMqtt.service, type: onMqtt.type },
  { broker: 'redis', channel: onRedis.stream, service: onRedis.service, type: onRedis.type },
];
/** The wait before each step after the first. */
const delays = [order.delaysMs.payment, order.delaysMs.inventory, order.delaysMs.ack, order.delaysMs.notification];
const origin = (broker: Broker) => `${broker} · e2e`;

test.describe('one order across Kafka, RabbitMQ, NATS, MQTT and Redis Streams', () => {
  let flowscope: FlowscopeProcess;
  let amqp: ChannelModel | undefined;
  let nats: NatsConnection | undefined;
  let scanner: MqttClient | undefined;
  const redis = createClient({ url: REDIS_URL });
  /** When each hop was published, by this clock (the machine's: brokers and Flowscope share it). */
  const sentAt: Record<Broker, number> = { kafka: 0, rabbitmq: 0, nats: 0, mqtt: 0, redis: 0 };

  test.beforeAll(async ({ kafka }) => {
    test.setTimeout(90_000);
    // The applications' side: the topic, the payments exchange with the billing queue bound to it,
    // the inventory stream (limits retention), the warehouse scanner's MQTT 5 session.
    const client = new Kafka({ clientId: 'e2e-checkout', brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
    await createTopic(client, onKafka.topic, 1);
    amqp = await connect(AMQP_URL);
    const channel = await amqp.createConfirmChannel();
    await channel.assertExchange(onRabbit.exchange, 'topic', { durable: false });
    await channel.assertQueue(onRabbit.queue, { durable: false });
    await channel.bindQueue(onRabbit.queue, onRabbit.exchange, onRabbit.bindingKey);
    nats = await connectNats({ servers: NATS_URL, name: 'e2e-inventory' });
    const jsm = await jetstreamManager(nats);
    await jsm.streams.add({ name: onNats.stream, subjects: [onNats.subject], storage: StorageType.Memory });
    scanner = await mqtt.connectAsync(MQTT_URL, {
      protocolVersion: 5,
      clientId: `e2e-scanner-${run}`,
      reconnectPeriod: 0,
    });
    await redis.connect();

    flowscope = await launchFlowscope([
      ...['--kafka', kafka.brokers, '--topics', onKafka.topic, '--from', 'earliest', '--cluster', 'e2e'],
      ...['--rabbitmq', AMQP_URL, '--exchanges', onRabbit.exchange, '--rabbitmq-name', 'e2e'],
      ...['--nats', NATS_URL, '--nats-streams', onNats.stream, '--nats-from', 'earliest', '--nats-name', 'e2e'],
      ...['--mqtt', MQTT_URL, '--mqtt-topics', onMqtt.filter, '--mqtt-name', 'e2e'],
      ...['--redis', REDIS_URL, '--streams', onRedis.stream, '--redis-name', 'e2e'],
    ]);
    // MQTT keeps nothing for a late subscriber: `connected` says its subscription is in place.
    await expect
      .poll(async () => (await sourcesOf(flowscope)).map((s) => `${s.id} ${s.state}`).sort(), { timeout: 30_000 })
      .toEqual(['kafka:e2e', 'mqtt:e2e', 'nats:e2e', 'rabbitmq:e2e', 'redis:e2e'].map((id) => `${id} connected`));
    await waitForTapBinding(onRabbit.exchange);
    await publishOrder(client, channel, nats, scanner);
  });

  /** The five applications publish the order's steps, `delays` apart. */
  async function publishOrder(client: Kafka, channel: ConfirmChannel, nc: NatsConnection, device: MqttClient) {
    const producer = client.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    sentAt.kafka = Date.now();
    await producer.send({ topic: onKafka.topic, messages: [onKafka.message] });
    await producer.disconnect();
    await sleep(order.delaysMs.payment);
    sentAt.rabbitmq = Date.now();
    channel.publish(onRabbit.exchange, onRabbit.routingKey, Buffer.from(onRabbit.body), onRabbit.properties);
    await channel.waitForConfirms();
    await sleep(order.delaysMs.inventory);
    const h = natsHeaders();
    for (const [name, value] of Object.entries(onNats.headers)) h.set(name, value);
    sentAt.nats = Date.now();
    await jetstream(nc).publish(onNats.subject, onNats.body, { headers: h });
    await sleep(order.delaysMs.ack);
    sentAt.mqtt = Date.now();
    const { userProperties, ...properties } = onMqtt.properties;
    await device.publishAsync(onMqtt.topic, onMqtt.payload, {
      qos: 1,
      properties: { ...properties, userProperties: { ...userProperties } },
    });
    await sleep(order.delaysMs.notification);
    sentAt.redis = Date.now();
    await redis.xAdd(onRedis.stream, '*', onRedis.fields);
  }

  test.afterAll(async () => {
    await flowscope?.stop();
    // Kafka's topic goes with the worker's throwaway broker; the rest is on the machine's servers.
    // The scanner published nothing retained, so Mosquitto keeps nothing of this run.
    if (amqp) {
      const channel = await amqp.createChannel();
      await channel.deleteQueue(onRabbit.queue);
      await channel.deleteExchange(onRabbit.exchange);
      await amqp.close();
    }
    if (nats) {
      await (await jetstreamManager(nats)).streams.delete(onNats.stream).catch(() => undefined);
      await nats.close();
    }
    await scanner?.endAsync();
    if (redis.isOpen) {
      await redis.del(onRedis.stream);
      await redis.close();
    }
  });

  /** The order's flow once all five hops are in, from the API. */
  async function orderFlow(): Promise<Flow> {
    await expect
      .poll(async () => (await flowsByKey(flowscope, order.orderId)).map((f) => f.eventCount), { timeout: 30_000 })
      .toEqual([steps.length]);
    const [summary] = await flowsByKey(flowscope, order.orderId);
    return getFlow(flowscope, summary?.id ?? '');
  }

  test('the API has one flow of five events from five brokers, each hop linked to its cause', async () => {
    const flow = await orderFlow();
    expect(flow.events.map((e) => [e.source.broker, e.channel, e.type, e.producer])).toEqual(
      steps.map((s) => [s.broker, s.channel, s.type, s.service]),
    );
    expect([...flow.channels].sort()).toEqual(steps.map((s) => s.channel).sort());
    // The keys of every convention belong to the one flow.
    expect(flow.keys).toEqual(
      expect.arrayContaining([
        { name: 'orderId', value: order.orderId },
        { name: 'correlationId', value: order.correlationId },
        { name: 'traceId', value: order.traceId },
        { name: 'paymentId', value: order.paymentId },
      ]),
    );
    // NATS and MQTT name their messages by their own conventions, and later hops name them as causes.
    expect(flow.events[2]?.correlation.messageId).toBe(order.ids.inventory);
    expect(flow.events[3]?.correlation).toMatchObject({ messageId: order.ids.ack, causationId: order.ids.inventory });
    expect(flow.hops.map((h) => [h.from, h.to, h.inferred])).toEqual(
      flow.events.slice(1).map((e, i) => [flow.events[i]?.id, e.id, false]),
    );
    // Each hop's latency is the time between the publishes, across the brokers' clocks (one machine).
    flow.hops.forEach((hop, i) => {
      const [from, to] = [steps[i]?.broker ?? 'kafka', steps[i + 1]?.broker ?? 'kafka'];
      expect(Math.abs(hop.latencyMs - (sentAt[to] - sentAt[from])), `${from} → ${to}`).toBeLessThan(250);
      expect(hop.latencyMs, `${from} → ${to}`).toBeGreaterThanOrEqual((delays[i] ?? 0) - 50);
    });
    expect(flow.anomalies).toEqual([]);
  });

  test('the trace shows every hop with its latency, on the timeline and in the sequence diagram', async ({
    live,
    traceView: trace,
  }) => {
    const flow = await orderFlow();
    expect(flow.hops).toHaveLength(steps.length - 1);

    await live.open(flowscope.openUrl);
    await live.page.getByRole('link', { name: 'Trace' }).click();
    await trace.search(order.orderId);
    await expect(trace.results).toHaveCount(1);
    await trace.results.first().click();
    await expect(trace.flow).toHaveAttribute('data-flow-id', flow.id);
    await expect(trace.timelineMarks).toHaveCount(steps.length);
    for (const e of flow.events) await expect(trace.timelineMark(e.type ?? '')).toBeVisible();
    await expect(trace.hopLabels).toHaveCount(steps.length - 1);
    for (const hop of flow.hops) {
      await expect(trace.hopLabel(hop.from, hop.to)).toHaveText(latencyText(hop.latencyMs));
      await expect(trace.hopLabel(hop.from, hop.to)).toHaveAttribute('data-inferred', 'false');
    }
    await expect(trace.lanes).toHaveText(steps.map((s) => s.service));
    await saveScreenshot(live, 'brokers-trace-timeline');

    // A lane per channel: the topic, the exchange, the JetStream stream, the MQTT topic, the Redis stream.
    await trace.showLanes('channel');
    await expect(trace.lanes).toHaveText(steps.map((s) => s.channel));
    await expect(trace.hopLabels).toHaveCount(steps.length - 1);
    await saveScreenshot(live, 'brokers-trace-channel-lanes');

    // Each step says which broker it came from.
    for (const [i, e] of flow.events.entries()) {
      await trace.timelineMark(e.type ?? '').click();
      await live.openTab('metadata');
      await expect(live.metadata.locator('dt:text-is("Source") + dd')).toHaveText(origin(steps[i]?.broker ?? 'kafka'));
    }

    // Five services' lanes need the width the inspector takes.
    await live.page.getByRole('button', { name: 'Close inspector (Esc)' }).click();
    await expect(live.inspector).toBeHidden();
    await trace.showSequence();
    await expect(trace.sequenceArrows).toHaveCount(steps.length);
    for (const [i, hop] of flow.hops.entries()) {
      const arrow = trace.sequenceArrow(hop.to);
      await expect(arrow).toContainText(`@ ${steps[i + 1]?.channel}`);
      await expect(arrow).toContainText(latencyText(hop.latencyMs));
      await expect(arrow).not.toContainText('by time');
      await expect(arrow).toBeInViewport();
    }
    await saveScreenshot(live, 'brokers-trace-sequence');
  });

  test("the map shows the five brokers' channels, each marked with its broker", async ({ live }) => {
    await orderFlow();
    await live.open(flowscope.openUrl);
    for (const { channel, broker } of steps) {
      const node = live.mapNode('channel', channel);
      await expect(node).toBeVisible({ timeout: 30_000 });
      await expect(node).toContainText(origin(broker));
      await expect(node.getByRole('button', { name: `Channel ${channel} on ${origin(broker)}:` })).toBeVisible();
    }
    for (const { service, channel } of steps) {
      await expect(live.mapNode('service', service)).toBeVisible();
      await expect(live.mapEdge('produces', service, channel)).toHaveCount(1);
    }
    // Who reacts to which channel, inferred from the causation links across brokers.
    for (const [i, next] of steps.slice(1).entries())
      await expect(live.mapEdge('consumes', steps[i]?.channel ?? '', next.service)).toHaveCount(1);
    await saveScreenshot(live, 'brokers-map');
  });
});
