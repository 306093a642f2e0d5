import type { Topology, TopologyEdge, TopologyNode } from '@flowscope/shared';

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
