import type { Annotation, Topology } from '@flowscope/shared';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { EMPTY_LAYOUT, layoutGraphOf, layoutKey, type GraphLayout } from './layout';
import { keepUnchangedElements, type MapElements } from './keepUnchanged';
import { cachedLayout, requestLayout, subscribeLayouts } from './layoutClient';
import { toFlowElements } from './toFlowElements';

type Shown = Readonly<{ key: string; layout: GraphLayout }>;

const EMPTY: Shown = { key: '', layout: EMPTY_LAYOUT };

type Kept = Readonly<{ from: MapElements; elements: MapElements }>;

/** Only what the layout has placed: a node that just appeared waits for its place instead of sitting at 0,0. */
function placedOnly(topology: Topology, layout: GraphLayout): Topology {
  if (topology.nodes.every((n) => layout.positions.has(n.id))) return topology;
  const nodes = topology.nodes.filter((n) => layout.positions.has(n.id));
  const placed = new Set(nodes.map((n) => n.id));
  return { ...topology, nodes, edges: topology.edges.filter((e) => placed.has(e.source) && placed.has(e.target)) };
}

/**
 * Flow elements for the topology. Layout runs (in a worker) only when a node or edge appears or
 * goes away, so the once-a-second rate updates never move anything; until a new layout is back,
 * the map keeps the last one (new nodes appear when placed) and stays usable. `pending`: a layout
 * is still running (while the first one runs nothing is placed, yet events did arrive: no "waiting" notice).
 */
export function useMapElements(
  topology: Topology | null,
  activeNodeId: string | null,
  notes?: ReadonlyMap<string, Annotation>,
  /** How far behind services run (p95 ms), by service name. */
  behind?: ReadonlyMap<string, number>,
) {
  const graph = useMemo(() => (topology ? layoutGraphOf(topology) : null), [topology]);
  const key = graph ? layoutKey(graph) : '';
  const ready = useSyncExternalStore(subscribeLayouts, () => (key ? cachedLayout(key) : undefined));
  useEffect(() => {
    if (graph && !ready) requestLayout(key, graph);
  }, [key, graph, ready]);

  const [shown, setShown] = useState<Shown>(EMPTY);
  // Derived state (React's documented pattern): the last layout that was ready, kept while the next one runs.
  if (ready && (shown.key !== key || shown.layout !== ready)) setShown({ key, layout: ready });
  const current: Shown = ready ? { key, layout: ready } : shown;

  const fresh = useMemo<MapElements>(
    () =>
      topology
        ? toFlowElements(placedOnly(topology, current.layout), current.layout, activeNodeId, notes, behind)
        : { nodes: [], edges: [] },
    [topology, current.layout, activeNodeId, notes, behind],
  );
  // Derived state again: unchanged nodes and edges keep their objects, so they are not rendered again.
  const [kept, setKept] = useState<Kept>(() => ({ from: fresh, elements: fresh }));
  let elements = kept.elements;
  if (kept.from !== fresh) {
    elements = keepUnchangedElements(kept.elements, fresh);
    setKept({ from: fresh, elements });
  }
  return { ...elements, layoutKey: current.key, pending: graph !== null && !ready };
}
