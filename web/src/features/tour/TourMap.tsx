import type { Topology } from '@flowscope/shared';
import { useMemo } from 'react';
import { useAnnotations } from '../annotations';
import { ReadOnlyMap, useMapElements, type MapFlowEdge, type MapFlowNode } from '../map';
import { tourMarkers } from './tour.markers';
import type { TourHighlight } from './tourSteps';

/** The map with one step lit (its producer → channel → reacting services) and everything else dimmed. */
export function TourMap({
  topology,
  highlight,
  producer,
  channel,
}: {
  topology: Topology;
  highlight: TourHighlight;
  producer: string;
  channel: string;
}) {
  const { annotations } = useAnnotations();
  const { nodes, edges, layoutKey } = useMapElements(topology, null, annotations.byTarget);
  const litNodes = useMemo(
    (): MapFlowNode[] =>
      nodes.map((n): MapFlowNode => {
        const lit = highlight.nodes.has(n.id);
        const className = lit ? tourMarkers.litClass : tourMarkers.dimClass;
        // Per kind, so each node keeps its own data type.
        return n.type === 'service'
          ? { ...n, className, data: { ...n.data, active: lit } }
          : { ...n, className, data: { ...n.data, active: lit } };
      }),
    [nodes, highlight],
  );
  const litEdges = useMemo(
    (): MapFlowEdge[] =>
      edges.map((e) => ({
        ...e,
        className: highlight.edges.has(e.id) ? tourMarkers.litClass : tourMarkers.dimClass,
      })),
    [edges, highlight],
  );
  return (
    <ReadOnlyMap
      nodes={litNodes}
      edges={litEdges}
      layoutKey={layoutKey}
      label="Map with the step's producer, channel and consumers highlighted"
      className="fs-tour__map"
      testId={tourMarkers.map}
      data={{ 'data-producer': producer, 'data-channel': channel }}
    />
  );
}
