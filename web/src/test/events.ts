import { flowEventSchema, type FlowEvent, type Payload } from '@flowscope/shared';

let next = 1;

/** A plausible FlowEvent for tests, checked by the shared schema; override what the test is about. */
export function makeEvent(
  overrides: Partial<Omit<FlowEvent, 'payload' | 'seq'>> & { seq?: number; payload?: Partial<Payload> } = {},
): FlowEvent {
  const seq = overrides.seq ?? next++;
  const { payload, ...rest } = overrides;
  return flowEventSchema.parse({
    id: `demo/shop/orders/${seq}`,
    seq,
    source: { broker: 'demo', cluster: 'shop' },
    channel: 'orders',
    timestamp: 1_700_000_000_000 + seq,
    receivedAt: 1_700_000_000_005 + seq,
    key: { encoding: 'text', value: `A-${1000 + seq}` },
    headers: { 'content-type': 'application/json', 'correlation-id': `c-${seq}` },
    type: 'order.placed',
    producer: 'order-service',
    correlation: { keys: [{ name: 'orderId', value: `A-${1000 + seq}` }] },
    payload: {
      encoding: 'json',
      value: JSON.stringify({ orderId: `A-${1000 + seq}`, total: 12.5 }),
      size: 40,
      truncated: false,
      sha256: 'ab'.repeat(32),
      ...payload,
    },
    ...rest,
  });
}
