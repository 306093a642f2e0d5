import type { Annotation, Topology } from '@flowscope/shared';
import { useMemo, useState } from 'react';
import { EMPTY_LAYOUT, layoutGraph, layoutGraphOf, layoutKey, type GraphLayout } from './layout';
import { toFlowElements } from './toFlowElements';

type Cached = Readonly<{ key: string; layout: GraphLayout }>;

const EMPTY: Cached = { key: '', layout: EMPTY_LAYOUT };

/**
 * Flow elements for the topology. Layout re-runs only when a node or edge appears or goes
 * away, so the once-a-second rate updates never move anything.
 */
export function useMapElements(
  topology: Topology | null,
  activeNodeId: string | null,
  notes?: ReadonlyMap<string, Annotation>,
) {
  const graph = useMemo(() => (topology ? layoutGraphOf(topology) : null), [topology]);
  const key = graph ? layoutKey(graph) : '';
  const [cached, setCached] = useState<Cached>(EMPTY);
  let current = cached;
  if (graph && cached.key !== key) {
    // Derived state, updated during render (React's documented pattern for it).
    current = { key, layout: layoutGraph(graph) };
    setCached(current);
  }

  const elements = useMemo(
    () => (topology ? toFlowElements(topology, current.layout, activeNodeId, notes) : { nodes: [], edges: [] }),
    [topology, current.layout, activeNodeId, notes],
  );
  return { ...elements, layoutKey: current.key };
}
