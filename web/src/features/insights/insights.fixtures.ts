import { insightsResponseSchema, type InsightsResponse } from '@flowscope/shared';

const T0 = Date.UTC(2024, 2, 1, 10, 0, 0);
const MINUTE = 60_000;
const evil = '<img src=x onerror=alert(1)>';

/** Event ids as the demo makes them. */
const shipment = (n: number) => `demo/shop/shipments/${n}`;
const order = (n: number) => `demo/shop/orders/${n}`;

/** Nothing measured yet: a server that just started. */
export const emptyInsights = (): InsightsResponse => ({
  generatedAt: T0,
  findings: [],
  idempotency: [],
  consistency: { kinds: [], consumers: [] },
  ordering: [],
  schemaChanges: [],
  semantics: [],
  deadLetters: [],
});

/** The demo shop after a while: every section has something, checked by the shared schema. */
export function shopInsights(): InsightsResponse {
  return insightsResponseSchema.parse({
    ...emptyInsights(),
    findings: [
      {
        kind: 'not-idempotent',
        severity: 'alert',
        title: 'notification-service is not idempotent on shipments',
        detail: 'It reacted twice to 3 of 4 redelivered shipment.created messages.',
        flows: 3,
        evidence: [1, 2, 3, 4, 5, 6, 7].map(shipment),
      },
      {
        kind: 'breaking-schema',
        severity: 'alert',
        title: 'Breaking change of shipment.created: trackingNumber missing',
        detail: `notification-service may break. ${evil}`,
        flows: 2,
        evidence: [shipment(9)],
      },
      {
        kind: 'reordering',
        severity: 'warning',
        title: 'orders partition 2 delivers out of order',
        detail: '2 of 40 events arrived after a later version.',
        flows: 2,
        evidence: [order(12)],
      },
      {
        kind: 'broadcast-command',
        severity: 'info',
        title: 'ProcessPayment is read by 2 services',
        detail: 'A command with several readers is a broadcast.',
        flows: 1,
        evidence: [],
      },
    ],
    idempotency: [
      {
        service: 'notification-service',
        channel: 'shipments',
        duplicates: 4,
        reactedTwice: 3,
        verdict: 'not-idempotent',
        evidence: [shipment(1), shipment(2)],
      },
      {
        service: 'shipping-service',
        channel: 'orders',
        duplicates: 5,
        reactedTwice: 0,
        verdict: 'idempotent',
        evidence: [order(3)],
      },
    ],
    consistency: {
      kinds: [
        {
          kind: 'order.placed',
          samples: 120,
          p50Ms: 180,
          p95Ms: 420,
          p99Ms: 1_250,
          overTime: [
            { minute: T0, p95Ms: 300, samples: 40 },
            { minute: T0 + MINUTE, p95Ms: 420, samples: 50 },
            { minute: T0 + 2 * MINUTE, p95Ms: 380, samples: 30 },
          ],
          slowestFlowId: order(77),
        },
      ],
      consumers: [
        { service: 'shipping-service', channel: 'orders', samples: 90, p50Ms: 20, p95Ms: 60, p99Ms: 90 },
        { service: 'shipping-service', channel: 'payments', samples: 90, p50Ms: 40, p95Ms: 120, p99Ms: 200 },
        { service: 'analytics-service', channel: 'orders', samples: 10, p50Ms: 900, p95Ms: 2_500, p99Ms: 3_000 },
      ],
    },
    ordering: [
      {
        channel: 'orders',
        partition: 2,
        basis: 'version',
        checked: 40,
        reordered: 2,
        examples: [{ eventId: order(12), entity: 'A-1012', value: 2, after: 3 }],
      },
      { channel: 'payments', basis: 'timestamp', checked: 30, reordered: 0, examples: [] },
    ],
    schemaChanges: [
      {
        channel: 'shipments',
        type: 'shipment.created',
        path: 'carrier',
        kind: 'field-added',
        change: 'field added',
        at: T0,
        forward: true,
        backward: true,
        breaking: false,
        producer: 'shipping-service',
        consumers: ['notification-service'],
      },
      {
        channel: 'shipments',
        type: 'shipment.created',
        path: 'trackingNumber',
        kind: 'field-missing',
        change: 'field missing',
        at: T0 + MINUTE,
        forward: false,
        backward: true,
        breaking: true,
        producer: 'shipping-service',
        consumers: ['notification-service', 'analytics-service'],
        eventId: shipment(9),
      },
    ],
    semantics: [
      { channel: 'orders', type: 'order.placed', naming: 'fact', payload: 'state', consumers: 3 },
      {
        channel: 'payments',
        type: 'ProcessPayment',
        naming: 'command',
        payload: 'notification',
        consumers: 2,
        note: 'A command read by 2 services: a broadcast command.',
      },
    ],
    deadLetters: [
      {
        channel: 'payments.dlq',
        count: 6,
        sources: [{ channel: 'payments', producer: 'payment-service', count: 6, eventId: 'demo/shop/payments.dlq/4' }],
        reasons: [{ reason: `card declined ${evil}`, count: 6 }],
        redriven: 1,
      },
    ],
  });
}
