import { createClient } from 'redis';

type Redis = Awaited<ReturnType<typeof connectRedis>>;

/** One XADD: the payload field and the headers Flowscope reads (producer, type, correlation, causation). */
export type Entry = Readonly<{ stream: string; fields: Record<string, string> }>;

export async function connectRedis(url: string) {
  // A loaded machine can hold a command longer than node-redis's default 5 s: the figures say so instead.
  const client = createClient({ url, commandOptions: { timeout: 60_000 } });
  client.on('error', () => undefined); // a failed command rejects; the bench reports that
  await client.connect();
  return client;
}

const PAD = 'x'.repeat(720);

const ORDER_STEPS = [
  ['orders', 'order-service', 'order.created'],
  ['inventory', 'inventory-service', 'inventory.reserved'],
  ['payments', 'payment-service', 'payment.authorized'],
  ['shipping', 'shipping-service', 'shipment.scheduled'],
  ['notifications', 'notification-service', 'notification.sent'],
] as const;

export const orderStreams = (prefix: string) => ORDER_STEPS.map(([s]) => `${prefix}:${s}`);

/**
 * The n-th event of the order traffic: orders of five events on five streams, about 1 KiB of
 * JSON each, with the producer's clock in the payload (`producedAt`): the start of produce → paint.
 */
export function orderEvent(prefix: string, n: number, producedAt: number): Entry {
  const order = Math.floor(n / ORDER_STEPS.length);
  const [stream, producer, type] = ORDER_STEPS[n % ORDER_STEPS.length] ?? ORDER_STEPS[0];
  const orderId = `B-${order}`;
  const payload = JSON.stringify({
    orderId,
    producedAt,
    customer: { id: `c-${order % 977}`, tier: order % 3 === 0 ? 'gold' : 'standard' },
    items: [{ sku: `sku-${order % 101}`, qty: 1 + (order % 4), price: 19.9 }],
    amount: 19.9 * (1 + (order % 4)),
    note: PAD,
  });
  return { stream: `${prefix}:${stream}`, fields: { payload, producer, type, 'correlation-id': orderId } };
}

/**
 * Sends `total` entries at `rate` per second, paced every 5 ms (node-redis pipelines the XADDs
 * of one tick); `make(n, now)` builds the n-th. Resolves when every XADD is acknowledged.
 */
export async function produceAt(
  client: Redis,
  rate: number,
  total: number,
  make: (n: number, producedAt: number) => Entry,
): Promise<{ sent: number; lateTicks: number }> {
  const start = Date.now();
  let sent = 0;
  let lateTicks = 0;
  let unanswered = 0;
  let failure: unknown = null;
  while (sent < total) {
    const now = Date.now();
    const due = Math.min(total, Math.floor(((now - start) * rate) / 1000));
    if (due - sent > rate / 50) lateTicks++; // more than 20 ms behind the schedule
    for (; sent < due; sent++) {
      const e = make(sent, now);
      unanswered++;
      client
        .xAdd(e.stream, '*', e.fields)
        .catch((err: unknown) => (failure ??= err))
        .finally(() => unanswered--);
    }
    if (failure) throw failure;
    // At most a second's worth unanswered: a slow Redis shows as ticks behind, not as a growing queue.
    do await new Promise((r) => setTimeout(r, 5));
    while (unanswered >= rate);
  }
  while (unanswered > 0) await new Promise((r) => setTimeout(r, 5));
  if (failure) throw failure;
  return { sent, lateTicks };
}
