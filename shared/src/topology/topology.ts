import type { Consumer } from '../model/consumer.js';
import type { FlowEvent } from '../model/flowEvent.js';
import {
  byId,
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

/** Per-second counts in a ring of `RING` seconds (index: second mod RING): O(1) per event, no Map. */
const RING = 32;
type Counter = {
  count: number;
  lastSeenAt: number;
  readonly secs: Float64Array;
  readonly counts: Float64Array;
  /** The last snapshot of this node or edge, the count it had and the second it was taken in. */
  snap?: { readonly out: unknown; readonly count: number; readonly second: number };
};
type NodeAcc = Counter &
  Omit<TopologyNode, 'eventCount' | 'rate' | 'lastSeenAt'> & {
    /** Outgoing edges by target node: a service's `produces`, a channel's `consumes`. */
    readonly out: Map<NodeAcc, EdgeAcc>;
  };
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
 * updated in place (it sees every event); `snapshot` returns immutable plain data. Nodes are
 * found per event by name (no id string is built per event), edges by their nodes.
 */
export type TopologyState = {
  readonly nodes: Map<string, NodeAcc>;
  readonly edges: Map<string, EdgeAcc>;
  /** Channel name → its channel nodes by broker and cluster. */
  readonly channels: Map<string, { readonly broker: string; readonly cluster: string; readonly node: NodeAcc }[]>;
  /** Producer name → its service node. */
  readonly services: Map<string, NodeAcc>;
  /** message id, event id or span id → channel node of that message; FIFO-bounded. */
  readonly causes: Map<string, NodeAcc>;
  /** Insertion order of `causes` as a ring, so eviction is O(1) (Map front-deletes are not). */
  readonly causeRing: (string | undefined)[];
  causeNext: number;
  /** Causes named before they were seen (another partition or topic was read first) → services waiting. */
  readonly waiting: Map<string, NodeAcc[]>;
  /** Nodes and edges sorted by id as of the last snapshot (nothing is ever removed: same size, same order). */
  sorted?: { readonly nodes: readonly NodeAcc[]; readonly edges: readonly EdgeAcc[] };
};

export const createTopology = (): TopologyState => ({
  nodes: new Map(),
  edges: new Map(),
  channels: new Map(),
  services: new Map(),
  causes: new Map(),
  causeRing: new Array<string | undefined>(CAUSE_INDEX_LIMIT),
  causeNext: 0,
  waiting: new Map(),
});

const counter = (): Counter => ({
  count: 0,
  lastSeenAt: 0,
  secs: new Float64Array(RING).fill(-1),
  counts: new Float64Array(RING),
});

function bump(c: Counter, at: number) {
  c.count += 1;
  c.lastSeenAt = Math.max(c.lastSeenAt, at);
  const second = Math.floor(at / 1000);
  const i = ((second % RING) + RING) % RING;
  const held = c.secs[i] as number;
  if (held === second) c.counts[i] = (c.counts[i] as number) + 1;
  else if (held < second) {
    c.secs[i] = second;
    c.counts[i] = 1;
  }
  // An older second than the one held: at least RING s old, outside every rate window.
}

function channelNode(state: TopologyState, event: FlowEvent): NodeAcc {
  const { broker, cluster } = event.source;
  let list = state.channels.get(event.channel);
  if (!list) state.channels.set(event.channel, (list = []));
  for (const c of list) if (c.broker === broker && c.cluster === cluster) return c.node;
  const id = channelNodeId(broker, cluster, event.channel);
  // Another (broker, cluster, channel) can spell the same id ("a/b" + "c", "a" + "b/c"): one node, as the id says.
  const n: NodeAcc = state.nodes.get(id) ?? {
    id,
    kind: 'channel',
    name: event.channel,
    broker,
    cluster,
    out: new Map(),
    ...counter(),
  };
  list.push({ broker, cluster, node: n });
  state.nodes.set(id, n);
  return n;
}

function serviceNode(state: TopologyState, producer: string): NodeAcc {
  let n = state.services.get(producer);
  if (!n) {
    const id = serviceNodeId(producer);
    n = { id, kind: 'service', name: producer, out: new Map(), ...counter() };
    state.services.set(producer, n);
    state.nodes.set(id, n);
  }
  return n;
}

function edge(
  state: TopologyState,
  kind: TopologyEdge['kind'],
  source: NodeAcc,
  target: NodeAcc,
  evidence: EdgeEvidence,
  at: number,
) {
  let e = source.out.get(target);
  if (!e) {
    const id = `${kind}:${source.id}->${target.id}`;
    e = { id, source: source.id, target: target.id, kind, evidence: new Set(), ...counter() };
    source.out.set(target, e);
    state.edges.set(id, e);
  }
  e.evidence.add(evidence);
  bump(e, at);
}

function remember(state: TopologyState, id: string, channel: NodeAcc) {
  if (state.causes.has(id)) return;
  const slot = state.causeNext;
  const evicted = state.causeRing[slot];
  if (evicted !== undefined) state.causes.delete(evicted);
  state.causeRing[slot] = id;
  state.causeNext = (slot + 1) % CAUSE_INDEX_LIMIT;
  state.causes.set(id, channel);
}

/** `ref` names this event (see `causeRefs`): remember its channel, and draw the edges waiting for it. */
function seen(state: TopologyState, ref: string, channel: NodeAcc, at: number) {
  remember(state, ref, channel);
  if (state.waiting.size === 0) return;
  // The effect was seen first: now that its cause is known, the consumer edge can be drawn.
  const services = state.waiting.get(ref);
  if (!services) return;
  for (const service of services) edge(state, 'consumes', channel, service, 'inferred-causality', at);
  state.waiting.delete(ref);
}

/**
 * Records one event: its channel, its producer (from headers) with a `produces` edge, and, when
 * its causation id names a message seen earlier, a `consumes` edge from that message's channel
 * to this event's producer (the producer must have read it to react).
 */
export function observeEvent(state: TopologyState, event: FlowEvent): TopologyState {
  const at = event.receivedAt;
  const channel = channelNode(state, event);
  bump(channel, at);

  if (event.producer) {
    const service = serviceNode(state, event.producer);
    bump(service, at);
    edge(state, 'produces', service, channel, 'header', at);

    const cause = event.correlation.causationId;
    const causeChannel = cause ? state.causes.get(cause) : undefined;
    if (causeChannel) {
      edge(state, 'consumes', causeChannel, service, 'inferred-causality', at);
    } else if (cause && state.waiting.size < CAUSE_INDEX_LIMIT) {
      // One entry per service: a cause named by many events of one service stays one line.
      const list = state.waiting.get(cause);
      if (!list) state.waiting.set(cause, [service]);
      else if (!list.includes(service)) list.push(service);
    }
  }

  // The refs of `causeRefs`, without building the array per event.
  const { messageId, spanId } = event.correlation;
  seen(state, event.id, channel, at);
  if (messageId) seen(state, messageId, channel, at);
  if (spanId) seen(state, spanId, channel, at);
  return state;
}

/** Inferred edges reach 0.5 after 3 observations and 0.9 after 27; any direct evidence is certain. */
const confidenceOf = (e: EdgeAcc) =>
  [...e.evidence].some((x) => x !== 'inferred-causality') ? 1 : Math.round((e.count / (e.count + 3)) * 100) / 100;

const rateOf = (c: Counter, now: number) => {
  const current = Math.floor(now / 1000);
  let sum = 0;
  // Only whole seconds: the current, partial second would make rates flicker.
  for (let i = 0; i < RING; i++) {
    const s = c.secs[i] as number;
    if (s < current && s >= current - RATE_WINDOW_S) sum += c.counts[i] as number;
  }
  return Math.round((sum / RATE_WINDOW_S) * 10) / 10;
};

/**
 * The snapshot of `c`, made again only when it may differ: its count changed, or its rate may have
 * (an event in the rate window then or now). A map of 25,000 mostly quiet nodes is snapshotted every
 * second for live clients; building every node anew took most of that second.
 */
function cached<T>(c: Counter, now: number, make: () => T): T {
  const second = Math.floor(now / 1000);
  const snap = c.snap;
  if (snap && snap.count === c.count) {
    const quietSince = Math.floor(c.lastSeenAt / 1000) + RATE_WINDOW_S;
    if (snap.second === second || quietSince < Math.min(snap.second, second)) return snap.out as T;
  }
  const out = make();
  c.snap = { out, count: c.count, second };
  return out;
}

/** Immutable view of the map at time `now` (for rates), nodes and edges sorted by id. */
export function snapshotTopology(state: TopologyState, now: number): Topology {
  let sorted = state.sorted;
  if (!sorted || sorted.nodes.length !== state.nodes.size || sorted.edges.length !== state.edges.size) {
    sorted = state.sorted = {
      nodes: [...state.nodes.values()].sort(byId),
      edges: [...state.edges.values()].sort(byId),
    };
  }
  const nodes = sorted.nodes.map((n) =>
    cached<TopologyNode>(n, now, () => {
      const { secs: _s, counts: _c, out: _o, snap: _p, count, lastSeenAt, ...rest } = n;
      return { ...rest, eventCount: count, lastSeenAt, rate: rateOf(n, now) };
    }),
  );
  const edges = sorted.edges.map((e) =>
    cached<TopologyEdge>(e, now, () => ({
      id: e.id,
      source: e.source,
      target: e.target,
      kind: e.kind,
      evidence: [...e.evidence].sort(),
      confidence: confidenceOf(e),
      count: e.count,
      rate: rateOf(e, now),
      lastSeenAt: e.lastSeenAt,
    })),
  );
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
  return { nodes: [...nodes.values()].sort(byId), edges: [...edges.values()].sort(byId), consumers };
}
