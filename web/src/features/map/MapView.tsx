import type { Topology } from '@flowscope/shared';
import { Controls, ReactFlow, ReactFlowProvider, useReactFlow, useStore } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useRef, type RefObject } from 'react';
import { edgeTypes, nodeTypes } from './elementTypes';
import { MapEmptyState } from './MapEmptyState';
import { MapLegend } from './MapLegend';
import { mapMarkers } from './map.markers';
import { useMapElements } from './useMapElements';
import './map.css';

export type MapViewProps = Readonly<{
  topology: Topology | null;
  activeNodeId: string | null;
  onToggleNode: (id: string) => void;
}>;

const FIT_OPTIONS = { padding: 0.06, maxZoom: 1.1 } as const;
const PRO_OPTIONS = { hideAttribution: true } as const;

const selectPaneSize = (s: { width: number; height: number }) => `${Math.round(s.width)}x${Math.round(s.height)}`;

/**
 * Fits the view on the first layout, and again when the graph grows or the pane is resized
 * (e.g. the inspector opens), but only until the user pans or zooms: from then on the viewport
 * is theirs (the fit control hands it back). Rate updates never move it.
 */
function AutoFit({ layoutKey, userMoved }: { layoutKey: string; userMoved: RefObject<boolean> }) {
  // Before the viewport exists a fitView request is silently dropped.
  const { fitView, viewportInitialized } = useReactFlow();
  const paneSize = useStore(selectPaneSize);
  const fitted = useRef(false);
  useEffect(() => {
    if (!layoutKey || !viewportInitialized || userMoved.current) return;
    void fitView(fitted.current ? { ...FIT_OPTIONS, duration: 200 } : FIT_OPTIONS);
    fitted.current = true;
  }, [layoutKey, paneSize, viewportInitialized, fitView, userMoved]);
  return null;
}

/** The live map of services and channels. */
export function MapView({ topology, activeNodeId, onToggleNode }: MapViewProps) {
  const { nodes, edges, layoutKey } = useMapElements(topology, activeNodeId);
  const userMoved = useRef(false);
  const hasNodes = nodes.length > 0;

  return (
    <section className="fs-map" data-testid={mapMarkers.root} aria-label="Map of services and channels">
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          colorMode="dark"
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          minZoom={0.2}
          maxZoom={2}
          proOptions={PRO_OPTIONS}
          onNodeClick={(_, node) => onToggleNode(node.id)}
          onMoveStart={(event) => {
            // Programmatic moves (fitView) come without an event.
            if (event) userMoved.current = true;
          }}
        >
          <AutoFit layoutKey={layoutKey} userMoved={userMoved} />
          {hasNodes && (
            <Controls
              showInteractive={false}
              fitViewOptions={FIT_OPTIONS}
              position="bottom-left"
              onZoomIn={() => (userMoved.current = true)}
              onZoomOut={() => (userMoved.current = true)}
              onFitView={() => (userMoved.current = false)}
            />
          )}
          {hasNodes && <MapLegend />}
        </ReactFlow>
      </ReactFlowProvider>
      {!hasNodes && <MapEmptyState loading={topology === null} />}
    </section>
  );
}
