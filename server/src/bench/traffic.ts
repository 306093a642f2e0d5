import { loadavg } from 'node:os';

/**
 * The traffic every broker bench reads: one shop's order events of 1 KiB JSON, four services
 * and four types in turn, four events per order. Each bench puts it on its broker the way
 * applications there would (Kafka headers, AMQP properties, stream fields).
 */
export type BenchEvent = {
  readonly orderId: string;
  /** The JSON body, 1 KiB. */
  readonly body: string;
  readonly correlationId: string;
  readonly type: string;
  readonly producer: string;
  readonly messageId: string;
};

const TYPES = ['order.placed', 'payment.captured', 'stock.reserved', 'order.shipped'] as const;
const PRODUCERS = ['order-service', 'payment-service', 'inventory-service', 'shipping-service'] as const;

export function benchEvent(i: number): BenchEvent {
  const orderId = `B-${Math.floor(i / 4)}`;
  const items = Array.from({ length: 6 }, (_, j) => ({
    sku: `SKU-${(i + j) % 97}`,
    name: `Item number ${(i + j) % 97} with a descriptive name`,
    quantity: 1 + ((i + j) % 3),
    unitPrice: 9.99 + j,
  }));
  const body = { orderId, customerId: `C-${i % 5000}`, items, currency: 'EUR', note: '' };
  body.note = 'x'.repeat(Math.max(0, 1024 - JSON.stringify(body).length));
  return {
    orderId,
    body: JSON.stringify(body),
    correlationId: `corr-${orderId}`,
    type: TYPES[i % 4] as string,
    producer: PRODUCERS[i % 4] as string,
    messageId: `m-${i}`,
  };
}

/** The machine's load averages (1, 5, 15 min), printed before and after a bench. */
export const loadAverages = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
