import type { Message } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { normalize } from '../../ingest/normalize.js';
import { deliveredTo, fromFirehoseDelivery } from './firehose.js';
import { offsetArgument, rabbitStart } from './streamPosition.js';

/** A firehose copy as amqplib hands it over: the trace in the headers, the body as published. */
function traceCopy(routingKey: string, properties: Record<string, unknown>, body: string): Message {
  return {
    content: Buffer.from(body),
    fields: { deliveryTag: 1, redelivered: false, exchange: 'amq.rabbitmq.trace', routingKey },
    properties: {
      headers: {
        exchange_name: 'shop',
        routing_keys: ['orders.placed'],
        properties,
        node: 'rabbit@localhost',
        vhost: '/',
        channel: 1,
        user: 'billing-svc',
        connection: '10.0.0.7:50312 -> 10.0.0.2:5672',
        redelivered: 1,
      },
    } as unknown as Message['properties'],
  };
}

describe('firehose deliveries', () => {
  it("become an observation of the consumer's queue that correlation does not take for a second publish", () => {
    const msg = traceCopy(
      'deliver.billing',
      {
        correlation_id: 'C-1',
        message_id: 'M-1',
        app_id: 'shop',
        headers: { ce_id: 'E-1', ce_source: 'shop', ce_type: 'OrderPlaced', traceparent: 'x', tenant: 'eu' },
      },
      '{"orderId":"A-1"}',
    );
    expect(deliveredTo(msg)).toBe('billing');
    const record = fromFirehoseDelivery(msg, 't-1', 'billing');
    expect(record).toMatchObject({ channel: 'billing', messageId: 't-1', key: 'orders.placed' });
    expect(record.headers).toMatchObject({
      'amqp.firehose': 'deliver',
      'amqp.consumer-queue': 'billing',
      'amqp.consumer-user': 'billing-svc',
      'amqp.consumer-connection': '10.0.0.7:50312 -> 10.0.0.2:5672',
      'amqp.consumer-channel': '1',
      'amqp.redelivered': 'true',
      'amqp.published.ce_id': 'E-1',
      'amqp.published.ce_source': 'shop',
      tenant: 'eu',
      traceparent: 'x',
    });
    const event = normalize(record, { broker: 'rabbitmq', cluster: 'c' }, 1, { maxPayloadBytes: 1024 });
    expect(event.type).toBe('OrderPlaced (delivered)');
    expect(event.producer).toBeUndefined();
    expect(event.correlation.messageId).toBeUndefined();
    // Caused by the publish (its message id), and in the same flow by its keys.
    expect(event.correlation.causationId).toBe('M-1');
    expect(event.correlation.keys).toEqual(
      expect.arrayContaining([
        { name: 'correlationId', value: 'C-1' },
        { name: 'orderId', value: 'A-1' },
      ]),
    );
  });

  it('are typed "delivered" when the publish had no type, and caused by a CloudEvents id when that is its id', () => {
    const record = fromFirehoseDelivery(
      traceCopy('deliver.q', { headers: { 'cloudEvents:id': 'E-2' } }, 'x'),
      't',
      'q',
    );
    expect(record.headers).toMatchObject({ type: 'delivered', 'causation-id': 'E-2' });
    expect(record.value && Buffer.from(record.value).toString()).toBe('x');
  });

  it('are told from publish copies by their routing key', () => {
    expect(deliveredTo(traceCopy('publish.', {}, ''))).toBeUndefined();
  });
});

describe('stream start positions', () => {
  it('map to x-stream-offset: next, first, an offset (64-bit long) or a time (seconds)', () => {
    const at = Date.parse('2026-01-01T00:00:10.500Z');
    expect(offsetArgument(rabbitStart.parse('latest'), at)).toBe('next');
    expect(offsetArgument(rabbitStart.parse('earliest'), at)).toBe('first');
    expect(offsetArgument(rabbitStart.parse('1200'), at)).toEqual({ '!': 'long', value: 1200 });
    expect(offsetArgument(rabbitStart.parse('10s'), at)).toEqual({ '!': 'timestamp', value: at / 1000 - 10.5 });
    expect(offsetArgument(rabbitStart.parse('2026-01-01T00:00:00Z'), at)).toEqual({
      '!': 'timestamp',
      value: Date.parse('2026-01-01T00:00:00Z') / 1000,
    });
    expect(rabbitStart.describe(rabbitStart.parse('1200'))).toBe('offset 1200');
    expect(() => rabbitStart.parse('soon')).toThrow(/a stream offset such as 1200/);
  });
});
