import type { EdgeEvidence, Topology } from '@flowscope/shared';
import { useMemo } from 'react';
import { evidenceKindsIn, filterTopology } from './edgeFilter';

/**
 * The topology with the hidden evidence kinds' edges left out, the kinds the legend offers (those
 * present, and hidden ones even when absent, so they can be shown again) and how many edges are hidden.
 */
export function useVisibleTopology(topology: Topology | null, hiddenEvidence: ReadonlySet<EdgeEvidence>) {
  const visible = useMemo(
    () => (topology ? filterTopology(topology, hiddenEvidence) : null),
    [topology, hiddenEvidence],
  );
  const evidenceKinds = useMemo(() => {
    const present = topology ? evidenceKindsIn(topology) : [];
    const hiddenAbsent = [...hiddenEvidence].filter((k) => !present.includes(k));
    return [...present, ...hiddenAbsent];
  }, [topology, hiddenEvidence]);
  const hiddenEdges = (topology?.edges.length ?? 0) - (visible?.edges.length ?? 0);
  return { visible, evidenceKinds, hiddenEdges };
}
