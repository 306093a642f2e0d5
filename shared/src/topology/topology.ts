import { causeRefs } from '../correlation/refs.js';
import type { Consumer } from '../model/consumer.js';
import type { FlowEvent } from '../model/flowEvent.js';
import {
  channelNodeId,
  serviceNodeId,
  type EdgeEvidence,
  type Topology,
  type TopologyEdge,
  type TopologyNode,
} from '../model/topology.js';

/** Rates are averaged over this many one-second buckets. */
export const RATE_WINDOW_S = 10;
/** How many recent message ids are remembered to resolve causation links. */
const CAUSE_INDEX_LIMIT = 50_000;

type Counter = { count: number; lastSeenAt: number; buckets: Map<number, number> };
type NodeAcc = Counter & Omit<TopologyNode, 'eventCount' | 'rate' | 'lastSeenAt'>;
type EdgeAcc = Counter & {
  id: string;
  source: string;
  target: string;
  kind: TopologyEdge['kind'];
  evidence: Set<EdgeEvidence>;
};

/**
 * Accumulates what has been observed into a map of services and channels.
 * Invariants: every edge joins two known nodes; a `produces` edge goes service → channel and a
 * `consumes` edge channel → service; counts only grow. The state is owned by one caller and
 * updated in place (it sees every event); `snapshot` returns immutable plain data.
 */
export type TopologyState = {
  readonly nodes: Map<string, NodeAcc>;
  readonly edges: Map<string, EdgeAcc>;
  /** message id, event id or span id → channel node id of that message; FIFO-bounded. */
  readonly causes: Map<string, string>;
  /** Insertion order of `causes` as a ring, so eviction is O(1) (Map front-deletes are not). */
  readonly causeRing: (string | undefined)[];
  causeNext: number;
  /** Causes named before they were seen (another partition or topic was read first) → services waiting. */
  readonly waiting: Map<string, string[]>;
};

export const createTopology = (): TopologyState => ({
  nodes: new Map(),
  edges: new Map(),
  causes: new Map(),
  causeRing: new Array<string | undefined>(CAUSE_INDEX_LIMIT),
  causeNext: 0,
  waiting: new Map(),
});

function bump(c: Counter, at: number) {
  c.count += 1;
  c.lastSeenAt = Math.max(c.lastSeenAt, at);
  const second = Math.floor(at / 1000);
  c.buckets.set(second, (c.buckets.get(second) ?? 0) + 1);
  if (c.buckets.size > RATE_WINDOW_S * 2) {
    for (const s of c.buckets.keys()) if (s <= second - RATE_WINDOW_S) c.buckets.delete(s);
  }
}

function node(state: TopologyState, id: string, init: () => Omit<NodeAcc, keyof Counter>): NodeAcc {
  let n = state.nodes.get(id);
  if (!n) {
    n = { ...init(), count: 0, lastSeenAt: 0, buckets: new Map() };
    state.nodes.set(id, n);
  }
  return n;
}

function edge(
  state: TopologyState,
  kind: TopologyEdge['kind'],
  source: string,
  target: string,
  evidence: EdgeEvidence,
  at: number,
) {
  const id = `${kind}:${source}->${target}`;
  let e = state.edges.get(id);
  if (!e) {
    e = { id, source, target, kind, evidence: new Set(), count: 0, lastSeenAt: 0, buckets: new Map() };
    state.edges.set(id, e);
  }
  e.evidence.add(evidence);
  bump(e, at);
}

function remember(state: TopologyState, id: string | undefined, channelId: string) {
  if (!id || state.causes.has(id)) return;
  const slot = state.causeNext;
  const evicted = state.causeRing[slot];
  if (evicted !== undefined) state.causes.delete(evicted);
  state.causeRing[slot] = id;
  state.causeNext = (slot + 1) % CAUSE_INDEX_LIMIT;
  state.causes.set(id, channelId);
}

/**
 * Records one event: its channel, its producer (from headers) with a `produces` edge, and, when
 * its causation id names a message seen earlier, a `consumes` edge from that message's channel
 * to this event's producer (the producer must have read it to react).
 */
