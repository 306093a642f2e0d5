import { anomalyKinds, channelEntries, type AnomalyKind } from '@flowscope/shared';
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

describe('the insights of the demo shop: its known faults, and nothing on its clean parts', () => {
  const { queries } = runShop(1500);
  const insights = queries.insights();

  it('judges the notification service not idempotent and the shipping service idempotent', () => {
    const verdicts = insights.idempotency.map((c) => `${c.service}@${c.channel}: ${c.verdict}`).sort();
    expect(verdicts).toEqual(['notification-service@shipments: not-idempotent', 'shipping-service@orders: idempotent']);
    const notIdempotent = insights.findings.filter((f) => f.kind === 'not-idempotent');
    expect(notIdempotent.map((f) => f.title)).toEqual(['notification-service is not idempotent on shipments']);
    // The evidence is a redelivered shipment: two notifications name it as their cause.
    const shipment = queries.event(notIdempotent[0]?.evidence[0] ?? '');
    expect(shipment?.type).toBe('shipment.created');
    const flow = queries.flow(shipment?.id ?? '');
    const mails = flow?.events.filter((e) => e.correlation.causationId === shipment?.correlation.messageId);
    expect(mails?.map((e) => e.type)).toEqual(['notification.sent', 'notification.sent']);
  });

  it('finds the one breaking schema change, who made it and who may break', () => {
    const breaking = insights.schemaChanges.filter((c) => c.breaking);
    expect(breaking.map((c) => `${c.type}@${c.channel} ${c.path} ${c.kind}`)).toEqual([
      // The shipments channel carries structured CloudEvents: the payload's fields are under `data`.
      'shipment.created@shipments data.trackingNumber field-missing',
    ]);
    expect(breaking[0]).toMatchObject({ producer: 'shipping-service', consumers: ['notification-service'] });
    expect(breaking[0]).toMatchObject({ forward: false, backward: true });
    // The field that replaced it is a compatible change.
    const added = insights.schemaChanges.filter((c) => !c.breaking).map((c) => `${c.type} ${c.path} ${c.kind}`);
    expect(added).toEqual(['shipment.created data.tracking field-added']);
    // It affects the canary's shipments (one in ten after the fortieth), not every shipment since.
    const [finding] = insights.findings.filter((f) => f.kind === 'breaking-schema');
    const shipments = channelEntries(queries.channelCatalog, queries.topology())
      .find((c) => c.name === 'shipments')
      ?.types.find((t) => t.type === 'shipment.created')?.count;
    expect(finding?.flows).toBeGreaterThan((shipments ?? 0) * 0.05);
    expect(finding?.flows).toBeLessThan((shipments ?? 0) * 0.15);
  });

  it('finds the reordering partition, judged by the declared version, and no other', () => {
    const reordering = insights.ordering.filter((o) => o.reordered > 0);
    expect(reordering.map((o) => `${o.channel}/${o.partition} by ${o.basis}`)).toEqual(['orders/2 by version']);
    expect(reordering[0]?.examples[0]).toMatchObject({ value: 2, after: 3 });
    // The other partitions of orders were checked, and kept their order.
    const clean = insights.ordering.filter((o) => o.channel === 'orders' && o.partition !== 2);
    expect(clean.map((o) => o.partition).sort()).toEqual([0, 1]);
    expect(clean.every((o) => o.checked > 20)).toBe(true);
  });

  it('measures the consistency window of an order and how far behind each consumer runs', () => {
    const order = insights.consistency.kinds.find((k) => k.kind === 'order.placed');
    expect(order?.samples).toBeGreaterThan(500);
    // Seven steps at 30–150, 50–300, 20–80, 100–500, 20–100 and 50–200 ms.
    expect(order?.p50Ms).toBeGreaterThan(270);
    expect(order?.p99Ms).toBeLessThan(1330 + 2_500);
    expect(order?.p95Ms).toBeGreaterThanOrEqual(order?.p50Ms ?? Infinity);
    expect(order?.overTime.reduce((n, m) => n + m.samples, 0)).toBe(order?.samples);
    const shipping = insights.consistency.consumers.find((c) => c.service === 'shipping-service');
    expect(shipping).toMatchObject({ channel: 'orders' });
    expect(shipping?.p50Ms).toBeGreaterThanOrEqual(100);
    expect(shipping?.p99Ms).toBeLessThanOrEqual(500);
  });

  it('reports the dead letters with their source, sender and reason', () => {
    expect(insights.deadLetters).toHaveLength(1);
    expect(insights.deadLetters[0]).toMatchObject({
      channel: 'payments.dlq',
      sources: [{ channel: 'payments', producer: 'payment-service' }],
      reasons: [{ reason: 'max-retries-exceeded' }],
      redriven: 0,
    });
  });

  it('reads every type of the shop as a fact, and payloads as state', () => {
    expect(insights.semantics.filter((s) => s.naming !== 'fact')).toEqual([
      expect.objectContaining({ type: 'inventory.out-of-stock', naming: 'unclear' }),
    ]);
    expect(insights.semantics.find((s) => s.type === 'order.placed')?.payload).toBe('state');
    expect(insights.findings.some((f) => f.kind === 'broadcast-command')).toBe(false);
  });
});
