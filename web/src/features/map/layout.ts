import { Graph, layout } from '@dagrejs/dagre';
import type { Topology, TopologyEdge, TopologyNode } from '@flowscope/shared';

export type NodeKind = TopologyNode['kind'];
export type Point = Readonly<{ x: number; y: number }>;

/** Fixed node sizes: dagre needs them up front and React Flow then never has to measure. */
export const NODE_SIZE: Readonly<Record<NodeKind, { width: number; height: number }>> = {
  service: { width: 200, height: 56 },
  channel: { width: 184, height: 58 },
};

/** What the layout depends on: node ids and kinds, and which nodes are joined. Not rates or counts. */
export type LayoutGraph = Readonly<{
  /** `origin`: a service that produces clearly more than it consumes, where flows start. */
  nodes: readonly Readonly<{ id: string; kind: NodeKind; origin?: boolean }>[];
  /** `labelled`: the edge's label is always shown (lag, a route's keys), so it gets room between its nodes. */
  edges: readonly Readonly<{ id: string; source: string; target: string; labelled?: boolean }>[];
}>;

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const ORIGIN_RATIO = 1.5;

/** Edges whose label is always shown: a consumer's lag, a route's keys or its dead letters. */
const alwaysLabelled = (e: TopologyEdge) =>
  e.lag !== undefined ||
  (e.kind === 'routes' && (e.evidence.includes('dead-letter') || (e.labels ?? []).some(Boolean)));

/** The structure of a topology, sorted by id; edges to unknown nodes are left out. */
export function layoutGraphOf(topology: Topology): LayoutGraph {
  const known = new Set(topology.nodes.map((n) => n.id));
  const live = topology.edges.filter((e) => known.has(e.source) && known.has(e.target));
  const produced = new Map<string, number>();
  const consumed = new Map<string, number>();
  for (const e of live) {
    if (e.kind === 'produces') produced.set(e.source, (produced.get(e.source) ?? 0) + e.count);
    else if (e.kind === 'consumes') consumed.set(e.target, (consumed.get(e.target) ?? 0) + e.count);
  }
  const nodes = topology.nodes
    .map(({ id, kind }) => {
      const out = produced.get(id) ?? 0;
      const origin = kind === 'service' && out > 0 && out >= ORIGIN_RATIO * (consumed.get(id) ?? 0);
      return origin ? { id, kind, origin } : { id, kind };
    })
    .sort(byId);
  const edges = live
    .map((e) => {
      const { id, source, target } = e;
      return alwaysLabelled(e) ? { id, source, target, labelled: true } : { id, source, target };
    })
    .sort(byId);
  return { nodes, edges };
}

/** Changes exactly when a re-layout is needed: a node or an edge appears or goes away, or an edge gains its lag label. */
export function layoutKey(graph: LayoutGraph): string {
  return `${graph.nodes.map((n) => n.id).join('\n')}\n--\n${graph.edges.map((e) => (e.labelled ? `${e.id} (labelled)` : e.id)).join('\n')}`;
}

/** Top-left corner of every node, and the route dagre found for every edge (around the nodes). */
export type GraphLayout = Readonly<{
  positions: ReadonlyMap<string, Point>;
  routes: ReadonlyMap<string, readonly Point[]>;
}>;

export const EMPTY_LAYOUT: GraphLayout = { positions: new Map(), routes: new Map() };

/**
 * Layered left-to-right layout. Deterministic: the same graph (in any input order) gives the
 * same positions, because nodes and edges are fed to dagre sorted by id. Origins go first:
 * dagre breaks cycles depth-first in node order, so flows then read from their origin.
 * Positions are top-left corners, as React Flow expects. Routes matter for edges that point
 * backwards (cycles): drawn straight they would cut across the whole map. A labelled edge spans
 * two ranks, so its always-shown label sits in the gap instead of under a node.
 */
export function layoutGraph(graph: LayoutGraph): GraphLayout {
  const g = new Graph({ multigraph: true });
  g.setGraph({
    rankdir: 'LR',
    nodesep: 28,
    ranksep: 50,
    edgesep: 14,
    marginx: 20,
    marginy: 20,
    ranker: 'network-simplex',
  });
  g.setDefaultEdgeLabel(() => ({}));

  const nodes = [...graph.nodes].sort((a, b) => Number(b.origin ?? false) - Number(a.origin ?? false) || byId(a, b));
  const edges = [...graph.edges].sort(byId);
  for (const n of nodes) g.setNode(n.id, { ...NODE_SIZE[n.kind] });
  for (const e of edges) {
    if (g.hasNode(e.source) && g.hasNode(e.target))
      g.setEdge(e.source, e.target, { minlen: e.labelled ? 2 : 1, weight: 1 }, e.id);
  }
  layout(g);

  const positions = new Map<string, Point>();
  for (const n of nodes) {
    const laid = g.node(n.id) as { x?: number; y?: number } | undefined;
    const size = NODE_SIZE[n.kind];
    positions.set(n.id, {
      x: Math.round((laid?.x ?? 0) - size.width / 2),
      y: Math.round((laid?.y ?? 0) - size.height / 2),
    });
  }
  const routes = new Map<string, readonly Point[]>();
  for (const e of edges) {
    const label = g.edge({ v: e.source, w: e.target, name: e.id }) as { points?: Point[] } | undefined;
    if (label?.points && label.points.length >= 2) {
      routes.set(
        e.id,
        label.points.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })),
      );
    }
  }
  return { positions, routes };
}
