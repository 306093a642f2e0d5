import { randomBytes } from 'node:crypto';
import type { Flow } from '@flowscope/shared';
import { connect, type ChannelModel } from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { createClient } from 'redis';
import { AMQP_URL, createTopic, REDIS_URL, waitForTapBinding } from '../fixtures/brokers.js';
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
const { kafka: onKafka, rabbitmq: onRabbit, redis: onRedis } = order;

test.describe('one order across Kafka, RabbitMQ and Redis Streams', () => {
  let flowscope: FlowscopeProcess;
  let amqp: ChannelModel | undefined;
  const redis = createClient({ url: REDIS_URL });
  /** When each hop was published, by this clock (the machine's: brokers and Flowscope share it). */
  const sentAt = { kafka: 0, rabbitmq: 0, redis: 0 };

  test.beforeAll(async ({ kafka }) => {
    test.setTimeout(90_000);
    // The applications' side: the topic, the payments exchange with the billing queue bound to it.
    const client = new Kafka({ clientId: 'e2e-checkout', brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
    await createTopic(client, onKafka.topic, 1);
    amqp = await connect(AMQP_URL);
    const channel = await amqp.createConfirmChannel();
    await channel.assertExchange(onRabbit.exchange, 'topic', { durable: false });
    await channel.assertQueue(onRabbit.queue, { durable: false });
    await channel.bindQueue(onRabbit.queue, onRabbit.exchange, onRabbit.bindingKey);
    await redis.connect();

    flowscope = await launchFlowscope([
      ...['--kafka', kafka.brokers, '--topics', onKafka.topic, '--from', 'earliest', '--cluster', 'e2e'],
      ...['--rabbitmq', AMQP_URL, '--exchanges', onRabbit.exchange, '--rabbitmq-name', 'e2e'],
      ...['--redis', REDIS_URL, '--streams', onRedis.stream, '--redis-name', 'e2e'],
    ]);
    await expect
      .poll(async () => (await sourcesOf(flowscope)).map((s) => `${s.id} ${s.state}`).sort(), { timeout: 30_000 })
      .toEqual(['kafka:e2e connected', 'rabbitmq:e2e connected', 'redis:e2e connected']);
    await waitForTapBinding(onRabbit.exchange);

    const producer = client.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    sentAt.kafka = Date.now();
    await producer.send({ topic: onKafka.topic, messages: [onKafka.message] });
    await producer.disconnect();
    await sleep(order.delaysMs.payment);
    sentAt.rabbitmq = Date.now();
    channel.publish(onRabbit.exchange, onRabbit.routingKey, Buffer.from(onRabbit.body), onRabbit.properties);
    await channel.waitForConfirms();
    await sleep(order.delaysMs.notification);
    sentAt.redis = Date.now();
    await redis.xAdd(onRedis.stream, '*', onRedis.fields);
  });

  test.afterAll(async () => {
    await flowscope?.stop();
    // Kafka's topic goes with the worker's throwaway broker; the rest is on the machine's servers.
    if (amqp) {
      const channel = await amqp.createChannel();
      await channel.deleteQueue(onRabbit.queue);
      await channel.deleteExchange(onRabbit.exchange);
      await amqp.close();
    }
    if (redis.isOpen) {
      await redis.del(onRedis.stream);
      await redis.close();
    }
  });

  /** The order's flow once all three hops are in, from the API. */
  async function orderFlow(): Promise<Flow> {
    await expect
      .poll(async () => (await flowsByKey(flowscope, order.orderId)).map((f) => f.eventCount), { timeout: 30_000 })
      .toEqual([3]);
    const [summary] = await flowsByKey(flowscope, order.orderId);
    return getFlow(flowscope, summary?.id ?? '');
  }

  test('the API has one flow of three events from three brokers, each hop linked to its cause', async () => {
    const flow = await orderFlow();
    expect(flow.events.map((e) => [e.source.broker, e.channel, e.type, e.producer])).toEqual([
      ['kafka', onKafka.topic, onKafka.type, onKafka.service],
      ['rabbitmq', onRabbit.exchange, onRabbit.type, onRabbit.service],
      ['redis', onRedis.stream, onRedis.type, onRedis.service],
    ]);
    expect([...flow.channels].sort()).toEqual([onKafka.topic, onRabbit.exchange, onRedis.stream].sort());
    // The keys of every convention belong to the one flow.
    expect(flow.keys).toEqual(
      expect.arrayContaining([
        { name: 'orderId', value: order.orderId },
        { name: 'correlationId', value: order.correlationId },
        { name: 'traceId', value: order.traceId },
        { name: 'paymentId', value: order.paymentId },
      ]),
    );
    const [placed, captured, notified] = flow.events;
    expect(flow.hops.map((h) => [h.from, h.to, h.inferred])).toEqual([
      [placed?.id, captured?.id, false],
      [captured?.id, notified?.id, false],
    ]);
    // Each hop's latency is the time between the publishes, across the brokers' clocks (one machine).
    const [toPayment, toNotification] = flow.hops;
    expect(Math.abs((toPayment?.latencyMs ?? 0) - (sentAt.rabbitmq - sentAt.kafka))).toBeLessThan(250);
    expect(Math.abs((toNotification?.latencyMs ?? 0) - (sentAt.redis - sentAt.rabbitmq))).toBeLessThan(250);
    expect(toPayment?.latencyMs).toBeGreaterThanOrEqual(order.delaysMs.payment - 50);
    expect(toNotification?.latencyMs).toBeGreaterThanOrEqual(order.delaysMs.notification - 50);
    expect(flow.anomalies).toEqual([]);
  });

  test('the trace shows every hop with its latency, on the timeline and in the sequence diagram', async ({
    live,
    traceView: trace,
  }) => {
    const flow = await orderFlow();
    const [placed, captured, notified] = flow.events;
    const [toPayment, toNotification] = flow.hops;
    if (!placed || !captured || !notified || !toPayment || !toNotification) throw new Error('incomplete flow');

    await live.open(flowscope.openUrl);
    await live.page.getByRole('link', { name: 'Trace' }).click();
    await trace.search(order.orderId);
    await expect(trace.results).toHaveCount(1);
    await trace.results.first().click();
    await expect(trace.flow).toHaveAttribute('data-flow-id', flow.id);
    await expect(trace.timelineMarks).toHaveCount(3);
    for (const e of flow.events) await expect(trace.timelineMark(e.type ?? '')).toBeVisible();
    await expect(trace.hopLabels).toHaveCount(2);
    await expect(trace.hopLabel(placed.id, captured.id)).toHaveText(latencyText(toPayment.latencyMs));
    await expect(trace.hopLabel(captured.id, notified.id)).toHaveText(latencyText(toNotification.latencyMs));
    await expect(trace.hopLabel(placed.id, captured.id)).toHaveAttribute('data-inferred', 'false');
    await expect(trace.lanes).toHaveText([onKafka.service, onRabbit.service, onRedis.service]);
    await saveScreenshot(live, 'brokers-trace-timeline');

    // A lane per channel: the topic, the exchange and the stream.
    await trace.showLanes('channel');
    await expect(trace.lanes).toHaveText([onKafka.topic, onRabbit.exchange, onRedis.stream]);
    await expect(trace.hopLabels).toHaveCount(2);
    await saveScreenshot(live, 'brokers-trace-channel-lanes');

    // Each step says which broker it came from.
    for (const [e, origin] of [
      [placed, 'kafka · e2e'],
      [captured, 'rabbitmq · e2e'],
      [notified, 'redis · e2e'],
    ] as const) {
      await trace.timelineMark(e.type ?? '').click();
      await live.openTab('metadata');
      await expect(live.metadata.locator('dt:text-is("Source") + dd')).toHaveText(origin);
    }

    await trace.showSequence();
    await expect(trace.sequenceArrows).toHaveCount(3);
    await expect(trace.sequenceArrow(captured.id)).toContainText(`@ ${onRabbit.exchange}`);
    await expect(trace.sequenceArrow(captured.id)).toContainText(latencyText(toPayment.latencyMs));
    await expect(trace.sequenceArrow(notified.id)).toContainText(`@ ${onRedis.stream}`);
    await expect(trace.sequenceArrow(notified.id)).toContainText(latencyText(toNotification.latencyMs));
    await expect(trace.sequenceArrow(captured.id)).not.toContainText('by time');
    await saveScreenshot(live, 'brokers-trace-sequence');
  });

  test("the map shows the three brokers' channels, each marked with its broker", async ({ live }) => {
    await orderFlow();
    await live.open(flowscope.openUrl);
    for (const [name, origin] of [
      [onKafka.topic, 'kafka · e2e'],
      [onRabbit.exchange, 'rabbitmq · e2e'],
      [onRedis.stream, 'redis · e2e'],
    ] as const) {
      const node = live.mapNode('channel', name);
      await expect(node).toBeVisible({ timeout: 30_000 });
      await expect(node).toContainText(origin);
      await expect(node.getByRole('button', { name: `Channel ${name} on ${origin}:` })).toBeVisible();
    }
    for (const service of [onKafka.service, onRabbit.service, onRedis.service])
      await expect(live.mapNode('service', service)).toBeVisible();
    await expect(live.mapEdge('produces', onKafka.service, onKafka.topic)).toHaveCount(1);
    await expect(live.mapEdge('produces', onRabbit.service, onRabbit.exchange)).toHaveCount(1);
    await expect(live.mapEdge('produces', onRedis.service, onRedis.stream)).toHaveCount(1);
    // Who reacts to which channel, inferred from the causation links across brokers.
    await expect(live.mapEdge('consumes', onKafka.topic, onRabbit.service)).toHaveCount(1);
    await expect(live.mapEdge('consumes', onRabbit.exchange, onRedis.service)).toHaveCount(1);
    await saveScreenshot(live, 'brokers-map');
  });
});
