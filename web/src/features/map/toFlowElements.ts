import {
  channelNodeId,
  serviceNodeId,
  type Annotation,
  type BrokerKind,
  type Consumer,
  type ConsumerKind,
  type EdgeEvidence,
  type Topology,
  type TopologyEdge,
} from '@flowscope/shared';
import { MarkerType, type Edge, type Node } from '@xyflow/react';
import { annotationTarget } from '../annotations';
import { NODE_SIZE, type GraphLayout, type Point } from './layout';
import { noteOf, type NodeNote } from './nodeNote';

type ServiceNodeData = {
  name: string;
  rate: number;
  eventCount: number;
  /** The stream is filtered to this node. */
  active: boolean;
  /** Someone's note on this service or channel. */
  note?: NodeNote;
  /** A service: how far behind the producers of what it reads it runs (p95 ms, the slowest channel's). */
  behindMs?: number;
};
type ChannelNodeData = ServiceNodeData & { broker?: BrokerKind; cluster?: string };

export type ServiceFlowNode = Node<ServiceNodeData, 'service'>;
export type ChannelFlowNode = Node<ChannelNodeData, 'channel'>;
export type MapFlowNode = ServiceFlowNode | ChannelFlowNode;

export type MapEdgeData = {
  kind: TopologyEdge['kind'];
  evidence: readonly EdgeEvidence[];
  /** Only inferred from causation (no header, binding or consumer group says so). */
  inferred: boolean;
  count: number;
  rate: number;
  /** Names of the nodes it joins, for tooltips and tests. */
  sourceName: string;
  targetName: string;
  /** Consumers the broker reports behind a consumes edge, and their summed lag (null: not known yet). */
  consumers?: readonly EdgeConsumer[];
  lag?: number | null;
  /** What selects a routes edge's messages (routing keys, binding arguments), as the broker reports them. */
  labels?: readonly string[];
  /** Route around the nodes from the layout; absent until laid out. */
  route?: readonly Point[];
};
export type MapFlowEdge = Edge<MapEdgeData, 'flow'>;

/** A consumer behind an edge, as its tooltip names it; kind and broker when the topology lists it. */
type EdgeConsumer = Readonly<{ id: string; kind?: ConsumerKind; broker?: BrokerKind }>;

/** How an edge is drawn: by its kind, except that a dead-letter route stands out from bindings. */
export type EdgeStyle = TopologyEdge['kind'] | 'dead-letter';

export const edgeStyle = (data: Pick<MapEdgeData, 'kind' | 'evidence'>): EdgeStyle =>
  data.kind === 'routes' && data.evidence.includes('dead-letter') ? 'dead-letter' : data.kind;

export const EDGE_COLORS: Readonly<Record<EdgeStyle, string>> = {
  produces: '#5b9dff',
  consumes: '#9d8cf5',
  routes: '#f2b84b',
  'dead-letter': '#f26d6d',
};

const ORIGIN: Point = { x: 0, y: 0 };
const NO_NOTES: ReadonlyMap<string, Annotation> = new Map();
const NO_BEHIND: ReadonlyMap<string, number> = new Map();

/** The annotation target of a map node: `service:<name>` or `channel:<node id>`. */
const nodeTarget = (n: Topology['nodes'][number]) =>
  n.kind === 'service' ? annotationTarget.service(n.name) : annotationTarget.channel(n.id);

/**
 * The consumers an edge names, with their kind: by id among the service's consumers, preferring the
 * one that reads the edge's channel (two brokers may use the same name). One the topology does not
 * list keeps the broker of the edge's channel, when known.
 */
function edgeConsumers(
  edge: TopologyEdge,
  consumers: readonly Consumer[] = [],
  channelBroker?: BrokerKind,
): EdgeConsumer[] {
  const reads = (c: Consumer) =>
    c.channels.some((ch) => channelNodeId(c.broker, c.cluster, ch.channel) === edge.source);
  return (edge.consumers ?? []).map((id) => {
    const mine = consumers.filter((c) => c.id === id && serviceNodeId(c.service) === edge.target);
    const found = mine.find(reads) ?? mine[0];
    if (found) return { id, kind: found.kind, broker: found.broker };
    return channelBroker ? { id, broker: channelBroker } : { id };
  });
}

/**
 * Turns a topology snapshot and its layout into React Flow elements. Pure: the same
 * inputs give equal outputs; rates, counts and notes only change `data`, never positions or sizes.
 */
export function toFlowElements(
  topology: Topology,
  layout: GraphLayout,
  activeNodeId: string | null,
  /** Annotations by target; a node with one shows its note. */
  notes: ReadonlyMap<string, Annotation> = NO_NOTES,
  /** How far behind services run (p95 ms), by service name. */
  behind: ReadonlyMap<string, number> = NO_BEHIND,
): { nodes: MapFlowNode[]; edges: MapFlowEdge[] } {
  const nodes: MapFlowNode[] = topology.nodes.map((n) => {
    const position = layout.positions.get(n.id) ?? ORIGIN;
    const size = NODE_SIZE[n.kind];
    const base: ServiceNodeData = {
      name: n.name,
      rate: n.rate,
      eventCount: n.eventCount,
      active: n.id === activeNodeId,
    };
    const note = noteOf(notes.get(nodeTarget(n)));
    if (note) base.note = note;
    // Sizes are fixed, so say so: without `measured` React Flow re-measures every node each update.
    const common = {
      id: n.id,
      position,
      width: size.width,
      height: size.height,
      measured: { ...size },
      draggable: false,
      selectable: false,
    };
    if (n.kind === 'service') {
      const behindMs = behind.get(n.name);
      return { ...common, type: 'service', data: behindMs === undefined ? base : { ...base, behindMs } };
    }
    const data: ChannelNodeData = { ...base };
    if (n.broker !== undefined) data.broker = n.broker;
    if (n.cluster !== undefined) data.cluster = n.cluster;
    return { ...common, type: 'channel', data };
  });

  const names = new Map(topology.nodes.map((n) => [n.id, n.name]));
  const brokers = new Map(topology.nodes.map((n) => [n.id, n.broker]));
  const edges: MapFlowEdge[] = topology.edges
    .filter((e) => names.has(e.source) && names.has(e.target))
    .map((e) => {
      const inferred = e.evidence.length > 0 && e.evidence.every((ev) => ev === 'inferred-causality');
      const route = layout.routes.get(e.id);
      const data: MapEdgeData = {
        kind: e.kind,
        evidence: e.evidence,
        inferred,
        count: e.count,
        rate: e.rate,
        sourceName: names.get(e.source) ?? e.source,
        targetName: names.get(e.target) ?? e.target,
      };
      if (e.consumers) data.consumers = edgeConsumers(e, topology.consumers, brokers.get(e.source));
      if (e.lag !== undefined) data.lag = e.lag;
      if (e.labels) data.labels = e.labels;
      if (route) data.route = route;
      return {
        id: e.id,
        source: e.source,
        target: e.target,
        type: 'flow',
        selectable: false,
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, color: EDGE_COLORS[edgeStyle(e)] },
        data,
      };
    });

  return { nodes, edges };
}
