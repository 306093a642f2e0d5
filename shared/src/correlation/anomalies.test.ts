import { describe, expect, it } from 'vitest';
import { isDeadLettered } from './anomalies.js';

describe('isDeadLettered', () => {
  it.each([
    'x-death',
    'X-Death-Reason',
    'x-first-death-reason',
    'x-original-channel',
    'kafka_dlt-exception-message',
    'KAFKA_DLT-original-topic',
    'dlq-original-topic',
    'DLQ-reason',
    'x-dead-letter-reason',
  ])('tells a message on an ordinary channel carrying %s as dead-lettered', (header) => {
    expect(isDeadLettered({ channel: 'orders', headers: { 'content-type': 'application/json', [header]: 'v' } })).toBe(
      true,
    );
  });

  it('tells a message on a dead-letter channel as dead-lettered, whatever its headers', () => {
    for (const channel of ['orders.DLQ', 'payments-dead-letters', 'dlt/shipments', 'orders_deadletter'])
      expect(isDeadLettered({ channel, headers: {} })).toBe(true);
  });

  it('leaves ordinary messages alone, also with headers that merely mention death or letters', () => {
    for (const header of ['content-type', 'traceparent', 'death', 'xdeath', 'dead-letter', 'kafka_offset', 'd'])
      expect(isDeadLettered({ channel: 'orders', headers: { [header]: 'v' } })).toBe(false);
    expect(isDeadLettered({ channel: 'letters', headers: {} })).toBe(false);
  });
});
