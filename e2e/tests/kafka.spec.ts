import { createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { launchFlowscope, type FlowscopeProcess } from '../fixtures/flowscope.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';
import {
  badInputMessages,
  badInputTopic,
  crossConventionOrder,
  shopMessages,
  shopTopics,
  type ScenarioMessage,
} from '../scenarios/kafka.js';

async function produce(brokers: string, topic: string, messages: readonly ScenarioMessage[]) {
  const kafka = new Kafka({ clientId: 'e2e-producer', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({
    topic,
    messages: messages.map(({ key, value, headers }) => ({ key, value, ...(headers ? { headers } : {}) })),
  });
  await producer.disconnect();
}

test.describe('real Kafka in the browser', () => {
  let flowscope: FlowscopeProcess;
  test.beforeAll(async ({ kafka }) => {
    flowscope = await launchFlowscope([
      '--kafka',
      kafka.brokers,
      '--topics',
      '/e2e-.*/',
      '--from',
      'earliest',
      '--cluster',
      'e2e',
    ]);
  });
  test.afterAll(async () => {
    await flowscope.stop();
  });

  test('events a producer writes show up on the map and in the stream', async ({ live, kafka }) => {
    await live.open(flowscope.openUrl);
    await expect(live.source('kafka:e2e')).toHaveAttribute('data-state', 'connected');
    await produce(kafka.brokers, shopTopics.orders, shopMessages.orders);
    await produce(kafka.brokers, shopTopics.payments, shopMessages.payments);

    await expect(live.mapNode('channel', shopTopics.orders)).toBeVisible({ timeout: 30_000 });
    await expect(live.mapNode('channel', shopTopics.payments)).toBeVisible();
    await expect(live.mapNode('service', 'checkout-api')).toBeVisible();
    await expect(live.mapNode('service', 'billing-worker')).toBeVisible();
    await expect(live.row('order.placed')).toBeVisible();
    await expect(live.row('payment.captured')).toBeVisible();
    await saveScreenshot(live, 'kafka-map');
  });

  test('one order across three topics and three correlation conventions is traced as one flow', async ({
    live,
    traceView,
    kafka,
  }) => {
    const { orderId, topics, messages } = crossConventionOrder;
    await produce(kafka.brokers, topics.checkout, messages.checkout);
    await produce(kafka.brokers, topics.billing, messages.billing);
    await produce(kafka.brokers, topics.shipping, messages.shipping);
    await live.open(flowscope.openUrl);
    await live.page.getByRole('link', { name: 'Trace' }).click();
    // Searched before the events are ingested, the page keeps watching and shows the flow when it arrives.
    await traceView.search(orderId);
    await expect(traceView.results).toHaveCount(1, { timeout: 30_000 });
    await traceView.results.first().click();
    await expect(traceView.timelineMarks).toHaveCount(5);
    for (const type of [
      'order.placed',
      'order.validated',
      'payment.requested',
      'payment.captured',
      'shipment.created',
    ]) {
      await expect(traceView.timelineMark(type)).toBeVisible();
    }
    // The keys of all three conventions belong to the one flow.
    const header = traceView.page.getByTestId('trace-flow-header');
    for (const key of ['corr-7001', crossConventionOrder.orderId, '7001aaaa7001bbbb7001cccc7001dddd'])
      await expect(header).toContainText(key);
    await saveScreenshot(live, 'kafka-cross-convention-trace');
  });

  test('bad input is shown as what it is, and the page keeps working', async ({ live, kafka }) => {
    await live.open(flowscope.openUrl);
    await produce(kafka.brokers, badInputTopic, badInputMessages);
    await live.filterStream(badInputTopic);
    await expect.poll(() => live.rows.count(), { timeout: 30_000 }).toBe(badInputMessages.length);

    const open = async (key: string) => {
      await live.row(key).click();
      await live.openTab('payload');
    };
    await open('bin-1');
    await expect(live.inspectorPart('hexDump')).toContainText('00 01 ff fe 42 43');
    await open('utf8-1');
    await expect(live.inspectorPart('hexDump')).toContainText('68 69 c3 28');
    await open('empty-1');
    await expect(live.inspectorPart('emptyPayload')).toBeVisible();
    await open('json-1');
    await expect(live.inspectorPart('payloadNote')).toContainText('does not parse');
    await expect(live.inspectorPart('textPayload')).toContainText('"orderId": "K-9"');
    await open('html-1');
    await expect(live.payload).toContainText('<img src=x onerror=');
    expect(await live.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect(live.payload.locator('img')).toHaveCount(0);
    await open('huge-1');
    await expect(live.inspectorPart('truncated')).toBeVisible();
    await saveScreenshot(live, 'inspector-truncated');

    await live.row('a message without a key').click();
    await live.openTab('metadata');
    await expect(live.metadata).toContainText(/no key/i);
  });
});

test('an unreachable broker shows as disconnected with the reason, and the rest keeps working', async ({ live }) => {
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 1));
    });
  });
  const flowscope = await launchFlowscope(['--kafka', `127.0.0.1:${port}`, '--topics', 'orders', '--demo']);
  try {
    await live.open(flowscope.openUrl);
    const pill = live.source('kafka:local');
    await expect(pill).toHaveAttribute('data-state', 'disconnected', { timeout: 30_000 });
    await expect(pill).toContainText(/disconnected/i);
    await pill.click();
    await expect(live.page.getByText(`Cannot reach Kafka at 127.0.0.1:${port}`).first()).toBeVisible();
    // The demo beside it still streams.
    await expect.poll(() => live.rows.count()).toBeGreaterThan(3);
    await saveScreenshot(live, 'kafka-unreachable');
  } finally {
    await flowscope.stop();
  }
});
