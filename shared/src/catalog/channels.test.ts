import { describe, expect, it } from 'vitest';
import type { FlowEvent } from '../model/flowEvent.js';
import { epochMs, type Seq } from '../model/units.js';
import { createTopology, observeEvent, snapshotTopology } from '../topology/topology.js';
import { channelEntries, createChannelCatalog, observeChannelEvent, UNTYPED } from './channels.js';

let seq = 0;
const event = (
  channel: string,
  type: string | undefined,
  producer: string,
  body: unknown,
  cause?: string,
): FlowEvent => {
  seq += 1;
  const value = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    id: `demo/shop/${channel}/${seq}`,
    seq: seq as Seq,
    source: { broker: 'demo', cluster: 'shop' },
    channel,
    timestamp: epochMs(1000 * seq),
    receivedAt: epochMs(1000 * seq),
    headers: {},
    ...(type ? { type } : {}),
    producer,
    correlation: { keys: [], messageId: `m${seq}`, ...(cause ? { causationId: cause } : {}) },
    payload: {
      encoding: typeof body === 'string' ? 'text' : 'json',
      value,
      size: value.length,
      truncated: false,
      sha256: '',
    },
  };
};

describe('channel catalog', () => {
  it('lists each channel with its event types, producers, consumers and an inferred schema per type', () => {
    const cat = createChannelCatalog();
    const map = createTopology();
    const events = [
      event('orders', 'order.placed', 'order-service', { orderId: 'A-1', total: 10 }),
      event('orders', 'order.placed', 'order-service', { orderId: 'A-2', total: 12, coupon: 'X' }),
      event('orders', 'order.cancelled', 'order-service', { orderId: 'A-1' }),
      event('payments', 'payment.captured', 'payment-service', { orderId: 'A-1' }, 'm1'),
      event('audit', undefined, 'auditor', 'plain text line'),
    ];
    for (const e of events) {
      observeEvent(map, e);
      observeChannelEvent(cat, e);
    }
    const entries = channelEntries(cat, snapshotTopology(map, 10_000));
    expect(entries.map((c) => c.name)).toEqual(['audit', 'orders', 'payments']);
    const orders = entries.find((c) => c.name === 'orders');
    expect(orders).toMatchObject({ producers: ['order-service'], consumers: ['payment-service'], eventCount: 3 });
    expect(orders?.types.map((t) => [t.type, t.count, t.samples])).toEqual([
      ['order.placed', 2, 2],
      ['order.cancelled', 1, 1],
    ]);
    expect(orders?.types[0]?.schema).toMatchObject({
      required: ['orderId', 'total'],
      properties: { coupon: { type: 'string', 'x-firstSeenAt': 2000 } },
    });
    expect(orders?.types[0]?.drift).toEqual([
      expect.objectContaining({ at: 2000, path: 'coupon', kind: 'field-added', producer: 'order-service' }),
    ]);
    const audit = entries.find((c) => c.name === 'audit');
    expect(audit?.types).toEqual([expect.objectContaining({ type: UNTYPED, samples: 0, producers: ['auditor'] })]);
    expect(audit?.types[0]?.schema).toBeUndefined();
  });
});
