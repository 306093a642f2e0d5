import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ConsumerReading } from '../src/sources/plugin.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsSource, createQueue, deleteQueues, fauxqs, snsOf, sqsOf, tapQueues, unique } from './awsBroker.js';
import { eventually, recordingSink } from './helpers.js';

let sqs: SQSClient;
let sns: SNSClient;
const queues: string[] = [];
const topics: string[] = [];

beforeAll(() => {
  sqs = sqsOf(fauxqs());
  sns = snsOf(fauxqs());
});
afterAll(async () => {
  await deleteQueues(sqs, queues);
  for (const TopicArn of topics) await sns.send(new DeleteTopicCommand({ TopicArn })).catch(() => undefined);
  sqs.destroy();
  sns.destroy();
});

/** A topic with an application's queue subscribed to it (raw delivery off, as SNS defaults). */
async function topicWithSubscriber(id: string) {
  const { TopicArn = '' } = await sns.send(new CreateTopicCommand({ Name: `orders-${id}` }));
  topics.push(TopicArn);
  const billing = await createQueue(sqs, `billing-${id}`);
  queues.push(billing.url);
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: billing.arn }));
  return { TopicArn, billing };
}

const subscriptionsOf = async (TopicArn: string) =>
  (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions ?? [];

describe('AWS SNS on fauxqs: a tap through its own subscribed queue', () => {
  it('sees the fan-out with its envelope, draws subscriptions as consumers, and leaves nothing after stop', async () => {
    const id = unique();
    const { TopicArn, billing } = await topicWithSubscriber(id);
    const source = awsSource(fauxqs(), { topics: [`orders-${id}`], queues: [`*-${id}`] });
    const rec = recordingSink();
    await source.start(rec.sink);
    try {
      await eventually(() => (rec.states.includes('connected') ? true : undefined), 20_000, 'connected');
      const [tapName] = await tapQueues(sqs);
      expect(tapName).toBe(source.tapName);
      const { QueueUrl: tapUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: source.tapName }));
      const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl: tapUrl }));
      expect(Tags?.['flowscope-tap']).toBe(source.tapName);
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: tapUrl, AttributeNames: ['Policy'] }),
      );
      const policy = JSON.parse(String(Attributes?.Policy)) as { Statement: { Condition: unknown }[] };
      expect(policy.Statement[0]?.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': [TopicArn] } });
      const tapSub = (await subscriptionsOf(TopicArn)).find((s) => s.Endpoint?.endsWith(source.tapName));
      const subAttrs = await sns.send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn: tapSub?.SubscriptionArn }),
      );
      expect(subAttrs.Attributes?.RawMessageDelivery ?? 'false').toBe('false');

      const published = await sns.send(
        new PublishCommand({
          TopicArn,
          Message: '{"orderId":"A-7"}',
          MessageAttributes: {
            'correlation-id': { DataType: 'String', StringValue: 'corr-7' },
            'ce-type': { DataType: 'String', StringValue: 'order.placed' },
          },
        }),
      );
      const record = await eventually(
        () => rec.records.find((r) => r.messageId === published.MessageId),
        20_000,
        'the copy',
      );
      expect(record).toMatchObject({
        channel: `sns:orders-${id}`,
        value: '{"orderId":"A-7"}',
        headers: { 'correlation-id': 'corr-7', 'ce-type': 'order.placed', 'sns-topic-arn': TopicArn },
      });
      // The application's copy carries the same MessageId: the join key of the fan-out.
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: billing.url, WaitTimeSeconds: 2 }),
      );
      expect(JSON.parse(String(Messages[0]?.Body)).MessageId).toBe(published.MessageId);

      const reading = (await source.consumerReader(1000).read(Date.now())) as ConsumerReading;
      expect(reading.consumers).toContainEqual(
        expect.objectContaining({
          kind: 'subscription',
          service: `billing-${id}`,
          channels: [expect.objectContaining({ channel: `sns:orders-${id}` })],
        }),
      );
      expect(reading.consumers.some((c) => c.id.includes('flowscope-tap-'))).toBe(false);
      expect(reading.links).toContainEqual(
        expect.objectContaining({ from: `sns:orders-${id}`, to: `billing-${id}`, kind: 'binding' }),
      );
    } finally {
      await source.stop();
    }
    expect(source.touchedQueues().every((u) => u.endsWith(source.tapName))).toBe(true);
    expect(await tapQueues(sqs)).toEqual([]);
    expect((await subscriptionsOf(TopicArn)).map((s) => s.Endpoint)).toEqual([billing.arn]);
    expect(source.leftovers()).toEqual([]);
  });

  it('taps anew when its queue was deleted under it, and does not tap FIFO topics', async () => {
    const id = unique();
    const { TopicArn } = await topicWithSubscriber(id);
    const { TopicArn: fifoArn = '' } = await sns.send(
      new CreateTopicCommand({ Name: `orders-${id}-x.fifo`, Attributes: { FifoTopic: 'true' } }),
    );
    topics.push(fifoArn);
    const source = awsSource(fauxqs(), { topics: [`orders-${id}*`] });
    const rec = recordingSink();
    await source.start(rec.sink);
    try {
      const first = await eventually(() => rec.reports.find((r) => r.state === 'connected'), 20_000, 'connected');
      expect(first.problem?.message).toContain(`orders-${id}-x.fifo`);
      expect((await subscriptionsOf(fifoArn)).length).toBe(0);
      const gone = source.tapName;
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: gone }));
      await sqs.send(new DeleteQueueCommand({ QueueUrl }));
      await eventually(
        () => (source.tapName !== gone && rec.states.at(-1) === 'connected' ? true : undefined),
        30_000,
        'a new tap',
      );
      const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: '{"after":"recreate"}' }));
      await eventually(
        () => rec.records.find((r) => r.messageId === MessageId),
        20_000,
        'a copy through the new queue',
      );
    } finally {
      await source.stop();
    }
    expect(await tapQueues(sqs)).toEqual([]);
    expect((await subscriptionsOf(TopicArn)).map((s) => s.Endpoint?.split(':').pop())).toEqual([`billing-${id}`]);
  });

  it("removes a crash's leftovers at the next start, and leaves another running Flowscope's alone", async () => {
    const id = unique();
    const { TopicArn, billing } = await topicWithSubscriber(id);
    const leftover = async (name: string, alive: number) => {
      const { QueueUrl = '' } = await sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          tags: { 'flowscope-tap': name, 'flowscope-tap-alive': String(alive) },
        }),
      );
      queues.push(QueueUrl);
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: String(Attributes?.QueueArn) }));
    };
    await leftover(`flowscope-tap-crashed${id}`, Date.now() - 3_600_000);
    await leftover(`flowscope-tap-running${id}`, Date.now());
    const source = awsSource(fauxqs(), { topics: [`orders-${id}`] });
    const rec = recordingSink();
    await source.start(rec.sink);
    try {
      await eventually(() => (rec.states.includes('connected') ? true : undefined), 20_000, 'connected');
      expect((await tapQueues(sqs)).sort()).toEqual([source.tapName, `flowscope-tap-running${id}`].sort());
      const endpoints = (await subscriptionsOf(TopicArn)).map((s) => s.Endpoint?.split(':').pop());
      expect(endpoints).not.toContain(`flowscope-tap-crashed${id}`);
      expect(endpoints).toContain(`flowscope-tap-running${id}`);
      expect(endpoints).toContain(`billing-${id}`);
    } finally {
      await source.stop();
    }
    expect(await tapQueues(sqs)).toEqual([`flowscope-tap-running${id}`]);
    expect(billing.url).toBeTruthy();
  });
});
