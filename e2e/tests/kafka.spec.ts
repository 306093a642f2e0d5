import { createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { createTopic } from '../fixtures/brokers.js';
import { launchFlowscope, type FlowscopeProcess } from '../fixtures/flowscope.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';
import {
  badInputMessages,
  badInputTopic,
  crossConventionOrder,
  laggingGroup,
  shopMessages,
  shopTopics,
  type ScenarioMessage,
} from '../scenarios/kafka.js';

async function produce(brokers: string, topic: string, messages: readonly ScenarioMessage[]) {
  const kafka = new Kafka({ clientId: 'e2e-producer', brokers: [brokers], logLevel: logLevel.NOTHING });
  await createTopic(kafka, topic, 1);
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({
    topic,
    messages: messages.map(({ key, value, headers }) => ({ key, value, ...(headers ? { headers } : {}) })),
  });
  await producer.disconnect();
}

/** Writes `count` records to each partition (`{ partition: count }`), headed as from `producer`. */
async function produceToPartitions(
  brokers: string,
  topic: string,
  counts: Readonly<Record<number, number>>,
  producer: string,
  label: string,
) {
  const kafka = new Kafka({ clientId: 'e2e-producer', brokers: [brokers], logLevel: logLevel.NOTHING });
  // Idempotent: a send retried on a busy machine cannot write a batch twice.
  const client = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await client.connect();
  await client.send({
    topic,
    acks: -1,
    messages: Object.entries(counts).flatMap(([partition, count]) =>
      Array.from({ length: count }, (_, i) => ({
        partition: Number(partition),
        key: `${label}-${partition}-${i}`,
        value: JSON.stringify({ entry: `${label}-${partition}-${i}` }),
        headers: { ce_source: producer, ce_type: 'ledger.entry' },
      })),
    ),
  });
  await client.disconnect();
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

test('a consumer group that falls behind shows its lag on the map and in its panel', async ({ live, kafka }) => {
  const { topic, groupId, clientId, service, producer, committed, behind } = laggingGroup;
  const client = new Kafka({ clientId, brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
  await createTopic(client, topic, 2);
  await produceToPartitions(kafka.brokers, topic, committed, producer, 'committed');

  // The application reads everything there is and commits it by hand; it never commits again.
  const consumer = client.consumer({ groupId });
  const next = new Map<number, bigint>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      const after = BigInt(message.offset) + 1n;
      if (after > (next.get(partition) ?? 0n)) next.set(partition, after);
    },
  });
  const flowscope = await launchFlowscope([
    '--kafka',
    kafka.brokers,
    '--topics',
    topic,
    '--from',
    'earliest',
    '--cluster',
    'e2e',
    '--group-refresh',
    '500ms',
    '--group-service',
    `${groupId}=${service}`,
  ]);
  const admin = client.admin();
  await admin.connect();
  /** The broker's end offset per partition: what "everything there is" means. */
  const ends = async () =>
    new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)] as const));
  try {
    const total = (counts: Readonly<Record<number, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);
    const endsAtCommit = await ends();
    expect(total(Object.fromEntries(endsAtCommit))).toBe(total(committed));
    await expect
      .poll(() => [...endsAtCommit].every(([p, high]) => Number(next.get(p) ?? 0n) === high), { timeout: 30_000 })
      .toBe(true);
    await consumer.commitOffsets(
      [...next].map(([partition, offset]) => ({ topic, partition, offset: offset.toString() })),
    );

    await live.open(flowscope.openUrl);
    const edge = live.mapEdge('consumes', topic, service);
    // Caught up first: the group's readings arrive every half second.
    await expect(live.edgeLabel(edge)).toHaveText(/^lag 0 · /, { timeout: 30_000 });

    await produceToPartitions(kafka.brokers, topic, behind, producer, 'behind');
    expect(total(Object.fromEntries(await ends()))).toBe(total(committed) + total(behind));
    await expect(live.edgeLabel(edge)).toHaveText(new RegExp(`^lag ${total(behind)} · `), { timeout: 30_000 });
    await expect(live.edgeTooltip(edge)).toContainText(`consumer group ${groupId}`);
    await expect(live.edgeTooltip(edge)).toContainText('evidence: consumer group');

    await live.mapNode('service', service).click();
    const group = live.consumer(groupId);
    await expect(group).toBeVisible();
    await expect(group).toContainText('e2e');
    await expect(group).toContainText('Kafka consumer group');
    await expect(live.consumerPart(group, 'consumerLag')).toHaveText(`${total(behind)} records`);
    await expect(live.consumerPart(group, 'consumerMembers')).toContainText(clientId);
    await expect(live.consumerPart(group, 'consumerMembers')).toContainText(`${topic} partitions 0, 1`);
    for (const [partition, lag] of Object.entries(behind)) {
      const p = Number(partition);
      const done = committed[p as keyof typeof committed];
      const row = live.partitionRow(group, topic, p);
      await expect(row.locator('th, td')).toHaveText([partition, String(done), String(done + lag), String(lag)]);
    }
    // The history went from caught up to behind.
    await expect(live.page.getByRole('img', { name: /^Lag history/ })).toHaveAttribute(
      'aria-label',
      new RegExp(`now ${total(behind)} records, min 0, max ${total(behind)}$`),
    );
    await saveScreenshot(live, 'kafka-consumer-group-panel');

    // Esc closes the panel; the service stays selected.
    await live.page.keyboard.press('Escape');
    await expect(live.consumerPanel).toBeHidden();
    await expect(live.mapNode('service', service).getByRole('button')).toHaveAttribute('aria-pressed', 'true');

    // Hiding consumer-group evidence hides the edge, and the service known only from its group.
    const toggle = live.evidenceToggle('consumer-group');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(edge).toHaveCount(0);
    await expect(live.mapNode('service', service)).toHaveCount(0);
    await expect(live.mapEdge('produces', producer, topic)).toHaveCount(1);
    expect(new URL(live.page.url()).searchParams.get('hide')).toBe('consumer-group');
    await expect(live.hiddenEdges).toHaveText('1 edge hidden');
    await saveScreenshot(live, 'kafka-consumer-group-evidence-hidden');

    // The link reproduces the view; the toggle works from the keyboard too.
    await live.page.reload();
    await expect(live.mapNode('channel', topic)).toBeVisible();
    await expect(live.evidenceToggle('consumer-group')).toHaveAttribute('aria-pressed', 'false');
    await expect(edge).toHaveCount(0);
    await live.evidenceToggle('consumer-group').focus();
    await live.page.keyboard.press('Enter');
    await expect(live.edgeLabel(edge)).toHaveText(new RegExp(`^lag ${total(behind)} · `));
    expect(new URL(live.page.url()).searchParams.get('hide')).toBeNull();
  } finally {
    await admin.disconnect();
    await consumer.disconnect();
    await flowscope.stop();
  }
});
