import { anomalyKinds, type AnomalyKind } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { createPipeline } from '../../ingest/pipeline.js';
import { shopServices } from './catalog.js';
import { createRandom } from './random.js';
import { Shop } from './shop.js';
import { toRecord } from './wire.js';

/** Runs the demo shop through the real pipeline (decode, correlate) on a virtual clock. */
function runShop(orders: number) {
  let now = 1_700_000_000_000;
  const pipeline = createPipeline({
    bufferSize: 100_000,
    maxPayloadBytes: 64 * 1024,
    now: () => now,
    correlation: { settleMs: 5_000, minTemplateSamples: 20, stuckFactor: 3 },
  });
  const rng = createRandom(11);
  const queue: { at: number; run: () => void }[] = [];
  const shop = new Shop(rng, {
    after: (ms, run) => queue.push({ at: now + ms, run }),
    // Without schema decoding ingest takes a batch synchronously: the virtual clock stays exact.
    publish: (m) =>
      void pipeline.ingest.records({ sourceId: 'demo', origin: { broker: 'demo', cluster: 'shop' } }, [
        toRecord(m, now, rng),
      ]),
  });
  for (let i = 0; i < orders; i++) queue.push({ at: now + i * 250, run: () => shop.placeOrder() });
  let lastTick = now;
  while (queue.length > 0) {
    queue.sort((a, b) => a.at - b.at);
    const next = queue.shift();
    if (!next) break;
    now = next.at;
    if (now - lastTick >= 1000) {
      pipeline.observers.tick(now);
      lastTick = now;
    }
    next.run();
  }
  now += 60_000;
  pipeline.observers.tick(now);
  return pipeline;
}

describe('demo shop flows', () => {
  const { queries } = runShop(1500);
  const flows = queries
    .flows(undefined, 5000)
    .map((s) => queries.flow(s.id))
    .filter((f) => f !== undefined);

  it('joins each order into one flow across all services and channel conventions', () => {
    const placed = flows.filter((f) => f.kind === 'order.placed');
    expect(placed.length).toBe(1500);
    const happy = placed.find((f) => f.status === 'completed' && f.anomalies.length === 0);
    expect(happy?.services).toEqual(expect.arrayContaining(Object.keys(shopServices)));
    expect(happy?.hops.every((h) => !h.inferred)).toBe(true);
  });

  it('learns the canonical order path', () => {
    const template = queries.kinds().find((t) => t.kind === 'order.placed');
    expect(template?.steps.map((s) => s.step)).toEqual([
      'order.placed@orders',
      'inventory.reserved@inventory',
      'payment.authorized@payments',
      'order.confirmed@orders',
      'shipment.created@shipments',
      'notification.sent@notifications',
      'analytics.order-recorded@analytics',
    ]);
  });

  it('exercises every kind of anomaly at a low rate', () => {
    const seen = new Map<AnomalyKind, number>();
    for (const f of flows) for (const k of f.anomalyKinds) seen.set(k, (seen.get(k) ?? 0) + 1);
    for (const kind of anomalyKinds) expect(seen.get(kind) ?? 0, kind).toBeGreaterThan(0);
    // Low rate: most orders are clean.
    expect(flows.filter((f) => f.anomalies.length === 0).length).toBeGreaterThan(flows.length * 0.6);
  });
});
