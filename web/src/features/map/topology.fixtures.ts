import type { Consumer, Topology, TopologyEdge, TopologyNode } from '@flowscope/shared';

const service = (name: string, rate = 1): TopologyNode => ({
  id: `service:${name}`,
  kind: 'service',
  name,
  eventCount: 10,
  rate,
  lastSeenAt: 1_000,
});
const channel = (name: string, rate = 1): TopologyNode => ({
  id: `channel:demo/shop/${name}`,
  kind: 'channel',
  name,
  broker: 'demo',
  cluster: 'shop',
  eventCount: 10,
  rate,
  lastSeenAt: 1_000,
});
const edge = (
  kind: TopologyEdge['kind'],
  source: string,
  target: string,
  evidence: TopologyEdge['evidence'],
  count = 5,
): TopologyEdge => ({
  id: `${kind}:${source}->${target}`,
  source,
  target,
  kind,
  evidence,
  count,
  confidence: evidence.includes('inferred-causality') ? 0.6 : 1,
  rate: 0.5,
  lastSeenAt: 1_000,
});

/**
 * A small shop: orders → inventory → payments → back to the order service, which places twice
 * as many order events as it consumes payments (it is where flows start).
 */
export function shopTopology(rate = 1): Topology {
  return {
    nodes: [
      service('order-service', rate),
      service('inventory-service', rate),
      service('payment-service', rate),
      channel('orders', rate),
      channel('inventory', rate),
      channel('payments', rate),
    ],
    edges: [
      edge('produces', 'service:order-service', 'channel:demo/shop/orders', ['header'], 10),
      edge('produces', 'service:inventory-service', 'channel:demo/shop/inventory', ['header']),
      edge('produces', 'service:payment-service', 'channel:demo/shop/payments', ['header']),
      edge('consumes', 'channel:demo/shop/orders', 'service:inventory-service', ['inferred-causality']),
      edge('consumes', 'channel:demo/shop/inventory', 'service:payment-service', ['inferred-causality']),
      edge('consumes', 'channel:demo/shop/payments', 'service:order-service', ['consumer-group', 'inferred-causality']),
    ],
  };
}

/** A Kafka consumer group `ledger-app` of service `ledger` on cluster `prod`, reading `orders` (two partitions). */
export function ledgerGroup(overrides: Partial<Consumer> = {}): Consumer {
  return {
    source: 'kafka:prod',
    broker: 'kafka',
    cluster: 'prod',
    kind: 'consumer-group',
    id: 'ledger-app',
    service: 'ledger',
    state: 'Stable',
    members: [
      {
        clientId: 'ledger-1',
        host: '/10.0.0.7',
        assignments: [{ channel: 'orders', partitions: [0, 1] }],
      },
    ],
    channels: [
      {
        channel: 'orders',
        partitions: [
          { partition: 0, committed: '120', high: '123', lag: 3 },
          { partition: 1, committed: '98', high: '100', lag: 2 },
        ],
        lag: 5,
        rate: 2,
      },
    ],
    lag: 5,
    history: [
      { at: 10_000, lag: 0 },
      { at: 20_000, lag: 12 },
      { at: 30_000, lag: 5 },
    ],
    updatedAt: 30_000,
    ...overrides,
  };
}

/**
 * A RabbitMQ queue `billing-jobs` of service `billing` on cluster `shop`: 42 messages ready, the oldest
 * waiting 95 s, 3 delivered but unacknowledged, one consumer; no partitions.
 */
export function billingQueue(overrides: Partial<Consumer> = {}): Consumer {
  return {
    source: 'rabbitmq:shop',
    broker: 'rabbitmq',
    cluster: 'shop',
    kind: 'queue',
    id: 'billing-jobs',
    service: 'billing',
    state: 'running',
    members: [{ clientId: 'billing-worker-1', host: '10.0.0.9', assignments: [] }],
    channels: [{ channel: 'billing-jobs', lag: 42, lagSeconds: 95, rate: 1.5, unacked: 3 }],
    lag: 42,
    history: [
      { at: 10_000, lag: 40 },
      { at: 20_000, lag: 42 },
    ],
    updatedAt: 30_000,
    ...overrides,
  };
}

/**
 * The shop plus a `ledger` service known only from its Kafka consumer group (no events of its own),
 * consuming `orders` with lag 5.
 */
export function shopWithGroupTopology(lag: number | null = 5): Topology {
  const shop = shopTopology();
  const ledger: TopologyNode = { ...service('ledger'), eventCount: 0, rate: 0, lastSeenAt: 0 };
  const consumes: TopologyEdge = {
    ...edge('consumes', 'channel:demo/shop/orders', 'service:ledger', ['consumer-group'], 0),
    rate: 2,
    consumers: ['ledger-app'],
    lag,
  };
  return {
    nodes: [...shop.nodes, ledger],
    edges: [...shop.edges, consumes],
    consumers: [ledgerGroup({ lag, cluster: 'shop' })],
  };
}
