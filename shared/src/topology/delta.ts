import { z } from 'zod';
import { consumerSchema } from '../model/consumer.js';
import {
  byId,
  topologyEdgeSchema,
  topologyHiddenSchema,
  topologyNodeSchema,
  type Topology,
  type TopologyEdge,
  type TopologyNode,
} from '../model/topology.js';

/**
 * What changed in the map from version `from` to `to`: nodes and edges added or changed (whole),
 * the ids of those gone, and the consumers and `hidden` counts when they changed (whole; `null`:
 * gone). A quiet map's update is nearly empty; only what moved is sent.
 */
export const topologyDeltaSchema = z.object({
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  nodes: z.array(topologyNodeSchema),
  removedNodes: z.array(z.string()),
  edges: z.array(topologyEdgeSchema),
  removedEdges: z.array(z.string()),
  consumers: z.array(consumerSchema).nullable().optional(),
  hidden: topologyHiddenSchema.nullable().optional(),
});
export type TopologyDelta = Readonly<z.infer<typeof topologyDeltaSchema>>;

/** Whether two plain JSON values (nodes, edges, consumers) are the same, key order aside. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

function changes<T extends { readonly id: string }>(prev: readonly T[], next: readonly T[]) {
  const before = new Map(prev.map((x) => [x.id, x]));
  const changed: T[] = [];
  for (const x of next) {
    const old = before.get(x.id);
    before.delete(x.id);
    if (!old || !same(old, x)) changed.push(x);
  }
  return { changed, removed: [...before.keys()] };
}

/** The delta that turns `prev` (version `from`) into `next` (version `from + 1`). */
export function diffTopology(prev: Topology, next: Topology, from: number): TopologyDelta {
  const nodes = changes<TopologyNode>(prev.nodes, next.nodes);
  const edges = changes<TopologyEdge>(prev.edges, next.edges);
  return {
    from,
    to: from + 1,
    nodes: nodes.changed,
    removedNodes: nodes.removed,
    edges: edges.changed,
    removedEdges: edges.removed,
    ...(same(prev.consumers, next.consumers) ? {} : { consumers: next.consumers ? [...next.consumers] : null }),
    ...(same(prev.hidden, next.hidden) ? {} : { hidden: next.hidden ?? null }),
  };
}

function patch<T extends { readonly id: string }>(
  items: readonly T[],
  changed: readonly T[],
  removed: readonly string[],
) {
  if (changed.length === 0 && removed.length === 0) return items;
  const held = new Map(items.map((x) => [x.id, x]));
  for (const id of removed) held.delete(id);
  for (const x of changed) held.set(x.id, x);
  // Sorted by id, as every map is (snapshotTopology), so a patched map equals the full one.
  return [...held.values()].sort(byId);
}

/** `topology` with `delta` applied; parts the delta leaves alone are kept as they were (same objects). */
export function applyTopologyDelta(topology: Topology, delta: TopologyDelta): Topology {
  const consumers = delta.consumers === undefined ? topology.consumers : (delta.consumers ?? undefined);
  const hidden = delta.hidden === undefined ? topology.hidden : (delta.hidden ?? undefined);
  return {
    nodes: patch(topology.nodes, delta.nodes, delta.removedNodes),
    edges: patch(topology.edges, delta.edges, delta.removedEdges),
    ...(consumers ? { consumers } : {}),
    ...(hidden ? { hidden } : {}),
  };
}
