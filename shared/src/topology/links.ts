import type { ChannelLink } from '../model/channelLink.js';
import { byId, channelNodeId, type Topology, type TopologyEdge, type TopologyNode } from '../model/topology.js';

const channelNode = (l: ChannelLink, name: string): TopologyNode => ({
  id: channelNodeId(l.broker, l.cluster, name),
  kind: 'channel',
  name,
  broker: l.broker,
  cluster: l.cluster,
  eventCount: 0,
  rate: 0,
  lastSeenAt: 0,
});

/**
 * The map plus the routes the brokers report between channels: each link becomes a `routes`
 * edge (channel → channel) with its kind as evidence (`binding`, `dead-letter`), certain, and its
 * label among the edge's `labels` (two bindings of one exchange to one queue make one edge with
 * two keys). A channel no event reached yet is added, so an idle exchange or queue is still
 * drawn. A link from a channel to itself is left out: channel ids do not say exchange or queue,
 * so an exchange and a queue of the same name are one node and the loop would say nothing.
 * Pure; `topology` is not changed, and is returned as it is without links.
 */
export function withLinks(topology: Topology, links: readonly ChannelLink[]): Topology {
  if (links.length === 0) return topology;
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
  const edges = new Map(topology.edges.map((e) => [e.id, e]));
  for (const l of links) {
    if (l.from === l.to) continue;
    const from = channelNode(l, l.from);
    const to = channelNode(l, l.to);
    for (const n of [from, to]) if (!nodes.has(n.id)) nodes.set(n.id, n);
    const id = `routes:${from.id}->${to.id}`;
    const prev = edges.get(id);
    const edge: TopologyEdge = {
      id,
      source: from.id,
      target: to.id,
      kind: 'routes',
      evidence: [...new Set([...(prev?.evidence ?? []), l.kind])].sort(),
      count: prev?.count ?? 0,
      confidence: 1,
      rate: prev?.rate ?? 0,
      lastSeenAt: prev?.lastSeenAt ?? 0,
      labels: [...new Set([...(prev?.labels ?? []), l.label])].sort(),
    };
    edges.set(id, edge);
  }
  const out = { nodes: [...nodes.values()].sort(byId), edges: [...edges.values()].sort(byId) };
  return topology.consumers ? { ...out, consumers: topology.consumers } : out;
}
