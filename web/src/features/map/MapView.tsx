import type { EdgeEvidence, Topology } from '@flowscope/shared';
import { Controls, Panel, ReactFlow, ReactFlowProvider, useReactFlow, useStore } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useAnnotations } from '../annotations';
import { MapExport } from './export/MapExport';
import { ConsumerPanel } from './consumers/ConsumerPanel';
import { useActiveConsumers } from './consumers/useActiveConsumers';
import { readOnlyMapProps } from './elementTypes';
import { EvidenceFilter } from './EvidenceFilter';
import { MapEmptyState } from './MapEmptyState';
import { MapLegend } from './MapLegend';
import { mapMarkers } from './map.markers';
import { useHeldWhileMoving } from './useHeldWhileMoving';
import { useMapElements } from './useMapElements';
import { useVisibleTopology } from './useVisibleTopology';
import './map.css';

export type MapViewProps = Readonly<{
  topology: Topology | null;
  activeNodeId: string | null;
  onToggleNode: (id: string) => void;
  /** Evidence kinds whose edges are hidden (unless other evidence backs them). */
  hiddenEvidence: ReadonlySet<EdgeEvidence>;
  onToggleEvidence: (kind: EdgeEvidence) => void;
}>;

const FIT_OPTIONS = { padding: 0.06, maxZoom: 1.1 } as const;

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
export function MapView({
  topology: latest,
  activeNodeId,
  onToggleNode,
  hiddenEvidence,
  onToggleEvidence,
}: MapViewProps) {
  const { value: topology, onMoveStart, onMoveEnd } = useHeldWhileMoving(latest);
  const { visible, evidenceKinds, hiddenEdges } = useVisibleTopology(topology, hiddenEvidence);
  const { annotations } = useAnnotations();
  const { nodes, edges, layoutKey, pending } = useMapElements(visible, activeNodeId, annotations.byTarget);
  const userMoved = useRef(false);
  const sectionRef = useRef<HTMLElement>(null);
  const hasNodes = nodes.length > 0;

  // The panel follows the active node; closing it keeps the node (and the stream filter) active.
  const consumers = useActiveConsumers(topology, activeNodeId);
  const [dismissedFor, setDismissedFor] = useState<string | null>(null);
  if (dismissedFor !== null && dismissedFor !== activeNodeId) setDismissedFor(null);
  // Only for a node on the map: the evidence filter may hide a service known only from its consumers.
  const activeName = visible?.nodes.find((n) => n.id === activeNodeId)?.name;
  const showConsumers =
    activeNodeId !== null && activeName !== undefined && consumers.length > 0 && dismissedFor !== activeNodeId;
  const closeConsumers = () => {
    setDismissedFor(activeNodeId);
    // Focus goes back to the node the panel belonged to, not to the top of the page.
    sectionRef.current?.querySelector<HTMLElement>('.fs-node.is-active .fs-node__button')?.focus();
  };

  return (
    <section
      ref={sectionRef}
      className={`fs-map${showConsumers ? ' has-consumers' : ''}`}
      data-testid={mapMarkers.root}
      aria-label="Map of services and channels"
    >
      <div className="fs-map__canvas">
        <ReactFlowProvider>
          <ReactFlow
            nodes={nodes}
            edges={edges}
            {...readOnlyMapProps}
            onNodeClick={(_, node) => onToggleNode(node.id)}
            onMoveStart={onMoveStart}
            onMoveEnd={onMoveEnd}
            onMove={(event) => {
              // Programmatic moves (fitView) come without an event; a click on a node moves nothing.
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
            {hasNodes && (
              <Panel position="top-right" className="fs-map__export">
                <MapExport nodes={nodes} edges={edges} />
              </Panel>
            )}
            {(hasNodes || hiddenEdges > 0) && (
              <MapLegend evidence={evidenceKinds}>
                <EvidenceFilter
                  kinds={evidenceKinds}
                  hidden={hiddenEvidence}
                  hiddenEdges={hiddenEdges}
                  onToggle={onToggleEvidence}
                />
              </MapLegend>
            )}
          </ReactFlow>
        </ReactFlowProvider>
        {!hasNodes && hiddenEdges === 0 && !pending && <MapEmptyState loading={topology === null} />}
      </div>
      {showConsumers && (
        <ConsumerPanel service={activeName} consumers={consumers} onClose={closeConsumers} scope={sectionRef} />
      )}
    </section>
  );
}