export function observeEvent(state: TopologyState, event: FlowEvent): TopologyState {
  const at = event.receivedAt;
  const { broker, cluster } = event.source;
  const channelId = channelNodeId(broker, cluster, event.channel);
  bump(
    node(state, channelId, () => ({ id: channelId, kind: 'channel', name: event.channel, broker, cluster })),
    at,
  );

  if (event.producer) {
    const serviceId = serviceNodeId(event.producer);
    const producer = event.producer;
    bump(
      node(state, serviceId, () => ({ id: serviceId, kind: 'service', name: producer })),
      at,
    );
    edge(state, 'produces', serviceId, channelId, 'header', at);

    const cause = event.correlation.causationId;
    const causeChannel = cause ? state.causes.get(cause) : undefined;
    if (causeChannel && state.nodes.has(causeChannel)) {
      edge(state, 'consumes', causeChannel, serviceId, 'inferred-causality', at);
    } else if (cause && state.waiting.size < CAUSE_INDEX_LIMIT) {
      const list = state.waiting.get(cause) ?? [];
      list.push(serviceId);
      state.waiting.set(cause, list);
    }
  }

  for (const ref of causeRefs(event)) {
    remember(state, ref, channelId);
    // The effect was seen first: now that its cause is known, the consumer edge can be drawn.
    for (const serviceId of state.waiting.get(ref) ?? [])
      edge(state, 'consumes', channelId, serviceId, 'inferred-causality', at);
    state.waiting.delete(ref);
  }
  return state;
}

/** Inferred edges reach 0.5 after 3 observations and 0.9 after 27; any direct evidence is certain. */
const confidenceOf = (e: EdgeAcc) =>
  [...e.evidence].some((x) => x !== 'inferred-causality') ? 1 : Math.round((e.count / (e.count + 3)) * 100) / 100;

const rateOf = (c: Counter, now: number) => {
  const current = Math.floor(now / 1000);
  let sum = 0;
  // Only whole seconds: the current, partial second would make rates flicker.
  for (const [s, n] of c.buckets) if (s < current && s >= current - RATE_WINDOW_S) sum += n;
  return Math.round((sum / RATE_WINDOW_S) * 10) / 10;
};

/** Immutable view of the map at time `now` (for rates), nodes and edges sorted by id. */
export function snapshotTopology(state: TopologyState, now: number): Topology {
  const nodes: TopologyNode[] = [...state.nodes.values()]
    .map(({ buckets: _b, count, lastSeenAt, ...rest }) => ({
      ...rest,
      eventCount: count,
      lastSeenAt,
      rate: rateOf({ buckets: _b, count, lastSeenAt }, now),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const edges: TopologyEdge[] = [...state.edges.values()]
    .map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      kind: e.kind,
      evidence: [...e.evidence].sort(),
      confidence: confidenceOf(e),
      count: e.count,
      rate: rateOf(e, now),
      lastSeenAt: e.lastSeenAt,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return { nodes, edges };
}

/**
 * The observed map plus what the brokers say about consumers: each consumer becomes a `consumes`
 * edge from every channel it reads to the service it is named as, with evidence
 * `consumer-group` (the broker reports it), its lag and its consumption rate. An edge already
 * inferred from causality for the same service gains the evidence (and becomes certain). Pure;
 * `topology` is not changed.
 */
export function withConsumers(topology: Topology, consumers: readonly Consumer[]): Topology {
  if (consumers.length === 0) return topology;
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
  const edges = new Map(topology.edges.map((e) => [e.id, e]));
  for (const c of consumers) {
    const serviceId = serviceNodeId(c.service);
    if (!nodes.has(serviceId))
      nodes.set(serviceId, { id: serviceId, kind: 'service', name: c.service, eventCount: 0, rate: 0, lastSeenAt: 0 });
    for (const ch of c.channels) {
      const channelId = channelNodeId(c.broker, c.cluster, ch.channel);
      if (!nodes.has(channelId)) {
        nodes.set(channelId, {
          id: channelId,
          kind: 'channel',
          name: ch.channel,
          broker: c.broker,
          cluster: c.cluster,
          eventCount: 0,
          rate: 0,
          lastSeenAt: 0,
        });
      }
      const id = `consumes:${channelId}->${serviceId}`;
      const prev = edges.get(id);
      const lag = prev?.lag == null ? ch.lag : ch.lag === null ? prev.lag : prev.lag + ch.lag;
      edges.set(id, {
        id,
        source: channelId,
        target: serviceId,
        kind: 'consumes',
        evidence: [...new Set([...(prev?.evidence ?? []), 'consumer-group' as const])].sort(),
        count: prev?.count ?? 0,
        confidence: 1,
        rate: Math.max(prev?.rate ?? 0, ch.rate),
        lastSeenAt: Math.max(prev?.lastSeenAt ?? 0, c.updatedAt),
        consumers: [...(prev?.consumers ?? []), c.id],
        lag,
      });
    }
  }
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return { nodes: [...nodes.values()].sort(byId), edges: [...edges.values()].sort(byId), consumers };
}
