import {
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  DeleteMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ChannelLink, Consumer } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerReading } from '../src/sources/plugin.js';
import { awsSource, createQueue, deleteQueues, elasticMq, sqsOf, tapQueues, unique } from './awsBroker.js';
import { shapeErrors } from './awsEventBridge.js';
import { eventually, recordingSink } from './helpers.js';
import * as cloudWatchModel from '@aws-sdk/client-cloudwatch';
import { createServer } from 'node:http';

/**
 * CloudWatch's GetMetricData on 127.0.0.1 (no emulator has it): every request body checked against
 * the SDK's model of the operation; each queue's oldest message is as old as `ages` says.
 */
async function fakeCloudWatch(ages: Record<string, number>) {
  const errors: string[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as {
        MetricDataQueries: { Id: string; MetricStat: { Metric: { Dimensions: { Value: string }[] } } }[];
      };
      errors.push(...shapeErrors(cloudWatchModel.GetMetricDataInput$, body, 'GetMetricData'));
      const results = body.MetricDataQueries.map((q) => {
        const age = ages[q.MetricStat.Metric.Dimensions[0]?.Value ?? ''];
        return {
          Id: q.Id,
          StatusCode: 'Complete',
          Timestamps: age === undefined ? [] : [Date.now() / 1000],
          Values: age === undefined ? [] : [age],
        };
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ MetricDataResults: results }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    errors,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let sqs: SQSClient;
const created: string[] = [];

beforeAll(() => {
  sqs = sqsOf(elasticMq());
});
afterAll(async () => {
  await deleteQueues(sqs, created);
  sqs.destroy();
});

async function fill(url: string, n: number) {
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: Array.from({ length: n }, (_, i) => ({ Id: String(i), MessageBody: `{"orderId":"A-${i}"}` })),
    }),
  );
}

/** What an application consuming the queue gets: each body with its receive count, deleted after. */
async function consume(url: string, n: number) {
  const got: { body: string; receiveCount: string }[] = [];
  while (got.length < n) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    for (const m of Messages) {
      got.push({ body: String(m.Body), receiveCount: String(m.Attributes?.ApproximateReceiveCount) });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: String(m.ReceiptHandle) }));
    }
  }
  return got.sort((a, b) => a.body.localeCompare(b.body));
}

describe('AWS SQS on ElasticMQ: queues as depths and dead-letter routes, never received from', () => {
  it('draws queues with depth, in-flight and the age of the oldest message, and their dead-letter queues as dead-letter links', async () => {
    const id = unique();
    const dlq = await createQueue(sqs, `orders-dlq-${id}`);
    const orders = await createQueue(sqs, `orders-${id}`, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
    });
    created.push(orders.url, dlq.url);
    await fill(orders.url, 4);
    const cloudWatch = await fakeCloudWatch({ [`orders-${id}`]: 120 });
    const source = awsSource(elasticMq(), { queues: [`*-${id}`], endpoints: { cloudwatch: cloudWatch.endpoint } });
    const rec = recordingSink();
    await source.start(rec.sink);
    try {
      await eventually(() => (rec.states.includes('connected') ? true : undefined), 20_000, 'connected');
      const reading = (await source.consumerReader(1000).read(Date.now())) as ConsumerReading;
      const queue = reading.consumers.find((c: Consumer) => c.id === `orders-${id}`);
      expect(queue).toMatchObject({ broker: 'sqs', kind: 'queue', lag: 4 });
      expect(queue?.channels[0]).toMatchObject({ channel: `orders-${id}`, lag: 4, unacked: 0, lagSeconds: 120 });
      expect(reading.consumers.find((c) => c.id === `orders-dlq-${id}`)?.channels[0]?.lagSeconds).toBeNull();
      expect(cloudWatch.errors).toEqual([]);
      expect(reading.links).toContainEqual(
        expect.objectContaining<Partial<ChannelLink>>({
          from: `orders-${id}`,
          to: `orders-dlq-${id}`,
          kind: 'dead-letter',
        }),
      );
      expect(source.callCounts().ReceiveMessage).toBeUndefined();
    } finally {
      await source.stop();
      await cloudWatch.close();
    }
    expect(rec.records).toEqual([]);
  });

  it('an application consuming a queue gets exactly what it got without Flowscope, receive counts unchanged', async () => {
    const id = unique();
    const without = await createQueue(sqs, `app-without-${id}`);
    const withTap = await createQueue(sqs, `app-with-${id}`);
    created.push(without.url, withTap.url);
    await fill(without.url, 10);
    const baseline = await consume(without.url, 10);

    await fill(withTap.url, 10);
    const source = awsSource(elasticMq(), { queues: ['*'] });
    await source.start(recordingSink().sink);
    const reader = source.consumerReader(1000);
    try {
      // Several readings of the map while the messages wait, as a running Flowscope makes.
      for (let i = 0; i < 5; i++) await reader.read(Date.now());
      const got = await consume(withTap.url, 10);
      expect(got).toEqual(baseline);
      expect(got.every((m) => m.receiveCount === '1')).toBe(true);
      expect(source.callCounts().GetQueueAttributes).toBeGreaterThan(0);
    } finally {
      await source.stop();
    }
    expect(source.callCounts().ReceiveMessage).toBeUndefined();
    expect(source.touchedQueues()).toEqual([]);
    expect(await tapQueues(sqs)).toEqual([]);
  });
});
