import { byId, type Topology, type TopologyEdge, type TopologyNode } from '../model/topology.js';

/** How much of the map is drawn; the rest is grouped (nodes) or counted as hidden (edges). */
export type MapBound = { readonly services: number; readonly channels: number; readonly edges: number };

/**
 * The default bound: a map a browser lays out and draws at once (a few hundred nodes), however many
 * producers and channels a cluster has (20,000 producers across 5,000 channels made the whole map
 * 7.6 MB a second and froze the page for minutes).
 */
export const MAP_BOUND: MapBound = { services: 150, channels: 250, edges: 1500 };

/** Ids of the grouped nodes: never an id of a real node, which starts `service:` or `channel:`. */
export const OTHER_SERVICES_ID = 'others:services';
export const OTHER_CHANNELS_ID = 'others:channels';

/** Busiest first: most events, then most recently seen; ids break ties so the choice is stable. */
const busiest = (a: TopologyNode, b: TopologyNode) =>
  b.eventCount - a.eventCount || b.lastSeenAt - a.lastSeenAt || byId(a, b);

function group(id: string, kind: 'service' | 'channel', nodes: readonly TopologyNode[]): TopologyNode {
  let eventCount = 0;
  let rate = 0;
  let lastSeenAt = 0;
  for (const n of nodes) {
    eventCount += n.eventCount;
    rate += n.rate;
    lastSeenAt = Math.max(lastSeenAt, n.lastSeenAt);
  }
  const noun = kind === 'service' ? 'services' : 'channels';
  return {
    id,
    kind,
    name: `${nodes.length.toLocaleString('en')} other ${noun}`,
    eventCount,
    rate: Math.round(rate * 10) / 10,
    lastSeenAt,
    grouped: nodes.length,
  };
}

/** Keeps the busiest `keep` nodes; the rest become one grouped node, recorded in `into`. */
function keepBusiest(
  nodes: TopologyNode[],
  keep: number,
  groupId: string,
  kind: 'service' | 'channel',
  into: Map<string, string>,
): TopologyNode[] {
  if (nodes.length <= keep) return nodes;
  const sorted = [...nodes].sort(busiest);
  const rest = sorted.slice(keep);
  for (const n of rest) into.set(n.id, groupId);
  return [...sorted.slice(0, keep), group(groupId, kind, rest)];
}

/** Edges between the same two nodes after grouping become one: counts and rates add up. */
function join(id: string, source: string, target: string, edges: readonly TopologyEdge[]): TopologyEdge {
  const evidence = new Set<TopologyEdge['evidence'][number]>();
  const consumers = new Set<string>();
  const labels = new Set<string>();
  let count = 0;
  let rate = 0;
  let confidence = 0;
  let lastSeenAt = 0;
  let lag: number | null | undefined;
  for (const e of edges) {
    for (const x of e.evidence) evidence.add(x);
    for (const c of e.consumers ?? []) consumers.add(c);
    for (const l of e.labels ?? []) labels.add(l);
    count += e.count;
    rate += e.rate;
    confidence = Math.max(confidence, e.confidence);
    lastSeenAt = Math.max(lastSeenAt, e.lastSeenAt);
    if (e.lag != null) lag = (lag ?? 0) + e.lag;
    else if (e.lag === null && lag === undefined) lag = null;
  }
  const first = edges[0] as TopologyEdge;
  return {
    id,
    source,
    target,
    kind: first.kind,
    evidence: [...evidence].sort(),
    count,
    confidence,
    rate: Math.round(rate * 10) / 10,
    lastSeenAt,
    ...(consumers.size > 0 ? { consumers: [...consumers] } : {}),
    ...(labels.size > 0 ? { labels: [...labels] } : {}),
    ...(lag !== undefined ? { lag } : {}),
  };
}

/** The edges with grouped ends moved onto the group's node, those then between the same nodes joined. */
function regroupEdges(edges: readonly TopologyEdge[], moved: ReadonlyMap<string, string>): TopologyEdge[] {
  const out: TopologyEdge[] = [];
  const joined = new Map<string, { source: string; target: string; edges: TopologyEdge[] }>();
  for (const e of edges) {
    const source = moved.get(e.source) ?? e.source;
    const target = moved.get(e.target) ?? e.target;
    if (source === e.source && target === e.target) {
      out.push(e);
      continue;
    }
    const id = `${e.kind}:${source}->${target}`;
    const group = joined.get(id);
    if (group) group.edges.push(e);
    else joined.set(id, { source, target, edges: [e] });
  }
  for (const [id, g] of joined) out.push(join(id, g.source, g.target, g.edges));
  return out;
}

/**
 * The map within `bound`: the busiest services and channels as they are, the others folded into
 * one `others:services` and one `others:channels` node (their edges joined onto those), and at
 * most `bound.edges` edges, the least-used left out. `hidden` says what was folded or left out,
 * so the page can say so. A map within the bound comes back as it was.
 */
export function boundTopology(topology: Topology, bound: MapBound = MAP_BOUND): Topology {
  const services = topology.nodes.filter((n) => n.kind === 'service');
  const channels = topology.nodes.filter((n) => n.kind === 'channel');
  if (services.length <= bound.services && channels.length <= bound.channels && topology.edges.length <= bound.edges)
    return topology;
  const moved = new Map<string, string>();
  const nodes = [
    ...keepBusiest(services, bound.services, OTHER_SERVICES_ID, 'service', moved),
    ...keepBusiest(channels, bound.channels, OTHER_CHANNELS_ID, 'channel', moved),
  ].sort(byId);
  let kept = regroupEdges(topology.edges, moved);
  const droppedEdges = Math.max(0, kept.length - bound.edges);
  if (droppedEdges > 0)
    kept = kept.sort((a, b) => b.count - a.count || b.lastSeenAt - a.lastSeenAt || byId(a, b)).slice(0, bound.edges);
  return {
    nodes,
    edges: kept.sort(byId),
    ...(topology.consumers ? { consumers: topology.consumers } : {}),
    hidden: {
      services: Math.max(0, services.length - bound.services),
      channels: Math.max(0, channels.length - bound.channels),
      edges: droppedEdges,
    },
  };
}
