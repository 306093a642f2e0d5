import {
  channelNodeId,
  serviceNodeId,
  stepOf,
  type Flow,
  type FlowEvent,
  type Topology,
  type TopologyEdge,
  type TopologyNode,
} from '@flowscope/shared';

type TourFlow = Pick<Flow, 'kind' | 'hops'> & { readonly events: readonly FlowEvent[] };

/** The 0-based index a `?step=` value (1-based) names, clamped to the flow; anything unreadable is the first. */
export function stepIndex(param: string | null, count: number): number {
  if (count <= 0) return 0;
  const n = param === null ? NaN : Number.parseInt(param, 10);
  if (!Number.isFinite(n)) return 0;
  return Math.min(Math.max(n, 1), count) - 1;
}

export type TourMove = 'previous' | 'next' | 'first' | 'last' | 'exit';

/** What a key does in the tour: ←/k previous, →/j next, Home/End, Esc back to the trace. */
export function tourMoveFor(key: string): TourMove | null {
  switch (key) {
    case 'ArrowLeft':
    case 'k':
      return 'previous';
    case 'ArrowRight':
    case 'j':
      return 'next';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Escape':
      return 'exit';
    default:
      return null;
  }
}

/** The index after a move (exit leaves it as is). */
export function applyMove(index: number, move: TourMove, count: number): number {
  const last = Math.max(0, count - 1);
  switch (move) {
    case 'previous':
      return Math.max(0, index - 1);
    case 'next':
      return Math.min(last, index + 1);
    case 'first':
      return 0;
    case 'last':
      return last;
    case 'exit':
      return index;
  }
}

export type TourStep = Readonly<{
  index: number;
  count: number;
  event: FlowEvent;
  /** `type@channel`, as flow kinds name their steps. */
  step: string;
  /** Map node ids: the producing service (when known), the channel, and the services that reacted to it. */
  producerNodeId: string | null;
  channelNodeId: string;
  consumerNodeIds: readonly string[];
  /** Time from this event to the next step (hop latency when linked, else time order); null at the end. */
  nextInMs: number | null;
  /** Time from the previous step to this one; null at the start. */
  sincePreviousMs: number | null;
}>;

/** Everything the tour shows for the event at `index`, or null when the flow has no such event. */
export function tourStep(flow: TourFlow, index: number): TourStep | null {
  const event = flow.events[index];
  if (!event) return null;
  const next = flow.events[index + 1];
  const previous = flow.events[index - 1];
  const between = (a: FlowEvent, b: FlowEvent) => {
    const hop = flow.hops.find((h) => h.from === a.id && h.to === b.id);
    return hop ? hop.latencyMs : Math.max(0, b.timestamp - a.timestamp);
  };
  const consumers = new Set<string>();
  for (const hop of flow.hops) if (hop.from === event.id && hop.service) consumers.add(serviceNodeId(hop.service));
  return {
    index,
    count: flow.events.length,
    event,
    step: stepOf(event),
    producerNodeId: event.producer ? serviceNodeId(event.producer) : null,
    channelNodeId: channelNodeId(event.source.broker, event.source.cluster, event.channel),
    consumerNodeIds: [...consumers].sort(),
    nextInMs: next ? between(event, next) : null,
    sincePreviousMs: previous ? between(previous, event) : null,
  };
}

export type TourHighlight = Readonly<{ nodes: ReadonlySet<string>; edges: ReadonlySet<string> }>;

/** The nodes and edges of a step on the map: producer → channel, and channel → the services that reacted. */
export function tourHighlight(step: TourStep, edges: readonly TopologyEdge[]): TourHighlight {
  const nodes = new Set<string>([step.channelNodeId]);
  if (step.producerNodeId) nodes.add(step.producerNodeId);
  for (const c of step.consumerNodeIds) nodes.add(c);
  const lit = new Set<string>();
  for (const e of edges) {
    const produced = e.kind === 'produces' && e.source === step.producerNodeId && e.target === step.channelNodeId;
    const consumed =
      e.kind === 'consumes' && e.source === step.channelNodeId && step.consumerNodeIds.includes(e.target);
    if (produced || consumed) lit.add(e.id);
  }
  return { nodes, edges: lit };
}

/**
 * A map of just this flow, for when the live map does not know its channels (a flow from a replay,
 * or services gone since): producers → channels from the events, channels → services from the hops.
 */
export function flowTopology(flow: TourFlow): Topology {
  const nodes = new Map<string, TopologyNode>();
  const edges = new Map<string, TopologyEdge>();
  const node = (id: string, n: Omit<TopologyNode, 'id' | 'eventCount' | 'rate' | 'lastSeenAt'>, at: number) => {
    const prev = nodes.get(id);
    nodes.set(id, { ...n, id, eventCount: (prev?.eventCount ?? 0) + 1, rate: 0, lastSeenAt: at });
  };
  const edge = (source: string, target: string, kind: TopologyEdge['kind'], at: number) => {
    const id = `${source}->${target}`;
    const prev = edges.get(id);
    edges.set(id, {
      id,
      source,
      target,
      kind,
      evidence: ['header'],
      count: (prev?.count ?? 0) + 1,
      confidence: 1,
      rate: 0,
      lastSeenAt: at,
    });
  };
  const byId = new Map(flow.events.map((e) => [e.id, e]));
  for (const e of flow.events) {
    const channel = channelNodeId(e.source.broker, e.source.cluster, e.channel);
    node(
      channel,
      { kind: 'channel', name: e.channel, broker: e.source.broker, cluster: e.source.cluster },
      e.timestamp,
    );
    if (e.producer) {
      const service = serviceNodeId(e.producer);
      node(service, { kind: 'service', name: e.producer }, e.timestamp);
      edge(service, channel, 'produces', e.timestamp);
    }
  }
  for (const h of flow.hops) {
    const from = byId.get(h.from);
    if (!from || !h.service) continue;
    const service = serviceNodeId(h.service);
    if (!nodes.has(service)) node(service, { kind: 'service', name: h.service }, from.timestamp);
    edge(channelNodeId(from.source.broker, from.source.cluster, from.channel), service, 'consumes', from.timestamp);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** The live map when it knows every channel of the flow, else a map of the flow alone. */
export function tourTopology(flow: TourFlow, live: Topology | null): Topology {
  if (live) {
    const known = new Set(live.nodes.map((n) => n.id));
    const all = flow.events.every((e) => known.has(channelNodeId(e.source.broker, e.source.cluster, e.channel)));
    if (all) return live;
  }
  return flowTopology(flow);
}
