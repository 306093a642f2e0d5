import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerReading } from '../src/sources/plugin.js';
import { awsSource, createQueue, deleteQueues, elasticMq, sqsOf, tapQueues, unique } from './awsBroker.js';
import { fakeEventBridge, shapeErrors } from './awsEventBridge.js';
import { eventually, recordingSink } from './helpers.js';
import * as model from '@aws-sdk/client-eventbridge';

let sqs: SQSClient;
const created: string[] = [];
beforeAll(() => {
  sqs = sqsOf(elasticMq());
});
afterAll(async () => {
  await deleteQueues(sqs, created);
  sqs.destroy();
});

const XRAY = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

/** An event as EventBridge delivers it to an SQS target: the whole envelope as the body. */
const envelope = (id: string, detailType: string, detail: object) => ({
  version: '0',
  id,
  'detail-type': detailType,
  source: 'shop.orders',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'us-east-1',
  resources: [],
  detail,
});

describe('AWS EventBridge: its own rule and queue (the queue on ElasticMQ, the control plane a model-checked stand-in)', () => {
  it('checks request shapes against the SDK model', () => {
    expect(
      shapeErrors(model.PutTargetsRequest$, { Rule: 'r', Targets: [{ Id: 'x', Arn: 'a' }] }, 'PutTargets'),
    ).toEqual([]);
    expect(
      shapeErrors(model.PutTargetsRequest$, { Rule: 'r', Targets: [{ Arn: 'a', Bogus: 1 }] }, 'PutTargets'),
    ).toEqual(['PutTargets.Targets[0].Bogus: not a member of Target', 'PutTargets.Targets[0].Id: required by Target']);
  });

  it('taps a bus with a rule matching every event, reads the envelopes, draws other rules, never replays, and removes it all', async () => {
    const id = unique();
    const bus = `shop-${id}`;
    const shipping = await createQueue(sqs, `shipping-${id}`);
    created.push(shipping.url);
    let tapArn = '';
    const eb = await fakeEventBridge(
      [
        {
          Name: 'ship-orders',
          EventBusName: bus,
          EventPattern: '{"detail-type":["OrderPlaced"]}',
          Targets: [{ Id: 'q', Arn: shipping.arn }],
        },
        // A crash's rule: its target queue is gone.
        {
          Name: 'flowscope-tap-crashed-bus0',
          EventBusName: bus,
          Targets: [{ Id: 'flowscope-tap', Arn: 'arn:aws:sqs:us-east-1:000000000000:flowscope-tap-crashed-bus0' }],
        },
      ],
      (arn) => void (tapArn = arn),
    );
    const source = awsSource(elasticMq(), { endpoints: { events: eb.endpoint }, buses: [bus], queues: [`*-${id}`] });
    const rec = recordingSink();
    await source.start(rec.sink);
    try {
      await eventually(() => (rec.states.includes('connected') ? true : undefined), 20_000, 'connected');
      const put = eb.requests.find((r) => r.op === 'PutRule');
      expect(put?.body).toMatchObject({
        EventBusName: bus,
        EventPattern: '{"source":[{"prefix":""}]}',
        State: 'ENABLED',
      });
      expect(String(put?.body.Name)).toMatch(/^flowscope-tap-/);
      expect(put?.body.Tags).toContainEqual({ Key: 'flowscope-tap', Value: source.tapName });
      expect(eb.rules.map((r) => r.Name)).not.toContain('flowscope-tap-crashed-bus0');
      expect(tapArn.split(':').pop()).toBe(`${source.tapName}-bus0`);

      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${source.tapName}-bus0` }));
      for (const [n, type] of [
        ['1', 'OrderPlaced'],
        ['2', 'OrderShipped'],
      ] as const)
        await sqs.send(
          new SendMessageCommand({
            QueueUrl,
            MessageBody: JSON.stringify(envelope(`evt-${id}-${n}`, type, { orderId: `O-${id}` })),
            // EventBridge passes an X-Ray trace on to SQS as the system attribute AWSTraceHeader.
            MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: XRAY } },
          }),
        );
      await eventually(() => (rec.records.length >= 2 ? true : undefined), 20_000, 'two events');
      expect(rec.records.map((r) => [r.channel, r.messageId, r.headers.source, r.headers.type])).toEqual([
        [`events:${bus}`, `evt-${id}-1`, 'shop.orders', 'OrderPlaced'],
        [`events:${bus}`, `evt-${id}-2`, 'shop.orders', 'OrderShipped'],
      ]);
      expect(JSON.parse(String(rec.records[0]?.value))).toEqual({ orderId: `O-${id}` });
      expect(rec.records[0]?.headers.traceparent).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01');

      const reading = (await source.consumerReader(1000).read(Date.now())) as ConsumerReading;
      expect(reading.consumers).toContainEqual(
        expect.objectContaining({
          kind: 'rule',
          id: `${bus}/ship-orders`,
          members: [expect.objectContaining({ clientId: `shipping-${id}` })],
        }),
      );
      expect(reading.consumers.some((c) => c.id.includes('flowscope-tap-'))).toBe(false);
      expect(reading.links).toContainEqual(
        expect.objectContaining({
          from: `events:${bus}`,
          to: `shipping-${id}`,
          label: '{"detail-type":["OrderPlaced"]}',
        }),
      );
    } finally {
      await source.stop();
      await eb.close();
    }
    expect(eb.requests.flatMap((r) => r.errors)).toEqual([]);
    expect(eb.requests.map((r) => r.op)).not.toContain('StartReplay');
    expect(eb.rules.map((r) => r.Name)).toEqual(['ship-orders']);
    expect(await tapQueues(sqs)).toEqual([]);
    expect(source.touchedQueues().every((u) => u.endsWith(`${source.tapName}-bus0`))).toBe(true);
  });

  it('a credential that may not create still gets the map, and the status lists the IAM actions tapping needs', async () => {
    const id = unique();
    const bus = `shop-${id}`;
    const shipping = await createQueue(sqs, `shipping-${id}`);
    created.push(shipping.url);
    const eb = await fakeEventBridge(
      [{ Name: 'ship-orders', EventBusName: bus, Targets: [{ Id: 'q', Arn: shipping.arn }] }],
      () => undefined,
      ['PutRule'],
    );
    const source = awsSource(elasticMq(), { endpoints: { events: eb.endpoint }, buses: [bus], queues: [`*-${id}`] });
    const rec = recordingSink();
    await source.start(rec.sink);
    try {
      const report = await eventually(() => rec.reports.find((r) => r.state === 'connected'), 20_000, 'connected');
      expect(report.problem?.reason).toBe('misconfigured');
      for (const action of ['sqs:CreateQueue', 'sns:Subscribe', 'events:PutRule', 'events:PutTargets'])
        expect(report.problem?.hint).toContain(action);
      // What it had created before the refusal is gone at once.
      expect(await tapQueues(sqs)).toEqual([]);
      const reading = (await source.consumerReader(1000).read(Date.now())) as ConsumerReading;
      expect(reading.consumers.map((c) => c.id).sort()).toEqual([`shipping-${id}`, `${bus}/ship-orders`]);
    } finally {
      await source.stop();
      await eb.close();
    }
  });
});
