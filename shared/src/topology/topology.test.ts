import { describe, expect, it } from 'vitest';
import type { FlowEvent } from '../model/flowEvent.js';
import { epochMs, type Seq } from '../model/units.js';
import type { Consumer } from '../model/consumer.js';
import { createTopology, observeEvent, snapshotTopology, withConsumers } from './topology.js';

let seq = 0;
function event(
  channel: string,
  producer: string | undefined,
  messageId: string,
  causationId?: string,
  at = 1_000_000,
): FlowEvent {
  seq += 1;
  return {
    id: `demo/shop/${channel}/${messageId}`,
    seq: seq as Seq,
    source: { broker: 'demo', cluster: 'shop' },
    channel,
    timestamp: epochMs(at),
    receivedAt: epochMs(at),
    headers: {},
    ...(producer ? { producer } : {}),
    correlation: { keys: [], messageId, ...(causationId ? { causationId } : {}) },
    payload: { encoding: 'empty', value: '', size: 0, truncated: false, sha256: '' },
  };
}

describe('topology', () => {
  it('draws a service producing to a channel from the producer header', () => {
    const state = createTopology();
    observeEvent(state, event('orders', 'order-service', 'm1'));
    const t = snapshotTopology(state, 1_000_000);
    expect(t.nodes.map((n) => n.id)).toEqual(['channel:demo/shop/orders', 'service:order-service']);
    expect(t.edges).toMatchObject([
      {
        kind: 'produces',
        source: 'service:order-service',
        target: 'channel:demo/shop/orders',
        evidence: ['header'],
        count: 1,
      },
    ]);
  });

  it('infers that a service consumes a channel when its event was caused by a message on it', () => {
    const state = createTopology();
    observeEvent(state, event('orders', 'order-service', 'm1'));
    observeEvent(state, event('inventory', 'inventory-service', 'm2', 'm1'));
    const consumes = snapshotTopology(state, 1_000_000).edges.filter((e) => e.kind === 'consumes');
    expect(consumes).toMatchObject([
      {
        source: 'channel:demo/shop/orders',
        target: 'service:inventory-service',
        evidence: ['inferred-causality'],
        confidence: 0.25,
      },
    ]);
    for (let i = 3; i < 30; i++) observeEvent(state, event('inventory', 'inventory-service', `m${i}`, 'm1'));
    const grown = snapshotTopology(state, 1_000_000).edges.find((e) => e.kind === 'consumes');
    expect(grown?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('draws the consumer edge when the effect is read before its cause (another topic read first)', () => {
    const state = createTopology();
    observeEvent(state, event('payments', 'billing', 'm2', 'm1'));
    observeEvent(state, event('orders', 'checkout', 'm1'));
    expect(snapshotTopology(state, 1_000_000).edges.filter((e) => e.kind === 'consumes')).toMatchObject([
      { source: 'channel:demo/shop/orders', target: 'service:billing' },
    ]);
  });

  it('does not invent a consumer when the cause was never seen', () => {
    const state = createTopology();
    observeEvent(state, event('inventory', 'inventory-service', 'm2', 'unknown'));
    expect(snapshotTopology(state, 1_000_000).edges.filter((e) => e.kind === 'consumes')).toEqual([]);
  });

  it('shows a channel without producer when messages carry no producer', () => {
    const state = createTopology();
    observeEvent(state, event('raw', undefined, 'm1'));
    const t = snapshotTopology(state, 1_000_000);
    expect(t.nodes).toMatchObject([{ id: 'channel:demo/shop/raw', kind: 'channel', eventCount: 1 }]);
    expect(t.edges).toEqual([]);
  });

  it('reports the rate over the last whole seconds only', () => {
    const state = createTopology();
    for (let i = 0; i < 20; i++)
      observeEvent(state, event('orders', 'order-service', `m${i}`, undefined, 1_000_000 + i * 100));
    // 20 events in seconds 1000 and 1001, averaged over the 10 s window.
    expect(snapshotTopology(state, 1_002_500).nodes.find((n) => n.kind === 'channel')?.rate).toBe(2);
    // Long after, the window is empty.
    expect(snapshotTopology(state, 1_100_000).nodes.find((n) => n.kind === 'channel')?.rate).toBe(0);
  });

  it('keeps the rate right over minutes of traffic, and counts every event', () => {
    const state = createTopology();
    // 5 events a second for two minutes, then 1 a second for the last 10 s.
    let n = 0;
    for (let s = 0; s < 120; s++)
      for (let i = 0; i < 5; i++) observeEvent(state, event('orders', 'svc', `a${n++}`, undefined, s * 1000 + i));
    for (let s = 120; s < 130; s++) observeEvent(state, event('orders', 'svc', `a${n++}`, undefined, s * 1000));
    const snap = snapshotTopology(state, 130_500);
    expect(snap.nodes.find((x) => x.kind === 'channel')).toMatchObject({ rate: 1, eventCount: 610 });
    expect(snap.edges).toEqual([expect.objectContaining({ kind: 'produces', rate: 1, count: 610 })]);
    expect(snapshotTopology(state, 125_500).edges[0]?.rate).toBe(3);
  });

  it('keeps channels of the same name on two brokers apart', () => {
    const state = createTopology();
    observeEvent(state, event('orders', 'svc', 'x1'));
    observeEvent(state, { ...event('orders', 'svc', 'x2'), source: { broker: 'kafka', cluster: 'prod' } });
    const snap = snapshotTopology(state, 1_000_500);
    expect(snap.nodes.filter((x) => x.kind === 'channel').map((x) => [x.id, x.eventCount])).toEqual([
      ['channel:demo/shop/orders', 1],
      ['channel:kafka/prod/orders', 1],
    ]);
    expect(snap.edges.map((e) => e.id)).toEqual([
      'produces:service:svc->channel:demo/shop/orders',
      'produces:service:svc->channel:kafka/prod/orders',
    ]);
  });
});

describe('consumer groups on the map', () => {
  const group = (
    id: string,
    service: string,
    topics: [string, number | null][],
    broker: Consumer['broker'] = 'kafka',
  ): Consumer => ({
    source: `${broker}:prod`,
    broker,
    cluster: 'prod',
    kind: 'consumer-group',
    id,
    service,
    state: 'Stable',
    members: [],
    channels: topics.map(([channel, lag]) => ({ channel, lag, rate: 2, partitions: [] })),
    lag: topics.reduce((s, [, l]) => s + (l ?? 0), 0),
    history: [],
    updatedAt: 5,
  });
  const kafkaEvent = (channel: string, producer: string, id: string, cause?: string): FlowEvent => ({
    ...event(channel, producer, id, cause),
    source: { broker: 'kafka', cluster: 'prod' },
  });

  it('adds a certain consumes edge per topic with the lag, and the service and channel when unseen', () => {
    const map = withConsumers({ nodes: [], edges: [] }, [group('billing-v2', 'billing', [['invoices', 7]])]);
    expect(map.nodes.map((n) => n.id)).toEqual(['channel:kafka/prod/invoices', 'service:billing']);
    expect(map.edges).toEqual([
      expect.objectContaining({
        id: 'consumes:channel:kafka/prod/invoices->service:billing',
        evidence: ['consumer-group'],
        confidence: 1,
        consumers: ['billing-v2'],
        lag: 7,
        rate: 2,
      }),
    ]);
  });

  it('joins an inferred edge for the same service, and sums the lag of two groups drawn as one service', () => {
    const state = createTopology();
    observeEvent(state, kafkaEvent('orders', 'order-service', 'm1'));
    observeEvent(state, kafkaEvent('payments', 'billing', 'm2', 'm1'));
    const map = withConsumers(snapshotTopology(state, 1_000_000), [
      group('billing-a', 'billing', [['orders', 3]]),
      group('billing-b', 'billing', [['orders', null]]),
    ]);
    const edge = map.edges.find((e) => e.id === 'consumes:channel:kafka/prod/orders->service:billing');
    expect(edge).toMatchObject({
      evidence: ['consumer-group', 'inferred-causality'],
      confidence: 1,
      count: 1,
      consumers: ['billing-a', 'billing-b'],
      lag: 3,
    });
    expect(map.edges.filter((e) => e.kind === 'consumes')).toHaveLength(1);
  });

  it("draws another broker's consumer on that broker's channel", () => {
    const map = withConsumers({ nodes: [], edges: [] }, [
      group('payments-worker', 'payments', [['jobs', 4]], 'rabbitmq'),
    ]);
    expect(map.nodes.map((n) => n.id)).toEqual(['channel:rabbitmq/prod/jobs', 'service:payments']);
    expect(map.nodes[0]).toMatchObject({ broker: 'rabbitmq', name: 'jobs' });
    expect(map.edges[0]).toMatchObject({
      source: 'channel:rabbitmq/prod/jobs',
      lag: 4,
      consumers: ['payments-worker'],
    });
  });

  it('leaves the map as it is without groups', () => {
    const state = createTopology();
    observeEvent(state, event('orders', 'order-service', 'm1'));
    const before = snapshotTopology(state, 1_000_000);
    expect(withConsumers(before, [])).toBe(before);
  });
});
