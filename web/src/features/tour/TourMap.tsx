import type { Topology } from '@flowscope/shared';
import { ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo } from 'react';
import { useAnnotations } from '../annotations';
import { readOnlyMapProps } from '../map/elementTypes';
import type { MapFlowEdge, MapFlowNode } from '../map/toFlowElements';
import { useMapElements } from '../map/useMapElements';
import '../map/map.css';
import { tourMarkers } from './tour.markers';
import type { TourHighlight } from './tourSteps';

const FIT = { padding: 0.08, maxZoom: 1.1 } as const;

function FitOnLayout({ layoutKey }: { layoutKey: string }) {
  const { fitView, viewportInitialized } = useReactFlow();
  useEffect(() => {
    if (layoutKey && viewportInitialized) void fitView(FIT);
  }, [layoutKey, viewportInitialized, fitView]);
  return null;
}

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
      nodes.map((n) => {
        const lit = highlight.nodes.has(n.id);
        return { ...n, className: lit ? tourMarkers.litClass : tourMarkers.dimClass, data: { ...n.data, active: lit } };
      }) as MapFlowNode[],
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
    <section
      className="fs-map fs-tour__map"
      data-testid={tourMarkers.map}
      data-producer={producer}
      data-channel={channel}
      aria-label="Map with the step's producer, channel and consumers highlighted"
    >
      <div className="fs-map__canvas">
        <ReactFlowProvider>
          <ReactFlow nodes={litNodes} edges={litEdges} {...readOnlyMapProps}>
            <FitOnLayout layoutKey={layoutKey} />
          </ReactFlow>
        </ReactFlowProvider>
      </div>
    </section>
  );
}
