import { extractCorrelation } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { arnName, recordOf, xrayHeaders } from './envelopes.js';

const snsBody = {
  Type: 'Notification',
  MessageId: '7c1f7e2a-0000-4000-8000-000000000001',
  TopicArn: 'arn:aws:sns:eu-west-1:123456789012:orders',
  Subject: 'placed',
  Message: '{"orderId":"A-1"}',
  Timestamp: '2026-11-26T10:00:00.123Z',
  MessageAttributes: {
    'ce-type': { Type: 'String', Value: 'order.placed' },
    'correlation-id': { Type: 'String', Value: 'c-42' },
    blob: { Type: 'Binary', Value: Buffer.from([0, 255]).toString('base64') },
  },
};

const ebBody = {
  version: '0',
  id: 'b1c2d3e4-0000-4000-8000-000000000002',
  'detail-type': 'OrderShipped',
  source: 'shipping',
  account: '123456789012',
  time: '2026-11-26T10:00:01Z',
  region: 'eu-west-1',
  resources: [],
  detail: { orderId: 'A-1', carrier: 'dhl' },
};

describe('tap queue envelopes', () => {
  it('keeps the SNS envelope: MessageId as id, Timestamp as time, attributes as headers, Message as payload', () => {
    const r = recordOf({ MessageId: 'sqs-id', Body: JSON.stringify(snsBody), Attributes: { SentTimestamp: '1' } });
    expect(r).toMatchObject({
      channel: 'sns:orders',
      messageId: snsBody.MessageId,
      timestamp: Date.parse(snsBody.Timestamp),
      value: '{"orderId":"A-1"}',
      headers: {
        'ce-type': 'order.placed',
        'correlation-id': 'c-42',
        'sns-topic-arn': snsBody.TopicArn,
        'sns-subject': 'placed',
        blob: new Uint8Array([0, 255]),
      },
    });
  });

  it('keeps the EventBridge envelope: id, time, source as producer, detail-type as type, detail as payload', () => {
    const r = recordOf({ Body: JSON.stringify(ebBody) }, 'orders-bus');
    expect(r).toMatchObject({
      channel: 'events:orders-bus',
      messageId: ebBody.id,
      timestamp: Date.parse(ebBody.time),
      headers: { source: 'shipping', type: 'OrderShipped', 'aws-account': '123456789012', 'aws-region': 'eu-west-1' },
    });
    expect(JSON.parse(String(r?.value))).toEqual(ebBody.detail);
    const c = extractCorrelation({
      channel: 'events:orders-bus',
      headers: { source: 'shipping', type: 'OrderShipped' },
      json: ebBody.detail,
    });
    expect(c).toMatchObject({ producer: 'shipping', type: 'OrderShipped' });
    expect(c.correlation.keys).toContainEqual({ name: 'orderId', value: 'A-1' });
  });

  it('leaves what is neither SNS nor EventBridge, and EventBridge-looking bodies of the SNS queue', () => {
    expect(recordOf({ Body: 'plain text' })).toBeUndefined();
    expect(recordOf({ Body: JSON.stringify(ebBody) })).toBeUndefined();
  });

  it('turns an X-Ray trace header into trace context correlation reads', () => {
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    expect(xrayHeaders(header)).toEqual({
      'x-amzn-trace-id': header,
      traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
    });
    expect(xrayHeaders('Root=1-5759e988-bd862e3fe1be46a994272793')['X-B3-TraceId']).toBe(
      '5759e988bd862e3fe1be46a994272793',
    );
    expect(xrayHeaders('garbage')).toEqual({ 'x-amzn-trace-id': 'garbage' });
    const r = recordOf({ Body: JSON.stringify(snsBody), Attributes: { AWSTraceHeader: header } });
    const c = extractCorrelation({ channel: 'sns:orders', headers: { traceparent: String(r?.headers.traceparent) } });
    expect(c.correlation.traceId).toBe('5759e988bd862e3fe1be46a994272793');
  });

  it('keeps an EventBridge event whose detail and resources are nested too deep to write out again', () => {
    // Found by the fuzz suite: JSON.stringify threw, the whole receive failed and the batch came
    // back after its visibility timeout, to fail again.
    const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    const body = JSON.stringify({ ...ebBody, resources: ['arn:1'], detail: null })
      .replace('"detail":null', `"detail":${deep}`)
      .replace('["arn:1"]', `["arn:1",${'['.repeat(20_000)}${']'.repeat(20_000)}]`);
    const r = recordOf({ MessageId: 'q-2', Body: body }, 'orders-bus');
    expect(r?.value).toBe(body);
    expect(r?.headers['aws-resources']).toBe('arn:1,');
  });

  it('names ARNs by their last part', () => {
    expect(arnName('arn:aws:sqs:us-east-1:000000000000:orders')).toBe('orders');
    expect(arnName('arn:aws:events:us-east-1:1:rule/bus/name')).toBe('bus/name');
  });
});
