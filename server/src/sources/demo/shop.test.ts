import { describe, expect, it } from 'vitest';
import { shopServices } from './catalog.js';
import { createRandom } from './random.js';
import { Shop, type ShopMessage } from './shop.js';

/** Runs the shop on a virtual clock: timers fire in order, no real waiting. */
function simulate(orders: number, seed = 42): ShopMessage[] {
  const out: ShopMessage[] = [];
  const queue: { at: number; run: () => void }[] = [];
  let now = 0;
  const shop = new Shop(createRandom(seed), {
    after: (ms, run) => queue.push({ at: now + ms, run }),
    publish: (m) => out.push(m),
  });
  for (let i = 0; i < orders; i++) queue.push({ at: i * 1000, run: () => shop.placeOrder() });
  while (queue.length > 0) {
    queue.sort((a, b) => a.at - b.at);
    const next = queue.shift();
    if (!next) break;
    now = next.at;
    next.run();
  }
  return out;
}

describe('demo shop', () => {
  const messages = simulate(300);

  it('has all six services publishing', () => {
    expect(new Set(messages.map((m) => m.producer))).toEqual(new Set(Object.keys(shopServices)));
  });

  it('walks most orders to the end and fails some, with retries and dead letters', () => {
    const types = messages.map((m) => m.type);
    const count = (t: string) => types.filter((x) => x === t).length;
    expect(count('order.placed')).toBe(300);
    expect(count('shipment.created')).toBeGreaterThan(200);
    expect(count('payment.failed')).toBeGreaterThan(0);
    expect(count('order.cancelled')).toBeGreaterThan(0);
    expect(messages.some((m) => m.channel === 'payments.dlq')).toBe(true);
    // A retried payment keeps its payment id and counts attempts.
    expect(messages.some((m) => m.type === 'payment.authorized' && m.data.attempt === 2)).toBe(true);
  });

  it('links every reaction to the message that caused it', () => {
    const ids = new Set(messages.map((m) => m.id));
    for (const m of messages) {
      // An order placed, or an address changed, is the customer's doing: no message caused it.
      if (m.type === 'order.placed' || m.type === 'order.address-changed') expect(m.causationId).toBeUndefined();
      else expect(ids.has(m.causationId ?? '')).toBe(true);
    }
  });

  it('is reproducible from its seed', () => {
    expect(simulate(5, 7).map((m) => m.type)).toEqual(simulate(5, 7).map((m) => m.type));
  });
});
