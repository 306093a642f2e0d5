import { epochMs, type Anomaly, type FlowEvent, type Payload } from '@flowscope/shared';
import { makeEvent } from '../../test/events';
import type { Flow } from '@flowscope/shared';

/** Flows shaped like the demo shop's, for layout and component tests. */

export const T0 = 1_700_000_000_000;

type StepSpec = Readonly<{
  type: string;
  channel: string;
  producer?: string;
  at: number;
  keys?: Readonly<Record<string, string>>;
  data?: unknown;
  payload?: Partial<Payload>;
  /** Index of the causing step; default the previous one. `null`: inferred from time order. */
  cause?: number | null;
  headers?: FlowEvent['headers'];
}>;

export function makeFlow(steps: readonly StepSpec[], extra: Partial<Flow> = {}): Flow {
  const events = steps.map((s, i) => {
    const keys = Object.entries(s.keys ?? { orderId: 'A-1001' }).map(([name, value]) => ({ name, value }));
    const value = JSON.stringify(s.data ?? { orderId: 'A-1001' });
    return makeEvent({
      seq: i + 1,
      id: `demo/shop/${s.channel}/${i + 1}`,
      type: s.type,
      channel: s.channel,
      producer: s.producer,
      timestamp: epochMs(T0 + s.at),
      receivedAt: epochMs(T0 + s.at + 2),
      headers: s.headers ?? {},
      correlation: { keys },
      payload: { encoding: 'json', value, size: value.length, ...s.payload },
    });
  });
  const hops = steps.flatMap((s, i) => {
    if (i === 0) return [];
    const causeIndex = s.cause === undefined || s.cause === null ? i - 1 : s.cause;
    const from = events[causeIndex];
    const to = events[i];
    if (!from || !to) throw new Error(`step ${i} names a cause that is not a step: ${causeIndex}`);
    return [
      {
        from: from.id,
        to: to.id,
        latencyMs: to.timestamp - from.timestamp,
        ...(to.producer ? { service: to.producer } : {}),
        inferred: s.cause === null,
      },
    ];
  });
  const first = events[0];
  if (!first) throw new Error('a flow needs at least one step');
  const last = events.reduce<number>((a, e) => Math.max(a, e.timestamp), first.timestamp);
  const anomalies: Anomaly[] = extra.anomalies ? [...extra.anomalies] : [];
  return {
    id: first.id,
    kind: first.type ?? first.channel,
    status: 'completed',
    start: first.timestamp,
    end: last,
    durationMs: last - first.timestamp,
    eventCount: events.length,
    keys: [{ name: 'orderId', value: 'A-1001' }],
    services: [...new Set(events.flatMap((e) => (e.producer ? [e.producer] : [])))],
    channels: [...new Set(events.map((e) => e.channel))],
    anomalyCount: anomalies.length,
    anomalyKinds: [...new Set(anomalies.map((a) => a.kind))],
    events,
    hops,
    anomalies,
    ...extra,
  };
}

const order = { orderId: 'A-1001', customerId: 'C-7', total: 37.5, currency: 'EUR' };

export const happyOrder = () =>
  makeFlow([
    {
      type: 'order.placed',
      channel: 'orders',
      producer: 'order-service',
      at: 0,
      keys: { orderId: 'A-1001', correlationId: 'c-1' },
      data: { ...order, items: [{ sku: 'MUG', quantity: 3 }], shippingAddress: { city: 'Bilbao' } },
    },
    { type: 'inventory.reserved', channel: 'inventory', producer: 'inventory-service', at: 85 },
    {
      type: 'payment.authorized',
      channel: 'payments',
      producer: 'payment-service',
      at: 320,
      keys: { orderId: 'A-1001', paymentId: 'P-1' },
    },
    {
      type: 'order.confirmed',
      channel: 'orders',
      producer: 'order-service',
      at: 400,
      keys: { orderId: 'A-1001', correlationId: 'c-1', paymentId: 'P-1' },
      data: { ...order, total: 39.9, paymentId: 'P-1', status: 'confirmed' },
    },
    { type: 'shipment.created', channel: 'shipments', producer: 'shipping-service', at: 820 },
    { type: 'notification.sent', channel: 'notifications', producer: 'notification-service', at: 900, cause: null },
  ]);

const pay = (attempt: number, reason: string) => ({ orderId: 'A-1002', paymentId: 'P-2', attempt, reason });

export const deadLetteredOrder = () => {
  const steps: StepSpec[] = [
    { type: 'order.placed', channel: 'orders', producer: 'order-service', at: 0, keys: { orderId: 'A-1002' } },
    {
      type: 'inventory.reserved',
      channel: 'inventory',
      producer: 'inventory-service',
      at: 80,
      keys: { orderId: 'A-1002' },
    },
    {
      type: 'payment.failed',
      channel: 'payments',
      producer: 'payment-service',
      at: 320,
      keys: { orderId: 'A-1002', paymentId: 'P-2' },
      data: pay(1, 'insufficient_funds'),
    },
    {
      type: 'payment.failed',
      channel: 'payments',
      producer: 'payment-service',
      at: 950,
      keys: { orderId: 'A-1002', paymentId: 'P-2' },
      data: pay(2, 'card_declined'),
    },
    {
      type: 'payment.failed',
      channel: 'payments.dlq',
      producer: 'payment-service',
      at: 951,
      keys: { orderId: 'A-1002', paymentId: 'P-2' },
      data: pay(2, 'card_declined'),
      headers: { 'x-death-reason': 'max-retries-exceeded' },
    },
    { type: 'order.cancelled', channel: 'orders', producer: 'order-service', at: 990, keys: { orderId: 'A-1002' } },
  ];
  const probe = makeFlow(steps);
  const id = (i: number) => probe.events[i]?.id ?? '';
  return makeFlow(steps, {
    status: 'failed',
    keys: [
      { name: 'orderId', value: 'A-1002' },
      { name: 'paymentId', value: 'P-2' },
    ],
    anomalies: [
      { kind: 'dead-lettered', eventId: id(4), message: 'payment.failed@payments.dlq was dead-lettered.' },
      { kind: 'failure', eventId: id(2), message: 'payment.failed reported by payment-service.' },
      { kind: 'failure', eventId: id(4), message: 'payment.failed reported by payment-service.' },
      {
        kind: 'unexpected-step',
        eventId: id(5),
        step: 'order.cancelled@orders',
        message: 'order.cancelled@orders is not part of the usual order.placed path.',
      },
      { kind: 'missing-step', step: 'order.confirmed@orders', message: 'order.confirmed@orders never happened.' },
    ],
    expected: [
      { step: 'order.placed@orders', seen: true },
      { step: 'inventory.reserved@inventory', seen: true },
      { step: 'payment.authorized@payments', seen: false },
      { step: 'order.confirmed@orders', seen: false },
    ],
  });
};
